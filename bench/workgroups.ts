/**
 * `npm run bench -- workgroups [--site ../shared/data/se-cardano] [--tasks 200] [--seed 1] [--evidence 2]`
 *
 * Forming a workgroup on a Stack Exchange site: skills are tags a person has answered at least
 * `--evidence` questions on, ties are answers between people (who-helps-whom, undirected). 200 tasks of
 * 3–6 tags (drawn by how often tags are asked about, among tags at least two people hold). In the same
 * run, for each task: Knowhow's group (src/domain/workgroups/team.ts), RarestFirst (Lappas, Liu and
 * Terzi, KDD 2009) and a random covering group (a random holder per skill); and, where one holder per
 * skill gives at most 200,000 combinations, the exact optimum by exhaustive search. Prints coverage,
 * the communication cost (sum of pairwise distances, and the diameter), their ratios and the time per task.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { mulberry32 } from "../src/domain/random";
import {
  DistanceTable,
  formTeam,
  groupCost,
  hopDistances,
  optimalTeam,
  rarestFirst,
  type Candidate,
  type Team,
  type TeamProblem,
} from "../src/domain/workgroups/team";
import { loadDump } from "./_routing-offline";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

export async function run(args: string[]): Promise<number> {
  const site = path.resolve(root, option(args, "site", "../shared/data/se-cardano"));
  const taskCount = Number(option(args, "tasks", "200"));
  const rand = mulberry32(Number(option(args, "seed", "1")));
  const minEvidence = Number(option(args, "evidence", "2"));
  const dump = await loadDump(site);

  // People, their answered-tag counts and the undirected help graph.
  const index = new Map<string, number>();
  const idOf = (u: string) => {
    let i = index.get(u);
    if (i === undefined) index.set(u, (i = index.size));
    return i;
  };
  const answeredTags = new Map<number, Map<string, number>>();
  const ties = new Set<string>();
  const asked = new Map<string, number>();
  for (const q of dump.questions.values()) for (const t of q.tags) asked.set(t, (asked.get(t) ?? 0) + 1);
  for (const a of dump.answers) {
    const q = dump.questions.get(a.parent);
    if (!q || !a.owner) continue;
    const who = idOf(a.owner);
    const tags = answeredTags.get(who) ?? new Map<string, number>();
    for (const t of q.tags) tags.set(t, (tags.get(t) ?? 0) + 1);
    answeredTags.set(who, tags);
    if (q.owner && q.owner !== a.owner) {
      const other = idOf(q.owner);
      ties.add(who < other ? `${who} ${other}` : `${other} ${who}`);
    }
  }
  const adjacency: number[][] = Array.from({ length: index.size }, () => []);
  for (const t of ties) {
    const [a, b] = t.split(" ").map(Number);
    adjacency[a].push(b);
    adjacency[b].push(a);
  }
  const holders = new Map<string, number[]>();
  const skillsOf = new Map<number, Map<string, number>>();
  for (const [who, tags] of answeredTags)
    for (const [t, n] of tags) {
      if (n < minEvidence) continue;
      holders.set(t, [...(holders.get(t) ?? []), who]);
      const s = skillsOf.get(who) ?? new Map<string, number>();
      s.set(t, Math.min(1, n / 10));
      skillsOf.set(who, s);
    }
  const tags = [...holders].filter(([, h]) => h.length >= 2).map(([t]) => t);
  const weights = tags.map((t) => asked.get(t) ?? 1);
  const sum = weights.reduce((s, w) => s + w, 0);
  const drawTagAsAsked = () => {
    let r = rand() * sum;
    for (let k = 0; k < tags.length; k++) if ((r -= weights[k]) <= 0) return tags[k];
    return tags[tags.length - 1];
  };
  console.log(
    `workgroups on ${path.basename(site)}: ${index.size} people, ${ties.size} help ties, ${tags.length} tags held by ≥ 2 people (evidence: ≥ ${minEvidence} answers on the tag)`,
  );

  const drawUniform = () => tags[Math.floor(rand() * tags.length)];
  for (const [label, draw] of [
    ["tags drawn as often as they are asked about", drawTagAsAsked],
    ["tags drawn uniformly (rarer skills)", drawUniform],
  ] as const)
    runTasks(label, draw);
  return 0;

  function runTasks(label: string, drawTag: () => string) {
    type Row = { name: string; cost: number; diameter: number; covered: number; ms: number; size: number };
    const totals = new Map<
      string,
      { cost: number; diameter: number; covered: number; ms: number; size: number; n: number }
    >();
    const add = (r: Row) => {
      const t = totals.get(r.name) ?? { cost: 0, diameter: 0, covered: 0, ms: 0, size: 0, n: 0 };
      t.cost += r.cost;
      t.diameter += r.diameter;
      t.covered += r.covered;
      t.ms += r.ms;
      t.size += r.size;
      t.n++;
      totals.set(r.name, t);
    };
    let optimumTasks = 0;
    let oursOnOptimum = 0;
    let optimum = 0;
    let worseThanRarest = 0;
    for (let task = 0; task < taskCount; task++) {
      const size = 3 + Math.floor(rand() * 4);
      const wanted = new Set<string>();
      while (wanted.size < size) wanted.add(drawTag());
      const skills = [...wanted];
      // The pool: everyone who holds one of the skills.
      const pool = [...new Set(skills.flatMap((s) => holders.get(s) ?? []))];
      const hops = pool.map((p) => hopDistances(adjacency, p));
      const people: Candidate[] = pool.map((p) => ({
        id: String(p),
        department: "",
        skills: new Map([...(skillsOf.get(p) ?? [])].filter(([t]) => wanted.has(t))),
      }));
      const problem: TeamProblem = {
        skills,
        people,
        distance: (a, b) => (hops[a][pool[b]] < 0 ? Infinity : hops[a][pool[b]]),
      };
      const table = new DistanceTable(pool.length, problem.distance);
      const time = (name: string, f: () => Team) => {
        const t0 = performance.now();
        const team = f();
        const ms = performance.now() - t0;
        add({
          name,
          cost: team.cost,
          diameter: team.diameter,
          covered: 1 - team.uncovered.length / skills.length,
          ms,
          size: team.members.length,
        });
        return team;
      };
      const ours = time("Knowhow", () => formTeam(problem, table));
      const rf = time("RarestFirst", () => rarestFirst(problem, table));
      time("random cover", () => {
        const members = [
          ...new Set(
            skills.map((s) => {
              const h = people.map((_, i) => i).filter((i) => people[i].skills.has(s));
              return h[Math.floor(rand() * h.length)];
            }),
          ),
        ];
        return { members, uncovered: [], ...groupCost(members, table) };
      });
      if (ours.cost > rf.cost + 1e-9) worseThanRarest++;
      const best = optimalTeam(problem, 200_000, table);
      if (best) {
        optimumTasks++;
        oursOnOptimum += ours.cost;
        optimum += best.cost;
      }
    }
    console.log(`\n${taskCount} tasks of 3–6 skills, ${label} (pool: everyone holding one of them)`);
    console.log("                 coverage   mean cost (sum of distances)   mean diameter   mean size   ms per task");
    const base = totals.get("RarestFirst")!;
    for (const [name, t] of totals)
      console.log(
        `  ${name.padEnd(14)} ${((t.covered / t.n) * 100).toFixed(1).padStart(7)} %   ${(t.cost / t.n).toFixed(2).padStart(10)} (×${(t.cost / base.cost).toFixed(3)} RarestFirst)   ${(t.diameter / t.n).toFixed(2).padStart(13)}   ${(t.size / t.n).toFixed(2).padStart(9)}   ${(t.ms / t.n).toFixed(1).padStart(11)}`,
      );
    console.log(`\n  Knowhow costlier than RarestFirst on ${worseThanRarest} of ${taskCount} tasks`);
    if (optimumTasks)
      console.log(
        `  exact optimum on ${optimumTasks} tasks (≤ 200,000 combinations): Knowhow's mean cost ×${(oursOnOptimum / optimum).toFixed(3)} the optimum (target ≤ ×1.100)`,
      );
    const ours = totals.get("Knowhow")!;
    const ok = ours.cost <= base.cost + 1e-9 && (optimumTasks === 0 || oursOnOptimum / optimum <= 1.1);
    console.log(
      `  target (never costlier than RarestFirst on average; within 10 % of the optimum): ${ok ? "met" : "NOT met"}`,
    );
  }
}
