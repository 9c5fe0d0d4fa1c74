import { z } from "zod";
import { DateTime, QueryText } from "../../platform/contracts";
import { TimeZone } from "../accounts/accounts.schema";
import { endpoint } from "../../platform/endpoints";

const Minutes = z.number().int("must be whole minutes").min(0, "must be 0–1440").max(1440, "must be 0–1440");

export const AvailabilityIn = z.object({
  availability: z.enum(["available", "busy", "away"], "must be available, busy or away"),
  awayUntil: z
    .string()
    .datetime({ offset: true, message: "must be a date-time such as 2026-12-01T00:00:00Z" })
    .nullable()
    .default(null),
  timeZone: TimeZone,
  workStart: Minutes,
  workEnd: Minutes,
  workDays: z
    .array(
      z.number().int().min(1, "weekdays are 1 (Monday) to 7 (Sunday)").max(7, "weekdays are 1 (Monday) to 7 (Sunday)"),
    )
    .min(1, "pick at least one day")
    .max(7),
  dailyCap: z.number().int().min(0, "must be 0 or more").max(100, "must be at most 100"),
});
export const ExpertsQuery = z.object({
  q: QueryText.trim().min(2, "type at least 2 characters"),
  department: z.string().max(120).optional(),
  availability: z.enum(["any", "available", "reachable"]).default("any"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const SkillsIn = z.object({
  skills: z
    .array(z.string().trim().min(1, "must not be empty").max(40, "must be at most 40 characters"))
    .max(30, "at most 30 skills"),
});
export const EndorsementIn = z.object({
  tag: z.string().trim().min(1, "is required").max(40, "must be at most 40 characters"),
  note: z.string().trim().max(300, "must be at most 300 characters").default(""),
});
export const EndorsementParams = z.object({ id: z.string().uuid(), tag: z.string().min(1).max(40) });

/** Why someone is suggested: one piece of their evidence. */
export const ExpertReasonOut = z.object({
  kind: z.string(),
  title: z.string(),
  url: z.string(),
  at: DateTime,
  weight: z.number(),
});
/** Availability as the directory shows it right now. */
export const AvailabilityOut = z.object({
  status: z.enum(["available", "busy", "away"]),
  awayUntil: DateTime.nullable(),
  timeZone: z.string(),
  workStart: z.number(),
  workEnd: z.number(),
  workDays: z.array(z.number()),
  dailyCap: z.number(),
  /** HH:MM in their time zone. */
  localTime: z.string(),
  reachable: z.boolean(),
  notReachableBecause: z.enum(["busy", "away", "off_hours", "off_day", "at_cap"]).nullable(),
  requestsToday: z.number(),
});
export const ExpertOut = z.object({
  id: z.string(),
  name: z.string(),
  title: z.string(),
  department: z.string(),
  score: z.number(),
  reasons: z.array(ExpertReasonOut),
  availability: AvailabilityOut,
});
export const ExpertsOut = z.object({ total: z.number(), items: z.array(ExpertOut) });

const Endorser = z.object({ id: z.string(), name: z.string(), note: z.string() });
const TopicCounts = z.object({
  answers: z.number(),
  accepted: z.number(),
  articles: z.number(),
  endorsements: z.number(),
});
/** A person's expertise: evidence-backed topics, declared skills without evidence yet, totals and availability. */
export const ExpertiseProfileOut = z.object({
  personId: z.string(),
  topics: z.array(
    z.object({
      tag: z.string(),
      weight: z.number(),
      level: z.number(),
      counts: TopicCounts,
      evidence: z.array(
        z.object({
          kind: z.enum(["answer", "accepted_answer", "article", "article_update", "endorsement"]),
          title: z.string(),
          url: z.string(),
          /** An answer's votes (absent for other kinds). */
          votes: z.number().optional(),
          at: DateTime,
          weight: z.number(),
        }),
      ),
      selfDeclared: z.boolean(),
      endorsedBy: z.array(Endorser),
      endorsedByMe: z.boolean(),
    }),
  ),
  unbackedSkills: z.array(z.object({ tag: z.string(), endorsedBy: z.array(Endorser), endorsedByMe: z.boolean() })),
  skills: z.array(z.string()),
  totals: TopicCounts,
  availability: AvailabilityOut,
});

const Id = z.object({ id: z.string().uuid() });
/** The endpoints of expertise.routes.ts. */
export const expertiseEndpoints = {
  getExperts: endpoint({ method: "GET", path: "/experts", query: ExpertsQuery, response: ExpertsOut }),
  getPeopleExpertise: endpoint({
    method: "GET",
    path: "/people/:id/expertise",
    params: Id,
    response: ExpertiseProfileOut,
  }),
  putMeSkills: endpoint({ method: "PUT", path: "/me/skills", body: SkillsIn, response: ExpertiseProfileOut }),
  postPeopleEndorsements: endpoint({
    method: "POST",
    path: "/people/:id/endorsements",
    params: Id,
    body: EndorsementIn,
    response: ExpertiseProfileOut,
    status: 201,
  }),
  deletePeopleEndorsementsByTag: endpoint({
    method: "DELETE",
    path: "/people/:id/endorsements/:tag",
    params: EndorsementParams,
    response: ExpertiseProfileOut,
  }),
  getMeAvailability: endpoint({ method: "GET", path: "/me/availability", response: AvailabilityOut }),
  putMeAvailability: endpoint({
    method: "PUT",
    path: "/me/availability",
    body: AvailabilityIn,
    response: AvailabilityOut,
  }),
};
