import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { on } from "../../platform/route";
import { mentoringEndpoints as e } from "./mentoring.schema";
import * as svc from "./mentoring.service";

/** Mentor programmes: opt in, optimal matching with reviews, self-service requests, and the pair's mentorship. */
export const mentoringRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, e.getProgrammes, async (req) => svc.listProgrammes(ctx, requireActor(req.actor)));
    on(app, e.postProgrammes, async (req, reply) =>
      reply.status(201).send(await svc.createProgramme(ctx, requireActor(req.actor), req.body)),
    );
    on(app, e.getProgramme, async (req) => svc.getProgramme(ctx, requireActor(req.actor), req.params.id));
    on(app, e.putParticipation, async (req) => svc.participate(ctx, requireActor(req.actor), req.params.id, req.body));
    on(app, e.deleteParticipation, async (req) =>
      svc.leave(ctx, requireActor(req.actor), req.params.id, req.query.role),
    );
    on(app, e.postMatch, async (req) => svc.match(ctx, requireActor(req.actor), req.params.id));
    on(app, e.putRule, async (req) => svc.setRule(ctx, requireActor(req.actor), req.params.id, req.body));
    on(app, e.postRequest, async (req, reply) =>
      reply.status(201).send(await svc.requestMentor(ctx, requireActor(req.actor), req.params.id, req.body.mentorId)),
    );
    on(app, e.getMentorship, async (req) => svc.getMentorship(ctx, requireActor(req.actor), req.params.id));
    on(app, e.patchMentorship, async (req) =>
      svc.updateMentorship(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    on(app, e.postAccept, async (req) => svc.accept(ctx, requireActor(req.actor), req.params.id));
    on(app, e.postDecline, async (req) => svc.decline(ctx, requireActor(req.actor), req.params.id));
    on(app, e.postMeeting, async (req, reply) =>
      reply.status(201).send(await svc.logMeeting(ctx, requireActor(req.actor), req.params.id, req.body)),
    );
    on(app, e.postReflection, async (req, reply) =>
      reply.status(201).send(await svc.shareReflection(ctx, requireActor(req.actor), req.params.id, req.body.entryId)),
    );
    on(app, e.deleteReflection, async (req) =>
      svc.unshareReflection(ctx, requireActor(req.actor), req.params.id, req.params.entryId),
    );
    on(app, e.postClose, async (req) => svc.close(ctx, requireActor(req.actor), req.params.id, req.body));
  };
