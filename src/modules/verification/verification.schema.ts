import { z } from "zod";
import { DateTime, LinkedItemOut, PersonRef, SpaceRef, VerificationState } from "../../platform/contracts";
import { endpoint } from "../../platform/endpoints";

const SubjectType = z.enum(["article", "answer"], "must be article or answer");
const Interval = z
  .number()
  .int("must be whole days")
  .min(7, "must be at least 7 days")
  .max(1095, "must be at most 3 years");

export const SubjectParams = z.object({ type: SubjectType, id: z.string().uuid() });
export const VerifyIn = z.object({ note: z.string().trim().max(500, "must be at most 500 characters").default("") });
export const ConfigureIn = z.object({
  ownerId: z.string().uuid("must be a person id").nullable().optional(),
  ownerDepartment: z.string().trim().max(120).nullable().optional(),
  intervalDays: Interval.optional(),
});
export const ReportQuery = z.object({
  state: z.enum(["due", "expired", "attention", "all"]).default("attention"),
  spaceId: z.string().uuid().optional(),
  ownerId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const BulkIn = z.object({
  items: z
    .array(z.object({ type: z.enum(["article", "answer"]), id: z.string().uuid() }))
    .min(1, "select at least one item")
    .max(500, "at most 500 at once"),
  action: z.enum(["verify", "assign", "interval"], "must be verify, assign or interval"),
  ownerId: z.string().uuid("must be a person id").nullable().optional(),
  ownerDepartment: z.string().trim().max(120).nullable().optional(),
  intervalDays: Interval.optional(),
  note: z.string().trim().max(500).optional(),
});
export const ChallengesQuery = z.object({ subjectType: z.enum(["article", "answer"]), subjectId: z.string().uuid() });
export const ChallengeIn = z.object({
  subjectType: SubjectType,
  subjectId: z.string().uuid("must be an article or answer id"),
  claim: z
    .string()
    .trim()
    .min(10, "say what is wrong or outdated (at least 10 characters)")
    .max(2000, "must be at most 2,000 characters"),
  evidence: z.string().trim().max(5000, "must be at most 5,000 characters").default(""),
});
export const ResolveIn = z.object({
  outcome: z.enum(["revised", "superseded", "dismissed"], "must be revised, superseded or dismissed"),
  response: z.string().trim().max(2000, "must be at most 2,000 characters").default(""),
  supersededById: z.string().uuid("must be an article id").optional(),
});

/** Who keeps a piece of knowledge true: a person, or a department (group). */
const OwnerOut = z.discriminatedUnion("type", [
  z.object({ type: z.literal("person"), id: z.string(), name: z.string() }),
  z.object({ type: z.literal("group"), department: z.string() }),
]);
export const VerificationOut = z.object({
  subjectType: z.enum(["article", "answer"]),
  subjectId: z.string(),
  state: VerificationState,
  superseded: z.boolean(),
  supersededBy: LinkedItemOut.nullable(),
  verifiedAt: DateTime.nullable(),
  verifiedBy: PersonRef.nullable(),
  verifiedUntil: DateTime,
  intervalDays: z.number(),
  note: z.string(),
  owner: OwnerOut,
  canVerify: z.boolean(),
  canManage: z.boolean(),
  canChallenge: z.boolean(),
});
export type VerificationOut = z.infer<typeof VerificationOut>;

/** "What changed since you read it": a revision or a superseding article. */
export const NoticeOut = z.object({
  id: z.string(),
  articleId: z.string(),
  title: z.string(),
  kind: z.enum(["revised", "superseded"]),
  fromVersion: z.number(),
  toVersion: z.number(),
  summary: z.string(),
  claim: z.string(),
  supersededBy: LinkedItemOut.nullable(),
  createdAt: DateTime,
});
export const NoticesOut = z.object({ items: z.array(NoticeOut) });
export const ReadsOut = z.object({
  items: z.array(z.object({ articleId: z.string(), title: z.string(), version: z.number(), readAt: DateTime })),
});

const Counts = z.object({ verified: z.number(), due: z.number(), expired: z.number(), total: z.number() });
/** One piece of knowledge in the verification report and the review list. */
const ReviewItemOut = z.object({
  type: z.enum(["article", "answer"]),
  id: z.string(),
  title: z.string(),
  url: z.string(),
  space: SpaceRef.nullable(),
  owner: OwnerOut,
  state: VerificationState,
  superseded: z.boolean(),
  verifiedAt: DateTime.nullable(),
  verifiedUntil: DateTime,
  intervalDays: z.number(),
});
export const ReportOut = z.object({
  totals: Counts,
  byOwner: z.array(Counts.extend({ key: z.string(), label: z.string() })),
  bySpace: z.array(Counts.extend({ key: z.string(), label: z.string() })),
  items: z.array(ReviewItemOut),
});
export const BulkOut = z.object({
  done: z.number(),
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
});
export const SpaceShareOut = Counts.extend({ share: z.number() });

export const ChallengeOut = z.object({
  id: z.string(),
  subjectType: z.enum(["article", "answer"]),
  subjectId: z.string(),
  author: PersonRef,
  claim: z.string(),
  evidence: z.string(),
  state: z.enum(["open", "overdue", "upheld", "dismissed"]),
  outcome: z.enum(["revised", "superseded"]).nullable(),
  response: z.string(),
  deadline: DateTime,
  escalated: z.boolean(),
  versionAt: z.number(),
  revisedVersion: z.number().nullable(),
  supersededBy: LinkedItemOut.nullable(),
  resolvedBy: PersonRef.nullable(),
  resolvedAt: DateTime.nullable(),
  createdAt: DateTime,
});
export const ChallengeListOut = z.object({ items: z.array(ChallengeOut) });
export const MyReviewOut = z.object({
  review: z.array(ReviewItemOut),
  challenges: z.array(ChallengeOut.extend({ subject: z.object({ title: z.string(), url: z.string() }) })),
});

const Id = z.object({ id: z.string().uuid() });
/** The endpoints of verification.routes.ts. */
export const verificationEndpoints = {
  getVerificationById: endpoint({
    method: "GET",
    path: "/verification/:type/:id",
    params: SubjectParams,
    response: VerificationOut,
  }),
  postVerificationVerify: endpoint({
    method: "POST",
    path: "/verification/:type/:id/verify",
    params: SubjectParams,
    body: VerifyIn,
    response: VerificationOut,
  }),
  putVerificationById: endpoint({
    method: "PUT",
    path: "/verification/:type/:id",
    params: SubjectParams,
    body: ConfigureIn,
    response: VerificationOut,
  }),
  getVerificationReport: endpoint({
    method: "GET",
    path: "/verification/report",
    query: ReportQuery,
    response: ReportOut,
  }),
  postVerificationBulk: endpoint({ method: "POST", path: "/verification/bulk", body: BulkIn, response: BulkOut }),
  getSpacesVerification: endpoint({
    method: "GET",
    path: "/spaces/:id/verification",
    params: Id,
    response: SpaceShareOut,
  }),
  getMeReview: endpoint({ method: "GET", path: "/me/review", response: MyReviewOut }),
  getChallenges: endpoint({ method: "GET", path: "/challenges", query: ChallengesQuery, response: ChallengeListOut }),
  postChallenges: endpoint({
    method: "POST",
    path: "/challenges",
    body: ChallengeIn,
    response: ChallengeOut,
    status: 201,
  }),
  postChallengesResolve: endpoint({
    method: "POST",
    path: "/challenges/:id/resolve",
    params: Id,
    body: ResolveIn,
    response: ChallengeOut,
  }),
  getMeReads: endpoint({ method: "GET", path: "/me/reads", response: ReadsOut }),
  deleteMeReads: endpoint({ method: "DELETE", path: "/me/reads", response: ReadsOut }),
  deleteMeReadsByArticleId: endpoint({
    method: "DELETE",
    path: "/me/reads/:articleId",
    params: z.object({ articleId: z.string().uuid() }),
    response: ReadsOut,
  }),
  getMeNotices: endpoint({ method: "GET", path: "/me/notices", response: NoticesOut }),
  postMeNoticesClear: endpoint({ method: "POST", path: "/me/notices/:id/clear", params: Id, response: NoticesOut }),
};
