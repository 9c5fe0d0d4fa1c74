import { z } from "zod";
import { normaliseTags } from "../knowledge/articles.schema";
import { Offset, Version } from "../../platform/validation";

const Tags = z.array(z.string().max(60, "each tag must be at most 60 characters")).max(10, "at most 10 tags").transform(normaliseTags);
const Title = z.string().trim().min(5, "must be at least 5 characters").max(300, "must be at most 300 characters");
const Body = z.string().trim().min(1, "is required").max(100_000, "must be at most 100,000 characters");

export const QuestionIn = z.object({
  title: Title,
  body: Body,
  tags: Tags.default([]),
  spaceId: z.string().uuid("must be a space id").nullable().optional(),
  /** Ask the best available colleagues right away (default); false only posts the question. */
  route: z.boolean().default(true),
});
export const QuestionUpdate = z.object({ version: Version, title: Title, body: Body, tags: Tags.default([]), note: z.string().trim().max(300).default("") });
export const AnswerIn = z.object({ body: Body });
export const AnswerUpdate = z.object({ version: Version, body: Body, note: z.string().trim().max(300).default("") });
export const VoteIn = z.object({ value: z.union([z.literal(1), z.literal(-1), z.literal(0)]) });
export const AcceptIn = z.object({ answerId: z.string().uuid("must be an answer id").nullable() });
export const CommentIn = z.object({ body: z.string().trim().min(1, "is required").max(2000, "must be at most 2,000 characters") });
export const DuplicateIn = z.object({ duplicateOfId: z.string().uuid("must be a question id") });
export const QuestionListQuery = z.object({
  q: z.string().max(500).optional(),
  tag: z.string().max(60).optional(),
  sort: z.enum(["newest", "active", "unanswered", "votes"]).default("active"),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  offset: Offset.default(0),
});
