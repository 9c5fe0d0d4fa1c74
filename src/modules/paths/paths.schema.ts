import { z } from "zod";
import { endpoint } from "../../platform/endpoints";
import { DateTime, PersonRef, QueryText, Version, VersionParam } from "../../platform/contracts";
import { normaliseTags } from "../knowledge/articles.schema";

const Title = z.string().trim().min(3, "must be at least 3 characters").max(160, "must be at most 160 characters");
const Topics = z
  .array(z.string().trim().min(1, "must not be empty").max(40, "must be at most 40 characters"))
  .max(10, "at most 10 topics")
  .transform(normaliseTags);
const DateOnly = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date (YYYY-MM-DD)")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), "must be a real date");

export const PathIn = z.object({
  title: Title,
  goal: z.string().trim().max(5000, "must be at most 5,000 characters").default(""),
  audience: z.string().trim().max(300, "must be at most 300 characters").default(""),
  topics: Topics.default([]),
});
export const PathPatch = z.object({
  version: Version,
  title: Title.optional(),
  goal: z.string().trim().max(5000, "must be at most 5,000 characters").optional(),
  audience: z.string().trim().max(300, "must be at most 300 characters").optional(),
  topics: Topics.optional(),
  status: z.enum(["draft", "published", "archived"]).optional(),
});

const Option = z.string().trim().min(1, "must not be empty").max(300, "must be at most 300 characters");
export const CheckIn = z.discriminatedUnion("type", [
  z.object({
    type: z.enum(["single", "multiple"]),
    question: z.string().trim().min(3, "ask a question").max(500, "must be at most 500 characters"),
    options: z.array(Option).min(2, "give at least 2 options").max(8, "at most 8 options"),
    correct: z
      .array(z.number().int("must be an option's index").min(0, "must be an option's index"))
      .min(1, "mark at least one correct option"),
  }),
  z.object({
    type: z.literal("short"),
    question: z.string().trim().min(3, "ask a question").max(500, "must be at most 500 characters"),
    modelAnswer: z.string().trim().min(1, "give a model answer").max(2000, "must be at most 2,000 characters"),
  }),
]);
export type CheckIn = z.infer<typeof CheckIn>;

const StepKind = z.enum(["article", "question", "lesson", "attachment", "session_file", "link"]);
export const StepIn = z.object({
  version: Version,
  kind: StepKind,
  /** What the step points at (not for a link). */
  targetId: z.string().uuid("must be an id").optional(),
  /** An outside link (link steps only): http or https. */
  url: z
    .string()
    .trim()
    .max(2000, "must be at most 2,000 characters")
    .regex(/^https?:\/\/\S+$/i, "must be an http:// or https:// address")
    .optional(),
  title: z.string().trim().max(160, "must be at most 160 characters").default(""),
  note: z.string().trim().max(5000, "must be at most 5,000 characters").default(""),
  check: CheckIn.nullable().default(null),
  reflectionPrompt: z.string().trim().max(500, "must be at most 500 characters").default(""),
});
export const StepPatch = z.object({
  version: Version,
  title: z.string().trim().max(160, "must be at most 160 characters").optional(),
  note: z.string().trim().max(5000, "must be at most 5,000 characters").optional(),
  check: CheckIn.nullable().optional(),
  reflectionPrompt: z.string().trim().max(500, "must be at most 500 characters").optional(),
  /** The owner looked at the step again after its knowledge changed: the review request goes. */
  reviewed: z.literal(true).optional(),
});
export const StepOrderIn = z.object({
  version: Version,
  stepIds: z.array(z.string().uuid("must be a step id")).min(1, "name the steps").max(200, "at most 200 steps"),
});
export const VersionQuery = z.object({ version: VersionParam });
export const FromSpaceIn = z.object({ spaceId: z.string().uuid("must be a space id") });
export const AssignIn = z.object({
  userIds: z.array(z.string().uuid("must be a person id")).min(1, "name at least one person").max(500, "at most 500"),
  dueOn: DateOnly.nullable().default(null),
});
export const CompleteIn = z.object({
  /** A choice check: the chosen options' indexes. */
  choices: z.array(z.number().int().min(0)).max(8).optional(),
  /** A short-answer check: the learner's answer and how they assess it against the model answer. */
  text: z.string().trim().max(2000, "must be at most 2,000 characters").optional(),
  selfAssessment: z.enum(["yes", "partly", "no"]).optional(),
});
export const ReflectionIn = z.object({
  body: z.string().trim().min(1, "write something").max(10_000, "must be at most 10,000 characters"),
});
export const CandidatesQuery = z.object({ q: QueryText.default("") });

export const PathParams = z.object({ id: z.string().uuid("must be a path id") });
export const StepParams = z.object({
  id: z.string().uuid("must be a path id"),
  stepId: z.string().uuid("must be a step id"),
});

const CheckOut = z.discriminatedUnion("type", [
  z.object({
    type: z.enum(["single", "multiple"]),
    question: z.string(),
    options: z.array(z.string()),
    /** Only for those who edit the path, or once the learner has answered. */
    correct: z.array(z.number()).nullable(),
  }),
  z.object({
    type: z.literal("short"),
    question: z.string(),
    /** Shown to editors, and to a learner once they have written their answer. */
    modelAnswer: z.string().nullable(),
  }),
]);
const StepState = z.enum(["ok", "expired", "superseded", "revised", "removed"]);
export const StepOut = z.object({
  id: z.string(),
  position: z.number(),
  kind: StepKind,
  /** false: the step points at knowledge this reader may not read; nothing of it is shown. */
  accessible: z.boolean(),
  targetId: z.string().nullable(),
  title: z.string().nullable(),
  /** Where the step opens in the web app (or the outside link); null when not accessible. */
  href: z.string().nullable(),
  /** Where the target lives (a space's name, "Whole organisation", a session's title). */
  where: z.string().nullable(),
  note: z.string(),
  noteHtml: z.string(),
  check: CheckOut.nullable(),
  reflectionPrompt: z.string(),
  /** The state of the knowledge behind it: changed since the owner last reviewed the step? */
  state: StepState,
  stateText: z.string().nullable(),
  needsReview: z.boolean(),
  mine: z
    .object({
      completedAt: DateTime.nullable(),
      attempts: z.number(),
      passed: z.boolean().nullable(),
      answer: z.unknown().nullable(),
    })
    .nullable(),
});
export type StepOut = z.infer<typeof StepOut>;

const EnrolmentOut = z.object({
  enrolledAt: DateTime,
  assignedBy: PersonRef.nullable(),
  dueOn: z.string().nullable(),
  overdue: z.boolean(),
  completedAt: DateTime.nullable(),
  lastStepId: z.string().nullable(),
  /** The first accessible step not completed (where "resume" goes); null when complete. */
  nextStepId: z.string().nullable(),
  done: z.number(),
  total: z.number(),
});

export const PathOut = z.object({
  id: z.string(),
  title: z.string(),
  goal: z.string(),
  goalHtml: z.string(),
  audience: z.string(),
  topics: z.array(z.string()),
  owner: PersonRef,
  status: z.enum(["draft", "published", "archived"]),
  version: z.number(),
  createdAt: DateTime,
  updatedAt: DateTime,
  steps: z.array(StepOut),
  /** Steps whose knowledge expired, was revised or superseded since the owner reviewed them. */
  stepsToReview: z.number(),
  learners: z.number(),
  completions: z.number(),
  mine: EnrolmentOut.nullable(),
  can: z.object({ edit: z.boolean(), enrol: z.boolean(), assign: z.boolean(), analytics: z.boolean() }),
});
export type PathOut = z.infer<typeof PathOut>;

const PathCard = z.object({
  id: z.string(),
  title: z.string(),
  audience: z.string(),
  topics: z.array(z.string()),
  owner: PersonRef,
  status: z.enum(["draft", "published", "archived"]),
  steps: z.number(),
  stepsToReview: z.number(),
  learners: z.number(),
  mine: z
    .object({
      done: z.number(),
      total: z.number(),
      dueOn: z.string().nullable(),
      overdue: z.boolean(),
      completedAt: DateTime.nullable(),
    })
    .nullable(),
});
export const PathListOut = z.object({ items: z.array(PathCard) });

export const CandidatesOut = z.object({
  items: z.array(
    z.object({
      kind: StepKind,
      id: z.string(),
      title: z.string(),
      where: z.string(),
      /** Verified knowledge comes first. */
      verified: z.boolean(),
      superseded: z.boolean(),
    }),
  ),
});

export const CompleteOut = z.object({
  /** Whether this attempt passed its check (null: no check, or a short answer assessed "partly"/"no"). */
  passed: z.boolean().nullable(),
  completed: z.boolean(),
  path: PathOut,
});
export const AssignOut = z.object({
  assigned: z.number(),
  /** Already on the path: their due date was updated. */
  updated: z.number(),
});
export const AnalyticsOut = z.object({
  learners: z.number(),
  completed: z.number(),
  /** Median days from enrolment to completion (null: nobody completed). */
  medianDaysToComplete: z.number().nullable(),
  funnel: z.array(
    z.object({
      stepId: z.string(),
      position: z.number(),
      title: z.string(),
      completed: z.number(),
      /** Share of first attempts that passed the step's check (null: no check or no attempt). */
      passRate: z.number().nullable(),
      attempts: z.number(),
    }),
  ),
  overdue: z.array(z.object({ person: PersonRef, dueOn: z.string(), done: z.number(), total: z.number() })),
});
export const DueOut = z.object({
  /** Paths assigned to me and not completed, soonest due first. */
  due: z.array(
    z.object({
      pathId: z.string(),
      title: z.string(),
      assignedBy: z.string().nullable(),
      dueOn: z.string().nullable(),
      /** Due within 7 days. */
      dueSoon: z.boolean(),
      overdue: z.boolean(),
      done: z.number(),
      total: z.number(),
    }),
  ),
  /** My paths with steps to review because their knowledge changed. */
  toReview: z.array(z.object({ pathId: z.string(), title: z.string(), steps: z.number() })),
});

/** The endpoints of paths.routes.ts. */
export const pathsEndpoints = {
  getPaths: endpoint({ method: "GET", path: "/paths", response: PathListOut }),
  postPaths: endpoint({ method: "POST", path: "/paths", body: PathIn, response: PathOut, status: 201 }),
  postFromSpace: endpoint({
    method: "POST",
    path: "/paths/from-space",
    body: FromSpaceIn,
    response: PathOut,
    status: 201,
  }),
  getCandidates: endpoint({
    method: "GET",
    path: "/paths/step-candidates",
    query: CandidatesQuery,
    response: CandidatesOut,
  }),
  getDue: endpoint({ method: "GET", path: "/paths/due", response: DueOut }),
  getPath: endpoint({ method: "GET", path: "/paths/:id", params: PathParams, response: PathOut }),
  patchPath: endpoint({ method: "PATCH", path: "/paths/:id", params: PathParams, body: PathPatch, response: PathOut }),
  postStep: endpoint({
    method: "POST",
    path: "/paths/:id/steps",
    params: PathParams,
    body: StepIn,
    response: PathOut,
    status: 201,
  }),
  putStepOrder: endpoint({
    method: "PUT",
    path: "/paths/:id/steps/order",
    params: PathParams,
    body: StepOrderIn,
    response: PathOut,
  }),
  patchStep: endpoint({
    method: "PATCH",
    path: "/paths/:id/steps/:stepId",
    params: StepParams,
    body: StepPatch,
    response: PathOut,
  }),
  deleteStep: endpoint({
    method: "DELETE",
    path: "/paths/:id/steps/:stepId",
    params: StepParams,
    query: VersionQuery,
    response: PathOut,
  }),
  postEnrol: endpoint({ method: "POST", path: "/paths/:id/enrol", params: PathParams, response: PathOut }),
  deleteEnrol: endpoint({ method: "DELETE", path: "/paths/:id/enrol", params: PathParams, response: PathOut }),
  postAssign: endpoint({
    method: "POST",
    path: "/paths/:id/assign",
    params: PathParams,
    body: AssignIn,
    response: AssignOut,
  }),
  postComplete: endpoint({
    method: "POST",
    path: "/paths/:id/steps/:stepId/complete",
    params: StepParams,
    body: CompleteIn,
    response: CompleteOut,
  }),
  postReflection: endpoint({
    method: "POST",
    path: "/paths/:id/steps/:stepId/reflection",
    params: StepParams,
    body: ReflectionIn,
    response: z.object({ entryId: z.string() }),
    status: 201,
  }),
  getAnalytics: endpoint({ method: "GET", path: "/paths/:id/analytics", params: PathParams, response: AnalyticsOut }),
};
