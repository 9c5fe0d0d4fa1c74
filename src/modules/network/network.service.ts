import { eq, sql } from "drizzle-orm";
import { networkDatasets, networkEdges, networkNodes } from "../../../db/schema";
import { rows } from "../../platform/db";
import type { AppContext } from "../../context";
import { AppError, invalidField, notFound } from "../../platform/errors";
import { authorize, can, type Actor } from "../../authz/policy";
import { audienceReadableSql, readableSql } from "../../authz/audience";
import { DEFAULT_EDGE_TYPES, type EdgeType } from "./network.schema";
import { analyzeNetwork } from "../../domain/graph/analyze";
import { busFactors, isolatedNewcomers } from "../../domain/graph/organisation";
import type { Edge } from "../../domain/graph/graph";

type NetworkQuery = {
  source: string;
  from?: string;
  to?: string;
  topic?: string;
  level: "person" | "department";
  /** Comma-separated EDGE_TYPES (validated by the schema). */
  edges?: string;
};

type PersonNode = {
  id: string;
  label: string;
  department: string;
  inDegree: number;
  outDegree: number;
  betweenness: number;
  pagerank: number;
  community: number;
};
type DepartmentRow = {
  name: string;
  people: number;
  silo: number;
  internal: number;
  outgoing: number;
  incoming: number;
};
type NetworkView = {
  level: "person" | "department";
  edgeTypes: EdgeType[];
  source: { id: string; name: string };
  canSeeIndividuals: boolean;
  departments: DepartmentRow[];
  flow: { departments: string[]; matrix: number[][] };
  modularity: number;
  communities: number;
  people?: PersonNode[];
  edges?: { source: string; target: string; weight: number }[];
  topics?: { topic: string; busFactor: number; total: number; people: { id: string; label: string }[] }[];
  /** People who joined more than four weeks ago and still have no ties (in-app network only). */
  newcomers?: { id: string; label: string; department: string; joinedAt: string }[];
  /** Per department, how many such newcomers (department level). */
  newcomersByDepartment?: Record<string, number>;
};

/** Imports (or re-imports, replacing) an external network under a name. One transaction. */
export async function importNetwork(
  ctx: AppContext,
  actor: Actor,
  input: { name: string; edges: Edge[]; weighted: boolean; people: Map<string, string> },
  onProgress?: (done: number, total: number) => void,
): Promise<{ id: string; nodes: number; edges: number }> {
  authorize(actor, "importNetwork", { kind: "instance" });
  const name = input.name.trim();
  if (!name) throw invalidField("name", "is required");
  const nodes = new Map(input.people);
  for (const e of input.edges) {
    if (!nodes.has(e.source)) nodes.set(e.source, "");
    if (!nodes.has(e.target)) nodes.set(e.target, "");
  }
  // Duplicate edges collapse to the last weight, as in the metrics.
  const edges = new Map<string, Edge>();
  for (const e of input.edges) edges.set(`${e.source}\u0000${e.target}`, e);
  return ctx.db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: networkDatasets.id })
      .from(networkDatasets)
      .where(eq(networkDatasets.name, name));
    let id = existing?.id;
    if (id) {
      await tx.delete(networkEdges).where(eq(networkEdges.datasetId, id));
      await tx.delete(networkNodes).where(eq(networkNodes.datasetId, id));
      await tx
        .update(networkDatasets)
        .set({ weighted: input.weighted, updatedAt: ctx.now(), importedBy: actor.id })
        .where(eq(networkDatasets.id, id));
    } else {
      [{ id }] = await tx
        .insert(networkDatasets)
        .values({ name, weighted: input.weighted, importedBy: actor.id, createdAt: ctx.now(), updatedAt: ctx.now() })
        .returning({ id: networkDatasets.id });
    }
    const datasetId = id!;
    const nodeRows = [...nodes].map(([externalId, department]) => ({ datasetId, externalId, department }));
    const edgeRows = [...edges.values()].map((e) => ({
      datasetId,
      source: e.source,
      target: e.target,
      weight: e.weight ?? 1,
    }));
    const total = nodeRows.length + edgeRows.length;
    let done = 0;
    for (let i = 0; i < nodeRows.length; i += 2000) {
      await tx.insert(networkNodes).values(nodeRows.slice(i, i + 2000));
      onProgress?.((done += Math.min(2000, nodeRows.length - i)), total);
    }
    for (let i = 0; i < edgeRows.length; i += 2000) {
      await tx.insert(networkEdges).values(edgeRows.slice(i, i + 2000));
      onProgress?.((done += Math.min(2000, edgeRows.length - i)), total);
    }
    return { id: datasetId, nodes: nodeRows.length, edges: edgeRows.length };
  });
}

export async function listDatasets(ctx: AppContext, actor: Actor) {
  authorize(actor, "viewNetworkDepartments", { kind: "instance" });
  const found = await rows<{
    id: string;
    name: string;
    weighted: boolean;
    nodes: number;
    edges: number;
    updated_at: Date | string;
  }>(
    ctx.db,
    sql`select d.id, d.name, d.weighted, d.updated_at,
               (select count(*)::int from network_nodes n where n.dataset_id = d.id) as nodes,
               (select count(*)::int from network_edges e where e.dataset_id = d.id) as edges
        from network_datasets d order by d.name`,
  );
  return found.map((d) => ({
    id: d.id,
    name: d.name,
    weighted: d.weighted,
    nodes: Number(d.nodes),
    edges: Number(d.edges),
    updatedAt: new Date(d.updated_at).toISOString(),
  }));
}

type Interaction = { source: string; target: string; weight: number; topic: string[]; at: number; type: EdgeType };

/**
 * Who helped whom inside Knowhow, from content the actor may read: answering someone's
 * question (2, accepted 3; "community" when the question was asked to a community), commenting on
 * someone's post (0.5), editing someone's article (1), and — when asked for — presenting a
 * knowledge-sharing session to someone who attended it (1).
 */
async function appInteractions(
  ctx: AppContext,
  actor: Actor,
  from: Date,
  to: Date,
  types: ReadonlySet<EdgeType>,
): Promise<Interaction[]> {
  const visibleQuestion = readableSql(actor, "question", "q");
  const out: Interaction[] = [];
  const at = (d: Date | string) => new Date(d).getTime();
  if (types.has("answers") || types.has("community")) {
    const answered = await rows<{
      source: string;
      target: string;
      accepted: boolean;
      community: boolean;
      tags: string[];
      at: Date | string;
    }>(
      ctx.db,
      sql`select a.author_id as source, q.author_id as target, (q.accepted_answer_id = a.id) as accepted,
            q.community_id is not null as community, q.tags, a.created_at as at
          from answers a join questions q on q.id = a.question_id
          where a.deleted_at is null and ${visibleQuestion} and a.author_id <> q.author_id and a.created_at >= ${from} and a.created_at < ${to}`,
    );
    for (const r of answered) {
      const type = r.community ? "community" : "answers";
      if (types.has(type))
        out.push({ source: r.source, target: r.target, weight: r.accepted ? 3 : 2, topic: r.tags, at: at(r.at), type });
    }
  }
  if (types.has("comments")) {
    const commented = await rows<{ source: string; target: string; tags: string[]; at: Date | string }>(
      ctx.db,
      sql`select c.author_id as source, coalesce(qa.author_id, qq.author_id) as target, q.tags, c.created_at as at
          from comments c
          left join answers qa on c.post_type = 'answer' and qa.id = c.post_id
          left join questions qq on c.post_type = 'question' and qq.id = c.post_id
          join questions q on q.id = coalesce(qa.question_id, qq.id)
          where c.deleted_at is null and ${visibleQuestion} and c.created_at >= ${from} and c.created_at < ${to}`,
    );
    for (const r of commented)
      if (r.target && r.target !== r.source)
        out.push({ source: r.source, target: r.target, weight: 0.5, topic: r.tags, at: at(r.at), type: "comments" });
  }
  if (types.has("edits")) {
    const edited = await rows<{ source: string; target: string; tags: string[]; at: Date | string }>(
      ctx.db,
      sql`select r.author_id as source, ar.owner_id as target, ar.tags, r.created_at as at
          from article_revisions r join articles ar on ar.id = r.article_id
          where ${readableSql(actor, "article", "ar")} and r.version > 1 and r.author_id <> ar.owner_id
            and r.created_at >= ${from} and r.created_at < ${to}`,
    );
    for (const r of edited)
      out.push({ source: r.source, target: r.target, weight: 1, topic: r.tags, at: at(r.at), type: "edits" });
  }
  if (types.has("sessions")) {
    const attended = await rows<{ source: string; target: string; tags: string[]; at: Date | string }>(
      ctx.db,
      sql`select p.user_id as source, r.user_id as target, s.topics as tags, s.starts_at as at
          from session_rsvps r join sharing_sessions s on s.id = r.session_id
            join session_presenters p on p.session_id = s.id
          where r.checked_in_at is not null and r.user_id <> p.user_id
            and ${audienceReadableSql(actor, "s.audience_id")} and s.starts_at >= ${from} and s.starts_at < ${to}`,
    );
    for (const r of attended)
      out.push({ source: r.source, target: r.target, weight: 1, topic: r.tags, at: at(r.at), type: "sessions" });
  }
  if (types.has("mentoring")) {
    const mentored = await rows<{ source: string; target: string; tags: string[]; at: Date | string }>(
      ctx.db,
      sql`select m.mentor_id as source, m.mentee_id as target,
            coalesce((select pp.topics from programme_participants pp where pp.programme_id = m.programme_id
                        and pp.user_id = m.mentee_id and pp.role = 'mentee'), '{}'::text[]) as tags,
            m.started_at as at
          from mentorships m
          where m.status in ('active', 'closed') and m.started_at >= ${from} and m.started_at < ${to}`,
    );
    for (const r of mentored)
      out.push({ source: r.source, target: r.target, weight: 1, topic: r.tags, at: at(r.at), type: "mentoring" });
  }
  return out;
}

function parseDate(value: string | undefined, field: string, fallback: Date): Date {
  if (!value) return fallback;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw invalidField(field, "must be a date (YYYY-MM-DD)");
  return d;
}

/** The network for the map: individual level for admins and knowledge managers, department level for everyone else. */
export async function networkView(ctx: AppContext, actor: Actor, q: NetworkQuery): Promise<NetworkView> {
  authorize(actor, "viewNetworkDepartments", { kind: "instance" });
  const individuals = can(actor, "viewNetworkIndividuals", { kind: "instance" });
  if (q.level === "person" && !individuals)
    throw new AppError(
      "forbidden",
      "The individual-level map is for admins and knowledge managers; you can see the department view.",
    );

  let nodes: string[] = [];
  let edges: Edge[] = [];
  const departmentOf = new Map<string, string>();
  const labelOf = new Map<string, string>();
  const contributions: { person: string; topic: string; count: number }[] = [];
  let source = { id: "app", name: "Knowhow interactions" };
  let newcomers: { id: string; joinedAt: number }[] = [];
  const topic = q.topic?.trim().toLowerCase() || undefined;
  let edgeTypes: EdgeType[] = [];

  if (q.source === "app") {
    edgeTypes = q.edges ? [...new Set(q.edges.split(",") as EdgeType[])] : [...DEFAULT_EDGE_TYPES];
    // Mentorships are the pair's own: only those who run mentor programmes may count them as ties.
    if (edgeTypes.includes("mentoring") && !can(actor, "manage", { kind: "programme", id: "" }))
      throw new AppError("forbidden", "Mentoring ties are shown to knowledge managers and admins only");
    const to = parseDate(q.to, "to", new Date(ctx.now().getTime() + 86_400_000));
    const from = parseDate(q.from, "from", new Date(to.getTime() - 365 * 86_400_000));
    if (from >= to) throw invalidField("from", "must be before to");
    const people = await rows<{ id: string; name: string; department: string; created_at: Date | string }>(
      ctx.db,
      sql`select id, name, department, created_at from users where deactivated_at is null and import_key is null and role <> 'guest'`,
    );
    for (const p of people) {
      departmentOf.set(p.id, p.department || "(none)");
      labelOf.set(p.id, p.name);
    }
    nodes = people.map((p) => p.id);
    const weights = new Map<string, Edge>();
    const interactions = await appInteractions(ctx, actor, from, to, new Set(edgeTypes));
    const ids = isolatedNewcomers(
      people.map((p) => ({ id: p.id, joinedAt: new Date(p.created_at).getTime() })),
      interactions,
      to.getTime() > ctx.now().getTime() ? ctx.now().getTime() : to.getTime(),
    );
    const joined = new Map(people.map((p) => [p.id, new Date(p.created_at).getTime()]));
    newcomers = ids.map((id) => ({ id, joinedAt: joined.get(id)! }));
    for (const i of interactions) {
      if (topic && !i.topic.map((t) => t.toLowerCase()).includes(topic)) continue;
      const key = `${i.source} ${i.target}`;
      const e = weights.get(key) ?? { source: i.source, target: i.target, weight: 0 };
      e.weight! += i.weight;
      weights.set(key, e);
      for (const t of i.topic) contributions.push({ person: i.source, topic: t.toLowerCase(), count: 1 });
    }
    edges = [...weights.values()];
  } else {
    const [ds] = await ctx.db.select().from(networkDatasets).where(eq(networkDatasets.id, q.source));
    if (!ds) throw notFound("No such network");
    source = { id: ds.id, name: ds.name };
    const ns = await ctx.db.select().from(networkNodes).where(eq(networkNodes.datasetId, ds.id));
    for (const n of ns) {
      departmentOf.set(n.externalId, n.department || "(none)");
      labelOf.set(n.externalId, n.externalId);
    }
    nodes = ns.map((n) => n.externalId);
    const es = await ctx.db.select().from(networkEdges).where(eq(networkEdges.datasetId, ds.id));
    edges = es.map((e) =>
      ds.weighted ? { source: e.source, target: e.target, weight: e.weight } : { source: e.source, target: e.target },
    );
  }

  const result = analyzeNetwork(nodes, edges, (id) => departmentOf.get(id) ?? "(none)");
  const flow = result.flow;
  const size = new Map<string, number>();
  for (const id of result.graph.ids)
    size.set(departmentOf.get(id) ?? "(none)", (size.get(departmentOf.get(id) ?? "(none)") ?? 0) + 1);
  const departments: DepartmentRow[] = flow.departments.map((name, i) => ({
    name,
    people: size.get(name) ?? 0,
    silo: result.departments[name]?.silo ?? 0,
    internal: flow.matrix[i][i],
    outgoing: flow.matrix[i].reduce((s, x, j) => s + (j === i ? 0 : x), 0),
    incoming: flow.matrix.reduce((s, row, j) => s + (j === i ? 0 : row[i]), 0),
  }));
  const view: NetworkView = {
    level: q.level,
    edgeTypes,
    source,
    canSeeIndividuals: individuals,
    departments,
    flow,
    modularity: result.modularity,
    communities: result.communities,
  };
  if (q.source === "app") {
    view.newcomersByDepartment = {};
    for (const n of newcomers) {
      const d = departmentOf.get(n.id) ?? "(none)";
      view.newcomersByDepartment[d] = (view.newcomersByDepartment[d] ?? 0) + 1;
    }
  }
  if (q.level === "person") {
    view.people = result.graph.ids.map((id) => {
      const m = result.people[id];
      return {
        id,
        label: labelOf.get(id) ?? id,
        department: m.department,
        inDegree: m.in_degree,
        outDegree: m.out_degree,
        betweenness: m.betweenness,
        pagerank: m.pagerank,
        community: m.community,
      };
    });
    view.edges = edges.map((e) => ({ source: e.source, target: e.target, weight: e.weight ?? 1 }));
    view.topics = [...busFactors(contributions)]
      .map(([t, b]) => ({
        topic: t,
        busFactor: b.busFactor,
        total: b.total,
        people: b.people.map((p) => ({ id: p, label: labelOf.get(p) ?? p })),
      }))
      .sort((a, b) => a.busFactor - b.busFactor || b.total - a.total)
      .slice(0, 30);
    if (q.source === "app")
      view.newcomers = newcomers.map((n) => ({
        id: n.id,
        label: labelOf.get(n.id) ?? n.id,
        department: departmentOf.get(n.id) ?? "(none)",
        joinedAt: new Date(n.joinedAt).toISOString(),
      }));
  }
  return view;
}

const csvCell = (v: string | number) => {
  const s = String(v);
  // Quote, and defuse spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The view as CSV: one row per person (individual level) or per department. */
export function networkCsv(view: NetworkView): string {
  if (view.level === "person" && view.people) {
    const head = ["id", "name", "department", "in_degree", "out_degree", "betweenness", "pagerank", "community"];
    return (
      [
        head.join(","),
        ...view.people.map((p) =>
          [p.id, p.label, p.department, p.inDegree, p.outDegree, p.betweenness, p.pagerank, p.community]
            .map(csvCell)
            .join(","),
        ),
      ].join("\n") + "\n"
    );
  }
  const head = ["department", "people", "silo", "internal_flow", "outgoing_flow", "incoming_flow"];
  return (
    [
      head.join(","),
      ...view.departments.map((d) =>
        [d.name, d.people, d.silo, d.internal, d.outgoing, d.incoming].map(csvCell).join(","),
      ),
    ].join("\n") + "\n"
  );
}
