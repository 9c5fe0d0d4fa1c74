import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { on } from "../../platform/route";
import { webhooksEndpoints as e } from "./webhooks.schema";
import * as svc from "./webhooks.service";

/** Outgoing webhooks and their delivery log (admins). */
export const webhooksRoutes =
  (ctx: AppContext, kick: () => void): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, e.getWebhooks, async (req) => svc.listWebhooks(ctx, requireActor(req.actor)));
    on(app, e.postWebhooks, async (req, reply) =>
      reply.status(201).send(await svc.createWebhook(ctx, requireActor(req.actor), req.body)),
    );
    on(app, e.patchWebhooksById, async (req) =>
      svc.updateWebhook(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    on(app, e.deleteWebhooksById, async (req) => svc.deleteWebhook(ctx, requireActor(req.actor), req.params.id));
    on(app, e.getWebhooksByIdDeliveries, async (req) =>
      svc.listDeliveries(ctx, requireActor(req.actor), req.params.id),
    );
    on(app, e.postWebhooksByIdPing, async (req, reply) => {
      const d = await svc.pingWebhook(ctx, requireActor(req.actor), req.params.id);
      kick();
      return reply.status(201).send(d);
    });
    on(app, e.postWebhooksByIdDeliveriesByDeliveryIdRedeliver, async (req, reply) => {
      const d = await svc.redeliver(ctx, requireActor(req.actor), req.params.id, req.params.deliveryId);
      kick();
      return reply.status(201).send(d);
    });
  };
