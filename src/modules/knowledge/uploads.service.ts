import { createReadStream } from "node:fs";
import path from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Server, type Upload as TusUpload } from "@tus/server";
import { FileStore as TusFileStore } from "@tus/file-store";
import type { AppContext } from "../../context";
import type { Actor } from "../../authz/policy";
import { AppError, statusOf } from "../../platform/errors";
import { uploadLimitBytes } from "../settings/settings.service";
import { authorizeUploadTarget, storeFile } from "./attachments.service";

/** The resumable upload endpoint (the tus 1.0 protocol): below /api. */
export const RESUMABLE_PATH = "/api/uploads";
/** How long an unfinished resumable upload may wait for its next piece before it is deleted. */
export const RESUMABLE_TTL_MS = 24 * 3_600_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Hooked = { actor: Actor };
/** Who is uploading, per raw request: set after Fastify resolved the session, read in tus's hooks. */
const requests = new WeakMap<IncomingMessage, Hooked>();

function actorOf(req: Request): Actor {
  const node = (req as unknown as { node?: { req: IncomingMessage } }).node?.req;
  const hooked = node && requests.get(node);
  if (!hooked) throw { status_code: 401, body: "Sign in to upload\n" };
  return hooked.actor;
}

/** A tus hook's refusal: the status and the reason in words (tus clients show the body). */
function refusal(err: unknown): { status_code: number; body: string } {
  if (err instanceof AppError) return { status_code: statusOf[err.code], body: `${err.message}\n` };
  throw err;
}

/**
 * Resumable uploads (tus 1.0: creation, termination, expiration) for clips and photos captured on a
 * phone on a flaky connection: the client sends pieces, asks how much arrived (HEAD) after a break
 * and goes on from there. The first request names the target (an article the person may edit, or a
 * space for a new article) and the upload is the uploader's alone; the admin's size limit is checked
 * against the announced length before a byte is stored. The finished file goes through the same type
 * and size checks as any attachment, becomes one, and the partial file is removed; the answer to the
 * last piece carries the attachment (JSON, and its id in `Knowhow-Attachment-Id`).
 *
 * Several instances share DATA_DIR/files; tus's lock is per process, which is enough because one
 * upload's pieces are sent one after another by one client.
 */
export function createResumableUploads(ctx: AppContext) {
  const datastore = new TusFileStore({
    directory: path.join(ctx.files.root, "resumable"),
    expirationPeriodInMilliseconds: RESUMABLE_TTL_MS,
  });
  const tus = new Server({
    path: RESUMABLE_PATH,
    datastore,
    relativeLocation: true,
    // Same origin only: no cross-origin access header at all.
    allowedOrigins: [],
    exposedHeaders: ["Knowhow-Attachment-Id"],
    maxSize: async () => uploadLimitBytes(ctx.db),
    // tus's own words for a too-large upload, said the way every other upload says it.
    async onResponseError(_req, err) {
      const status = (err as { status_code?: number }).status_code;
      if (status !== 413 || (err as { body?: string }).body?.startsWith("file:")) return;
      const mb = Math.round(((await uploadLimitBytes(ctx.db)) / 1024 / 1024) * 10) / 10;
      return { status_code: 413, body: `file: larger than the ${mb} MB upload limit\n` };
    },
    async onIncomingRequest(req, id) {
      const actor = actorOf(req);
      if (req.method === "POST" || req.method === "OPTIONS") return;
      // Someone else's upload answers like a missing one.
      const upload = await datastore.getUpload(id).catch(() => null);
      if (!upload || upload.metadata?.uploader !== actor.id) throw { status_code: 404, body: "Upload not found\n" };
    },
    async onUploadCreate(req, upload) {
      const actor = actorOf(req);
      const meta = upload.metadata ?? {};
      const target = meta.articleId ? { articleId: meta.articleId } : meta.spaceId ? { spaceId: meta.spaceId } : null;
      if (!target) throw { status_code: 400, body: "Upload-Metadata: name the articleId or spaceId it is for\n" };
      if (!meta.filename) throw { status_code: 400, body: "Upload-Metadata: filename is required\n" };
      if (!UUID.test(target.articleId ?? target.spaceId ?? ""))
        throw { status_code: 400, body: "Upload-Metadata: articleId or spaceId must be an id\n" };
      const owner = await authorizeUploadTarget(ctx, actor, target).catch((e: unknown) => {
        throw refusal(e);
      });
      // What the client said about the uploader is replaced by who signed in.
      return { metadata: { ...meta, uploader: actor.id, articleId: owner.articleId ?? "", spaceId: owner.spaceId } };
    },
    async onUploadFinish(req, upload: TusUpload) {
      const actor = actorOf(req);
      const meta = upload.metadata ?? {};
      try {
        const attachment = await storeFile(
          ctx,
          { articleId: meta.articleId || null, spaceId: meta.spaceId!, uploaderId: actor.id },
          { filename: meta.filename ?? "upload", stream: createReadStream(path.join(datastore.directory, upload.id)) },
          ctx.db,
          await uploadLimitBytes(ctx.db),
        );
        return {
          status_code: 200,
          headers: { "Knowhow-Attachment-Id": attachment.id, "Content-Type": "application/json" },
          body: JSON.stringify(attachment),
        };
      } catch (e) {
        throw refusal(e);
      } finally {
        await datastore.remove(upload.id).catch(() => undefined);
      }
    },
  });
  return {
    /** Answers one tus request (after the session was resolved). */
    async handle(actor: Actor, req: IncomingMessage, res: ServerResponse) {
      requests.set(req, { actor });
      await tus.handle(req, res);
    },
    /** Removes unfinished uploads older than the time allowed (the server's hourly housekeeping). */
    purge: () => tus.cleanUpExpiredUploads(),
  };
}
export type ResumableUploads = ReturnType<typeof createResumableUploads>;

declare module "fastify" {
  interface FastifyInstance {
    resumableUploads: ResumableUploads;
  }
}
