import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { listAudit } from "./audit.service";

/** The audit trail of access-deciding changes, for admins. */
export const auditRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/audit",
      { schema: { querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional() }) } },
      async (req) => listAudit(ctx, requireActor(req.actor), req.query),
    );
  };
