/**
 * Reshuffling a cohort into units phase after phase so that people meet new people: the social golfer
 * problem (CSPLib prob010) with the rules a learning cohort adds.
 *
 * A schedule gives, for every phase, a partition of the people into units. Its cost counts
 *  - repeated pairings: for each pair, the phases they share a unit beyond the first (weight 1000);
 *  - units without enough departments (below `minDepartments`, weight 100 per missing department);
 *  - units without anyone who has evidence on the path's topics (weight 100);
 *  - pins broken: people to keep together apart, or to keep apart together (weight 1000).
 * A schedule of cost 0 is perfect. The search is a tabu search on swaps of two people in different
 * units of the same phase, as Dotú and Van Hentenryck did for the social golfer problem ("Scheduling
 * social golfers locally", CP-AI-OR 2005): at each step the best non-tabu swap that involves someone in
 * a conflict is taken (a tabu swap only when it beats the best cost so far), the swapped people may not
 * be swapped back in that phase for a few steps, and a random perturbation restarts a search that has
 * stalled. Costs change incrementally (only the two units touched), so a step is cheap.
 *
 * Unit leads are chosen afterwards, phase by phase: in each unit the member who has led least, never
 * the lead of the phase before, so nobody leads twice before everyone in a unit could have led once.
 */
import { mulberry32 } from "../random";

export type ReshuffleProblem = {
  /** People (indexes 0..n-1) with their department and whether they have evidence on the topics. */
  people: readonly { department: string; evidence: boolean }[];
  /** Preferred unit size; units get this size or one less/more so every unit is filled. */
  unitSize: number;
  phases: number;
  /** At least this many departments per unit (when possible). Default 1. */
  minDepartments?: number;
  /** Each unit needs someone with evidence. Default false. */
  requireEvidence?: boolean;
  /** Pairs to keep together in every phase, and pairs never to put together. */
  together?: readonly (readonly [number, number])[];
  apart?: readonly (readonly [number, number])[];
  /** Phases already run (kept as they are; only later phases are searched). */
  fixed?: readonly number[][][];
  seed?: number;
  /** Stop after this long (default 2 s) or when the cost is 0. */
  timeLimitMs?: number;
};

export type Schedule = {
  /** phases[p][u] = the people of unit u in phase p. */
  phases: number[][][];
  /** leads[p][u] = the lead of unit u in phase p. */
  leads: number[][];
  cost: number;
  repeatedPairs: number;
  /** Phases from the first with no repeated pairing inside them or with any phase before. */
  cleanPhases: number;
  iterations: number;
  ms: number;
};

export const WEIGHT = { repeat: 1000, department: 100, evidence: 100, pin: 1000 } as const;

/** Unit sizes for n people around `size`: as many units of `size` as fit, the rest spread so none is far off. */
export function unitSizes(n: number, size: number): number[] {
  if (n <= 0) return [];
  const units = Math.max(1, Math.round(n / size));
  const base = Math.floor(n / units);
  const extra = n - base * units;
  return Array.from({ length: units }, (_, u) => base + (u < extra ? 1 : 0));
}

export function reshuffle(problem: ReshuffleProblem): Schedule {
  const t0 = performance.now();
  const n = problem.people.length;
  const P = problem.phases;
  const rand = mulberry32(problem.seed ?? 1);
  const limit = problem.timeLimitMs ?? 2000;
  const sizes = unitSizes(n, problem.unitSize);
  const U = sizes.length;
  const minDep = problem.minDepartments ?? 1;
  const depIndex = new Map<string, number>();
  const dep = problem.people.map((p) => {
    let d = depIndex.get(p.department);
    if (d === undefined) depIndex.set(p.department, (d = depIndex.size));
    return d;
  });
  const D = depIndex.size;
  const reachableDeps = Math.min(minDep, D);
  const evid = problem.people.map((p) => (p.evidence ? 1 : 0));
  const needEvidence = (problem.requireEvidence ?? false) && evid.some((e) => e === 1);
  const pinW = new Int8Array(n * n); // +1 together, -1 apart
  for (const [a, b] of problem.together ?? []) pinW[a * n + b] = pinW[b * n + a] = 1;
  for (const [a, b] of problem.apart ?? []) pinW[a * n + b] = pinW[b * n + a] = -1;
  const fixed = problem.fixed ?? [];

  // State: unitOf[p * n + i], members per (phase, unit), meetings per pair, department counts per unit.
  const unitOf = new Int32Array(P * n);
  const members: number[][][] = [];
  const meet = new Int32Array(n * n);
  const depCount = new Int32Array(P * U * Math.max(1, D));
  const evCount = new Int32Array(P * U);
  const place = (p: number, u: number, i: number) => {
    unitOf[p * n + i] = u;
    members[p][u].push(i);
    depCount[(p * U + u) * D + dep[i]]++;
    evCount[p * U + u] += evid[i];
  };
  for (let p = 0; p < P; p++) {
    members.push(Array.from({ length: U }, () => []));
    if (fixed[p]) {
      fixed[p].forEach((unit, u) => unit.forEach((i) => place(p, u % U, i)));
      continue;
    }
    // Start: a random order dealt into units (departments spread by dealing round-robin after sorting).
    const order = [...Array(n).keys()].sort((a, b) => dep[a] - dep[b] || rand() - 0.5);
    let u = 0;
    const fill = new Array(U).fill(0);
    for (const i of order) {
      while (fill[u] >= sizes[u]) u = (u + 1) % U;
      place(p, u, i);
      fill[u]++;
      u = (u + 1) % U;
    }
  }
  for (let p = 0; p < P; p++)
    for (const unit of members[p])
      for (let x = 0; x < unit.length; x++)
        for (let y = x + 1; y < unit.length; y++) {
          meet[unit[x] * n + unit[y]]++;
          meet[unit[y] * n + unit[x]]++;
        }

  const unitPenalty = (p: number, u: number) => {
    let distinct = 0;
    for (let d = 0; d < D; d++) if (depCount[(p * U + u) * D + d] > 0) distinct++;
    let c = distinct < reachableDeps ? WEIGHT.department * (reachableDeps - distinct) : 0;
    if (needEvidence && evCount[p * U + u] === 0) c += WEIGHT.evidence;
    return c;
  };
  const repeatCost = (m: number) => (m > 1 ? (m - 1) * WEIGHT.repeat : 0);
  // People pinned together meet every phase by design: not a repeat.
  const pairCostOf = (i: number, j: number, m: number) => (pinW[i * n + j] === 1 ? 0 : repeatCost(m));
  const pinCost = (i: number, j: number, together: boolean) =>
    pinW[i * n + j] === 1 && !together ? WEIGHT.pin : pinW[i * n + j] === -1 && together ? WEIGHT.pin : 0;

  const totalCost = () => {
    let c = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) c += pairCostOf(i, j, meet[i * n + j]);
    for (let p = 0; p < P; p++) {
      for (let u = 0; u < U; u++) c += unitPenalty(p, u);
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++)
          if (pinW[i * n + j] !== 0) c += pinCost(i, j, unitOf[p * n + i] === unitOf[p * n + j]);
    }
    return c;
  };

  /** Cost change of swapping a (unit ua) and b (unit ub) in phase p. */
  const delta = (p: number, a: number, b: number) => {
    const ua = unitOf[p * n + a];
    const ub = unitOf[p * n + b];
    let d = 0;
    for (const x of members[p][ua]) {
      if (x === a) continue;
      // a leaves x; b joins x.
      d += pairCostOf(a, x, meet[a * n + x] - 1) - pairCostOf(a, x, meet[a * n + x]);
      d += pairCostOf(b, x, meet[b * n + x] + 1) - pairCostOf(b, x, meet[b * n + x]);
      if (pinW[a * n + x]) d += pinCost(a, x, false) - pinCost(a, x, true);
      if (pinW[b * n + x]) d += pinCost(b, x, true) - pinCost(b, x, false);
    }
    for (const x of members[p][ub]) {
      if (x === b) continue;
      d += pairCostOf(b, x, meet[b * n + x] - 1) - pairCostOf(b, x, meet[b * n + x]);
      d += pairCostOf(a, x, meet[a * n + x] + 1) - pairCostOf(a, x, meet[a * n + x]);
      if (pinW[b * n + x]) d += pinCost(b, x, false) - pinCost(b, x, true);
      if (pinW[a * n + x]) d += pinCost(a, x, true) - pinCost(a, x, false);
    }
    if (dep[a] !== dep[b] || evid[a] !== evid[b]) {
      const before = unitPenalty(p, ua) + unitPenalty(p, ub);
      moveCounts(p, a, ua, ub);
      moveCounts(p, b, ub, ua);
      const after = unitPenalty(p, ua) + unitPenalty(p, ub);
      moveCounts(p, a, ub, ua);
      moveCounts(p, b, ua, ub);
      d += after - before;
    }
    return d;
  };
  const moveCounts = (p: number, i: number, from: number, to: number) => {
    depCount[(p * U + from) * D + dep[i]]--;
    depCount[(p * U + to) * D + dep[i]]++;
    evCount[p * U + from] -= evid[i];
    evCount[p * U + to] += evid[i];
  };
  const swap = (p: number, a: number, b: number) => {
    const ua = unitOf[p * n + a];
    const ub = unitOf[p * n + b];
    for (const x of members[p][ua])
      if (x !== a) {
        meet[a * n + x]--;
        meet[x * n + a]--;
        meet[b * n + x]++;
        meet[x * n + b]++;
      }
    for (const x of members[p][ub])
      if (x !== b) {
        meet[b * n + x]--;
        meet[x * n + b]--;
        meet[a * n + x]++;
        meet[x * n + a]++;
      }
    const la = members[p][ua];
    const lb = members[p][ub];
    la[la.indexOf(a)] = b;
    lb[lb.indexOf(b)] = a;
    unitOf[p * n + a] = ub;
    unitOf[p * n + b] = ua;
    moveCounts(p, a, ua, ub);
    moveCounts(p, b, ub, ua);
  };

  const free = [...Array(P).keys()].filter((p) => !fixed[p]);
  let cost = totalCost();
  let best = cost;
  let bestUnits = members.map((ph) => ph.map((u) => [...u]));
  const tabu = new Int32Array(P * n); // iteration until which swapping this pair in phase p is tabu
  let iterations = 0;
  let sinceBest = 0;
  const conflicted = (p: number, i: number) => {
    for (const x of members[p][unitOf[p * n + i]])
      if (x !== i && ((meet[i * n + x] > 1 && pinW[i * n + x] !== 1) || pinW[i * n + x] === -1)) return true;
    if (pinW.subarray(i * n, i * n + n).some((w, j) => w === 1 && unitOf[p * n + j] !== unitOf[p * n + i])) return true;
    return unitPenalty(p, unitOf[p * n + i]) > 0;
  };
  while (cost > 0 && free.length > 0 && U > 1 && performance.now() - t0 < limit) {
    iterations++;
    let bestMove: [number, number, number] | null = null;
    let bestDelta = Infinity;
    let ties = 0;
    for (const p of free) {
      for (let a = 0; a < n; a++) {
        if (!conflicted(p, a)) continue;
        const ua = unitOf[p * n + a];
        // Large cohorts: a random sample of partners per step keeps a step cheap.
        const sample = n > 64 ? 48 : n;
        for (let k = 0; k < sample; k++) {
          const b = sample === n ? k : Math.floor(rand() * n);
          if (unitOf[p * n + b] === ua) continue;
          const d = delta(p, a, b);
          const isTabu = tabu[p * n + a] > iterations || tabu[p * n + b] > iterations;
          if (isTabu && cost + d >= best) continue;
          if (d < bestDelta) {
            bestDelta = d;
            bestMove = [p, a, b];
            ties = 1;
          } else if (d === bestDelta && rand() * ++ties < 1) bestMove = [p, a, b];
        }
      }
    }
    if (!bestMove) {
      // Every move is tabu: a random swap in a random phase keeps the search moving.
      const q = free[Math.floor(rand() * free.length)];
      const x = Math.floor(rand() * n);
      const y = Math.floor(rand() * n);
      if (unitOf[q * n + x] !== unitOf[q * n + y]) {
        cost += delta(q, x, y);
        swap(q, x, y);
      }
      continue;
    }
    const [p, a, b] = bestMove;
    swap(p, a, b);
    cost += bestDelta;
    const tenure = 2 + Math.floor(rand() * 8);
    tabu[p * n + a] = tabu[p * n + b] = iterations + tenure;
    if (cost < best) {
      best = cost;
      bestUnits = members.map((ph) => ph.map((u) => [...u]));
      sinceBest = 0;
    } else if (++sinceBest > 400) {
      // Stalled: a few random swaps in random phases, then go on from there.
      for (let k = 0; k < 3; k++) {
        const q = free[Math.floor(rand() * free.length)];
        const x = Math.floor(rand() * n);
        const y = Math.floor(rand() * n);
        if (unitOf[q * n + x] !== unitOf[q * n + y]) {
          cost += delta(q, x, y);
          swap(q, x, y);
        }
      }
      sinceBest = 0;
    }
  }

  const phases = bestUnits;
  return {
    phases,
    ...summarise(phases, n),
    leads: chooseLeads(phases, n),
    cost: best,
    iterations,
    ms: performance.now() - t0,
  };
}

/** Repeated pairings overall, and how many phases from the first are free of any repeat. */
export function summarise(phases: number[][][], n: number): { repeatedPairs: number; cleanPhases: number } {
  const meet = new Int32Array(n * n);
  let clean = 0;
  let stillClean = true;
  let repeated = 0;
  for (const units of phases) {
    let repeatsHere = 0;
    for (const unit of units)
      for (let x = 0; x < unit.length; x++)
        for (let y = x + 1; y < unit.length; y++) {
          const k = unit[x] * n + unit[y];
          if (meet[k] > 0) repeatsHere++;
          meet[k]++;
          meet[unit[y] * n + unit[x]]++;
        }
    repeated += repeatsHere;
    if (stillClean && repeatsHere === 0) clean++;
    else stillClean = false;
  }
  return { repeatedPairs: repeated, cleanPhases: clean };
}

/**
 * Leads per phase and unit: the member who has led least so far (ties: the one led longest ago, then
 * the lowest index), never the lead of the phase before when anyone else is there.
 */
export function chooseLeads(phases: number[][][], n: number, history: number[] = new Array(n).fill(0)): number[][] {
  const led = history.slice();
  const lastLed = new Array(n).fill(-1);
  let previous = new Set<number>();
  return phases.map((units, p) => {
    const now = units.map((unit) => {
      const candidates = unit.filter((i) => !previous.has(i));
      const pool = candidates.length ? candidates : unit;
      return pool.reduce(
        (best, i) => (led[i] < led[best] || (led[i] === led[best] && lastLed[i] < lastLed[best]) ? i : best),
        pool[0],
      );
    });
    for (const i of now) {
      led[i]++;
      lastLed[i] = p;
    }
    previous = new Set(now);
    return now;
  });
}

/** A random reshuffle (the baseline): each phase an independent random partition. */
export function randomSchedule(n: number, unitSize: number, phases: number, seed = 1): number[][][] {
  const rand = mulberry32(seed);
  const sizes = unitSizes(n, unitSize);
  return Array.from({ length: phases }, () => {
    const order = [...Array(n).keys()].sort(() => rand() - 0.5);
    let k = 0;
    return sizes.map((s) => order.slice(k, (k += s)));
  });
}

/**
 * A greedy reshuffle (the other baseline): phase by phase, each person goes to the unit with room where
 * they have met the fewest members so far.
 */
export function greedySchedule(n: number, unitSize: number, phases: number, seed = 1): number[][][] {
  const rand = mulberry32(seed);
  const sizes = unitSizes(n, unitSize);
  const meet = new Int32Array(n * n);
  return Array.from({ length: phases }, () => {
    const units: number[][] = sizes.map(() => []);
    const order = [...Array(n).keys()].sort(() => rand() - 0.5);
    for (const i of order) {
      let pick = -1;
      let pickScore = Infinity;
      units.forEach((unit, u) => {
        if (unit.length >= sizes[u]) return;
        const score = unit.reduce((s, x) => s + meet[i * n + x], 0);
        if (score < pickScore) {
          pick = u;
          pickScore = score;
        }
      });
      for (const x of units[pick]) {
        meet[i * n + x]++;
        meet[x * n + i]++;
      }
      units[pick].push(i);
    }
    return units;
  });
}
