import { z } from "zod";
import {
  DateTime,
  ErrorOut,
  Offset,
  OkOut,
  PersonRef,
  rawResponse,
  Version,
  VersionParam,
} from "../../platform/contracts";
import { NoticeOut, VerificationOut } from "../verification/verification.schema";
import { BreadcrumbOut } from "./tree.schema";
import { endpoint } from "../../platform/endpoints";

/** Tags are lowercase words joined by dashes, deduplicated. */
export function normaliseTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tags) {
    const n = t.trim().toLowerCase().replace(/^#/, "").replace(/\s+/g, "-").slice(0, 40);
    if (n && !out.includes(n)) out.push(n);
  }
  return out;
}

const Tags = z
  .array(z.string().max(60, "each tag must be at most 60 characters"))
  .max(20, "at most 20 tags")
  .transform(normaliseTags);
const Title = z.string().trim().min(1, "is required").max(200, "must be at most 200 characters");
const Body = z.string().max(500_000, "must be at most 500,000 characters");

export const ArticleIn = z.object({
  spaceId: z.string().uuid("must be a space id"),
  title: Title,
  body: Body.default(""),
  tags: Tags.default([]),
  status: z.enum(["draft", "published"]).default("published"),
  /** Files uploaded for this new article before it existed (pending uploads of the author), bound on creation. */
  attachmentIds: z.array(z.string().uuid("must be an upload id")).max(100, "at most 100 files").optional(),
  /** The page it goes under in the space's tree (last among its siblings); none: the top level. */
  parentId: z.string().uuid("must be a page id").nullable().default(null),
});
export const ArticleUpdate = z.object({
  version: Version,
  title: Title,
  body: Body,
  tags: Tags.default([]),
  status: z.enum(["draft", "published"]).optional(),
  note: z.string().trim().max(300).default(""),
});
export const ArticleListQuery = z.object({
  spaceId: z.string().uuid().optional(),
  tag: z.string().max(60).optional(),
  ownerId: z.string().uuid().optional(),
  status: z.enum(["draft", "published"]).optional(),
  sort: z.enum(["updated", "title"]).default("updated"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: Offset.default(0),
});
export type ArticleListInput = z.infer<typeof ArticleListQuery>;

export const ArticleParams = z.object({ id: z.string().uuid() });
export const RevisionParams = ArticleParams.extend({ version: VersionParam });
export const DiffQuery = z.object({ from: VersionParam, to: VersionParam });
export const RestoreRevisionIn = z.object({ version: Version });
/** Upload to an article, or (`spaceId`) for a new article in that space: pending, the uploader's alone until bound. */
export const AttachmentUploadQuery = z
  .object({
    articleId: z.string().uuid("must be an article id").optional(),
    spaceId: z.string().uuid("must be a space id").optional(),
  })
  .refine((q) => (q.articleId === undefined) !== (q.spaceId === undefined), {
    message: "give articleId (an article) or spaceId (a new article's upload), one of them",
    path: ["articleId"],
  });

const ArticleStatus = z.enum(["draft", "published"]);
/** An article in lists: no body, an excerpt. */
export const ArticleSummaryOut = z.object({
  id: z.string(),
  spaceId: z.string(),
  spaceName: z.string(),
  title: z.string(),
  tags: z.array(z.string()),
  status: ArticleStatus,
  owner: PersonRef,
  updatedAt: DateTime,
  version: z.number(),
  excerpt: z.string(),
});
export type ArticleSummaryOut = z.infer<typeof ArticleSummaryOut>;
export const ArticleListOut = z.object({ total: z.number(), items: z.array(ArticleSummaryOut) });
export const AttachmentOut = z.object({
  id: z.string(),
  name: z.string(),
  mime: z.string(),
  size: z.number(),
  kind: z.enum(["file", "image", "video"]),
  url: z.string(),
});
export type AttachmentOut = z.infer<typeof AttachmentOut>;
/** An attachment's bytes (its own content type; 206 for a byte range). */
export const FileOut = rawResponse("application/octet-stream", "The file, with its own content type");
/** An article as saving it answers: the record with its rendered body and attachments. */
export const ArticleOut = ArticleSummaryOut.extend({
  body: z.string(),
  html: z.string(),
  author: PersonRef,
  createdAt: DateTime,
  deletedAt: DateTime.nullable(),
  canEdit: z.boolean(),
  attachments: z.array(AttachmentOut),
});
/**
 * An article as its page shows it: plus verification (null for drafts and trashed), open challenges and the reader's
 * notices.
 */
export const ArticleViewOut = ArticleOut.extend({
  /** The page's ancestors in its space's tree that the reader may read, top first. */
  breadcrumbs: z.array(BreadcrumbOut),
  verification: VerificationOut.nullable(),
  openChallenges: z.number(),
  notices: z.array(NoticeOut),
});
export type ArticleViewOut = z.infer<typeof ArticleViewOut>;
export const TrashOut = z.object({
  items: z.array(ArticleSummaryOut.extend({ deletedAt: DateTime, deletedBy: PersonRef })),
});
export const RevisionOut = z.object({
  id: z.string(),
  articleId: z.string(),
  version: z.number(),
  title: z.string(),
  tags: z.array(z.string()),
  author: PersonRef,
  note: z.string(),
  restoredFrom: z.number().nullable(),
  createdAt: DateTime,
  /** Only when one revision is read, not in the list. */
  body: z.string().optional(),
});
export const RevisionListOut = z.object({ items: z.array(RevisionOut) });
export const DiffOut = z.object({
  from: z.number(),
  to: z.number(),
  title: z.object({ from: z.string(), to: z.string() }),
  tags: z.object({ added: z.array(z.string()), removed: z.array(z.string()) }),
  lines: z.array(
    z.object({
      type: z.enum(["same", "add", "del"]),
      text: z.string(),
      oldLine: z.number().nullable(),
      newLine: z.number().nullable(),
      /** A changed line that mostly survived: its words, the changed ones marked. */
      words: z.array(z.object({ text: z.string(), changed: z.boolean() })).optional(),
    }),
  ),
  stats: z.object({ added: z.number(), removed: z.number() }),
});

const Lines = z.array(z.string());
/** A run of merged lines, or an overlap both editors changed differently (both sides, and the base). */
export const MergeHunkOut = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("ok"), lines: Lines }),
  z.object({ kind: z.literal("conflict"), base: Lines, theirs: Lines, mine: Lines }),
]);
const fieldMerge = <T extends z.ZodType>(value: T) =>
  z.object({ base: value, theirs: value, mine: value, merged: value.nullable() });
/** A three-way merge (src/domain/merge): `merged` null = both sides changed the field differently. */
export const ArticleMergeOut = z.object({
  title: fieldMerge(z.string()),
  tags: fieldMerge(z.array(z.string())),
  body: z.object({
    hunks: z.array(MergeHunkOut),
    conflicts: z.number(),
    changes: z.object({ theirs: z.number(), mine: z.number() }),
  }),
  clean: z.boolean(),
});
/**
 * A stale save (409): the newer article, the version the editor started from (null if unknown) and
 * the three-way merge of base, theirs (current) and the text sent. Other 409s carry only `error`.
 */
export const ArticleConflictOut = z.object({
  error: ErrorOut,
  current: ArticleOut.optional(),
  base: z
    .object({ version: z.number(), title: z.string(), body: z.string(), tags: z.array(z.string()) })
    .nullable()
    .optional(),
  merge: ArticleMergeOut.optional(),
});
export type ArticleConflictOut = z.infer<typeof ArticleConflictOut>;

/** The endpoints of articles.routes.ts. */
export const articlesEndpoints = {
  getArticles: endpoint({ method: "GET", path: "/articles", query: ArticleListQuery, response: ArticleListOut }),
  postArticles: endpoint({ method: "POST", path: "/articles", body: ArticleIn, response: ArticleOut, status: 201 }),
  getArticlesById: endpoint({ method: "GET", path: "/articles/:id", params: ArticleParams, response: ArticleViewOut }),
  putArticlesById: endpoint({
    method: "PUT",
    path: "/articles/:id",
    params: ArticleParams,
    body: ArticleUpdate,
    response: ArticleOut,
    other: { 409: ArticleConflictOut },
  }),
  deleteArticlesById: endpoint({ method: "DELETE", path: "/articles/:id", params: ArticleParams, response: OkOut }),
  postArticlesRestore: endpoint({
    method: "POST",
    path: "/articles/:id/restore",
    params: ArticleParams,
    response: ArticleViewOut,
  }),
  getTrash: endpoint({ method: "GET", path: "/trash", response: TrashOut }),
  getArticlesRevisions: endpoint({
    method: "GET",
    path: "/articles/:id/revisions",
    params: ArticleParams,
    response: RevisionListOut,
  }),
  getArticlesRevisionsByVersion: endpoint({
    method: "GET",
    path: "/articles/:id/revisions/:version",
    params: RevisionParams,
    response: RevisionOut,
  }),
  getArticlesDiff: endpoint({
    method: "GET",
    path: "/articles/:id/diff",
    params: ArticleParams,
    query: DiffQuery,
    response: DiffOut,
  }),
  postArticlesRevisionsRestore: endpoint({
    method: "POST",
    path: "/articles/:id/revisions/:version/restore",
    params: RevisionParams,
    body: RestoreRevisionIn,
    response: ArticleOut,
    other: { 409: ArticleConflictOut },
  }),
};

export const RangeNotSatisfiable = rawResponse(
  "application/octet-stream",
  "The requested range lies outside the file (empty body)",
);
/** The endpoints of attachments.routes.ts. */
const TusAnswer = rawResponse("text/plain", "tus 1.0 headers (Upload-Offset, Location); a reason in words on refusal");
const UploadId = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/, "must be an upload id") });
/**
 * Resumable uploads (the tus 1.0 protocol: core, creation, termination, expiration; see tus.io): POST
 * with Upload-Length and Upload-Metadata (filename, and articleId or spaceId) creates one and answers its
 * Location; HEAD there says how much arrived; PATCH (application/offset+octet-stream, Upload-Offset)
 * sends the next piece, and the last one answers 200 with the attachment it became; DELETE gives up.
 */
export const uploadsEndpoints = {
  postUploads: endpoint({ method: "POST", path: "/uploads", response: TusAnswer, status: 201 }),
  patchUploadsById: endpoint({
    method: "PATCH",
    path: "/uploads/:id",
    params: UploadId,
    response: TusAnswer,
    status: 204,
    other: { 200: AttachmentOut },
  }),
  deleteUploadsById: endpoint({
    method: "DELETE",
    path: "/uploads/:id",
    params: UploadId,
    response: TusAnswer,
    status: 204,
  }),
};

export const attachmentsEndpoints = {
  postAttachments: endpoint({
    method: "POST",
    path: "/attachments",
    query: AttachmentUploadQuery,
    response: AttachmentOut,
  }),
  getAttachmentsById: endpoint({
    method: "GET",
    path: "/attachments/:id",
    params: z.object({ id: z.string().uuid() }),
    response: FileOut,
    other: { 206: FileOut, 416: RangeNotSatisfiable },
  }),
};
