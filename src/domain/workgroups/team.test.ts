import { describe, expect, it } from "vitest";
import { mulberry32 } from "../random";
import { alternatives, formTeam, hopDistances, optimalTeam, rarestFirst, TeamError, type TeamProblem } from "./team";

/** A problem on an undirected graph with skills per person. */
function problem(
  edges: [number, number][],
  skills: Record<number, string[]>,
  n: number,
  departments: string[] = [],
  over: Partial<TeamProblem> = {},
): TeamProblem {
  const adjacency: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) {
    adjacency[a].push(b);
    adjacency[b].push(a);
  }
  const hops = adjacency.map((_, i) => hopDistances(adjacency, i));
  const wanted = [...new Set(Object.values(skills).flat())].sort();
  return {
    skills: wanted,
    people: Array.from({ length: n }, (_, i) => ({
      id: `p${i}`,
      department: departments[i] ?? "D",
      skills: new Map((skills[i] ?? []).map((s) => [s, 1])),
    })),
    distance: (a, b) => (hops[a][b] < 0 ? Infinity : hops[a][b]),
    ...over,
  };
}

// The tree 3-2-1-0-4-5: skill a held by 3 and 5, b by 2 and 4, c (the rarest) by 0.
const TREE: [number, number][] = [
  [0, 1],
  [1, 2],
  [2, 3],
  [0, 4],
  [4, 5],
];
const TREE_SKILLS = { 0: ["c"], 2: ["b"], 3: ["a"], 4: ["b"], 5: ["a"] };

describe("forming a workgroup", () => {
  it("finds the cheapest cover on a hand-checked tree", () => {
    // {0,4,5}: d(0,4) 1 + d(0,5) 2 + d(4,5) 1 = 4, against 6 for {0,2,3} and 8 for the mixed ones.
    const team = formTeam(problem(TREE, TREE_SKILLS, 6));
    expect([...team.members].sort()).toEqual([0, 4, 5]);
    expect(team).toMatchObject({ cost: 4, diameter: 2, uncovered: [] });
    expect(optimalTeam(problem(TREE, TREE_SKILLS, 6))).toMatchObject({ cost: 4, diameter: 2 });
    expect(rarestFirst(problem(TREE, TREE_SKILLS, 6)).cost).toBe(4);
  });

  it("keeps must-include people, reaches the department count and reports skills nobody has", () => {
    const withThree = formTeam(problem(TREE, TREE_SKILLS, 6, [], { mustInclude: [3] }));
    expect([...withThree.members].sort()).toEqual([0, 2, 3]); // 3 + 2 + 1 = 6
    expect(withThree.cost).toBe(6);
    const departments = ["X", "X", "Y", "Y", "X", "X"];
    const mixed = formTeam(problem(TREE, TREE_SKILLS, 6, departments, { minDepartments: 2 }));
    expect([...mixed.members].sort()).toEqual([0, 2, 3]);
    const missing = problem(TREE, TREE_SKILLS, 6);
    const team = formTeam({ ...missing, skills: [...missing.skills, "welding"] });
    expect(team.uncovered).toEqual(["welding"]);
    expect([...team.members].sort()).toEqual([0, 4, 5]);
    expect(() => formTeam(problem(TREE, TREE_SKILLS, 6, [], { mustInclude: [1, 2], maxSize: 1 }))).toThrow(TeamError);
  });

  it("offers alternatives for each seat that keep the skills covered, cheapest first", () => {
    const p = problem(TREE, TREE_SKILLS, 6);
    const alts = alternatives(p, [0, 4, 5]);
    // 0 is the only holder of c: no alternative; 4 can give way to 2 ({0,2,5}: 2 + 2 + 4 = 8).
    expect(alts.find((a) => a.member === 0)!.options).toEqual([]);
    expect(alts.find((a) => a.member === 4)!.options).toEqual([{ person: 2, cost: 8 }]);
    expect(alts.find((a) => a.member === 5)!.options).toEqual([{ person: 3, cost: 8 }]);
  });

  it("is never costlier than RarestFirst and stays within 10 % of the optimum on random graphs", () => {
    const rand = mulberry32(5);
    let ours = 0;
    let best = 0;
    for (let t = 0; t < 60; t++) {
      const n = 14 + Math.floor(rand() * 10);
      const edges: [number, number][] = [];
      for (let i = 1; i < n; i++) edges.push([i, Math.floor(rand() * i)]);
      for (let k = 0; k < n / 2; k++) edges.push([Math.floor(rand() * n), Math.floor(rand() * n)]);
      const skills: Record<number, string[]> = {};
      const names = ["a", "b", "c", "d", "e"];
      for (let i = 0; i < n; i++) skills[i] = names.filter(() => rand() < 0.18);
      const p = problem(edges, skills, n);
      const team = formTeam(p);
      const rf = rarestFirst(p);
      const opt = optimalTeam(p)!;
      expect(team.cost).toBeLessThanOrEqual(rf.cost);
      expect(team.cost).toBeGreaterThanOrEqual(opt.cost);
      for (const s of p.skills)
        if (!team.uncovered.includes(s)) expect(team.members.some((m) => p.people[m].skills.has(s))).toBe(true);
      ours += team.cost;
      best += opt.cost;
    }
    expect(ours / best).toBeLessThanOrEqual(1.1);
  });
});
