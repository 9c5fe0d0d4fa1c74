import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { listDatasets, networkCsv, networkView } from "./network.service";
import { DatasetsOut, NetworkCsvOut, NetworkOut, NetworkQuery } from "./network.schema";

/** The who-helps-whom network: datasets, the map's data, CSV export. */
export const networkRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get("/network/datasets", { schema: { response: { 200: DatasetsOut } } }, async (req) => ({
      items: await listDatasets(ctx, requireActor(req.actor)),
    }));
    app.get("/network", { schema: { querystring: NetworkQuery, response: { 200: NetworkOut } } }, async (req) =>
      networkView(ctx, requireActor(req.actor), req.query),
    );
    app.get(
      "/network/export.csv",
      { schema: { querystring: NetworkQuery, response: { 200: NetworkCsvOut } } },
      async (req, reply) => {
        const view = await networkView(ctx, requireActor(req.actor), req.query);
        return reply
          .header("content-type", "text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="network-${view.level}.csv"`)
          .send(networkCsv(view));
      },
    );
  };
