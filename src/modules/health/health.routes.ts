import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { health } from "./health.service";
import { on } from "../../platform/route";
import { healthEndpoints } from "./health.schema";

/** Liveness and the database in use (public: it must say nothing about content). */
export const healthRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, healthEndpoints.getHealth, async (req) => health(ctx, req.actor));
  };
