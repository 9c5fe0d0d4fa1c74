import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { AppError } from "../../platform/errors";
import { openAttachment, saveUpload } from "./attachments.service";
import { on } from "../../platform/route";
import { attachmentsEndpoints } from "./articles.schema";

/** Uploading and serving attachments (images, short videos, files). */
export const attachmentsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, attachmentsEndpoints.postAttachments, async (req) => {
      const actor = requireActor(req.actor);
      if (!req.isMultipart())
        throw new AppError("unsupported_type", "Send the file as multipart/form-data in a field named file");
      const part = await req.file();
      if (!part || part.fieldname !== "file")
        throw new AppError("invalid", "file: is required", { fields: [{ path: "file", message: "is required" }] });
      return saveUpload(ctx, actor, req.query, { filename: part.filename, stream: part.file });
    });

    // The file itself (200, or 206 for a byte range): a stream, so no JSON schema; documented as binary.
    on(app, attachmentsEndpoints.getAttachmentsById, async (req, reply) => {
      const row = await openAttachment(ctx, requireActor(req.actor), req.params.id);
      const inline = row.kind !== "file" || row.mime === "application/pdf";
      reply.header("content-type", row.mime);
      reply.header("accept-ranges", "bytes");
      reply.header("cache-control", "private, max-age=3600");
      reply.header(
        "content-disposition",
        `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(row.name)}`,
      );
      const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? "");
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
    });
  };
