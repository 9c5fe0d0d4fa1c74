import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { journalEntries, learningPaths, pathEnrolments, pathProgress, pathSteps, reads } from "../../../db/schema";
import type { AppContext } from "../../context";
import { rows, type Executor } from "../../platform/db";
import { AppError, invalidField, notFound } from "../../platform/errors";
import { abilities, authorize, can, type Actor, type PathSubject } from "../../authz/policy";
import { audienceReadableSql, readableSql } from "../../authz/audience";
import { loadSpaceSubject } from "../../authz/access";
import { renderMarkdown } from "../../domain/markdown/render";
import type {
  AssignIn,
  CheckIn,
  CompleteIn,
  PathIn,
  PathOut,
  PathPatch,
  StepIn,
  StepOrderIn,
  StepOut,
  StepPatch,
} from "./paths.schema";

const iso = (d: Date | string) => new Date(d).toISOString();
const DAY = 86_400_000;
const today = (now: Date) => now.toISOString().slice(0, 10);

type PathRow = typeof learningPaths.$inferSelect;
type StepRow = typeof pathSteps.$inferSelect;
type StepKind = StepRow["kind"];

const subjectOf = (p: PathRow): PathSubject => ({ kind: "path", id: p.id, ownerId: p.ownerId, status: p.status });

async function loadPath(db: Executor, actor: Actor, id: string, lock = false): Promise<PathRow> {
  const q = db.select().from(learningPaths).where(eq(learningPaths.id, id));
  const [p] = lock ? await q.for("update") : await q;
  if (!p) throw notFound("Learning path not found");
  authorize(actor, "read", subjectOf(p));
  return p;
}

// ---------- What a step points at, as a reader sees it ----------

type TargetFacts = {
  exists: boolean;
  readable: boolean;
  title: string;
  where: string;
  href: string;
  /** For the "what changed" notices: the article a completed step counts as read (and its version). */
  articleId: string | null;
  articleVersion: number | null;
  deletedAt: Date | null;
  verifiedUntil: Date | null;
  supersededAt: Date | null;
  revisedAt: Date | null;
};

type FactRow = {
  id: string;
  title: string;
  where_name: string | null;
  readable: boolean;
  deleted_at: Date | string | null;
  article_id: string | null;
  article_version: number | null;
  v_until: Date | string | null;
  v_superseded_at: Date | string | null;
  revised_at: Date | string | null;
  extra: string | null;
};

const listSql = (ids: string[]) =>
  sql.join(
    ids.map((i) => sql`${i}::uuid`),
    sql`, `,
  );

// Verification facts of an article (alias a) or a question's accepted answer (alias q): expiry, when it was
// superseded, and the last time a challenge made its owner revise it.
const articleFacts = sql`v.verified_until as v_until, case when v.superseded_by_id is not null then v.updated_at end as v_superseded_at,
  (select max(c.resolved_at) from challenges c where c.subject_type = 'article' and c.subject_id = a.id and c.outcome = 'revised') as revised_at`;

/** The facts of every step target, in one query per kind present. */
async function targetFacts(db: Executor, actor: Actor, steps: StepRow[]): Promise<Map<string, TargetFacts>> {
  const out = new Map<string, TargetFacts>();
  const byKind = new Map<StepKind, string[]>();
  for (const s of steps)
    if (s.targetId && s.kind !== "link") byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), s.targetId]);
  const put = (r: FactRow, href: string, where: string | null) =>
    out.set(r.id, {
      exists: true,
      readable: r.readable,
      title: r.title,
      where: where ?? "Whole organisation",
      href,
      articleId: r.article_id,
      articleVersion: r.article_version,
      deletedAt: r.deleted_at ? new Date(r.deleted_at) : null,
      verifiedUntil: r.v_until ? new Date(r.v_until) : null,
      supersededAt: r.v_superseded_at ? new Date(r.v_superseded_at) : null,
      revisedAt: r.revised_at ? new Date(r.revised_at) : null,
    });
  for (const [kind, ids] of byKind) {
    const list = listSql([...new Set(ids)]);
    if (kind === "article") {
      for (const r of await rows<FactRow>(
        db,
        sql`select a.id, a.title, s.name as where_name, ${readableSql(actor, "article", "a")} as readable, a.deleted_at,
              a.id as article_id, a.version as article_version, ${articleFacts}, null as extra
            from articles a join spaces s on s.id = a.space_id left join verifications v on v.subject_type = 'article' and v.subject_id = a.id
            where a.id in (${list})`,
      ))
        put(r, `/articles/${r.id}`, r.where_name);
    } else if (kind === "attachment") {
      for (const r of await rows<FactRow>(
        db,
        sql`select at.id, at.name as title, a.title as where_name, coalesce(${readableSql(actor, "article", "a")}, false) as readable,
              a.deleted_at, a.id as article_id, a.version as article_version, ${articleFacts}, null as extra
            from attachments at join articles a on a.id = at.article_id
            left join verifications v on v.subject_type = 'article' and v.subject_id = a.id
            where at.id in (${list})`,
      ))
        put(r, `/api/attachments/${r.id}`, r.where_name);
    } else if (kind === "question") {
      for (const r of await rows<FactRow>(
        db,
        sql`select q.id, q.title, coalesce(s.name, c.name) as where_name, ${readableSql(actor, "question", "q")} as readable,
              q.deleted_at, null::uuid as article_id, null::int as article_version, v.verified_until as v_until,
              case when v.superseded_by_id is not null then v.updated_at end as v_superseded_at,
              (select max(ch.resolved_at) from challenges ch where ch.subject_type = 'answer' and ch.subject_id = q.accepted_answer_id
                 and ch.outcome = 'revised') as revised_at, null as extra
            from questions q left join spaces s on s.id = q.space_id left join communities c on c.id = q.community_id
            left join verifications v on v.subject_type = 'answer' and v.subject_id = q.accepted_answer_id
            where q.id in (${list})`,
      ))
        put(r, `/questions/${r.id}`, r.where_name);
    } else if (kind === "lesson") {
      for (const r of await rows<FactRow>(
        db,
        sql`select l.id, l.title, s.name as where_name, ${readableSql(actor, "lesson", "l")} as readable, l.deleted_at,
              null::uuid as article_id, null::int as article_version, null as v_until, null as v_superseded_at, null as revised_at, null as extra
            from lessons l left join spaces s on s.id = l.space_id where l.id in (${list})`,
      ))
        put(r, `/lessons/${r.id}`, r.where_name);
    } else if (kind === "session_file") {
      for (const r of await rows<FactRow>(
        db,
        sql`select f.id, f.name as title, ss.title as where_name, ${audienceReadableSql(actor, "ss.audience_id")} as readable,
              null as deleted_at, null::uuid as article_id, null::int as article_version, null as v_until, null as v_superseded_at,
              null as revised_at, ss.id::text as extra
            from session_files f join sharing_sessions ss on ss.id = f.session_id where f.id in (${list})`,
      ))
        put(r, `/sessions/${r.extra}`, r.where_name);
    }
  }
  return out;
}

type StepState = StepOut["state"];
/** The state of a step's knowledge and when it changed (to compare with the owner's last review). */
function stateOf(now: Date, f: TargetFacts | undefined): { state: StepState; since: Date | null; text: string | null } {
  if (!f || f.deletedAt)
    return { state: "removed", since: f?.deletedAt ?? null, text: "What this step pointed at was removed." };
  if (f.supersededAt)
    return {
      state: "superseded",
      since: f.supersededAt,
      text: "This knowledge was superseded: read what replaces it.",
    };
  if (f.revisedAt)
    return { state: "revised", since: f.revisedAt, text: "Revised after a challenge: it may say something new." };
  if (f.verifiedUntil && f.verifiedUntil < now)
    return { state: "expired", since: f.verifiedUntil, text: "Its verification expired: it may be out of date." };
  return { state: "ok", since: null, text: null };
}
/** A revision the owner has not looked at since; expiry, supersession and removal until dealt with. */
const needsReviewOf = (state: StepState, since: Date | null, reviewedAt: Date) =>
  state !== "ok" && (state !== "revised" || (since !== null && since > reviewedAt));

type Progress = typeof pathProgress.$inferSelect;

function presentCheck(c: StepRow["check"], reveal: boolean): StepOut["check"] {
  if (!c) return null;
  if (c.type === "short") return { type: "short", question: c.question, modelAnswer: reveal ? c.modelAnswer : null };
  return { type: c.type, question: c.question, options: c.options, correct: reveal ? c.correct : null };
}

type Presented = { steps: StepOut[]; facts: Map<string, TargetFacts> };

async function presentSteps(
  db: Executor,
  now: Date,
  actor: Actor,
  path: PathRow,
  steps: StepRow[],
  progress: Map<string, Progress>,
): Promise<Presented> {
  const facts = await targetFacts(db, actor, steps);
  const editor = can(actor, "edit", subjectOf(path));
  const out = steps.map((s): StepOut => {
    const f = s.targetId ? facts.get(s.targetId) : undefined;
    const mine = progress.get(s.id);
    const base = {
      id: s.id,
      position: s.position,
      kind: s.kind,
      note: s.note,
      noteHtml: renderMarkdown(s.note),
      reflectionPrompt: s.reflectionPrompt,
      mine: mine
        ? {
            completedAt: mine.completedAt ? iso(mine.completedAt) : null,
            attempts: mine.attempts,
            passed: mine.firstPassed,
            answer: mine.answer ?? null,
          }
        : null,
    };
    if (s.kind === "link")
      return {
        ...base,
        accessible: true,
        targetId: null,
        title: s.title || s.url,
        href: s.url,
        where: s.url ? new URL(s.url).host : null,
        check: presentCheck(s.check, editor || (mine?.completedAt ?? null) !== null || (mine?.attempts ?? 0) > 0),
        state: "ok",
        stateText: null,
        needsReview: false,
      };
    if (f && !f.readable)
      // Nothing of what it points at: not its title, not where it lives, not whether it changed.
      return {
        ...base,
        accessible: false,
        targetId: null,
        title: null,
        href: null,
        where: null,
        check: null,
        state: "ok",
        stateText: "This step points at knowledge you may not read; ask the path's owner.",
        needsReview: false,
      };
    const st = stateOf(now, f);
    const answered = (mine?.completedAt ?? null) !== null || (s.check?.type === "short" && (mine?.attempts ?? 0) > 0);
    return {
      ...base,
      accessible: st.state !== "removed",
      targetId: st.state === "removed" ? null : s.targetId,
      title: f ? s.title || f.title : s.title || null,
      href: st.state === "removed" ? null : (f?.href ?? null),
      where: f?.where ?? null,
      check: presentCheck(s.check, editor || answered),
      state: st.state,
      stateText: st.text,
      needsReview: needsReviewOf(st.state, st.since, s.reviewedAt),
    };
  });
  return { steps: out, facts };
}

async function stepsOf(db: Executor, pathId: string): Promise<StepRow[]> {
  return db.select().from(pathSteps).where(eq(pathSteps.pathId, pathId)).orderBy(pathSteps.position);
}

type EnrolmentRow = typeof pathEnrolments.$inferSelect;
async function enrolmentOf(db: Executor, pathId: string, userId: string): Promise<EnrolmentRow | undefined> {
  const [e] = await db
    .select()
    .from(pathEnrolments)
    .where(and(eq(pathEnrolments.pathId, pathId), eq(pathEnrolments.userId, userId)));
  return e;
}

async function progressOf(db: Executor, enrolmentId: string | undefined): Promise<Map<string, Progress>> {
  if (!enrolmentId) return new Map();
  const found = await db.select().from(pathProgress).where(eq(pathProgress.enrolmentId, enrolmentId));
  return new Map(found.map((p) => [p.stepId, p]));
}

/** What counts toward completion for this learner: the steps they can open. */
const countable = (steps: StepOut[]) => steps.filter((s) => s.accessible);

export async function presentPath(
  ctx: AppContext,
  actor: Actor,
  path: PathRow,
  db: Executor = ctx.db,
): Promise<PathOut> {
  const now = ctx.now();
  const [steps, enrolment, counts, owner] = await Promise.all([
    stepsOf(db, path.id),
    enrolmentOf(db, path.id, actor.id),
    rows<{ learners: number; completions: number }>(
      db,
      sql`select count(*)::int as learners, count(completed_at)::int as completions from path_enrolments where path_id = ${path.id}`,
    ),
    rows<{ id: string; name: string }>(db, sql`select id, name from users where id = ${path.ownerId}`),
  ]);
  const progress = await progressOf(db, enrolment?.id);
  const { steps: shown } = await presentSteps(db, now, actor, path, steps, progress);
  const mineSteps = countable(shown);
  const next = mineSteps.find((s) => !s.mine?.completedAt) ?? null;
  let assignedBy: { id: string; name: string } | null = null;
  if (enrolment?.assignedBy)
    [assignedBy] = await rows<{ id: string; name: string }>(
      db,
      sql`select id, name from users where id = ${enrolment.assignedBy}`,
    );
  const subject = subjectOf(path);
  const ab = abilities(actor, subject);
  return {
    id: path.id,
    title: path.title,
    goal: path.goal,
    goalHtml: renderMarkdown(path.goal),
    audience: path.audience,
    topics: path.topics,
    owner: owner[0] ?? { id: path.ownerId, name: "Former colleague" },
    status: path.status,
    version: path.version,
    createdAt: iso(path.createdAt),
    updatedAt: iso(path.updatedAt),
    steps: shown,
    stepsToReview: shown.filter((s) => s.needsReview).length,
    learners: counts[0]?.learners ?? 0,
    completions: counts[0]?.completions ?? 0,
    mine: enrolment
      ? {
          enrolledAt: iso(enrolment.enrolledAt),
          assignedBy: assignedBy ?? null,
          dueOn: enrolment.dueOn,
          overdue: enrolment.completedAt === null && enrolment.dueOn !== null && enrolment.dueOn < today(now),
          completedAt: enrolment.completedAt ? iso(enrolment.completedAt) : null,
          lastStepId: enrolment.lastStepId,
          nextStepId: enrolment.completedAt ? null : (next?.id ?? null),
          done: mineSteps.filter((s) => s.mine?.completedAt).length,
          total: mineSteps.length,
        }
      : null,
    can: { edit: ab.edit, enrol: ab.enrol && !enrolment, assign: ab.assign, analytics: ab.analytics },
  };
}

// ---------- Lists ----------

export async function listPaths(ctx: AppContext, actor: Actor) {
  const km = actor.role === "admin" || actor.knowledgeManager === true;
  const found = await rows<{
    id: string;
    title: string;
    audience: string;
    topics: string[];
    owner_id: string;
    owner_name: string;
    status: PathRow["status"];
    steps: number;
    learners: number;
    e_id: string | null;
    due_on: string | null;
    completed_at: Date | string | null;
  }>(
    ctx.db,
    sql`select p.id, p.title, p.audience, p.topics, p.owner_id, u.name as owner_name, p.status,
          (select count(*)::int from path_steps s where s.path_id = p.id) as steps,
          (select count(*)::int from path_enrolments e where e.path_id = p.id) as learners,
          me.id as e_id, me.due_on, me.completed_at
        from learning_paths p join users u on u.id = p.owner_id
        left join path_enrolments me on me.path_id = p.id and me.user_id = ${actor.id}
        where p.status <> 'draft' or p.owner_id = ${actor.id} or ${km}
        order by (me.id is not null and me.completed_at is null) desc, me.due_on nulls last, p.updated_at desc
        limit 500`,
  );
  // Progress and review state need each path's steps as this reader sees them: done for the paths
  // the reader is on or owns (a handful), counted plainly for the rest.
  const items = [];
  for (const r of found) {
    let mine = null;
    let stepsToReview = 0;
    if (r.e_id || r.owner_id === actor.id) {
      const path = (await ctx.db.select().from(learningPaths).where(eq(learningPaths.id, r.id)))[0];
      const shown = await presentPath(ctx, actor, path);
      stepsToReview = r.owner_id === actor.id ? shown.stepsToReview : 0;
      if (shown.mine)
        mine = {
          done: shown.mine.done,
          total: shown.mine.total,
          dueOn: shown.mine.dueOn,
          overdue: shown.mine.overdue,
          completedAt: shown.mine.completedAt,
        };
    }
    items.push({
      id: r.id,
      title: r.title,
      audience: r.audience,
      topics: r.topics,
      owner: { id: r.owner_id, name: r.owner_name },
      status: r.status,
      steps: r.steps,
      stepsToReview,
      learners: r.learners,
      mine,
    });
  }
  return { items };
}

export async function getPath(ctx: AppContext, actor: Actor, id: string) {
  return presentPath(ctx, actor, await loadPath(ctx.db, actor, id));
}

// ---------- Authoring ----------

export async function createPath(ctx: AppContext, actor: Actor, input: z.infer<typeof PathIn>) {
  authorize(actor, "createPath", { kind: "instance" });
  const now = ctx.now();
  const [p] = await ctx.db
    .insert(learningPaths)
    .values({ ...input, ownerId: actor.id, createdAt: now, updatedAt: now })
    .returning();
  return presentPath(ctx, actor, p);
}

/** Locks the path for a change by an editor and checks the version the change was made on. */
async function editable(tx: Executor, actor: Actor, id: string, version: number): Promise<PathRow> {
  const p = await loadPath(tx, actor, id, true);
  authorize(actor, "edit", subjectOf(p));
  if (p.version !== version)
    throw new AppError("conflict", "Someone changed this path in the meantime; reload to see their version");
  return p;
}

async function bump(tx: Executor, id: string, now: Date, set: Partial<PathRow> = {}) {
  const [p] = await tx
    .update(learningPaths)
    .set({ ...set, version: sql`${learningPaths.version} + 1`, updatedAt: now })
    .where(eq(learningPaths.id, id))
    .returning();
  return p;
}

export async function updatePath(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof PathPatch>) {
  const { version, ...set } = input;
  const p = await ctx.db.transaction(async (tx) => {
    const cur = await editable(tx, actor, id, version);
    if (set.status === "published" && cur.status !== "published") {
      const [n] = await rows<{ n: number }>(tx, sql`select count(*)::int as n from path_steps where path_id = ${id}`);
      if (!n || n.n === 0) throw invalidField("status", "add at least one step before publishing");
    }
    return bump(tx, id, ctx.now(), set);
  });
  return presentPath(ctx, actor, p);
}

function validateCheck(check: CheckIn | null | undefined) {
  if (!check || check.type === "short") return;
  const bad = check.correct.find((i) => i >= check.options.length);
  if (bad !== undefined) throw invalidField("check.correct", `option ${bad + 1} does not exist`);
  if (check.type === "single" && new Set(check.correct).size !== 1)
    throw invalidField("check.correct", "a single-choice check has exactly one correct option");
}

/** The target of a new step must exist and be readable by its author (nobody links what they cannot read). */
async function checkTarget(db: Executor, actor: Actor, kind: StepKind, targetId: string | undefined) {
  if (kind === "link") return;
  if (!targetId) throw invalidField("targetId", "choose what the step points at");
  const facts = await targetFacts(db, actor, [{ kind, targetId } as StepRow]);
  const f = facts.get(targetId);
  if (!f || !f.readable || f.deletedAt)
    throw invalidField("targetId", `no such ${kind.replace("_", " ")} you can read`);
}

export async function addStep(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof StepIn>) {
  if (input.kind === "link" && !input.url) throw invalidField("url", "give the link's address");
  if (input.kind === "link" && !input.title) throw invalidField("title", "give the link a title");
  validateCheck(input.check);
  const p = await ctx.db.transaction(async (tx) => {
    await editable(tx, actor, id, input.version);
    await checkTarget(tx, actor, input.kind, input.targetId);
    const [n] = await rows<{ n: number }>(tx, sql`select count(*)::int as n from path_steps where path_id = ${id}`);
    if ((n?.n ?? 0) >= 200) throw invalidField("kind", "a path has at most 200 steps");
    await tx.insert(pathSteps).values({
      pathId: id,
      position: (n?.n ?? 0) + 1,
      kind: input.kind,
      targetId: input.kind === "link" ? null : input.targetId!,
      url: input.kind === "link" ? input.url! : null,
      title: input.title,
      note: input.note,
      check: input.check,
      reflectionPrompt: input.reflectionPrompt,
      reviewedAt: ctx.now(),
      createdAt: ctx.now(),
    });
    return bump(tx, id, ctx.now());
  });
  return presentPath(ctx, actor, p);
}

async function stepOf(db: Executor, pathId: string, stepId: string): Promise<StepRow> {
  const [s] = await db
    .select()
    .from(pathSteps)
    .where(and(eq(pathSteps.id, stepId), eq(pathSteps.pathId, pathId)));
  if (!s) throw notFound("Step not found");
  return s;
}

export async function updateStep(
  ctx: AppContext,
  actor: Actor,
  id: string,
  stepId: string,
  input: z.infer<typeof StepPatch>,
) {
  validateCheck(input.check);
  const p = await ctx.db.transaction(async (tx) => {
    await editable(tx, actor, id, input.version);
    const s = await stepOf(tx, id, stepId);
    if (s.kind === "link" && input.title !== undefined && !input.title)
      throw invalidField("title", "give the link a title");
    await tx
      .update(pathSteps)
      .set({
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.note !== undefined ? { note: input.note } : {}),
        ...(input.check !== undefined ? { check: input.check } : {}),
        ...(input.reflectionPrompt !== undefined ? { reflectionPrompt: input.reflectionPrompt } : {}),
        ...(input.reviewed ? { reviewedAt: ctx.now() } : {}),
      })
      .where(eq(pathSteps.id, stepId));
    return bump(tx, id, ctx.now());
  });
  return presentPath(ctx, actor, p);
}

export async function deleteStep(ctx: AppContext, actor: Actor, id: string, stepId: string, version: number) {
  const p = await ctx.db.transaction(async (tx) => {
    await editable(tx, actor, id, version);
    await stepOf(tx, id, stepId);
    await tx.delete(pathSteps).where(eq(pathSteps.id, stepId));
    await renumber(
      tx,
      id,
      (await stepsOf(tx, id)).map((s) => s.id),
    );
    return bump(tx, id, ctx.now());
  });
  return presentPath(ctx, actor, p);
}

async function renumber(tx: Executor, pathId: string, ids: string[]) {
  if (!ids.length) return;
  const values = sql.join(
    ids.map((sid, i) => sql`(${sid}::uuid, ${i + 1}::int)`),
    sql`, `,
  );
  await tx.execute(
    sql`update path_steps s set position = v.pos from (values ${values}) as v(id, pos) where s.id = v.id and s.path_id = ${pathId}`,
  );
}

export async function reorderSteps(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof StepOrderIn>) {
  const p = await ctx.db.transaction(async (tx) => {
    await editable(tx, actor, id, input.version);
    const current = (await stepsOf(tx, id)).map((s) => s.id);
    const given = new Set(input.stepIds);
    if (given.size !== input.stepIds.length || given.size !== current.length || current.some((s) => !given.has(s)))
      throw invalidField("stepIds", "must list every step of the path exactly once");
    await renumber(tx, id, input.stepIds);
    return bump(tx, id, ctx.now());
  });
  return presentPath(ctx, actor, p);
}

/** "Make a path from this space": its published articles in page-tree order, as a draft onboarding path. */
export async function pathFromSpace(ctx: AppContext, actor: Actor, spaceId: string) {
  authorize(actor, "createPath", { kind: "instance" });
  const space = await loadSpaceSubject(ctx.db, actor, spaceId);
  authorize(actor, "read", space);
  const found = await rows<{ id: string; parent_id: string | null; position: string | null; title: string }>(
    ctx.db,
    sql`select a.id, a.parent_id, a.position, a.title from articles a
        where a.space_id = ${spaceId} and a.status = 'published' and a.deleted_at is null
        order by a.position collate "C" nulls last, a.created_at, a.id`,
  );
  const [name] = await rows<{ name: string }>(ctx.db, sql`select name from spaces where id = ${spaceId}`);
  const children = new Map<string | null, typeof found>();
  const ids = new Set(found.map((a) => a.id));
  for (const a of found) {
    const parent = a.parent_id && ids.has(a.parent_id) ? a.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), a]);
  }
  const ordered: string[] = [];
  const walk = (parent: string | null) => {
    for (const a of children.get(parent) ?? []) {
      ordered.push(a.id);
      walk(a.id);
    }
  };
  walk(null);
  if (!ordered.length) throw invalidField("spaceId", "this space has no published articles to make a path from");
  const now = ctx.now();
  const p = await ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(learningPaths)
      .values({
        title: `Onboarding: ${name?.name ?? "space"}`.slice(0, 160),
        goal: `Find your way around ${name?.name ?? "this space"}: what it holds, in the order it is kept.`,
        audience: "Newcomers",
        ownerId: actor.id,
        fromSpaceId: spaceId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await tx.insert(pathSteps).values(
      ordered.slice(0, 200).map((articleId, i) => ({
        pathId: created.id,
        position: i + 1,
        kind: "article" as const,
        targetId: articleId,
        reviewedAt: now,
        createdAt: now,
      })),
    );
    return created;
  });
  return presentPath(ctx, actor, p);
}

/** Step candidates from search: verified knowledge first, superseded last; attachments and session files by name. */
export async function stepCandidates(ctx: AppContext, actor: Actor, q: string) {
  const hits = await ctx.search.search(actor, { q, limit: 20, offset: 0, prefix: true });
  const rank = (h: (typeof hits.items)[number]) =>
    h.verification?.superseded ? 2 : h.verification?.state === "verified" ? 0 : 1;
  const items: { kind: StepKind; id: string; title: string; where: string; verified: boolean; superseded: boolean }[] =
    hits.items
      .map((h, i) => ({ h, i }))
      .sort((x, y) => rank(x.h) - rank(y.h) || x.i - y.i)
      .map(({ h }) => ({
        kind: h.type,
        id: h.id,
        title: h.title,
        where: h.spaceName,
        verified: h.verification?.state === "verified" && !h.verification.superseded,
        superseded: h.verification?.superseded ?? false,
      }));
  const term = q.trim();
  if (term) {
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const files = await rows<{ kind: "attachment" | "session_file"; id: string; title: string; where_name: string }>(
      ctx.db,
      sql`(select 'attachment' as kind, at.id, at.name as title, a.title as where_name from attachments at join articles a on a.id = at.article_id
           where (at.name ilike ${like} or a.title ilike ${like}) and ${readableSql(actor, "article", "a")} order by at.created_at desc limit 10)
          union all
          (select 'session_file', f.id, f.name, ss.title from session_files f join sharing_sessions ss on ss.id = f.session_id
           where (f.name ilike ${like} or ss.title ilike ${like}) and ${audienceReadableSql(actor, "ss.audience_id")} order by f.created_at desc limit 10)`,
    );
    for (const f of files)
      items.push({ kind: f.kind, id: f.id, title: f.title, where: f.where_name, verified: false, superseded: false });
  }
  return { items };
}

// ---------- Learners ----------

export async function enrol(ctx: AppContext, actor: Actor, id: string) {
  const p = await loadPath(ctx.db, actor, id);
  authorize(actor, "enrol", subjectOf(p));
  await ctx.db
    .insert(pathEnrolments)
    .values({ pathId: id, userId: actor.id, enrolledAt: ctx.now() })
    .onConflictDoNothing();
  return presentPath(ctx, actor, p);
}

/** Leaves a path one enrolled in oneself (an assignment stays: it is the manager's to withdraw). */
export async function leave(ctx: AppContext, actor: Actor, id: string) {
  const p = await loadPath(ctx.db, actor, id);
  const e = await enrolmentOf(ctx.db, id, actor.id);
  if (!e) throw notFound("You are not on this path");
  if (e.assignedBy && e.assignedBy !== actor.id)
    throw new AppError("forbidden", "This path was assigned to you; ask whoever assigned it to withdraw it");
  await ctx.db.delete(pathEnrolments).where(eq(pathEnrolments.id, e.id));
  return presentPath(ctx, actor, p);
}

/** The people in `ids` whose manager chain includes `managerId` (one recursive query). */
async function reportsOf(db: Executor, managerId: string, ids: string[]): Promise<Set<string>> {
  const found = await rows<{ id: string }>(
    db,
    sql`with recursive chain(id, manager_id, depth) as (
          select id, manager_id, 1 from users where id in (${listSql(ids)})
          union all
          select c.id, u.manager_id, c.depth + 1 from chain c join users u on u.id = c.manager_id where c.depth < 30
        )
        select distinct id from chain where manager_id = ${managerId}`,
  );
  return new Set(found.map((r) => r.id));
}

export async function assign(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof AssignIn>) {
  const p = await loadPath(ctx.db, actor, id);
  authorize(actor, "assign", subjectOf(p));
  const ids = [...new Set(input.userIds)];
  const people = await rows<{ id: string }>(
    ctx.db,
    sql`select id from users where id in (${listSql(ids)}) and deactivated_at is null`,
  );
  const known = new Set(people.map((r) => r.id));
  const missing = input.userIds.findIndex((u) => !known.has(u));
  if (missing >= 0) throw invalidField(`userIds.${missing}`, "no such colleague");
  if (!(actor.role === "admin" || actor.knowledgeManager === true)) {
    const reports = await reportsOf(ctx.db, actor.id, ids);
    const bad = input.userIds.findIndex((u) => !reports.has(u));
    if (bad >= 0)
      throw new AppError("forbidden", "You can assign a path only to people who report to you", {
        fields: [{ path: `userIds.${bad}`, message: "does not report to you" }],
      });
  }
  if (input.dueOn && input.dueOn < today(ctx.now())) throw invalidField("dueOn", "must not be in the past");
  const now = ctx.now();
  const result = await ctx.db.transaction(async (tx) => {
    const existing = await rows<{ user_id: string }>(
      tx,
      sql`select user_id from path_enrolments where path_id = ${id} and user_id in (${listSql(ids)})`,
    );
    const had = new Set(existing.map((r) => r.user_id));
    await tx
      .insert(pathEnrolments)
      .values(ids.map((u) => ({ pathId: id, userId: u, assignedBy: actor.id, dueOn: input.dueOn, enrolledAt: now })))
      .onConflictDoUpdate({
        target: [pathEnrolments.pathId, pathEnrolments.userId],
        set: { assignedBy: actor.id, dueOn: input.dueOn },
      });
    return { assigned: ids.length - had.size, updated: had.size };
  });
  await ctx.events.publish({ type: "path-assigned", userIds: ids, data: { pathId: id } });
  return result;
}

function evaluate(check: NonNullable<StepRow["check"]>, input: z.infer<typeof CompleteIn>) {
  if (check.type === "short") {
    if (!input.text) throw invalidField("text", "write your answer first");
    if (!input.selfAssessment)
      throw invalidField("selfAssessment", "compare with the model answer and say how you did");
    return {
      passed: input.selfAssessment === "yes",
      completes: true,
      answer: { text: input.text, selfAssessment: input.selfAssessment },
    };
  }
  const choices = [...new Set(input.choices ?? [])].sort((a, b) => a - b);
  if (!choices.length) throw invalidField("choices", "choose an answer");
  if (choices.some((c) => c >= check.options.length)) throw invalidField("choices", "no such option");
  if (check.type === "single" && choices.length !== 1) throw invalidField("choices", "choose one answer");
  const correct = [...check.correct].sort((a, b) => a - b);
  const passed = choices.length === correct.length && choices.every((c, i) => c === correct[i]);
  return { passed, completes: passed, answer: { choices } };
}

/**
 * Completes a step (answering its check): enrols the learner if needed. The learner's enrolment row is
 * locked, so concurrent completions of several steps count each once and complete the path once.
 */
export async function completeStep(
  ctx: AppContext,
  actor: Actor,
  id: string,
  stepId: string,
  input: z.infer<typeof CompleteIn>,
) {
  const now = ctx.now();
  const outcome = await ctx.db.transaction(async (tx) => {
    const p = await loadPath(tx, actor, id);
    const step = await stepOf(tx, id, stepId);
    let e = await enrolmentOf(tx, id, actor.id);
    if (!e) {
      authorize(actor, "enrol", subjectOf(p));
      await tx.insert(pathEnrolments).values({ pathId: id, userId: actor.id, enrolledAt: now }).onConflictDoNothing();
    }
    [e] = await tx
      .select()
      .from(pathEnrolments)
      .where(and(eq(pathEnrolments.pathId, id), eq(pathEnrolments.userId, actor.id)))
      .for("update");
    const steps = await stepsOf(tx, id);
    const progress = await progressOf(tx, e.id);
    const { steps: shown, facts } = await presentSteps(tx, now, actor, p, steps, progress);
    const me = shown.find((s) => s.id === stepId);
    if (!me || !me.accessible) throw notFound("Step not found");
    const prev = progress.get(stepId);
    if (prev?.completedAt) return { passed: prev.firstPassed, completed: true, path: p };
    const result = step.check ? evaluate(step.check, input) : { passed: null, completes: true, answer: null };
    await tx
      .insert(pathProgress)
      .values({
        enrolmentId: e.id,
        stepId,
        attempts: step.check ? 1 : 0,
        firstPassed: result.passed,
        answer: result.answer,
        completedAt: result.completes ? now : null,
        startedAt: now,
      })
      .onConflictDoUpdate({
        target: [pathProgress.enrolmentId, pathProgress.stepId],
        set: {
          attempts: sql`${pathProgress.attempts} + 1`,
          answer: result.answer,
          completedAt: result.completes ? now : null,
        },
      });
    // Knowledge read through a path is read: when it is later revised or superseded, the learner is told.
    const f = step.targetId ? facts.get(step.targetId) : undefined;
    if (result.completes && f?.articleId && f.articleVersion)
      await tx
        .insert(reads)
        .values({ userId: actor.id, articleId: f.articleId, version: f.articleVersion, readAt: now })
        .onConflictDoUpdate({
          target: [reads.userId, reads.articleId],
          set: { version: sql`greatest(${reads.version}, excluded.version)`, readAt: now },
        });
    const doneIds = new Set([...progress.values()].filter((x) => x.completedAt).map((x) => x.stepId));
    if (result.completes) doneIds.add(stepId);
    const all = countable(shown).every((s) => doneIds.has(s.id));
    await tx
      .update(pathEnrolments)
      .set({ lastStepId: stepId, ...(all && !e.completedAt ? { completedAt: now } : {}) })
      .where(eq(pathEnrolments.id, e.id));
    return { passed: result.passed, completed: result.completes, path: p };
  });
  return { passed: outcome.passed, completed: outcome.completed, path: await presentPath(ctx, actor, outcome.path) };
}

/** Answers a step's reflection prompt into the learner's own (private) journal. */
export async function reflect(ctx: AppContext, actor: Actor, id: string, stepId: string, body: string) {
  const p = await loadPath(ctx.db, actor, id);
  const step = await stepOf(ctx.db, id, stepId);
  authorize(actor, "journal", { kind: "instance" });
  const prompt = step.reflectionPrompt || "What did you take from this step?";
  const [entry] = await ctx.db
    .insert(journalEntries)
    .values({
      userId: actor.id,
      practice: "reflection",
      prompt: `${p.title}: ${prompt}`.slice(0, 500),
      body,
      createdAt: ctx.now(),
    })
    .returning({ id: journalEntries.id });
  return { entryId: entry.id };
}

// ---------- Analytics, reminders, review ----------

export async function analytics(ctx: AppContext, actor: Actor, id: string) {
  const p = await loadPath(ctx.db, actor, id);
  authorize(actor, "analytics", subjectOf(p));
  const shown = await presentPath(ctx, actor, p);
  const [perStep, totals, overdue] = await Promise.all([
    rows<{ step_id: string; completed: number; attempted: number; passed: number; attempts: number }>(
      ctx.db,
      sql`select pr.step_id, count(pr.completed_at)::int as completed, count(pr.first_passed)::int as attempted,
            count(*) filter (where pr.first_passed)::int as passed, coalesce(sum(pr.attempts), 0)::int as attempts
          from path_progress pr join path_enrolments e on e.id = pr.enrolment_id where e.path_id = ${id} group by pr.step_id`,
    ),
    rows<{ learners: number; completed: number; median_days: number | null }>(
      ctx.db,
      sql`select count(*)::int as learners, count(completed_at)::int as completed,
            percentile_cont(0.5) within group (order by extract(epoch from (completed_at - enrolled_at)) / 86400.0)
              filter (where completed_at is not null) as median_days
          from path_enrolments where path_id = ${id}`,
    ),
    rows<{ user_id: string; name: string; due_on: string; done: number }>(
      ctx.db,
      sql`select e.user_id, u.name, e.due_on,
            (select count(*)::int from path_progress pr where pr.enrolment_id = e.id and pr.completed_at is not null) as done
          from path_enrolments e join users u on u.id = e.user_id
          where e.path_id = ${id} and e.completed_at is null and e.due_on is not null and e.due_on < ${today(ctx.now())}
          order by e.due_on, u.name`,
    ),
  ]);
  const by = new Map(perStep.map((r) => [r.step_id, r]));
  const t = totals[0];
  return {
    learners: t?.learners ?? 0,
    completed: t?.completed ?? 0,
    medianDaysToComplete: t?.median_days == null ? null : Math.round(Number(t.median_days) * 10) / 10,
    funnel: shown.steps.map((s) => {
      const r = by.get(s.id);
      return {
        stepId: s.id,
        position: s.position,
        title: s.title ?? "A step you may not read",
        completed: r?.completed ?? 0,
        passRate: r && r.attempted > 0 ? r.passed / r.attempted : null,
        attempts: r?.attempts ?? 0,
      };
    }),
    overdue: overdue.map((o) => ({
      person: { id: o.user_id, name: o.name },
      dueOn: o.due_on,
      done: o.done,
      total: shown.steps.length,
    })),
  };
}

/** The inbox's part: paths assigned to me, not completed (soonest due first), and my paths whose knowledge changed. */
export async function due(ctx: AppContext, actor: Actor) {
  const now = ctx.now();
  const soon = new Date(now.getTime() + 7 * DAY).toISOString().slice(0, 10);
  const mine = await rows<{ path_id: string }>(
    ctx.db,
    sql`select e.path_id from path_enrolments e join learning_paths p on p.id = e.path_id
        where e.user_id = ${actor.id} and e.completed_at is null and e.assigned_by is not null
          and e.assigned_by <> ${actor.id} and p.status = 'published'
        order by e.due_on nulls last, e.enrolled_at desc limit 20`,
  );
  const owned = await rows<{ id: string }>(
    ctx.db,
    sql`select id from learning_paths where owner_id = ${actor.id} and status <> 'archived' order by updated_at desc limit 50`,
  );
  const dueItems = [];
  for (const r of mine) {
    const p = await getPath(ctx, actor, r.path_id);
    if (p.mine)
      dueItems.push({
        pathId: p.id,
        title: p.title,
        assignedBy: p.mine.assignedBy?.name ?? null,
        dueOn: p.mine.dueOn,
        dueSoon: p.mine.dueOn !== null && p.mine.dueOn <= soon,
        overdue: p.mine.overdue,
        done: p.mine.done,
        total: p.mine.total,
      });
  }
  const toReview = [];
  for (const r of owned) {
    const p = await getPath(ctx, actor, r.id);
    if (p.stepsToReview > 0) toReview.push({ pathId: p.id, title: p.title, steps: p.stepsToReview });
  }
  return { due: dueItems, toReview };
}
