import type { GuideSpec } from "./types";

export const CUSTOMER_SERVICE: GuideSpec[] = [
  {
    space: "cs",
    title: "Where is my order? Answering tracking enquiries",
    tags: ["tracking", "enquiries", "templates"],
    intro:
      "Tracking questions are a third of all contacts. Most can be answered in under two minutes from the customer portal, without calling the warehouse.",
    sections: [
      {
        heading: "Steps",
        steps: [
          "Find the order by customer reference in the portal (not our order number; customers rarely know it).",
          "Check the last scan: *packed*, *collected* or *out for delivery*.",
          "If collected, open the carrier link and give the customer the carrier's estimate.",
          "If the last scan is older than 48 hours, open a carrier enquiry and tell the customer when you will call back.",
        ],
      },
      {
        heading: "Tone",
        text: "Give the facts and the next step. Do not blame the carrier or the warehouse in writing.",
      },
    ],
    update: [
      {
        note: "Portal search now accepts the carrier tracking number too",
        replace: "Find the order by customer reference in the portal",
        with: "Find the order by customer reference or carrier tracking number in the portal",
      },
    ],
  },
  {
    space: "cs",
    title: "Delivery damage claims: from first call to credit",
    tags: ["claims", "damage", "carriers"],
    intro:
      "A claim succeeds when we have the evidence and file it within the carrier's deadline, usually seven days for visible damage.",
    sections: [
      {
        heading: "Steps",
        steps: [
          "Ask the customer for photos of the outer packaging and the product, and the signed delivery note.",
          "Check whether goods-in recorded damage on the way in (exception code DMG).",
          "File the claim in the carrier portal with all photos.",
          "Offer the customer a replacement or credit according to their contract; do not wait for the carrier.",
        ],
      },
      {
        heading: "Deadlines",
        table: [
          ["Carrier", "Visible damage", "Concealed damage"],
          ["Parcel carriers", "7 days", "14 days"],
          ["Pallet network", "3 days", "7 days"],
          ["Own fleet", "14 days", "14 days"],
        ],
      },
    ],
    ask: "The claims handler.",
  },
  {
    space: "cs",
    title: "Reply template: delayed delivery apology",
    tags: ["templates", "delays"],
    intro:
      "Use this template when we know a delivery will be late. Personalise the first sentence; customers notice copy-paste.",
    sections: [
      {
        heading: "Template",
        code: {
          text: "Dear {name},\n\nThank you for your patience with order {reference}. Your delivery is running late because {reason}.\nThe new delivery date is {date}. You can follow it here: {tracking link}.\n\nIf this date does not work for you, reply to this e-mail and we will find another slot.\n\nKind regards,\n{agent}",
        },
      },
      {
        heading: "When not to use it",
        bullets: [
          "The customer has already complained twice: call them instead.",
          "Perishable or time-critical goods: escalate to the team lead first.",
        ],
      },
    ],
  },
  {
    space: "cs",
    title: "Escalating to a team lead",
    tags: ["escalation", "process"],
    intro:
      "Agents can solve most problems themselves. Escalate when you need a decision you are not allowed to make, not just because a customer is angry.",
    sections: [
      {
        heading: "Escalate when",
        bullets: [
          "A credit above €500 is needed.",
          "A customer threatens legal action or to cancel a contract.",
          "The same problem has happened three times for the same customer this month.",
          "Safety is involved (damaged hazardous goods, injury).",
        ],
      },
      {
        heading: "How",
        text: "Post in the escalation channel with the customer, the order, what you have done and what decision you need. The team lead replies within 30 minutes during office hours.",
      },
    ],
  },
  {
    space: "cs",
    title: "Booking a redelivery",
    tags: ["redelivery", "carriers"],
    intro:
      "When a delivery fails (nobody home, wrong address, refused), the carrier returns it to the depot and waits for instructions for three working days.",
    sections: [
      {
        heading: "Steps",
        steps: [
          "Confirm the correct address and a contact phone number with the customer.",
          "Book the redelivery in the carrier portal; choose a date, not 'next available'.",
          "Add a delivery instruction if the customer gave one (side door, neighbour).",
          "Note the redelivery in the order history so the next agent sees it.",
        ],
      },
      {
        heading: "Costs",
        text: "The first redelivery is free for the customer. A second one is charged unless the failure was our fault or the carrier's.",
      },
    ],
  },
  {
    space: "cs",
    title: "Handling a complaint about a driver",
    tags: ["complaints", "drivers"],
    intro:
      "Complaints about a driver's behaviour go to Fleet & Transport, but the customer stays ours: we keep them informed.",
    sections: [
      {
        heading: "Steps",
        steps: [
          "Thank the customer and write down exactly what happened, when and where.",
          "Never promise a specific consequence for the driver.",
          "Forward the details to the transport planner lead in the driver-feedback form.",
          "Tell the customer they will hear back within five working days, and make sure they do.",
        ],
      },
    ],
  },
  {
    space: "cs",
    title: "Customer portal: resetting a user's access",
    tags: ["portal", "accounts", "how-to"],
    intro:
      "Customers' users sometimes lock themselves out. Agents can reset access; we never send passwords by e-mail.",
    sections: [
      {
        heading: "Steps",
        steps: [
          "Check that the request comes from the customer's registered admin user or from the e-mail address of the locked user.",
          "In the portal admin, find the user and click **Send reset link**.",
          "If the user has left the company, deactivate them instead and tell the customer's admin.",
        ],
      },
      {
        heading: "Never",
        bullets: [
          "Create a new user for someone who calls without being on the customer's list.",
          "Read out a reset link over the phone.",
        ],
      },
    ],
  },
  {
    space: "cs",
    title: "Quarterly service review with key accounts",
    tags: ["key-accounts", "kpi", "meetings"],
    intro:
      "Each key account gets a service review every quarter. The account support specialist prepares it; the account executive joins.",
    sections: [
      {
        heading: "Agenda",
        bullets: [
          "On-time delivery and order accuracy for the quarter, with the trend.",
          "Claims and their outcome.",
          "Top three problems and what we changed.",
          "Volume forecast for the next quarter and peak plans.",
          "What the customer wants us to do differently.",
        ],
      },
      {
        heading: "Preparation",
        text: "Pull the figures from the KPI dashboard five working days before, and check the claims list with the claims handler.",
      },
    ],
    draft: true,
  },
];

export const ENGINEERING: GuideSpec[] = [
  {
    space: "eng",
    title: "Resetting a handheld scanner",
    tags: ["scanners", "it-support", "how-to"],
    intro:
      "Most handheld problems (frozen screen, no Wi-Fi, WMS app crashing) are fixed by a restart. A factory reset is the last resort and needs IT.",
    sections: [
      {
        heading: "Restart",
        steps: [
          "Hold the power button for 5 seconds and choose **Restart**.",
          "If the screen is frozen, hold power and the left scan trigger together for 10 seconds.",
          "Wait for the green Wi-Fi icon before opening the WMS app.",
        ],
      },
      {
        heading: "Still not working",
        text: "Put the handheld in the IT box at the shift office with a note of the problem and take a spare from the charging rack. IT swaps it within the shift.",
      },
    ],
    ask: "The IT service desk (extension 4400).",
    update: [
      {
        note: "Updated for the new scanner firmware",
        replace: "hold power and the left scan trigger together for 10 seconds.",
        with: "hold power and volume-down together for 12 seconds (firmware 11 and later; older handhelds still use the left scan trigger).",
      },
      {
        note: "Spare handhelds now logged",
        add: "When you take a spare, scan its asset tag at the rack so IT knows who has it.",
      },
    ],
  },
  {
    space: "eng",
    title: "On-call guide for the WMS integration",
    tags: ["on-call", "wms", "integration", "runbook"],
    intro:
      "The WMS integration moves orders from customers' systems into the WMS and confirmations back. When it stops, warehouses run out of work within an hour.",
    sections: [
      {
        heading: "First checks",
        steps: [
          "Open the integration dashboard: are queues growing?",
          "Check the certificate expiry panel.",
          "Look for the last successful order per customer; a single customer failing is usually their side.",
          "Restart the consumer only after reading its last 100 log lines.",
        ],
      },
      {
        heading: "Useful commands",
        code: {
          lang: "bash",
          text: "kubectl -n integration get pods\nkubectl -n integration logs deploy/order-consumer --tail=100\nkubectl -n integration rollout restart deploy/order-consumer",
        },
      },
    ],
    ask: "The platform engineering lead; the WMS vendor's support line is in the on-call sheet.",
  },
  {
    space: "eng",
    title: "Decision record: one WMS instance per site",
    tags: ["decision", "architecture", "wms"],
    intro: "Status: accepted. We run a separate WMS instance for each warehouse instead of one shared instance.",
    sections: [
      {
        heading: "Context",
        text: "A shared instance would simplify reporting, but an outage would stop all three sites at once, and upgrades would need a common maintenance window across time zones.",
      },
      {
        heading: "Decision",
        text: "One instance per site, with a nightly export into the data warehouse for cross-site reporting.",
      },
      {
        heading: "Consequences",
        bullets: [
          "Upgrades are rolled out site by site, Manchester first.",
          "Master data changes are made once and synchronised; never edit item data in a site instance directly.",
          "Cross-site stock visibility is at most one hour old.",
        ],
      },
    ],
  },
  {
    space: "eng",
    title: "Setting up a new laptop",
    tags: ["it-support", "onboarding", "laptops"],
    intro:
      "New laptops arrive enrolled in device management. The first sign-in takes about 40 minutes while software installs.",
    sections: [
      {
        heading: "Steps",
        steps: [
          "Connect to the office Wi-Fi or a cable; guest Wi-Fi will not work for enrolment.",
          "Sign in with your company e-mail and the temporary password from IT.",
          "Set up multi-factor authentication with the authenticator app.",
          "Leave the laptop plugged in until the *Setup complete* message appears.",
        ],
      },
      {
        heading: "Afterwards",
        checklist: [
          "Check that disk encryption shows as on",
          "Sign in to e-mail, chat and Knowhow",
          "Install the VPN profile if you work from home",
        ],
      },
    ],
  },
  {
    space: "eng",
    title: "Wi-Fi dead spots in the Rotterdam high-bay",
    tags: ["network", "wifi", "troubleshooting"],
    intro:
      "Handhelds lose connection in aisles 40–46 at the top levels. We added access points in 2024, but racking changes keep moving the dead spots.",
    sections: [
      {
        heading: "Known dead spots",
        table: [
          ["Area", "Levels", "Workaround"],
          ["Aisles 40–42", "5–6", "Scan at the aisle end"],
          ["Aisle 46", "all", "Use the fixed terminal at the end"],
          ["Dock doors 12–14", "—", "Known issue, fix planned"],
        ],
      },
      {
        heading: "Reporting a new one",
        text: "Note the aisle, level and time, and raise a network ticket. The network administrator runs a survey with the heat-map tool within a week.",
      },
    ],
  },
  {
    space: "eng",
    title: "How to request access to a system",
    tags: ["access", "it-support", "security"],
    intro:
      "Access to business systems is requested through the service desk portal and approved by the system owner, not by your manager alone.",
    sections: [
      {
        heading: "Steps",
        steps: [
          "Open the service desk portal and choose *Access request*.",
          "Pick the system and the role you need; explain why in one sentence.",
          "Your manager approves first, then the system owner.",
          "Access is usually active the same day; you get an e-mail.",
        ],
      },
      {
        heading: "Leaving or changing jobs",
        text: "Managers must raise a *Leaver* or *Mover* request at least three days before; access is removed on the last day.",
      },
    ],
  },
  {
    space: "eng",
    title: "Carrier rate API: adding a new carrier",
    tags: ["integration", "api", "carriers"],
    intro:
      "Carrier rates are fetched through one internal API that hides each carrier's own interface. Adding a carrier takes about a week of work.",
    sections: [
      {
        heading: "Steps",
        steps: [
          "Get sandbox credentials from the carrier manager.",
          "Implement the adapter interface (`quote`, `book`, `cancel`, `track`).",
          "Map the carrier's service levels to ours in the config file.",
          "Run the contract tests against the sandbox.",
          "Enable it for one customer before all.",
        ],
      },
      {
        heading: "Adapter interface",
        code: {
          lang: "ts",
          text: "interface CarrierAdapter {\n  quote(shipment: Shipment): Promise<Quote[]>;\n  book(quote: Quote): Promise<Booking>;\n  cancel(bookingId: string): Promise<void>;\n  track(bookingId: string): Promise<TrackingEvent[]>;\n}",
        },
      },
    ],
  },
  {
    space: "eng",
    title: "Printer troubleshooting: label printers at packing",
    tags: ["printers", "troubleshooting", "packing"],
    intro:
      "Label printers cause more tickets than anything else. Most problems are media or calibration, not the network.",
    sections: [
      {
        heading: "Symptoms and fixes",
        table: [
          ["Symptom", "Fix"],
          ["Blank labels", "Labels are loaded upside down or wrong media type"],
          ["Labels skip one", "Calibrate: hold feed until it flashes twice"],
          ["Faint print", "Clean the print head with an alcohol swab"],
          ["Nothing prints", "Check it shows *Ready*, then restart"],
        ],
      },
      {
        heading: "Still broken",
        text: "Swap it with the spare in the packing office and raise a ticket with the asset number.",
      },
    ],
    update: [
      {
        note: "Added the darkness setting",
        replace: "Clean the print head with an alcohol swab",
        with: "Clean the print head with an alcohol swab; if still faint, raise darkness to 22 in the printer menu",
      },
    ],
  },
  {
    space: "eng",
    title: "Backups and restore tests",
    tags: ["backups", "operations", "security"],
    intro:
      "Every production database is backed up nightly and kept for 35 days. A backup we have not restored is only a hope, so we test restores monthly.",
    sections: [
      {
        heading: "Monthly restore test",
        steps: [
          "Pick one database at random (the script does this).",
          "Restore last night's backup into the test environment.",
          "Run the row-count and checksum comparison.",
          "Record the time taken and the result in the restore log.",
        ],
      },
      {
        heading: "Targets",
        bullets: ["Recovery point: 24 hours at most.", "Recovery time: 4 hours for the WMS databases."],
      },
    ],
  },
];
