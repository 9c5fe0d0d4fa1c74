import { z } from "zod";
import { endpoint } from "../../platform/endpoints";
import { DateTime, OkOut, PersonRef } from "../../platform/contracts";
import { normaliseTags } from "../knowledge/articles.schema";

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-11-05");
const Topics = (min: number) =>
  z
    .array(z.string().trim().min(1, "must not be empty").max(40, "must be at most 40 characters"))
    .min(min, min === 1 ? "name at least one topic" : `name at least ${min} topics`)
    .max(10, "at most 10 topics")
    .transform(normaliseTags);

export const ProgrammeIn = z
  .object({
    name: z.string().trim().min(3, "must be at least 3 characters").max(120, "must be at most 120 characters"),
    purpose: z.string().trim().max(10_000, "must be at most 10,000 characters").default(""),
    startsOn: Day,
    endsOn: Day,
    mode: z.enum(["matched", "self_service"], "must be matched or self_service").default("matched"),
    defaultCapacity: z.number().int().min(1, "must be at least 1").max(10, "must be at most 10").default(2),
    crossDepartmentWeight: z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1").default(0.5),
    maxTimeZoneHours: z
      .number()
      .int()
      .min(0, "must be 0 or more")
      .max(24, "must be at most 24")
      .nullable()
      .default(null),
    acceptDays: z.number().int().min(1, "must be at least 1 day").max(60, "must be at most 60 days").default(7),
  })
  .refine((p) => p.endsOn >= p.startsOn, { message: "must not be before the start", path: ["endsOn"] });

export const ProgrammeParams = z.object({ id: z.string().uuid("must be a programme id") });
export const MentorshipParams = z.object({ id: z.string().uuid("must be a mentorship id") });

export const ParticipationIn = z.discriminatedUnion(
  "role",
  [
    z.object({
      role: z.literal("mentor"),
      /** Seats offered (default: the programme's). */
      capacity: z.number().int().min(1, "must be at least 1").max(10, "must be at most 10").nullable().default(null),
      topics: Topics(1),
    }),
    z.object({
      role: z.literal("mentee"),
      topics: Topics(1),
      goalText: z.string().trim().max(2000, "must be at most 2,000 characters").default(""),
      /** Mentor ids, most wanted first (from the suggested mentors). */
      preferences: z.array(z.string().uuid("must be a person id")).max(5, "at most 5 preferences").default([]),
    }),
  ],
  "must be mentor or mentee",
);
export const LeaveQuery = z.object({ role: z.enum(["mentor", "mentee"], "must be mentor or mentee") });
export const PairRuleIn = z.object({
  mentorId: z.string().uuid("must be a person id"),
  menteeId: z.string().uuid("must be a person id"),
  rule: z.enum(["pin", "forbid", "none"], "must be pin, forbid or none"),
});
export const RequestIn = z.object({ mentorId: z.string().uuid("must be a person id") });
export const MentorshipPatch = z.object({
  version: z.number().int(),
  goals: z.string().max(5000, "must be at most 5,000 characters").optional(),
  notes: z.string().max(50_000, "must be at most 50,000 characters").optional(),
});
export const MeetingIn = z.object({
  heldOn: Day,
  minutes: z.number().int().min(5, "must be at least 5 minutes").max(480, "must be at most 8 hours"),
  summary: z.string().trim().max(5000, "must be at most 5,000 characters").default(""),
});
export const ReflectionIn = z.object({ entryId: z.string().uuid("must be a journal entry id") });
export const ReflectionParams = z.object({
  id: z.string().uuid("must be a mentorship id"),
  entryId: z.string().uuid("must be a journal entry id"),
});
export const CloseIn = z.object({
  goalReached: z.boolean(),
  evaluation: z.string().trim().min(1, "say how it went").max(5000, "must be at most 5,000 characters"),
});

const Reason = z.object({ kind: z.enum(["evidence", "offers", "preference", "department"]), text: z.string() });
const Person = PersonRef.extend({ department: z.string(), title: z.string() });
const Status = z.enum(["proposed", "active", "declined", "expired", "closed"]);

export const MentorshipCard = z.object({
  id: z.string(),
  programme: z.object({ id: z.string(), name: z.string() }),
  mentor: Person,
  mentee: Person,
  status: Status,
  origin: z.enum(["matched", "requested"]),
  quality: z.number(),
  reasons: z.array(Reason),
  mentorAccepted: z.boolean(),
  menteeAccepted: z.boolean(),
  expiresAt: DateTime,
  /** The reader's side of it (null: a knowledge manager looking at the programme). */
  myRole: z.enum(["mentor", "mentee"]).nullable(),
});
export type MentorshipCard = z.infer<typeof MentorshipCard>;

export const MentorshipPage = MentorshipCard.extend({
  goals: z.string(),
  notes: z.string(),
  notesHtml: z.string(),
  goalReached: z.boolean().nullable(),
  evaluation: z.string(),
  version: z.number(),
  startedAt: DateTime.nullable(),
  meetings: z.array(
    z.object({ id: z.string(), heldOn: z.string(), minutes: z.number(), summary: z.string(), loggedBy: PersonRef }),
  ),
  /** Journal entries one of the pair shared with the mentorship (newest first). */
  reflections: z.array(
    z.object({
      entryId: z.string(),
      author: PersonRef,
      practice: z.string(),
      prompt: z.string(),
      html: z.string(),
      writtenAt: DateTime,
      mine: z.boolean(),
    }),
  ),
  can: z.object({ accept: z.boolean(), decline: z.boolean(), edit: z.boolean(), close: z.boolean() }),
  /**
   * For the mentor: topics they answered at least three questions on in the last 90 days without an
   * article of theirs on it — knowledge worth writing down once (empty for the mentee).
   */
  writeItDown: z.array(z.object({ topic: z.string(), answers: z.number() })),
});

const ProgrammeCard = z.object({
  id: z.string(),
  name: z.string(),
  purpose: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  mode: z.enum(["matched", "self_service"]),
  mentors: z.number(),
  mentees: z.number(),
  /** The reader's roles in it. */
  myRoles: z.array(z.enum(["mentor", "mentee"])),
});
export const ProgrammeListOut = z.object({
  items: z.array(ProgrammeCard),
  mine: z.array(MentorshipCard),
  can: z.object({ create: z.boolean() }),
});

export const ProgrammePage = ProgrammeCard.extend({
  purposeHtml: z.string(),
  defaultCapacity: z.number(),
  crossDepartmentWeight: z.number(),
  maxTimeZoneHours: z.number().nullable(),
  acceptDays: z.number(),
  lastMatchedAt: DateTime.nullable(),
  me: z.object({
    mentor: z.object({ capacity: z.number(), topics: z.array(z.string()) }).nullable(),
    mentee: z
      .object({ topics: z.array(z.string()), goalText: z.string(), preferences: z.array(z.string()) })
      .nullable(),
  }),
  /** For a mentee: the mentors ranked for their goals, with reasons and seats left. */
  suggestions: z.array(
    z.object({ mentor: Person, quality: z.number(), reasons: z.array(Reason), seatsLeft: z.number() }),
  ),
  /** The reader's own mentorships in the programme. */
  mine: z.array(MentorshipCard),
  /** For knowledge managers: everything needed to review the matching (no pair's goals or notes). */
  review: z
    .object({
      mentorships: z.array(MentorshipCard),
      mentors: z.array(
        z.object({ person: Person, capacity: z.number(), taken: z.number(), topics: z.array(z.string()) }),
      ),
      mentees: z.array(z.object({ person: Person, topics: z.array(z.string()), matched: z.boolean() })),
      rules: z.array(z.object({ mentorId: z.string(), menteeId: z.string(), rule: z.enum(["pin", "forbid"]) })),
      health: z.object({
        mentees: z.number(),
        matchedShare: z.number().nullable(),
        acceptedShare: z.number().nullable(),
        meetingsPerPair: z.number().nullable(),
        goalsReached: z.object({ reached: z.number(), closed: z.number() }),
        crossDepartmentShare: z.number().nullable(),
        byStatus: z.record(z.string(), z.number()),
      }),
    })
    .nullable(),
  can: z.object({ manage: z.boolean(), participate: z.boolean(), request: z.boolean() }),
});
export type ProgrammePage = z.infer<typeof ProgrammePage>;
export const MatchOut = ProgrammePage.extend({
  run: z.object({ proposed: z.number(), unmatched: z.number(), ms: z.number() }),
});

/** The endpoints of mentoring.routes.ts. */
export const mentoringEndpoints = {
  getProgrammes: endpoint({ method: "GET", path: "/mentoring/programmes", response: ProgrammeListOut }),
  postProgrammes: endpoint({
    method: "POST",
    path: "/mentoring/programmes",
    body: ProgrammeIn,
    response: ProgrammePage,
    status: 201,
  }),
  getProgramme: endpoint({
    method: "GET",
    path: "/mentoring/programmes/:id",
    params: ProgrammeParams,
    response: ProgrammePage,
  }),
  putParticipation: endpoint({
    method: "PUT",
    path: "/mentoring/programmes/:id/participation",
    params: ProgrammeParams,
    body: ParticipationIn,
    response: ProgrammePage,
  }),
  deleteParticipation: endpoint({
    method: "DELETE",
    path: "/mentoring/programmes/:id/participation",
    params: ProgrammeParams,
    query: LeaveQuery,
    response: ProgrammePage,
  }),
  postMatch: endpoint({
    method: "POST",
    path: "/mentoring/programmes/:id/match",
    params: ProgrammeParams,
    response: MatchOut,
  }),
  putRule: endpoint({
    method: "PUT",
    path: "/mentoring/programmes/:id/rules",
    params: ProgrammeParams,
    body: PairRuleIn,
    response: ProgrammePage,
  }),
  postRequest: endpoint({
    method: "POST",
    path: "/mentoring/programmes/:id/requests",
    params: ProgrammeParams,
    body: RequestIn,
    response: MentorshipPage,
    status: 201,
  }),
  getMentorship: endpoint({
    method: "GET",
    path: "/mentorships/:id",
    params: MentorshipParams,
    response: MentorshipPage,
  }),
  patchMentorship: endpoint({
    method: "PATCH",
    path: "/mentorships/:id",
    params: MentorshipParams,
    body: MentorshipPatch,
    response: MentorshipPage,
  }),
  postAccept: endpoint({
    method: "POST",
    path: "/mentorships/:id/accept",
    params: MentorshipParams,
    response: MentorshipPage,
  }),
  postDecline: endpoint({
    method: "POST",
    path: "/mentorships/:id/decline",
    params: MentorshipParams,
    response: OkOut,
  }),
  postMeeting: endpoint({
    method: "POST",
    path: "/mentorships/:id/meetings",
    params: MentorshipParams,
    body: MeetingIn,
    response: MentorshipPage,
    status: 201,
  }),
  postReflection: endpoint({
    method: "POST",
    path: "/mentorships/:id/reflections",
    params: MentorshipParams,
    body: ReflectionIn,
    response: MentorshipPage,
    status: 201,
  }),
  deleteReflection: endpoint({
    method: "DELETE",
    path: "/mentorships/:id/reflections/:entryId",
    params: ReflectionParams,
    response: MentorshipPage,
  }),
  postClose: endpoint({
    method: "POST",
    path: "/mentorships/:id/close",
    params: MentorshipParams,
    body: CloseIn,
    response: MentorshipPage,
  }),
};
