import { z } from "zod";
import { DateTime, DeletedOut, Offset, PersonRef, SpaceRef, Version } from "../../platform/contracts";
import { endpoint } from "../../platform/endpoints";

export const Tags = z
  .array(z.string().max(60, "each tag must be at most 60 characters"))
  .max(10, "at most 10 tags")
  .default([]);
const Text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max.toLocaleString("en")} characters`)
    .default("");
const Learned = z.string().trim().min(5, "say what we learned (at least 5 characters)").max(20_000);

export const LessonIn = z.object({
  title: z.string().trim().min(5, "must be at least 5 characters").max(200, "must be at most 200 characters"),
  whatHappened: Text(20_000),
  impact: Text(10_000),
  learned: Learned,
  instead: Text(20_000),
  tags: Tags,
  spaceId: z.string().uuid("must be a space id").nullable().optional(),
  anonymous: z.boolean().default(false),
});
export const LessonUpdate = LessonIn.extend({ version: Version });
export const LessonListQuery = z.object({
  tag: z.string().max(60).optional(),
  kind: z.enum(["mistake", "retrospective"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  offset: Offset.default(0),
});
const Column = z.enum(["well", "less", "try"], "must be well, less or try");
const ItemIn = z.object({
  id: z.string().uuid().optional(),
  column: Column,
  text: z.string().trim().min(1, "is empty").max(2000),
});
export const RetrospectiveIn = z.object({
  title: z.string().trim().min(3, "must be at least 3 characters").max(200),
  spaceId: z.string().uuid().nullable().optional(),
  participantIds: z.array(z.string().uuid()).max(100).default([]),
  items: z.array(ItemIn).max(200).default([]),
});
export const RetrospectiveUpdate = z.object({
  version: Version,
  title: z.string().trim().min(3).max(200),
  participantIds: z.array(z.string().uuid()).max(100).default([]),
  items: z.array(ItemIn).max(200),
});
export const ItemParams = z.object({ id: z.string().uuid(), itemId: z.string().uuid() });
export const ItemLessonIn = z.object({
  learned: Learned,
  instead: Text(20_000),
  tags: Tags,
  anonymous: z.boolean().default(false),
});

/** A lesson as the reader may see it: anonymous ones carry no author (admins still see it, marked as audit). */
export const LessonOut = z.object({
  id: z.string(),
  kind: z.enum(["mistake", "retrospective"]),
  title: z.string(),
  whatHappened: z.string(),
  impact: z.string(),
  learned: z.string(),
  instead: z.string(),
  html: z.object({ whatHappened: z.string(), impact: z.string(), learned: z.string(), instead: z.string() }),
  tags: z.array(z.string()),
  /** null: shared with the whole organisation. */
  space: SpaceRef.nullable(),
  anonymous: z.boolean(),
  /** null when anonymous and the reader may not see who wrote it. */
  author: PersonRef.nullable(),
  authorVisibleForAudit: z.boolean(),
  retrospectiveId: z.string().nullable(),
  version: z.number(),
  createdAt: DateTime,
  updatedAt: DateTime,
  can: z.object({ edit: z.boolean(), delete: z.boolean() }),
});
export type LessonOut = z.infer<typeof LessonOut>;
export const LessonListOut = z.object({ total: z.number(), items: z.array(LessonOut) });

export const RetroItemOut = z.object({
  id: z.string(),
  column: z.enum(["well", "less", "try"]),
  text: z.string(),
  /** Set once the item became a lesson. */
  lessonId: z.string().optional(),
});
export const RetrospectiveOut = z.object({
  id: z.string(),
  title: z.string(),
  spaceId: z.string().nullable(),
  author: PersonRef,
  participants: z.array(PersonRef),
  items: z.array(RetroItemOut),
  version: z.number(),
  createdAt: DateTime,
  can: z.object({ edit: z.boolean(), makeLesson: z.boolean() }),
});
export const RetrospectiveListOut = z.object({ items: z.array(RetrospectiveOut) });

const Id = z.object({ id: z.string().uuid() });
/** The endpoints of lessons.routes.ts. */
export const lessonsEndpoints = {
  getLessons: endpoint({ method: "GET", path: "/lessons", query: LessonListQuery, response: LessonListOut }),
  postLessons: endpoint({ method: "POST", path: "/lessons", body: LessonIn, response: LessonOut, status: 201 }),
  getLessonsById: endpoint({ method: "GET", path: "/lessons/:id", params: Id, response: LessonOut }),
  putLessonsById: endpoint({
    method: "PUT",
    path: "/lessons/:id",
    params: Id,
    body: LessonUpdate,
    response: LessonOut,
  }),
  deleteLessonsById: endpoint({ method: "DELETE", path: "/lessons/:id", params: Id, response: DeletedOut }),
  getRetrospectives: endpoint({ method: "GET", path: "/retrospectives", response: RetrospectiveListOut }),
  postRetrospectives: endpoint({
    method: "POST",
    path: "/retrospectives",
    body: RetrospectiveIn,
    response: RetrospectiveOut,
    status: 201,
  }),
  getRetrospectivesById: endpoint({
    method: "GET",
    path: "/retrospectives/:id",
    params: Id,
    response: RetrospectiveOut,
  }),
  putRetrospectivesById: endpoint({
    method: "PUT",
    path: "/retrospectives/:id",
    params: Id,
    body: RetrospectiveUpdate,
    response: RetrospectiveOut,
  }),
  postRetrospectivesItemsLesson: endpoint({
    method: "POST",
    path: "/retrospectives/:id/items/:itemId/lesson",
    params: ItemParams,
    body: ItemLessonIn,
    response: LessonOut,
    status: 201,
  }),
};
