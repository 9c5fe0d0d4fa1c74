import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import * as svc from "./lessons.service";
import { on } from "../../platform/route";
import { lessonsEndpoints } from "./lessons.schema";

/** Lessons learned: blameless mistake reports and project retrospectives whose items become lessons. */
export const lessonsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, lessonsEndpoints.getLessons, async (req) => svc.listLessons(ctx, requireActor(req.actor), req.query));
    on(app, lessonsEndpoints.postLessons, async (req, reply) => {
      const actor = requireActor(req.actor);
      const row = await svc.createLesson(ctx, actor, req.body);
      return reply.status(201).send(await svc.getLesson(ctx, actor, row.id));
    });
    on(app, lessonsEndpoints.getLessonsById, async (req) => svc.getLesson(ctx, requireActor(req.actor), req.params.id));
    on(app, lessonsEndpoints.putLessonsById, async (req) =>
      svc.updateLesson(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    on(app, lessonsEndpoints.deleteLessonsById, async (req) =>
      svc.deleteLesson(ctx, requireActor(req.actor), req.params.id),
    );

    on(app, lessonsEndpoints.getRetrospectives, async (req) => svc.listRetrospectives(ctx, requireActor(req.actor)));
    on(app, lessonsEndpoints.postRetrospectives, async (req, reply) =>
      reply.status(201).send(await svc.createRetrospective(ctx, requireActor(req.actor), req.body)),
    );
    on(app, lessonsEndpoints.getRetrospectivesById, async (req) =>
      svc.getRetrospective(ctx, requireActor(req.actor), req.params.id),
    );
    on(app, lessonsEndpoints.putRetrospectivesById, async (req) =>
      svc.updateRetrospective(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    on(app, lessonsEndpoints.postRetrospectivesItemsLesson, async (req, reply) =>
      reply
        .status(201)
        .send(await svc.itemToLesson(ctx, requireActor(req.actor), req.params.id, req.params.itemId, req.body)),
    );
  };
