import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { deflectionSummary, recordDeflection, sidekick } from "./sidekick.service";
import { on } from "../../platform/route";
import { sidekickEndpoints } from "./sidekick.schema";

/** The sidekick (problem in, knowledge + people + a ready question out) and deflection counting. */
export const sidekickRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, sidekickEndpoints.postSidekick, async (req) => sidekick(ctx, requireActor(req.actor), req.body.text));
    on(app, sidekickEndpoints.postDeflections, async (req, reply) =>
      reply.status(201).send(await recordDeflection(ctx, requireActor(req.actor), req.body)),
    );
    on(app, sidekickEndpoints.getDeflectionsSummary, async (req) =>
      deflectionSummary(ctx, requireActor(req.actor), req.query.days),
    );
  };
