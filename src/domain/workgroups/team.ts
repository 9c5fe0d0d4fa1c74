/**
 * Forming a workgroup: a small group that covers every skill a challenge needs, with people who have
 * shown that skill, who already hold together through help ties, and who come from enough departments.
 *
 * Cost is the communication cost of Lappas, Liu and Terzi ("Finding a team of experts in social
 * networks", KDD 2009) in its sum-of-distances form: the sum over every pair of members of their
 * distance in the who-helps-whom graph (diameter breaks ties). Pairs that are not connected count as
 * `disconnected` (one more than the largest distance the caller saw).
 *
 * The search: every holder of the rarest skill seeds a group that grows, rarest skill first, by the
 * holder closest (in summed distance) to the group so far; the group found by RarestFirst (Lappas et
 * al.'s algorithm for the diameter) is one more start. Each start is then improved by local search:
 * swap a member for anyone who keeps the skills covered at a lower cost, drop members the cover no
 * longer needs. The cheapest result wins, so it is never more costly than RarestFirst's group.
 */

export type Candidate = {
  id: string;
  department: string;
  /** Evidence strength per skill (0–1); a skill with strength > 0 counts as held. */
  skills: ReadonlyMap<string, number>;
};

export type TeamProblem = {
  skills: readonly string[];
  people: readonly Candidate[];
  /** Distance between people a and b (indexes into `people`); Infinity when not connected. */
  distance: (a: number, b: number) => number;
  /** People who must be in the group (indexes). */
  mustInclude?: readonly number[];
  /** The group's largest size (default: as many as the skills need). */
  maxSize?: number;
  /** At least this many departments in the group (default 1). */
  minDepartments?: number;
};

export type Team = {
  members: number[];
  /** Skills nobody in the pool holds. */
  uncovered: string[];
  cost: number;
  diameter: number;
};

export class TeamError extends Error {}

/** Distances between the pool's people, with unconnected pairs at one more than the largest distance seen. */
export class DistanceTable {
  readonly n: number;
  private d: Float64Array;
  readonly disconnected: number;
  constructor(n: number, distance: (a: number, b: number) => number) {
    this.n = n;
    this.d = new Float64Array(n * n);
    let max = 0;
    for (let a = 0; a < n; a++)
      for (let b = a + 1; b < n; b++) {
        const v = distance(a, b);
        this.d[a * n + b] = this.d[b * n + a] = v;
        if (Number.isFinite(v)) max = Math.max(max, v);
      }
    this.disconnected = max + 1;
    for (let k = 0; k < n * n; k++) if (!Number.isFinite(this.d[k])) this.d[k] = this.disconnected;
  }
  get(a: number, b: number): number {
    return this.d[a * this.n + b];
  }
}

export function groupCost(members: readonly number[], d: DistanceTable): { cost: number; diameter: number } {
  let cost = 0;
  let diameter = 0;
  for (let x = 0; x < members.length; x++)
    for (let y = x + 1; y < members.length; y++) {
      const v = d.get(members[x], members[y]);
      cost += v;
      diameter = Math.max(diameter, v);
    }
  return { cost, diameter };
}

const better = (a: { cost: number; diameter: number }, b: { cost: number; diameter: number }) =>
  a.cost < b.cost - 1e-9 || (Math.abs(a.cost - b.cost) <= 1e-9 && a.diameter < b.diameter);

type Prepared = {
  holders: Map<string, number[]>;
  needed: string[];
  uncovered: string[];
  d: DistanceTable;
};

function prepare(problem: TeamProblem, table?: DistanceTable): Prepared {
  const holders = new Map<string, number[]>();
  for (const s of new Set(problem.skills)) holders.set(s, []);
  problem.people.forEach((p, i) => {
    for (const [s, v] of p.skills) if (v > 0) holders.get(s)?.push(i);
  });
  const uncovered = [...holders].filter(([, h]) => h.length === 0).map(([s]) => s);
  // Rarest first (fewest holders), then by name for a stable order.
  const needed = [...holders]
    .filter(([, h]) => h.length > 0)
    .sort((a, b) => a[1].length - b[1].length || a[0].localeCompare(b[0]))
    .map(([s]) => s);
  return { holders, needed, uncovered, d: table ?? new DistanceTable(problem.people.length, problem.distance) };
}

const covers = (problem: TeamProblem, members: readonly number[], skills: readonly string[]) =>
  skills.every((s) => members.some((m) => (problem.people[m].skills.get(s) ?? 0) > 0));

const departments = (problem: TeamProblem, members: readonly number[]) =>
  new Set(members.map((m) => problem.people[m].department || "—")).size;

/**
 * RarestFirst (Lappas, Liu and Terzi 2009): the rarest skill's holder whose nearest holders of the other
 * skills are closest.
 */
export function rarestFirst(problem: TeamProblem, table?: DistanceTable): Team {
  const p = prepare(problem, table);
  if (p.needed.length === 0) return { members: [], uncovered: p.uncovered, cost: 0, diameter: 0 };
  let best: number[] | null = null;
  let bestR = Infinity;
  for (const seed of p.holders.get(p.needed[0])!) {
    const team = [seed];
    let r = 0;
    for (const s of p.needed.slice(1)) {
      if ((problem.people[seed].skills.get(s) ?? 0) > 0) continue;
      let pick = -1;
      for (const h of p.holders.get(s)!) if (pick < 0 || p.d.get(seed, h) < p.d.get(seed, pick)) pick = h;
      r = Math.max(r, p.d.get(seed, pick));
      if (!team.includes(pick)) team.push(pick);
    }
    if (r < bestR) {
      bestR = r;
      best = team;
    }
  }
  return { members: best!, uncovered: p.uncovered, ...groupCost(best!, p.d) };
}

/** Knowhow's group: the cheapest of the seeded greedy groups and RarestFirst's, each improved by local search. */
export function formTeam(problem: TeamProblem, table?: DistanceTable): Team {
  const p = prepare(problem, table);
  const must = [...new Set(problem.mustInclude ?? [])];
  for (const m of must)
    if (m < 0 || m >= problem.people.length) throw new TeamError(`must-include person ${m} is not in the pool`);
  const maxSize = problem.maxSize ?? Infinity;
  const minDepartments = problem.minDepartments ?? 1;
  if (must.length > maxSize) throw new TeamError("more people must be included than the group may hold");

  // Starts: every holder of every needed skill seeds a group that grows, rarest skill first, by the holder
  // with the least summed distance to the group per newly covered skill.
  const starts: number[][] = [];
  const seeds = [...new Set(p.needed.flatMap((s) => p.holders.get(s)!))];
  for (const seed of seeds.length ? seeds : [-1]) {
    const group = [...must];
    if (seed >= 0 && !group.includes(seed)) group.push(seed);
    for (const s of p.needed) {
      if (covers(problem, group, [s])) continue;
      const open = p.needed.filter((x) => !covers(problem, group, [x]));
      let pick = -1;
      let pickCost = Infinity;
      for (const h of p.holders.get(s)!) {
        let c = 0;
        for (const g of group) c += p.d.get(h, g);
        const gained = open.filter((x) => (problem.people[h].skills.get(x) ?? 0) > 0).length;
        const per = c / gained;
        const strength = problem.people[h].skills.get(s) ?? 0;
        if (
          per < pickCost - 1e-9 ||
          (Math.abs(per - pickCost) <= 1e-9 && strength > (problem.people[pick]?.skills.get(s) ?? 0))
        ) {
          pick = h;
          pickCost = per;
        }
      }
      group.push(pick);
    }
    starts.push(group);
  }
  // Repair each start to the department count, then improve the cheapest few (local search is the costly part).
  const pool = [...new Set([...p.holders.values()].flat())];
  const repaired = starts
    .map((g) => repairDepartments(problem, p, g, must, pool, minDepartments, maxSize))
    .map((g) => ({ g, score: groupCost(g, p.d) }))
    .sort((a, b) => (better(a.score, b.score) ? -1 : better(b.score, a.score) ? 1 : 0));
  const chosen = repaired.slice(0, 8).map((r) => r.g);
  if (must.length === 0 && p.needed.length) chosen.push(rarestFirst(problem, p.d).members);

  let best: number[] | null = null;
  let bestScore = { cost: Infinity, diameter: Infinity };
  const fits = (g: number[]) =>
    g.length <= maxSize && departments(problem, g) >= Math.min(minDepartments, Math.max(1, g.length));
  for (const start of chosen) {
    const group = improve(problem, p, start, must, pool, minDepartments);
    const score = groupCost(group, p.d);
    if (best === null || (fits(group) && !fits(best)) || (fits(group) === fits(best) && better(score, bestScore))) {
      best = group;
      bestScore = score;
    }
  }
  const members = best ?? [...must];
  return { members, uncovered: p.uncovered, ...groupCost(members, p.d) };
}

/**
 * Swaps (or, with room, adds) people from other departments, cheapest first, until the group has enough
 * departments.
 */
function repairDepartments(
  problem: TeamProblem,
  p: Prepared,
  start: number[],
  must: number[],
  pool: number[],
  minDepartments: number,
  maxSize: number,
): number[] {
  let group = [...new Set(start)];
  const everyone = problem.people.map((_, i) => i);
  while (departments(problem, group) < minDepartments) {
    const have = departments(problem, group);
    let bestGroup: number[] | null = null;
    let bestScore = { cost: Infinity, diameter: Infinity };
    const consider = (g: number[]) => {
      if (departments(problem, g) <= have || !covers(problem, g, p.needed)) return;
      const score = groupCost(g, p.d);
      if (better(score, bestScore)) {
        bestGroup = g;
        bestScore = score;
      }
    };
    for (const c of pool.length ? pool : everyone) {
      if (group.includes(c)) continue;
      for (const m of group) if (!must.includes(m)) consider(group.map((x) => (x === m ? c : x)));
    }
    if (!bestGroup && group.length < maxSize) for (const c of everyone) if (!group.includes(c)) consider([...group, c]);
    if (!bestGroup) break;
    group = bestGroup;
  }
  return group;
}

/** Local search: cheaper swaps that keep the cover (and the department count), then drop members not needed. */
function improve(
  problem: TeamProblem,
  p: Prepared,
  start: number[],
  must: number[],
  pool: number[],
  minDepartments: number,
): number[] {
  let group = [...new Set(start)];
  const ok = (g: number[]) =>
    covers(problem, g, p.needed) && departments(problem, g) >= Math.min(minDepartments, departments(problem, group));
  let improved = true;
  while (improved) {
    improved = false;
    // Drop a member the cover does not need.
    for (const m of group) {
      if (must.includes(m)) continue;
      const without = group.filter((x) => x !== m);
      if (ok(without)) {
        group = without;
        improved = true;
        break;
      }
    }
    if (improved) continue;
    // Two members give way to one person who holds what they brought, when that is cheaper.
    const before = groupCost(group, p.d);
    merge: for (let x = 0; x < group.length; x++)
      for (let y = x + 1; y < group.length; y++) {
        if (must.includes(group[x]) || must.includes(group[y])) continue;
        for (const c of pool) {
          if (group.includes(c)) continue;
          const merged = [...group.filter((_, k) => k !== x && k !== y), c];
          if (better(groupCost(merged, p.d), before) && ok(merged)) {
            group = merged;
            improved = true;
            break merge;
          }
        }
      }
    if (improved) continue;
    const now = groupCost(group, p.d);
    let bestSwap: number[] | null = null;
    let bestScore = now;
    for (const m of group) {
      if (must.includes(m)) continue;
      for (const c of pool) {
        if (group.includes(c)) continue;
        const swapped = group.map((x) => (x === m ? c : x));
        const score = groupCost(swapped, p.d);
        if (better(score, bestScore) && ok(swapped)) {
          bestSwap = swapped;
          bestScore = score;
        }
      }
    }
    if (bestSwap) {
      group = bestSwap;
      improved = true;
    }
  }
  return group;
}

/**
 * For each seat, the best replacements: pool members who keep every skill covered, cheapest first,
 * with the cost the group would have.
 */
export function alternatives(
  problem: TeamProblem,
  members: readonly number[],
  perSeat = 3,
  table?: DistanceTable,
): { member: number; options: { person: number; cost: number }[] }[] {
  const p = prepare(problem, table);
  const pool = [...new Set([...p.holders.values()].flat())];
  return members.map((m) => {
    const options: { person: number; cost: number }[] = [];
    for (const c of pool) {
      if (members.includes(c)) continue;
      const swapped = members.map((x) => (x === m ? c : x));
      if (!covers(problem, swapped, p.needed)) continue;
      options.push({ person: c, cost: groupCost(swapped, p.d).cost });
    }
    options.sort((a, b) => a.cost - b.cost || b.person - a.person);
    return { member: m, options: options.slice(0, perSeat) };
  });
}

/**
 * The cheapest covering group by exhaustive search over one holder per skill (every minimal cover is
 * such a choice, and dropping members never raises the cost); null when that is more than `limit`
 * combinations.
 */
export function optimalTeam(problem: TeamProblem, limit = 200_000, table?: DistanceTable): Team | null {
  const p = prepare(problem, table);
  let combinations = 1;
  for (const s of p.needed) {
    combinations *= p.holders.get(s)!.length;
    if (combinations > limit) return null;
  }
  let best: number[] = [];
  let bestScore = { cost: Infinity, diameter: Infinity };
  const chosen: number[] = [];
  const walk = (k: number) => {
    if (k === p.needed.length) {
      const group = [...new Set(chosen)];
      const score = groupCost(group, p.d);
      if (better(score, bestScore)) {
        best = group;
        bestScore = score;
      }
      return;
    }
    for (const h of p.holders.get(p.needed[k])!) {
      chosen.push(h);
      walk(k + 1);
      chosen.pop();
    }
  };
  walk(0);
  return { members: best, uncovered: p.uncovered, ...bestScore };
}

/** Hop distances from `from` in an undirected graph given as adjacency lists (-1: not reachable). */
export function hopDistances(adjacency: readonly (readonly number[])[], from: number): Int32Array {
  const dist = new Int32Array(adjacency.length).fill(-1);
  const queue = new Int32Array(adjacency.length);
  let head = 0;
  let tail = 0;
  dist[from] = 0;
  queue[tail++] = from;
  while (head < tail) {
    const u = queue[head++];
    for (const v of adjacency[u])
      if (dist[v] < 0) {
        dist[v] = dist[u] + 1;
        queue[tail++] = v;
      }
  }
  return dist;
}
