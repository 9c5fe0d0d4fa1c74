/**
 * The API's response types, inferred from the server's zod contracts (src/modules/<feature>/*.schema.ts):
 * the same schemas every route serialises through, so the pages cannot drift from what is sent.
 * Type-only imports: nothing of the server ends up in the bundle.
 */
import type { z } from "zod";
import type { SessionOut, SessionPageOut } from "../../src/modules/sessions/sessions.schema";
import type {
  MentorshipCard as MentorshipCardOut,
  MentorshipPage as MentorshipPageOut,
  ProgrammePage as ProgrammePageOut,
} from "../../src/modules/mentoring/mentoring.schema";
import type { LinkedItemOut } from "../../src/platform/contracts";
import type { AnalyticsOut, PathOut } from "../../src/modules/paths/paths.schema";
import type { CohortOut } from "../../src/modules/paths/cohorts.schema";
import type { FeedbackListOut, FeedbackOut } from "../../src/modules/feedback/feedback.schema";
import type { ProposalOut, WorkgroupListOut, WorkgroupOut } from "../../src/modules/workgroups/workgroups.schema";
import type { DepartmentsOut, InvitationInfoOut } from "../../src/modules/accounts/accounts.schema";
import type {
  AvailabilityOut,
  ExpertiseProfileOut,
  ExpertOut,
  ExpertReasonOut,
} from "../../src/modules/expertise/expertise.schema";
import type { ArticleConflictOut } from "../../src/modules/knowledge/articles.schema";
import type { SpaceTreeOut } from "../../src/modules/knowledge/tree.schema";
import type { LessonOut, RetroItemOut, RetrospectiveOut } from "../../src/modules/lessons/lessons.schema";
import type { FeedOut, FollowsOut, JournalOut, LearningOut, PostOut } from "../../src/modules/lessons/wol.schema";
import type { NetworkOut } from "../../src/modules/network/network.schema";
import type { CommunityOut, CommunityPageOut } from "../../src/modules/communities/communities.schema";
import type { QuestionListOut, QuestionOut } from "../../src/modules/qa/qa.schema";
import type { InboxOut } from "../../src/modules/routing/routing.schema";
import type { ArticleCommentsOut } from "../../src/modules/knowledge/comments.schema";
import type { MentionsOut } from "../../src/modules/mentions/mentions.schema";
import type { SidekickOut } from "../../src/modules/sidekick/sidekick.schema";
import type { MembersOut } from "../../src/modules/spaces/spaces.schema";
import type { ProviderOut, SignInOptionsOut } from "../../src/modules/sso/sso.schema";
import type { ChallengeOut, NoticeOut, VerificationOut } from "../../src/modules/verification/verification.schema";

type Item<T extends { items: unknown[] }> = T["items"][number];

export type LinkedItem = z.infer<typeof LinkedItemOut>;
export type Departments = z.infer<typeof DepartmentsOut>;
export type InvitationInfo = z.infer<typeof InvitationInfoOut>;
/** A stale article save's 409: the newer article, the starting version and the three-way merge. */
export type ArticleConflict = z.infer<typeof ArticleConflictOut>;
export type Member = Item<z.infer<typeof MembersOut>>;
export type SpaceTree = z.infer<typeof SpaceTreeOut>;

export type Reason = z.infer<typeof ExpertReasonOut>;
export type Availability = z.infer<typeof AvailabilityOut>;
export type ExpertHit = z.infer<typeof ExpertOut>;
export type Expertise = z.infer<typeof ExpertiseProfileOut>;
export type Inbox = z.infer<typeof InboxOut>;
export type InboxItem = Item<Inbox>;
export type ArticleComments = z.infer<typeof ArticleCommentsOut>;
export type CommentThread = ArticleComments["threads"][number];
export type ArticleComment = CommentThread["comments"][number];
export type Mentions = z.infer<typeof MentionsOut>;
export type Mention = Item<Mentions>;

export type QuestionList = z.infer<typeof QuestionListOut>;
export type QuestionSummary = Item<QuestionList>;
export type Question = z.infer<typeof QuestionOut>;
export type Comment = Question["comments"][number];
export type Routing = NonNullable<Question["routing"]>;

export type Lesson = z.infer<typeof LessonOut>;
export type RetroItem = z.infer<typeof RetroItemOut>;
export type Retro = z.infer<typeof RetrospectiveOut>;
export type Post = z.infer<typeof PostOut>;
export type Feed = z.infer<typeof FeedOut>;
export type Follows = z.infer<typeof FollowsOut>;
export type Follow = Follows["following"][number];
export type Journal = z.infer<typeof JournalOut>;
export type Learning = z.infer<typeof LearningOut>;

export type NetworkView = z.infer<typeof NetworkOut>;

export type SidekickResult = z.infer<typeof SidekickOut>;

export type Verification = z.infer<typeof VerificationOut>;
export type VerificationState = Verification["state"];
export type Notice = z.infer<typeof NoticeOut>;
export type Challenge = z.infer<typeof ChallengeOut>;

export type Community = z.infer<typeof CommunityOut>;
export type CommunityPage = z.infer<typeof CommunityPageOut>;

export type SharingSession = z.infer<typeof SessionOut>;
export type SharingSessionPage = z.infer<typeof SessionPageOut>;

export type ProgrammePage = z.infer<typeof ProgrammePageOut>;
export type MentorshipCard = z.infer<typeof MentorshipCardOut>;
export type MentorshipPage = z.infer<typeof MentorshipPageOut>;
export type Feedback = z.infer<typeof FeedbackOut>;
export type FeedbackSummary = z.infer<typeof FeedbackListOut>["asked"][number];
export type LearningPath = z.infer<typeof PathOut>;
export type PathStep = LearningPath["steps"][number];
export type PathAnalytics = z.infer<typeof AnalyticsOut>;
export type Cohort = z.infer<typeof CohortOut>;
export type CohortUnit = Cohort["phases"][number]["units"][number];

export type Proposal = z.infer<typeof ProposalOut>;
export type ProposalMember = Proposal["members"][number];
export type Workgroup = z.infer<typeof WorkgroupOut>;
export type WorkgroupSummary = Item<z.infer<typeof WorkgroupListOut>>;
/** A single sign-on provider as admins see it (never its client secret). */
export type SsoProvider = z.infer<typeof ProviderOut>;
/** What the sign-in page offers: providers and whether the password form is shown. */
export type SignInOptions = z.infer<typeof SignInOptionsOut>;
