import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { deflectionSummary, recordDeflection, sidekick } from "./sidekick.service";
import {
  DeflectionIn,
  DeflectionOut,
  DeflectionSummaryOut,
  DeflectionSummaryQuery,
  SidekickIn,
  SidekickOut,
} from "./sidekick.schema";

/** The sidekick (problem in, knowledge + people + a ready question out) and deflection counting. */
export const sidekickRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post("/sidekick", { schema: { body: SidekickIn, response: { 200: SidekickOut } } }, async (req) =>
      sidekick(ctx, requireActor(req.actor), req.body.text),
    );
    app.post("/deflections", { schema: { body: DeflectionIn, response: { 201: DeflectionOut } } }, async (req, reply) =>
      reply.status(201).send(await recordDeflection(ctx, requireActor(req.actor), req.body)),
    );
    app.get(
      "/deflections/summary",
      { schema: { querystring: DeflectionSummaryQuery, response: { 200: DeflectionSummaryOut } } },
      async (req) => deflectionSummary(ctx, requireActor(req.actor), req.query.days),
    );
  };
