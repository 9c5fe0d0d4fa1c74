import { createHash } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import { rm } from "node:fs/promises";
import { and, asc, eq, inArray, isNull, lt } from "drizzle-orm";
import { attachments } from "../../../db/schema";
import type { AppContext } from "../../context";
import type { Executor } from "../../platform/db";
import type { FileStore } from "../../platform/files";
import { AppError, invalidField, notFound } from "../../platform/errors";
import { authorize, can, type Actor, type PendingUploadSubject, type SpaceSubject } from "../../authz/policy";
import { loadSpaceSubject } from "../../authz/access";
import { loadArticle } from "./articles.queries";
import { detectFileType } from "./file-types";
import { uploadLimitBytes } from "../settings/settings.service";
import { UPLOAD_LIMIT_DEFAULT_MB } from "../settings/settings.schema";

type AttachmentRow = typeof attachments.$inferSelect;

const DEFAULT_LIMIT = UPLOAD_LIMIT_DEFAULT_MB * 1024 * 1024;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** The API shape of an attachment. */
function presentAttachment(a: AttachmentRow) {
  return { id: a.id, name: a.name, mime: a.mime, size: a.size, kind: a.kind, url: `/api/attachments/${a.id}` };
}

/** The attachments of an article, oldest first. */
export async function listAttachments(db: Executor, articleId: string) {
  const found = await db
    .select()
    .from(attachments)
    .where(eq(attachments.articleId, articleId))
    .orderBy(asc(attachments.createdAt));
  return found.map(presentAttachment);
}

/** How long an upload for a not-yet-created article waits to be bound before it is deleted. */
export const PENDING_UPLOAD_TTL_MS = 24 * 3_600_000;

export type Upload = { filename: string; stream: NodeJS.ReadableStream & { truncated?: boolean } };

/**
 * Stores an upload, after checking its real type and size: for an article the actor may edit, or
 * (`spaceId`) for a new article the actor may create there. Such a pending upload is the uploader's
 * alone until the article is created with it (bindPendingUploads); unbound ones are purged.
 */
export async function saveUpload(
  ctx: AppContext,
  actor: Actor,
  target: { articleId?: string; spaceId?: string },
  upload: Upload,
) {
  const owner = await authorizeUploadTarget(ctx, actor, target);
  return storeFile(ctx, { ...owner, uploaderId: actor.id }, upload, ctx.db, await uploadLimitBytes(ctx.db));
}

/**
 * Checks that the actor may upload for this target: an article they may edit, or (`spaceId`) a new
 * article they may create there. Answers where the file belongs.
 */
export async function authorizeUploadTarget(
  ctx: AppContext,
  actor: Actor,
  target: { articleId?: string; spaceId?: string },
): Promise<{ articleId: string | null; spaceId: string }> {
  if (target.articleId) {
    const { record, subject } = await loadArticle(ctx.db, actor, target.articleId);
    authorize(actor, "update", subject);
    authorize(actor, "upload", await loadSpaceSubject(ctx.db, actor, record.space_id));
    return { articleId: record.id, spaceId: record.space_id };
  }
  const space = await loadSpaceSubject(ctx.db, actor, target.spaceId!);
  authorize(actor, "createArticle", space);
  authorize(actor, "upload", space);
  return { articleId: null, spaceId: space.id };
}

const pendingSubject = (row: AttachmentRow, space: SpaceSubject): PendingUploadSubject => ({
  kind: "pendingUpload",
  uploaderId: row.uploaderId,
  space,
});

/**
 * Binds the actor's pending uploads to the article just created (inside its transaction): each must
 * be the actor's, still pending and uploaded for the article's space, or nothing is saved.
 */
export async function bindPendingUploads(
  tx: Executor,
  actor: Actor,
  article: { id: string; spaceId: string },
  ids: readonly string[],
) {
  const wanted = [...new Set(ids)];
  const found = await tx
    .select()
    .from(attachments)
    .where(and(inArray(attachments.id, wanted), isNull(attachments.articleId)));
  const space = await loadSpaceSubject(tx, actor, article.spaceId);
  const usable = found.filter((r) => r.spaceId === article.spaceId && can(actor, "attach", pendingSubject(r, space)));
  if (usable.length !== wanted.length) {
    // Someone else's upload answers like a missing one.
    throw invalidField(
      "attachmentIds",
      `${wanted.length - usable.length} of the files is no longer waiting for this article (removed after ` +
        `${PENDING_UPLOAD_TTL_MS / 3_600_000} hours, attached already, or uploaded elsewhere): upload it again`,
    );
  }
  await tx.update(attachments).set({ articleId: article.id }).where(inArray(attachments.id, wanted));
}

/** Deletes uploads never bound to an article (rows and bytes) that are older than the time allowed. */
export async function purgePendingUploads(ctx: AppContext, now: Date = ctx.now()) {
  const cutoff = new Date(now.getTime() - PENDING_UPLOAD_TTL_MS);
  const gone = await ctx.db
    .delete(attachments)
    .where(and(isNull(attachments.articleId), lt(attachments.createdAt, cutoff)))
    .returning({ key: attachments.storageKey });
  for (const { key } of gone) await ctx.files.remove(key);
  return gone.length;
}

/**
 * Writes an upload's bytes into the file store after checking its real type (from content) and size:
 * the one storage path of uploaded files (article attachments, session files). Callers authorize
 * first and record the returned file; `remove` its key if recording fails.
 */
export async function writeCheckedFile(files: FileStore, upload: Upload, limitBytes: number = DEFAULT_LIMIT) {
  const temp = files.createTemp();
  const hash = createHash("sha256");
  let size = 0;
  let head = new Uint8Array(0);
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (head.length < 64) head = new Uint8Array(Buffer.concat([head, chunk]).subarray(0, 64));
      size += chunk.length;
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(upload.stream, meter, temp.stream);
    if (upload.stream.truncated || size > limitBytes)
      throw new AppError("too_large", `file: larger than the ${mb(limitBytes)} MB upload limit`);
    const type = detectFileType(head, upload.filename);
    if (!type) {
      throw new AppError(
        "unsupported_type",
        "file: allowed are images (png, jpeg, gif, webp), video (mp4, webm) and pdf, txt, csv, md, zip, docx, xlsx, pptx",
      );
    }
    // Clips may be as large as the admin allows; photos and other files keep their own, lower caps.
    const cap = type.kind === "video" ? limitBytes : Math.min(type.maxBytes, limitBytes);
    if (size > cap) throw new AppError("too_large", `file: ${type.kind} files may be at most ${mb(cap)} MB`);
    if (size === 0)
      throw new AppError("invalid", "file: is empty", { fields: [{ path: "file", message: "is empty" }] });
    await files.commit(temp.path, temp.key);
    const name = upload.filename.replace(/[\\/\u0000-\u001f]/g, "_").slice(0, 200) || "file";
    return { name, mime: type.mime, kind: type.kind, size, sha256: hash.digest("hex"), storageKey: temp.key };
  } finally {
    await rm(temp.path, { force: true });
  }
}

/**
 * Writes the bytes, checks type (from content) and size, and records the attachment. Callers
 * authorize first; `id` may be chosen in advance so Markdown can point at it before it exists.
 */
export async function storeFile(
  ctx: AppContext,
  owner: { articleId: string | null; spaceId: string; uploaderId: string; id?: string },
  upload: Upload,
  db: Executor = ctx.db,
  limitBytes: number = DEFAULT_LIMIT,
) {
  const file = await writeCheckedFile(ctx.files, upload, limitBytes);
  const [row] = await db
    .insert(attachments)
    .values({
      ...(owner.id ? { id: owner.id } : {}),
      articleId: owner.articleId,
      spaceId: owner.spaceId,
      uploaderId: owner.uploaderId,
      ...file,
      createdAt: ctx.now(),
    })
    .returning();
  return presentAttachment(row);
}

/** The largest upload the organisation allows now, in bytes. */
export function currentUploadLimit(ctx: AppContext): Promise<number> {
  return uploadLimitBytes(ctx.db);
}

/** Loads an attachment the actor may read (the article's read rule decides). */
export async function openAttachment(ctx: AppContext, actor: Actor, id: string) {
  const [row] = await ctx.db.select().from(attachments).where(eq(attachments.id, id));
  if (!row) throw notFound("Attachment not found");
  // Unreadable answers exactly like missing, so a private attachment's id reveals nothing.
  const readable = row.articleId
    ? can(actor, "read", (await loadArticle(ctx.db, actor, row.articleId)).subject)
    : can(actor, "read", pendingSubject(row, await loadSpaceSubject(ctx.db, actor, row.spaceId)));
  if (!readable) throw notFound("Attachment not found");
  return row;
}
