import { z } from "zod";
import { endpoint } from "../../platform/endpoints";
import { DateTime, OkOut, PersonRef, Version } from "../../platform/contracts";

/** What a webhook may receive: new questions and answers, and published knowledge (content everyone may read). */
export const WEBHOOK_EVENTS = ["question.created", "answer.created", "article.published", "article.updated"] as const;
export const WebhookEvent = z.enum(WEBHOOK_EVENTS);
/** The body's shape: Knowhow's JSON (signed), or a chat channel's incoming-webhook message. */
export const WebhookFormat = z.enum(["json", "slack", "teams"]);

const Name = z.string().trim().min(2, "must be at least 2 characters").max(80, "must be at most 80 characters");
const Url = z
  .string()
  .trim()
  .max(2000, "must be at most 2,000 characters")
  .url("must be a full http:// or https:// address")
  .refine((u) => /^https?:\/\//i.test(u), "must be a full http:// or https:// address");
const Events = z.array(WebhookEvent).min(1, "choose at least one event");

export const WebhookIn = z
  .object({
    name: Name,
    url: Url,
    format: WebhookFormat.default("json"),
    events: Events,
    spaceId: z.string().uuid().nullable().default(null),
    communityId: z.string().uuid().nullable().default(null),
    enabled: z.boolean().default(true),
  })
  .strict();
export const WebhookPatch = z
  .object({
    version: Version,
    name: Name.optional(),
    url: Url.optional(),
    format: WebhookFormat.optional(),
    events: Events.optional(),
    spaceId: z.string().uuid().nullable().optional(),
    communityId: z.string().uuid().nullable().optional(),
    enabled: z.boolean().optional(),
    /** A new secret (the old one stops working at once). */
    rotateSecret: z.literal(true).optional(),
  })
  .strict();

export const DeliveryOut = z.object({
  id: z.string(),
  event: z.string(),
  status: z.enum(["pending", "delivered", "failed"]),
  attempts: z.number(),
  responseStatus: z.number().nullable(),
  responseBody: z.string().nullable(),
  lastError: z.string().nullable(),
  durationMs: z.number().nullable(),
  nextAttemptAt: DateTime.nullable(),
  deliveredAt: DateTime.nullable(),
  createdAt: DateTime,
  payload: z.record(z.string(), z.unknown()),
});
export const WebhookOut = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  format: WebhookFormat,
  /** For the receiver to check signatures (admins only ever see webhooks). */
  secret: z.string(),
  events: z.array(z.string()),
  space: z.object({ id: z.string(), name: z.string() }).nullable(),
  community: z.object({ id: z.string(), name: z.string() }).nullable(),
  enabled: z.boolean(),
  version: z.number(),
  createdBy: PersonRef.nullable(),
  createdAt: DateTime,
  updatedAt: DateTime,
  /** The last delivery's outcome, for the list. */
  lastDelivery: DeliveryOut.pick({ status: true, responseStatus: true, createdAt: true }).nullable(),
});
export type WebhookOut = z.infer<typeof WebhookOut>;

const Id = z.object({ id: z.string().uuid() });

/** The endpoints of webhooks.routes.ts (admins). */
export const webhooksEndpoints = {
  getWebhooks: endpoint({
    method: "GET",
    path: "/webhooks",
    response: z.object({ items: z.array(WebhookOut), events: z.array(z.string()) }),
  }),
  postWebhooks: endpoint({ method: "POST", path: "/webhooks", body: WebhookIn, response: WebhookOut, status: 201 }),
  patchWebhooksById: endpoint({
    method: "PATCH",
    path: "/webhooks/:id",
    params: Id,
    body: WebhookPatch,
    response: WebhookOut,
  }),
  deleteWebhooksById: endpoint({ method: "DELETE", path: "/webhooks/:id", params: Id, response: OkOut }),
  getWebhooksByIdDeliveries: endpoint({
    method: "GET",
    path: "/webhooks/:id/deliveries",
    params: Id,
    response: z.object({ items: z.array(DeliveryOut) }),
  }),
  /** Sends a `ping` event now (through the queue), to check the receiver. */
  postWebhooksByIdPing: endpoint({
    method: "POST",
    path: "/webhooks/:id/ping",
    params: Id,
    response: DeliveryOut,
    status: 201,
  }),
  /** Sends a delivery's event again, as a new delivery. */
  postWebhooksByIdDeliveriesByDeliveryIdRedeliver: endpoint({
    method: "POST",
    path: "/webhooks/:id/deliveries/:deliveryId/redeliver",
    params: z.object({ id: z.string().uuid(), deliveryId: z.string().uuid() }),
    response: DeliveryOut,
    status: 201,
  }),
};
