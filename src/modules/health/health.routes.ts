import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { HealthOut } from "./health.schema";
import { health } from "./health.service";

/** Liveness and the database in use (public: it must say nothing about content). */
export const healthRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get("/health", { schema: { response: { 200: HealthOut } } }, async (req) => health(ctx, req.actor));
  };
