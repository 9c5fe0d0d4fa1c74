import { eq, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import { spaceMembers, spaces, workgroups } from "../../../db/schema";
import type { AppContext } from "../../context";
import { rows, type Executor } from "../../platform/db";
import { AppError, invalidField, notFound } from "../../platform/errors";
import { abilities, authorize, type Actor, type WorkgroupSubject } from "../../authz/policy";
import { ORG_AUDIENCE } from "../../authz/audience";
import { renderMarkdown } from "../../domain/markdown/render";
import {
  alternatives,
  DistanceTable,
  formTeam,
  groupCost,
  hopDistances,
  rarestFirst,
  TeamError,
  type Candidate,
  type TeamProblem,
} from "../../domain/workgroups/team";
import { insertSpace } from "../spaces/spaces.service";
import { insertPost } from "../lessons/wol.service";
import { createRetrospective } from "../lessons/lessons.service";
import type { EvaluateIn, ProposalOut, ProposeIn, WorkgroupIn, WorkgroupOut } from "./workgroups.schema";

type Availability = "available" | "busy" | "away";
type Colleague = {
  id: string;
  name: string;
  department: string;
  title: string;
  availability: Availability;
  away: boolean;
};
type WorkgroupRow = typeof workgroups.$inferSelect;

/** Evidence below this share of the organisation's best does not count as having shown a skill. */
const MIN_EVIDENCE = 0.1;
const pct = (v: number) => `${Math.round(v * 100)} %`;
const round2 = (v: number) => Math.round(v * 100) / 100;
const uuidList = (ids: readonly string[]) =>
  sql.join(
    ids.map((i) => sql`${i}::uuid`),
    sql`, `,
  );

/**
 * SQL: the audience in `column` is open to every colleague — the whole organisation, public spaces and
 * communities visible to everyone. Evidence, help ties and suggested skills use only such content, so
 * no proposal rests on (or reveals) anything private.
 */
const openAudienceSql = (column: string): SQL => {
  const c = sql.raw(column);
  return sql`(${c} = ${ORG_AUDIENCE}::uuid or ${c} in (select id from spaces where visibility = 'public')
    or ${c} in (select id from communities where visibility = 'everyone'))`;
};

async function openAudiences(db: Executor): Promise<Set<string>> {
  const found = await rows<{ id: string }>(
    db,
    sql`select id from spaces where visibility = 'public' union all select id from communities where visibility = 'everyone'`,
  );
  return new Set([ORG_AUDIENCE, ...found.map((r) => r.id)]);
}

/** Colleagues who can join a workgroup: active, able to sign in, not guests. */
async function colleagues(ctx: AppContext, db: Executor, ids?: readonly string[]): Promise<Map<string, Colleague>> {
  const found = await rows<{
    id: string;
    name: string;
    department: string;
    title: string;
    availability: Availability;
    away_until: Date | string | null;
  }>(
    db,
    sql`select id, name, department, title, availability, away_until from users
        where deactivated_at is null and role <> 'guest' and import_key is null
        ${ids ? (ids.length ? sql`and id in (${uuidList(ids)})` : sql`and false`) : sql``}
        order by name, id`,
  );
  const now = ctx.now();
  return new Map(
    found.map((r) => [
      r.id,
      {
        id: r.id,
        name: r.name,
        department: r.department,
        title: r.title,
        availability: r.availability,
        away: r.availability === "away" && (!r.away_until || new Date(r.away_until) > now),
      },
    ]),
  );
}

async function checkColleagues(
  ctx: AppContext,
  ids: readonly string[],
  field: string,
): Promise<Map<string, Colleague>> {
  const found = await colleagues(ctx, ctx.db, ids);
  if (found.size !== new Set(ids).size)
    throw invalidField(field, "contains someone who is not a colleague who can join");
  return found;
}

/** Evidence per person per skill (0–1 of the best in the organisation), from open content only. */
async function evidenceFor(ctx: AppContext, skills: readonly string[]): Promise<Map<string, Map<string, number>>> {
  const audiences = await openAudiences(ctx.db);
  const out = new Map<string, Map<string, number>>();
  for (const topic of skills) {
    const ranked = await ctx.expertise.rank(
      { text: topic.replace(/-/g, " "), tags: [topic], at: ctx.now() },
      { readableAudiences: audiences, limit: 300 },
    );
    const best = ranked[0]?.score ?? 0;
    if (best <= 0) continue;
    for (const r of ranked) {
      const v = Math.min(1, r.score / best);
      if (v < MIN_EVIDENCE) continue;
      if (!out.has(r.personId)) out.set(r.personId, new Map());
      out.get(r.personId)!.set(topic, round2(v));
    }
  }
  return out;
}

/**
 * Help ties between colleagues, undirected for distances, with their direction kept for reasons: an
 * answer to someone's question, a comment on their question or answer, an edit of their article — in
 * open content only.
 */
async function helpTies(db: Executor): Promise<{ helped: Set<string>; adjacency: Map<string, Set<string>> }> {
  const found = await rows<{ source: string; target: string }>(
    db,
    sql`select distinct source, target from (
          select a.author_id as source, q.author_id as target
            from answers a join questions q on q.id = a.question_id
            where a.deleted_at is null and q.deleted_at is null and ${openAudienceSql("q.audience_id")}
          union all
          select c.author_id as source, coalesce(qa.author_id, qq.author_id) as target
            from comments c
            left join answers qa on c.post_type = 'answer' and qa.id = c.post_id
            left join questions qq on c.post_type = 'question' and qq.id = c.post_id
            join questions q on q.id = coalesce(qa.question_id, qq.id)
            where c.deleted_at is null and q.deleted_at is null and ${openAudienceSql("q.audience_id")}
          union all
          select r.author_id as source, ar.owner_id as target
            from article_revisions r join articles ar on ar.id = r.article_id
            where ar.deleted_at is null and ar.status = 'published' and r.version > 1
              and ${openAudienceSql("ar.audience_id")}
        ) t where target is not null and source <> target`,
  );
  const helped = new Set<string>();
  const adjacency = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (!adjacency.has(a)) adjacency.set(a, new Set());
    adjacency.get(a)!.add(b);
  };
  for (const r of found) {
    helped.add(`${r.source}>${r.target}`);
    link(r.source, r.target);
    link(r.target, r.source);
  }
  return { helped, adjacency };
}

/** A pool of candidates with their evidence and distances, ready for the team search. */
type Pool = {
  skills: string[];
  people: Colleague[];
  candidates: Candidate[];
  index: Map<string, number>;
  table: DistanceTable;
  problem: TeamProblem;
  helped: Set<string>;
  /** Skills nobody in the organisation has shown. */
  unheld: string[];
};

async function buildPool(
  ctx: AppContext,
  skills: string[],
  include: readonly string[],
  availableOnly: boolean,
  /** Also colleagues without evidence (who may bring another department). */
  everybody = false,
): Promise<Pool> {
  const evidence = await evidenceFor(ctx, skills);
  const everyone = await colleagues(ctx, ctx.db);
  const people = [...everyone.values()].filter(
    (p) => include.includes(p.id) || ((everybody || evidence.has(p.id)) && !(availableOnly && p.away)),
  );
  const index = new Map(people.map((p, i) => [p.id, i]));
  const candidates: Candidate[] = people.map((p) => ({
    id: p.id,
    department: p.department,
    skills: evidence.get(p.id) ?? new Map(),
  }));
  const { helped, adjacency } = await helpTies(ctx.db);
  // Hop distances over the whole who-helps-whom graph (paths may run through anyone), read for the pool.
  const nodes = [...new Set([...people.map((p) => p.id), ...adjacency.keys()])];
  const node = new Map(nodes.map((id, i) => [id, i]));
  const lists = nodes.map((id) => [...(adjacency.get(id) ?? [])].map((x) => node.get(x)!));
  const hops = people.map((p) => hopDistances(lists, node.get(p.id)!));
  const table = new DistanceTable(people.length, (a, b) => {
    const d = hops[a][node.get(people[b].id)!];
    return d < 0 ? Infinity : d;
  });
  const problem: TeamProblem = { skills, people: candidates, distance: (a, b) => table.get(a, b) };
  const unheld = skills.filter((s) => !candidates.some((c) => (c.skills.get(s) ?? 0) > 0));
  return { skills, people, candidates, index, table, problem, helped, unheld };
}

function tieText(pool: Pool, a: number, b: number): string | null {
  const x = pool.people[a].id;
  const y = pool.people[b].id;
  const gave = pool.helped.has(`${x}>${y}`);
  const got = pool.helped.has(`${y}>${x}`);
  const name = pool.people[b].name;
  if (gave && got) return `Helped and was helped by ${name}`;
  if (gave) return `Helped ${name}`;
  if (got) return `Was helped by ${name}`;
  return null;
}

/** The proposal's answer for a group of pool members (indexes), with reasons, alternatives, coverage and cost. */
function present(
  pool: Pool,
  members: number[],
  options: { must?: ReadonlySet<number>; filled?: ReadonlySet<number>; messages?: string[]; minDepartments?: number },
): ProposalOut {
  const must = options.must ?? new Set<number>();
  const messages = [...(options.messages ?? [])];
  const { table, candidates, people, skills } = pool;
  const strength = (m: number, s: string) => candidates[m].skills.get(s) ?? 0;
  const covers = (m: number) =>
    skills.filter((s) => strength(m, s) > 0).map((topic) => ({ topic, evidence: strength(m, topic) }));
  const person = (m: number) => ({
    id: people[m].id,
    name: people[m].name,
    department: people[m].department,
    title: people[m].title,
    availability: people[m].availability,
  });
  const departmentCount = new Map<string, number>();
  for (const m of members) {
    const d = people[m].department || "—";
    departmentCount.set(d, (departmentCount.get(d) ?? 0) + 1);
  }
  const seats = alternatives(pool.problem, members, 3, table);
  const out: ProposalOut["members"] = members.map((m, k) => {
    const reasons: ProposalOut["members"][number]["reasons"] = [];
    if (must.has(m)) reasons.push({ kind: "mustInclude", text: "Must be included (your choice)" });
    for (const c of covers(m)) {
      const others = members.filter((o) => o !== m && strength(o, c.topic) > 0);
      reasons.push({
        kind: "skill",
        text: `Covers ${c.topic} (evidence ${pct(c.evidence)})${others.length === 0 ? ", the only one in the group" : ""}`,
      });
    }
    if (options.filled?.has(m))
      reasons.push({
        kind: "fill",
        text: covers(m).length
          ? "Fills a free seat: adds the most evidence at the least added cost"
          : "Fills a free seat from another department, the closest through help ties",
      });
    const ties = members.filter((o) => o !== m).map((o) => tieText(pool, m, o));
    for (const t of ties) if (t) reasons.push({ kind: "tie", text: t });
    if (!ties.some(Boolean) && members.length > 1) {
      const nearest = members.filter((o) => o !== m).sort((a, b) => table.get(m, a) - table.get(m, b))[0];
      const d = table.get(m, nearest);
      reasons.push({
        kind: "tie",
        text:
          d >= table.disconnected
            ? "No help ties to the group yet"
            : `${d} steps from ${people[nearest].name} through help ties`,
      });
    }
    const dept = people[m].department || "—";
    if (departmentCount.size > 1 && departmentCount.get(dept) === 1)
      reasons.push({ kind: "department", text: `Brings ${people[m].department || "no department"} into the mix` });
    return {
      ...person(m),
      covers: covers(m),
      reasons,
      mustInclude: must.has(m),
      alternatives: must.has(m)
        ? []
        : seats[k].options.map((o) => ({ ...person(o.person), covers: covers(o.person), cost: o.cost })),
    };
  });
  const coverage = skills.map((topic) => ({
    topic,
    coveredBy: members
      .filter((m) => strength(m, topic) > 0)
      .map((m) => ({ id: people[m].id, evidence: strength(m, topic) }))
      .sort((a, b) => b.evidence - a.evidence),
  }));
  const uncovered = coverage.filter((c) => c.coveredBy.length === 0).map((c) => c.topic);
  const held = uncovered.filter((s) => !pool.unheld.includes(s));
  if (pool.unheld.length)
    messages.push(
      `Nobody has shown ${pool.unheld.join(", ")} in organisation-wide content: that skill stays uncovered.`,
    );
  if (held.length) messages.push(`Not covered by this group: ${held.join(", ")}.`);
  const minDepartments = options.minDepartments ?? 1;
  if (departmentCount.size < minDepartments)
    messages.push(
      `The group spans ${departmentCount.size} department${departmentCount.size === 1 ? "" : "s"}, fewer than the ${minDepartments} asked for.`,
    );
  let directTies = 0;
  for (let x = 0; x < members.length; x++)
    for (let y = x + 1; y < members.length; y++) if (table.get(members[x], members[y]) === 1) directTies++;
  const rf = skills.length > pool.unheld.length ? rarestFirst(pool.problem, table) : null;
  const { cost: sum, diameter } = groupCost(members, table);
  return {
    skills,
    members: out,
    coverage,
    uncovered,
    unheld: pool.unheld,
    departments: [...departmentCount.keys()],
    cost: {
      sum,
      diameter,
      disconnected: table.disconnected,
      directTies,
      rarestFirst: rf ? { sum: rf.cost, diameter: rf.diameter, size: rf.members.length } : null,
    },
    messages,
  };
}

/**
 * Suggested skills for a challenge: existing tags, ranked by how often they occur on open questions and
 * articles whose title or text shares words with the description (a tag named in it counts most).
 */
export async function suggestSkills(ctx: AppContext, actor: Actor, description: string) {
  authorize(actor, "proposeWorkgroup", { kind: "instance" });
  const text = description.toLowerCase();
  const words = [...new Set(text.match(/[\p{L}\p{N}][\p{L}\p{N}+#.-]{2,}/gu) ?? [])]
    .map((w) => w.replace(/[.-]+$/, ""))
    .filter((w) => w.length >= 3 && !STOP.has(w))
    .slice(0, 30);
  if (!words.length) return { items: [] };
  const like = (col: string) =>
    sql.join(
      words.map((w) => sql`${sql.raw(col)} ilike ${"%" + w.replace(/[\\%_]/g, (c) => "\\" + c) + "%"}`),
      sql` or `,
    );
  const found = await rows<{ title: string; body: string; tags: string[] }>(
    ctx.db,
    sql`select title, left(body, 2000) as body, tags from (
          select q.title, q.body, q.tags from questions q
            where q.deleted_at is null and ${openAudienceSql("q.audience_id")} and (${like("q.title")} or ${like("q.body")})
          union all
          select a.title, a.body, a.tags from articles a
            where a.deleted_at is null and a.status = 'published' and ${openAudienceSql("a.audience_id")}
              and (${like("a.title")} or ${like("a.body")})
        ) t limit 400`,
  );
  const allTags = await rows<{ tag: string }>(
    ctx.db,
    sql`select distinct unnest(tags) as tag from questions q where q.deleted_at is null and ${openAudienceSql("q.audience_id")}
        union select distinct unnest(tags) as tag from articles a
          where a.deleted_at is null and a.status = 'published' and ${openAudienceSql("a.audience_id")}`,
  );
  const score = new Map<string, { score: number; items: number; named: boolean; matched: Set<string> }>();
  const entry = (tag: string) => {
    if (!score.has(tag)) score.set(tag, { score: 0, items: 0, named: false, matched: new Set() });
    return score.get(tag)!;
  };
  for (const { tag } of allTags) {
    const phrase = tag.replace(/-/g, " ");
    if (
      phrase.length >= 2 &&
      new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(phrase)}($|[^\\p{L}\\p{N}])`, "u").test(text.replace(/-/g, " "))
    ) {
      const e = entry(tag);
      e.named = true;
      e.score += 5;
    }
  }
  for (const item of found) {
    const hay = `${item.title} ${item.body}`.toLowerCase();
    const matched = words.filter((w) => hay.includes(w));
    if (!matched.length) continue;
    const titleHits = words.filter((w) => item.title.toLowerCase().includes(w)).length;
    for (const tag of item.tags) {
      const e = entry(tag.toLowerCase());
      e.items++;
      e.score += matched.length + titleHits;
      for (const w of matched) e.matched.add(w);
    }
  }
  const items = [...score.entries()]
    .filter(([, e]) => e.named || e.items >= 1)
    .sort((a, b) => b[1].score - a[1].score || a[0].localeCompare(b[0]))
    .slice(0, 6)
    .map(([topic, e]) => {
      const parts: string[] = [];
      if (e.named) parts.push("named in the description");
      if (e.items)
        parts.push(
          `on ${e.items} question${e.items === 1 ? "" : "s"} or article${e.items === 1 ? "" : "s"} mentioning ${[
            ...e.matched,
          ]
            .slice(0, 3)
            .map((w) => `“${w}”`)
            .join(", ")}`,
        );
      const why = parts.join("; ");
      return { topic, why: why.charAt(0).toUpperCase() + why.slice(1), score: e.score };
    });
  return { items };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const STOP = new Set(
  "the and for with that this from into our your their have has need needs want will would should could about over under more less than then them they what when where which while who why how all any are was were been being can not but out off its it's new use using make build team group people work help".split(
    " ",
  ),
);

/** Proposes a group for a challenge (see domain/workgroups/team.ts) with the reasons for each pick. */
export async function propose(ctx: AppContext, actor: Actor, input: z.output<typeof ProposeIn>): Promise<ProposalOut> {
  authorize(actor, "proposeWorkgroup", { kind: "instance" });
  const mustIds = [...new Set(input.mustInclude)];
  if (mustIds.length > input.size) throw invalidField("mustInclude", "names more people than the group size");
  const mustPeople = await checkColleagues(ctx, mustIds, "mustInclude");
  // More than one department asked for: anyone may bring one (the search adds the closest).
  const pool = await buildPool(ctx, input.skills, mustIds, input.availableOnly, input.minDepartments > 1);
  const must = mustIds.map((id) => pool.index.get(id)!);
  const messages: string[] = [];
  if (input.availableOnly)
    for (const id of mustIds)
      if (mustPeople.get(id)!.away) messages.push(`${mustPeople.get(id)!.name} is away but must be included.`);
  let team;
  try {
    team = formTeam(
      { ...pool.problem, mustInclude: must, maxSize: input.size, minDepartments: input.minDepartments },
      pool.table,
    );
  } catch (e) {
    if (e instanceof TeamError) throw invalidField("mustInclude", e.message);
    throw e;
  }
  const members = [...team.members];
  if (members.length > input.size)
    messages.push(
      `Covering every skill takes ${members.length} people, more than the ${input.size} seats asked for: add seats or drop a skill.`,
    );
  // Free seats: while departments are missing, the closest person from a new department; then the people
  // who add the most evidence on the required skills per unit of added cost.
  const filled = new Set<number>();
  const department = (i: number) => pool.people[i].department || "—";
  let stuck: "department" | "people" | null = null;
  while (members.length < input.size) {
    const have = new Set(members.map(department));
    const needDepartment = have.size < input.minDepartments;
    let pick = -1;
    let best = 0;
    for (let c = 0; c < pool.people.length; c++) {
      if (members.includes(c)) continue;
      if (needDepartment && have.has(department(c))) continue;
      const gain =
        pool.skills.reduce((sum, s) => sum + (pool.candidates[c].skills.get(s) ?? 0), 0) + (needDepartment ? 0.01 : 0);
      if (gain <= 0) continue;
      const added = members.reduce((sum, m) => sum + pool.table.get(c, m), 0) || 1;
      const value = gain / added;
      if (value > best + 1e-9) {
        best = value;
        pick = c;
      }
    }
    if (pick < 0) {
      stuck = needDepartment ? "department" : "people";
      break;
    }
    members.push(pick);
    filled.add(pick);
  }
  if (stuck === "department") messages.push(`Nobody from another department is free to fill the remaining seats.`);
  if (stuck === "people")
    messages.push(
      `Only ${members.length} ${members.length === 1 ? "person has" : "people have"} shown these skills${input.availableOnly ? " and are available" : ""}: the group has ${members.length} of the ${input.size} seats filled.`,
    );
  return present(pool, members, { must: new Set(must), filled, messages, minDepartments: input.minDepartments });
}

/** Coverage, cost, reasons and alternatives of a group the leader edited. */
export async function evaluate(
  ctx: AppContext,
  actor: Actor,
  input: z.output<typeof EvaluateIn>,
): Promise<ProposalOut> {
  authorize(actor, "proposeWorkgroup", { kind: "instance" });
  const ids = [...new Set(input.memberIds)];
  await checkColleagues(ctx, ids, "memberIds");
  const pool = await buildPool(ctx, input.skills, ids, input.availableOnly);
  return present(
    pool,
    ids.map((id) => pool.index.get(id)!),
    {},
  );
}

const subjectOf = (w: WorkgroupRow): WorkgroupSubject => ({
  kind: "workgroup",
  id: w.id,
  leaderId: w.leaderId,
  memberIds: w.memberIds,
  status: w.status,
});

async function load(db: Executor, actor: Actor, id: string, lock = false): Promise<WorkgroupRow> {
  const q = db.select().from(workgroups).where(eq(workgroups.id, id));
  const [w] = lock ? await q.for("update") : await q;
  if (!w) throw notFound("Workgroup not found");
  authorize(actor, "read", subjectOf(w));
  return w;
}

async function presentWorkgroup(ctx: AppContext, actor: Actor, w: WorkgroupRow): Promise<WorkgroupOut> {
  const ids = [w.leaderId, ...w.memberIds];
  const found = await rows<{ id: string; name: string; department: string; title: string; availability: Availability }>(
    ctx.db,
    sql`select id, name, department, title, availability from users where id in (${uuidList(ids)})`,
  );
  const byId = new Map(found.map((p) => [p.id, p]));
  const person = (id: string) => {
    const p = byId.get(id);
    return {
      id,
      name: p?.name ?? "",
      department: p?.department ?? "",
      title: p?.title ?? "",
      availability: p?.availability ?? ("available" as const),
    };
  };
  const [space] = await ctx.db
    .select({ id: spaces.id, name: spaces.name, slug: spaces.slug })
    .from(spaces)
    .where(eq(spaces.id, w.spaceId));
  const evidence = await evidenceFor(ctx, w.skills);
  const coverage = w.skills.map((topic) => ({
    topic,
    coveredBy: ids
      .map((id) => ({ id, evidence: evidence.get(id)?.get(topic) ?? 0 }))
      .filter((c) => c.evidence > 0)
      .sort((a, b) => b.evidence - a.evidence),
  }));
  return {
    id: w.id,
    title: w.title,
    description: w.description,
    descriptionHtml: renderMarkdown(w.description),
    skills: w.skills,
    status: w.status,
    leader: person(w.leaderId),
    members: w.memberIds.map(person),
    space,
    kickoffPostId: w.kickoffPostId,
    retrospectiveId: w.retrospectiveId,
    createdAt: w.createdAt.toISOString(),
    closedAt: w.closedAt?.toISOString() ?? null,
    coverage,
    can: abilities(actor, subjectOf(w)),
  };
}

/**
 * Confirms a group: in one transaction the workgroup, its private space (the leader owns it, the members
 * edit it) and a kick-off post in that space naming the members and skills.
 */
export async function confirm(ctx: AppContext, actor: Actor, input: z.output<typeof WorkgroupIn>) {
  authorize(actor, "proposeWorkgroup", { kind: "instance" });
  const memberIds = [...new Set(input.memberIds)].filter((id) => id !== actor.id);
  if (!memberIds.length) throw invalidField("memberIds", "name at least one member besides you");
  const people = await checkColleagues(ctx, memberIds, "memberIds");
  const now = ctx.now();
  const id = await ctx.db.transaction(async (tx) => {
    const spaceId = await insertSpace(
      tx,
      actor,
      {
        name: input.title.slice(0, 80),
        description: `Workgroup space: ${input.title}`.slice(0, 500),
        visibility: "private",
        memberAccess: "editor",
      },
      now,
    );
    await tx
      .insert(spaceMembers)
      .values(memberIds.map((userId) => ({ spaceId, userId, role: "editor" as const })))
      .onConflictDoNothing();
    const names = [actor.name + " (lead)", ...memberIds.map((m) => people.get(m)!.name)];
    const body = [
      `Kick-off: **${input.title}**`,
      input.description ? `\n${input.description}\n` : "",
      `Skills: ${input.skills.join(", ")}`,
      `Members: ${names.join(", ")}`,
    ]
      .filter(Boolean)
      .join("\n");
    const post = await insertPost(
      { ...ctx, db: tx },
      actor,
      { kind: "working_on", body, tags: input.skills.slice(0, 8), spaceId },
      tx,
    );
    const [w] = await tx
      .insert(workgroups)
      .values({
        title: input.title,
        description: input.description,
        skills: input.skills,
        leaderId: actor.id,
        memberIds,
        spaceId,
        kickoffPostId: post.id,
        createdAt: now,
      })
      .returning();
    return w.id;
  });
  return getWorkgroup(ctx, actor, id);
}

/** The workgroups the actor leads or belongs to, newest first. */
export async function listWorkgroups(ctx: AppContext, actor: Actor) {
  const found = await rows<{
    id: string;
    title: string;
    skills: string[];
    status: "active" | "closed";
    leader_id: string;
    leader_name: string;
    member_count: number;
    created_at: Date | string;
  }>(
    ctx.db,
    sql`select w.id, w.title, w.skills, w.status, w.leader_id, u.name as leader_name,
          cardinality(w.member_ids) + 1 as member_count, w.created_at
        from workgroups w join users u on u.id = w.leader_id
        where w.leader_id = ${actor.id} or ${actor.id}::uuid = any(w.member_ids)
        order by w.created_at desc, w.id limit 200`,
  );
  return {
    items: found.map((r) => ({
      id: r.id,
      title: r.title,
      skills: r.skills,
      status: r.status,
      leader: { id: r.leader_id, name: r.leader_name },
      memberCount: Number(r.member_count),
      createdAt: new Date(r.created_at).toISOString(),
    })),
  };
}

export async function getWorkgroup(ctx: AppContext, actor: Actor, id: string) {
  return presentWorkgroup(ctx, actor, await load(ctx.db, actor, id));
}

/** Closes a workgroup: a retrospective in its space with the leader and members as participants. */
export async function close(ctx: AppContext, actor: Actor, id: string) {
  await ctx.db.transaction(async (tx) => {
    const w = await load(tx, actor, id, true);
    authorize(actor, "close", subjectOf(w));
    const retro = await createRetrospective({ ...ctx, db: tx }, actor, {
      title: `Retrospective: ${w.title}`.slice(0, 200),
      spaceId: w.spaceId,
      participantIds: [w.leaderId, ...w.memberIds],
      items: [],
    });
    const done = await tx
      .update(workgroups)
      .set({ status: "closed", closedAt: ctx.now(), retrospectiveId: retro.id })
      .where(eq(workgroups.id, id))
      .returning();
    if (!done[0]) throw new AppError("conflict", "The workgroup changed; try again");
  });
  return getWorkgroup(ctx, actor, id);
}
