import { namesByIds } from "../accounts/users";
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { lessons, retrospectives } from "../../../db/schema";
import { rows, type Executor } from "../../platform/db";
import type { AppContext } from "../../context";
import { AppError, invalidField, notFound } from "../../platform/errors";
import { authorize, can, type Actor, type LessonSubject, type RetrospectiveSubject } from "../../authz/policy";
import { loadSpaceSubject } from "../../authz/access";
import { readableSql } from "../../authz/audience";
import { renderMarkdown } from "../../domain/markdown/render";
import { normaliseTags } from "../knowledge/articles.schema";

type LessonRow = typeof lessons.$inferSelect;
type RetroRow = typeof retrospectives.$inferSelect;
type RetroItem = { id: string; column: "well" | "less" | "try"; text: string; lessonId?: string };
type LessonInput = {
  kind?: "mistake" | "retrospective";
  title: string;
  whatHappened: string;
  impact: string;
  learned: string;
  instead: string;
  tags: string[];
  spaceId?: string | null;
  anonymous: boolean;
};

async function lessonSubject(db: Executor, actor: Actor, l: LessonRow): Promise<LessonSubject> {
  return {
    kind: "lesson",
    id: l.id,
    space: l.spaceId ? await loadSpaceSubject(db, actor, l.spaceId) : null,
    authorId: l.authorId,
    anonymous: l.anonymous,
    deleted: l.deletedAt !== null,
  };
}

async function loadLesson(ctx: AppContext, actor: Actor, id: string) {
  const [row] = await ctx.db.select().from(lessons).where(eq(lessons.id, id));
  if (!row) throw notFound("Lesson not found");
  return { row, subject: await lessonSubject(ctx.db, actor, row) };
}

/** A lesson as the reader may see it: anonymous ones carry no author (admins still see it, marked as audit). */
async function presentLesson(ctx: AppContext, actor: Actor, row: LessonRow, subject: LessonSubject) {
  const seeAuthor = can(actor, "seeAuthor", subject);
  const [author] = seeAuthor
    ? await rows<{ id: string; name: string }>(ctx.db, sql`select id, name from users where id = ${row.authorId}`)
    : [];
  const [space] = row.spaceId
    ? await rows<{ id: string; name: string }>(ctx.db, sql`select id, name from spaces where id = ${row.spaceId}`)
    : [];
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    whatHappened: row.whatHappened,
    impact: row.impact,
    learned: row.learned,
    instead: row.instead,
    html: {
      whatHappened: renderMarkdown(row.whatHappened),
      impact: renderMarkdown(row.impact),
      learned: renderMarkdown(row.learned),
      instead: renderMarkdown(row.instead),
    },
    tags: row.tags,
    space: space ?? null,
    anonymous: row.anonymous,
    author: author ?? null,
    // An admin sees who wrote an anonymous report: say so, so it is not mistaken for a public byline.
    authorVisibleForAudit: row.anonymous && !!author && actor.id !== row.authorId,
    retrospectiveId: row.retrospectiveId,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    can: { edit: can(actor, "edit", subject), delete: can(actor, "delete", subject) },
  };
}

/** The lesson's space must exist and be readable by the actor; `db` is the open transaction when there is one. */
async function checkSpace(db: Executor, actor: Actor, spaceId: string | null | undefined) {
  if (!spaceId) return;
  const space = await loadSpaceSubject(db, actor, spaceId).catch(() => null);
  if (!space || !can(actor, "read", space)) throw invalidField("spaceId", "no such space");
}

/**
 * Inserts a lesson; inside a transaction pass it as `db`, so every statement runs on it (PGlite has one connection).
 */
export async function createLesson(
  ctx: AppContext,
  actor: Actor,
  input: LessonInput,
  extra: { retrospectiveId?: string } = {},
  db: Executor = ctx.db,
) {
  authorize(actor, "writeLesson", { kind: "instance" });
  await checkSpace(db, actor, input.spaceId);
  const now = ctx.now();
  const [row] = await db
    .insert(lessons)
    .values({
      kind: input.kind ?? "mistake",
      title: input.title,
      whatHappened: input.whatHappened,
      impact: input.impact,
      learned: input.learned,
      instead: input.instead,
      tags: normaliseTags(input.tags),
      spaceId: input.spaceId ?? null,
      authorId: actor.id,
      anonymous: input.anonymous,
      retrospectiveId: extra.retrospectiveId ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return row;
}

export async function getLesson(ctx: AppContext, actor: Actor, id: string) {
  const { row, subject } = await loadLesson(ctx, actor, id);
  authorize(actor, "read", subject);
  return presentLesson(ctx, actor, row, subject);
}

export async function updateLesson(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: LessonInput & { version: number },
) {
  const { subject } = await loadLesson(ctx, actor, id);
  authorize(actor, "edit", subject);
  await checkSpace(ctx.db, actor, input.spaceId);
  const [row] = await ctx.db
    .update(lessons)
    .set({
      title: input.title,
      whatHappened: input.whatHappened,
      impact: input.impact,
      learned: input.learned,
      instead: input.instead,
      tags: normaliseTags(input.tags),
      spaceId: input.spaceId ?? null,
      anonymous: input.anonymous,
      version: sql`${lessons.version} + 1`,
      updatedAt: ctx.now(),
      searchSeq: sql`nextval('search_seq')`,
    })
    .where(and(eq(lessons.id, id), eq(lessons.version, input.version)))
    .returning();
  if (!row)
    throw new AppError("conflict", "Someone saved this lesson while you were editing; your text was not saved yet", {
      details: { current: await getLesson(ctx, actor, id) },
    });
  return getLesson(ctx, actor, id);
}

export async function deleteLesson(ctx: AppContext, actor: Actor, id: string) {
  const { subject } = await loadLesson(ctx, actor, id);
  authorize(actor, "delete", subject);
  await ctx.db
    .update(lessons)
    .set({ deletedAt: ctx.now(), searchSeq: sql`nextval('search_seq')` })
    .where(eq(lessons.id, id));
  return { deleted: true };
}

/** Lessons the actor may read, newest first, optionally by tag or kind; anonymous ones without author. */
export async function listLessons(
  ctx: AppContext,
  actor: Actor,
  q: { tag?: string; kind?: "mistake" | "retrospective"; limit: number; offset: number },
) {
  const where = [readableSql(actor, "lesson", "l")];
  if (q.tag) where.push(sql`${q.tag.toLowerCase()} = any(l.tags)`);
  if (q.kind) where.push(sql`l.kind = ${q.kind}`);
  const cond = sql.join(where, sql` and `);
  const [{ n }] = await rows<{ n: number }>(ctx.db, sql`select count(*)::int as n from lessons l where ${cond}`);
  const found = await rows<{ id: string }>(
    ctx.db,
    sql`select l.id from lessons l where ${cond} order by l.created_at desc limit ${q.limit} offset ${q.offset}`,
  );
  const items = [];
  for (const f of found) items.push(await getLesson(ctx, actor, f.id));
  return { total: Number(n), items };
}

// ---------- Retrospectives ----------

async function retroSubject(ctx: AppContext, actor: Actor, r: RetroRow): Promise<RetrospectiveSubject> {
  return {
    kind: "retrospective",
    id: r.id,
    space: r.spaceId ? await loadSpaceSubject(ctx.db, actor, r.spaceId) : null,
    authorId: r.authorId,
    participantIds: r.participantIds,
  };
}

async function loadRetro(ctx: AppContext, actor: Actor, id: string) {
  const [row] = await ctx.db.select().from(retrospectives).where(eq(retrospectives.id, id));
  if (!row) throw notFound("Retrospective not found");
  return { row, subject: await retroSubject(ctx, actor, row) };
}

export async function getRetrospective(ctx: AppContext, actor: Actor, id: string) {
  const { row, subject } = await loadRetro(ctx, actor, id);
  authorize(actor, "read", subject);
  const ids = [row.authorId, ...row.participantIds];
  const people = await namesByIds(ctx.db, ids);
  const name = (id: string) => people.get(id) ?? "";
  return {
    id: row.id,
    title: row.title,
    spaceId: row.spaceId,
    author: { id: row.authorId, name: name(row.authorId) },
    participants: row.participantIds.map((id) => ({ id, name: name(id) })),
    items: row.items as RetroItem[],
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    can: { edit: can(actor, "edit", subject), makeLesson: can(actor, "makeLesson", subject) },
  };
}

export async function listRetrospectives(ctx: AppContext, actor: Actor) {
  const found = await rows<{ id: string }>(
    ctx.db,
    sql`select r.id from retrospectives r where ${readableSql(actor, "retrospective", "r")} order by r.created_at desc limit 100`,
  );
  const items = [];
  for (const f of found) items.push(await getRetrospective(ctx, actor, f.id));
  return { items };
}

async function checkPeople(ctx: AppContext, ids: string[]) {
  if (!ids.length) return;
  const found = await rows<{ id: string }>(
    ctx.db,
    sql`select id from users where deactivated_at is null and id in (${sql.join(
      ids.map((i) => sql`${i}::uuid`),
      sql`, `,
    )})`,
  );
  if (found.length !== new Set(ids).size)
    throw invalidField("participantIds", "contains someone who is not a colleague");
}

export async function createRetrospective(
  ctx: AppContext,
  actor: Actor,
  input: {
    title: string;
    spaceId?: string | null;
    participantIds: string[];
    items: { column: RetroItem["column"]; text: string }[];
  },
) {
  authorize(actor, "writeLesson", { kind: "instance" });
  await checkSpace(ctx.db, actor, input.spaceId);
  await checkPeople(ctx, input.participantIds);
  const now = ctx.now();
  const [row] = await ctx.db
    .insert(retrospectives)
    .values({
      title: input.title,
      spaceId: input.spaceId ?? null,
      authorId: actor.id,
      participantIds: [...new Set(input.participantIds)],
      items: input.items.map((i) => ({ id: randomUUID(), column: i.column, text: i.text })),
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return getRetrospective(ctx, actor, row.id);
}

/** Replaces the items (versioned: a stale save gets 409 with the newer retrospective). */
export async function updateRetrospective(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: {
    version: number;
    title: string;
    participantIds: string[];
    items: { id?: string; column: RetroItem["column"]; text: string }[];
  },
) {
  const { row: before, subject } = await loadRetro(ctx, actor, id);
  authorize(actor, "edit", subject);
  await checkPeople(ctx, input.participantIds);
  const old = new Map((before.items as RetroItem[]).map((i) => [i.id, i]));
  const items: RetroItem[] = input.items.map((i) => ({
    id: i.id && old.has(i.id) ? i.id : randomUUID(),
    column: i.column,
    text: i.text,
    ...(i.id && old.get(i.id)?.lessonId ? { lessonId: old.get(i.id)!.lessonId } : {}),
  }));
  const [row] = await ctx.db
    .update(retrospectives)
    .set({
      title: input.title,
      participantIds: [...new Set(input.participantIds)],
      items,
      version: sql`${retrospectives.version} + 1`,
      updatedAt: ctx.now(),
    })
    .where(and(eq(retrospectives.id, id), eq(retrospectives.version, input.version)))
    .returning();
  if (!row)
    throw new AppError("conflict", "Someone saved this retrospective meanwhile; your changes were not saved yet", {
      details: { current: await getRetrospective(ctx, actor, id) },
    });
  return getRetrospective(ctx, actor, id);
}

/**
 * Turns one item of a retrospective into a lesson (linked both ways), in one transaction. The
 * retrospective's row is locked first and the item re-read under the lock, so when several
 * requests make the same item a lesson at once exactly one lesson is made; the others get 409.
 */
export async function itemToLesson(
  ctx: AppContext,
  actor: Actor,
  retroId: string,
  itemId: string,
  input: { learned: string; instead: string; tags: string[]; anonymous: boolean },
) {
  const { subject } = await loadRetro(ctx, actor, retroId);
  authorize(actor, "makeLesson", subject);
  const lessonId = await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(retrospectives).where(eq(retrospectives.id, retroId)).for("no key update");
    if (!row) throw notFound("Retrospective not found");
    const items = row.items as RetroItem[];
    const item = items.find((i) => i.id === itemId);
    if (!item) throw notFound("Item not found");
    if (item.lessonId)
      throw new AppError("conflict", "This item is already a lesson", { details: { lessonId: item.lessonId } });
    const lesson = await createLesson(
      ctx,
      actor,
      {
        kind: "retrospective",
        title: item.text.slice(0, 200),
        whatHappened: `From the retrospective “${row.title}” (${item.column === "well" ? "went well" : item.column === "less" ? "went less well" : "to try next"}): ${item.text}`,
        impact: "",
        learned: input.learned,
        instead: input.instead,
        tags: input.tags,
        spaceId: row.spaceId,
        anonymous: input.anonymous,
      },
      { retrospectiveId: row.id },
      tx,
    );
    const updated = items.map((i) => (i.id === itemId ? { ...i, lessonId: lesson.id } : i));
    await tx
      .update(retrospectives)
      .set({ items: updated, version: sql`${retrospectives.version} + 1`, updatedAt: ctx.now() })
      .where(eq(retrospectives.id, retroId));
    return lesson.id;
  });
  return getLesson(ctx, actor, lessonId);
}
