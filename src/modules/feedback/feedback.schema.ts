import { z } from "zod";
import { endpoint } from "../../platform/endpoints";
import { DateTime, OkOut, PersonRef } from "../../platform/contracts";
import { Tags } from "../lessons/lessons.schema";
import { TEXT_MAX } from "../../domain/feedback/feedback";

const SubjectKind = z.enum(["article", "decision", "project", "text"], "must be article, decision, project or text");
const QuestionKind = z.enum(["text", "scale"], "must be text or scale");

export const QuestionIn = z.object({
  kind: QuestionKind,
  prompt: z.string().trim().min(3, "must be at least 3 characters").max(300, "must be at most 300 characters"),
});
const Recipients = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("people"),
      userIds: z.array(z.string().uuid("must be a person id")).min(1, "name at least one person").max(100),
    }),
    /** The asker's direct reports. */
    z.object({ kind: z.literal("team") }),
    z.object({ kind: z.literal("department"), department: z.string().trim().min(1, "is required").max(100) }),
  ],
  "must be people, team or department",
);

export const FeedbackIn = z.object({
  subject: z.object({
    kind: SubjectKind,
    /** For kind "article": the article (the asker must be able to read it). */
    articleId: z.string().uuid("must be an article id").nullable().default(null),
    title: z.string().trim().min(3, "must be at least 3 characters").max(160, "must be at most 160 characters"),
    description: z.string().trim().max(10_000, "must be at most 10,000 characters").default(""),
  }),
  questions: z.array(QuestionIn).min(1, "ask at least one question").max(10, "at most 10 questions"),
  recipients: Recipients,
  anonymous: z.boolean().default(true),
  /** Required unless standing; must be in the future. */
  deadline: z
    .string()
    .datetime({ offset: true, message: "must be a date and time such as 2026-12-01T17:00:00Z" })
    .nullable()
    .default(null),
  /** A manager's standing "what should I hear?" request to their team: no deadline. */
  standing: z.boolean().default(false),
});

export const FeedbackIdParams = z.object({ id: z.string().uuid("must be a feedback request id") });
export const AnswerIn = z.object({
  /** One per question, in order: a whole number 1–5 for a scale, a text for a text question. */
  answers: z
    .array(z.object({ value: z.union([z.number(), z.string().max(4 * TEXT_MAX)]) }))
    .min(1, "answer the questions")
    .max(10),
});
export const ThanksIn = z.object({
  message: z.string().trim().min(1, "is required").max(2000, "must be at most 2,000 characters"),
});
export const ShareIn = z.object({
  /** The summary as the asker chooses to share it (the answers themselves are never posted). */
  body: z.string().trim().min(1, "is required").max(5000, "must be at most 5,000 characters"),
  tags: Tags,
});
export const FeedbackLessonIn = z.object({
  title: z.string().trim().min(5, "must be at least 5 characters").max(200, "must be at most 200 characters"),
  learned: z.string().trim().min(5, "say what you learned (at least 5 characters)").max(20_000),
  instead: z.string().trim().max(20_000).default(""),
  tags: Tags,
  spaceId: z.string().uuid("must be a space id").nullable().default(null),
});

const Question = z.object({ kind: QuestionKind, prompt: z.string() });
const Scale = z.object({
  count: z.number(),
  mean: z.number().nullable(),
  distribution: z.array(z.number()),
});

/** A request in a list: for the asker with its counts, for the people asked with their own state. */
export const FeedbackSummaryOut = z.object({
  id: z.string(),
  title: z.string(),
  subjectKind: SubjectKind,
  anonymous: z.boolean(),
  standing: z.boolean(),
  deadline: DateTime.nullable(),
  open: z.boolean(),
  /** Open and due within two days: a reminder. */
  dueSoon: z.boolean(),
  asker: PersonRef,
  /** The asker's: how many answered and how many answers are released (null for the people asked). */
  answered: z.number().nullable(),
  released: z.number().nullable(),
  recipientCount: z.number().nullable(),
  /** The person asked: whether they answered (this round, for a standing request; null for the asker). */
  myAnswered: z.boolean().nullable(),
  /** The asker's thanks, for those who answered (and the asker). */
  thanks: z.string().nullable(),
});
export const FeedbackListOut = z.object({
  /** Requests I made, newest first. */
  asked: z.array(FeedbackSummaryOut),
  /** Requests made of me: open ones first, soonest deadline first. */
  received: z.array(FeedbackSummaryOut),
});

export const FeedbackOut = FeedbackSummaryOut.extend({
  subject: z.object({
    kind: SubjectKind,
    title: z.string(),
    description: z.string(),
    descriptionHtml: z.string(),
    /** The article when the reader may read it; `hidden` when it is an article they may not read. */
    article: z.object({ id: z.string(), title: z.string() }).nullable(),
    articleHidden: z.boolean(),
  }),
  questions: z.array(Question),
  createdAt: DateTime,
  closedAt: DateTime.nullable(),
  /** The people asked, for the asker; named requests say who answered (null for anonymous ones). */
  recipients: z.array(PersonRef.extend({ answered: z.boolean().nullable() })),
  /** The released answers, for the asker alone (null for everyone else). */
  results: z
    .object({
      /** Per question: the scale summary, or the texts (anonymous: sorted, never in the order they came). */
      questions: z.array(Question.extend({ scale: Scale.nullable(), texts: z.array(z.string()) })),
      /** Named requests: each answer with its author and time. */
      named: z.array(
        z.object({ person: PersonRef, answeredAt: DateTime, values: z.array(z.union([z.number(), z.string()])) }),
      ),
    })
    .nullable(),
  can: z.object({
    read: z.boolean(),
    readAnswers: z.boolean(),
    answer: z.boolean(),
    thank: z.boolean(),
    close: z.boolean(),
    share: z.boolean(),
    makeLesson: z.boolean(),
  }),
});
export type FeedbackOut = z.infer<typeof FeedbackOut>;

/** The endpoints of feedback.routes.ts. */
export const feedbackEndpoints = {
  getFeedback: endpoint({ method: "GET", path: "/feedback", response: FeedbackListOut }),
  postFeedback: endpoint({ method: "POST", path: "/feedback", body: FeedbackIn, response: FeedbackOut, status: 201 }),
  getFeedbackById: endpoint({ method: "GET", path: "/feedback/:id", params: FeedbackIdParams, response: FeedbackOut }),
  postFeedbackAnswers: endpoint({
    method: "POST",
    path: "/feedback/:id/answers",
    params: FeedbackIdParams,
    body: AnswerIn,
    response: OkOut,
  }),
  postFeedbackThanks: endpoint({
    method: "POST",
    path: "/feedback/:id/thanks",
    params: FeedbackIdParams,
    body: ThanksIn,
    response: FeedbackOut,
  }),
  postFeedbackClose: endpoint({
    method: "POST",
    path: "/feedback/:id/close",
    params: FeedbackIdParams,
    response: FeedbackOut,
  }),
  postFeedbackPost: endpoint({
    method: "POST",
    path: "/feedback/:id/post",
    params: FeedbackIdParams,
    body: ShareIn,
    response: z.object({ postId: z.string() }),
  }),
  postFeedbackLesson: endpoint({
    method: "POST",
    path: "/feedback/:id/lesson",
    params: FeedbackIdParams,
    body: FeedbackLessonIn,
    response: z.object({ lessonId: z.string() }),
  }),
};
