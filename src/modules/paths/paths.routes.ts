import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { on } from "../../platform/route";
import { pathsEndpoints as e } from "./paths.schema";
import * as svc from "./paths.service";

/** Learning paths: authoring from existing knowledge, enrolment and assignment, progress with checks, analytics. */
export const pathsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, e.getPaths, async (req) => svc.listPaths(ctx, requireActor(req.actor)));
    on(app, e.postPaths, async (req, reply) =>
      reply.status(201).send(await svc.createPath(ctx, requireActor(req.actor), req.body)),
    );
    on(app, e.postFromSpace, async (req, reply) =>
      reply.status(201).send(await svc.pathFromSpace(ctx, requireActor(req.actor), req.body.spaceId)),
    );
    on(app, e.getCandidates, async (req) => svc.stepCandidates(ctx, requireActor(req.actor), req.query.q));
    on(app, e.getDue, async (req) => svc.due(ctx, requireActor(req.actor)));
    on(app, e.getPath, async (req) => svc.getPath(ctx, requireActor(req.actor), req.params.id));
    on(app, e.patchPath, async (req) => svc.updatePath(ctx, requireActor(req.actor), req.params.id, req.body));
    on(app, e.postStep, async (req, reply) =>
      reply.status(201).send(await svc.addStep(ctx, requireActor(req.actor), req.params.id, req.body)),
    );
    on(app, e.putStepOrder, async (req) => svc.reorderSteps(ctx, requireActor(req.actor), req.params.id, req.body));
    on(app, e.patchStep, async (req) =>
      svc.updateStep(ctx, requireActor(req.actor), req.params.id, req.params.stepId, req.body),
    );
    on(app, e.deleteStep, async (req) =>
      svc.deleteStep(ctx, requireActor(req.actor), req.params.id, req.params.stepId, req.query.version),
    );
    on(app, e.postEnrol, async (req) => svc.enrol(ctx, requireActor(req.actor), req.params.id));
    on(app, e.deleteEnrol, async (req) => svc.leave(ctx, requireActor(req.actor), req.params.id));
    on(app, e.postAssign, async (req) => svc.assign(ctx, requireActor(req.actor), req.params.id, req.body));
    on(app, e.postComplete, async (req) =>
      svc.completeStep(ctx, requireActor(req.actor), req.params.id, req.params.stepId, req.body),
    );
    on(app, e.postReflection, async (req, reply) =>
      reply
        .status(201)
        .send(await svc.reflect(ctx, requireActor(req.actor), req.params.id, req.params.stepId, req.body.body)),
    );
    on(app, e.getAnalytics, async (req) => svc.analytics(ctx, requireActor(req.actor), req.params.id));
  };
