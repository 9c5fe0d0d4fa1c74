import { createHash } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import { rm } from "node:fs/promises";
import { eq, asc } from "drizzle-orm";
import { attachments } from "../../../db/schema";
import type { AppContext } from "../../context";
import type { Executor } from "../../platform/db";
import { AppError, notFound } from "../../platform/errors";
import { authorize, can, type Actor } from "../../authz/policy";
import { loadSpaceSubject } from "../../authz/access";
import { loadArticle } from "./articles.queries";
import { detectFileType } from "./file-types";

type AttachmentRow = typeof attachments.$inferSelect;

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

/** Stores an upload for an article the actor may edit, after checking its real type and size. */
export async function saveUpload(
  ctx: AppContext,
  actor: Actor,
  target: { articleId: string },
  upload: { filename: string; stream: NodeJS.ReadableStream & { truncated?: boolean } },
) {
  const { record, subject } = await loadArticle(ctx.db, actor, target.articleId);
  authorize(actor, "update", subject);
  authorize(actor, "upload", await loadSpaceSubject(ctx.db, actor, record.space_id));
  return storeFile(ctx, { articleId: record.id, spaceId: record.space_id, uploaderId: actor.id }, upload);
}

/**
 * Writes the bytes, checks type (from content) and size, and records the attachment. Callers
 * authorize first; `id` may be chosen in advance so Markdown can point at it before it exists.
 */
export async function storeFile(
  ctx: AppContext,
  owner: { articleId: string; spaceId: string; uploaderId: string; id?: string },
  upload: { filename: string; stream: NodeJS.ReadableStream & { truncated?: boolean } },
  db: Executor = ctx.db,
) {
  const temp = ctx.files.createTemp();
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
    if (upload.stream.truncated) throw new AppError("too_large", "file: larger than the 100 MB upload limit");
    const type = detectFileType(head, upload.filename);
    if (!type) {
      throw new AppError(
        "unsupported_type",
        "file: allowed are images (png, jpeg, gif, webp), video (mp4, webm) and pdf, txt, csv, md, zip, docx, xlsx, pptx",
      );
    }
    if (size > type.maxBytes)
      throw new AppError("too_large", `file: ${type.kind} files may be at most ${type.maxBytes / 1024 / 1024} MB`);
    if (size === 0)
      throw new AppError("invalid", "file: is empty", { fields: [{ path: "file", message: "is empty" }] });
    await ctx.files.commit(temp.path, temp.key);
    const name = upload.filename.replace(/[\\/\u0000-\u001f]/g, "_").slice(0, 200) || "file";
    const [row] = await db
      .insert(attachments)
      .values({
        ...(owner.id ? { id: owner.id } : {}),
        articleId: owner.articleId,
        spaceId: owner.spaceId,
        uploaderId: owner.uploaderId,
        name,
        mime: type.mime,
        kind: type.kind,
        size,
        sha256: hash.digest("hex"),
        storageKey: temp.key,
        createdAt: ctx.now(),
      })
      .returning();
    return presentAttachment(row);
  } finally {
    await rm(temp.path, { force: true });
  }
}

/** Loads an attachment the actor may read (the article's read rule decides). */
export async function openAttachment(ctx: AppContext, actor: Actor, id: string) {
  const [row] = await ctx.db.select().from(attachments).where(eq(attachments.id, id));
  if (!row) throw notFound("Attachment not found");
  // Unreadable answers exactly like missing, so a private attachment's id reveals nothing.
  const readable = row.articleId
    ? can(actor, "read", (await loadArticle(ctx.db, actor, row.articleId)).subject)
    : can(actor, "read", await loadSpaceSubject(ctx.db, actor, row.spaceId));
  if (!readable) throw notFound("Attachment not found");
  return row;
}
