/**
 * Reshuffling a cohort into units phase after phase so that people meet new people: the social golfer
 * problem (CSPLib prob010) with the rules a learning cohort adds.
 *
 * A schedule gives, for every phase, a partition of the people into units. Its cost counts
 *  - repeated pairings: for each pair, the phases they share a unit beyond the first (weight 1000);
 *  - units without enough departments (below `minDepartments`, weight 100 per missing department);
 *  - units without anyone who has evidence on the path's topics (weight 100);
 *  - pins broken: people to keep together apart, or to keep apart together (weight 1000).
 * A schedule of cost 0 is perfect. How it is found:
 *  - a start: when the units are g of s people with g a prime power (and no past phases or pins), the
 *    transversal design over GF(g) (design.ts) gives up to g + 1 phases with no repeat; it is used when
 *    it has all the phases asked. Otherwise each phase is built greedily (Triska and Musliu, "An
 *    effective greedy heuristic for the social golfer problem", 2012): units filled a pair of people at a
 *    time, fewest repeats first, then departments/evidence still missing, then the most freedom left;
 *  - phase by phase: the first phases are kept while the greedy start has no repeat; then the search
 *    runs on the phases so far until they are perfect, adds the next phase (built greedily) and goes on,
 *    so it always extends a solved schedule by one phase (as a cohort runs them);
 *  - a tabu search on swaps of two people in different units of the same phase, as Dotú and Van
 *    Hentenryck did for the social golfer problem ("Scheduling social golfers locally", CP-AI-OR 2005):
 *    at each step the best swap that involves someone in a conflict, over all phases searched; swapping
 *    the same two people in that phase again is tabu for 2–10 steps unless it beats the best cost so far;
 *    after 2000 steps without a new best the search restarts from the best schedule with a few random
 *    swaps. A swap is evaluated from the two units only (each person's repeats in their unit are counted
 *    once per step), so a step is cheap.
 *
 * Unit leads are chosen afterwards, phase by phase: in each unit the member who has led least, never
 * the lead of the phase before, so nobody leads twice before everyone in a unit could have led once.
 */
import { mulberry32 } from "../random";
import { designPhases } from "./design";

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
  /**
   * Start from the finite-field design when it applies (g units of s, g a prime power, s ≤ g, no past
   * phases or pins). Default true; false gives the search alone.
   */
  construct?: boolean;
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
  const D = Math.max(1, depIndex.size);
  const reachableDeps = Math.min(minDep, depIndex.size);
  const evid = problem.people.map((p) => (p.evidence ? 1 : 0));
  const needEvidence = (problem.requireEvidence ?? false) && evid.some((e) => e === 1);
  const pinW = new Int8Array(n * n); // +1 together, -1 apart
  for (const [a, b] of problem.together ?? []) pinW[a * n + b] = pinW[b * n + a] = 1;
  for (const [a, b] of problem.apart ?? []) pinW[a * n + b] = pinW[b * n + a] = -1;
  const pins = [...(problem.together ?? []), ...(problem.apart ?? [])].filter(([a, b]) => a !== b);
  const hasPins = pins.length > 0;
  const fixed = problem.fixed ?? [];
  const free = [...Array(P).keys()].filter((p) => !fixed[p]);

  // State: unitOf[p * n + i], members per (phase, unit), meetings per pair, department and evidence
  // counts per (phase, unit) with the number of distinct departments.
  const unitOf = new Int32Array(P * n);
  const members: number[][][] = Array.from({ length: P }, () => Array.from({ length: U }, () => []));
  const meet = new Int32Array(n * n);
  const depCount = new Int32Array(P * U * D);
  const distinct = new Int32Array(P * U);
  const evCount = new Int32Array(P * U);
  const join = (p: number, u: number, i: number) => {
    const unit = members[p][u];
    for (const x of unit) {
      meet[i * n + x]++;
      meet[x * n + i]++;
    }
    unit.push(i);
    unitOf[p * n + i] = u;
    if (depCount[(p * U + u) * D + dep[i]]++ === 0) distinct[p * U + u]++;
    evCount[p * U + u] += evid[i];
  };
  const clearPhase = (p: number) => {
    for (let u = 0; u < U; u++) {
      const unit = members[p][u];
      for (let x = 0; x < unit.length; x++)
        for (let y = x + 1; y < unit.length; y++) {
          meet[unit[x] * n + unit[y]]--;
          meet[unit[y] * n + unit[x]]--;
        }
      members[p][u] = [];
      distinct[p * U + u] = 0;
      evCount[p * U + u] = 0;
    }
    depCount.fill(0, p * U * D, (p + 1) * U * D);
  };
  const load = (p: number, units: readonly (readonly number[])[]) => {
    clearPhase(p);
    units.forEach((unit, u) => unit.forEach((i) => join(p, u % U, i)));
  };
  fixed.forEach((units, p) => {
    if (p < P && units) load(p, units);
  });

  /**
   * A constructive start (Triska and Musliu, "An effective greedy heuristic for the social golfer
   * problem", 2012): fill the units of a phase one pair of people at a time, taking the pair that adds
   * the fewest repeats, then the most missing departments/evidence, then leaves the unit the most
   * freedom (people who have met none of its members yet, so could still join it). Ties at random.
   */
  const words = (n + 31) >>> 5;
  const popcount = (x: number) => {
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  };
  const build = (p: number) => {
    clearPhase(p);
    // met[i] = bitset of the people i has met (a pinned-together partner counts as not met).
    const met = new Int32Array(n * words);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        if (i !== j && meet[i * n + j] > 0 && pinW[i * n + j] !== 1) met[i * words + (j >>> 5)] |= 1 << (j & 31);
    const placed = new Uint8Array(n);
    const blocked = new Int32Array(words); // members of the unit and everyone who met one of them
    let left = [...Array(n).keys()];
    const conflicts = (p_: number, u: number, i: number) => {
      let c = 0;
      for (const x of members[p_][u]) if ((meet[i * n + x] > 0 && pinW[i * n + x] !== 1) || pinW[i * n + x] === -1) c++;
      return c;
    };
    const gain = (u: number, i: number, j: number) => {
      let g = 0;
      if (distinct[p * U + u] < reachableDeps) {
        if (depCount[(p * U + u) * D + dep[i]] === 0) g++;
        if (j >= 0 && dep[j] !== dep[i] && depCount[(p * U + u) * D + dep[j]] === 0) g++;
      }
      if (needEvidence && evCount[p * U + u] === 0 && (evid[i] || (j >= 0 && evid[j]))) g++;
      return g;
    };
    const freedom = (i: number, j: number) => {
      let f = 0;
      for (let w = 0; w < words; w++) {
        const open = ~(blocked[w] | met[i * words + w] | (j >= 0 ? met[j * words + w] : 0));
        f += popcount(open & (w === words - 1 && n % 32 ? (1 << (n % 32)) - 1 : -1));
      }
      return f;
    };
    for (let u = 0; u < U; u++) {
      blocked.fill(0);
      while (members[p][u].length < sizes[u]) {
        const room = sizes[u] - members[p][u].length;
        let bi = -1;
        let bj = -1;
        let bestKey = -Infinity;
        let ties = 0;
        const consider = (i: number, j: number) => {
          let c = conflicts(p, u, i);
          if (j >= 0) {
            c += conflicts(p, u, j);
            if ((meet[i * n + j] > 0 && pinW[i * n + j] !== 1) || pinW[i * n + j] === -1) c++;
          }
          const key = -c * 1e6 + gain(u, i, j) * 1e4 + freedom(i, j);
          if (key > bestKey) {
            bestKey = key;
            bi = i;
            bj = j;
            ties = 1;
          } else if (key === bestKey && rand() * ++ties < 1) {
            bi = i;
            bj = j;
          }
        };
        if (room >= 2 && left.length >= 2) {
          const pairs = (left.length * (left.length - 1)) / 2;
          if (pairs <= 2000) {
            for (let x = 0; x < left.length; x++) for (let y = x + 1; y < left.length; y++) consider(left[x], left[y]);
          } else
            for (let k = 0; k < 2000; k++) {
              const i = left[Math.floor(rand() * left.length)];
              const j = left[Math.floor(rand() * left.length)];
              if (i !== j) consider(i, j);
            }
        } else for (const i of left) consider(i, -1);
        for (const i of bj >= 0 ? [bi, bj] : [bi]) {
          join(p, u, i);
          placed[i] = 1;
          for (let w = 0; w < words; w++) blocked[w] |= met[i * words + w];
          blocked[i >>> 5] |= 1 << (i & 31);
        }
        left = left.filter((i) => !placed[i]);
      }
    }
  };
  // Phases under search: all of them, or (growing) the first ones solved, then one more at a time.
  const live = new Uint8Array(P);
  fixed.forEach((units, p) => {
    if (p < P && units) live[p] = 1;
  });
  let active: number[] = [];
  // With no past phases or pins and g equal units, a finite-field design gives the phases when g is a
  // prime power and the design has as many phases as asked (people placed on its points at random).
  // Not when more are asked: such designs rarely extend, and the search does better from its own start.
  let design: number[][][] | null = null;
  if ((problem.construct ?? true) && fixed.length === 0 && !hasPins && sizes.every((z) => z === sizes[0])) {
    design = designPhases(U, sizes[0]);
    if (design && design.length < P) design = null;
    if (design) {
      const point = [...Array(n).keys()];
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [point[i], point[j]] = [point[j], point[i]];
      }
      design = design.map((units) => units.map((unit) => unit.map((x) => point[x])));
    }
  }
  const addPhase = () => {
    const p = free[active.length];
    const k = active.length;
    active = [...active, p];
    live[p] = 1;
    if (design) load(p, design[k]);
    else build(p);
  };

  const unitPenalty = (p: number, u: number) =>
    (distinct[p * U + u] < reachableDeps ? WEIGHT.department * (reachableDeps - distinct[p * U + u]) : 0) +
    (needEvidence && evCount[p * U + u] === 0 ? WEIGHT.evidence : 0);
  const repeatCost = (m: number) => (m > 1 ? (m - 1) * WEIGHT.repeat : 0);
  // People pinned together meet every phase by design: not a repeat.
  const pairCostOf = (i: number, j: number, m: number) => (pinW[i * n + j] === 1 ? 0 : repeatCost(m));
  const pinCost = (i: number, j: number, together: boolean) =>
    pinW[i * n + j] === 1 && !together ? WEIGHT.pin : pinW[i * n + j] === -1 && together ? WEIGHT.pin : 0;

  const totalCost = () => {
    let c = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) c += pairCostOf(i, j, meet[i * n + j]);
    for (let p = 0; p < P; p++) {
      if (!live[p]) continue;
      for (let u = 0; u < U; u++) c += unitPenalty(p, u);
      for (const [i, j] of pins) c += pinCost(i, j, unitOf[p * n + i] === unitOf[p * n + j]);
    }
    return c;
  };

  /** Penalty of unit u in phase p if person `out` left it and `inn` joined it. */
  const unitPenaltyAfter = (p: number, u: number, out: number, inn: number) => {
    const k = p * U + u;
    let d = distinct[k];
    if (dep[out] !== dep[inn]) {
      if (depCount[k * D + dep[out]] === 1) d--;
      if (depCount[k * D + dep[inn]] === 0) d++;
    }
    const ev = evCount[k] - evid[out] + evid[inn];
    return (
      (d < reachableDeps ? WEIGHT.department * (reachableDeps - d) : 0) +
      (needEvidence && ev === 0 ? WEIGHT.evidence : 0)
    );
  };

  /** Cost change of swapping a (unit ua) and b (unit ub) in phase p; only the two units are looked at. */
  const delta = (p: number, a: number, b: number) => {
    const ua = unitOf[p * n + a];
    const ub = unitOf[p * n + b];
    const A = members[p][ua];
    const B = members[p][ub];
    let d = 0;
    if (!hasPins) {
      let r = 0;
      for (let k = 0; k < A.length; k++) {
        const x = A[k];
        if (x === a) continue;
        if (meet[a * n + x] > 1) r--; // a leaves x
        if (meet[b * n + x] > 0) r++; // b joins x
      }
      for (let k = 0; k < B.length; k++) {
        const x = B[k];
        if (x === b) continue;
        if (meet[b * n + x] > 1) r--;
        if (meet[a * n + x] > 0) r++;
      }
      d = r * WEIGHT.repeat;
    } else {
      for (const x of A) {
        if (x === a) continue;
        d += pairCostOf(a, x, meet[a * n + x] - 1) - pairCostOf(a, x, meet[a * n + x]);
        d += pairCostOf(b, x, meet[b * n + x] + 1) - pairCostOf(b, x, meet[b * n + x]);
        if (pinW[a * n + x]) d += pinCost(a, x, false) - pinCost(a, x, true);
        if (pinW[b * n + x]) d += pinCost(b, x, true) - pinCost(b, x, false);
      }
      for (const x of B) {
        if (x === b) continue;
        d += pairCostOf(b, x, meet[b * n + x] - 1) - pairCostOf(b, x, meet[b * n + x]);
        d += pairCostOf(a, x, meet[a * n + x] + 1) - pairCostOf(a, x, meet[a * n + x]);
        if (pinW[b * n + x]) d += pinCost(b, x, false) - pinCost(b, x, true);
        if (pinW[a * n + x]) d += pinCost(a, x, true) - pinCost(a, x, false);
      }
    }
    if (dep[a] !== dep[b] || evid[a] !== evid[b])
      d += unitPenaltyAfter(p, ua, a, b) + unitPenaltyAfter(p, ub, b, a) - unitPenalty(p, ua) - unitPenalty(p, ub);
    return d;
  };
  const moveCounts = (p: number, i: number, from: number, to: number) => {
    if (--depCount[(p * U + from) * D + dep[i]] === 0) distinct[p * U + from]--;
    if (depCount[(p * U + to) * D + dep[i]]++ === 0) distinct[p * U + to]++;
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

  // Conflicts: people in a repeated pairing, a broken pin or a unit short of departments or evidence.
  // leave[p * n + i] = repeated pairings person i has in their unit of phase p (what leaving it saves).
  const conflict = new Uint8Array(P * n);
  const leave = new Int32Array(P * n);

  const markConflicts = () => {
    conflict.fill(0);
    leave.fill(0);
    for (const p of active) {
      for (let u = 0; u < U; u++) {
        const unit = members[p][u];
        const short = unitPenalty(p, u) > 0;
        for (let x = 0; x < unit.length; x++) {
          const i = unit[x];
          if (short) conflict[p * n + i] = 1;
          for (let y = x + 1; y < unit.length; y++) {
            const j = unit[y];
            if ((meet[i * n + j] > 1 && pinW[i * n + j] !== 1) || pinW[i * n + j] === -1) {
              conflict[p * n + i] = conflict[p * n + j] = 1;
              if (meet[i * n + j] > 1 && pinW[i * n + j] !== 1) {
                leave[p * n + i]++;
                leave[p * n + j]++;
              }
            }
          }
        }
      }
      for (const [i, j] of problem.together ?? [])
        if (unitOf[p * n + i] !== unitOf[p * n + j]) conflict[p * n + i] = conflict[p * n + j] = 1;
    }
  };

  if (free.length > 0) addPhase();
  while (active.length < free.length && totalCost() === 0) addPhase();
  const snapshot = () => members.map((ph) => ph.map((u) => [...u]));
  let cost = totalCost();
  let best = cost;
  let bestUnits = snapshot();
  // Tabu: swapping the same two people in the same phase again, for a random 4..100 steps (Dotú and
  // Van Hentenryck). Large cohorts keep it per person and phase to bound the memory.
  const pairTabu = P * n * n <= 4_000_000;
  const tabu = new Int32Array(pairTabu ? P * n * n : P * n);
  let iterations = 0;
  let sinceBest = 0;
  const maxStable = 2000;
  const sample = n > 64 ? 48 : n;
  const randomSwap = () => {
    const q = active[Math.floor(rand() * active.length)];
    const x = Math.floor(rand() * n);
    const y = Math.floor(rand() * n);
    if (unitOf[q * n + x] !== unitOf[q * n + y]) {
      cost += delta(q, x, y);
      swap(q, x, y);
    }
  };
  while ((cost > 0 || active.length < free.length) && free.length > 0 && U > 1 && performance.now() - t0 < limit) {
    if (cost === 0) {
      // The phases so far are solved: add the next one (built greedily) and search on.
      addPhase();
      cost = best = totalCost();
      bestUnits = snapshot();
      tabu.fill(0);
      sinceBest = 0;
      continue;
    }
    iterations++;
    markConflicts();
    let bp = -1;
    let ba = -1;
    let bb = -1;
    let bestDelta = Infinity;
    let ties = 0;
    for (const p of active) {
      const pn = p * n;
      for (let a = 0; a < n; a++) {
        if (!conflict[pn + a]) continue;
        const ua = unitOf[pn + a];
        const A = members[p][ua];
        const an = a * n;
        const leaveA = leave[pn + a];

        for (let k = 0; k < sample; k++) {
          const b = sample === n ? k : Math.floor(rand() * n);
          const ub = unitOf[pn + b];
          if (ub === ua || (conflict[pn + b] && b < a && sample === n)) continue;
          let d: number;
          if (!hasPins) {
            // Repeats: a and b each leave theirs; b meets A's others, a meets B's others.
            const bn = b * n;
            let r = -leaveA - leave[pn + b];
            for (let x = 0; x < A.length; x++) if (meet[bn + A[x]] > 0 && A[x] !== a) r++;
            const B = members[p][ub];
            for (let x = 0; x < B.length; x++) if (meet[an + B[x]] > 0 && B[x] !== b) r++;
            d = r * WEIGHT.repeat;
            if (dep[a] !== dep[b] || evid[a] !== evid[b])
              d +=
                unitPenaltyAfter(p, ua, a, b) + unitPenaltyAfter(p, ub, b, a) - unitPenalty(p, ua) - unitPenalty(p, ub);
          } else d = delta(p, a, b);
          if (d > bestDelta) continue;
          const tabuUntil = pairTabu
            ? tabu[(pn + (a < b ? a : b)) * n + (a < b ? b : a)]
            : Math.max(tabu[pn + a], tabu[pn + b]);
          if (tabuUntil > iterations && d >= best - cost) continue; // tabu unless it beats the best
          if (d < bestDelta) {
            bestDelta = d;
            bp = p;
            ba = a;
            bb = b;
            ties = 1;
          } else if (rand() * ++ties < 1) {
            bp = p;
            ba = a;
            bb = b;
          }
        }
      }
    }
    if (bp < 0) {
      randomSwap(); // every move is tabu: a random swap keeps the search moving
      continue;
    }
    swap(bp, ba, bb);
    cost += bestDelta;
    const tenure = 2 + Math.floor(rand() * 9);
    if (pairTabu) tabu[(bp * n + Math.min(ba, bb)) * n + Math.max(ba, bb)] = iterations + tenure;
    else tabu[bp * n + ba] = tabu[bp * n + bb] = iterations + tenure;
    if (cost < best) {
      best = cost;
      bestUnits = snapshot();
      sinceBest = 0;
    } else if (++sinceBest > maxStable) {
      // Stalled: start again from the best schedule with a few random swaps.
      active.forEach((p) => load(p, bestUnits[p]));
      for (let k = 0; k < 1 + Math.floor(rand() * active.length * 2); k++) randomSwap();
      cost = totalCost();
      tabu.fill(0);
      sinceBest = 0;
    }
  }

  if (active.length < free.length) {
    // Out of time while growing: the best of the phases searched, the rest built greedily.
    active.forEach((p) => load(p, bestUnits[p]));
    while (active.length < free.length) addPhase();
    best = totalCost();
    bestUnits = snapshot();
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
