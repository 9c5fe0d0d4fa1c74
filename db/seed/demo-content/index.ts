import { CUSTOMER_SERVICE, ENGINEERING } from "./service";
import { FINANCE, PEOPLE, SALES } from "./business";
import { FLEET, OPERATIONS } from "./operations";
import type { GuideSpec } from "./types";

export type { GuideSpec } from "./types";

const HANDBOOK: GuideSpec[] = [
  {
    space: "handbook",
    title: "How we use Knowhow",
    tags: ["knowhow", "knowledge-sharing", "onboarding"],
    intro: "Knowhow is where Northwind keeps what it knows and finds who knows it. These are our house rules.",
    sections: [
      {
        heading: "Before you ask",
        text: "Search first: type the problem in your own words. If an article or an answered question fits, you are done in a minute.",
      },
      {
        heading: "When you write",
        bullets: [
          "One topic per article, with a title someone would search for.",
          "Steps as numbered lists; decisions with their reasons.",
          "Add tags people would use, not internal codes.",
          "Name an owner; out-of-date knowledge is worse than none.",
        ],
      },
      {
        heading: "When something is wrong",
        text: "Fix it if you can, or challenge it so the owner updates it. Nobody is blamed for an old page.",
      },
    ],
  },
  {
    space: "handbook",
    title: "Who to call: site contacts",
    tags: ["contacts", "sites"],
    intro: "The main numbers for each site. Personal numbers are in the people directory.",
    sections: [
      {
        heading: "Sites",
        table: [
          ["Site", "Reception", "Shift office", "Emergency"],
          ["Rotterdam", "+31 10 555 0100", "+31 10 555 0140", "+31 10 555 0199"],
          ["Hamburg", "+49 40 555 0200", "+49 40 555 0240", "+49 40 555 0299"],
          ["Manchester", "+44 161 555 0300", "+44 161 555 0340", "+44 161 555 0399"],
        ],
      },
      {
        heading: "Out of hours",
        text: "The shift office is staffed 05:00–23:00 on weekdays. At other times call the site emergency number; it reaches the manager on duty.",
      },
    ],
  },
  {
    space: "handbook",
    title: "Code of conduct",
    tags: ["policy", "conduct"],
    intro:
      "We treat customers, colleagues, drivers and suppliers with respect, and we speak up when something is wrong.",
    sections: [
      {
        heading: "In practice",
        bullets: [
          "No gifts above €50 from suppliers or customers; declare anything you receive.",
          "Safety beats speed, always. Anyone may stop work they think is unsafe.",
          "Report bullying, harassment or fraud to your manager, People & Culture or the confidential line.",
          "Customer data stays in our systems; never forward it to private accounts.",
        ],
      },
    ],
  },
  {
    space: "handbook",
    title: "Reporting a near miss",
    tags: ["safety", "near-miss", "lessons-learned"],
    intro:
      "A near miss is an accident that did not happen this time. Reporting it is how we stop the next one; reports are blameless.",
    sections: [
      {
        heading: "How",
        steps: [
          "Make the area safe if you can.",
          "Scan the QR code on any safety board or open the safety app.",
          "Describe what happened and what could have happened; add a photo.",
          "The safety coordinator replies within two working days with what will change.",
        ],
      },
      {
        heading: "Examples",
        bullets: [
          "A pallet overhanging the racking beam",
          "A pedestrian walking in a truck lane",
          "A trailer moving while being loaded",
        ],
      },
    ],
    update: [
      {
        note: "Monthly near-miss review added",
        add: "Every month the site safety coordinators review all near misses together and publish the three most useful lessons here.",
      },
    ],
  },
  {
    space: "handbook",
    title: "Glossary of logistics terms",
    tags: ["glossary", "onboarding"],
    intro: "The terms new colleagues hear in their first week, explained.",
    sections: [
      {
        heading: "Terms",
        table: [
          ["Term", "Meaning"],
          ["ASN", "Advance shipping notice: what a supplier says is coming"],
          ["WMS", "Warehouse management system"],
          ["TMS", "Transport management system"],
          ["Cut-off", "Latest time an order can be picked for today's collection"],
          ["Cross-dock", "Goods moved from inbound to outbound without storage"],
          ["SLA", "Service level agreement with a customer"],
          ["POD", "Proof of delivery"],
        ],
      },
    ],
  },
];

const PRIVATE: GuideSpec[] = [
  {
    space: "leadership",
    title: "Plan: consolidating the Hamburg sites",
    tags: ["strategy", "hamburg", "confidential"],
    intro:
      "Confidential until announced. We plan to move the two Hamburg warehouses into one new building in Q3 next year.",
    sections: [
      {
        heading: "Why",
        bullets: [
          "Both leases end within eight months of each other.",
          "One site saves about €1.1m a year in rent and shuttling.",
          "The new building allows automation of small-parts picking.",
        ],
      },
      {
        heading: "Open questions",
        bullets: [
          "Staff travel times: 14 people would travel more than 20 minutes longer.",
          "Customer communication and the move-weekend plan.",
        ],
      },
    ],
  },
  {
    space: "leadership",
    title: "Salary review guidelines for managers",
    tags: ["pay", "confidential", "management"],
    intro:
      "Confidential. This year's salary review budget is 4.2 % of payroll, distributed by performance and position in the pay band.",
    sections: [
      {
        heading: "Matrix",
        table: [
          ["Performance", "Below band midpoint", "Above midpoint"],
          ["Exceeds", "6–7 %", "4–5 %"],
          ["Meets", "4–5 %", "2–3 %"],
          ["Below", "0–1 %", "0 %"],
        ],
      },
    ],
  },
  {
    space: "hr-casework",
    title: "Handling a grievance",
    tags: ["grievance", "procedure", "confidential"],
    intro:
      "Confidential to People & Culture. A formal grievance must be acknowledged within two working days and heard within ten.",
    sections: [
      {
        heading: "Steps",
        steps: [
          "Acknowledge in writing and offer a meeting.",
          "Appoint a hearing manager who is not involved.",
          "Hold the meeting; the employee may bring a colleague or union representative.",
          "Decide and write to the employee with the right to appeal within five days.",
        ],
      },
    ],
  },
  {
    space: "hr-casework",
    title: "Long-term sickness: keeping in touch",
    tags: ["sickness", "procedure", "confidential"],
    intro:
      "Confidential to People & Culture. Absence over four weeks counts as long-term; the aim is a safe, supported return.",
    sections: [
      {
        heading: "Steps",
        steps: [
          "Agree with the employee how and how often we keep in touch.",
          "Refer to occupational health after four weeks.",
          "Plan a phased return with the manager and occupational health.",
          "Review adjustments after the first month back.",
        ],
      },
    ],
  },
];

/** Every guide of the demo organisation, in a fixed order. */
export const DEMO_GUIDES: GuideSpec[] = [
  ...HANDBOOK,
  ...OPERATIONS,
  ...FLEET,
  ...CUSTOMER_SERVICE,
  ...ENGINEERING,
  ...SALES,
  ...FINANCE,
  ...PEOPLE,
  ...PRIVATE,
];
