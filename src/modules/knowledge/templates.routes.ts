import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { on } from "../../platform/route";
import { templatesEndpoints as e } from "./templates.schema";
import * as svc from "./templates.service";

/** Article templates: listed for everyone who writes, written by knowledge managers and admins. */
export const templatesRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, e.getTemplates, async (req) => svc.listTemplates(ctx, requireActor(req.actor), req.query.archived));
    on(app, e.postTemplates, async (req, reply) =>
      reply.status(201).send(await svc.createTemplate(ctx, requireActor(req.actor), req.body)),
    );
    on(app, e.getTemplatesById, async (req) => svc.getTemplate(ctx, requireActor(req.actor), req.params.id));
    on(app, e.patchTemplatesById, async (req) =>
      svc.updateTemplate(ctx, requireActor(req.actor), req.params.id, req.body),
    );
  };
