import type { Csr } from "./graph";
import { mulberry32 } from "../random";

/** A symmetric weighted graph without self-loops (both directions stored), for communities. */
type UndirectedCsr = {
  n: number;
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
  strength: Float64Array;
  total: number;
};

/**
 * The undirected view of a directed graph, self-loops dropped. Unweighted graphs give each
 * connected pair weight 1 (as NetworkX's to_undirected); weighted graphs sum both directions.
 */
export function undirected(g: Csr): UndirectedCsr {
  const pair = new Map<number, number>();
  const n = g.n;
  for (let u = 0; u < n; u++) {
    for (let k = g.offsets[u]; k < g.offsets[u + 1]; k++) {
      const v = g.targets[k];
      if (u === v) continue;
      const key = u < v ? u * n + v : v * n + u;
      const w = g.weighted ? (pair.get(key) ?? 0) + g.weights[k] : 1;
      pair.set(key, w);
    }
  }
  return symmetric(n, pair);
}

function symmetric(n: number, pair: Map<number, number>): UndirectedCsr {
  const offsets = new Int32Array(n + 1);
  for (const key of pair.keys()) {
    offsets[Math.floor(key / n) + 1]++;
    offsets[(key % n) + 1]++;
  }
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(offsets[n]);
  const weights = new Float64Array(offsets[n]);
  const strength = new Float64Array(n);
  let total = 0;
  for (const [key, w] of pair) {
    const u = Math.floor(key / n);
    const v = key % n;
    targets[fill[u]] = v;
    weights[fill[u]++] = w;
    targets[fill[v]] = u;
    weights[fill[v]++] = w;
    strength[u] += w;
    strength[v] += w;
    total += w;
  }
  return { n, offsets, targets, weights, strength, total };
}

/** Newman modularity of a partition of an undirected graph (resolution 1). */
export function modularity(g: UndirectedCsr, community: Int32Array): number {
  if (g.total === 0) return 0;
  const m2 = 2 * g.total;
  const k = Math.max(0, ...community) + 1;
  const inside = new Float64Array(k);
  const tot = new Float64Array(k);
  for (let u = 0; u < g.n; u++) {
    tot[community[u]] += g.strength[u];
    for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++)
      if (community[g.targets[e]] === community[u]) inside[community[u]] += g.weights[e];
  }
  let q = 0;
  for (let c = 0; c < k; c++) q += inside[c] / m2 - (tot[c] / m2) ** 2;
  return q;
}

/** One level of local moves; returns the community of each node and whether anything moved. */
function localMoves(g: UndirectedCsr, rand: () => number): { community: Int32Array; moved: boolean } {
  const { n, offsets, targets, weights, strength } = g;
  const m2 = 2 * g.total;
  const community = new Int32Array(n);
  const tot = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    community[i] = i;
    tot[i] = strength[i];
  }
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const linkTo = new Float64Array(n);
  const touched: number[] = [];
  let moved = false;
  for (let pass = 0; pass < 100; pass++) {
    let improved = false;
    for (const u of order) {
      const cu = community[u];
      const ku = strength[u];
      for (let e = offsets[u]; e < offsets[u + 1]; e++) {
        const c = community[targets[e]];
        if (linkTo[c] === 0) touched.push(c);
        linkTo[c] += weights[e];
      }
      tot[cu] -= ku;
      // Gain of joining c (up to a constant): linkTo[c] - tot[c]·ku / m2.
      let best = cu;
      let bestGain = linkTo[cu] - (tot[cu] * ku) / m2;
      for (const c of touched) {
        const gain = linkTo[c] - (tot[c] * ku) / m2;
        if (gain > bestGain + 1e-12) {
          bestGain = gain;
          best = c;
        }
      }
      tot[best] += ku;
      if (best !== cu) {
        community[u] = best;
        improved = true;
        moved = true;
      }
      for (const c of touched) linkTo[c] = 0;
      linkTo[cu] = 0;
      touched.length = 0;
    }
    if (!improved) break;
  }
  return { community, moved };
}

/**
 * Louvain community detection (multi-level local moving, deterministic for a seed) on an
 * undirected weighted graph. Returns dense community numbers per node.
 */
export function louvain(g: UndirectedCsr, seed = 42): Int32Array {
  const rand = mulberry32(seed);
  let current = g;
  let membership = Int32Array.from({ length: g.n }, (_, i) => i);
  if (g.total === 0) return membership;
  for (let level = 0; level < 50; level++) {
    const { community, moved } = localMoves(current, rand);
    if (!moved) break;
    // Renumber densely and aggregate.
    const dense = new Map<number, number>();
    const relabel = new Int32Array(current.n);
    for (let u = 0; u < current.n; u++) {
      let d = dense.get(community[u]);
      if (d === undefined) dense.set(community[u], (d = dense.size));
      relabel[u] = d;
    }
    membership = membership.map((c) => relabel[c]);
    const k = dense.size;
    const pair = new Map<number, number>();
    for (let u = 0; u < current.n; u++) {
      for (let e = current.offsets[u]; e < current.offsets[u + 1]; e++) {
        const a = relabel[u];
        const b = relabel[current.targets[e]];
        if (a < b) pair.set(a * k + b, (pair.get(a * k + b) ?? 0) + current.weights[e]);
      }
    }
    const next = symmetric(k, pair);
    // A super-node keeps the whole strength of its members (weight inside it included), and
    // the graph's total weight does not change by grouping nodes.
    next.strength.fill(0);
    for (let u = 0; u < current.n; u++) next.strength[relabel[u]] += current.strength[u];
    next.total = current.total;
    current = next;
    if (k === 1) break;
  }
  return membership;
}

/** Normalised mutual information of two labelings (arithmetic-mean normalisation, as scikit-learn). */
export function nmi(a: ArrayLike<number | string>, b: ArrayLike<number | string>): number {
  const n = a.length;
  if (n === 0) return 1;
  const count = (xs: ArrayLike<number | string>) => {
    const m = new Map<number | string, number>();
    for (let i = 0; i < n; i++) m.set(xs[i], (m.get(xs[i]) ?? 0) + 1);
    return m;
  };
  const ca = count(a);
  const cb = count(b);
  const joint = new Map<string, number>();
  for (let i = 0; i < n; i++) joint.set(`${a[i]}\u0000${b[i]}`, (joint.get(`${a[i]}\u0000${b[i]}`) ?? 0) + 1);
  const h = (m: Map<unknown, number>) => -[...m.values()].reduce((s, c) => s + (c / n) * Math.log(c / n), 0);
  let mi = 0;
  for (const [key, c] of joint) {
    const [x, y] = key.split("\u0000");
    const px = ca.get(typeof a[0] === "number" ? Number(x) : x)!;
    const py = cb.get(typeof b[0] === "number" ? Number(y) : y)!;
    mi += (c / n) * Math.log((c * n) / (px * py));
  }
  const ha = h(ca);
  const hb = h(cb);
  if (ha === 0 && hb === 0) return 1;
  return mi / ((ha + hb) / 2);
}
