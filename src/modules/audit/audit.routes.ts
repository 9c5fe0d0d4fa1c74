import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { listAudit } from "./audit.service";
import { on } from "../../platform/route";
import { auditEndpoints } from "./audit.schema";

/** The audit trail of access-deciding changes, for admins. */
export const auditRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, auditEndpoints.getAudit, async (req) => listAudit(ctx, requireActor(req.actor), req.query));
  };
