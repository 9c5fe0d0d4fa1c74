import { z } from "zod";
import { DateTime, PersonRef, rawResponse, RequestStatus } from "../../platform/contracts";
import { endpoint } from "../../platform/endpoints";

export const InboxQuery = z.object({
  status: z.enum(["open", "all"]).default("all"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const DeclineIn = z.object({
  reason: z.enum(["not_my_area", "no_time"], "must be not_my_area or no_time"),
  note: z.string().trim().max(500, "must be at most 500 characters").default(""),
});
export const ForwardIn = z.object({
  toUserId: z.string().uuid("must be a person id"),
  note: z.string().trim().max(500, "must be at most 500 characters").default(""),
});

/** Why this person was asked, as stored with the request (open: extra keys are kept). */
const StoredReason = z.looseObject({
  kind: z.string(),
  title: z.string(),
  url: z.string(),
  at: DateTime,
  weight: z.number(),
});
export const InboxOut = z.object({
  /** Open requests about questions the expert may still read. */
  pending: z.number(),
  items: z.array(
    z.object({
      id: z.string(),
      status: RequestStatus,
      round: z.number(),
      note: z.string(),
      declineReason: z.string().nullable(),
      reasons: z.array(StoredReason),
      /** The name of who forwarded the request. */
      forwardedBy: z.string().nullable(),
      createdAt: DateTime,
      respondedAt: DateTime.nullable(),
      question: z.object({
        id: z.string(),
        title: z.string(),
        tags: z.array(z.string()),
        answerCount: z.number(),
        answered: z.boolean(),
        asker: PersonRef,
      }),
    }),
  ),
  /** Open questions addressed to the communities whose questions the person follows (oldest first). */
  communityQuestions: z.array(
    z.object({
      community: z.object({ id: z.string(), name: z.string() }),
      question: z.object({ id: z.string(), title: z.string(), tags: z.array(z.string()), asker: PersonRef }),
      createdAt: DateTime,
    }),
  ),
});
export const DeclineOut = z.object({ status: z.literal("declined"), replacedBy: z.array(PersonRef) });
export const ForwardOut = z.object({ status: z.literal("forwarded"), to: PersonRef });

const EventStreamOut = rawResponse(
  "text/event-stream",
  "Server-sent events addressed to the signed-in person (ids only), a heartbeat every 25 s",
);
const Id = z.object({ id: z.string().uuid() });
/** The endpoints of routing.routes.ts. */
export const routingEndpoints = {
  getInbox: endpoint({ method: "GET", path: "/inbox", query: InboxQuery, response: InboxOut }),
  postRoutingRequestsDecline: endpoint({
    method: "POST",
    path: "/routing/requests/:id/decline",
    params: Id,
    body: DeclineIn,
    response: DeclineOut,
  }),
  postRoutingRequestsForward: endpoint({
    method: "POST",
    path: "/routing/requests/:id/forward",
    params: Id,
    body: ForwardIn,
    response: ForwardOut,
  }),
  getEvents: endpoint({ method: "GET", path: "/events", response: EventStreamOut }),
};
