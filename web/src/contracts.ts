/**
 * The API's response types, inferred from the server's zod contracts (src/modules/<feature>/*.schema.ts):
 * the same schemas every route serialises through, so the pages cannot drift from what is sent.
 * Type-only imports: nothing of the server ends up in the bundle.
 */
import type { z } from "zod";
import type { LinkedItemOut } from "../../src/platform/contracts";
import type { InvitationListOut } from "../../src/modules/accounts/accounts.schema";
import type { AuditOut } from "../../src/modules/audit/audit.schema";
import type {
  AvailabilityOut,
  ExpertiseProfileOut,
  ExpertOut,
  ExpertReasonOut,
} from "../../src/modules/expertise/expertise.schema";
import type { TrashOut } from "../../src/modules/knowledge/articles.schema";
import type { PersonProfileOut } from "../../src/modules/knowledge/profile.schema";
import type { LessonOut, RetroItemOut, RetrospectiveOut } from "../../src/modules/lessons/lessons.schema";
import type { FollowsOut, JournalOut, LearningOut, PostOut } from "../../src/modules/lessons/wol.schema";
import type { DatasetsOut, NetworkOut } from "../../src/modules/network/network.schema";
import type { QuestionListOut, QuestionOut } from "../../src/modules/qa/qa.schema";
import type { InboxOut } from "../../src/modules/routing/routing.schema";
import type { SidekickOut } from "../../src/modules/sidekick/sidekick.schema";
import type { MembersOut } from "../../src/modules/spaces/spaces.schema";
import type {
  ChallengeOut,
  MyReviewOut,
  NoticeOut,
  ReportOut,
  VerificationOut,
} from "../../src/modules/verification/verification.schema";

type Item<T extends { items: unknown[] }> = T["items"][number];

export type LinkedItem = z.infer<typeof LinkedItemOut>;
export type PersonDetail = z.infer<typeof PersonProfileOut>;
export type Invitation = Item<z.infer<typeof InvitationListOut>>;
export type AuditItem = Item<z.infer<typeof AuditOut>>;
export type TrashItem = Item<z.infer<typeof TrashOut>>;
export type Member = Item<z.infer<typeof MembersOut>>;

export type Reason = z.infer<typeof ExpertReasonOut>;
export type Availability = z.infer<typeof AvailabilityOut>;
export type ExpertHit = z.infer<typeof ExpertOut>;
export type Expertise = z.infer<typeof ExpertiseProfileOut>;
export type InboxItem = Item<z.infer<typeof InboxOut>>;

export type QuestionSummary = Item<z.infer<typeof QuestionListOut>>;
export type Question = z.infer<typeof QuestionOut>;
export type Answer = Question["answers"][number];
export type Comment = Question["comments"][number];
export type Routing = NonNullable<Question["routing"]>;

export type Lesson = z.infer<typeof LessonOut>;
export type RetroItem = z.infer<typeof RetroItemOut>;
export type Retro = z.infer<typeof RetrospectiveOut>;
export type Post = z.infer<typeof PostOut>;
export type Follow = z.infer<typeof FollowsOut>["following"][number];
export type Entry = Item<z.infer<typeof JournalOut>>;
export type Learning = z.infer<typeof LearningOut>;

export type Dataset = Item<z.infer<typeof DatasetsOut>>;
export type NetworkView = z.infer<typeof NetworkOut>;

export type SidekickResult = z.infer<typeof SidekickOut>;

export type Verification = z.infer<typeof VerificationOut>;
export type VerificationState = Verification["state"];
export type Notice = z.infer<typeof NoticeOut>;
export type Challenge = z.infer<typeof ChallengeOut>;
export type Report = z.infer<typeof ReportOut>;
export type ReportItem = Report["items"][number];
export type MyReview = z.infer<typeof MyReviewOut>;
