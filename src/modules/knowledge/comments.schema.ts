import { z } from "zod";
import { DateTime, ErrorOut, PersonRef, Version } from "../../platform/contracts";
import { endpoint } from "../../platform/endpoints";

import { MAX_CONTEXT, MAX_QUOTE } from "../../domain/markdown/anchors";

const Body = z.string("is required").trim().min(1, "is required").max(10_000, "must be at most 10,000 characters");

/** A selected passage: the quoted text and a little of what comes before and after it (to find it again). */
export const AnchorIn = z.object({
  quote: z
    .string("is required")
    .trim()
    .min(1, "is required")
    .max(MAX_QUOTE, `must be at most ${MAX_QUOTE.toLocaleString("en")} characters`),
  prefix: z.string().max(MAX_CONTEXT, `must be at most ${MAX_CONTEXT} characters`).default(""),
  suffix: z.string().max(MAX_CONTEXT, `must be at most ${MAX_CONTEXT} characters`).default(""),
});
export const ThreadIn = z.object({ body: Body, anchor: AnchorIn.nullable().optional() });
export const ReplyIn = z.object({ body: Body });
export const CommentUpdate = z.object({ version: Version, body: Body });

const CommentOut = z.object({
  id: z.string(),
  /** Markdown ("" once deleted) and its sanitised HTML. */
  body: z.string(),
  html: z.string(),
  author: PersonRef,
  version: z.number(),
  createdAt: DateTime,
  editedAt: DateTime.nullable(),
  /** Deleted, kept as "deleted" because replies follow it. */
  deleted: z.boolean(),
  can: z.object({ edit: z.boolean(), delete: z.boolean() }),
});
const ThreadOut = z.object({
  /** The root comment's id. */
  id: z.string(),
  /** The passage it is on (null: a comment on the whole article); `found` is false once the passage changed. */
  anchor: z.object({ quote: z.string(), prefix: z.string(), suffix: z.string(), found: z.boolean() }).nullable(),
  resolved: z.object({ at: DateTime, by: PersonRef }).nullable(),
  comments: z.array(CommentOut),
  can: z.object({ reply: z.boolean(), resolve: z.boolean(), reopen: z.boolean() }),
});
/** An article's comment threads: open ones first (in order of the article), then resolved ones. */
export const ArticleCommentsOut = z.object({
  articleId: z.string(),
  open: z.number(),
  resolved: z.number(),
  /** May the reader start a thread. */
  canComment: z.boolean(),
  threads: z.array(ThreadOut),
});
export type ArticleCommentsOut = z.infer<typeof ArticleCommentsOut>;
/** A stale edit (409): the threads as they are now, so the writer sees the newer text. */
export const CommentConflictOut = z.object({ error: ErrorOut, current: ArticleCommentsOut.optional() });

const Id = z.object({ id: z.string().uuid() });
/** The endpoints of comments.routes.ts. */
export const articleCommentsEndpoints = {
  getArticlesComments: endpoint({
    method: "GET",
    path: "/articles/:id/comments",
    params: Id,
    response: ArticleCommentsOut,
  }),
  postArticlesComments: endpoint({
    method: "POST",
    path: "/articles/:id/comments",
    params: Id,
    body: ThreadIn,
    response: ArticleCommentsOut,
    status: 201,
  }),
  postArticleCommentsReplies: endpoint({
    method: "POST",
    path: "/article-comments/:id/replies",
    params: Id,
    body: ReplyIn,
    response: ArticleCommentsOut,
    status: 201,
  }),
  putArticleCommentsById: endpoint({
    method: "PUT",
    path: "/article-comments/:id",
    params: Id,
    body: CommentUpdate,
    response: ArticleCommentsOut,
    other: { 409: CommentConflictOut },
  }),
  deleteArticleCommentsById: endpoint({
    method: "DELETE",
    path: "/article-comments/:id",
    params: Id,
    response: ArticleCommentsOut,
  }),
  postArticleCommentsResolve: endpoint({
    method: "POST",
    path: "/article-comments/:id/resolve",
    params: Id,
    response: ArticleCommentsOut,
  }),
  postArticleCommentsReopen: endpoint({
    method: "POST",
    path: "/article-comments/:id/reopen",
    params: Id,
    response: ArticleCommentsOut,
  }),
};
