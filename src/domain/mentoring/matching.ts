/**
 * Optimal mentor matching: every mentee gets at most one mentor, every mentor at most their capacity,
 * and the assignment matches as many mentees as possible and, among those assignments, has the greatest
 * total quality. Exact, not greedy.
 *
 * It is a min-cost flow: mentee → mentor (capacity 1, cost −(B + quality)), mentee → sink "unmatched"
 * (capacity 1, cost 0), mentor → sink (capacity = the mentor's capacity). B exceeds any possible total
 * quality, so one more match always beats any gain in quality. Mentees are added one at a time and each
 * is routed along a shortest augmenting path (Dijkstra on reduced costs with node potentials, stopped at
 * the sink: the successive-shortest-path method in the form of Jonker and Volgenant), so after each
 * step the flow is optimal for the mentees added so far.
 *
 * Speed comes from pricing out columns: the flow is first solved on each mentee's best few mentors only.
 * The potentials of that solution are a certificate: if no left-out pair has a negative reduced cost,
 * the flow is optimal for the whole problem (no negative cycle can use a left-out pair); otherwise those
 * pairs join the graph and it is solved again. So the result is always exact, and usually found in one
 * round on a small graph.
 */

/** Qualities are in [0, 1]; they are compared as integers in millionths, so ties and sums are exact. */
const SCALE = 1_000_000;

export type MatchingProblem = {
  mentees: number;
  /** Seats per mentor (0 allowed). */
  capacities: readonly number[];
  /**
   * quality[i * mentors + j] in [0, 1] for mentee i and mentor j; NaN (or a negative value) forbids the pair.
   */
  quality: ArrayLike<number>;
  /** Pairs that must be in the result (checked against capacities and forbidden pairs). */
  pinned?: readonly (readonly [mentee: number, mentor: number])[];
  /**
   * How many of each mentee's best mentors the first round starts with (default 12); each mentor also
   * adds its best three mentees per seat.
   */
  candidates?: number;
};

export type Matching = {
  /** The mentor of each mentee, or null. */
  mentorOf: (number | null)[];
  matched: number;
  /** Sum of the qualities of the matched pairs. */
  total: number;
  /** Pricing rounds taken (1: the first candidate set was enough). */
  rounds: number;
  /** Mentee–mentor pairs in the final graph. */
  pairsConsidered: number;
};

export class MatchingError extends Error {}

const allowed = (q: number) => Number.isFinite(q) && q >= 0;

export function matchMentors(problem: MatchingProblem): Matching {
  const n = problem.mentees;
  const m = problem.capacities.length;
  if (problem.quality.length !== n * m) throw new MatchingError("quality must have mentees × mentors entries");
  for (let j = 0; j < m; j++) {
    const c = problem.capacities[j];
    if (!Number.isInteger(c) || c < 0) throw new MatchingError(`capacity of mentor ${j} must be a whole number ≥ 0`);
  }
  // Integer qualities; pinned pairs take their seats first and leave the problem.
  const q = new Float64Array(n * m);
  for (let k = 0; k < n * m; k++) {
    const v = problem.quality[k];
    if (allowed(v) && v > 1) throw new MatchingError("qualities must be at most 1");
    q[k] = allowed(v) ? Math.round(v * SCALE) : -1;
  }
  const capacity = problem.capacities.slice();
  const fixed = new Map<number, number>();
  for (const [i, j] of problem.pinned ?? []) {
    if (i < 0 || i >= n || j < 0 || j >= m) throw new MatchingError(`pinned pair (${i}, ${j}) is out of range`);
    if (fixed.has(i)) throw new MatchingError(`mentee ${i} is pinned twice`);
    if (q[i * m + j] < 0) throw new MatchingError(`pinned pair (${i}, ${j}) is forbidden`);
    if (capacity[j] === 0) throw new MatchingError(`mentor ${j} has no seat left for pinned mentee ${i}`);
    capacity[j]--;
    fixed.set(i, j);
  }
  const free: number[] = [];
  for (let i = 0; i < n; i++) if (!fixed.has(i)) free.push(i);

  let perMentee = Math.max(1, problem.candidates ?? 12);
  const extra = new Map<number, Set<number>>();
  // Each mentor also brings its own best mentees (three per seat), so no seat starts out of reach.
  const freeSet = new Set(free);
  for (let j = 0; j < m; j++) {
    if (capacity[j] === 0) continue;
    const want = 3 * capacity[j];
    const best: number[] = [];
    for (const i of freeSet) {
      const v = q[i * m + j];
      if (v < 0) continue;
      if (best.length < want || v > q[best[best.length - 1] * m + j]) {
        let p = best.length < want ? best.length : want - 1;
        if (best.length < want) best.push(i);
        while (p > 0 && q[best[p - 1] * m + j] < v) {
          best[p] = best[p - 1];
          p--;
        }
        best[p] = i;
      }
    }
    for (const i of best) {
      let set = extra.get(i);
      if (!set) extra.set(i, (set = new Set()));
      set.add(j);
    }
  }
  let rounds = 0;
  for (;;) {
    rounds++;
    const chosen = free.map((i) => candidatesOf(q, i, m, perMentee, capacity, extra.get(i)));
    const flow = solve(free, chosen, q, m, capacity);
    // Price out every left-out pair against the final potentials.
    let violated = 0;
    for (let a = 0; a < free.length; a++) {
      const i = free[a];
      const inGraph = new Set(chosen[a]);
      for (let j = 0; j < m; j++) {
        const v = q[i * m + j];
        if (v < 0 || capacity[j] === 0 || inGraph.has(j)) continue;
        if (-(flow.big + v) + flow.potential[a] - flow.potential[free.length + j] < 0) {
          let set = extra.get(i);
          if (!set) extra.set(i, (set = new Set()));
          set.add(j);
          violated++;
        }
      }
    }
    if (process.env.MATCH_DEBUG)
      console.error(`round ${rounds}: ${violated} violations, ${chosen.reduce((s, c) => s + c.length, 0)} pairs`);
    if (violated === 0) {
      const mentorOf: (number | null)[] = new Array(n).fill(null);
      for (const [i, j] of fixed) mentorOf[i] = j;
      free.forEach((i, a) => (mentorOf[i] = flow.mentorOf[a]));
      let total = 0;
      let matched = 0;
      mentorOf.forEach((j, i) => {
        if (j === null) return;
        matched++;
        total += q[i * m + j];
      });
      return {
        mentorOf,
        matched,
        total: total / SCALE,
        rounds,
        pairsConsidered: chosen.reduce((s, c) => s + c.length, 0),
      };
    }
    perMentee *= 2;
  }
}

/** Mentee i's best `k` allowed mentors with a seat (ties by index), plus the pairs added by pricing. */
function candidatesOf(
  q: Float64Array,
  i: number,
  m: number,
  k: number,
  capacity: readonly number[],
  extra: Set<number> | undefined,
): number[] {
  const best: number[] = [];
  for (let j = 0; j < m; j++) {
    if (q[i * m + j] < 0 || capacity[j] === 0) continue;
    if (best.length < k) {
      best.push(j);
      if (best.length === k) best.sort((a, b) => q[i * m + b] - q[i * m + a] || a - b);
      continue;
    }
    const v = q[i * m + j];
    if (v <= q[i * m + best[k - 1]]) continue;
    let p = k - 1;
    while (p > 0 && q[i * m + best[p - 1]] < v) {
      best[p] = best[p - 1];
      p--;
    }
    best[p] = j;
  }
  if (extra) for (const j of extra) if (!best.includes(j)) best.push(j);
  return best;
}

/**
 * Min-cost flow on the candidate graph. Nodes: mentees 0..a-1 (in the order of `free`), mentors
 * a..a+m-1, sink a+m. Returns each mentee's mentor and the final potentials (reduced cost
 * c(u,v) + π(u) − π(v) ≥ 0 on every residual arc).
 */
function solve(free: number[], chosen: number[][], q: Float64Array, m: number, capacity: readonly number[]) {
  const a = free.length;
  const sink = a + m;
  const nodes = sink + 1;
  let maxQ = 0;
  for (let x = 0; x < free.length; x++) for (const j of chosen[x]) maxQ = Math.max(maxQ, q[free[x] * m + j]);
  const big = (a + 1) * (maxQ + 1);

  // Arcs in flat arrays; arc e and its reverse e ^ 1.
  const arcCount = 2 * (chosen.reduce((s, c) => s + c.length, 0) + a + m);
  const to = new Int32Array(arcCount);
  const cap = new Int32Array(arcCount);
  const cost = new Float64Array(arcCount);
  const next = new Int32Array(arcCount);
  const head = new Int32Array(nodes).fill(-1);
  let e = 0;
  const add = (u: number, v: number, c: number, w: number) => {
    to[e] = v;
    cap[e] = c;
    cost[e] = w;
    next[e] = head[u];
    head[u] = e++;
    to[e] = u;
    cap[e] = 0;
    cost[e] = -w;
    next[e] = head[v];
    head[v] = e++;
  };
  for (let j = 0; j < m; j++) add(a + j, sink, capacity[j], 0);
  for (let x = 0; x < a; x++) {
    add(x, sink, 1, 0);
    for (const j of chosen[x]) add(x, a + j, 1, -(big + q[free[x] * m + j]));
  }

  const potential = new Float64Array(nodes);
  const dist = new Float64Array(nodes).fill(Infinity);
  const prevArc = new Int32Array(nodes).fill(-1);
  const done = new Uint8Array(nodes);
  const heap = new MinHeap();
  const touched: number[] = [];

  for (let x = 0; x < a; x++) {
    // The new mentee's potential makes its out-arcs' reduced costs non-negative.
    let p = -Infinity;
    for (let k = head[x]; k !== -1; k = next[k]) if (cap[k] > 0) p = Math.max(p, potential[to[k]] - cost[k]);
    potential[x] = p;
    // Dijkstra from x on reduced costs, stopped when the sink is settled.
    dist[x] = 0;
    touched.push(x);
    heap.push(x, 0);
    let dSink = Infinity;
    while (heap.size > 0) {
      const [u, d] = heap.pop();
      if (done[u] || d > dist[u]) continue;
      done[u] = 1;
      if (u === sink) {
        dSink = d;
        break;
      }
      for (let k = head[u]; k !== -1; k = next[k]) {
        if (cap[k] === 0) continue;
        const v = to[k];
        if (done[v]) continue;
        const nd = d + cost[k] + potential[u] - potential[v];
        if (nd < dist[v]) {
          if (dist[v] === Infinity) touched.push(v);
          dist[v] = nd;
          prevArc[v] = k;
          heap.push(v, nd);
        }
      }
    }
    if (dSink === Infinity) throw new MatchingError("internal: no augmenting path (the unmatched arc always exists)");
    // π ← π + min(d, d_sink) − d_sink: only nodes settled before the sink move.
    for (const v of touched) {
      if (done[v] && dist[v] < dSink) potential[v] -= dSink - dist[v];
    }
    for (let v = sink; v !== x; v = to[prevArc[v] ^ 1]) {
      cap[prevArc[v]]--;
      cap[prevArc[v] ^ 1]++;
    }
    for (const v of touched) {
      dist[v] = Infinity;
      done[v] = 0;
      prevArc[v] = -1;
    }
    touched.length = 0;
    heap.clear();
  }

  return { mentorOf: assigned(), potential, big };

  function assigned() {
    const mentorOf: (number | null)[] = new Array(a).fill(null);
    for (let x = 0; x < a; x++)
      for (let k = head[x]; k !== -1; k = next[k])
        if ((k & 1) === 0 && to[k] !== sink && cap[k] === 0) mentorOf[x] = to[k] - a;
    return mentorOf;
  }
}

/** A binary min-heap of (node, key) with lazy deletion. */
class MinHeap {
  private nodes: number[] = [];
  private keys: number[] = [];
  get size() {
    return this.nodes.length;
  }
  clear() {
    this.nodes.length = 0;
    this.keys.length = 0;
  }
  push(node: number, key: number) {
    const ns = this.nodes;
    const ks = this.keys;
    let i = ns.length;
    ns.push(node);
    ks.push(key);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (ks[p] <= key) break;
      ns[i] = ns[p];
      ks[i] = ks[p];
      i = p;
    }
    ns[i] = node;
    ks[i] = key;
  }
  pop(): [number, number] {
    const ns = this.nodes;
    const ks = this.keys;
    const top: [number, number] = [ns[0], ks[0]];
    const lastN = ns.pop()!;
    const lastK = ks.pop()!;
    const len = ns.length;
    if (len > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= len) break;
        const r = l + 1;
        const c = r < len && ks[r] < ks[l] ? r : l;
        if (ks[c] >= lastK) break;
        ns[i] = ns[c];
        ks[i] = ks[c];
        i = c;
      }
      ns[i] = lastN;
      ks[i] = lastK;
    }
    return top;
  }
}

/** The greedy baseline: pairs by quality, best first, taken while both sides are free. */
export function greedyMatch(problem: MatchingProblem): Matching {
  const n = problem.mentees;
  const m = problem.capacities.length;
  const pairs: number[] = [];
  for (let k = 0; k < n * m; k++) if (allowed(problem.quality[k])) pairs.push(k);
  pairs.sort((x, y) => problem.quality[y] - problem.quality[x] || x - y);
  const seats = problem.capacities.slice();
  const mentorOf: (number | null)[] = new Array(n).fill(null);
  let total = 0;
  let matched = 0;
  for (const k of pairs) {
    const i = Math.floor(k / m);
    const j = k % m;
    if (mentorOf[i] !== null || seats[j] === 0) continue;
    mentorOf[i] = j;
    seats[j]--;
    matched++;
    total += Math.round(problem.quality[k] * SCALE);
  }
  return { mentorOf, matched, total: total / SCALE, rounds: 1, pairsConsidered: pairs.length };
}
