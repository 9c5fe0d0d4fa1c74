import { namesByIds } from "../accounts/users";
import { and, eq, sql } from "drizzle-orm";
import { articles, challenges, notices, reads, verifications } from "../../../db/schema";
import { rows, type Executor } from "../../platform/db";
import type { AppContext } from "../../context";
import { AppError, invalidField, notFound } from "../../platform/errors";
import {
  authorize,
  can,
  type Actor,
  type ArticleSubject,
  type KnowledgeSubject,
  type SpaceSubject,
} from "../../authz/policy";
import { loadArticleSubject, loadSpaceSubject, presentLink, readableIds, type LinkedItem } from "../../authz/access";
import { readableSql } from "../../authz/audience";
import {
  CHALLENGE_RESPONSE_DAYS,
  DEFAULT_INTERVAL_DAYS,
  challengeState,
  verificationState,
  verifiedUntil,
  type VerificationState,
} from "../../domain/verification/rules";

type SubjectType = "article" | "answer";
const DAY = 86_400_000;

type ArticleRow = {
  id: string;
  title: string;
  space_id: string;
  owner_id: string;
  status: "draft" | "published";
  version: number;
  updated_at: Date | string;
  deleted_at: Date | string | null;
};

/** An article's fields verification needs, with its policy subject for this actor; 404 when it does not exist. */
async function loadArticle(
  db: Executor,
  actor: Actor,
  id: string,
): Promise<{ record: ArticleRow; subject: ArticleSubject }> {
  const [record] = await rows<ArticleRow>(
    db,
    sql`select id, title, space_id, owner_id, status, version, updated_at, deleted_at from articles where id = ${id}`,
  );
  if (!record) throw notFound("Article not found");
  return { record, subject: await loadArticleSubject(db, actor, record) };
}

/** A piece of knowledge as verification sees it, loaded for one actor (404 when they may not read it). */
export type Knowledge = {
  type: SubjectType;
  id: string;
  title: string;
  url: string;
  space: SpaceSubject | null;
  spaceId: string | null;
  authorId: string;
  version: number;
  baseAt: Date;
  row: typeof verifications.$inferSelect | null;
};

export async function loadKnowledge(
  ctx: AppContext,
  actor: Actor,
  type: SubjectType,
  id: string,
  db: Executor = ctx.db,
): Promise<Knowledge> {
  const [row] = await db
    .select()
    .from(verifications)
    .where(and(eq(verifications.subjectType, type), eq(verifications.subjectId, id)));
  if (type === "article") {
    const { record, subject } = await loadArticle(db, actor, id);
    authorize(actor, "read", subject);
    if (record.status !== "published" || record.deleted_at)
      throw invalidField("subjectId", "only published articles are verified");
    return {
      type,
      id,
      title: record.title,
      url: `/articles/${id}`,
      space: subject.space,
      spaceId: record.space_id,
      authorId: record.owner_id,
      version: record.version,
      baseAt: new Date(record.updated_at),
      row: row ?? null,
    };
  }
  const found = await rows<{
    id: string;
    author_id: string;
    version: number;
    created_at: Date | string;
    question_id: string;
    title: string;
    space_id: string | null;
    accepted: boolean;
    deleted: boolean;
    readable: boolean;
  }>(
    db,
    sql`select a.id, a.author_id, a.version, a.created_at, q.id as question_id, q.title, q.space_id, coalesce(q.accepted_answer_id = a.id, false) as accepted,
               (a.deleted_at is not null or q.deleted_at is not null) as deleted, ${readableSql(actor, "question", "q")} as readable
        from answers a join questions q on q.id = a.question_id where a.id = ${id}`,
  );
  const a = found[0];
  // The audience rule (a space or a members-only community): an answer the actor may not read is not there.
  if (!a || a.deleted || !a.readable) throw notFound("Answer not found");
  const space = a.space_id ? await loadSpaceSubject(db, actor, a.space_id) : null;
  if (space && !can(actor, "read", space)) throw notFound("Answer not found");
  if (!a.accepted) throw invalidField("subjectId", "only accepted answers are verified");
  return {
    type,
    id,
    title: a.title,
    url: `/questions/${a.question_id}#answer-${a.id}`,
    space,
    spaceId: a.space_id,
    authorId: a.author_id,
    version: a.version,
    baseAt: new Date(a.created_at),
    row: row ?? null,
  };
}

async function departmentOf(db: Executor, userId: string): Promise<string> {
  const [r] = await rows<{ department: string }>(db, sql`select department from users where id = ${userId}`);
  return r?.department ?? "";
}

/** The owner: a person (default the author) or a department. */
function ownerOf(k: Knowledge): { type: "person"; id: string } | { type: "group"; department: string } {
  if (k.row?.ownerDepartment) return { type: "group", department: k.row.ownerDepartment };
  return { type: "person", id: k.row?.ownerId ?? k.authorId };
}

/** The knowledge as a policy subject for this actor (who verifies and manages it is decided in the policy). */
async function subjectOf(db: Executor, actor: Actor, k: Knowledge): Promise<KnowledgeSubject> {
  const owner = ownerOf(k);
  const actorInOwnerDepartment =
    owner.type === "group" && owner.department !== "" && (await departmentOf(db, actor.id)) === owner.department;
  return { kind: "knowledge", type: k.type, space: k.space, owner, actorInOwnerDepartment };
}

/** Owners (person or department members), the space's owners and admins may verify and answer challenges. */
async function mayVerify(db: Executor, actor: Actor, k: Knowledge): Promise<boolean> {
  return can(actor, "verify", await subjectOf(db, actor, k));
}

/** Who may change owner and interval: those who verify, and editors of an article's space. */
async function mayManage(db: Executor, actor: Actor, k: Knowledge): Promise<boolean> {
  return can(actor, "manage", await subjectOf(db, actor, k));
}

function untilOf(k: Knowledge): Date {
  return k.row?.verifiedUntil ?? verifiedUntil(k.baseAt, DEFAULT_INTERVAL_DAYS);
}

/** What showing a verification needs besides the knowledge itself (loaded in one query by an article view). */
type VerificationFacts = {
  names: Map<string, string>;
  actorDepartment: string;
  superseding: { id: string; title: string; readable: boolean } | null;
};

async function verificationFacts(db: Executor, actor: Actor, k: Knowledge): Promise<VerificationFacts> {
  const owner = ownerOf(k);
  const names = await namesByIds(db, [
    owner.type === "person" ? owner.id : k.authorId,
    k.row?.verifiedBy ?? k.authorId,
  ]);
  const actorDepartment = owner.type === "group" ? await departmentOf(db, actor.id) : "";
  let superseding: VerificationFacts["superseding"] = null;
  if (k.row?.supersededById) {
    const [s] = await db
      .select({ id: articles.id, title: articles.title })
      .from(articles)
      .where(eq(articles.id, k.row.supersededById));
    if (s) superseding = { ...s, readable: (await readableIds(db, actor, "article", [s.id])).has(s.id) };
  }
  return { names, actorDepartment, superseding };
}

/** The verification as pages show it: state, who verified it and when, until when, owner, what supersedes it. */
export function formatVerification(now: Date, actor: Actor, k: Knowledge, facts: VerificationFacts) {
  const interval = k.row?.intervalDays ?? DEFAULT_INTERVAL_DAYS;
  const until = untilOf(k);
  const owner = ownerOf(k);
  const subject: KnowledgeSubject = {
    kind: "knowledge",
    type: k.type,
    space: k.space,
    owner,
    actorInOwnerDepartment:
      owner.type === "group" && owner.department !== "" && facts.actorDepartment === owner.department,
  };
  const name = (id: string) => facts.names.get(id) ?? "";
  const sup = facts.superseding;
  const supersededBy: LinkedItem | null = sup
    ? presentLink(sup.readable ? new Set([sup.id]) : new Set(), sup.id, sup.title)
    : null;
  return {
    subjectType: k.type,
    subjectId: k.id,
    state: (supersededBy ? "expired" : verificationState(until, interval, now)) as VerificationState,
    superseded: supersededBy !== null,
    supersededBy,
    verifiedAt: k.row?.verifiedAt?.toISOString() ?? null,
    verifiedBy: k.row?.verifiedBy ? { id: k.row.verifiedBy, name: name(k.row.verifiedBy) } : null,
    verifiedUntil: until.toISOString(),
    intervalDays: interval,
    note: k.row?.note ?? "",
    owner:
      owner.type === "person"
        ? { type: "person" as const, id: owner.id, name: name(owner.id) }
        : { type: "group" as const, department: owner.department },
    canVerify: can(actor, "verify", subject),
    canManage: can(actor, "manage", subject),
    canChallenge: can(actor, "challenge", subject),
  };
}

export async function presentVerification(ctx: AppContext, actor: Actor, k: Knowledge, db: Executor = ctx.db) {
  return formatVerification(ctx.now(), actor, k, await verificationFacts(db, actor, k));
}

async function writeVerification(
  db: Executor,
  k: Knowledge,
  patch: Partial<typeof verifications.$inferInsert>,
  now: Date,
) {
  const interval = patch.intervalDays ?? k.row?.intervalDays ?? DEFAULT_INTERVAL_DAYS;
  const base = {
    subjectType: k.type,
    subjectId: k.id,
    intervalDays: interval,
    verifiedUntil: k.row?.verifiedUntil ?? verifiedUntil(k.baseAt, interval),
    updatedAt: now,
  };
  await db
    .insert(verifications)
    .values({ ...base, ...patch })
    .onConflictDoUpdate({
      target: [verifications.subjectType, verifications.subjectId],
      set: { ...patch, updatedAt: now },
    });
}

/** One click: "still true" — verified now by the actor until now + interval, with an optional note. */
export async function verify(
  ctx: AppContext,
  actor: Actor,
  type: SubjectType,
  id: string,
  note: string,
  db: Executor = ctx.db,
) {
  const k = await loadKnowledge(ctx, actor, type, id, db);
  if (!(await mayVerify(db, actor, k)))
    throw new AppError("forbidden", "Only the owner, the space's owners or an admin can verify this");
  const now = ctx.now();
  const interval = k.row?.intervalDays ?? DEFAULT_INTERVAL_DAYS;
  await writeVerification(
    db,
    k,
    { verifiedAt: now, verifiedBy: actor.id, verifiedUntil: verifiedUntil(now, interval), note },
    now,
  );
  return presentVerification(ctx, actor, await loadKnowledge(ctx, actor, type, id, db), db);
}

/** Changes owner (a person or a department) and review interval. */
export async function configure(
  ctx: AppContext,
  actor: Actor,
  type: SubjectType,
  id: string,
  input: { ownerId?: string | null; ownerDepartment?: string | null; intervalDays?: number },
) {
  const k = await loadKnowledge(ctx, actor, type, id);
  if (!(await mayManage(ctx.db, actor, k))) throw new AppError("forbidden", "You cannot change who owns this");
  if (input.ownerId) {
    const [u] = await rows<{ id: string }>(
      ctx.db,
      sql`select id from users where id = ${input.ownerId} and deactivated_at is null and role <> 'guest'`,
    );
    if (!u) throw invalidField("ownerId", "no such colleague");
  }
  const patch: Partial<typeof verifications.$inferInsert> = {};
  if (input.ownerId !== undefined || input.ownerDepartment !== undefined) {
    patch.ownerId = input.ownerDepartment ? null : (input.ownerId ?? null);
    patch.ownerDepartment = input.ownerDepartment || null;
  }
  if (input.intervalDays !== undefined) {
    patch.intervalDays = input.intervalDays;
    // The current verification now lasts for the new interval from when it was made.
    patch.verifiedUntil = verifiedUntil(k.row?.verifiedAt ?? k.baseAt, input.intervalDays);
  }
  await writeVerification(ctx.db, k, patch, ctx.now());
  return presentVerification(ctx, actor, await loadKnowledge(ctx, actor, type, id));
}

/** Called when an article is written: its author vouches for it now. */
export async function verifyOnCreate(db: Executor, articleId: string, authorId: string, now: Date): Promise<void> {
  await db
    .insert(verifications)
    .values({
      subjectType: "article",
      subjectId: articleId,
      verifiedAt: now,
      verifiedBy: authorId,
      verifiedUntil: verifiedUntil(now, DEFAULT_INTERVAL_DAYS),
      updatedAt: now,
    })
    .onConflictDoNothing();
}

type ReportRow = {
  type: SubjectType;
  id: string;
  title: string;
  url: string;
  space_id: string | null;
  space_name: string | null;
  owner_id: string | null;
  owner_name: string | null;
  owner_department: string | null;
  interval_days: number;
  verified_at: Date | string | null;
  verified_until: Date | string;
  superseded: boolean;
};

/** SQL of all verifiable knowledge the actor may read, with owner and until (defaults applied). */
function knowledgeSql(actor: Actor) {
  const d = sql.raw(String(DEFAULT_INTERVAL_DAYS));
  return sql`
    select 'article' as type, a.id, a.title, '/articles/' || a.id as url, a.space_id, s.name as space_name,
           case when v.owner_department is null then coalesce(v.owner_id, a.owner_id) end as owner_id, v.owner_department,
           coalesce(v.interval_days, ${d}) as interval_days, v.verified_at,
           coalesce(v.verified_until, a.updated_at + interval '${d} days') as verified_until, v.superseded_by_id is not null as superseded
      from articles a join spaces s on s.id = a.space_id
      left join verifications v on v.subject_type = 'article' and v.subject_id = a.id
      where a.status = 'published' and ${readableSql(actor, "article", "a")}
    union all
    select 'answer', an.id, q.title, '/questions/' || q.id || '#answer-' || an.id, q.space_id, s.name,
           case when v.owner_department is null then coalesce(v.owner_id, an.author_id) end, v.owner_department,
           coalesce(v.interval_days, ${d}), v.verified_at,
           coalesce(v.verified_until, an.created_at + interval '${d} days'), v.superseded_by_id is not null
      from questions q join answers an on an.id = q.accepted_answer_id left join spaces s on s.id = q.space_id
      left join verifications v on v.subject_type = 'answer' and v.subject_id = an.id
      where an.deleted_at is null and ${readableSql(actor, "question", "q")}`;
}

function presentRow(r: ReportRow, names: Map<string, string>, now: Date) {
  const until = new Date(r.verified_until);
  return {
    type: r.type,
    id: r.id,
    title: r.title,
    url: r.url,
    space: r.space_id ? { id: r.space_id, name: r.space_name ?? "" } : null,
    owner: r.owner_department
      ? { type: "group" as const, department: r.owner_department }
      : { type: "person" as const, id: r.owner_id!, name: names.get(r.owner_id!) ?? "" },
    state: (r.superseded ? "expired" : verificationState(until, r.interval_days, now)) as VerificationState,
    superseded: r.superseded,
    verifiedAt: r.verified_at ? new Date(r.verified_at).toISOString() : null,
    verifiedUntil: until.toISOString(),
    intervalDays: r.interval_days,
  };
}

async function namesOf(ctx: AppContext, ids: (string | null)[]): Promise<Map<string, string>> {
  return namesByIds(ctx.db, ids);
}

/** What is due or expired, by owner and by space, for the knowledge the actor may read. */
export async function report(
  ctx: AppContext,
  actor: Actor,
  q: { state: "due" | "expired" | "attention" | "all"; spaceId?: string; ownerId?: string; limit: number },
) {
  const all = await rows<ReportRow>(ctx.db, sql`select * from (${knowledgeSql(actor)}) k order by verified_until asc`);
  const names = await namesOf(
    ctx,
    all.map((r) => r.owner_id),
  );
  const now = ctx.now();
  const items = all.map((r) => presentRow(r, names, now));
  const inScope = items.filter(
    (i) =>
      (!q.spaceId || i.space?.id === q.spaceId) &&
      (!q.ownerId || (i.owner.type === "person" && i.owner.id === q.ownerId)),
  );
  const wanted = inScope.filter(
    (i) => q.state === "all" || (q.state === "attention" ? i.state !== "verified" : i.state === q.state),
  );
  const count = (list: typeof items) => ({
    verified: list.filter((i) => i.state === "verified").length,
    due: list.filter((i) => i.state === "due").length,
    expired: list.filter((i) => i.state === "expired").length,
    total: list.length,
  });
  const group = <K extends string>(
    key: (i: (typeof items)[number]) => K,
    label: (i: (typeof items)[number]) => string,
  ) => {
    const m = new Map<K, { key: K; label: string; items: typeof items }>();
    for (const i of inScope) {
      const k = key(i);
      const g = m.get(k) ?? { key: k, label: label(i), items: [] };
      g.items.push(i);
      m.set(k, g);
    }
    return [...m.values()]
      .map((g) => ({ key: g.key, label: g.label, ...count(g.items) }))
      .sort((a, b) => b.expired + b.due - (a.expired + a.due) || a.label.localeCompare(b.label));
  };
  return {
    totals: count(inScope),
    byOwner: group(
      (i) => (i.owner.type === "person" ? `person:${i.owner.id}` : `group:${i.owner.department}`),
      (i) => (i.owner.type === "person" ? i.owner.name : `${i.owner.department} (group)`),
    ),
    bySpace: group(
      (i) => i.space?.id ?? "org",
      (i) => i.space?.name ?? "Questions to everyone",
    ),
    items: wanted.slice(0, q.limit),
  };
}

/** Share of verified knowledge in a space. */
export async function spaceShare(ctx: AppContext, actor: Actor, spaceId: string) {
  const space = await loadSpaceSubject(ctx.db, actor, spaceId);
  authorize(actor, "read", space);
  const r = await report(ctx, actor, { state: "all", spaceId, limit: 0 });
  return { ...r.totals, share: r.totals.total ? Math.round((r.totals.verified / r.totals.total) * 1000) / 1000 : 1 };
}

type BulkInput = {
  items: { type: SubjectType; id: string }[];
  action: "verify" | "assign" | "interval";
  ownerId?: string | null;
  ownerDepartment?: string | null;
  intervalDays?: number;
  note?: string;
};

/** One action on many items; each is checked on its own, all that pass are written in one transaction. */
export async function bulk(ctx: AppContext, actor: Actor, input: BulkInput) {
  if (input.action === "assign" && !input.ownerId && !input.ownerDepartment)
    throw invalidField("ownerId", "choose a person or a department");
  if (input.action === "interval" && !input.intervalDays) throw invalidField("intervalDays", "is required");
  const done: string[] = [];
  const skipped: { id: string; reason: string }[] = [];
  for (const it of input.items) {
    try {
      if (input.action === "verify") await verify(ctx, actor, it.type, it.id, input.note ?? "");
      else if (input.action === "assign")
        await configure(ctx, actor, it.type, it.id, {
          ownerId: input.ownerId ?? null,
          ownerDepartment: input.ownerDepartment ?? null,
        });
      else await configure(ctx, actor, it.type, it.id, { intervalDays: input.intervalDays });
      done.push(it.id);
    } catch (e) {
      skipped.push({ id: it.id, reason: e instanceof AppError ? e.message : "failed" });
    }
  }
  return { done: done.length, skipped };
}

// ---------- Challenges ----------

type ChallengeRow = typeof challenges.$inferSelect;

async function presentChallenges(ctx: AppContext, actor: Actor, list: ChallengeRow[]) {
  const names = await namesOf(
    ctx,
    list.flatMap((c) => [c.authorId, c.resolvedBy]),
  );
  const sup = list.filter((c) => c.supersededById).map((c) => c.supersededById!);
  const titles = sup.length
    ? await rows<{ id: string; title: string }>(
        ctx.db,
        sql`select id, title from articles where id in (${sql.join(
          sup.map((i) => sql`${i}::uuid`),
          sql`, `,
        )})`,
      )
    : [];
  const readable = await readableIds(ctx.db, actor, "article", sup);
  return list.map((c) => ({
    id: c.id,
    subjectType: c.subjectType,
    subjectId: c.subjectId,
    author: { id: c.authorId, name: names.get(c.authorId) ?? "" },
    claim: c.claim,
    evidence: c.evidence,
    state: challengeState({ status: c.status, deadline: c.deadline }, ctx.now()),
    outcome: c.outcome,
    response: c.response,
    deadline: c.deadline.toISOString(),
    escalated: c.escalatedAt !== null,
    versionAt: c.versionAt,
    revisedVersion: c.revisedVersion,
    supersededBy: c.supersededById
      ? presentLink(readable, c.supersededById, titles.find((t) => t.id === c.supersededById)?.title ?? "")
      : null,
    resolvedBy: c.resolvedBy ? { id: c.resolvedBy, name: names.get(c.resolvedBy) ?? "" } : null,
    resolvedAt: c.resolvedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
  }));
}

/** Challenges of a piece of knowledge, open ones first (everyone who may read it sees them). */
export async function listChallenges(ctx: AppContext, actor: Actor, type: SubjectType, id: string) {
  await loadKnowledge(ctx, actor, type, id);
  const list = await ctx.db
    .select()
    .from(challenges)
    .where(and(eq(challenges.subjectType, type), eq(challenges.subjectId, id)))
    .orderBy(sql`(${challenges.status} = 'open') desc, ${challenges.createdAt} desc`);
  return presentChallenges(ctx, actor, list);
}

/** Anyone who may read it may challenge it: what is wrong, and the evidence; the owner must respond by the deadline. */
export async function openChallenge(
  ctx: AppContext,
  actor: Actor,
  input: { subjectType: SubjectType; subjectId: string; claim: string; evidence: string },
) {
  const k = await loadKnowledge(ctx, actor, input.subjectType, input.subjectId);
  authorize(actor, "challenge", await subjectOf(ctx.db, actor, k));
  const now = ctx.now();
  const [c] = await ctx.db
    .insert(challenges)
    .values({
      subjectType: k.type,
      subjectId: k.id,
      authorId: actor.id,
      claim: input.claim,
      evidence: input.evidence,
      versionAt: k.version,
      deadline: new Date(now.getTime() + CHALLENGE_RESPONSE_DAYS * DAY),
      createdAt: now,
    })
    .returning();
  await ctx.events.publish({
    type: "knowledge.challenged",
    userIds: await ownerIds(ctx, k),
    data: { questionId: k.id },
  });
  return (await presentChallenges(ctx, actor, [c]))[0];
}

/** The people who answer for a piece of knowledge: its owner (or the department's members). */
async function ownerIds(ctx: AppContext, k: Knowledge): Promise<string[]> {
  const owner = ownerOf(k);
  if (owner.type === "person") return [owner.id];
  return (
    await rows<{ id: string }>(
      ctx.db,
      sql`select id from users where department = ${owner.department} and deactivated_at is null`,
    )
  ).map((r) => r.id);
}

/**
 * The owner's answer. Upheld: either the knowledge was revised (an edit after the challenge;
 * it is verified again) or it is superseded by another article. Dismissed: with a reply.
 * Revised or superseded knowledge tells everyone who read it what changed.
 */
export async function resolveChallenge(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { outcome: "revised" | "superseded" | "dismissed"; response: string; supersededById?: string },
) {
  // Readers are told what changed: reads still being recorded in this process count too.
  await allReadsSettled();
  const [c] = await ctx.db.select().from(challenges).where(eq(challenges.id, id));
  if (!c) throw notFound("Challenge not found");
  // Knowledge the actor may not read makes its challenge "not found", like a missing one.
  const k = await loadKnowledge(ctx, actor, c.subjectType, c.subjectId).catch((e: unknown) => {
    throw e instanceof AppError && e.code === "not_found" ? notFound("Challenge not found") : e;
  });
  if (!can(actor, "answerChallenge", await subjectOf(ctx.db, actor, k)))
    throw new AppError("forbidden", "Only the owner, the space's owners or an admin can answer a challenge");
  if (c.status !== "open") throw new AppError("conflict", `This challenge was already ${c.status}`);
  if (input.outcome === "dismissed" && !input.response.trim())
    throw invalidField("response", "say why the knowledge stands");
  if (input.outcome === "revised" && k.version <= c.versionAt)
    throw invalidField("outcome", "revise the knowledge first (edit it), then mark the challenge upheld");
  let replacement: { id: string; title: string } | null = null;
  if (input.outcome === "superseded") {
    if (!input.supersededById || input.supersededById === k.id)
      throw invalidField("supersededById", "choose the article that replaces it");
    const r = await loadArticle(ctx.db, actor, input.supersededById).catch(() => null);
    if (!r || !can(actor, "read", r.subject) || r.record.deleted_at)
      throw invalidField("supersededById", "no such article");
    replacement = { id: r.record.id, title: r.record.title };
  }
  const now = ctx.now();
  const readers = await ctx.db.transaction(async (tx) => {
    // Only an open challenge is resolved, by exactly one of several simultaneous answers; the others get 409.
    const resolved = await tx
      .update(challenges)
      .set({
        status: input.outcome === "dismissed" ? "dismissed" : "upheld",
        outcome: input.outcome === "dismissed" ? null : input.outcome,
        response: input.response,
        revisedVersion: input.outcome === "revised" ? k.version : null,
        supersededById: replacement?.id ?? null,
        resolvedBy: actor.id,
        resolvedAt: now,
      })
      .where(and(eq(challenges.id, id), eq(challenges.status, "open")))
      .returning({ id: challenges.id });
    if (!resolved.length) {
      const [current] = await tx.select({ status: challenges.status }).from(challenges).where(eq(challenges.id, id));
      throw new AppError("conflict", `This challenge was already ${current?.status ?? "resolved"}`);
    }
    if (input.outcome === "dismissed") return [] as string[];
    if (input.outcome === "revised")
      await writeVerification(
        tx,
        k,
        {
          verifiedAt: now,
          verifiedBy: actor.id,
          verifiedUntil: verifiedUntil(now, k.row?.intervalDays ?? DEFAULT_INTERVAL_DAYS),
          note: `Revised after a challenge: ${c.claim.slice(0, 200)}`,
        },
        now,
      );
    else await writeVerification(tx, k, { supersededById: replacement!.id }, now);
    if (k.type !== "article") return [];
    // Everyone who read an earlier version (or, when superseded, any version) is told what changed.
    const who = await rows<{ user_id: string; version: number }>(
      tx,
      sql`select user_id, version from reads where article_id = ${k.id} and user_id <> ${actor.id}`,
    );
    const affected = who.filter((r) => input.outcome === "superseded" || r.version < k.version);
    if (affected.length)
      await tx.insert(notices).values(
        affected.map((r) => ({
          userId: r.user_id,
          articleId: k.id,
          challengeId: id,
          kind: input.outcome as "revised" | "superseded",
          fromVersion: r.version,
          toVersion: k.version,
          supersededById: replacement?.id ?? null,
          summary: input.response.trim() || c.claim,
          createdAt: now,
        })),
      );
    return affected.map((r) => r.user_id);
  });
  if (readers.length) await ctx.events.publish({ type: "notice", userIds: readers, data: { questionId: k.id } });
  return (
    await presentChallenges(ctx, actor, [(await ctx.db.select().from(challenges).where(eq(challenges.id, id)))[0]])
  )[0];
}

/** Open challenges past their deadline go to the space's owners (once). */
export async function escalateChallenges(ctx: AppContext): Promise<string[]> {
  const now = ctx.now();
  const due = await ctx.db
    .update(challenges)
    .set({ escalatedAt: now })
    .where(
      and(eq(challenges.status, "open"), sql`${challenges.deadline} <= ${now}`, sql`${challenges.escalatedAt} is null`),
    )
    .returning();
  for (const c of due) {
    const spaceOwners = await rows<{ user_id: string }>(
      ctx.db,
      c.subjectType === "article"
        ? sql`select m.user_id from articles a join space_members m on m.space_id = a.space_id and m.role = 'owner' where a.id = ${c.subjectId}`
        : sql`select m.user_id from answers an join questions q on q.id = an.question_id join space_members m on m.space_id = q.space_id and m.role = 'owner' where an.id = ${c.subjectId}`,
    );
    const admins = spaceOwners.length
      ? []
      : await rows<{ user_id: string }>(
          ctx.db,
          sql`select id as user_id from users where role = 'admin' and deactivated_at is null`,
        );
    await ctx.events.publish({
      type: "knowledge.escalated",
      userIds: [...spaceOwners, ...admins].map((r) => r.user_id),
      data: { questionId: c.subjectId },
    });
  }
  return due.map((c) => c.id);
}

// ---------- Reading records and notices ----------

/**
 * Reading records are written off the request's path, in batches: a view adds (person, article,
 * version) to this process's pending set, and one multi-row upsert writes every pending read
 * READ_BATCH_MS later (or at once when READ_BATCH_MAX are waiting). On a busy morning that is one
 * statement per batch instead of one write per article view — on PGlite, where every statement
 * waits for the one connection, that write was a fifth of an article view. One row per person and
 * article; of two reads of different versions the newer version stays. Pages that show reads or
 * notices first wait for the person's pending reads (`readsSettled`), so nobody sees their own read
 * missing; a read lost in a crash only costs a "what changed" notice.
 */
const READ_BATCH_MS = 100;
const READ_BATCH_MAX = 500;
type PendingRead = { userId: string; articleId: string; version: number; at: Date };
type ReadBatcher = {
  pending: Map<string, PendingRead>;
  timer: NodeJS.Timeout | null;
  /** The batch being written now (resolves when it is written or failed). */
  writing: Promise<void>;
  flush: () => Promise<void>;
};
const batchers = new Map<AppContext, ReadBatcher>();

async function writeReads(db: Executor, batch: PendingRead[]): Promise<void> {
  // Sorted by key: two instances writing overlapping batches lock rows in the same order.
  batch.sort((x, y) => (x.userId + x.articleId < y.userId + y.articleId ? -1 : 1));
  await db
    .insert(reads)
    .values(batch.map((r) => ({ userId: r.userId, articleId: r.articleId, version: r.version, readAt: r.at })))
    .onConflictDoUpdate({
      target: [reads.userId, reads.articleId],
      set: { version: sql`greatest(${reads.version}, excluded.version)`, readAt: sql`excluded.read_at` },
    });
}

function batcherFor(ctx: AppContext): ReadBatcher {
  let b = batchers.get(ctx);
  if (b) return b;
  const batcher: ReadBatcher = {
    pending: new Map(),
    timer: null,
    writing: Promise.resolve(),
    flush: () => {
      if (batcher.timer) clearTimeout(batcher.timer);
      batcher.timer = null;
      const batch = [...batcher.pending.values()];
      batcher.pending.clear();
      if (batch.length) {
        batcher.writing = batcher.writing
          .then(() => writeReads(ctx.db, batch))
          .catch(() => undefined) // a lost read record is not worth a failed page
          .finally(() => {
            if (!batcher.pending.size && !batcher.timer) batchers.delete(ctx);
          });
      }
      return batcher.writing;
    },
  };
  batchers.set(ctx, (b = batcher));
  return b;
}

export function recordReadLater(ctx: AppContext, userId: string, articleId: string, version: number): void {
  const b = batcherFor(ctx);
  const key = `${userId}|${articleId}`;
  const earlier = b.pending.get(key);
  b.pending.set(key, { userId, articleId, version: Math.max(version, earlier?.version ?? 0), at: ctx.now() });
  if (b.pending.size >= READ_BATCH_MAX) void b.flush();
  else b.timer ??= setTimeout(() => void b.flush(), READ_BATCH_MS);
}

/** Writes every read this process is still holding, in every app of the process. */
export async function allReadsSettled(): Promise<void> {
  await Promise.all([...batchers.values()].map((b) => b.flush()));
}

/** Waits until the person's reads recorded after earlier answers are written. */
async function readsSettled(ctx: AppContext, userId: string): Promise<void> {
  const b = batchers.get(ctx);
  if (!b) return;
  if ([...b.pending.values()].some((r) => r.userId === userId)) await b.flush();
  else await b.writing;
}

export async function myReads(ctx: AppContext, actor: Actor) {
  await readsSettled(ctx, actor.id);
  const all = await rows<{ article_id: string; title: string; version: number; read_at: Date | string }>(
    ctx.db,
    sql`select r.article_id, a.title, r.version, r.read_at from reads r join articles a on a.id = r.article_id where r.user_id = ${actor.id} order by r.read_at desc limit 500`,
  );
  // A reader who lost access (left the space, the article went back to draft or to the trash)
  // keeps the record but no longer sees the title.
  const readable = await readableIds(
    ctx.db,
    actor,
    "article",
    all.map((r) => r.article_id),
  );
  const list = all.filter((r) => readable.has(r.article_id));
  return {
    items: list.map((r) => ({
      articleId: r.article_id,
      title: r.title,
      version: r.version,
      readAt: new Date(r.read_at).toISOString(),
    })),
  };
}

export async function clearReads(ctx: AppContext, actor: Actor, articleId?: string) {
  await ctx.db
    .delete(reads)
    .where(articleId ? and(eq(reads.userId, actor.id), eq(reads.articleId, articleId)) : eq(reads.userId, actor.id));
  return myReads(ctx, actor);
}

/** Uncleared "what changed" notices of the actor (for articles they may still read), in one query. */
export async function myNotices(ctx: AppContext, actor: Actor, articleId?: string) {
  await readsSettled(ctx, actor.id);
  const list = await rows<{
    id: string;
    article_id: string;
    title: string;
    kind: "revised" | "superseded";
    from_version: number;
    to_version: number;
    summary: string;
    superseded_by_id: string | null;
    superseded_title: string | null;
    superseded_readable: boolean;
    created_at: Date | string;
    claim: string | null;
  }>(
    ctx.db,
    sql`select n.id, n.article_id, a.title, n.kind, n.from_version, n.to_version, n.summary, n.superseded_by_id, s.title as superseded_title,
               coalesce(s.id is not null and ${readableSql(actor, "article", "s")}, false) as superseded_readable, n.created_at, c.claim
        from notices n join articles a on a.id = n.article_id left join articles s on s.id = n.superseded_by_id left join challenges c on c.id = n.challenge_id
        where n.user_id = ${actor.id} and n.cleared_at is null and ${readableSql(actor, "article", "a")}
        ${articleId ? sql`and n.article_id = ${articleId}` : sql``}
        order by n.created_at desc`,
  );
  return {
    items: list.map((n) => ({
      id: n.id,
      articleId: n.article_id,
      title: n.title,
      kind: n.kind,
      fromVersion: n.from_version,
      toVersion: n.to_version,
      summary: n.summary,
      claim: n.claim ?? "",
      supersededBy: n.superseded_by_id
        ? presentLink(
            n.superseded_readable ? new Set([n.superseded_by_id]) : new Set(),
            n.superseded_by_id,
            n.superseded_title ?? "",
          )
        : null,
      createdAt: new Date(n.created_at).toISOString(),
    })),
  };
}

export async function clearNotice(ctx: AppContext, actor: Actor, id: string) {
  await ctx.db
    .update(notices)
    .set({ clearedAt: ctx.now() })
    .where(and(eq(notices.id, id), eq(notices.userId, actor.id)));
  return myNotices(ctx, actor);
}

/** The owner's review list: their knowledge that is due or expired, and challenges waiting for them. */
export async function myReview(ctx: AppContext, actor: Actor) {
  const dept = await departmentOf(ctx.db, actor.id);
  const r = await report(ctx, actor, { state: "attention", limit: 10_000 });
  const mine = r.items.filter((i) =>
    i.owner.type === "person" ? i.owner.id === actor.id : dept !== "" && i.owner.department === dept,
  );
  const open = await ctx.db.select().from(challenges).where(eq(challenges.status, "open"));
  const waiting: ChallengeRow[] = [];
  const titles = new Map<string, { title: string; url: string }>();
  for (const c of open) {
    const k = await loadKnowledge(ctx, actor, c.subjectType, c.subjectId).catch(() => null);
    if (!k) continue;
    const owner = ownerOf(k);
    const direct = owner.type === "person" ? owner.id === actor.id : dept !== "" && owner.department === dept;
    // The owners answer first; the space's owners (and admins) get it once it escalates.
    const escalated = c.escalatedAt !== null || c.deadline.getTime() <= ctx.now().getTime();
    if (direct || (escalated && (await mayVerify(ctx.db, actor, k)))) {
      waiting.push(c);
      titles.set(c.id, { title: k.title, url: k.url });
    }
  }
  const presented = await presentChallenges(ctx, actor, waiting);
  return { review: mine, challenges: presented.map((c) => ({ ...c, subject: titles.get(c.id)! })) };
}
