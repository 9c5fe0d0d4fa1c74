import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { on } from "../../platform/route";
import { cohortsEndpoints as e } from "./cohorts.schema";
import * as svc from "./cohorts.service";

/** Cohorts: a path followed in phases by small parallel units, reshuffled between phases. */
export const cohortsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, e.getCohorts, async (req) => svc.listCohorts(ctx, requireActor(req.actor)));
    on(app, e.postCohorts, async (req, reply) =>
      reply.status(201).send(await svc.createCohort(ctx, requireActor(req.actor), req.body)),
    );
    on(app, e.getCohort, async (req) => svc.presentCohort(ctx, requireActor(req.actor), req.params.id));
    on(app, e.postPropose, async (req) => svc.proposeNext(ctx, requireActor(req.actor), req.params.id));
    on(app, e.postStartPhase, async (req) => svc.startPhase(ctx, requireActor(req.actor), req.params.id));
    on(app, e.putPin, async (req) => svc.setPin(ctx, requireActor(req.actor), req.params.id, req.body));
    on(app, e.postMembers, async (req) =>
      svc.addMembers(ctx, requireActor(req.actor), req.params.id, req.body.userIds),
    );
    on(app, e.postDrop, async (req) => svc.dropMember(ctx, requireActor(req.actor), req.params.id, req.params.userId));
    on(app, e.postRebalance, async (req) => svc.rebalance(ctx, requireActor(req.actor), req.params.id));
    on(app, e.postSync, async (req) => svc.setSync(ctx, requireActor(req.actor), req.params.id, req.body));
  };
