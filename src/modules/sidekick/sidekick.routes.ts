import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { deflectionSummary, recordDeflection, sidekick } from "./sidekick.service";

/** The sidekick (problem in, knowledge + people + a ready question out) and deflection counting. */
export const sidekickRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/sidekick",
      { schema: { body: z.object({ text: z.string().trim().min(3, "describe the problem in a few words").max(20_000, "must be at most 20,000 characters") }) } },
      async (req) => sidekick(ctx, requireActor(req.actor), req.body.text),
    );
    app.post(
      "/deflections",
      {
        schema: {
          body: z.object({
            query: z.string().trim().min(1, "is required").max(20_000),
            targetType: z.enum(["article", "question"], "must be article or question"),
            targetId: z.string().uuid("must be an article or question id"),
            source: z.enum(["ask", "sidekick"], "must be ask or sidekick"),
          }),
        },
      },
      async (req, reply) => reply.status(201).send(await recordDeflection(ctx, requireActor(req.actor), req.body)),
    );
    app.get(
      "/deflections/summary",
      { schema: { querystring: z.object({ days: z.coerce.number().int().min(1).max(365).default(30) }) } },
      async (req) => deflectionSummary(ctx, requireActor(req.actor), req.query.days),
    );
  };
