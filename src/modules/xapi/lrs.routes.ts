import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { on } from "../../platform/route";
import { lrsEndpoints as e } from "./lrs.schema";
import * as svc from "./lrs.service";
import * as fwd from "./forwarding";

/** The web app's side of the LRS: clients (admins) and one's own learning records. */
export const lrsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, e.getClients, async (req) => svc.listClients(ctx, requireActor(req.actor)));
    on(app, e.postClients, async (req, reply) =>
      reply.status(201).send(await svc.createClient(ctx, requireActor(req.actor), req.body)),
    );
    on(app, e.deleteClient, async (req) => svc.revokeClient(ctx, requireActor(req.actor), req.params.id));
    on(app, e.getForwarders, async (req) => fwd.listForwarders(ctx, requireActor(req.actor)));
    on(app, e.postForwarders, async (req, reply) =>
      reply.status(201).send(await fwd.createForwarder(ctx, requireActor(req.actor), req.body)),
    );
    on(app, e.patchForwarder, async (req) =>
      fwd.setForwarderEnabled(ctx, requireActor(req.actor), req.params.id, req.body.enabled),
    );
    on(app, e.deleteForwarder, async (req) => fwd.deleteForwarder(ctx, requireActor(req.actor), req.params.id));
    on(app, e.postForwardNow, async (req) => fwd.forwardNow(ctx, requireActor(req.actor)));
    on(app, e.postResend, async (req) =>
      fwd.resend(ctx, requireActor(req.actor), req.params.id, req.params.deliveryId),
    );
    on(app, e.getMyStatements, async (req) => svc.myStatements(ctx, requireActor(req.actor), req.query.limit));
  };
