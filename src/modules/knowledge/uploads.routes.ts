import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requireActor } from "../../authz/policy";
import { on } from "../../platform/route";
import { uploadsEndpoints } from "./articles.schema";
import type { ResumableUploads } from "./uploads.service";

/** The tus routes: POST creates, HEAD asks how much arrived, PATCH sends a piece, DELETE gives up. */
export function uploadsRoutes(resumable: ResumableUploads): FastifyPluginAsyncZod {
  return async (app) => {
    // The body of a piece is tus's to read: no parsing, no size limit of Fastify's own.
    app.addContentTypeParser("application/offset+octet-stream", (_req, _payload, done) => done(null));
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const actor = requireActor(req.actor);
      reply.hijack();
      await resumable.handle(actor, req.raw, reply.raw);
    };
    // Many pieces for one clip: a roomier write limit than forms get.
    const options = { config: { rateLimit: { max: 600, timeWindow: 60_000 } } };
    on(app, uploadsEndpoints.postUploads, handler, options);
    on(app, uploadsEndpoints.patchUploadsById, handler, options);
    on(app, uploadsEndpoints.deleteUploadsById, handler, options);
    app.route({ method: "HEAD", url: "/uploads/:id", ...options, handler });
  };
}
