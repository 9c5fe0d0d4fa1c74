import type { Csr } from "./graph";

export type FlowMatrix = { departments: string[]; matrix: number[][] };

/**
 * Department-to-department flow: the summed weight of edges from people of one department
 * to people of another (self-loops left out: nobody helps themselves).
 */
export function departmentFlow(g: Csr, departmentOf: (id: string) => string): FlowMatrix {
  const names = [...new Set(g.ids.map(departmentOf))].sort();
  const at = new Map(names.map((d, i) => [d, i]));
  const dept = Int32Array.from(g.ids, (id) => at.get(departmentOf(id))!);
  const matrix = names.map(() => names.map(() => 0));
  for (let u = 0; u < g.n; u++) {
    for (let k = g.offsets[u]; k < g.offsets[u + 1]; k++) {
      const v = g.targets[k];
      if (u !== v) matrix[dept[u]][dept[v]] += g.weights[k];
    }
  }
  return { departments: names, matrix };
}

/**
 * Silo score per department: the share of the flow touching the department (given or
 * received) that stays inside it. 1 = talks only to itself; 0 = all its ties cross over.
 * A department without any flow scores 0.
 */
export function siloScores(flow: FlowMatrix): Map<string, number> {
  const out = new Map<string, number>();
  const { departments, matrix } = flow;
  for (let i = 0; i < departments.length; i++) {
    let touching = 0;
    for (let j = 0; j < departments.length; j++) {
      touching += matrix[i][j];
      if (j !== i) touching += matrix[j][i];
    }
    out.set(departments[i], touching === 0 ? 0 : matrix[i][i] / touching);
  }
  return out;
}

/**
 * Knowledge concentration per topic (the bus factor): the fewest people who together give
 * at least half of the answers on that topic.
 */
export function busFactors(
  contributions: Iterable<{ person: string; topic: string; count: number }>,
): Map<string, { busFactor: number; total: number; people: string[] }> {
  const byTopic = new Map<string, Map<string, number>>();
  for (const c of contributions) {
    if (c.count <= 0) continue;
    const m = byTopic.get(c.topic) ?? new Map<string, number>();
    m.set(c.person, (m.get(c.person) ?? 0) + c.count);
    byTopic.set(c.topic, m);
  }
  const out = new Map<string, { busFactor: number; total: number; people: string[] }>();
  for (const [topic, people] of byTopic) {
    const sorted = [...people].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const total = sorted.reduce((s, [, c]) => s + c, 0);
    let sum = 0;
    const top: string[] = [];
    for (const [p, c] of sorted) {
      top.push(p);
      sum += c;
      if (sum * 2 >= total) break;
    }
    out.set(topic, { busFactor: top.length, total, people: top });
  }
  return out;
}

/**
 * People with no ties once their first weeks are over: joined more than `graceWeeks` weeks
 * before `now`, and no interaction (given or received) at or after `joined + grace`.
 */
export function isolatedNewcomers(
  people: { id: string; joinedAt: number }[],
  ties: { source: string; target: string; at: number }[],
  now: number,
  options: { graceWeeks?: number; withinWeeks?: number } = {},
): string[] {
  const grace = (options.graceWeeks ?? 4) * 7 * 86_400_000;
  const within = (options.withinWeeks ?? 26) * 7 * 86_400_000;
  const lastTie = new Map<string, number>();
  for (const t of ties) {
    if (t.source === t.target) continue;
    for (const p of [t.source, t.target]) lastTie.set(p, Math.max(lastTie.get(p) ?? -Infinity, t.at));
  }
  return people
    .filter((p) => p.joinedAt + grace <= now && now - p.joinedAt <= within)
    .filter((p) => (lastTie.get(p.id) ?? -Infinity) < p.joinedAt + grace)
    .map((p) => p.id);
}
