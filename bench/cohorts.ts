/**
 * `npm run bench -- cohorts [--seconds 10]`
 *
 * Reshuffling a cohort's units without repeated pairings is the social golfer problem (CSPLib
 * prob010): g units of s people over w phases. For each instance, in the same run: the most phases
 * reached with zero repeated pairings within the time budget by Knowhow (src/domain/cohorts/reshuffle.ts:
 * a finite-field design start where the number of units is a prime power, then tabu search), by a
 * greedy reshuffle (each person to the unit where they met the fewest) and by a random one (the best of
 * as many random schedules as fit in the same budget, phase count from the first without a repeat);
 * where the design applies, Knowhow's search alone as well. Then the cohort rules switched on: 200
 * people in units of 5 over 6 phases, mixed departments (at least 3 per unit), someone with evidence in
 * every unit, rotating leads.
 */
import { mulberry32 } from "../src/domain/random";
import { designPhases } from "../src/domain/cohorts/design";
import { greedySchedule, randomSchedule, reshuffle, summarise } from "../src/domain/cohorts/reshuffle";

const INSTANCES: [number, number, number, string][] = [
  [5, 3, 7, "Kirkman's schoolgirls; 7 is the maximum"],
  [8, 4, 10, "10 is the proven maximum (target 9)"],
  [6, 3, 8, "8 is the maximum"],
  [10, 4, 13, "13 is the maximum"],
  [10, 3, 14, "14 is the maximum"],
];

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

/** Knowhow: one more phase at a time, while the budget lasts; the most phases with no repeat, and when. */
function reach(g: number, s: number, max: number, budget: number, construct: boolean) {
  const people = Array.from({ length: g * s }, () => ({ department: "", evidence: false }));
  const t0 = performance.now();
  let reached = 0;
  let reachedMs = 0;
  for (let w = 2; w <= max; w++) {
    const left = budget - (performance.now() - t0);
    if (left <= 0) break;
    const r = reshuffle({ people, unitSize: s, phases: w, timeLimitMs: left, seed: w, construct });
    if (r.cost !== 0) break;
    reached = w;
    reachedMs = performance.now() - t0;
  }
  return `${String(reached).padStart(2)} of ${max} (${(reachedMs / 1000).toFixed(2)} s)`;
}

export async function run(args: string[]): Promise<number> {
  const budget = arg(args, "seconds", 10) * 1000;
  console.log(`cohorts: most phases with zero repeated pairings within ${budget / 1000} s per instance`);
  console.log("  instance   Knowhow (time)            greedy   random (best of many)");
  const searchAlone: string[] = [];
  for (const [g, s, max, note] of INSTANCES) {
    const n = g * s;
    const knowhow = reach(g, s, max, budget, true);
    // Where the finite-field design gives the first phases, the search alone too (construct: false).
    const design = designPhases(g, s);
    if (design)
      searchAlone.push(
        `  ${`${g}-${s}-w`.padEnd(9)}  ${reach(g, s, max, budget, false)}   (the design alone: ${design.length})`,
      );
    const greedy = summarise(greedySchedule(n, s, max), n).cleanPhases;
    let random = 0;
    const t1 = performance.now();
    for (let k = 0; performance.now() - t1 < Math.min(budget, 2000); k++)
      random = Math.max(random, summarise(randomSchedule(n, s, max, k + 1), n).cleanPhases);
    console.log(
      `  ${`${g}-${s}-w`.padEnd(9)}  ${knowhow}`.padEnd(37) +
        `${String(greedy).padStart(6)}   ${String(random).padStart(6)}      ${note}`,
    );
  }
  console.log(`\nKnowhow's search alone (no design start), same budget:\n${searchAlone.join("\n")}`);

  // The cohort rules: 200 people, units of 5, 6 phases, 8 departments, a fifth with evidence.
  const rand = mulberry32(7);
  const departments = ["Warehouse", "Transport", "Finance", "IT", "Sales", "HR", "Quality", "Procurement"];
  const people = Array.from({ length: 200 }, (_, i) => ({
    department: departments[Math.floor(rand() ** 1.5 * departments.length)],
    evidence: i % 5 === 0,
  }));
  const r = reshuffle({
    people,
    unitSize: 5,
    phases: 6,
    minDepartments: 3,
    requireEvidence: true,
    timeLimitMs: 10_000,
    seed: 3,
  });
  const leadTwice = r.leads.flat().length - new Set(r.leads.flat()).size;
  const consecutive = r.leads
    .slice(1)
    .reduce((c, leads, p) => c + leads.filter((l) => r.leads[p].includes(l)).length, 0);
  console.log(
    `\n200 people, units of 5, 6 phases, ≥ 3 departments and someone with evidence per unit, rotating leads:\n` +
      `  cost ${r.cost} (repeated pairings ${r.repeatedPairs}), ${(r.ms / 1000).toFixed(2)} s, ${r.iterations} steps; ` +
      `${r.leads.flat().length} leads, ${leadTwice} led twice, ${consecutive} led in consecutive phases ` +
      `(target: cost 0 under 2 s: ${r.cost === 0 && r.ms < 2000 ? "met" : "NOT met"})`,
  );
  return 0;
}
