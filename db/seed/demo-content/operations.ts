import type { GuideSpec } from "./types";

export const OPERATIONS: GuideSpec[] = [
  {
    space: "ops",
    title: "Handling a damaged pallet at goods-in",
    tags: ["goods-in", "damage", "claims"],
    intro:
      "A damaged pallet is only a claim if we can prove it arrived that way. These steps keep the evidence that Customer Service and the carrier will ask for, and keep damaged stock out of pickable locations.",
    sections: [
      {
        heading: "Steps",
        steps: [
          "Stop unloading that pallet. Do not break the wrap yet.",
          "Photograph it from all four sides and the top, with the delivery note visible in one photo.",
          'Write **"received damaged, subject to inspection"** on the driver\'s copy before signing, with the number of pallets affected.',
          "Move the pallet to the quarantine lane Q1 and scan it to location `QUAR-01`.",
          "Open a goods-in exception in the WMS (reason code `DMG`) and attach the photos.",
        ],
      },
      {
        heading: "Common mistakes",
        bullets: [
          "Signing a clean delivery note: the carrier will then refuse the claim.",
          "Putting partly damaged stock away: it ends up picked and shipped to a customer.",
        ],
      },
    ],
    ask: "The goods-in team lead on shift, or Customer Service for the claim itself.",
    update: [
      {
        note: "Carrier now wants the seal number on the exception",
        replace: "and attach the photos.",
        with: "and attach the photos. Add the trailer seal number in the notes field; our two main carriers reject claims without it.",
      },
    ],
  },
  {
    space: "ops",
    title: "Cycle counting: the weekly routine",
    tags: ["inventory", "cycle-count", "wms"],
    intro:
      "We count a slice of the warehouse every week instead of closing for a full stocktake. The WMS proposes locations by ABC class: A items monthly, B quarterly, C twice a year.",
    sections: [
      {
        heading: "Running the count",
        steps: [
          "On Monday morning the inventory controller releases the count wave in the WMS (menu *Inventory → Cycle count → Release*).",
          "Counters scan the location, then count every unit; they never see the expected quantity (blind count).",
          "Differences above 2 % or €250 trigger a recount by a second person.",
          "Confirmed differences are posted by the inventory controller with a reason code.",
        ],
      },
      {
        heading: "Targets",
        table: [
          ["Measure", "Target"],
          ["Location accuracy", "≥ 99.2 %"],
          ["Unit accuracy", "≥ 99.6 %"],
          ["Recounts finished", "same shift"],
        ],
      },
    ],
    ask: "The inventory controller at each site.",
  },
  {
    space: "ops",
    title: "Short picks: what to do when a location is empty",
    tags: ["picking", "wms", "inventory"],
    intro:
      "A short pick stops an order from shipping complete. The handheld can usually find the stock elsewhere, but only if the short is reported properly the moment it happens.",
    sections: [
      {
        heading: "On the handheld",
        steps: [
          "Scan the location label to prove you are at the right place.",
          "Choose **Short pick** and enter the quantity you actually found (zero is fine).",
          "Follow the next location the handheld proposes; it searches reserve and overflow locations first.",
          "If nothing is proposed, leave the tote at the short-pick table with the pick label on top.",
        ],
      },
      {
        heading: "Never",
        bullets: [
          "Pick from the quarantine lane or from returns that have not been graded.",
          "Skip the short-pick confirmation to save time: the stock record stays wrong and the next picker walks to the same empty location.",
        ],
      },
    ],
    update: [
      {
        note: "Clarified what happens to the tote",
        replace: "leave the tote at the short-pick table with the pick label on top.",
        with: "leave the tote at the short-pick table with the pick label on top; the team lead checks the table every 30 minutes and decides whether to ship part of the order.",
      },
    ],
  },
  {
    space: "ops",
    title: "Returns grading: A, B, C and scrap",
    tags: ["returns", "quality"],
    intro:
      "Every return is graded before it goes back to stock, so customers never receive a used item as new. Grading is done at the returns bench within two working days of arrival.",
    sections: [
      {
        heading: "Grades",
        table: [
          ["Grade", "Meaning", "Goes to"],
          ["A", "Unopened, undamaged", "Pickable stock"],
          ["B", "Opened, complete, like new", "Outlet stock"],
          ["C", "Damaged packaging or missing parts", "Supplier return"],
          ["Scrap", "Broken or unsafe", "Disposal with certificate"],
        ],
      },
      {
        heading: "How to grade",
        steps: [
          "Scan the returns label; the WMS shows the original order.",
          "Check contents against the packing list.",
          "Choose the grade and print the location label the WMS gives you.",
          "Photograph anything graded C or Scrap.",
        ],
      },
    ],
    ask: "The returns specialist at Rotterdam.",
  },
  {
    space: "ops",
    title: "Reach truck pre-use inspection",
    tags: ["safety", "forklift", "checklist"],
    intro:
      "Every reach truck is inspected at the start of each shift by the person driving it. A truck that fails any check is tagged out and reported; nobody drives it until maintenance signs it off.",
    sections: [
      {
        heading: "Checklist",
        checklist: [
          "Forks: no cracks, locking pins in place",
          "Mast chains: even tension, no damage",
          "Hydraulics: no leaks under the truck",
          "Horn, lights and blue spot working",
          "Brakes and parking brake hold on the ramp",
          "Battery connector seated, charge above 30 %",
          "Seat belt and operator presence switch work",
        ],
      },
      {
        heading: "If a check fails",
        text: "Hang a red *DO NOT USE* tag on the steering wheel, take the key to the shift office and log the defect in the maintenance app with a photo.",
      },
    ],
    ask: "The site safety coordinator.",
    update: [
      {
        note: "Added the battery watering check after the October audit",
        add: "**Weekly, on Mondays:** check the battery water level on lead-acid trucks and top up with deionised water only after charging.",
      },
    ],
  },
  {
    space: "ops",
    title: "Peak season staffing plan",
    tags: ["planning", "peak", "staffing"],
    intro:
      "From mid-November to the first week of January, volume at Rotterdam roughly doubles. This is how we plan the extra shifts and agency staff so that service holds.",
    sections: [
      {
        heading: "Timeline",
        bullets: [
          "September: agree volume forecast with Sales and the three largest customers.",
          "Early October: book agency staff and extra reach trucks.",
          "Late October: train agency staff on picking and the handhelds (half a day each).",
          "November–January: daily stand-up at 07:45 with volume, backlog and absences.",
        ],
      },
      {
        heading: "Rules of thumb",
        bullets: [
          "One trained picker manages about 110 order lines an hour at peak.",
          "Never put more than one agency worker per three permanent staff on a picking zone.",
          "Overtime is voluntary and capped at 10 hours a week per person.",
        ],
      },
    ],
  },
  {
    space: "ops",
    title: "Hazardous goods: receiving lithium batteries",
    tags: ["dangerous-goods", "goods-in", "safety", "batteries"],
    intro:
      "Lithium batteries (UN3480, UN3481, UN3090, UN3091) need separate handling at goods-in. Damaged or hot battery packages are an emergency, not a claim.",
    sections: [
      {
        heading: "Receiving",
        steps: [
          "Check the class 9 lithium label and the UN number against the advance shipping notice.",
          "Store only in the DG cage, maximum two pallets high.",
          "Scan to a DG location; the WMS blocks normal locations for these items.",
        ],
      },
      {
        heading: "Damaged or warm package",
        steps: [
          "Do not move it with a truck. Clear the area.",
          "Call the site emergency number and the safety coordinator.",
          "If smoke appears, evacuate and call the fire brigade; do not use water on the package.",
        ],
      },
    ],
    ask: "The site safety coordinator, who holds the DGSA certificate.",
  },
  {
    space: "ops",
    title: "Packing station standard",
    tags: ["packing", "standard-work"],
    intro:
      "Every packing station is laid out the same way so that anyone can work at any station and carton damage stays below 0.3 %.",
    sections: [
      {
        heading: "Layout",
        bullets: [
          "Cartons in five sizes on the left, void fill on the right.",
          "Scale and label printer in front, scanner on its stand.",
          "Tape gun with 48 mm tape; never use parcel tape for pallets.",
        ],
      },
      {
        heading: "Packing rules",
        steps: [
          "Scan the tote; the screen proposes a carton size — use it unless the item does not fit.",
          "Heavy items at the bottom, fragile items wrapped and in the middle.",
          "Fill void space so that nothing moves when the carton is shaken.",
          "Weigh, print, label on the largest face.",
        ],
      },
    ],
  },
  {
    space: "ops",
    title: "Incident review: the 14 March WMS outage at Rotterdam",
    tags: ["incident-review", "wms", "lessons-learned"],
    intro:
      "On 14 March the WMS was unavailable at Rotterdam from 06:10 to 09:40. About 2,300 order lines missed their carrier cut-off. This review is blameless: it describes what happened and what we changed.",
    sections: [
      {
        heading: "What happened",
        text: "A certificate on the integration server expired overnight. The handhelds could not log in, and the paper fallback had not been practised since 2023, so it took an hour to start picking from printed lists.",
      },
      {
        heading: "What we changed",
        bullets: [
          "Certificates are now monitored and alert 30 days before expiry.",
          "The paper fallback is practised every quarter on the early shift.",
          "Carrier cut-offs can be moved by the transport planner on the day, with one phone call.",
        ],
      },
    ],
    ask: "The platform engineering lead (certificates) or the head of warehouse operations (fallback drills).",
  },
];

export const FLEET: GuideSpec[] = [
  {
    space: "fleet",
    title: "How we choose a carrier for a same-day job",
    tags: ["carriers", "same-day", "planning"],
    intro:
      "Same-day jobs are booked by the transport planner on duty. Price matters, but the first question is always whether the carrier can actually collect in time.",
    sections: [
      {
        heading: "Decision order",
        steps: [
          "Can they collect within the customer's window? Call; do not rely on the portal for same-day.",
          "Do they have the right vehicle (tail-lift, ADR, temperature control)?",
          "Is their on-time score above 95 % this quarter (carrier scorecard)?",
          "Only then: the cheapest of the remaining carriers.",
        ],
      },
      {
        heading: "Booking",
        bullets: [
          "Book in the TMS so the job appears on the customer's tracking.",
          "Send the collection reference to the warehouse shift office.",
          "Add the cost to the job so Finance can recharge it.",
        ],
      },
    ],
    ask: "The transport planner lead.",
    update: [
      {
        note: "Added the new rule for jobs over 500 km",
        add: "**Jobs over 500 km:** check driver hours with the carrier explicitly; a single driver cannot legally do the return leg the same day.",
      },
    ],
  },
  {
    space: "fleet",
    title: "Drivers' hours: the rules planners must respect",
    tags: ["compliance", "drivers-hours", "planning"],
    intro:
      "EU drivers' hours rules (Regulation 561/2006) apply to every truck over 3.5 tonnes. Planners must not plan a route that can only be done by breaking them.",
    sections: [
      {
        heading: "The limits",
        table: [
          ["Rule", "Limit"],
          ["Daily driving", "9 h (10 h twice a week)"],
          ["Weekly driving", "56 h"],
          ["Two-week driving", "90 h"],
          ["Break", "45 min after 4.5 h driving"],
          ["Daily rest", "11 h (9 h up to three times between weekly rests)"],
        ],
      },
      {
        heading: "When a plan does not fit",
        text: "Split the route, add a second driver or move the delivery window. Never ask a driver to 'see how it goes'.",
      },
    ],
    ask: "The compliance officer.",
  },
  {
    space: "fleet",
    title: "Tachograph downloads and checks",
    tags: ["compliance", "tachograph"],
    intro:
      "We download driver cards every 28 days and vehicle units every 90 days, as the law requires, and check them for infringements every week.",
    sections: [
      {
        heading: "Weekly routine",
        steps: [
          "Download cards when drivers return to the depot on Friday.",
          "Run the infringement report in the analysis software.",
          "Discuss each infringement with the driver within seven days and record the conversation.",
          "Repeated infringements go to the head of transport.",
        ],
      },
    ],
  },
  {
    space: "fleet",
    title: "Vehicle defect reporting",
    tags: ["fleet", "maintenance", "safety"],
    intro:
      "Drivers do a walk-round check before every shift and report defects in the fleet app. A defect that affects safety takes the vehicle off the road immediately.",
    sections: [
      {
        heading: "Safety-critical defects",
        bullets: [
          "Brakes, steering, tyres below 2 mm or with cuts",
          "Lights and indicators",
          "Air leaks, fuel leaks",
          "Damaged coupling or fifth wheel",
        ],
      },
      {
        heading: "Reporting",
        steps: [
          "Open the fleet app, choose the vehicle, tick the defect, add a photo.",
          "Safety-critical: phone the fleet technician on duty as well.",
          "The technician confirms the repair in the app before the vehicle goes out again.",
        ],
      },
    ],
    update: [
      {
        note: "Tyre limit raised to our own policy",
        replace: "tyres below 2 mm",
        with: "tyres below 3 mm (our policy; the legal minimum is 1 mm)",
      },
    ],
  },
  {
    space: "fleet",
    title: "Carrier scorecards: how they are calculated",
    tags: ["carriers", "kpi"],
    intro:
      "Each carrier gets a monthly scorecard that decides who gets the next tender and who gets a performance meeting.",
    sections: [
      {
        heading: "Measures",
        table: [
          ["Measure", "Weight"],
          ["On-time collection", "30 %"],
          ["On-time delivery", "40 %"],
          ["Damage rate", "20 %"],
          ["Invoice accuracy", "10 %"],
        ],
      },
      {
        heading: "Consequences",
        bullets: [
          "Below 85 overall for two months: performance meeting.",
          "Below 75 for three months: no new lanes until improved.",
          "Above 95 for a quarter: first call on new volume.",
        ],
      },
    ],
  },
  {
    space: "fleet",
    title: "Route planning for multi-drop deliveries",
    tags: ["planning", "routing", "tms"],
    intro:
      "Multi-drop routes are planned in the TMS the afternoon before. The optimiser is good, but planners check every route before releasing it.",
    sections: [
      {
        heading: "Before releasing a route",
        checklist: [
          "Delivery windows are realistic, including unloading time",
          "Tail-lift drops are on tail-lift vehicles",
          "No drop in a low-emission zone with a non-compliant vehicle",
          "Driver hours fit with a margin of 45 minutes",
          "Heaviest drops are not last",
        ],
      },
    ],
  },
  {
    space: "fleet",
    title: "Fuel card policy",
    tags: ["fleet", "fuel", "policy"],
    intro:
      "Each truck has its own fuel card, linked to the registration. Cards are for diesel and AdBlue for that vehicle only.",
    sections: [
      {
        heading: "Rules",
        bullets: [
          "Enter the odometer reading at every fill-up.",
          "Use partner stations when the route allows; they are about 6 cents a litre cheaper.",
          "Report a lost card to the fleet office at once; it is blocked within the hour.",
          "Car wash and shop purchases are not allowed on the card.",
        ],
      },
    ],
  },
  {
    space: "fleet",
    title: "Low-emission zones: which vehicles may go where",
    tags: ["compliance", "planning", "emissions"],
    intro:
      "Rotterdam, Hamburg and Manchester city centres restrict older diesel trucks. Fines are issued automatically from camera images.",
    sections: [
      {
        heading: "Our fleet",
        table: [
          ["Vehicle group", "Euro class", "Allowed in zones"],
          ["Rigid 7.5 t (R-series)", "Euro 6", "All"],
          ["Tractor units 2017–2019", "Euro 6", "All"],
          ["Two spare rigids", "Euro 5", "None"],
        ],
      },
      {
        heading: "Planning",
        text: "The TMS marks zone addresses with a leaf icon. Never send a Euro 5 spare into a zone, even for one drop.",
      },
    ],
    draft: true,
  },
];
