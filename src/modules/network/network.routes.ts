import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { listDatasets, networkCsv, networkView } from "./network.service";
import { on } from "../../platform/route";
import { networkEndpoints } from "./network.schema";

/** The who-helps-whom network: datasets, the map's data, CSV export. */
export const networkRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, networkEndpoints.getNetworkDatasets, async (req) => ({
      items: await listDatasets(ctx, requireActor(req.actor)),
    }));
    on(app, networkEndpoints.getNetwork, async (req) => networkView(ctx, requireActor(req.actor), req.query));
    on(app, networkEndpoints.getNetworkExportCsv, async (req, reply) => {
      const view = await networkView(ctx, requireActor(req.actor), req.query);
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="network-${view.level}.csv"`)
        .send(networkCsv(view));
    });
  };
