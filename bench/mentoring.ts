/**
 * `npm run bench -- mentoring [--mentees 2000] [--mentors 500] [--seed 1]`
 *
 * A mentor programme of a generated organisation (departments with their own topics, reporting lines,
 * four time zones; mentors with evidence on 3–10 topics and 1–5 seats, mentees with 1–3 goals and, for
 * some, ranked preferences among their suggested mentors). In the same run: the optimal matcher
 * (src/domain/mentoring/matching.ts) against the greedy baseline (best pair first), under two rule
 * sets: another department weighted 0.5 with any time zone, and the same within 3 hours. Prints the
 * time to build the quality matrix and to match, mentees matched, total quality (and the ratio to
 * greedy), the mean quality of a match and the share of cross-department matches.
 */
import { mulberry32 } from "../src/domain/random";
import { greedyMatch, matchMentors, type Matching } from "../src/domain/mentoring/matching";
import {
  qualityMatrix,
  type MenteeProfile,
  type MentorProfile,
  type ProgrammeRules,
} from "../src/domain/mentoring/quality";

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

const DEPARTMENTS = [
  "Warehouse",
  "Transport",
  "Customer Service",
  "Finance",
  "IT",
  "Procurement",
  "Quality",
  "HR",
  "Sales",
  "Maintenance",
  "Planning",
  "Safety",
];
const OFFSETS = [0, 60, 120, -300]; // sites in London, Berlin, Helsinki, New York (winter)

function organisation(menteeCount: number, mentorCount: number, seed: number) {
  const rand = mulberry32(seed);
  const topics = Array.from({ length: 90 }, (_, i) => `topic-${i}`);
  // Each department works mostly on its own 12 topics (overlapping with its neighbours').
  const departmentTopics = DEPARTMENTS.map((_, d) => topics.slice((d * 7) % 80, ((d * 7) % 80) + 12));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const site = DEPARTMENTS.map(() => pick(OFFSETS));
  // Reporting lines: a head per department, then team leads, then everyone else.
  const heads = DEPARTMENTS.map((_, d) => `head-${d}`);
  const leads = DEPARTMENTS.map((_, d) => Array.from({ length: 6 }, (_, k) => `lead-${d}-${k}`));
  const managersOf = (d: number) => {
    const lead = pick(leads[d]);
    return [lead, heads[d]];
  };

  const mentors: MentorProfile[] = [];
  for (let j = 0; j < mentorCount; j++) {
    const d = Math.floor(rand() * DEPARTMENTS.length);
    // Some mentors are the heads and team leads themselves.
    const id = j < DEPARTMENTS.length ? heads[j] : j < DEPARTMENTS.length * 7 ? leads[j % 12][j % 6] : `mentor-${j}`;
    const dep = j < DEPARTMENTS.length * 7 ? j % 12 : d;
    const evidence = new Map<string, number>();
    const count = 3 + Math.floor(rand() * 8);
    for (let k = 0; k < count; k++) {
      const topic = rand() < 0.7 ? pick(departmentTopics[dep]) : pick(topics);
      evidence.set(topic, Math.max(evidence.get(topic) ?? 0, Math.round((0.2 + 0.8 * rand() ** 1.5) * 100) / 100));
    }
    mentors.push({
      id,
      department: DEPARTMENTS[dep],
      utcOffset: site[dep],
      evidence,
      offers: [...evidence].filter(([, s]) => s >= 0.5).map(([t]) => t),
      managers: id.startsWith("head") ? [] : id.startsWith("lead") ? [heads[dep]] : managersOf(dep),
    });
  }
  const capacities = mentors.map(() => 1 + Math.floor(rand() * 5));

  const mentees: MenteeProfile[] = [];
  for (let i = 0; i < menteeCount; i++) {
    const d = Math.floor(rand() * DEPARTMENTS.length);
    const goals = new Set<string>();
    const count = 1 + Math.floor(rand() * 3);
    while (goals.size < count) goals.add(rand() < 0.6 ? pick(departmentTopics[d]) : pick(topics));
    mentees.push({
      id: `mentee-${i}`,
      department: DEPARTMENTS[d],
      utcOffset: site[d],
      goals: [...goals],
      preferences: [],
      managers: managersOf(d),
    });
  }
  // 40 % rank three of the ten mentors with the most evidence on their goals.
  for (const e of mentees) {
    if (rand() >= 0.4) continue;
    const top = mentors
      .map((m) => ({ id: m.id, s: e.goals.reduce((s, g) => s + (m.evidence.get(g) ?? 0), 0) }))
      .sort((a, b) => b.s - a.s)
      .slice(0, 10);
    const chosen = new Set<string>();
    while (chosen.size < 3) chosen.add(pick(top).id);
    e.preferences = [...chosen];
  }
  return { mentors, mentees, capacities };
}

function describe(result: Matching, mentees: MenteeProfile[], mentors: MentorProfile[]) {
  let cross = 0;
  result.mentorOf.forEach((j, i) => {
    if (j !== null && mentees[i].department !== mentors[j].department) cross++;
  });
  return {
    matched: result.matched,
    total: result.total,
    mean: result.matched ? result.total / result.matched : 0,
    cross: result.matched ? cross / result.matched : 0,
  };
}

export async function run(args: string[]): Promise<number> {
  const menteeCount = arg(args, "mentees", 2000);
  const mentorCount = arg(args, "mentors", 500);
  const seed = arg(args, "seed", 1);
  const org = organisation(menteeCount, mentorCount, seed);
  const seats = org.capacities.reduce((s, c) => s + c, 0);
  console.log(
    `mentoring: ${menteeCount} mentees × ${mentorCount} mentors (${seats} seats, capacity 1–5), seed ${seed}`,
  );
  const scenarios: [string, ProgrammeRules][] = [
    ["another department 0.5, any time zone", { crossDepartmentWeight: 0.5, maxTimeZoneHours: null }],
    ["another department 0.5, within 3 hours", { crossDepartmentWeight: 0.5, maxTimeZoneHours: 3 }],
  ];
  let failed = 0;
  for (const [name, rules] of scenarios) {
    let t = performance.now();
    const quality = qualityMatrix(org.mentees, org.mentors, rules);
    const buildMs = performance.now() - t;
    const problem = { mentees: menteeCount, capacities: org.capacities, quality };
    t = performance.now();
    const optimal = matchMentors(problem);
    const matchMs = performance.now() - t;
    t = performance.now();
    const greedy = greedyMatch(problem);
    const greedyMs = performance.now() - t;
    const o = describe(optimal, org.mentees, org.mentors);
    const g = describe(greedy, org.mentees, org.mentors);
    console.log(`\n${name}`);
    console.log(`  quality matrix        ${buildMs.toFixed(0)} ms`);
    console.log(
      `  optimal               ${matchMs.toFixed(0)} ms (${optimal.rounds} pricing round${optimal.rounds > 1 ? "s" : ""}, ${optimal.pairsConsidered} of ${menteeCount * mentorCount} pairs in the graph)`,
    );
    console.log(`  greedy                ${greedyMs.toFixed(0)} ms`);
    console.log(`                        matched   total quality   mean quality   cross-department`);
    console.log(
      `  optimal               ${String(o.matched).padStart(7)}   ${o.total.toFixed(2).padStart(13)}   ${o.mean.toFixed(3).padStart(12)}   ${(o.cross * 100).toFixed(1).padStart(15)} %`,
    );
    console.log(
      `  greedy                ${String(g.matched).padStart(7)}   ${g.total.toFixed(2).padStart(13)}   ${g.mean.toFixed(3).padStart(12)}   ${(g.cross * 100).toFixed(1).padStart(15)} %`,
    );
    console.log(
      `  optimal / greedy      matched ×${(o.matched / Math.max(1, g.matched)).toFixed(3)}, total quality ×${(o.total / Math.max(1e-9, g.total)).toFixed(3)}`,
    );
    console.log(`  time to match         ${matchMs < 2000 ? "under" : "OVER"} the 2 s target`);
    if (o.matched < g.matched || (o.matched === g.matched && o.total < g.total - 1e-6)) {
      console.log("  ERROR: the optimal matcher did worse than greedy");
      failed++;
    }
  }
  return failed ? 1 : 0;
}
