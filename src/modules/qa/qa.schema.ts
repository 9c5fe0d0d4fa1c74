import { z } from "zod";
import {
  DateTime,
  LinkedItemOut,
  Offset,
  PersonRef,
  RequestStatus,
  Version,
  QueryText,
} from "../../platform/contracts";
import { normaliseTags } from "../knowledge/articles.schema";
import { endpoint } from "../../platform/endpoints";

const Tags = z
  .array(z.string().max(60, "each tag must be at most 60 characters"))
  .max(10, "at most 10 tags")
  .transform(normaliseTags);
const Title = z.string().trim().min(5, "must be at least 5 characters").max(300, "must be at most 300 characters");
const Body = z.string().trim().min(1, "is required").max(100_000, "must be at most 100,000 characters");

export const QuestionIn = z.object({
  title: Title,
  body: Body,
  tags: Tags.default([]),
  spaceId: z.string().uuid("must be a space id").nullable().optional(),
  /** Addressed to a community (not together with a space): routing prefers its members. */
  communityId: z.string().uuid("must be a community id").nullable().optional(),
  /** Ask the best available colleagues right away (default); false only posts the question. */
  route: z.boolean().default(true),
});
export const QuestionUpdate = z.object({
  version: Version,
  title: Title,
  body: Body,
  tags: Tags.default([]),
  note: z.string().trim().max(300).default(""),
});
export const AnswerIn = z.object({ body: Body });
export const AnswerUpdate = z.object({ version: Version, body: Body, note: z.string().trim().max(300).default("") });
export const VoteIn = z.object({ value: z.union([z.literal(1), z.literal(-1), z.literal(0)]) });
export const AcceptIn = z.object({ answerId: z.string().uuid("must be an answer id").nullable() });
export const CommentIn = z.object({
  body: z.string().trim().min(1, "is required").max(2000, "must be at most 2,000 characters"),
});
export const DuplicateIn = z.object({ duplicateOfId: z.string().uuid("must be a question id") });
export const QuestionListQuery = z.object({
  q: QueryText.optional(),
  tag: z.string().max(60).optional(),
  sort: z.enum(["newest", "active", "unanswered", "votes"]).default("active"),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  offset: Offset.default(0),
});

const QuestionSummaryOut = z.object({
  id: z.string(),
  title: z.string(),
  excerpt: z.string(),
  tags: z.array(z.string()),
  score: z.number(),
  answerCount: z.number(),
  answered: z.boolean(),
  duplicate: z.boolean(),
  /** The original's id, only for readers who may read it. */
  duplicateOfId: z.string().nullable(),
  author: PersonRef,
  /** null: asked to the whole organisation. */
  spaceId: z.string().nullable(),
  /** The community it is addressed to (null: none). */
  communityId: z.string().nullable(),
  createdAt: DateTime,
  lastActivityAt: DateTime,
});
export const QuestionListOut = z.object({ total: z.number(), items: z.array(QuestionSummaryOut) });

/** An author of a question, answer or comment; `sourceUrl` links the profile an import came from. */
const Author = PersonRef.extend({ sourceUrl: z.string().nullable() });
const CommentOut = z.object({ id: z.string(), body: z.string(), author: Author, createdAt: DateTime });
/** Who was asked about a question and when (only for the asker, admins and the people asked). */
const RoutingOut = z.object({
  round: z.number(),
  escalateAt: DateTime.nullable(),
  asked: z.array(
    z.object({
      person: PersonRef,
      status: RequestStatus,
      round: z.number(),
      declineReason: z.string().nullable(),
      /** The name of who forwarded the request. */
      forwardedBy: z.string().nullable(),
      askedAt: DateTime,
      respondedAt: DateTime.nullable(),
    }),
  ),
});
const AnswerOut = z.object({
  id: z.string(),
  body: z.string(),
  html: z.string(),
  score: z.number(),
  version: z.number(),
  accepted: z.boolean(),
  author: Author,
  sourceUrl: z.string().nullable(),
  createdAt: DateTime,
  myVote: z.number(),
  can: z.object({ edit: z.boolean(), vote: z.boolean() }),
  comments: z.array(CommentOut),
});
/** A question with its answers and comments, as the reader may see and act on it (every write answers with it too). */
export const QuestionOut = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  html: z.string(),
  tags: z.array(z.string()),
  score: z.number(),
  version: z.number(),
  spaceId: z.string().nullable(),
  communityId: z.string().nullable(),
  author: Author,
  sourceUrl: z.string().nullable(),
  createdAt: DateTime,
  updatedAt: DateTime,
  acceptedAnswerId: z.string().nullable(),
  duplicateOf: LinkedItemOut.nullable(),
  closed: z.boolean(),
  routing: RoutingOut.nullable(),
  myVote: z.number(),
  can: z.object({
    edit: z.boolean(),
    answer: z.boolean(),
    accept: z.boolean(),
    vote: z.boolean(),
    comment: z.boolean(),
    close: z.boolean(),
  }),
  comments: z.array(CommentOut),
  answers: z.array(AnswerOut),
});
export type QuestionOut = z.infer<typeof QuestionOut>;

const Id = z.object({ id: z.string().uuid() });
/** The endpoints of qa.routes.ts. */
export const qaEndpoints = {
  getQuestions: endpoint({ method: "GET", path: "/questions", query: QuestionListQuery, response: QuestionListOut }),
  postQuestions: endpoint({ method: "POST", path: "/questions", body: QuestionIn, response: QuestionOut, status: 201 }),
  getQuestionsById: endpoint({ method: "GET", path: "/questions/:id", params: Id, response: QuestionOut }),
  putQuestionsById: endpoint({
    method: "PUT",
    path: "/questions/:id",
    params: Id,
    body: QuestionUpdate,
    response: QuestionOut,
  }),
  postQuestionsAnswers: endpoint({
    method: "POST",
    path: "/questions/:id/answers",
    params: Id,
    body: AnswerIn,
    response: QuestionOut,
    status: 201,
  }),
  putAnswersById: endpoint({
    method: "PUT",
    path: "/answers/:id",
    params: Id,
    body: AnswerUpdate,
    response: QuestionOut,
  }),
  postQuestionsVote: endpoint({
    method: "POST",
    path: "/questions/:id/vote",
    params: Id,
    body: VoteIn,
    response: QuestionOut,
  }),
  postAnswersVote: endpoint({
    method: "POST",
    path: "/answers/:id/vote",
    params: Id,
    body: VoteIn,
    response: QuestionOut,
  }),
  postQuestionsAccept: endpoint({
    method: "POST",
    path: "/questions/:id/accept",
    params: Id,
    body: AcceptIn,
    response: QuestionOut,
  }),
  postQuestionsComments: endpoint({
    method: "POST",
    path: "/questions/:id/comments",
    params: Id,
    body: CommentIn,
    response: QuestionOut,
    status: 201,
  }),
  postAnswersComments: endpoint({
    method: "POST",
    path: "/answers/:id/comments",
    params: Id,
    body: CommentIn,
    response: QuestionOut,
    status: 201,
  }),
  postQuestionsDuplicate: endpoint({
    method: "POST",
    path: "/questions/:id/duplicate",
    params: Id,
    body: DuplicateIn,
    response: QuestionOut,
  }),
};
