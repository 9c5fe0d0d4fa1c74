import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { on } from "../../platform/route";
import { workgroupsEndpoints as e } from "./workgroups.schema";
import * as svc from "./workgroups.service";

/** Workgroups: suggested skills, a proposed group with reasons and alternatives, confirming, closing. */
export const workgroupsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, e.postSkills, async (req) => svc.suggestSkills(ctx, requireActor(req.actor), req.body.description));
    on(app, e.postPropose, async (req) => svc.propose(ctx, requireActor(req.actor), req.body));
    on(app, e.postEvaluate, async (req) => svc.evaluate(ctx, requireActor(req.actor), req.body));
    on(app, e.postWorkgroups, async (req, reply) =>
      reply.status(201).send(await svc.confirm(ctx, requireActor(req.actor), req.body)),
    );
    on(app, e.getWorkgroups, async (req) => svc.listWorkgroups(ctx, requireActor(req.actor)));
    on(app, e.getWorkgroup, async (req) => svc.getWorkgroup(ctx, requireActor(req.actor), req.params.id));
    on(app, e.postClose, async (req) => svc.close(ctx, requireActor(req.actor), req.params.id));
  };
