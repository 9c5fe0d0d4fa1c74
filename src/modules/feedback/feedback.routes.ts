import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { on } from "../../platform/route";
import { feedbackEndpoints as e } from "./feedback.schema";
import * as svc from "./feedback.service";

/**
 * Feedback requests: ask, answer (anonymously or by name), read the released answers, thank, close,
 * share a summary as a post or turn it into a lesson. No route logs a body (app.ts logs method, URL,
 * status and time only) and none writes the audit log, so an anonymous answer leaves no author behind.
 */
export const feedbackRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, e.getFeedback, async (req) => svc.listFeedback(ctx, requireActor(req.actor)));
    on(app, e.postFeedback, async (req, reply) => {
      const out = await svc.createFeedback(ctx, requireActor(req.actor), req.body);
      return reply.status(201).send(out);
    });
    on(app, e.getFeedbackById, async (req) => svc.getFeedback(ctx, requireActor(req.actor), req.params.id));
    on(app, e.postFeedbackAnswers, async (req) =>
      svc.answerFeedback(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    on(app, e.postFeedbackThanks, async (req) =>
      svc.thank(ctx, requireActor(req.actor), req.params.id, req.body.message),
    );
    on(app, e.postFeedbackClose, async (req) => svc.close(ctx, requireActor(req.actor), req.params.id));
    on(app, e.postFeedbackPost, async (req) => svc.share(ctx, requireActor(req.actor), req.params.id, req.body));
    on(app, e.postFeedbackLesson, async (req) => svc.toLesson(ctx, requireActor(req.actor), req.params.id, req.body));
  };
