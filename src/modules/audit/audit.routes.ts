import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { exportAudit, listAudit } from "./audit.service";
import { on } from "../../platform/route";
import { auditEndpoints } from "./audit.schema";

/** The audit trail of access-deciding changes, for admins. */
export const auditRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, auditEndpoints.getAudit, async (req) => listAudit(ctx, requireActor(req.actor), req.query));
    on(app, auditEndpoints.getAuditExport, async (req, reply) => {
      const csv = await exportAudit(ctx, requireActor(req.actor), req.query);
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="knowhow-audit-${day}.csv"`)
        .send(csv);
    });
  };
