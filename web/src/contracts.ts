/**
 * The API's response types, inferred from the server's zod contracts (src/modules/<feature>/*.schema.ts):
 * the same schemas every route serialises through, so the pages cannot drift from what is sent.
 * Type-only imports: nothing of the server ends up in the bundle.
 */
import type { z } from "zod";
import type { LinkedItemOut } from "../../src/platform/contracts";
import type {
  DepartmentsOut,
  InvitationInfoOut,
  InvitationListOut,
  InvitationOut,
  PeopleListOut,
  SetupStateOut,
} from "../../src/modules/accounts/accounts.schema";
import type { AuditOut } from "../../src/modules/audit/audit.schema";
import type {
  AvailabilityOut,
  ExpertiseProfileOut,
  ExpertOut,
  ExpertReasonOut,
  ExpertsOut,
} from "../../src/modules/expertise/expertise.schema";
import type { ArticleConflictOut, TrashOut } from "../../src/modules/knowledge/articles.schema";
import type { MovePageOut, SpaceTreeOut } from "../../src/modules/knowledge/tree.schema";
import type { PersonProfileOut } from "../../src/modules/knowledge/profile.schema";
import type {
  LessonListOut,
  LessonOut,
  RetroItemOut,
  RetrospectiveListOut,
  RetrospectiveOut,
} from "../../src/modules/lessons/lessons.schema";
import type { FeedOut, FollowsOut, JournalOut, LearningOut, PostOut } from "../../src/modules/lessons/wol.schema";
import type { DatasetsOut, NetworkOut } from "../../src/modules/network/network.schema";
import type {
  CommunityListOut,
  CommunityOut,
  CommunityPageOut,
  SuggestionsOut,
} from "../../src/modules/communities/communities.schema";
import type { QuestionListOut, QuestionOut } from "../../src/modules/qa/qa.schema";
import type { InboxOut } from "../../src/modules/routing/routing.schema";
import type { DeflectionSummaryOut, SidekickOut } from "../../src/modules/sidekick/sidekick.schema";
import type { MembersOut, SpaceListOut } from "../../src/modules/spaces/spaces.schema";
import type {
  BulkOut,
  ChallengeListOut,
  ChallengeOut,
  MyReviewOut,
  NoticeOut,
  NoticesOut,
  ReadsOut,
  ReportOut,
  SpaceShareOut,
  VerificationOut,
} from "../../src/modules/verification/verification.schema";

type Item<T extends { items: unknown[] }> = T["items"][number];

export type LinkedItem = z.infer<typeof LinkedItemOut>;
export type PersonDetail = z.infer<typeof PersonProfileOut>;
export type SetupState = z.infer<typeof SetupStateOut>;
export type PeopleList = z.infer<typeof PeopleListOut>;
export type Departments = z.infer<typeof DepartmentsOut>;
export type InvitationList = z.infer<typeof InvitationListOut>;
export type InvitationCreated = z.infer<typeof InvitationOut>;
export type InvitationInfo = z.infer<typeof InvitationInfoOut>;
export type SpaceList = z.infer<typeof SpaceListOut>;
export type AuditList = z.infer<typeof AuditOut>;
export type TrashItem = Item<z.infer<typeof TrashOut>>;
/** A stale article save's 409: the newer article, the starting version and the three-way merge. */
export type ArticleConflict = z.infer<typeof ArticleConflictOut>;
export type Member = Item<z.infer<typeof MembersOut>>;
export type SpaceTree = z.infer<typeof SpaceTreeOut>;
export type TreeMoved = z.infer<typeof MovePageOut>;

export type Reason = z.infer<typeof ExpertReasonOut>;
export type Availability = z.infer<typeof AvailabilityOut>;
export type ExpertHit = z.infer<typeof ExpertOut>;
export type ExpertList = z.infer<typeof ExpertsOut>;
export type Expertise = z.infer<typeof ExpertiseProfileOut>;
export type Inbox = z.infer<typeof InboxOut>;
export type InboxItem = Item<Inbox>;

export type QuestionList = z.infer<typeof QuestionListOut>;
export type QuestionSummary = Item<QuestionList>;
export type Question = z.infer<typeof QuestionOut>;
export type Comment = Question["comments"][number];
export type Routing = NonNullable<Question["routing"]>;

export type Lesson = z.infer<typeof LessonOut>;
export type LessonList = z.infer<typeof LessonListOut>;
export type RetroItem = z.infer<typeof RetroItemOut>;
export type Retro = z.infer<typeof RetrospectiveOut>;
export type RetroList = z.infer<typeof RetrospectiveListOut>;
export type Post = z.infer<typeof PostOut>;
export type Feed = z.infer<typeof FeedOut>;
export type Follows = z.infer<typeof FollowsOut>;
export type Follow = Follows["following"][number];
export type Journal = z.infer<typeof JournalOut>;
export type Learning = z.infer<typeof LearningOut>;

export type DatasetList = z.infer<typeof DatasetsOut>;
export type NetworkView = z.infer<typeof NetworkOut>;

export type SidekickResult = z.infer<typeof SidekickOut>;
export type DeflectionSummary = z.infer<typeof DeflectionSummaryOut>;

export type Verification = z.infer<typeof VerificationOut>;
export type VerificationState = Verification["state"];
export type Notice = z.infer<typeof NoticeOut>;
export type NoticeList = z.infer<typeof NoticesOut>;
export type Reads = z.infer<typeof ReadsOut>;
export type Challenge = z.infer<typeof ChallengeOut>;
export type ChallengeList = z.infer<typeof ChallengeListOut>;
export type Report = z.infer<typeof ReportOut>;
export type SpaceShare = z.infer<typeof SpaceShareOut>;
export type BulkResult = z.infer<typeof BulkOut>;
export type MyReview = z.infer<typeof MyReviewOut>;

export type Community = z.infer<typeof CommunityOut>;
export type CommunityList = z.infer<typeof CommunityListOut>;
export type CommunityPage = z.infer<typeof CommunityPageOut>;
export type CommunitySuggestions = z.infer<typeof SuggestionsOut>;
