import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import * as v from "./verification.service";

const Subject = z.object({ type: z.enum(["article", "answer"], "must be article or answer"), id: z.string().uuid() });
const Interval = z.number().int("must be whole days").min(7, "must be at least 7 days").max(1095, "must be at most 3 years");

/** Verification, challenges, reading records and "what changed" notices. */
export const verificationRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get("/verification/:type/:id", { schema: { params: Subject } }, async (req) => {
      const actor = requireActor(req.actor);
      return v.presentVerification(ctx, actor, await v.loadKnowledge(ctx, actor, req.params.type, req.params.id));
    });
    app.post("/verification/:type/:id/verify", { schema: { params: Subject, body: z.object({ note: z.string().trim().max(500, "must be at most 500 characters").default("") }) } }, async (req) =>
      v.verify(ctx, requireActor(req.actor), req.params.type, req.params.id, req.body.note),
    );
    app.put(
      "/verification/:type/:id",
      { schema: { params: Subject, body: z.object({ ownerId: z.string().uuid("must be a person id").nullable().optional(), ownerDepartment: z.string().trim().max(120).nullable().optional(), intervalDays: Interval.optional() }) } },
      async (req) => v.configure(ctx, requireActor(req.actor), req.params.type, req.params.id, req.body),
    );
    app.get(
      "/verification/report",
      { schema: { querystring: z.object({ state: z.enum(["due", "expired", "attention", "all"]).default("attention"), spaceId: z.string().uuid().optional(), ownerId: z.string().uuid().optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }) } },
      async (req) => v.report(ctx, requireActor(req.actor), req.query),
    );
    app.post(
      "/verification/bulk",
      {
        schema: {
          body: z.object({
            items: z.array(z.object({ type: z.enum(["article", "answer"]), id: z.string().uuid() })).min(1, "select at least one item").max(500, "at most 500 at once"),
            action: z.enum(["verify", "assign", "interval"], "must be verify, assign or interval"),
            ownerId: z.string().uuid("must be a person id").nullable().optional(),
            ownerDepartment: z.string().trim().max(120).nullable().optional(),
            intervalDays: Interval.optional(),
            note: z.string().trim().max(500).optional(),
          }),
        },
      },
      async (req) => v.bulk(ctx, requireActor(req.actor), req.body),
    );
    app.get("/spaces/:id/verification", { schema: { params: z.object({ id: z.string().uuid() }) } }, async (req) => v.spaceShare(ctx, requireActor(req.actor), req.params.id));
    app.get("/me/review", async (req) => v.myReview(ctx, requireActor(req.actor)));

    app.get("/challenges", { schema: { querystring: z.object({ subjectType: z.enum(["article", "answer"]), subjectId: z.string().uuid() }) } }, async (req) => ({
      items: await v.listChallenges(ctx, requireActor(req.actor), req.query.subjectType, req.query.subjectId),
    }));
    app.post(
      "/challenges",
      {
        schema: {
          body: z.object({
            subjectType: z.enum(["article", "answer"], "must be article or answer"),
            subjectId: z.string().uuid("must be an article or answer id"),
            claim: z.string().trim().min(10, "say what is wrong or outdated (at least 10 characters)").max(2000, "must be at most 2,000 characters"),
            evidence: z.string().trim().max(5000, "must be at most 5,000 characters").default(""),
          }),
        },
      },
      async (req, reply) => reply.status(201).send(await v.openChallenge(ctx, requireActor(req.actor), req.body)),
    );
    app.post(
      "/challenges/:id/resolve",
      {
        schema: {
          params: z.object({ id: z.string().uuid() }),
          body: z.object({
            outcome: z.enum(["revised", "superseded", "dismissed"], "must be revised, superseded or dismissed"),
            response: z.string().trim().max(2000, "must be at most 2,000 characters").default(""),
            supersededById: z.string().uuid("must be an article id").optional(),
          }),
        },
      },
      async (req) => v.resolveChallenge(ctx, requireActor(req.actor), req.params.id, req.body),
    );

    app.get("/me/reads", async (req) => v.myReads(ctx, requireActor(req.actor)));
    app.delete("/me/reads", async (req) => v.clearReads(ctx, requireActor(req.actor)));
    app.delete("/me/reads/:articleId", { schema: { params: z.object({ articleId: z.string().uuid() }) } }, async (req) => v.clearReads(ctx, requireActor(req.actor), req.params.articleId));
    app.get("/me/notices", async (req) => v.myNotices(ctx, requireActor(req.actor)));
    app.post("/me/notices/:id/clear", { schema: { params: z.object({ id: z.string().uuid() }) } }, async (req) => v.clearNotice(ctx, requireActor(req.actor), req.params.id));
  };
