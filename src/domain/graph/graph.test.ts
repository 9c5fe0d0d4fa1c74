import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEdgeList, parsePeople } from "../../modules/network/parse-edges";
import { analyzeNetwork } from "./analyze";
import { louvain, modularity, nmi, undirected } from "./communities";
import { betweenness, buildGraph, degrees, pagerank, type Edge } from "./graph";
import { busFactors, departmentFlow, isolatedNewcomers, siloScores } from "./organisation";

const e = (pairs: string): Edge[] => pairs.split(" ").map((p) => ({ source: p[0], target: p[1] }));
const fixtures = path.resolve(__dirname, "../../../test/fixtures/network");

describe("graph metrics on small graphs with known answers", () => {
  it("collapses duplicate edges (last weight wins) and counts weighted degrees", () => {
    const g = buildGraph(
      [],
      [
        { source: "a", target: "b", weight: 2 },
        { source: "a", target: "b", weight: 5 },
        { source: "b", target: "b", weight: 1 },
      ],
    );
    expect(g.targets.length).toBe(2);
    const d = degrees(g);
    expect([...d.outDegree]).toEqual([5, 1]);
    expect([...d.inDegree]).toEqual([0, 6]);
  });

  it("betweenness: the middle of a path carries every path", () => {
    const g = buildGraph([], e("ab bc"));
    expect([...betweenness(g)]).toEqual([0, 0.5, 0]);
    // A directed star through a hub: 4 spokes in, 4 out → hub on 4·4 = 16 of (9-1)(9-2) = 56 ordered pairs.
    const hub = buildGraph(
      [],
      [..."abcd"].map((x) => ({ source: x, target: "h" })).concat([..."efgi"].map((x) => ({ source: "h", target: x }))),
    );
    expect(betweenness(hub)[hub.index.get("h")!]).toBeCloseTo(16 / 56, 12);
  });

  it("pagerank: symmetric cycles share equally; dangling nodes spread uniformly", () => {
    expect([...pagerank(buildGraph([], e("ab ba")))].map((x) => x.toFixed(6))).toEqual(["0.500000", "0.500000"]);
    const g = buildGraph(["c"], e("ab"));
    const pr = pagerank(g);
    const at = (id: string) => pr[g.index.get(id)!];
    expect(pr.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
    expect(at("b")).toBeGreaterThan(at("a"));
    expect(at("a")).toBeCloseTo(at("c"), 12);
  });

  it("matches NetworkX betweenness and pagerank to 1e-6 on a weighted 30-person fixture", () => {
    const { edges } = parseEdgeList(readFileSync(path.join(fixtures, "small-edges.csv"), "utf8"));
    const people = parsePeople(readFileSync(path.join(fixtures, "small-people.csv"), "utf8"));
    const expected = JSON.parse(readFileSync(path.join(fixtures, "small-expected.json"), "utf8")) as {
      betweenness: Record<string, number>;
      pagerank: Record<string, number>;
      edges: number;
    };
    const g = buildGraph(people.keys(), edges);
    expect(g.targets.length).toBe(expected.edges);
    const bc = betweenness(g);
    const pr = pagerank(g);
    for (const [id, v] of Object.entries(expected.betweenness))
      expect(Math.abs(bc[g.index.get(id)!] - v)).toBeLessThan(1e-6);
    for (const [id, v] of Object.entries(expected.pagerank))
      expect(Math.abs(pr[g.index.get(id)!] - v)).toBeLessThan(1e-6);
  });

  it("louvain finds two triangles joined by one edge, with their modularity", () => {
    const g = undirected(buildGraph([], e("ab bc ca de ef fd ad da")));
    const c = louvain(g);
    expect(c[0]).toBe(c[1]);
    expect(c[1]).toBe(c[2]);
    expect(c[3]).toBe(c[4]);
    expect(c[0]).not.toBe(c[3]);
    expect(modularity(g, c)).toBeCloseTo(5 / 14, 12);
    expect(modularity(g, new Int32Array(6))).toBeCloseTo(0, 12);
  });

  it("normalised mutual information", () => {
    expect(nmi([0, 0, 1, 1], ["x", "x", "y", "y"])).toBeCloseTo(1, 12);
    expect(nmi([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(0, 12);
  });
});

describe("organisational metrics", () => {
  const dept: Record<string, string> = { a: "Ops", b: "Ops", c: "Sales", d: "Sales" };
  const g = buildGraph(
    [],
    [
      { source: "a", target: "b", weight: 3 },
      { source: "a", target: "c", weight: 1 },
      { source: "c", target: "d", weight: 2 },
      { source: "d", target: "c", weight: 2 },
      { source: "a", target: "a", weight: 9 },
    ],
  );

  it("counts flow between departments and the silo share, self-loops left out", () => {
    const flow = departmentFlow(g, (id) => dept[id]);
    expect(flow).toEqual({
      departments: ["Ops", "Sales"],
      matrix: [
        [3, 1],
        [0, 4],
      ],
    });
    const silo = siloScores(flow);
    expect(silo.get("Ops")).toBeCloseTo(3 / 4, 12);
    expect(silo.get("Sales")).toBeCloseTo(4 / 5, 12);
  });

  it("bus factor: the fewest people giving half the answers on a topic", () => {
    const b = busFactors([
      { person: "ana", topic: "wms", count: 10 },
      { person: "ben", topic: "wms", count: 1 },
      { person: "cy", topic: "wms", count: 1 },
      { person: "ana", topic: "fuel", count: 2 },
      { person: "ben", topic: "fuel", count: 2 },
      { person: "cy", topic: "fuel", count: 2 },
    ]);
    expect(b.get("wms")).toEqual({ busFactor: 1, total: 12, people: ["ana"] });
    expect(b.get("fuel")!.busFactor).toBe(2);
  });

  it("finds newcomers still without ties after their first weeks", () => {
    const day = 86_400_000;
    const now = 100 * day;
    const people = [
      { id: "new-tied", joinedAt: 50 * day },
      { id: "new-alone", joinedAt: 50 * day },
      { id: "too-new", joinedAt: 95 * day },
      { id: "only-early-tie", joinedAt: 40 * day },
    ];
    const ties = [
      { source: "new-tied", target: "x", at: 90 * day },
      { source: "x", target: "only-early-tie", at: 41 * day },
      { source: "new-alone", target: "new-alone", at: 90 * day },
    ];
    expect(isolatedNewcomers(people, ties, now)).toEqual(["new-alone", "only-early-tie"]);
  });

  it("analyzes everything at once, isolated people included", () => {
    const r = analyzeNetwork(
      ["z"],
      [
        { source: "a", target: "b" },
        { source: "b", target: "a" },
      ],
      (id) => (id === "z" ? "Alone" : "Pair"),
    );
    expect(Object.keys(r.people).sort()).toEqual(["a", "b", "z"]);
    expect(r.people.z).toMatchObject({ in_degree: 0, out_degree: 0, betweenness: 0 });
    expect(r.departments.Pair.silo).toBe(1);
    expect(r.departments.Alone.silo).toBe(0);
  });
});

describe("edge-list parsing", () => {
  it("accepts commas, tabs, spaces, CRLF, a header and comments", () => {
    const r = parseEdgeList("source,target,weight\r\n# c\r\na,b,2\r\nc\td\t0.5\r\ne  f   1\r\n");
    expect(r.weighted).toBe(true);
    expect(r.edges).toEqual([
      { source: "a", target: "b", weight: 2 },
      { source: "c", target: "d", weight: 0.5 },
      { source: "e", target: "f", weight: 1 },
    ]);
    expect(parseEdgeList("1 2\n2 3\n").weighted).toBe(false);
    expect([...parsePeople("id,department\n1,Sales ops\n2 7\n")]).toEqual([
      ["1", "Sales ops"],
      ["2", "7"],
    ]);
  });

  it("names the line and the reason of bad input", () => {
    expect(() => parseEdgeList("a b 1\nc\n", "e.csv")).toThrow("e.csv:2: expected");
    expect(() => parseEdgeList("a b 1\nc d\n", "e.csv")).toThrow("e.csv:2: has no weight");
    expect(() => parseEdgeList("a b x\n", "e.csv")).toThrow('e.csv:1: weight "x"');
    expect(() => parseEdgeList("a b -1\n", "e.csv")).toThrow("not a non-negative number");
  });
});
