import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { AppError } from "../../platform/errors";
import { currentUploadLimit, openAttachment, saveUpload } from "./attachments.service";
import { on } from "../../platform/route";
import { attachmentsEndpoints } from "./articles.schema";

/** Uploading and serving attachments (images, short videos, files). */
export const attachmentsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, attachmentsEndpoints.postAttachments, async (req) => {
      const actor = requireActor(req.actor);
      return saveUpload(ctx, actor, req.query, await uploadedFile(req, ctx));
    });

    // The file itself (200, or 206 for a byte range): a stream, so no JSON schema; documented as binary.
    on(app, attachmentsEndpoints.getAttachmentsById, async (req, reply) => {
      const row = await openAttachment(ctx, requireActor(req.actor), req.params.id);
      return replyWithFile(ctx, reply, req.headers.range, {
        ...row,
        inline: row.kind !== "file" || row.mime === "application/pdf",
      });
    });
  };

/**
 * Sends a stored file (200, or 206 for a byte range; 416 outside it) with its type and name: the
 * one way uploaded files are served (article attachments, session files). Authorize first.
 */
export function replyWithFile(
  ctx: AppContext,
  reply: FastifyReply,
  rangeHeader: string | undefined,
  row: { mime: string; name: string; size: number; storageKey: string; inline: boolean },
) {
  reply.header("content-type", row.mime);
  reply.header("accept-ranges", "bytes");
  reply.header("cache-control", "private, max-age=3600");
  reply.header(
    "content-disposition",
    `${row.inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(row.name)}`,
  );
  const range = /^bytes=(\d*)-(\d*)$/.exec(rangeHeader ?? "");
  if (range && (range[1] || range[2])) {
    const start = range[1] ? Number(range[1]) : Math.max(0, row.size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(Number(range[2]), row.size - 1) : row.size - 1;
    if (start > end || start >= row.size) {
      reply.header("content-range", `bytes */${row.size}`);
      return reply.status(416).send();
    }
    reply
      .status(206)
      .header("content-range", `bytes ${start}-${end}/${row.size}`)
      .header("content-length", end - start + 1);
    return reply.send(ctx.files.read(row.storageKey, { start, end }));
  }
  reply.header("content-length", row.size);
  return reply.send(ctx.files.read(row.storageKey));
}

/** The file of a multipart upload (field `file`); 415 for another body, 400 without the field. */
export async function uploadedFile(req: FastifyRequest, ctx: AppContext) {
  if (!req.isMultipart())
    throw new AppError("unsupported_type", "Send the file as multipart/form-data in a field named file");
  // Stops reading one byte past the admin's limit (the check after it names the limit).
  const part = await req.file({ limits: { fileSize: (await currentUploadLimit(ctx)) + 1 } });
  if (!part || part.fieldname !== "file")
    throw new AppError("invalid", "file: is required", { fields: [{ path: "file", message: "is required" }] });
  return { filename: part.filename, stream: part.file };
}
