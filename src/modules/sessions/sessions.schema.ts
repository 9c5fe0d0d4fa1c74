import { z } from "zod";
import { endpoint } from "../../platform/endpoints";
import { DateTime, ErrorOut, OkOut, PersonRef, Version, rawResponse } from "../../platform/contracts";
import { FileOut, RangeNotSatisfiable, normaliseTags } from "../knowledge/articles.schema";
import { isTimeZone } from "../../domain/sessions/sessions";

const TopicList = z
  .array(z.string().trim().min(1, "must not be empty").max(40, "must be at most 40 characters"))
  .max(10, "at most 10 topics");
const RsvpStatus = z.enum(["going", "maybe", "no"], "must be going, maybe or no");
const MyStatus = z.enum(["going", "maybe", "no", "waitlisted"]);

// The fields of a session, shared by announcing (with defaults) and editing (each optional).
const Title = z.string().trim().min(3, "must be at least 3 characters").max(160, "must be at most 160 characters");
const Abstract = z.string().trim().max(10_000, "must be at most 10,000 characters");
/** Wall-clock start in `timeZone`, "YYYY-MM-DDTHH:mm". */
const Start = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "must be a date and time like 2026-11-05T10:00");
const TimeZone = z.string().refine(isTimeZone, "must be a time zone like Europe/Berlin");
const Duration = z
  .number()
  .int()
  .min(5, "must be at least 5 minutes")
  .max(24 * 60, "must be at most a day");
const Place = z.string().trim().max(200, "must be at most 200 characters");
const Link = z.union([z.literal(""), z.string().trim().url("must be a link")]);
const Capacity = z.number().int().min(1, "must be at least 1").max(10_000).nullable();
const CommunityId = z.string().uuid("must be a community id").nullable();
/** Presenters besides the announcer (who presents unless `presenting` is false). */
const PresenterIds = z.array(z.string().uuid("must be a person id")).max(10);

export const SessionIn = z
  .object({
    title: Title,
    abstract: Abstract.default(""),
    start: Start,
    timeZone: TimeZone,
    durationMinutes: Duration,
    place: Place.default(""),
    link: Link.default(""),
    capacity: Capacity.default(null),
    topics: TopicList.default([]).transform(normaliseTags),
    communityId: CommunityId.default(null),
    presenterIds: PresenterIds.default([]),
  })
  .refine((s) => s.place !== "" || s.link !== "", { message: "give a place or a link", path: ["place"] });

/**
 * An edit: any of the announced fields, the notes, and the `version` the editor started from (a
 * stale version is refused with 409 and nothing is written). Place or link must remain.
 */
export const SessionUpdate = z.object({
  version: Version,
  title: Title.optional(),
  abstract: Abstract.optional(),
  start: Start.optional(),
  timeZone: TimeZone.optional(),
  durationMinutes: Duration.optional(),
  place: Place.optional(),
  link: Link.optional(),
  capacity: Capacity.optional(),
  topics: TopicList.transform(normaliseTags).optional(),
  communityId: CommunityId.optional(),
  presenterIds: PresenterIds.optional(),
  /** Notes taken at the session (Markdown). */
  notes: z.string().max(50_000, "must be at most 50,000 characters").optional(),
});

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
  /** Raised by every edit; an edit sends back the version it started from. */
  version: z.number(),
  cancelled: z.boolean(),
  can: z.object({
    read: z.boolean(),
    rsvp: z.boolean(),
    checkIn: z.boolean(),
    manage: z.boolean(),
    cancel: z.boolean(),
    attachFile: z.boolean(),
    raiseQuestion: z.boolean(),
    turnIntoKnowledge: z.boolean(),
  }),
});
export type SessionOut = z.infer<typeof SessionOut>;
export const SessionListOut = z.object({ items: z.array(SessionOut) });
export const SessionFileOut = z.object({
  id: z.string(),
  kind: z.enum(["slides", "recording", "other"]),
  name: z.string(),
  mime: z.string(),
  size: z.number(),
  uploadedBy: PersonRef,
  createdAt: DateTime,
  url: z.string(),
  can: z.object({ read: z.boolean(), delete: z.boolean() }),
});
export const RaisedQuestionOut = z.object({
  id: z.string(),
  title: z.string(),
  answered: z.boolean(),
  answerCount: z.number(),
  raisedBy: PersonRef,
  createdAt: DateTime,
});
export const SessionPageOut = SessionOut.extend({
  notes: z.string(),
  notesHtml: z.string(),
  files: z.array(SessionFileOut),
  /** Questions raised at the session and asked in Knowhow (those the reader may read). */
  questions: z.array(RaisedQuestionOut),
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
/** A stale edit (409): the session as it is now, so the editor can redo the change on it. */
export const SessionConflictOut = z.object({ error: ErrorOut, current: SessionPageOut.optional() });
export const SessionFileParams = z.object({
  id: z.string().uuid("must be a session id"),
  fileId: z.string().uuid("must be a file id"),
});
export const SessionFileQuery = z.object({
  kind: z.enum(["slides", "recording", "other"], "must be slides, recording or other").default("other"),
});
/** A question raised at the session, asked in Knowhow (tagged with its topics, to its community). */
export const RaiseQuestionIn = z.object({
  title: z.string().trim().min(5, "must be at least 5 characters").max(300, "must be at most 300 characters"),
  body: z.string().trim().min(1, "is required").max(100_000, "must be at most 100,000 characters"),
});
export const RaisedQuestionCreatedOut = RaisedQuestionOut;
/** Attendance across departments per month (last 6 months), over the sessions the viewer may read. */
export const SessionStatsOut = z.object({
  months: z.array(
    z.object({
      /** "YYYY-MM" (UTC). */
      month: z.string(),
      sessions: z.number(),
      attended: z.number(),
      /** Attendees from other departments than the session's presenters'. */
      crossDepartment: z.number(),
      crossDepartmentShare: z.number().nullable(),
    }),
  ),
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
  getSessionsSoon: endpoint({ method: "GET", path: "/sessions/soon", response: SessionListOut }),
  getSessionsStats: endpoint({ method: "GET", path: "/sessions/stats", response: SessionStatsOut }),
  patchSessionsById: endpoint({
    method: "PATCH",
    path: "/sessions/:id",
    params: SessionIdParams,
    body: SessionUpdate,
    response: SessionPageOut,
    other: { 409: SessionConflictOut },
  }),
  postSessionsCancel: endpoint({
    method: "POST",
    path: "/sessions/:id/cancel",
    params: SessionIdParams,
    response: SessionOut,
  }),
  postSessionsFiles: endpoint({
    method: "POST",
    path: "/sessions/:id/files",
    params: SessionIdParams,
    query: SessionFileQuery,
    response: SessionFileOut,
  }),
  getSessionsFilesById: endpoint({
    method: "GET",
    path: "/sessions/:id/files/:fileId",
    params: SessionFileParams,
    response: FileOut,
    other: { 206: FileOut, 416: RangeNotSatisfiable },
  }),
  deleteSessionsFilesById: endpoint({
    method: "DELETE",
    path: "/sessions/:id/files/:fileId",
    params: SessionFileParams,
    response: OkOut,
  }),
  postSessionsQuestions: endpoint({
    method: "POST",
    path: "/sessions/:id/questions",
    params: SessionIdParams,
    body: RaiseQuestionIn,
    response: RaisedQuestionCreatedOut,
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
