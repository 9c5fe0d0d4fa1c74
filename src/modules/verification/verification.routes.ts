import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import * as v from "./verification.service";
import {
  BulkIn,
  BulkOut,
  ChallengeIn,
  ChallengeListOut,
  ChallengeOut,
  ChallengesQuery,
  ConfigureIn,
  MyReviewOut,
  NoticesOut,
  ReadsOut,
  ReportOut,
  ReportQuery,
  ResolveIn,
  SpaceShareOut,
  SubjectParams,
  VerificationOut,
  VerifyIn,
} from "./verification.schema";

const Id = z.object({ id: z.string().uuid() });

/** Verification, challenges, reading records and "what changed" notices. */
export const verificationRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/verification/:type/:id",
      { schema: { params: SubjectParams, response: { 200: VerificationOut } } },
      async (req) => {
        const actor = requireActor(req.actor);
        return v.presentVerification(ctx, actor, await v.loadKnowledge(ctx, actor, req.params.type, req.params.id));
      },
    );
    app.post(
      "/verification/:type/:id/verify",
      { schema: { params: SubjectParams, body: VerifyIn, response: { 200: VerificationOut } } },
      async (req) => v.verify(ctx, requireActor(req.actor), req.params.type, req.params.id, req.body.note),
    );
    app.put(
      "/verification/:type/:id",
      { schema: { params: SubjectParams, body: ConfigureIn, response: { 200: VerificationOut } } },
      async (req) => v.configure(ctx, requireActor(req.actor), req.params.type, req.params.id, req.body),
    );
    app.get(
      "/verification/report",
      { schema: { querystring: ReportQuery, response: { 200: ReportOut } } },
      async (req) => v.report(ctx, requireActor(req.actor), req.query),
    );
    app.post("/verification/bulk", { schema: { body: BulkIn, response: { 200: BulkOut } } }, async (req) =>
      v.bulk(ctx, requireActor(req.actor), req.body),
    );
    app.get("/spaces/:id/verification", { schema: { params: Id, response: { 200: SpaceShareOut } } }, async (req) =>
      v.spaceShare(ctx, requireActor(req.actor), req.params.id),
    );
    app.get("/me/review", { schema: { response: { 200: MyReviewOut } } }, async (req) =>
      v.myReview(ctx, requireActor(req.actor)),
    );

    app.get(
      "/challenges",
      { schema: { querystring: ChallengesQuery, response: { 200: ChallengeListOut } } },
      async (req) => ({
        items: await v.listChallenges(ctx, requireActor(req.actor), req.query.subjectType, req.query.subjectId),
      }),
    );
    app.post("/challenges", { schema: { body: ChallengeIn, response: { 201: ChallengeOut } } }, async (req, reply) =>
      reply.status(201).send(await v.openChallenge(ctx, requireActor(req.actor), req.body)),
    );
    app.post(
      "/challenges/:id/resolve",
      { schema: { params: Id, body: ResolveIn, response: { 200: ChallengeOut } } },
      async (req) => v.resolveChallenge(ctx, requireActor(req.actor), req.params.id, req.body),
    );

    app.get("/me/reads", { schema: { response: { 200: ReadsOut } } }, async (req) =>
      v.myReads(ctx, requireActor(req.actor)),
    );
    app.delete("/me/reads", { schema: { response: { 200: ReadsOut } } }, async (req) =>
      v.clearReads(ctx, requireActor(req.actor)),
    );
    app.delete(
      "/me/reads/:articleId",
      { schema: { params: z.object({ articleId: z.string().uuid() }), response: { 200: ReadsOut } } },
      async (req) => v.clearReads(ctx, requireActor(req.actor), req.params.articleId),
    );
    app.get("/me/notices", { schema: { response: { 200: NoticesOut } } }, async (req) =>
      v.myNotices(ctx, requireActor(req.actor)),
    );
    app.post("/me/notices/:id/clear", { schema: { params: Id, response: { 200: NoticesOut } } }, async (req) =>
      v.clearNotice(ctx, requireActor(req.actor), req.params.id),
    );
  };
