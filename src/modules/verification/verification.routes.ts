import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import * as v from "./verification.service";
import { on } from "../../platform/route";
import { verificationEndpoints } from "./verification.schema";

/** Verification, challenges, reading records and "what changed" notices. */
export const verificationRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, verificationEndpoints.getVerificationById, async (req) => {
      const actor = requireActor(req.actor);
      return v.presentVerification(ctx, actor, await v.loadKnowledge(ctx, actor, req.params.type, req.params.id));
    });
    on(app, verificationEndpoints.postVerificationVerify, async (req) =>
      v.verify(ctx, requireActor(req.actor), req.params.type, req.params.id, req.body.note),
    );
    on(app, verificationEndpoints.putVerificationById, async (req) =>
      v.configure(ctx, requireActor(req.actor), req.params.type, req.params.id, req.body),
    );
    on(app, verificationEndpoints.getVerificationReport, async (req) =>
      v.report(ctx, requireActor(req.actor), req.query),
    );
    on(app, verificationEndpoints.postVerificationBulk, async (req) => v.bulk(ctx, requireActor(req.actor), req.body));
    on(app, verificationEndpoints.getSpacesVerification, async (req) =>
      v.spaceShare(ctx, requireActor(req.actor), req.params.id),
    );
    on(app, verificationEndpoints.getMeReview, async (req) => v.myReview(ctx, requireActor(req.actor)));

    on(app, verificationEndpoints.getChallenges, async (req) => ({
      items: await v.listChallenges(ctx, requireActor(req.actor), req.query.subjectType, req.query.subjectId),
    }));
    on(app, verificationEndpoints.postChallenges, async (req, reply) =>
      reply.status(201).send(await v.openChallenge(ctx, requireActor(req.actor), req.body)),
    );
    on(app, verificationEndpoints.postChallengesResolve, async (req) =>
      v.resolveChallenge(ctx, requireActor(req.actor), req.params.id, req.body),
    );

    on(app, verificationEndpoints.getMeReads, async (req) => v.myReads(ctx, requireActor(req.actor)));
    on(app, verificationEndpoints.deleteMeReads, async (req) => v.clearReads(ctx, requireActor(req.actor)));
    on(app, verificationEndpoints.deleteMeReadsByArticleId, async (req) =>
      v.clearReads(ctx, requireActor(req.actor), req.params.articleId),
    );
    on(app, verificationEndpoints.getMeNotices, async (req) => v.myNotices(ctx, requireActor(req.actor)));
    on(app, verificationEndpoints.postMeNoticesClear, async (req) =>
      v.clearNotice(ctx, requireActor(req.actor), req.params.id),
    );
  };
