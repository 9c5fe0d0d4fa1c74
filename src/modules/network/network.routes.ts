import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { listDatasets, networkCsv, networkView } from "./network.service";

const Query = z.object({
  source: z.union([z.literal("app"), z.string().uuid("must be app or a network id")]).default("app"),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  topic: z.string().max(60).optional(),
  level: z.enum(["person", "department"]).default("department"),
});

/** The who-helps-whom network: datasets, the map's data, CSV export. */
export const networkRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get("/network/datasets", async (req) => ({ items: await listDatasets(ctx, requireActor(req.actor)) }));
    app.get("/network", { schema: { querystring: Query } }, async (req) => networkView(ctx, requireActor(req.actor), req.query));
    app.get("/network/export.csv", { schema: { querystring: Query } }, async (req, reply) => {
      const view = await networkView(ctx, requireActor(req.actor), req.query);
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="network-${view.level}.csv"`)
        .send(networkCsv(view));
    });
  };
