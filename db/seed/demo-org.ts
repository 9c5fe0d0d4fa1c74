import { DEMO_GUIDES, type GuideSpec } from "./demo-content";
import { DEMO_QUESTIONS } from "./demo-content/questions";
import { mulberry32 } from "../../src/domain/random";

export type DemoPerson = {
  key: string;
  name: string;
  email: string;
  title: string;
  department: string;
  managerKey: string | null;
  location: string;
  timeZone: string;
  bio: string;
  role: "admin" | "member" | "guest";
  joinedDaysAgo: number;
};
export type DemoSpace = {
  key: string;
  name: string;
  description: string;
  visibility: "public" | "private";
  ownerKey: string;
  members: { personKey: string; role: "owner" | "editor" | "viewer" }[];
};
export type DemoRevision = { authorKey: string; daysAgo: number; body: string; title?: string; note: string };
export type DemoArticle = {
  spaceKey: string;
  title: string;
  body: string;
  tags: string[];
  status: "draft" | "published";
  ownerKey: string;
  createdDaysAgo: number;
  revisions: DemoRevision[];
  /** The page it sits under in its space's page tree (a title in the same space); none: the top level. */
  parentTitle?: string;
};
export type DemoQuestion = {
  title: string;
  body: string;
  tags: string[];
  askerKey: string;
  daysAgo: number;
  answers: { authorKey: string; body: string; accepted: boolean; score: number; afterHours: number }[];
};
export type DemoOrg = {
  organisation: string;
  /** Questions colleagues asked each other, with answers (asked to the whole organisation). */
  questions: DemoQuestion[];
  /** A who-helps-whom network among the people (keys), for the network map. */
  network: { name: string; edges: { sourceKey: string; targetKey: string; weight: number }[] };
  adminEmail: string;
  password: string;
  people: DemoPerson[];
  spaces: DemoSpace[];
  articles: DemoArticle[];
};

const DOMAIN = "northwind-demo.test";

/**
 * The page tree of Warehouse Operations (child title → parent title), three levels deep, so the
 * space shows a real tree on first start; the other spaces stay flat lists.
 */
const DEMO_TREE: Record<string, string> = {
  "Hazardous goods: receiving lithium batteries": "Handling a damaged pallet at goods-in",
  "Short picks: what to do when a location is empty": "Packing station standard",
  "Cycle counting: the weekly routine": "Short picks: what to do when a location is empty",
  "Returns grading: A, B, C and scrap": "Packing station standard",
  "Reach truck pre-use inspection": "Peak season staffing plan",
};

type Dept = { key: string; name: string; head: string; teams: { lead: string; staff: string[] }[] };

/** Departments with their job titles: head, then team leads with their staff titles. */
const DEPARTMENTS: Dept[] = [
  {
    key: "ops",
    name: "Warehouse Operations",
    head: "Head of Warehouse Operations",
    teams: [
      {
        lead: "Goods-in Team Lead",
        staff: ["Goods-in Operative", "Goods-in Operative", "Inventory Controller", "Quality Inspector"],
      },
      { lead: "Picking & Packing Team Lead", staff: ["Picker", "Picker", "Packer", "Returns Specialist"] },
      { lead: "Site Safety Coordinator", staff: ["Forklift Trainer", "Maintenance Technician"] },
    ],
  },
  {
    key: "fleet",
    name: "Fleet & Transport",
    head: "Head of Transport",
    teams: [
      { lead: "Transport Planner Lead", staff: ["Transport Planner", "Transport Planner", "Carrier Manager"] },
      { lead: "Fleet Maintenance Lead", staff: ["Fleet Technician", "Driver Trainer", "Compliance Officer"] },
    ],
  },
  {
    key: "cs",
    name: "Customer Service",
    head: "Head of Customer Service",
    teams: [
      {
        lead: "Customer Service Team Lead",
        staff: ["Customer Service Agent", "Customer Service Agent", "Customer Service Agent", "Claims Handler"],
      },
      { lead: "Key Account Support Lead", staff: ["Account Support Specialist", "Account Support Specialist"] },
    ],
  },
  {
    key: "eng",
    name: "Engineering & IT",
    head: "Head of Engineering",
    teams: [
      {
        lead: "Platform Engineering Lead",
        staff: ["Software Engineer", "Software Engineer", "Site Reliability Engineer", "Data Engineer"],
      },
      {
        lead: "IT Service Desk Lead",
        staff: ["IT Support Technician", "IT Support Technician", "Network Administrator"],
      },
    ],
  },
  {
    key: "sales",
    name: "Sales",
    head: "Head of Sales",
    teams: [
      {
        lead: "Sales Team Lead",
        staff: ["Account Executive", "Account Executive", "Account Executive", "Solutions Consultant", "Bid Manager"],
      },
    ],
  },
  {
    key: "fin",
    name: "Finance",
    head: "Finance Director",
    teams: [
      {
        lead: "Financial Controller",
        staff: ["Accountant", "Accounts Payable Specialist", "Accounts Receivable Specialist", "Billing Analyst"],
      },
    ],
  },
  {
    key: "people",
    name: "People & Culture",
    head: "Head of People & Culture",
    teams: [
      {
        lead: "HR Business Partner",
        staff: ["HR Advisor", "Learning & Development Specialist", "Recruiter", "Payroll Specialist"],
      },
    ],
  },
];

const SITES = [
  { location: "Rotterdam, NL", timeZone: "Europe/Amsterdam" },
  { location: "Hamburg, DE", timeZone: "Europe/Berlin" },
  { location: "Manchester, UK", timeZone: "Europe/London" },
  { location: "Chicago, US", timeZone: "America/Chicago" },
  { location: "Warsaw, PL", timeZone: "Europe/Warsaw" },
  { location: "Singapore, SG", timeZone: "Asia/Singapore" },
];

const FIRST = [
  "Ana",
  "Bilal",
  "Chen",
  "Dagny",
  "Emeka",
  "Fatima",
  "Gustavo",
  "Hana",
  "Ibrahim",
  "Jana",
  "Kwame",
  "Lucía",
  "Mateo",
  "Nadia",
  "Oskar",
  "Priya",
  "Quentin",
  "Rosa",
  "Sven",
  "Tamar",
  "Umar",
  "Valentina",
  "Wei",
  "Ximena",
  "Yusuf",
  "Zofia",
  "Aiko",
  "Bram",
  "Carmen",
  "Dmitri",
  "Elif",
  "Farid",
  "Greta",
  "Hiroshi",
  "Ines",
  "Jonas",
  "Kateryna",
  "Lars",
  "Maya",
  "Niamh",
  "Olu",
  "Paula",
  "Rahul",
  "Sofia",
  "Tomasz",
  "Uma",
  "Viktor",
  "Wanjiru",
  "Yara",
  "Zain",
  "Anouk",
  "Björn",
  "Chiara",
  "Daniel",
  "Esther",
  "Finn",
  "Grace",
  "Hugo",
  "Isla",
  "Jakub",
  "Keiko",
  "Leon",
  "Mariam",
  "Noah",
  "Orla",
  "Pedro",
  "Ruth",
  "Samir",
  "Thandiwe",
  "Ugo",
  "Vera",
  "Wouter",
  "Xavier",
  "Yasmin",
];
const LAST = [
  "Okafor",
  "Jansen",
  "Novak",
  "Haddad",
  "Schmidt",
  "Tanaka",
  "Kowalski",
  "Murphy",
  "Singh",
  "Rossi",
  "Andersen",
  "Mensah",
  "Costa",
  "Nguyen",
  "Byrne",
  "Fischer",
  "Ibrahim",
  "Lindqvist",
  "Moreau",
  "Petrov",
  "de Vries",
  "Yilmaz",
  "Kaur",
  "Hernández",
  "Osei",
  "Bakker",
  "Nakamura",
  "O'Brien",
  "Zielińska",
  "Varga",
  "Dubois",
  "Adeyemi",
  "Sato",
  "Kovač",
  "Lopez",
  "Meijer",
  "Chowdhury",
  "Weber",
  "Eriksen",
  "Kim",
  "Silva",
  "Mwangi",
  "Horvat",
  "Brennan",
  "Hoffmann",
  "Rahman",
  "Visser",
  "Lund",
  "Ferreira",
  "Park",
  "Wójcik",
  "Castillo",
  "Achebe",
  "Nieminen",
  "Gallagher",
  "Demir",
  "Ortiz",
  "Smit",
];

const BIO_BITS: Record<string, string[]> = {
  ops: [
    "ran a cross-dock in Antwerp before joining",
    "knows the WMS screens better than most",
    "trains new starters on the reach trucks",
    "keeps the goods-in board honest",
  ],
  fleet: [
    "planned night trunking for six years",
    "holds the CPC transport manager certificate",
    "can read a tachograph printout at a glance",
    "looks after our carrier scorecards",
  ],
  cs: [
    "handles the trickiest delivery claims",
    "wrote most of our reply templates",
    "speaks four languages with customers",
    "turns complaints into process fixes",
  ],
  eng: [
    "on call for the WMS integration",
    "maintains the scanner fleet configuration",
    "built the carrier rate API",
    "likes boring, well-monitored systems",
  ],
  sales: [
    "looks after our retail accounts",
    "writes the bids for public tenders",
    "knows every customer's SLA by heart",
    "came from a freight forwarder",
  ],
  fin: [
    "owns the month-end close calendar",
    "untangles carrier invoices",
    "runs the credit checks for new customers",
    "built our cost-to-serve model",
  ],
  people: [
    "runs onboarding for every new starter",
    "leads the mentoring programme",
    "keeps the learning catalogue current",
    "supports managers through change",
  ],
};

/** The whole demo organisation; identical on every call. */
export function buildDemoOrg(): DemoOrg {
  const rand = mulberry32(20261123);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const usedNames = new Set<string>();
  const people: DemoPerson[] = [];
  let firstIndex = 0;

  const newPerson = (
    title: string,
    dept: Dept,
    managerKey: string | null,
    opts: Partial<DemoPerson> = {},
  ): DemoPerson => {
    let name = "";
    do {
      name = `${FIRST[firstIndex % FIRST.length]} ${pick(LAST)}`;
      firstIndex++;
    } while (usedNames.has(name));
    usedNames.add(name);
    const site =
      dept.key === "eng" && rand() < 0.3
        ? SITES[4]
        : dept.key === "sales" && rand() < 0.4
          ? SITES[3]
          : pick(SITES.slice(0, 4));
    const emailLocal = name
      .normalize("NFKD")
      .replace(/\p{M}+/gu, "")
      .toLowerCase()
      .replace(/[^a-z ]/g, "")
      .trim()
      .replace(/\s+/g, ".");
    const p: DemoPerson = {
      key: `p${people.length + 1}`,
      name,
      email: `${emailLocal}@${DOMAIN}`,
      title,
      department: dept.name,
      managerKey,
      location: site.location,
      timeZone: site.timeZone,
      bio: `${title} in ${dept.name}; ${pick(BIO_BITS[dept.key])}.`,
      role: "member",
      joinedDaysAgo: 30 + Math.floor(rand() * 2200),
      ...opts,
    };
    people.push(p);
    return p;
  };

  const exec: Dept = { key: "people", name: "Executive", head: "", teams: [] };
  const ceo = newPerson("Chief Executive Officer", exec, null, {
    location: SITES[0].location,
    timeZone: SITES[0].timeZone,
    bio: "Founded Northwind's first cross-dock in Rotterdam; now looks after strategy and the big customers.",
    joinedDaysAgo: 3200,
  });
  const heads = new Map<string, DemoPerson>();
  const leads = new Map<string, DemoPerson[]>();
  const members = new Map<string, DemoPerson[]>();
  for (const dept of DEPARTMENTS) {
    const head = newPerson(dept.head, dept, ceo.key, { joinedDaysAgo: 1200 + Math.floor(rand() * 1500) });
    heads.set(dept.key, head);
    const all = [head];
    const deptLeads: DemoPerson[] = [];
    for (const team of dept.teams) {
      const lead = newPerson(team.lead, dept, head.key);
      deptLeads.push(lead);
      all.push(lead);
      for (const title of team.staff) all.push(newPerson(title, dept, lead.key));
    }
    leads.set(dept.key, deptLeads);
    members.set(dept.key, all);
  }
  // The knowledge manager is the demo admin.
  const peopleDept = DEPARTMENTS.find((d) => d.key === "people")!;
  const admin = newPerson("Knowledge Manager", peopleDept, heads.get("people")!.key, {
    role: "admin",
    email: `admin@${DOMAIN}`,
    bio: "Knowledge Manager: keeps Knowhow tidy, runs the communities of practice and the monthly lessons-learned review.",
    joinedDaysAgo: 900,
  });
  members.get("people")!.push(admin);
  // Two contractors with read-only guest accounts.
  const opsDept = DEPARTMENTS[0];
  const guest1 = newPerson("Contract Auditor (guest)", opsDept, null, {
    role: "guest",
    bio: "External ISO 9001 auditor with read-only access.",
    joinedDaysAgo: 40,
  });
  const engDept = DEPARTMENTS.find((d) => d.key === "eng")!;
  const guest2 = newPerson("Integration Contractor (guest)", engDept, null, {
    role: "guest",
    bio: "Contractor helping with the carrier API migration.",
    joinedDaysAgo: 25,
  });
  void guest1;
  void guest2;

  const spaces: DemoSpace[] = DEPARTMENTS.map((d) => ({
    key: d.key,
    name: d.name,
    description: SPACE_DESCRIPTIONS[d.key],
    visibility: "public" as const,
    ownerKey: heads.get(d.key)!.key,
    members: [
      ...leads.get(d.key)!.map((p) => ({ personKey: p.key, role: "editor" as const })),
      { personKey: admin.key, role: "owner" as const },
    ],
  }));
  spaces.push({
    key: "handbook",
    name: "Company Handbook",
    description: "How Northwind works: onboarding, policies, tools and who to ask.",
    visibility: "public",
    ownerKey: admin.key,
    members: [...heads.values()].map((h) => ({ personKey: h.key, role: "editor" as const })),
  });
  spaces.push({
    key: "leadership",
    name: "Leadership",
    description: "Private to the leadership team: plans, budgets and decisions before they are announced.",
    visibility: "private",
    ownerKey: ceo.key,
    members: [...heads.values()].map((h) => ({ personKey: h.key, role: "editor" as const })),
  });
  spaces.push({
    key: "hr-casework",
    name: "HR Casework",
    description: "Private to People & Culture: casework procedures. Never share outside the team.",
    visibility: "private",
    ownerKey: heads.get("people")!.key,
    members: members.get("people")!.map((p) => ({ personKey: p.key, role: "editor" as const })),
  });

  const authorsFor = (spaceKey: string): DemoPerson[] => {
    if (spaceKey === "handbook") return [admin, ...heads.values()];
    if (spaceKey === "leadership") return [ceo, ...heads.values()];
    if (spaceKey === "hr-casework") return members.get("people")!;
    return members.get(spaceKey)!.filter((p) => p.role !== "guest");
  };

  const articles: DemoArticle[] = DEMO_GUIDES.map((g: GuideSpec, i: number) => {
    const parentTitle = DEMO_TREE[g.title];
    const authors = authorsFor(g.space);
    const owner = authors[(i * 7 + 3) % authors.length];
    const createdDaysAgo = 20 + Math.floor(rand() * 600);
    const body = renderGuide(g);
    const revisions: DemoRevision[] = [];
    if (g.update) {
      let days = createdDaysAgo;
      let current = body;
      for (const [n, u] of g.update.entries()) {
        days = Math.max(1, Math.floor(days * (0.3 + rand() * 0.4)));
        const editor = authors[(i * 3 + n + 1) % authors.length];
        current = applyUpdate(current, u.replace, u.with, u.add);
        revisions.push({ authorKey: editor.key, daysAgo: days, body: current, note: u.note });
      }
    }
    return {
      spaceKey: g.space,
      title: g.title,
      body,
      tags: g.tags,
      status: g.draft ? "draft" : "published",
      ownerKey: owner.key,
      createdDaysAgo,
      revisions,
      ...(parentTitle ? { parentTitle } : {}),
    };
  });

  // Who helped whom in the last six months: mostly inside teams, team leads as brokers,
  // Engineering & IT helping everyone, Finance rather on its own, two newcomers without ties.
  const edges = new Map<string, { sourceKey: string; targetKey: string; weight: number }>();
  const tie = (a: DemoPerson, b: DemoPerson, w: number) => {
    if (a.key === b.key) return;
    const key = `${a.key}>${b.key}`;
    const e = edges.get(key) ?? { sourceKey: a.key, targetKey: b.key, weight: 0 };
    e.weight += w;
    edges.set(key, e);
  };
  const staff = people.filter((p) => p.role !== "guest" && p.key !== ceo.key);
  const isolated = new Set(staff.slice(-4, -2).map((p) => p.key));
  const active = staff.filter((p) => !isolated.has(p.key));
  for (let i = 0; i < 420; i++) {
    const helper = active[Math.floor(rand() * active.length)];
    const dept = DEPARTMENTS.find((d) => d.name === helper.department);
    const colleagues = active.filter((p) => p.department === helper.department);
    const siloed = dept?.key === "fin";
    const crossChance =
      dept?.key === "eng"
        ? 0.55
        : siloed
          ? 0.05
          : helper.title.includes("Lead") || helper.title.startsWith("Head")
            ? 0.4
            : 0.15;
    const helped =
      rand() < crossChance
        ? active[Math.floor(rand() * active.length)]
        : colleagues[Math.floor(rand() * colleagues.length)];
    tie(helper, helped, 1 + Math.floor(rand() * 3));
  }
  const network = { name: "Demo: who helps whom (last 6 months)", edges: [...edges.values()] };

  const staffOf = (deptKey: string) => members.get(deptKey)!.filter((p) => p.role !== "guest" && p.key !== admin.key);
  const questions: DemoQuestion[] = DEMO_QUESTIONS.map((q, i) => {
    const askers = staffOf(q.askerDept);
    const asker = askers[(i * 5 + 2) % askers.length];
    return {
      title: q.title,
      body: q.body,
      tags: q.tags,
      askerKey: asker.key,
      daysAgo: q.daysAgo,
      answers: q.answers.map((a, k) => {
        const pool = staffOf(a.dept).filter((p) => p.key !== asker.key);
        return {
          authorKey: pool[(i * 3 + k * 7 + 1) % pool.length].key,
          body: a.body,
          accepted: a.accepted ?? false,
          score: a.score ?? 0,
          afterHours: a.afterHours,
        };
      }),
    };
  });

  return {
    organisation: "Northwind Logistics",
    adminEmail: admin.email,
    password: "knowhow-demo",
    people,
    spaces,
    articles,
    network,
    questions,
  };
}

const SPACE_DESCRIPTIONS: Record<string, string> = {
  ops: "Goods-in, picking, packing, returns and site safety at our three warehouses.",
  fleet: "Planning, carriers, vehicles, drivers' hours and transport compliance.",
  cs: "Customer enquiries, claims, delivery problems and reply templates.",
  eng: "The WMS, integrations, scanners, networks and the IT service desk.",
  sales: "Accounts, pricing, tenders and how we win and keep customers.",
  fin: "Month-end, invoicing, payables, credit control and budgets.",
  people: "Onboarding, learning, mentoring, leave and wellbeing.",
};

/** The Markdown of a guide: a short intro, then the sections of its kind. */
export function renderGuide(g: GuideSpec): string {
  const parts: string[] = [g.intro.trim()];
  for (const s of g.sections) {
    parts.push(`## ${s.heading}`);
    if (s.text) parts.push(s.text.trim());
    if (s.steps) parts.push(s.steps.map((x, i) => `${i + 1}. ${x}`).join("\n"));
    if (s.bullets) parts.push(s.bullets.map((x) => `- ${x}`).join("\n"));
    if (s.checklist) parts.push(s.checklist.map((x) => `- [ ] ${x}`).join("\n"));
    if (s.table)
      parts.push(
        [
          `| ${s.table[0].join(" | ")} |`,
          `| ${s.table[0].map(() => "---").join(" | ")} |`,
          ...s.table.slice(1).map((r) => `| ${r.join(" | ")} |`),
        ].join("\n"),
      );
    if (s.code) parts.push("```" + (s.code.lang ?? "") + "\n" + s.code.text.trim() + "\n```");
  }
  if (g.ask) parts.push(`## Who to ask\n${g.ask}`);
  return parts.join("\n\n") + "\n";
}

function applyUpdate(
  body: string,
  replace: string | undefined,
  by: string | undefined,
  add: string | undefined,
): string {
  let next = body;
  if (replace && by && next.includes(replace)) next = next.replace(replace, by);
  if (add) next = next.trimEnd() + "\n\n" + add.trim() + "\n";
  return next;
}
