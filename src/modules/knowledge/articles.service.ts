import { and, eq, sql, type SQL } from "drizzle-orm";
import { emitWebhookEvent } from "../webhooks/webhooks.service";
import type { z } from "zod";
import { articleRevisions, articles } from "../../../db/schema";
import type { AppContext } from "../../context";
import { rows, type Executor } from "../../platform/db";
import { AppError, invalidField, notFound } from "../../platform/errors";
import { authorize, can, type Actor, type ArticleSubject, type SpaceSubject } from "../../authz/policy";
import { loadSpaceSubject, loadSpaceSubjects } from "../../authz/access";
import { audienceReadableSql, readableSql } from "../../authz/audience";
import { renderMarkdown } from "../../domain/markdown/render";
import { markdownToPlainText } from "../../domain/search/snippet";
import { countConflictBlocks, mergeArticle } from "../../domain/merge/three-way";
import {
  findArticle,
  findArticleView,
  findRevisionText,
  iso,
  loadArticle,
  type ArticleRecord,
  type ArticleViewRecord,
} from "./articles.queries";
import type { ArticleIn, ArticleListInput, ArticleUpdate } from "./articles.schema";
import { bindPendingUploads, listAttachments } from "./attachments.service";
import { positionForNewPage } from "./tree.service";
import { recordMentions } from "../mentions/mentions.service";
import {
  formatVerification,
  myNotices,
  recordReadLater,
  verifyOnCreate,
  type Knowledge,
} from "../verification/verification.service";

/** A short plain-text excerpt for lists. */
export function excerptOf(body: string, length = 220): string {
  const text = markdownToPlainText(body.slice(0, 4000)).replace(/\s+/g, " ").trim();
  return text.length > length ? text.slice(0, length - 1).trimEnd() + "…" : text;
}

function summary(r: ArticleRecord) {
  return {
    id: r.id,
    spaceId: r.space_id,
    spaceName: r.space_name,
    title: r.title,
    tags: r.tags,
    status: r.status,
    owner: { id: r.owner_id, name: r.owner_name },
    updatedAt: iso(r.updated_at)!,
    version: r.version,
    excerpt: excerptOf(r.body),
  };
}

/** The full article as the API shows it (`db`: the open transaction when there is one). */
export async function presentArticle(ctx: AppContext, actor: Actor, r: ArticleRecord, db: Executor = ctx.db) {
  const { subject } = await loadArticle(db, actor, r.id);
  return { ...presentRecord(actor, r, subject), attachments: await listAttachments(db, r.id) };
}

function presentRecord(actor: Actor, r: ArticleRecord, subject: ArticleSubject) {
  return {
    ...summary(r),
    body: r.body,
    html: renderMarkdown(r.body),
    author: { id: r.updated_by, name: r.updated_by_name },
    createdAt: iso(r.created_at)!,
    deletedAt: iso(r.deleted_at),
    canEdit: can(actor, "update", subject),
  };
}

export type ArticleOut = Awaited<ReturnType<typeof presentArticle>>;

/** Lists the articles the actor may read (drafts only their own), filtered and paged. */
export async function listArticles(
  ctx: AppContext,
  actor: Actor,
  q: Partial<ArticleListInput> & { limit: number; offset: number },
) {
  const conds: SQL[] = [readableSql(actor, "article", "a")];
  if (q.status === "draft") conds.push(sql`a.status = 'draft' and a.owner_id = ${actor.id}`);
  else if (q.status === "published") conds.push(sql`a.status = 'published'`);
  else conds.push(sql`(a.status = 'published' or a.owner_id = ${actor.id})`);
  if (q.spaceId) conds.push(sql`a.space_id = ${q.spaceId}`);
  if (q.tag) conds.push(sql`${q.tag.toLowerCase()} = any(a.tags)`);
  if (q.ownerId) conds.push(sql`a.owner_id = ${q.ownerId}`);
  const where = sql.join(conds, sql` and `);
  const order = q.sort === "title" ? sql`lower(a.title) asc` : sql`a.updated_at desc`;
  const [count] = await rows<{ n: number }>(ctx.db, sql`select count(*)::int as n from articles a where ${where}`);
  const found = await rows<ArticleRecord>(
    ctx.db,
    sql`select a.id, a.space_id, s.name as space_name, a.title, left(a.body, 4000) as body, a.tags, a.status,
               a.owner_id, o.name as owner_name, a.updated_at, a.version
        from articles a join spaces s on s.id = a.space_id join users o on o.id = a.owner_id
        where ${where} order by ${order} limit ${q.limit} offset ${q.offset}`,
  );
  return { total: Number(count?.n ?? 0), items: found.map(summary) };
}

/**
 * Reads one article, with its verification, open challenges and the reader's "what changed"
 * notices, in two queries (the article with everything about it and its attachments; notices); the
 * read is recorded after the answer, off the request's path.
 */
export async function getArticle(ctx: AppContext, actor: Actor, id: string) {
  const r = await findArticleView(ctx.db, actor, id, (alias) => readableSql(actor, "article", alias));
  if (!r) throw notFound("Article not found");
  const space: SpaceSubject = {
    kind: "space",
    id: r.space_id,
    visibility: r.visibility,
    memberAccess: r.member_access,
    memberRole: r.member_role,
  };
  const subject: ArticleSubject = {
    kind: "article",
    id: r.id,
    space,
    ownerId: r.owner_id,
    status: r.status,
    deleted: r.deleted_at !== null,
  };
  authorize(actor, "read", subject);
  const article = {
    ...presentRecord(actor, r, subject),
    breadcrumbs: breadcrumbsOf(r.breadcrumbs),
    attachments: attachmentsOf(r.attachments),
  };
  if (r.status !== "published" || r.deleted_at)
    return { ...article, verification: null, openChallenges: 0, notices: [] };
  const knowledge: Knowledge = {
    type: "article",
    id: r.id,
    title: r.title,
    url: `/articles/${r.id}`,
    space,
    spaceId: r.space_id,
    authorId: r.owner_id,
    version: r.version,
    baseAt: new Date(r.updated_at),
    row: r.v_exists
      ? {
          subjectType: "article",
          subjectId: r.id,
          ownerId: r.v_owner_id,
          ownerDepartment: r.v_owner_department,
          intervalDays: r.v_interval_days!,
          verifiedAt: r.v_verified_at ? new Date(r.v_verified_at) : null,
          verifiedBy: r.v_verified_by,
          verifiedUntil: new Date(r.v_verified_until!),
          note: r.v_note ?? "",
          supersededById: r.v_superseded_by_id,
          updatedAt: new Date(r.v_updated_at!),
        }
      : null,
  };
  const names = new Map<string, string>();
  if (r.owner_of_knowledge_name !== null) names.set(r.v_owner_id ?? r.owner_id, r.owner_of_knowledge_name);
  if (r.v_verified_by && r.verified_by_name !== null) names.set(r.v_verified_by, r.verified_by_name);
  const superseding =
    r.v_superseded_by_id && r.sup_title !== null
      ? { id: r.v_superseded_by_id, title: r.sup_title, readable: r.sup_readable }
      : null;
  const verification = formatVerification(ctx.now(), actor, knowledge, {
    names,
    actorDepartment: r.actor_department,
    superseding,
  });
  const notices = (await myNotices(ctx, actor, id)).items;
  recordReadLater(ctx, actor.id, id, r.version);
  return { ...article, verification, openChallenges: Number(r.open_challenges), notices };
}

function attachmentsOf(value: ArticleViewRecord["attachments"]) {
  const list = typeof value === "string" ? (JSON.parse(value) as Exclude<typeof value, string>) : (value ?? []);
  return list.map((a) => ({ ...a, url: `/api/attachments/${a.id}` }));
}

function breadcrumbsOf(value: ArticleViewRecord["breadcrumbs"]): { id: string; title: string }[] {
  const list = typeof value === "string" ? (JSON.parse(value) as { id: string; title: string }[]) : (value ?? []);
  return list.map((b) => ({ id: b.id, title: b.title }));
}

/** Writes revision `version` of an article (every save is a revision). */
export async function writeRevision(
  tx: Executor,
  a: { id: string; version: number; title: string; body: string; tags: string[] },
  authorId: string,
  at: Date,
  note = "",
  restoredFrom: number | null = null,
  contributors: string[] = [authorId],
) {
  await tx.insert(articleRevisions).values({
    articleId: a.id,
    version: a.version,
    title: a.title,
    body: a.body,
    tags: a.tags,
    authorId,
    note,
    contributors,
    restoredFrom,
    createdAt: at,
  });
}

const articleMention = (id: string) =>
  ({ subjectType: "article", subjectId: id, itemType: "article", itemId: id }) as const;

/** Creates an article in a space the actor may write to; its first revision is version 1. */
export async function createArticle(
  ctx: AppContext,
  actor: Actor,
  input: Omit<z.infer<typeof ArticleIn>, "parentId"> & {
    id?: string;
    importKey?: string;
    importHash?: string;
    parentId?: string | null;
  },
  tx: Executor = ctx.db,
) {
  authorize(actor, "createArticle", await loadSpaceSubject(tx, actor, input.spaceId));
  const now = ctx.now();
  const { attachmentIds, ...values } = input;
  const run = async (t: Executor) => {
    const position = await positionForNewPage(t, actor, input.spaceId, input.parentId ?? null);
    const [a] = await t
      .insert(articles)
      .values({ ...values, position, ownerId: actor.id, updatedBy: actor.id, createdAt: now, updatedAt: now })
      .returning();
    await writeRevision(t, a, actor.id, now, "Created");
    if (attachmentIds?.length) await bindPendingUploads(t, actor, { id: a.id, spaceId: a.spaceId }, attachmentIds);
    if (a.status === "published") await verifyOnCreate(t, a.id, actor.id, now);
    await recordMentions(ctx, t, actor, articleMention(a.id), a.body);
    // Imports (a whole wiki at once) are not announced article by article.
    if (a.status === "published" && !input.importKey)
      await emitArticleEvent(ctx, t, "article.published", a, actor.id, now);
    return a.id;
  };
  const id = tx === ctx.db ? await ctx.db.transaction(run) : await run(tx);
  ctx.jobs.kick();
  return presentArticle(ctx, actor, (await findArticle(tx, id))!, tx);
}

/**
 * Saves an edit made on `version`. If somebody saved in between, nothing is written and the
 * caller gets 409 with the newer article, the version they started from and the three-way merge of
 * the three, so no one's text is silently overwritten and edits to different places merge by themselves.
 */
export async function updateArticle(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: z.infer<typeof ArticleUpdate> & { restoredFrom?: number; importHash?: string; contributors?: string[] },
) {
  const { record: before, subject } = await loadArticle(ctx.db, actor, id);
  authorize(actor, "update", subject);
  // A merge saved with a conflict still undecided would publish the markers: refuse, naming what is left.
  const unresolved = countConflictBlocks(input.body) - countConflictBlocks(before.body);
  if (unresolved > 0) {
    throw invalidField(
      "body",
      `still holds ${unresolved} unresolved conflict${unresolved > 1 ? "s" : ""} (between "<<<<<<< theirs" and ` +
        `">>>>>>> mine"): keep theirs, mine or both, then save`,
    );
  }
  const now = ctx.now();
  const saved = await ctx.db.transaction(async (tx) => {
    const [a] = await tx
      .update(articles)
      .set({
        title: input.title,
        body: input.body,
        tags: input.tags,
        ...(input.status ? { status: input.status } : {}),
        ...(input.importHash ? { importHash: input.importHash } : {}),
        updatedBy: actor.id,
        updatedAt: now,
        version: sql`${articles.version} + 1`,
        searchSeq: sql`nextval('search_seq')`,
      })
      .where(and(eq(articles.id, id), eq(articles.version, input.version), sql`${articles.deletedAt} is null`))
      .returning();
    if (!a) return null;
    await writeRevision(tx, a, actor.id, now, input.note, input.restoredFrom ?? null, input.contributors);
    // Only people newly mentioned in this revision are notified (a draft's readers are its owner and
    // admins, so publishing it notifies everyone it mentions who may now read it).
    await recordMentions(ctx, tx, actor, articleMention(id), a.body, before.status === "published" ? before.body : "");
    if (a.status === "published" && !input.importHash)
      await emitArticleEvent(
        ctx,
        tx,
        before.status === "published" ? "article.updated" : "article.published",
        a,
        actor.id,
        now,
      );
    return a;
  });
  if (saved) ctx.jobs.kick();
  const record = (await findArticle(ctx.db, id))!;
  if (!saved) {
    const current = await presentArticle(ctx, actor, record);
    // The starting version is a revision of this article (every save writes one); unknown only for a bogus number.
    const base = input.version < record.version ? ((await findRevisionText(ctx.db, id, input.version)) ?? null) : null;
    const merge = mergeArticle(base, current, { title: input.title, body: input.body, tags: input.tags });
    throw new AppError(
      "conflict",
      `${record.updated_by_name} saved version ${record.version} while you were editing; your text was not saved yet`,
      { details: { current, base, merge } },
    );
  }
  return presentArticle(ctx, actor, record);
}

async function setDeleted(ctx: AppContext, id: string, deleted: { at: Date; by: string } | null) {
  await ctx.db
    .update(articles)
    .set({ deletedAt: deleted?.at ?? null, deletedBy: deleted?.by ?? null, searchSeq: sql`nextval('search_seq')` })
    .where(eq(articles.id, id));
}

/** Tells webhooks about a published article (only one everyone may read goes out). */
function emitArticleEvent(
  ctx: AppContext,
  tx: Executor,
  type: "article.published" | "article.updated",
  a: { id: string; title: string; body: string; tags: string[]; spaceId: string },
  authorId: string,
  at: Date,
) {
  return emitWebhookEvent(ctx, tx, {
    type,
    path: `/articles/${a.id}`,
    title: a.title,
    body: a.body,
    authorId,
    tags: a.tags,
    spaceId: a.spaceId,
    at,
  });
}

/** Moves an article to the trash (restorable; never a hard delete). */
export async function trashArticle(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, "delete", (await loadArticle(ctx.db, actor, id)).subject);
  await setDeleted(ctx, id, { at: ctx.now(), by: actor.id });
}

/** Brings an article back from the trash. */
export async function restoreFromTrash(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, "restoreFromTrash", (await loadArticle(ctx.db, actor, id)).subject);
  await setDeleted(ctx, id, null);
  return getArticle(ctx, actor, id);
}

/** The trash: deleted articles in spaces where the actor may restore them. */
export async function listTrash(ctx: AppContext, actor: Actor) {
  const found = await rows<ArticleRecord>(
    ctx.db,
    sql`select a.id, a.space_id, s.name as space_name, a.title, left(a.body, 4000) as body, a.tags, a.status, a.owner_id,
               o.name as owner_name, a.updated_at, a.version, a.deleted_at, a.deleted_by, d.name as deleted_by_name
        from articles a join spaces s on s.id = a.space_id join users o on o.id = a.owner_id left join users d on d.id = a.deleted_by
        where a.deleted_at is not null and ${audienceReadableSql(actor, "a.audience_id")}
        order by a.deleted_at desc limit 500`,
  );
  // One query for the spaces, then the policy in memory (not two queries per row).
  const spacesById = new Map((await loadSpaceSubjects(ctx.db, actor)).map((sp) => [sp.id, sp]));
  const items = [];
  for (const r of found) {
    const space = spacesById.get(r.space_id);
    if (!space) continue;
    const subject: ArticleSubject = {
      kind: "article",
      id: r.id,
      space,
      ownerId: r.owner_id,
      status: r.status,
      deleted: true,
    };
    if (!can(actor, "restoreFromTrash", subject)) continue;
    items.push({
      ...summary(r),
      deletedAt: iso(r.deleted_at)!,
      deletedBy: { id: r.deleted_by!, name: r.deleted_by_name ?? "" },
    });
  }
  return items;
}
