import type { GuideSpec } from "./types";

export const SALES: GuideSpec[] = [
  {
    space: "sales",
    title: "Pricing a new warehousing customer",
    tags: ["pricing", "quotes", "warehousing"],
    intro:
      "Warehousing prices are built from activity, not from a rate card. The cost-to-serve model in Finance gives the floor; we add margin by risk.",
    sections: [
      {
        heading: "What to collect from the customer",
        checklist: [
          "Pallets in and out per week, with the peak week",
          "Order lines per day and units per line",
          "Share of single-line orders",
          "Special handling: hazardous goods, temperature, value-added services",
          "Returns rate",
        ],
      },
      {
        heading: "Margin guide",
        table: [
          ["Risk", "Target margin"],
          ["Stable volume, long contract", "12 %"],
          ["Seasonal volume", "16 %"],
          ["New category for us", "20 %"],
        ],
      },
    ],
    ask: "The solutions consultant, who runs the model with you.",
  },
  {
    space: "sales",
    title: "Responding to a public tender",
    tags: ["tenders", "bids", "process"],
    intro:
      "Public tenders have strict formats and deadlines. A late or incomplete submission is rejected without being read.",
    sections: [
      {
        heading: "Steps",
        steps: [
          "Bid/no-bid decision within three working days, with the head of sales.",
          "The bid manager builds a plan backwards from the deadline, with one day of margin.",
          "Operations and Finance review the solution and the price.",
          "Legal checks the contract terms.",
          "Submit through the tender portal at least 24 hours before the deadline.",
        ],
      },
    ],
    ask: "The bid manager.",
  },
  {
    space: "sales",
    title: "Handing a new customer over to operations",
    tags: ["onboarding", "customers", "handover"],
    intro:
      "The first weeks decide whether a new customer stays. The handover meeting makes sure operations knows everything sales promised.",
    sections: [
      {
        heading: "Handover pack",
        checklist: [
          "Signed contract and SLA",
          "Volume forecast by week for the first quarter",
          "Contacts at the customer for orders, problems and invoices",
          "Any promises made in the sales process, written down",
          "Go-live date and the test plan",
        ],
      },
      {
        heading: "After go-live",
        text: "The account executive joins the daily call for the first two weeks and the first monthly review.",
      },
    ],
    update: [
      {
        note: "Added IT integration to the pack",
        add: "Since the March go-live problems, the pack also includes the **integration checklist** signed off by Engineering & IT.",
      },
    ],
  },
  {
    space: "sales",
    title: "Fuel surcharge: how it works",
    tags: ["pricing", "fuel", "contracts"],
    intro:
      "Transport prices include a fuel surcharge that moves with the diesel price, so neither we nor the customer gamble on fuel.",
    sections: [
      {
        heading: "Calculation",
        text: "Each month we take the average national diesel price. For every 5 cents above the base price in the contract, the surcharge rises by 1 % of the transport price; below the base it falls the same way.",
      },
      {
        heading: "Explaining it to customers",
        bullets: [
          "Show the published diesel index; never our own fuel costs.",
          "The surcharge table is in every contract annex.",
          "Changes take effect on the first of the month, announced by the 25th.",
        ],
      },
    ],
  },
  {
    space: "sales",
    title: "Qualifying a lead",
    tags: ["leads", "crm"],
    intro:
      "We only spend solution design time on leads that fit. Qualify every lead in the CRM before booking the solutions consultant.",
    sections: [
      {
        heading: "Questions",
        bullets: [
          "Is the volume within what one of our sites can absorb?",
          "Do they need a service we do not offer (cold chain, bonded storage)?",
          "Who decides, and by when?",
          "Why are they changing provider? (Price-only switches rarely stay.)",
        ],
      },
      {
        heading: "In the CRM",
        text: "Fill in the qualification fields; a lead without them cannot move to the *Solution* stage.",
      },
    ],
  },
  {
    space: "sales",
    title: "Win/loss reviews",
    tags: ["lessons-learned", "tenders", "reviews"],
    intro:
      "After every decided bid above €250k a year we hold a 30-minute win/loss review, whether we won or lost. Lost bids teach more.",
    sections: [
      {
        heading: "Questions",
        bullets: [
          "What did the customer say decided it?",
          "Where were we more expensive, and why?",
          "What did we promise that operations found hard?",
          "What would we do differently?",
        ],
      },
      {
        heading: "Afterwards",
        text: "The bid manager writes the lessons into Knowhow with the tag *win-loss* so the next bid team finds them.",
      },
    ],
  },
];

export const FINANCE: GuideSpec[] = [
  {
    space: "fin",
    title: "Month-end accrual checklist",
    tags: ["month-end", "accruals", "checklist"],
    intro:
      "Accruals make sure each month carries its own costs. The checklist runs on working day 1 and 2 after month-end.",
    sections: [
      {
        heading: "Checklist",
        checklist: [
          "Carrier costs: jobs delivered but not yet invoiced (TMS report *Uninvoiced jobs*)",
          "Agency staff hours from the timesheet system",
          "Utilities based on meter readings",
          "Rent and service charges if invoiced quarterly",
          "Bonus accrual: one twelfth of the annual estimate",
        ],
      },
      {
        heading: "Reversals",
        text: "Every accrual is set to reverse automatically on the first day of the next month. Never reverse by hand.",
      },
    ],
    ask: "The financial controller.",
    update: [
      {
        note: "Agency hours now come from the new timesheet export",
        replace: "Agency staff hours from the timesheet system",
        with: "Agency staff hours from the weekly timesheet export (the agency's own invoice arrives too late)",
      },
    ],
  },
  {
    space: "fin",
    title: "Checking a carrier invoice",
    tags: ["payables", "carriers", "invoices"],
    intro:
      "Carrier invoices are matched against the jobs in the TMS before they are paid. About 4 % of invoice lines are wrong, mostly surcharges.",
    sections: [
      {
        heading: "Steps",
        steps: [
          "Import the invoice file into the matching tool.",
          "Review lines that differ from the TMS price by more than €5.",
          "Accept surcharges only when the job shows the reason (waiting time, tail-lift, failed delivery).",
          "Dispute the rest in the carrier portal within 14 days.",
        ],
      },
    ],
  },
  {
    space: "fin",
    title: "Credit checks for new customers",
    tags: ["credit-control", "customers", "risk"],
    intro:
      "Every new customer gets a credit check before the contract is signed. Sales cannot promise payment terms before Finance agrees.",
    sections: [
      {
        heading: "Limits",
        table: [
          ["Credit score", "Payment terms", "Limit"],
          ["A", "30 days", "3 months of expected revenue"],
          ["B", "30 days", "1 month"],
          ["C", "Prepayment or guarantee", "—"],
        ],
      },
      { heading: "Review", text: "Limits are reviewed every year and whenever a customer pays late twice in a row." },
    ],
  },
  {
    space: "fin",
    title: "Chasing overdue invoices",
    tags: ["credit-control", "receivables"],
    intro: "Polite, early and consistent chasing gets us paid. The sequence below is automatic up to the phone call.",
    sections: [
      {
        heading: "Sequence",
        table: [
          ["Days overdue", "Action"],
          ["1", "Friendly reminder e-mail"],
          ["10", "Second reminder with statement"],
          ["20", "Phone call by accounts receivable"],
          ["30", "Account executive informed; new orders need approval"],
          ["45", "Stop supply decision by the finance director"],
        ],
      },
    ],
  },
  {
    space: "fin",
    title: "Expense claims",
    tags: ["expenses", "policy"],
    intro: "Claim business expenses within 30 days in the expenses app, with a photo of every receipt.",
    sections: [
      {
        heading: "Limits",
        bullets: [
          "Hotel: up to €140 a night (€190 in London and Hamburg).",
          "Meals when travelling: up to €45 a day.",
          "Mileage with your own car: €0.23 per km.",
          "Alcohol, fines and upgrades are not reimbursed.",
        ],
      },
      { heading: "Approval", text: "Your manager approves; claims over €1,000 also need the finance director." },
    ],
  },
  {
    space: "fin",
    title: "Budget process for next year",
    tags: ["budget", "planning"],
    intro:
      "The budget is built bottom-up by department heads between September and November and approved by the board in December.",
    sections: [
      {
        heading: "Timeline",
        bullets: [
          "Early September: volume assumptions from Sales.",
          "End of September: department cost budgets.",
          "October: review meetings with each head.",
          "Mid-November: consolidated budget to the leadership team.",
          "December: board approval.",
        ],
      },
      {
        heading: "Templates",
        text: "Use the template in the finance drive; do not change its structure, because the consolidation reads it automatically.",
      },
    ],
  },
  {
    space: "fin",
    title: "Cost-to-serve model: how to read it",
    tags: ["cost-to-serve", "pricing", "analysis"],
    intro:
      "The cost-to-serve model allocates warehouse and transport costs to customers by activity, so we can see which customers are profitable.",
    sections: [
      {
        heading: "Drivers",
        table: [
          ["Cost pool", "Driver"],
          ["Goods-in labour", "Pallets received"],
          ["Picking labour", "Order lines"],
          ["Packing", "Parcels"],
          ["Storage", "Pallet weeks"],
          ["Transport", "Drops and kilometres"],
        ],
      },
      {
        heading: "Caveats",
        text: "Shared overheads are allocated by revenue, which flatters small customers. Do not drop a customer on this model alone.",
      },
    ],
  },
];

export const PEOPLE: GuideSpec[] = [
  {
    space: "people",
    title: "Your first week at Northwind",
    tags: ["onboarding", "new-starters"],
    intro:
      "Welcome! Your first week is about people and safety, not productivity. Your manager and a buddy from your team will be with you.",
    sections: [
      {
        heading: "The week",
        table: [
          ["Day", "What happens"],
          ["Monday", "Welcome, laptop and accounts, site tour, safety induction"],
          ["Tuesday", "Shadow your buddy"],
          ["Wednesday", "Your team's core process, with practice"],
          ["Thursday", "Meet the teams you work with most"],
          ["Friday", "Check-in with your manager: questions, first goals"],
        ],
      },
      {
        heading: "Bring",
        bullets: [
          "ID and bank details for payroll",
          "Safety shoes if you work in the warehouse (we reimburse up to €90)",
        ],
      },
    ],
    update: [
      {
        note: "Added Knowhow to the first day",
        add: "On Monday you also get a Knowhow account: search it before asking, and ask it when search does not help; it finds the colleague who knows.",
      },
    ],
  },
  {
    space: "people",
    title: "Mentoring programme",
    tags: ["mentoring", "learning"],
    intro:
      "Anyone can ask for a mentor from another department for six months. Mentors volunteer and get a half-day training.",
    sections: [
      {
        heading: "How it works",
        steps: [
          "Tell People & Culture what you want to learn.",
          "We suggest two possible mentors; you choose.",
          "Meet once a month for an hour; agree the goals in the first meeting.",
          "After six months, both give short feedback; you can continue informally.",
        ],
      },
    ],
    ask: "The learning & development specialist.",
  },
  {
    space: "people",
    title: "Requesting annual leave",
    tags: ["leave", "policy"],
    intro: "Request leave in the HR system at least two weeks ahead, or four weeks for more than five days in a row.",
    sections: [
      {
        heading: "Rules",
        bullets: [
          "Full-time staff have 25 days plus public holidays.",
          "In the warehouse, no leave from 20 November to 31 December except by agreement.",
          "Up to five days can be carried over to the next year, used by 31 March.",
        ],
      },
    ],
  },
  {
    space: "people",
    title: "Giving feedback that helps",
    tags: ["feedback", "management", "learning"],
    intro: "Feedback is useful when it is specific, timely and about behaviour, not personality.",
    sections: [
      {
        heading: "A simple structure",
        steps: [
          "Situation: when and where.",
          "Behaviour: what the person did, as a camera would see it.",
          "Impact: what happened because of it.",
          "Ask: what do they see, and what could they try next time?",
        ],
      },
      {
        heading: "Example",
        text: '"In Tuesday\'s stand-up (situation), you explained the short-pick backlog with the numbers ready (behaviour); we decided on extra pickers in five minutes (impact). Could you do that every Tuesday?"',
      },
    ],
  },
  {
    space: "people",
    title: "Learning budget and how to use it",
    tags: ["learning", "budget", "training"],
    intro:
      "Everyone has €600 a year for learning that helps them in their job or their next one. Managers approve; People & Culture books.",
    sections: [
      {
        heading: "Covered",
        bullets: [
          "Courses and certificates (forklift, CPC, accounting qualifications)",
          "Books and online learning subscriptions",
          "Conference tickets when you share what you learned afterwards",
        ],
      },
      {
        heading: "Sharing",
        text: "After a course, write a short article in Knowhow or run a 20-minute session for your team. It is how one person's course becomes the team's knowledge.",
      },
    ],
  },
  {
    space: "people",
    title: "Hybrid working guidelines",
    tags: ["hybrid", "policy", "remote"],
    intro: "Office roles can work from home up to two days a week. Warehouse and fleet roles are on site by nature.",
    sections: [
      {
        heading: "Guidelines",
        bullets: [
          "Teams agree one common office day a week.",
          "Keep your calendar and chat status up to date so colleagues can reach you.",
          "Working from abroad needs HR approval in advance (tax and insurance).",
        ],
      },
    ],
    draft: true,
  },
];
