/** Questions colleagues asked each other in the demo organisation, with their answers. */
export type DemoQuestionSpec = {
  title: string;
  body: string;
  tags: string[];
  askerDept: string;
  daysAgo: number;
  answers: { dept: string; body: string; accepted?: boolean; score?: number; afterHours: number }[];
};

export const DEMO_QUESTIONS: DemoQuestionSpec[] = [
  {
    title: "Handheld stuck on the WMS login screen after the firmware update",
    body: "Since this morning's update two handhelds at goods-in stay on the login screen; the password is accepted but nothing happens. Restarting did not help. Is there a known fix?",
    tags: ["scanners", "wms"],
    askerDept: "ops",
    daysAgo: 12,
    answers: [
      {
        dept: "eng",
        body: "Yes: the update resets the WMS server address. Open *Settings → WMS profile*, choose **Rotterdam-prod** again and restart. If the profile list is empty, bring the handheld to the IT box and take a spare.",
        accepted: true,
        score: 4,
        afterHours: 1,
      },
      {
        dept: "ops",
        body: "We had the same on Tuesday; re-selecting the profile fixed it for us too.",
        score: 1,
        afterHours: 3,
      },
    ],
  },
  {
    title: "Which carrier can take a tail-lift delivery to Utrecht this afternoon?",
    body: "Customer needs two pallets delivered before 17:00, no forklift on site. Our own tail-lift rigid is out. Who do we usually call?",
    tags: ["carriers", "same-day"],
    askerDept: "cs",
    daysAgo: 9,
    answers: [
      {
        dept: "fleet",
        body: "Call the regional pallet partner first; they keep a tail-lift van for same-day until 13:00. Book it in the TMS afterwards so the customer sees tracking.",
        accepted: true,
        score: 3,
        afterHours: 0.5,
      },
    ],
  },
  {
    title: "How do I accrue agency hours when the invoice arrives after month-end?",
    body: "The agency invoice for October comes mid-November. What figure do I use for the accrual?",
    tags: ["month-end", "accruals"],
    askerDept: "ops",
    daysAgo: 30,
    answers: [
      {
        dept: "fin",
        body: "Use the weekly timesheet export, hours × the contract rate, and let the accrual reverse on day 1. The checklist article has the exact report names.",
        accepted: true,
        score: 2,
        afterHours: 5,
      },
    ],
  },
  {
    title: "Can a driver on a reduced daily rest start at 05:00 after finishing at 21:00?",
    body: "Planning a two-day route and want to check before I release it.",
    tags: ["drivers-hours", "compliance"],
    askerDept: "fleet",
    daysAgo: 20,
    answers: [
      {
        dept: "fleet",
        body: "21:00 to 05:00 is 8 hours: below the 9-hour reduced daily rest. Start at 06:00 at the earliest, and only if they have not used their three reduced rests this week.",
        accepted: true,
        score: 5,
        afterHours: 0.3,
      },
    ],
  },
  {
    title: "Customer asks for proof of delivery for last month's orders in one file",
    body: "Is there a way to export PODs in bulk rather than one by one from the portal?",
    tags: ["portal", "pod"],
    askerDept: "cs",
    daysAgo: 15,
    answers: [
      {
        dept: "eng",
        body: "Yes, the portal admin has *Reports → POD export* with a date range; it produces a zip of PDFs. Limit it to one month per export.",
        accepted: true,
        score: 2,
        afterHours: 2,
      },
      {
        dept: "cs",
        body: "Tip: check the customer reference column first; some carriers leave it empty and the export then names files by our order number.",
        score: 1,
        afterHours: 4,
      },
    ],
  },
  {
    title: "Label printer skips every other label at packing station 4",
    body: "Calibrated once already, still skipping. Media is the usual 100×150.",
    tags: ["printers", "packing"],
    askerDept: "ops",
    daysAgo: 6,
    answers: [
      {
        dept: "eng",
        body: "Check the media sensor position: after a roll change it is often moved to the edge. Centre it, then calibrate again (hold feed until two flashes).",
        accepted: true,
        score: 3,
        afterHours: 1,
      },
    ],
  },
  {
    title: "What margin do we quote for a seasonal toy retailer?",
    body: "Volumes triple from October to December, otherwise small. Two-year contract on the table.",
    tags: ["pricing", "quotes"],
    askerDept: "sales",
    daysAgo: 40,
    answers: [
      {
        dept: "sales",
        body: "Seasonal profile: 16 % target, and price the peak storage separately with a minimum commitment, otherwise the empty racks in spring eat the margin.",
        accepted: true,
        score: 2,
        afterHours: 6,
      },
    ],
  },
  {
    title: "Who signs off training for new reach truck drivers?",
    body: "We have two agency staff starting next week who hold certificates from another company.",
    tags: ["forklift", "training", "safety"],
    askerDept: "people",
    daysAgo: 25,
    answers: [
      {
        dept: "ops",
        body: "Their certificates are not enough on our site: the forklift trainer does a site assessment (half a day) and signs them off in the training record. Book it through the safety coordinator.",
        accepted: true,
        score: 3,
        afterHours: 2,
      },
    ],
  },
  {
    title: "VPN drops every 10 minutes when working from home",
    body: "Started after I changed my home router. Everything else works.",
    tags: ["vpn", "it-support"],
    askerDept: "fin",
    daysAgo: 4,
    answers: [],
  },
  {
    title: "Do we still need the paper fallback drill now that certificates are monitored?",
    body: "The monitoring should prevent a repeat of the March outage. Is the quarterly drill still worth an early shift?",
    tags: ["wms", "incident-review", "lessons-learned"],
    askerDept: "ops",
    daysAgo: 18,
    answers: [
      {
        dept: "eng",
        body: "Yes. Certificates were one cause; network, power and vendor outages remain. The drill takes 20 minutes and last time it cut our recovery from an hour to ten minutes.",
        accepted: true,
        score: 4,
        afterHours: 8,
      },
    ],
  },
];
