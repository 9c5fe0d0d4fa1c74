import { betweenness, buildGraph, degrees, pagerank, type Csr, type Edge } from "./graph";
import { louvain, modularity, undirected } from "./communities";
import { departmentFlow, siloScores, type FlowMatrix } from "./organisation";

type PersonMetrics = {
  department: string;
  in_degree: number;
  out_degree: number;
  betweenness: number;
  pagerank: number;
  community: number;
};
type NetworkAnalysis = {
  people: Record<string, PersonMetrics>;
  departments: Record<string, { silo: number }>;
  modularity: number;
  flow: FlowMatrix;
  communities: number;
  timings: Record<string, number>;
};

/** Every metric of the network at once (the `eval network` output and the map's data). */
export function analyzeNetwork(
  nodes: Iterable<string>,
  edges: Iterable<Edge>,
  departmentOf: (id: string) => string,
  options: { seed?: number } = {},
): NetworkAnalysis & { graph: Csr } {
  const timings: Record<string, number> = {};
  const time = <T>(name: string, f: () => T): T => {
    const t = performance.now();
    const r = f();
    timings[name] = performance.now() - t;
    return r;
  };
  const g = time("build", () => buildGraph(nodes, edges));
  const { inDegree, outDegree } = time("degree", () => degrees(g));
  const bc = time("betweenness", () => betweenness(g));
  const pr = time("pagerank", () => pagerank(g));
  const ug = time("undirected", () => undirected(g));
  const community = time("louvain", () => louvain(ug, options.seed ?? 42));
  const q = time("modularity", () => modularity(ug, community));
  const flow = time("flow", () => departmentFlow(g, departmentOf));
  const silo = siloScores(flow);
  const people: Record<string, PersonMetrics> = {};
  for (let i = 0; i < g.n; i++) {
    people[g.ids[i]] = {
      department: departmentOf(g.ids[i]),
      in_degree: inDegree[i],
      out_degree: outDegree[i],
      betweenness: bc[i],
      pagerank: pr[i],
      community: community[i],
    };
  }
  const departments: Record<string, { silo: number }> = {};
  for (const [d, s] of silo) departments[d] = { silo: s };
  return { people, departments, modularity: q, flow, communities: new Set(community).size, timings, graph: g };
}
