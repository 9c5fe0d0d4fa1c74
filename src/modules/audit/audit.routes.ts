import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { listAudit } from "./audit.service";
import { AuditOut, AuditQuery } from "./audit.schema";

/** The audit trail of access-deciding changes, for admins. */
export const auditRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get("/audit", { schema: { querystring: AuditQuery, response: { 200: AuditOut } } }, async (req) =>
      listAudit(ctx, requireActor(req.actor), req.query),
    );
  };
