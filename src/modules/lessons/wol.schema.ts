import { z } from "zod";
import { DateTime, DeletedOut, PersonRef, SpaceRef } from "../../platform/contracts";
import { LessonOut, Tags } from "./lessons.schema";
import { endpoint } from "../../platform/endpoints";

export const REACTIONS = ["👍", "💡", "🎉", "❤️", "🙏"] as const;
const Practice = z.enum(
  ["experience", "practice", "conversation", "reflection"],
  "must be experience, practice, conversation or reflection",
);
const FollowType = z.enum(["person", "tag", "space"]);

export const FeedQuery = z.object({
  scope: z.enum(["following", "everyone"]).default("following"),
  tag: z.string().max(60).optional(),
  authorId: z.string().uuid().optional(),
  before: z.string().datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export const PostIn = z.object({
  kind: z.enum(["working_on", "learned"], "must be working_on or learned"),
  body: z.string().trim().min(1, "is required").max(5000, "must be at most 5,000 characters"),
  tags: Tags,
  spaceId: z.string().uuid().nullable().optional(),
  /** Posted into a community (its members post; not together with a space). */
  communityId: z.string().uuid("must be a community id").nullable().optional(),
});
export const ReactionIn = z.object({ emoji: z.enum(REACTIONS, `must be one of ${REACTIONS.join(" ")}`) });
export const PostCommentIn = z.object({ body: z.string().trim().min(1, "is required").max(2000) });
export const FollowIn = z.object({ type: FollowType, target: z.string().trim().min(1).max(120), follow: z.boolean() });
export const JournalIn = z.object({
  practice: Practice,
  prompt: z.string().trim().max(300).default(""),
  body: z.string().trim().min(1, "write something").max(20_000),
});
export const ShareIn = z.object({ tags: Tags, spaceId: z.string().uuid().nullable().optional() });
export const EntryLessonIn = z.object({
  title: z.string().trim().min(5, "must be at least 5 characters").max(200),
  tags: Tags,
  anonymous: z.boolean().default(false),
  spaceId: z.string().uuid().nullable().optional(),
});
export const LearningQuery = z.object({ months: z.coerce.number().int().min(1).max(24).default(6) });

export const PostOut = z.object({
  id: z.string(),
  kind: z.enum(["working_on", "learned"]),
  body: z.string(),
  html: z.string(),
  tags: z.array(z.string()),
  /** null: shared with everyone. */
  space: SpaceRef.nullable(),
  /** The community it was posted into (null: none). */
  communityId: z.string().nullable(),
  author: z.object({ id: z.string(), name: z.string(), title: z.string() }),
  createdAt: DateTime,
  reactions: z.array(z.object({ emoji: z.enum(REACTIONS), count: z.number(), mine: z.boolean() })),
  comments: z.array(z.object({ id: z.string(), body: z.string(), author: PersonRef, createdAt: DateTime })),
  can: z.object({ react: z.boolean(), comment: z.boolean(), delete: z.boolean() }),
});
export type PostOut = z.infer<typeof PostOut>;
export const FollowsOut = z.object({ following: z.array(z.object({ type: FollowType, target: z.string() })) });
export const FeedOut = FollowsOut.extend({ items: z.array(PostOut) });
export const JournalOut = z.object({
  prompts: z.array(z.object({ practice: Practice, prompt: z.string() })),
  items: z.array(
    z.object({
      id: z.string(),
      practice: Practice,
      prompt: z.string(),
      body: z.string(),
      html: z.string(),
      sharedPostId: z.string().nullable(),
      lessonId: z.string().nullable(),
      createdAt: DateTime,
    }),
  ),
});
const Modes = z.object({ experience: z.number(), social: z.number(), formal: z.number() });
/** 70-20-10: learning from experience, from others, and formal learning, per month. */
export const LearningOut = z.object({
  months: z.array(Modes.extend({ month: z.string() })),
  totals: Modes,
  byKind: z.record(z.string(), z.number()),
  formalNote: z.string(),
});

const Id = z.object({ id: z.string().uuid() });
/** The endpoints of wol.routes.ts. */
export const wolEndpoints = {
  getFeed: endpoint({ method: "GET", path: "/feed", query: FeedQuery, response: FeedOut }),
  postPosts: endpoint({ method: "POST", path: "/posts", body: PostIn, response: PostOut, status: 201 }),
  getPostsById: endpoint({ method: "GET", path: "/posts/:id", params: Id, response: PostOut }),
  deletePostsById: endpoint({ method: "DELETE", path: "/posts/:id", params: Id, response: DeletedOut }),
  postPostsReactions: endpoint({
    method: "POST",
    path: "/posts/:id/reactions",
    params: Id,
    body: ReactionIn,
    response: PostOut,
  }),
  postPostsComments: endpoint({
    method: "POST",
    path: "/posts/:id/comments",
    params: Id,
    body: PostCommentIn,
    response: PostOut,
    status: 201,
  }),
  getMeFollows: endpoint({ method: "GET", path: "/me/follows", response: FollowsOut }),
  putMeFollows: endpoint({ method: "PUT", path: "/me/follows", body: FollowIn, response: FollowsOut }),
  getJournal: endpoint({ method: "GET", path: "/journal", response: JournalOut }),
  postJournal: endpoint({ method: "POST", path: "/journal", body: JournalIn, response: JournalOut, status: 201 }),
  postJournalShare: endpoint({
    method: "POST",
    path: "/journal/:id/share",
    params: Id,
    body: ShareIn,
    response: PostOut,
    status: 201,
  }),
  postJournalLesson: endpoint({
    method: "POST",
    path: "/journal/:id/lesson",
    params: Id,
    body: EntryLessonIn,
    response: LessonOut,
    status: 201,
  }),
  getPeopleLearning: endpoint({
    method: "GET",
    path: "/people/:id/learning",
    params: Id,
    query: LearningQuery,
    response: LearningOut,
  }),
};
