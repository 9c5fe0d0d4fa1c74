import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../context";
import { can } from "../../authz/policy";
import { HealthOut } from "./health.schema";

const started = Date.now();

/** Liveness and the database in use (public: it must say nothing about content). */
export const healthRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get("/health", { schema: { response: { 200: HealthOut } } }, async (req) => {
      await ctx.db.execute(sql`select 1`);
      return {
        status: "ok" as const,
        database: ctx.database.kind,
        version: process.env.npm_package_version ?? "0.1.0",
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
        // The index counts private documents too: only administrators see its size.
        ...(can(req.actor, "administer", { kind: "instance" }) ? { searchIndexSize: ctx.search.size() } : {}),
      };
    });
  };
