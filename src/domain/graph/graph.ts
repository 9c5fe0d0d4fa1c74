/**
 * A compact directed graph (compressed sparse rows over typed arrays), the representation
 * every metric here runs on. Build it from an edge list; duplicate edges collapse to one
 * (the last weight wins), as in NetworkX's DiGraph.
 */
export type Edge = { source: string; target: string; weight?: number };

export type Csr = {
  n: number;
  ids: string[];
  index: Map<string, number>;
  /** out-edges of node u: targets[offsets[u] .. offsets[u+1]) with weights */
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
  weighted: boolean;
};

export function buildGraph(nodes: Iterable<string>, edges: Iterable<Edge>): Csr {
  const index = new Map<string, number>();
  const ids: string[] = [];
  const idOf = (id: string) => {
    let i = index.get(id);
    if (i === undefined) {
      i = ids.length;
      index.set(id, i);
      ids.push(id);
    }
    return i;
  };
  for (const n of nodes) idOf(n);
  const seen = new Map<string, number>();
  const src: number[] = [];
  const dst: number[] = [];
  const w: number[] = [];
  let weighted = false;
  for (const e of edges) {
    const s = idOf(e.source);
    const t = idOf(e.target);
    const weight = e.weight ?? 1;
    if (e.weight !== undefined) weighted = true;
    const key = `${s} ${t}`;
    const at = seen.get(key);
    if (at !== undefined) {
      w[at] = weight;
      continue;
    }
    seen.set(key, src.length);
    src.push(s);
    dst.push(t);
    w.push(weight);
  }
  const n = ids.length;
  const offsets = new Int32Array(n + 1);
  for (const s of src) offsets[s + 1]++;
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(src.length);
  const weights = new Float64Array(src.length);
  // Keep each node's out-edges in insertion order (NetworkX iterates adjacency in insertion order).
  for (let k = 0; k < src.length; k++) {
    const at = fill[src[k]]++;
    targets[at] = dst[k];
    weights[at] = w[k];
  }
  return { n, ids, index, offsets, targets, weights, weighted };
}

/** Weighted in- and out-degree (self-loops count once in each, as in NetworkX). */
export function degrees(g: Csr): { inDegree: Float64Array; outDegree: Float64Array } {
  const inDegree = new Float64Array(g.n);
  const outDegree = new Float64Array(g.n);
  for (let u = 0; u < g.n; u++) {
    for (let k = g.offsets[u]; k < g.offsets[u + 1]; k++) {
      outDegree[u] += g.weights[k];
      inDegree[g.targets[k]] += g.weights[k];
    }
  }
  return { inDegree, outDegree };
}

/**
 * Betweenness centrality (Brandes) on unweighted shortest paths of the directed graph,
 * normalised as NetworkX's betweenness_centrality default for a DiGraph: 1/((n-1)(n-2)),
 * endpoints excluded.
 */
export function betweenness(g: Csr): Float64Array {
  const { n, offsets, targets } = g;
  const bc = new Float64Array(n);
  const sigma = new Float64Array(n);
  const dist = new Int32Array(n);
  const delta = new Float64Array(n);
  const order = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    dist.fill(-1);
    sigma.fill(0);
    sigma[s] = 1;
    dist[s] = 0;
    order[0] = s;
    let head = 0;
    let tail = 1;
    while (head < tail) {
      const v = order[head++];
      const dv = dist[v] + 1;
      const sv = sigma[v];
      for (let k = offsets[v]; k < offsets[v + 1]; k++) {
        const w = targets[k];
        if (dist[w] < 0) {
          dist[w] = dv;
          order[tail++] = w;
        }
        if (dist[w] === dv) sigma[w] += sv;
      }
    }
    // Accumulate in reverse BFS order over successors (no predecessor lists needed).
    for (let i = tail - 1; i >= 0; i--) {
      const v = order[i];
      const dv = dist[v] + 1;
      let d = 0;
      const sv = sigma[v];
      for (let k = offsets[v]; k < offsets[v + 1]; k++) {
        const w = targets[k];
        if (dist[w] === dv) d += (sv / sigma[w]) * (1 + delta[w]);
      }
      delta[v] = d;
      if (v !== s) bc[v] += d;
    }
    for (let i = 0; i < tail; i++) delta[order[i]] = 0;
  }
  if (n > 2) {
    const scale = 1 / ((n - 1) * (n - 2));
    for (let i = 0; i < n; i++) bc[i] *= scale;
  }
  return bc;
}

/**
 * PageRank exactly as NetworkX's pagerank(G, alpha=0.85) computes it: transition
 * probabilities by edge weight over each node's weighted out-degree, dangling nodes spread
 * uniformly, start uniform, stop when the L1 change is below n·tol.
 */
export function pagerank(g: Csr, options: { alpha?: number; tol?: number; maxIter?: number } = {}): Float64Array {
  const alpha = options.alpha ?? 0.85;
  const tol = options.tol ?? 1e-6;
  const maxIter = options.maxIter ?? 100;
  const { n, offsets, targets, weights } = g;
  if (n === 0) return new Float64Array(0);
  const outW = new Float64Array(n);
  for (let u = 0; u < n; u++) for (let k = offsets[u]; k < offsets[u + 1]; k++) outW[u] += weights[k];
  let x = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  for (let iter = 0; iter < maxIter; iter++) {
    let dangling = 0;
    for (let u = 0; u < n; u++) if (outW[u] === 0) dangling += x[u];
    next.fill(0);
    for (let u = 0; u < n; u++) {
      if (outW[u] === 0) continue;
      const share = x[u] / outW[u];
      for (let k = offsets[u]; k < offsets[u + 1]; k++) next[targets[k]] += share * weights[k];
    }
    const base = (alpha * dangling) / n + (1 - alpha) / n;
    let err = 0;
    for (let v = 0; v < n; v++) {
      next[v] = alpha * next[v] + base;
      err += Math.abs(next[v] - x[v]);
    }
    [x, next] = [next, x];
    if (err < n * tol) return x;
  }
  throw new Error(`pagerank did not converge in ${maxIter} iterations`);
}
