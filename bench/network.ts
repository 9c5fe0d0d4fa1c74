/**
 * `npm run bench -- network [--people 20000] [--edges 200000]`
 *
 * In one run: all network metrics (degree, betweenness, PageRank, Louvain + modularity,
 * department flows) on ../shared/data/org-email-eu-core in Knowhow, NetworkX and igraph;
 * correctness against NetworkX (betweenness and PageRank to 1e-6, modularity at least
 * NetworkX's, NMI against departments); then a generated 20,000-person graph, Knowhow
 * against igraph only. Python libraries come from Debian:
 *   apt-get install python3-networkx python3-scipy python3-igraph
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { analyzeNetwork } from "../src/domain/graph/analyze";
import { nmi } from "../src/domain/graph/communities";
import { readNetworkFiles } from "../src/modules/network/parse-edges";
import { mulberry32 } from "../src/domain/random";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const INTERPRETERS = ["/usr/bin/python3", "python3"];

function pythonWith(module: string): string | null {
  for (const py of INTERPRETERS) {
    const r = spawnSync(py, ["-c", `import ${module}`], { encoding: "utf8" });
    if (r.status === 0) return py;
  }
  return null;
}

const PY = String.raw`
import json, sys, time
lib, edges_file, people_file, out_file, metrics = sys.argv[1:6]
edges = []
weighted = False
for line in open(edges_file):
    f = line.replace(",", " ").split()
    if not f or f[0].startswith("#"): continue
    edges.append((f[0], f[1], float(f[2]) if len(f) > 2 else 1.0)); weighted = weighted or len(f) > 2
nodes = [l.split()[0] for l in open(people_file) if l.strip()] if people_file != "-" else []
res = {"times": {}}
if lib == "networkx":
    import networkx as nx
    G = nx.DiGraph(); G.add_nodes_from(nodes)
    for a, b, w in edges:
        if weighted: G.add_edge(a, b, weight=w)
        else: G.add_edge(a, b)
    t = time.perf_counter(); G.in_degree(weight="weight"); G.out_degree(weight="weight"); res["times"]["degree"] = time.perf_counter() - t
    t = time.perf_counter(); bc = nx.betweenness_centrality(G); res["times"]["betweenness"] = time.perf_counter() - t
    t = time.perf_counter(); pr = nx.pagerank(G, alpha=0.85); res["times"]["pagerank"] = time.perf_counter() - t
    t = time.perf_counter()
    U = G.to_undirected(); U.remove_edges_from(list(nx.selfloop_edges(U)))
    comms = nx.community.louvain_communities(U, seed=42)
    q = nx.community.modularity(U, comms)
    res["times"]["louvain"] = time.perf_counter() - t
    res["betweenness"] = bc; res["pagerank"] = pr; res["modularity"] = q
else:
    import igraph as ig
    names = list(dict.fromkeys(nodes + [x for e in edges for x in e[:2]]))
    at = {n: i for i, n in enumerate(names)}
    dedup = {}
    for a, b, w in edges: dedup[(at[a], at[b])] = w
    g = ig.Graph(n=len(names), edges=list(dedup.keys()), directed=True)
    g.es["weight"] = list(dedup.values())
    t = time.perf_counter(); g.strength(mode="in", weights="weight"); g.strength(mode="out", weights="weight"); res["times"]["degree"] = time.perf_counter() - t
    t = time.perf_counter(); bc = g.betweenness(directed=True); res["times"]["betweenness"] = time.perf_counter() - t
    t = time.perf_counter(); pr = g.pagerank(damping=0.85, weights="weight" if weighted else None); res["times"]["pagerank"] = time.perf_counter() - t
    t = time.perf_counter()
    u = g.as_undirected(mode="collapse", combine_edges="sum" if weighted else "first"); u.simplify(loops=True, multiple=False)
    cl = u.community_multilevel(weights="weight")
    res["modularity"] = cl.modularity
    res["times"]["louvain"] = time.perf_counter() - t
json.dump(res, open(out_file, "w"))
`;

type PyResult = {
  times: Record<string, number>;
  betweenness?: Record<string, number>;
  pagerank?: Record<string, number>;
  modularity: number;
};

function runPython(
  lib: "networkx" | "igraph",
  edgesFile: string,
  peopleFile: string | null,
  metrics = "all",
): PyResult | null {
  const py = pythonWith(lib === "networkx" ? "networkx, scipy" : "igraph");
  if (!py) {
    console.log(
      `    ${lib}: SKIPPED — not installed for python3 (apt-get install python3-networkx python3-scipy python3-igraph)`,
    );
    return null;
  }
  const dir = mkdtempSync(path.join(tmpdir(), "kh-bench-"));
  const script = path.join(dir, "bench.py");
  const out = path.join(dir, "out.json");
  writeFileSync(script, PY);
  const r = spawnSync(py, [script, lib, edgesFile, peopleFile ?? "-", out, metrics], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) {
    console.log(`    ${lib}: FAILED — ${r.stderr.trim().split("\n").pop()}`);
    return null;
  }
  const result = JSON.parse(spawnSync("cat", [out], { encoding: "utf8", maxBuffer: 1 << 28 }).stdout) as PyResult;
  rmSync(dir, { recursive: true, force: true });
  return result;
}

const total = (t: Record<string, number>, keys: string[]) => keys.reduce((s, k) => s + (t[k] ?? 0), 0);
const sec = (s: number | undefined) =>
  s === undefined ? "n/a" : s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`;

export async function run(args: string[]): Promise<number> {
  const flag = (name: string, d: number) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : d;
  };
  const keys = ["degree", "betweenness", "pagerank", "louvain"];
  const dir = path.resolve(root, "../shared/data/org-email-eu-core");
  const edgesFile = path.join(dir, "email-Eu-core.txt");
  const peopleFile = path.join(dir, "email-Eu-core-department-labels.txt");
  if (existsSync(edgesFile)) {
    const { edges, people } = await readNetworkFiles(edgesFile, peopleFile);
    const t0 = performance.now();
    const ours = analyzeNetwork(people.keys(), edges, (id) => people.get(id) ?? "");
    const oursTotal = (performance.now() - t0) / 1000;
    const t = Object.fromEntries(Object.entries(ours.timings).map(([k, v]) => [k, v / 1000]));
    console.log(
      `\nemail-Eu-core: ${ours.graph.n} people, ${ours.graph.targets.length} directed edges, ${new Set(people.values()).size} departments`,
    );
    console.log(
      `    Knowhow  : all metrics ${sec(oursTotal)}  (betweenness ${sec(t.betweenness)}, pagerank ${sec(t.pagerank)}, louvain ${sec(t.louvain + t.undirected + t.modularity)}, flows ${sec(t.flow)}) — modularity ${ours.modularity.toFixed(4)}, ${ours.communities} communities`,
    );
    const ids = Object.keys(ours.people);
    const labels = ids.map((id) => people.get(id) ?? "?");
    console.log(
      `    NMI(Knowhow communities, departments) = ${nmi(
        ids.map((id) => ours.people[id].community),
        labels,
      ).toFixed(4)}`,
    );
    const nx = runPython("networkx", edgesFile, peopleFile);
    if (nx) {
      const nxTotal = total(nx.times, keys);
      let bcDiff = 0;
      let prDiff = 0;
      for (const id of ids) {
        bcDiff = Math.max(bcDiff, Math.abs(ours.people[id].betweenness - (nx.betweenness?.[id] ?? NaN)));
        prDiff = Math.max(prDiff, Math.abs(ours.people[id].pagerank - (nx.pagerank?.[id] ?? NaN)));
      }
      console.log(
        `    NetworkX : ${sec(nxTotal)}  (betweenness ${sec(nx.times.betweenness)}, pagerank ${sec(nx.times.pagerank)}, louvain ${sec(nx.times.louvain)}) — modularity ${nx.modularity.toFixed(4)}`,
      );
      console.log(
        `    speed-up vs NetworkX: ${(nxTotal / oursTotal).toFixed(1)}×  (target ≥ 10×: ${nxTotal / oursTotal >= 10 ? "met" : "NOT met"})`,
      );
      console.log(
        `    max |Δ betweenness| = ${bcDiff.toExponential(2)}, max |Δ pagerank| = ${prDiff.toExponential(2)}  (target ≤ 1e-6: ${bcDiff <= 1e-6 && prDiff <= 1e-6 ? "met" : "NOT met"})`,
      );
      console.log(
        `    modularity Knowhow ${ours.modularity.toFixed(4)} vs NetworkX ${nx.modularity.toFixed(4)}  (${ours.modularity >= nx.modularity - 1e-9 ? "at least NetworkX's: met" : "LOWER than NetworkX"})`,
      );
    }
    const ig = runPython("igraph", edgesFile, peopleFile);
    if (ig)
      console.log(
        `    igraph   : ${sec(total(ig.times, keys))}  (betweenness ${sec(ig.times.betweenness)}, pagerank ${sec(ig.times.pagerank)}, louvain ${sec(ig.times.louvain)}) — ratio Knowhow/igraph ${(oursTotal / total(ig.times, keys)).toFixed(2)}`,
      );
  } else console.log(`email-Eu-core: SKIPPED (${edgesFile} not found)`);

  // Generated organisation: departments of varying size, most ties inside, power-law-ish activity.
  const n = flag("people", 20_000);
  const m = flag("edges", 200_000);
  const rand = mulberry32(7);
  const depts = 60;
  const deptOf = Int32Array.from({ length: n }, () => Math.floor(Math.pow(rand(), 1.5) * depts));
  const members: number[][] = Array.from({ length: depts }, () => []);
  deptOf.forEach((d, i) => members[d].push(i));
  const activity = Float64Array.from({ length: n }, () => 1 / Math.pow(1 - rand() * 0.999, 0.8));
  const cum = new Float64Array(n);
  activity.reduce((s, a, i) => (cum[i] = s + a), 0);
  const pickActive = () => {
    const x = rand() * cum[n - 1];
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const lines: string[] = [];
  const seen = new Set<number>();
  while (seen.size < m) {
    const s = pickActive();
    const inside = rand() < 0.75 && members[deptOf[s]].length > 1;
    const t = inside ? members[deptOf[s]][Math.floor(rand() * members[deptOf[s]].length)] : pickActive();
    if (s === t || seen.has(s * n + t)) continue;
    seen.add(s * n + t);
    lines.push(`${s} ${t}`);
  }
  const tmp = mkdtempSync(path.join(tmpdir(), "kh-gen-"));
  const genEdges = path.join(tmp, "edges.txt");
  const genPeople = path.join(tmp, "people.txt");
  writeFileSync(genEdges, lines.join("\n") + "\n");
  writeFileSync(genPeople, Array.from({ length: n }, (_, i) => `${i} ${deptOf[i]}`).join("\n") + "\n");
  const { edges, people } = await readNetworkFiles(genEdges, genPeople);
  const t1 = performance.now();
  const ours = analyzeNetwork(people.keys(), edges, (id) => people.get(id) ?? "");
  const oursTotal = (performance.now() - t1) / 1000;
  const t = Object.fromEntries(Object.entries(ours.timings).map(([k, v]) => [k, v / 1000]));
  console.log(
    `\nGenerated: ${n.toLocaleString("en")} people, ${m.toLocaleString("en")} directed edges, ${depts} departments`,
  );
  console.log(
    `    Knowhow  : all metrics ${sec(oursTotal)}  (betweenness ${sec(t.betweenness)}, pagerank ${sec(t.pagerank)}, louvain ${sec(t.louvain + t.undirected)}) — modularity ${ours.modularity.toFixed(4)}`,
  );
  const ig = runPython("igraph", genEdges, genPeople);
  if (ig) {
    const igTotal = total(ig.times, keys);
    console.log(
      `    igraph   : all metrics ${sec(igTotal)}  (betweenness ${sec(ig.times.betweenness)}, pagerank ${sec(ig.times.pagerank)}, louvain ${sec(ig.times.louvain)}) — modularity ${ig.modularity.toFixed(4)}`,
    );
    console.log(
      `    ratio Knowhow / igraph = ${(oursTotal / igTotal).toFixed(2)}×  (target ≤ 3×: ${oursTotal / igTotal <= 3 ? "met" : "NOT met"})`,
    );
  }
  rmSync(tmp, { recursive: true, force: true });
  return 0;
}
