import { and, eq, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import { articleComments } from "../../../db/schema";
import type { AppContext } from "../../context";
import { rows, type Executor } from "../../platform/db";
import { AppError, invalidField, notFound } from "../../platform/errors";
import { authorize, can, type Actor, type ArticleCommentSubject, type ArticleSubject } from "../../authz/policy";
import { renderMarkdown } from "../../domain/markdown/render";
import { locateAnchor, visibleText } from "../../domain/markdown/anchors";
import { recordMentions } from "../mentions/mentions.service";
import { iso, loadArticle, type ArticleRecord } from "./articles.queries";
import type { ArticleCommentsOut, CommentUpdate, ThreadIn } from "./comments.schema";

type CommentRow = {
  id: string;
  article_id: string;
  thread_id: string | null;
  author_id: string;
  author_name: string;
  body: string;
  anchor_quote: string | null;
  anchor_prefix: string | null;
  anchor_suffix: string | null;
  resolved_at: Date | string | null;
  resolved_by: string | null;
  resolved_by_name: string | null;
  version: number;
  created_at: Date | string;
  edited_at: Date | string | null;
  deleted_at: Date | string | null;
};

async function commentRows(db: Executor, where: ReturnType<typeof sql>): Promise<CommentRow[]> {
  return rows<CommentRow>(
    db,
    sql`select c.id, c.article_id, c.thread_id, c.author_id, u.name as author_name, c.body, c.anchor_quote,
               c.anchor_prefix, c.anchor_suffix, c.resolved_at, c.resolved_by, r.name as resolved_by_name,
               c.version, c.created_at, c.edited_at, c.deleted_at
        from article_comments c join users u on u.id = c.author_id left join users r on r.id = c.resolved_by
        where ${where} order by c.created_at, c.id`,
  );
}

/**
 * The policy subject of a comment. A comment is gone when deleted; a thread (its root, for reply,
 * resolve and reopen) is gone only when every comment in it is deleted — a deleted root with
 * replies stays as "deleted" and the conversation goes on.
 */
function subjectOf(
  article: ArticleSubject,
  c: CommentRow,
  root: CommentRow,
  thread: CommentRow[] | null,
): ArticleCommentSubject {
  const isRoot = c.thread_id === null;
  return {
    kind: "articleComment",
    id: c.id,
    article,
    authorId: c.author_id,
    threadAuthorId: root.author_id,
    root: isRoot,
    resolved: root.resolved_at !== null,
    // `thread` given: the subject is the thread (reply, resolve, reopen); otherwise the comment itself.
    deleted: thread ? thread.every((x) => x.deleted_at !== null) : c.deleted_at !== null,
  };
}

/** A comment with its article and thread, as policy subjects for this actor; 404 when it does not exist. */
async function loadComment(db: Executor, actor: Actor, id: string) {
  const [row] = await commentRows(db, sql`c.id = ${id}`);
  if (!row) throw notFound("Comment not found");
  const rootId = row.thread_id ?? row.id;
  const thread = await commentRows(db, sql`(c.id = ${rootId} or c.thread_id = ${rootId})`);
  const root = thread.find((c) => c.id === rootId)!;
  const { record, subject: article } = await loadArticle(db, actor, row.article_id);
  return {
    row,
    root,
    record,
    article,
    subject: subjectOf(article, row, root, null),
    rootSubject: subjectOf(article, root, root, thread),
  };
}

/** The text of the article as a reader sees it (anchors are found in it). */
function articleText(record: Pick<ArticleRecord, "body">): string {
  return visibleText(renderMarkdown(record.body));
}

/**
 * The article's threads as the reader may see and act on them: open threads first — those on a
 * passage in the order of the article, then the rest oldest first — then resolved ones, latest first.
 */
async function present(
  db: Executor,
  actor: Actor,
  record: ArticleRecord,
  article: ArticleSubject,
): Promise<ArticleCommentsOut> {
  const all = await commentRows(db, sql`c.article_id = ${record.id}`);
  const text = articleText(record);
  const byThread = new Map<string, CommentRow[]>();
  for (const c of all) {
    const key = c.thread_id ?? c.id;
    if (!byThread.has(key)) byThread.set(key, []);
    // The root first, then the replies in the order they were written (rows come ordered by time).
    if (c.thread_id === null) byThread.get(key)!.unshift(c);
    else byThread.get(key)!.push(c);
  }
  const threads = [];
  for (const root of all.filter((c) => c.thread_id === null)) {
    const thread = byThread.get(root.id)!;
    const rootSubject = subjectOf(article, root, root, thread);
    if (!can(actor, "read", rootSubject)) continue;
    const position =
      root.anchor_quote === null
        ? -1
        : locateAnchor(text, {
            quote: root.anchor_quote,
            prefix: root.anchor_prefix ?? "",
            suffix: root.anchor_suffix ?? "",
          });
    threads.push({
      position,
      createdAt: iso(root.created_at)!,
      out: {
        id: root.id,
        anchor:
          root.anchor_quote === null
            ? null
            : {
                quote: root.anchor_quote,
                prefix: root.anchor_prefix ?? "",
                suffix: root.anchor_suffix ?? "",
                found: position >= 0,
              },
        resolved:
          root.resolved_at === null
            ? null
            : { at: iso(root.resolved_at)!, by: { id: root.resolved_by!, name: root.resolved_by_name ?? "" } },
        comments: thread.map((c) => {
          const s = subjectOf(article, c, root, null);
          const deleted = c.deleted_at !== null;
          return {
            id: c.id,
            body: deleted ? "" : c.body,
            html: deleted ? "" : renderMarkdown(c.body),
            author: { id: c.author_id, name: c.author_name },
            version: c.version,
            createdAt: iso(c.created_at)!,
            editedAt: iso(c.edited_at),
            deleted,
            can: { edit: !deleted && can(actor, "edit", s), delete: !deleted && can(actor, "delete", s) },
          };
        }),
        can: {
          reply: can(actor, "reply", rootSubject),
          resolve: can(actor, "resolve", rootSubject),
          reopen: can(actor, "reopen", rootSubject),
        },
      },
    });
  }
  const open = threads.filter((t) => t.out.resolved === null);
  const resolved = threads.filter((t) => t.out.resolved !== null);
  open.sort((a, b) => {
    const pa = a.position >= 0 ? a.position : Number.MAX_SAFE_INTEGER;
    const pb = b.position >= 0 ? b.position : Number.MAX_SAFE_INTEGER;
    return pa - pb || a.createdAt.localeCompare(b.createdAt);
  });
  resolved.sort((a, b) => b.out.resolved!.at.localeCompare(a.out.resolved!.at));
  return {
    articleId: record.id,
    open: open.length,
    resolved: resolved.length,
    canComment: can(actor, "comment", article),
    threads: [...open, ...resolved].map((t) => t.out),
  };
}

/** An article's comment threads (reading them requires reading the article: 404 otherwise). */
export async function listComments(ctx: AppContext, actor: Actor, articleId: string) {
  const { record, subject } = await loadArticle(ctx.db, actor, articleId);
  authorize(actor, "read", subject);
  return present(ctx.db, actor, record, subject);
}

/**
 * Starts a thread: on the whole article, or on a passage (`anchor`), which must be in the article
 * as it is now. Mentions in the body notify the people mentioned who may read the article.
 */
export async function createThread(ctx: AppContext, actor: Actor, articleId: string, input: z.infer<typeof ThreadIn>) {
  const { record, subject } = await loadArticle(ctx.db, actor, articleId);
  authorize(actor, "comment", subject);
  const anchor = input.anchor ?? null;
  if (anchor && locateAnchor(articleText(record), anchor) < 0)
    throw invalidField("anchor.quote", "is not in the article as it is now; select the passage again");
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const [c] = await tx
      .insert(articleComments)
      .values({
        articleId,
        authorId: actor.id,
        body: input.body,
        anchorQuote: anchor?.quote ?? null,
        anchorPrefix: anchor ? anchor.prefix : null,
        anchorSuffix: anchor ? anchor.suffix : null,
        createdAt: now,
      })
      .returning({ id: articleComments.id });
    await recordMentions(
      ctx,
      tx,
      actor,
      { subjectType: "article_comment", subjectId: c.id, itemType: "article", itemId: articleId },
      input.body,
    );
  });
  return present(ctx.db, actor, record, subject);
}

/** Replies in an open thread (given its root or any comment in it); a resolved thread is reopened first. */
export async function reply(ctx: AppContext, actor: Actor, commentId: string, body: string) {
  const c = await loadComment(ctx.db, actor, commentId);
  authorize(actor, "reply", c.rootSubject);
  await ctx.db.transaction(async (tx) => {
    const [r] = await tx
      .insert(articleComments)
      .values({ articleId: c.record.id, threadId: c.root.id, authorId: actor.id, body, createdAt: ctx.now() })
      .returning({ id: articleComments.id });
    await recordMentions(
      ctx,
      tx,
      actor,
      { subjectType: "article_comment", subjectId: r.id, itemType: "article", itemId: c.record.id },
      body,
    );
  });
  return present(ctx.db, actor, c.record, c.article);
}

/** Edits one's own comment, saved on `version`: a stale version is a 409 with the threads as they are now. */
export async function editComment(
  ctx: AppContext,
  actor: Actor,
  commentId: string,
  input: z.infer<typeof CommentUpdate>,
) {
  const c = await loadComment(ctx.db, actor, commentId);
  authorize(actor, "edit", c.subject);
  const saved = await ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ body: articleComments.body })
      .from(articleComments)
      .where(and(eq(articleComments.id, commentId), eq(articleComments.version, input.version)))
      .for("no key update");
    if (!before) return false;
    const [updated] = await tx
      .update(articleComments)
      .set({ body: input.body, version: sql`${articleComments.version} + 1`, editedAt: ctx.now() })
      .where(
        and(
          eq(articleComments.id, commentId),
          eq(articleComments.version, input.version),
          isNull(articleComments.deletedAt),
        ),
      )
      .returning({ id: articleComments.id });
    if (!updated) return false;
    // Only people newly mentioned by this edit are notified.
    await recordMentions(
      ctx,
      tx,
      actor,
      { subjectType: "article_comment", subjectId: commentId, itemType: "article", itemId: c.record.id },
      input.body,
      before.body,
    );
    return true;
  });
  const current = await present(ctx.db, actor, c.record, c.article);
  if (!saved)
    throw new AppError("conflict", "This comment was changed while you were editing it; your text was not saved yet", {
      details: { current },
    });
  return current;
}

/** Deletes one's own comment (soft: a deleted root with replies shows as deleted, its replies stay). */
export async function deleteComment(ctx: AppContext, actor: Actor, commentId: string) {
  const c = await loadComment(ctx.db, actor, commentId);
  authorize(actor, "delete", c.subject);
  await ctx.db
    .update(articleComments)
    .set({ deletedAt: ctx.now() })
    .where(and(eq(articleComments.id, commentId), isNull(articleComments.deletedAt)));
  return present(ctx.db, actor, c.record, c.article);
}

/** Resolves (or reopens) the thread of a comment: the article's editors and the thread's author. */
export async function setResolved(ctx: AppContext, actor: Actor, commentId: string, resolved: boolean) {
  const c = await loadComment(ctx.db, actor, commentId);
  authorize(actor, resolved ? "resolve" : "reopen", c.rootSubject);
  // Compare-and-set: two people resolving at once resolve it once (the first one's name stays).
  await ctx.db
    .update(articleComments)
    .set(resolved ? { resolvedAt: ctx.now(), resolvedBy: actor.id } : { resolvedAt: null, resolvedBy: null })
    .where(
      and(
        eq(articleComments.id, c.root.id),
        resolved ? isNull(articleComments.resolvedAt) : sql`${articleComments.resolvedAt} is not null`,
      ),
    );
  return present(ctx.db, actor, c.record, c.article);
}
