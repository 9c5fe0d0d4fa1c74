import { z } from "zod";
import { endpoint } from "../../platform/endpoints";
import { DateTime, OkOut, PersonRef, rawResponse } from "../../platform/contracts";
import { normaliseTags } from "../knowledge/articles.schema";
import { isTimeZone } from "../../domain/sessions/sessions";

const Topics = z
  .array(z.string().trim().min(1, "must not be empty").max(40, "must be at most 40 characters"))
  .max(10, "at most 10 topics")
  .default([])
  .transform(normaliseTags);
const RsvpStatus = z.enum(["going", "maybe", "no"], "must be going, maybe or no");
const MyStatus = z.enum(["going", "maybe", "no", "waitlisted"]);

export const SessionIn = z
  .object({
    title: z.string().trim().min(3, "must be at least 3 characters").max(160, "must be at most 160 characters"),
    abstract: z.string().trim().max(10_000, "must be at most 10,000 characters").default(""),
    /** Wall-clock start in `timeZone`, "YYYY-MM-DDTHH:mm". */
    start: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "must be a date and time like 2026-11-05T10:00"),
    timeZone: z.string().refine(isTimeZone, "must be a time zone like Europe/Berlin"),
    durationMinutes: z
      .number()
      .int()
      .min(5, "must be at least 5 minutes")
      .max(24 * 60, "must be at most a day"),
    place: z.string().trim().max(200, "must be at most 200 characters").default(""),
    link: z.union([z.literal(""), z.string().trim().url("must be a link")]).default(""),
    capacity: z.number().int().min(1, "must be at least 1").max(10_000).nullable().default(null),
    topics: Topics,
    communityId: z.string().uuid("must be a community id").nullable().default(null),
    /** Presenters besides the announcer (who presents unless `presenting` is false). */
    presenterIds: z.array(z.string().uuid("must be a person id")).max(10).default([]),
  })
  .refine((s) => s.place !== "" || s.link !== "", { message: "give a place or a link", path: ["place"] });

export const SessionIdParams = z.object({ id: z.string().uuid("must be a session id") });
export const SessionsQuery = z.object({
  when: z.enum(["upcoming", "past"]).default("upcoming"),
  topic: z.string().trim().max(40).optional(),
  communityId: z.string().uuid("must be a community id").optional(),
  /** Sessions presented by someone in this department. */
  department: z.string().trim().max(100).optional(),
});
export const RsvpIn = z.object({ status: RsvpStatus });
export const CheckInIn = z.object({ userId: z.string().uuid("must be a person id").optional() });
export const KnowledgeIn = z.object({ spaceId: z.string().uuid("must be a space id") });
export const KnowledgeOut = z.object({ articleId: z.string() });
export const TokenParams = z.object({ token: z.string().min(10).max(100) });

export const SessionOut = z.object({
  id: z.string(),
  title: z.string(),
  abstract: z.string(),
  abstractHtml: z.string(),
  startsAt: DateTime,
  endsAt: DateTime,
  timeZone: z.string(),
  /** The start as a wall-clock time in its zone ("2026-11-05T10:00"). */
  localStart: z.string(),
  durationMinutes: z.number(),
  place: z.string(),
  link: z.string(),
  capacity: z.number().nullable(),
  topics: z.array(z.string()),
  community: z.object({ id: z.string(), name: z.string(), visibility: z.enum(["everyone", "members"]) }).nullable(),
  presenters: z.array(PersonRef.extend({ department: z.string() })),
  going: z.number(),
  maybe: z.number(),
  waitlisted: z.number(),
  attended: z.number(),
  myStatus: MyStatus.nullable(),
  /** 1-based place in the waiting list. */
  myWaitlistPosition: z.number().nullable(),
  checkedIn: z.boolean(),
  can: z.object({
    read: z.boolean(),
    rsvp: z.boolean(),
    checkIn: z.boolean(),
    manage: z.boolean(),
    turnIntoKnowledge: z.boolean(),
  }),
});
export type SessionOut = z.infer<typeof SessionOut>;
export const SessionListOut = z.object({ items: z.array(SessionOut) });
export const SessionPageOut = SessionOut.extend({
  notes: z.string(),
  /**
   * The suggested audience the announcement reaches: people in other departments than the presenters'
   * who asked, answered or follow its topics and may read it (for those who run it; null for others).
   */
  reach: z
    .object({
      people: z.number(),
      departments: z.number(),
      byDepartment: z.array(z.object({ department: z.string(), count: z.number() })),
    })
    .nullable(),
  /** Who answered, for presenters (empty for others). */
  people: z.array(
    PersonRef.extend({
      department: z.string(),
      status: MyStatus,
      checkedIn: z.boolean(),
    }),
  ),
  /** Attendees by department and the share from departments other than the presenters'. */
  attendance: z.object({
    byDepartment: z.array(z.object({ department: z.string(), count: z.number() })),
    crossDepartmentShare: z.number().nullable(),
  }),
});
export const SubscriptionOut = z.object({ active: z.boolean(), createdAt: DateTime.nullable() });
export const NewSubscriptionOut = z.object({
  /** The secret token, shown once; the feed is `/api/calendar/<token>/sessions.ics`. */
  token: z.string(),
});
const IcsOut = rawResponse("text/calendar", "An RFC 5545 iCalendar file");

/** The endpoints of sessions.routes.ts. */
export const sessionsEndpoints = {
  getSessions: endpoint({ method: "GET", path: "/sessions", query: SessionsQuery, response: SessionListOut }),
  getSessionsSuggested: endpoint({ method: "GET", path: "/sessions/suggested", response: SessionListOut }),
  postSessions: endpoint({ method: "POST", path: "/sessions", body: SessionIn, response: SessionOut }),
  getSessionsById: endpoint({
    method: "GET",
    path: "/sessions/:id",
    params: SessionIdParams,
    response: SessionPageOut,
  }),
  putSessionsRsvp: endpoint({
    method: "PUT",
    path: "/sessions/:id/rsvp",
    params: SessionIdParams,
    body: RsvpIn,
    response: SessionOut,
  }),
  postSessionsCheckIn: endpoint({
    method: "POST",
    path: "/sessions/:id/check-in",
    params: SessionIdParams,
    body: CheckInIn,
    response: OkOut,
  }),
  postSessionsKnowledge: endpoint({
    method: "POST",
    path: "/sessions/:id/knowledge",
    params: SessionIdParams,
    body: KnowledgeIn,
    response: KnowledgeOut,
  }),
  getSessionsInviteIcs: endpoint({
    method: "GET",
    path: "/sessions/:id/invite.ics",
    params: SessionIdParams,
    response: IcsOut,
  }),
  getCalendarSubscription: endpoint({ method: "GET", path: "/calendar/subscription", response: SubscriptionOut }),
  postCalendarSubscription: endpoint({
    method: "POST",
    path: "/calendar/subscription",
    response: NewSubscriptionOut,
  }),
  deleteCalendarSubscription: endpoint({ method: "DELETE", path: "/calendar/subscription", response: OkOut }),
  getCalendarSessionsIcs: endpoint({
    method: "GET",
    path: "/calendar/:token/sessions.ics",
    params: TokenParams,
    response: IcsOut,
  }),
};
