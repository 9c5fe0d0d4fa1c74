import { z } from "zod";
import { endpoint } from "../../platform/endpoints";
import { DateTime, OkOut, PersonRef } from "../../platform/contracts";
import { normaliseTags } from "../knowledge/articles.schema";

const Joining = z.enum(["open", "request"], "must be open or request");
const Visibility = z.enum(["everyone", "members"], "must be everyone or members");
const Role = z.enum(["lead", "member", "pending", "invited"]);
const Topics = z
  .array(z.string().trim().min(1, "must not be empty").max(40, "must be at most 40 characters"))
  .min(1, "name at least one topic")
  .max(10, "at most 10 topics")
  .transform(normaliseTags);

export const CommunityIn = z.object({
  name: z.string().trim().min(3, "must be at least 3 characters").max(80, "must be at most 80 characters"),
  purpose: z.string().trim().max(5000, "must be at most 5,000 characters").default(""),
  topics: Topics,
  joining: Joining.default("open"),
  visibility: Visibility.default("everyone"),
});
/**
 * Settings a lead changes; `etag` is the one the community was read with (a change by someone else
 * since answers 409). Fields left out keep their value.
 */
export const CommunityUpdateIn = z.object({
  etag: z.string().min(1, "is required: the etag the community was read with").max(64, "must be at most 64 characters"),
  name: CommunityIn.shape.name.optional(),
  purpose: z.string().trim().max(5000, "must be at most 5,000 characters").optional(),
  topics: Topics.optional(),
  joining: Joining.optional(),
  visibility: Visibility.optional(),
});
/** A problem in words (and optional comma-separated tags): which communities to ask about it. */
export const ProblemQuery = z.object({
  q: z.string().trim().min(3, "describe the problem in a few words").max(5000, "must be at most 5,000 characters"),
  tags: z.string().max(1000, "must be at most 1,000 characters").default(""),
});
export const PersonParams = z.object({ id: z.string().uuid("must be a person id") });
/** Create a community from a candidate topic (knowledge managers and admins); its seed people are invited. */
export const CandidateIn = z.object({
  topic: z.string().trim().min(1, "is required").max(40, "must be at most 40 characters"),
  name: CommunityIn.shape.name.optional(),
});
export const CommunityIdParams = z.object({ id: z.string().uuid("must be a community id") });
export const MemberParams = z.object({
  id: z.string().uuid("must be a community id"),
  userId: z.string().uuid("must be a person id"),
});
export const PinParams = z.object({
  id: z.string().uuid("must be a community id"),
  pinId: z.string().uuid("must be a pin id"),
});
/** Approve a request, add someone, or make a lead (leads and admins). */
export const MemberIn = z.object({ role: z.enum(["member", "lead"], "must be member or lead") });
export const FollowQuestionsIn = z.object({ follow: z.boolean() });
const ItemType = z.enum(["article", "question", "lesson", "post"], "must be article, question, lesson or post");
export const PinIn = z.object({ type: ItemType, id: z.string().uuid("must be an item id") });

export const CommunityOut = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  purpose: z.string(),
  purposeHtml: z.string(),
  topics: z.array(z.string()),
  joining: Joining,
  visibility: Visibility,
  memberCount: z.number(),
  /** The reader's place in it (null: not a member). */
  myRole: Role.nullable(),
  followingQuestions: z.boolean(),
  can: z.object({
    read: z.boolean(),
    join: z.boolean(),
    request: z.boolean(),
    leave: z.boolean(),
    ask: z.boolean(),
    post: z.boolean(),
    followQuestions: z.boolean(),
    update: z.boolean(),
    manageMembers: z.boolean(),
    pin: z.boolean(),
    announce: z.boolean(),
    accept: z.boolean(),
    decline: z.boolean(),
  }),
  /** Of its settings: send it back with a change (PATCH) so that a change made meanwhile is not overwritten. */
  etag: z.string(),
  createdAt: DateTime,
});
export type CommunityOut = z.infer<typeof CommunityOut>;
export const CommunityListOut = z.object({ items: z.array(CommunityOut) });

const FeedItem = z.object({
  type: ItemType,
  id: z.string(),
  title: z.string(),
  excerpt: z.string(),
  /** null for an anonymous lesson. */
  author: PersonRef.nullable(),
  tags: z.array(z.string()),
  at: DateTime,
  /** Addressed to or posted into this community (otherwise: found by its topics). */
  direct: z.boolean(),
});
const OpenQuestion = z.object({
  id: z.string(),
  title: z.string(),
  tags: z.array(z.string()),
  author: PersonRef,
  createdAt: DateTime,
  direct: z.boolean(),
});
const Member = z.object({
  id: z.string(),
  name: z.string(),
  title: z.string(),
  department: z.string(),
  role: Role,
  /** Evidence on the community's topics the reader may see: answers (accepted of them) and articles. */
  evidence: z.object({ answers: z.number(), accepted: z.number(), articles: z.number() }),
});
const Pin = z.object({ id: z.string(), type: ItemType, itemId: z.string(), title: z.string(), pinnedAt: DateTime });
export const HealthOut = z.object({
  months: z.array(
    z.object({
      month: z.string(),
      activeMembers: z.number(),
      questions: z.number(),
      medianHoursToFirstAnswer: z.number().nullable(),
    }),
  ),
  crossDepartment: z.object({ crossed: z.number(), counted: z.number(), share: z.number().nullable() }),
});
export const CommunityPageOut = CommunityOut.extend({
  pins: z.array(Pin),
  openQuestions: z.array(OpenQuestion),
  feed: z.array(FeedItem),
  members: z.array(Member),
  /** Requests waiting for a lead: only leads and admins see them. */
  requests: z.array(PersonRef),
  /** People invited who have not answered yet: only leads and admins see them. */
  invited: z.array(PersonRef),
  health: HealthOut,
});
export type CommunityPageOut = z.infer<typeof CommunityPageOut>;
export const SuggestionsOut = z.object({
  items: z.array(z.object({ community: CommunityOut, score: z.number(), reasons: z.array(z.string()) })),
});

export const PersonCommunitiesOut = z.object({
  items: z.array(z.object({ community: CommunityOut, role: z.enum(["lead", "member"]) })),
});
const Seed = PersonRef.extend({ department: z.string(), answers: z.number(), accepted: z.number() });
export const CandidatesOut = z.object({
  items: z.array(
    z.object({
      topic: z.string(),
      /** Answers on the topic that crossed a department boundary. */
      exchanges: z.number(),
      departments: z.array(z.string()),
      /** The most helpful people on the topic: they would be invited. */
      seeds: z.array(Seed),
    }),
  ),
});
/** An invitation: the community (its name and topics, also when members-only) and who invited. */
export const InvitationsOut = z.object({
  items: z.array(z.object({ community: CommunityOut, invitedAt: DateTime })),
});

/** The endpoints of communities.routes.ts. */
export const communitiesEndpoints = {
  getCommunities: endpoint({ method: "GET", path: "/communities", response: CommunityListOut }),
  postCommunities: endpoint({ method: "POST", path: "/communities", body: CommunityIn, response: CommunityOut }),
  getCommunitiesSuggestions: endpoint({ method: "GET", path: "/communities/suggestions", response: SuggestionsOut }),
  getCommunitiesForProblem: endpoint({
    method: "GET",
    path: "/communities/for-problem",
    query: ProblemQuery,
    response: SuggestionsOut,
  }),
  getCommunitiesCandidates: endpoint({ method: "GET", path: "/communities/candidates", response: CandidatesOut }),
  postCommunitiesCandidates: endpoint({
    method: "POST",
    path: "/communities/candidates",
    body: CandidateIn,
    response: CommunityOut,
  }),
  getCommunitiesInvitations: endpoint({
    method: "GET",
    path: "/communities/invitations",
    response: InvitationsOut,
  }),
  getPeopleCommunities: endpoint({
    method: "GET",
    path: "/people/:id/communities",
    params: PersonParams,
    response: PersonCommunitiesOut,
  }),
  patchCommunitiesById: endpoint({
    method: "PATCH",
    path: "/communities/:id",
    params: CommunityIdParams,
    body: CommunityUpdateIn,
    response: CommunityOut,
  }),
  postCommunitiesAccept: endpoint({
    method: "POST",
    path: "/communities/:id/accept",
    params: CommunityIdParams,
    response: CommunityOut,
  }),
  postCommunitiesDecline: endpoint({
    method: "POST",
    path: "/communities/:id/decline",
    params: CommunityIdParams,
    response: OkOut,
  }),
  getCommunitiesById: endpoint({
    method: "GET",
    path: "/communities/:id",
    params: CommunityIdParams,
    response: CommunityPageOut,
  }),
  postCommunitiesJoin: endpoint({
    method: "POST",
    path: "/communities/:id/join",
    params: CommunityIdParams,
    response: CommunityOut,
  }),
  postCommunitiesLeave: endpoint({
    method: "POST",
    path: "/communities/:id/leave",
    params: CommunityIdParams,
    response: OkOut,
  }),
  putCommunitiesFollow: endpoint({
    method: "PUT",
    path: "/communities/:id/follow",
    params: CommunityIdParams,
    body: FollowQuestionsIn,
    response: CommunityOut,
  }),
  putCommunitiesMembersByUserId: endpoint({
    method: "PUT",
    path: "/communities/:id/members/:userId",
    params: MemberParams,
    body: MemberIn,
    response: OkOut,
  }),
  deleteCommunitiesMembersByUserId: endpoint({
    method: "DELETE",
    path: "/communities/:id/members/:userId",
    params: MemberParams,
    response: OkOut,
  }),
  postCommunitiesPins: endpoint({
    method: "POST",
    path: "/communities/:id/pins",
    params: CommunityIdParams,
    body: PinIn,
    response: OkOut,
  }),
  deleteCommunitiesPinsByPinId: endpoint({
    method: "DELETE",
    path: "/communities/:id/pins/:pinId",
    params: PinParams,
    response: OkOut,
  }),
};
