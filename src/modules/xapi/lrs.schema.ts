import { z } from "zod";
import { endpoint } from "../../platform/endpoints";
import { DateTime } from "../../platform/contracts";

/** The scopes of xAPI's OAuth scope list that Knowhow's LRS clients can hold. */
export const LRS_SCOPES = [
  "statements/write",
  "statements/read/mine",
  "statements/read",
  "state",
  "define",
  "profile",
  "all/read",
  "all",
] as const;

export const LrsClientIn = z.object({
  name: z.string().trim().min(2, "must be at least 2 characters").max(80, "must be at most 80 characters"),
  scopes: z.array(z.enum(LRS_SCOPES)).min(1, "choose at least one scope"),
});
const LrsClientOut = z.object({
  id: z.string(),
  name: z.string(),
  key: z.string(),
  scopes: z.array(z.string()),
  createdAt: DateTime,
  lastUsedAt: DateTime.nullable(),
  revokedAt: DateTime.nullable(),
  statements: z.number(),
});
export const LrsClientListOut = z.object({
  items: z.array(LrsClientOut),
  /** Where clients send statements (the LRS endpoint). */
  endpoint: z.string(),
});
export const LrsClientCreatedOut = LrsClientOut.extend({
  /** Shown once: only its hash is kept. */
  secret: z.string(),
  endpoint: z.string(),
});
export const LrsClientParams = z.object({ id: z.string().uuid("must be a client id") });
export const MyStatementsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export const MyStatementsOut = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      verb: z.string(),
      /** The verb's display in English, or its id's last segment. */
      verbLabel: z.string(),
      /** The activity's name where the reader may see it; null for content they may not read (then only its id). */
      object: z.object({ id: z.string(), name: z.string().nullable() }),
      /** Who recorded it: "Knowhow" or the LRS client's name. */
      source: z.string(),
      timestamp: DateTime,
      success: z.boolean().nullable(),
    }),
  ),
  total: z.number(),
});

export const ForwarderIn = z.object({
  name: z.string().trim().min(2, "must be at least 2 characters").max(80, "must be at most 80 characters"),
  endpoint: z
    .string()
    .trim()
    .url("must be the other LRS's address (https://…/xapi/)")
    .regex(/^https?:\/\//i, "must be an http:// or https:// address"),
  username: z.string().max(200, "must be at most 200 characters"),
  password: z.string().max(500, "must be at most 500 characters"),
  verbs: z.array(z.string().url("must be a verb IRI")).max(50, "at most 50 verbs").default([]),
  activityPrefix: z.string().max(500, "must be at most 500 characters").default(""),
  /** Forward what is stored already too (otherwise from now on). */
  fromStart: z.boolean().default(false),
});
const DeliveryOut = z.object({
  id: z.string(),
  count: z.number(),
  status: z.enum(["pending", "sent", "failed"]),
  attempts: z.number(),
  lastError: z.string(),
  nextAttemptAt: DateTime.nullable(),
  createdAt: DateTime,
  sentAt: DateTime.nullable(),
});
export const ForwardersOut = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      endpoint: z.string(),
      username: z.string(),
      verbs: z.array(z.string()),
      activityPrefix: z.string(),
      enabled: z.boolean(),
      /** Statements matching the filter not delivered yet. */
      waiting: z.number(),
      /** The delivery log, newest first (the last 20 batches). */
      deliveries: z.array(DeliveryOut),
    }),
  ),
});
const ForwarderParams = z.object({ id: z.string().uuid("must be a forwarder id") });

/** The endpoints of lrs.routes.ts (the web app's side of the LRS; the LRS itself is at /xapi). */
export const lrsEndpoints = {
  getClients: endpoint({ method: "GET", path: "/lrs/clients", response: LrsClientListOut }),
  postClients: endpoint({
    method: "POST",
    path: "/lrs/clients",
    body: LrsClientIn,
    response: LrsClientCreatedOut,
    status: 201,
  }),
  deleteClient: endpoint({
    method: "DELETE",
    path: "/lrs/clients/:id",
    params: LrsClientParams,
    response: LrsClientListOut,
  }),
  getForwarders: endpoint({ method: "GET", path: "/lrs/forwarders", response: ForwardersOut }),
  postForwarders: endpoint({
    method: "POST",
    path: "/lrs/forwarders",
    body: ForwarderIn,
    response: ForwardersOut,
    status: 201,
  }),
  patchForwarder: endpoint({
    method: "PATCH",
    path: "/lrs/forwarders/:id",
    params: ForwarderParams,
    body: z.object({ enabled: z.boolean() }),
    response: ForwardersOut,
  }),
  deleteForwarder: endpoint({
    method: "DELETE",
    path: "/lrs/forwarders/:id",
    params: ForwarderParams,
    response: ForwardersOut,
  }),
  postForwardNow: endpoint({ method: "POST", path: "/lrs/forwarders/run", response: ForwardersOut }),
  postResend: endpoint({
    method: "POST",
    path: "/lrs/forwarders/:id/deliveries/:deliveryId/resend",
    params: z.object({
      id: z.string().uuid("must be a forwarder id"),
      deliveryId: z.string().uuid("must be a delivery id"),
    }),
    response: ForwardersOut,
  }),
  getMyStatements: endpoint({
    method: "GET",
    path: "/me/statements",
    query: MyStatementsQuery,
    response: MyStatementsOut,
  }),
};
