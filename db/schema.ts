import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * The audience of a readable item: the container whose readers may read it — a space today
 * (communities, cohorts, mentorships next) — or the whole organisation (this fixed id). Derived
 * from the container columns, so queries scope by one column and a new kind of container only
 * changes this expression (a migration), never the queries.
 */
export const ORG_AUDIENCE = "00000000-0000-0000-0000-000000000000";
const audienceOf = (containerColumns: string) => sql.raw(`coalesce(${containerColumns}, '${ORG_AUDIENCE}'::uuid)`);

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    passwordHash: text("password_hash"),
    name: text("name").notNull(),
    role: text("role", { enum: ["admin", "member", "guest"] })
      .notNull()
      .default("member"),
    title: text("title").notNull().default(""),
    department: text("department").notNull().default(""),
    managerId: uuid("manager_id"),
    location: text("location").notNull().default(""),
    timeZone: text("time_zone").notNull().default("UTC"),
    bio: text("bio").notNull().default(""),
    // Availability that people control; routing leaves out anyone away, off hours or at their cap.
    availability: text("availability", { enum: ["available", "busy", "away"] })
      .notNull()
      .default("available"),
    awayUntil: ts("away_until"),
    // Working hours in the person's time zone: minutes after local midnight, ISO weekdays (1 = Monday).
    workStart: integer("work_start").notNull().default(540),
    workEnd: integer("work_end").notNull().default(1020),
    workDays: integer("work_days")
      .array()
      .notNull()
      .default(sql`'{1,2,3,4,5}'::integer[]`),
    dailyCap: integer("daily_cap").notNull().default(5),
    // Knowledge managers may see the individual-level network map (admins always may).
    knowledgeManager: boolean("knowledge_manager").notNull().default(false),
    version: integer("version").notNull().default(1),
    createdAt: ts("created_at").notNull().defaultNow(),
    deactivatedAt: ts("deactivated_at"),
    // Set for people brought in by an import (e.g. "se:<site>:<user id>"); such people cannot sign in.
    importKey: text("import_key"),
    sourceUrl: text("source_url"),
  },
  (t) => [
    uniqueIndex("users_email_key").on(sql`lower(${t.email})`),
    index("users_department_idx").on(t.department),
    uniqueIndex("users_import_key").on(t.importKey),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    csrfToken: text("csrf_token").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const invitations = pgTable("invitations", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: text("email").notNull(),
  role: text("role", { enum: ["admin", "member", "guest"] }).notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  invitedBy: uuid("invited_by")
    .notNull()
    .references(() => users.id),
  createdAt: ts("created_at").notNull().defaultNow(),
  expiresAt: ts("expires_at").notNull(),
  acceptedAt: ts("accepted_at"),
  revokedAt: ts("revoked_at"),
});

/**
 * Article templates: the six built in (how-to, troubleshooting, decision record, onboarding, meeting
 * notes, lesson; `key` set, inserted by their migration) and the organisation's own. Knowledge
 * managers edit them; a space may name one as the default for its new articles.
 */
export const articleTemplates = pgTable("article_templates", {
  id: uuid("id").primaryKey().defaultRandom(),
  key: text("key").unique(),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  body: text("body").notNull(),
  archived: boolean("archived").notNull().default(false),
  version: integer("version").notNull().default(1),
  createdBy: uuid("created_by").references(() => users.id),
  updatedBy: uuid("updated_by").references(() => users.id),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const spaces = pgTable("spaces", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  description: text("description").notNull().default(""),
  visibility: text("visibility", { enum: ["public", "private"] })
    .notNull()
    .default("public"),
  // What every member gets in a public space without an explicit role.
  memberAccess: text("member_access", { enum: ["editor", "viewer"] })
    .notNull()
    .default("editor"),
  createdBy: uuid("created_by").references(() => users.id),
  /** The template a new article in this space starts from (null: a blank page). */
  defaultTemplateId: uuid("default_template_id").references(() => articleTemplates.id, { onDelete: "set null" }),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const spaceMembers = pgTable(
  "space_members",
  {
    spaceId: uuid("space_id")
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["owner", "editor", "viewer"] }).notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.spaceId, t.userId] }), index("space_members_user_idx").on(t.userId)],
);

/**
 * A community of practice: people around topics. Joining is open or by request (leads approve);
 * visibility "members" makes it a private container — its questions and posts take it as their
 * audience and only members (and admins) read them, like a private space.
 */
export const communities = pgTable("communities", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  purpose: text("purpose").notNull().default(""),
  topics: text("topics")
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  joining: text("joining", { enum: ["open", "request"] })
    .notNull()
    .default("open"),
  visibility: text("visibility", { enum: ["everyone", "members"] })
    .notNull()
    .default("everyone"),
  createdBy: uuid("created_by").references(() => users.id),
  createdAt: ts("created_at").notNull().defaultNow(),
});

/**
 * A person in a community: a lead, a member, someone whose request waits for a lead ("pending"), or
 * someone invited who has not answered ("invited"); pending and invited read nothing members read.
 */
export const communityMembers = pgTable(
  "community_members",
  {
    communityId: uuid("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["lead", "member", "pending", "invited"] }).notNull(),
    // Whether the community's open questions show in the member's inbox.
    followQuestions: boolean("follow_questions").notNull().default(false),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.userId] }), index("community_members_user_idx").on(t.userId)],
);

/** Knowledge a lead pinned on the community page. */
export const communityPins = pgTable(
  "community_pins",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    communityId: uuid("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    itemType: text("item_type", { enum: ["article", "question", "lesson", "post"] }).notNull(),
    itemId: uuid("item_id").notNull(),
    pinnedBy: uuid("pinned_by").references(() => users.id),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("community_pins_unique").on(t.communityId, t.itemType, t.itemId)],
);

// Every article write takes the next value, so any process can catch up its search index
// by reading the rows with a higher value than it has seen.
export const searchSeq = pgSequence("search_seq");
/** Moves on with every change to expertise evidence that search_seq does not see (votes, endorsements, declines). */
export const expertiseSeq = pgSequence("expertise_seq");

export const articles = pgTable(
  "articles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    spaceId: uuid("space_id")
      .notNull()
      .references(() => spaces.id),
    audienceId: uuid("audience_id").notNull().generatedAlwaysAs(audienceOf("space_id")),
    parentId: uuid("parent_id"),
    /** Order among the siblings under one parent: a fractional-indexing key, compared byte-wise (null: older rows). */
    position: text("position"),
    title: text("title").notNull(),
    body: text("body").notNull(),
    tags: text("tags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    status: text("status", { enum: ["draft", "published"] })
      .notNull()
      .default("published"),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id),
    updatedBy: uuid("updated_by")
      .notNull()
      .references(() => users.id),
    version: integer("version").notNull().default(1),
    importKey: text("import_key"),
    importHash: text("import_hash"),
    searchSeq: bigint("search_seq", { mode: "number" })
      .notNull()
      .default(sql`nextval('search_seq')`),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
    deletedBy: uuid("deleted_by").references(() => users.id),
  },
  (t) => [
    index("articles_space_idx").on(t.spaceId, t.updatedAt),
    index("articles_owner_idx").on(t.ownerId),
    index("articles_parent_idx").on(t.parentId),
    index("articles_search_seq_idx").on(t.searchSeq),
    uniqueIndex("articles_import_key").on(t.importKey),
  ],
);

export const articleRevisions = pgTable(
  "article_revisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    tags: text("tags").array().notNull(),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    note: text("note").notNull().default(""),
    /** Everyone whose edits a co-edited revision holds (the author is one of them). */
    contributors: uuid("contributors")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    restoredFrom: integer("restored_from"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("article_revisions_version_key").on(t.articleId, t.version)],
);

/** Binary data (PGlite returns Uint8Array, pg a Buffer: both are Uint8Arrays). */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  toDriver: (v) => Buffer.from(v),
  fromDriver: (v) => new Uint8Array(v),
});

/**
 * Real-time co-editing (src/modules/collab): the article's shared document (a Yjs state) and the
 * article version it was last written into; every change a client sends is appended to the updates
 * before it is acknowledged, so a restart or another instance rebuilds the same document.
 */
export const articleCollab = pgTable("article_collab", {
  articleId: uuid("article_id")
    .primaryKey()
    .references(() => articles.id, { onDelete: "cascade" }),
  state: bytea("state").notNull(),
  baseVersion: integer("base_version").notNull(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const articleCollabUpdates = pgTable(
  "article_collab_updates",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    update: bytea("update").notNull(),
    userId: uuid("user_id").references(() => users.id),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("article_collab_updates_article_idx").on(t.articleId, t.id)],
);

export const attachments = pgTable(
  "attachments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    articleId: uuid("article_id").references(() => articles.id),
    spaceId: uuid("space_id")
      .notNull()
      .references(() => spaces.id),
    uploaderId: uuid("uploader_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    mime: text("mime").notNull(),
    kind: text("kind", { enum: ["image", "video", "file"] }).notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    storageKey: text("storage_key").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("attachments_article_idx").on(t.articleId)],
);

export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    actorId: uuid("actor_id"),
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    detail: text("detail").notNull().default(""),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("audit_log_subject_idx").on(t.subjectType, t.subjectId)],
);

// ---- Questions and answers (ask for help) ----

export const questions = pgTable(
  "questions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // null: asked to the whole organisation; else scoped to (and visible like) a space.
    spaceId: uuid("space_id").references(() => spaces.id),
    // Addressed to a community (never together with a space): routing prefers its members.
    communityId: uuid("community_id").references(() => communities.id),
    audienceId: uuid("audience_id").notNull().generatedAlwaysAs(audienceOf("community_id, space_id")),
    title: text("title").notNull(),
    body: text("body").notNull(),
    tags: text("tags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    version: integer("version").notNull().default(1),
    acceptedAnswerId: uuid("accepted_answer_id"),
    duplicateOfId: uuid("duplicate_of_id"),
    closedAt: ts("closed_at"),
    closedBy: uuid("closed_by").references(() => users.id),
    score: integer("score").notNull().default(0),
    answerCount: integer("answer_count").notNull().default(0),
    importKey: text("import_key"),
    sourceUrl: text("source_url"),
    searchSeq: bigint("search_seq", { mode: "number" })
      .notNull()
      .default(sql`nextval('search_seq')`),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    lastActivityAt: ts("last_activity_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
    // Routing: when the next people are asked if nobody has answered (null = nothing pending).
    escalateAt: ts("escalate_at"),
    routingRound: integer("routing_round").notNull().default(0),
  },
  (t) => [
    index("questions_space_idx").on(t.spaceId),
    index("questions_community_idx").on(t.communityId),
    check("questions_one_container", sql`community_id is null or space_id is null`),
    index("questions_escalate_idx").on(t.escalateAt),
    index("questions_author_idx").on(t.authorId),
    index("questions_search_seq_idx").on(t.searchSeq),
    index("questions_activity_idx").on(t.lastActivityAt),
    uniqueIndex("questions_import_key").on(t.importKey),
  ],
);

export const answers = pgTable(
  "answers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    questionId: uuid("question_id")
      .notNull()
      .references(() => questions.id),
    body: text("body").notNull(),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    version: integer("version").notNull().default(1),
    score: integer("score").notNull().default(0),
    importKey: text("import_key"),
    sourceUrl: text("source_url"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
  },
  (t) => [
    index("answers_question_idx").on(t.questionId),
    index("answers_author_idx").on(t.authorId, t.createdAt),
    uniqueIndex("answers_import_key").on(t.importKey),
  ],
);

export const postRevisions = pgTable(
  "post_revisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    postType: text("post_type", { enum: ["question", "answer"] }).notNull(),
    postId: uuid("post_id").notNull(),
    version: integer("version").notNull(),
    title: text("title"),
    body: text("body").notNull(),
    tags: text("tags").array(),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    note: text("note").notNull().default(""),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("post_revisions_version_key").on(t.postType, t.postId, t.version)],
);

export const comments = pgTable(
  "comments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    postType: text("post_type", { enum: ["question", "answer"] }).notNull(),
    postId: uuid("post_id").notNull(),
    body: text("body").notNull(),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    importKey: text("import_key"),
    createdAt: ts("created_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
  },
  (t) => [index("comments_post_idx").on(t.postType, t.postId), uniqueIndex("comments_import_key").on(t.importKey)],
);

export const votes = pgTable(
  "votes",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    postType: text("post_type", { enum: ["question", "answer"] }).notNull(),
    postId: uuid("post_id").notNull(),
    value: integer("value").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.postType, t.postId] }), index("votes_post_idx").on(t.postType, t.postId)],
);

/** An external who-helps-whom network brought in with `knowhow import network` (classic ONA data). */
export const networkDatasets = pgTable("network_datasets", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  weighted: boolean("weighted").notNull().default(false),
  importedBy: uuid("imported_by").references(() => users.id),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const networkNodes = pgTable(
  "network_nodes",
  {
    datasetId: uuid("dataset_id")
      .notNull()
      .references(() => networkDatasets.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    department: text("department").notNull().default(""),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.externalId] })],
);

export const networkEdges = pgTable(
  "network_edges",
  {
    datasetId: uuid("dataset_id")
      .notNull()
      .references(() => networkDatasets.id, { onDelete: "cascade" }),
    source: text("source").notNull(),
    target: text("target").notNull(),
    weight: doublePrecision("weight").notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.source, t.target] })],
);

// ---- Expertise and routing ----

/** Skills a person says they have; shown apart from inferred expertise until evidence backs them. */
export const skills = pgTable(
  "skills",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    tag: text("tag").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.tag] })],
);

/** A colleague vouching for someone's expertise on a topic. */
export const endorsements = pgTable(
  "endorsements",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    endorserId: uuid("endorser_id")
      .notNull()
      .references(() => users.id),
    tag: text("tag").notNull(),
    note: text("note").notNull().default(""),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("endorsements_unique").on(t.userId, t.endorserId, t.tag),
    index("endorsements_user_idx").on(t.userId),
  ],
);

/**
 * One row per change to expertise evidence that search_seq does not see (append-only, numbered by
 * expertise_seq), so a live expertise model can apply votes, endorsements and declines one by one
 * instead of rebuilding.
 */
export const expertiseEvents = pgTable("expertise_events", {
  seq: bigint("seq", { mode: "number" })
    .primaryKey()
    .default(sql`nextval('expertise_seq')`),
  kind: text("kind", { enum: ["vote", "endorse", "unendorse", "decline"] }).notNull(),
  ref: uuid("ref").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
});

/** One person asked to help with one question (by the router, by escalation or by a colleague's forward). */
export const routingRequests = pgTable(
  "routing_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    questionId: uuid("question_id")
      .notNull()
      .references(() => questions.id),
    expertId: uuid("expert_id")
      .notNull()
      .references(() => users.id),
    round: integer("round").notNull().default(1),
    status: text("status", { enum: ["pending", "answered", "declined", "forwarded", "expired", "closed"] })
      .notNull()
      .default("pending"),
    declineReason: text("decline_reason", { enum: ["not_my_area", "no_time"] }),
    note: text("note").notNull().default(""),
    forwardedById: uuid("forwarded_by_id").references(() => users.id),
    score: doublePrecision("score").notNull().default(0),
    // Why this person: the evidence the router used, as [{kind, topic, ref, at}].
    reasons: jsonb("reasons")
      .notNull()
      .default(sql`'[]'::jsonb`),
    createdAt: ts("created_at").notNull().defaultNow(),
    respondedAt: ts("responded_at"),
  },
  (t) => [
    uniqueIndex("routing_requests_unique").on(t.questionId, t.expertId),
    index("routing_requests_expert_idx").on(t.expertId, t.status),
    index("routing_requests_created_idx").on(t.expertId, t.createdAt),
  ],
);

/** A question that did not need asking: someone found the answer among the suggestions. */
export const deflections = pgTable(
  "deflections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    query: text("query").notNull(),
    targetType: text("target_type", { enum: ["article", "question"] }).notNull(),
    targetId: uuid("target_id").notNull(),
    source: text("source", { enum: ["ask", "sidekick"] }).notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("deflections_created_idx").on(t.createdAt)],
);

// ---- Knowledge that stays true: verification, challenges, reading records ----

/** Who vouches for a piece of knowledge (an article or an accepted answer) and until when. */
export const verifications = pgTable(
  "verifications",
  {
    subjectType: text("subject_type", { enum: ["article", "answer"] }).notNull(),
    subjectId: uuid("subject_id").notNull(),
    // The owner: a person, or a group (a department). Neither set: the author owns it.
    ownerId: uuid("owner_id").references(() => users.id),
    ownerDepartment: text("owner_department"),
    intervalDays: integer("interval_days").notNull().default(180),
    verifiedAt: ts("verified_at"),
    verifiedBy: uuid("verified_by").references(() => users.id),
    verifiedUntil: ts("verified_until").notNull(),
    note: text("note").notNull().default(""),
    // Marked superseded: what replaces it.
    supersededById: uuid("superseded_by_id"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.subjectType, t.subjectId] }),
    index("verifications_until_idx").on(t.verifiedUntil),
    index("verifications_owner_idx").on(t.ownerId),
  ],
);

/** Someone says a piece of knowledge is wrong or outdated, with evidence; the owner must respond by the deadline. */
export const challenges = pgTable(
  "challenges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    subjectType: text("subject_type", { enum: ["article", "answer"] }).notNull(),
    subjectId: uuid("subject_id").notNull(),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    claim: text("claim").notNull(),
    evidence: text("evidence").notNull().default(""),
    status: text("status", { enum: ["open", "upheld", "dismissed"] })
      .notNull()
      .default("open"),
    outcome: text("outcome", { enum: ["revised", "superseded"] }),
    response: text("response").notNull().default(""),
    // The article version the challenge was made against, and the version that fixed it.
    versionAt: integer("version_at").notNull().default(1),
    revisedVersion: integer("revised_version"),
    supersededById: uuid("superseded_by_id"),
    deadline: ts("deadline").notNull(),
    escalatedAt: ts("escalated_at"),
    resolvedBy: uuid("resolved_by").references(() => users.id),
    resolvedAt: ts("resolved_at"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("challenges_subject_idx").on(t.subjectType, t.subjectId),
    index("challenges_open_idx").on(t.status, t.deadline),
  ],
);

/**
 * That a person read an article (which version, when): kept only to tell them when it changes; they can see and clear
 * it.
 */
export const reads = pgTable(
  "reads",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id),
    version: integer("version").notNull(),
    readAt: ts("read_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.articleId] }), index("reads_article_idx").on(t.articleId)],
);

/** "What changed" for someone who read knowledge that was later revised because of a challenge or superseded. */
export const notices = pgTable(
  "notices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id),
    challengeId: uuid("challenge_id").references(() => challenges.id),
    kind: text("kind", { enum: ["revised", "superseded"] }).notNull(),
    fromVersion: integer("from_version").notNull(),
    toVersion: integer("to_version").notNull(),
    supersededById: uuid("superseded_by_id"),
    summary: text("summary").notNull().default(""),
    createdAt: ts("created_at").notNull().defaultNow(),
    clearedAt: ts("cleared_at"),
  },
  (t) => [index("notices_user_idx").on(t.userId, t.clearedAt)],
);

// ---- Lessons learned, working out loud, reflection ----

/** A lesson: a blameless mistake report, or an item of a retrospective turned into a lesson. */
export const lessons = pgTable(
  "lessons",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind", { enum: ["mistake", "retrospective"] })
      .notNull()
      .default("mistake"),
    title: text("title").notNull(),
    whatHappened: text("what_happened").notNull().default(""),
    impact: text("impact").notNull().default(""),
    learned: text("learned").notNull(),
    instead: text("instead").notNull().default(""),
    tags: text("tags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    // null: visible to the whole organisation; else visible like the space.
    spaceId: uuid("space_id").references(() => spaces.id),
    audienceId: uuid("audience_id").notNull().generatedAlwaysAs(audienceOf("space_id")),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    // Anonymous to readers; the author stays in the row for admins' audit.
    anonymous: boolean("anonymous").notNull().default(false),
    retrospectiveId: uuid("retrospective_id"),
    version: integer("version").notNull().default(1),
    searchSeq: bigint("search_seq", { mode: "number" })
      .notNull()
      .default(sql`nextval('search_seq')`),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
  },
  (t) => [index("lessons_search_seq_idx").on(t.searchSeq), index("lessons_space_idx").on(t.spaceId)],
);

/** A project evaluation: what went well, what went less well, what to try next, who took part. */
export const retrospectives = pgTable("retrospectives", {
  id: uuid("id").primaryKey().defaultRandom(),
  title: text("title").notNull(),
  spaceId: uuid("space_id").references(() => spaces.id),
  audienceId: uuid("audience_id").notNull().generatedAlwaysAs(audienceOf("space_id")),
  authorId: uuid("author_id")
    .notNull()
    .references(() => users.id),
  // [{id, column: "well" | "less" | "try", text, lessonId?}]
  items: jsonb("items")
    .notNull()
    .default(sql`'[]'::jsonb`),
  participantIds: uuid("participant_ids")
    .array()
    .notNull()
    .default(sql`'{}'::uuid[]`),
  version: integer("version").notNull().default(1),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** Working out loud: what I'm working on, what I learned today. */
export const posts = pgTable(
  "posts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: ["working_on", "learned"] }).notNull(),
    body: text("body").notNull(),
    tags: text("tags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    spaceId: uuid("space_id").references(() => spaces.id),
    communityId: uuid("community_id").references(() => communities.id),
    audienceId: uuid("audience_id").notNull().generatedAlwaysAs(audienceOf("community_id, space_id")),
    createdAt: ts("created_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
  },
  (t) => [
    index("posts_created_idx").on(t.createdAt),
    index("posts_author_idx").on(t.authorId),
    index("posts_community_idx").on(t.communityId),
    check("posts_one_container", sql`community_id is null or space_id is null`),
  ],
);

export const postReactions = pgTable(
  "post_reactions",
  {
    postId: uuid("post_id")
      .notNull()
      .references(() => posts.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    emoji: text("emoji").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.userId, t.emoji] })],
);

export const postComments = pgTable("post_comments", {
  id: uuid("id").primaryKey().defaultRandom(),
  postId: uuid("post_id")
    .notNull()
    .references(() => posts.id),
  authorId: uuid("author_id")
    .notNull()
    .references(() => users.id),
  body: text("body").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
});

/** What a person follows for their feed: people, tags, spaces. */
export const follows = pgTable(
  "follows",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    targetType: text("target_type", { enum: ["person", "tag", "space"] }).notNull(),
    target: text("target").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.targetType, t.target] })],
);

/** A private reflection journal entry, with the 70:20:10 prompt it answers. */
export const journalEntries = pgTable(
  "journal_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    practice: text("practice", { enum: ["experience", "practice", "conversation", "reflection"] }).notNull(),
    prompt: text("prompt").notNull(),
    body: text("body").notNull(),
    sharedPostId: uuid("shared_post_id"),
    lessonId: uuid("lesson_id"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("journal_user_idx").on(t.userId, t.createdAt)],
);

/**
 * A knowledge-sharing session: announced with a start (stored in UTC, with the time zone it was
 * announced in, for display and calendars), a duration, a place and/or link, an optional capacity and
 * topics. Open to everyone in the organisation, or to a community's audience (a members-only community
 * keeps it to its members): `audience_id` follows the same model as questions and posts.
 */
export const sharingSessions = pgTable(
  "sharing_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    title: text("title").notNull(),
    abstract: text("abstract").notNull().default(""),
    startsAt: ts("starts_at").notNull(),
    timeZone: text("time_zone").notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    place: text("place").notNull().default(""),
    link: text("link").notNull().default(""),
    /** null: no limit. */
    capacity: integer("capacity"),
    topics: text("topics")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    communityId: uuid("community_id").references(() => communities.id),
    notes: text("notes").notNull().default(""),
    /** Raised by every edit: an edit made on an older version is refused (409), so nothing is lost. */
    version: integer("version").notNull().default(1),
    /** Set when it is called off: still readable, no longer answerable, sent to calendars as cancelled. */
    cancelledAt: ts("cancelled_at"),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: ts("created_at").notNull().defaultNow(),
    audienceId: uuid("audience_id").notNull().generatedAlwaysAs(audienceOf("community_id")),
  },
  (t) => [
    index("sharing_sessions_starts_idx").on(t.startsAt),
    index("sharing_sessions_community_idx").on(t.communityId),
  ],
);

/** Who presents a session (they manage it: attendance, notes). */
export const sessionPresenters = pgTable(
  "session_presenters",
  {
    sessionId: uuid("session_id")
      .notNull()
      .references(() => sharingSessions.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.userId] }), index("session_presenters_user_idx").on(t.userId)],
);

// Orders the waiting list: a place is taken with the next value while the session row is locked.
export const sessionQueueSeq = pgSequence("session_queue_seq");

/** A person's answer to a session: going, maybe, no, or waitlisted (going asked for at capacity). */
export const sessionRsvps = pgTable(
  "session_rsvps",
  {
    sessionId: uuid("session_id")
      .notNull()
      .references(() => sharingSessions.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: ["going", "maybe", "no", "waitlisted"] }).notNull(),
    /** The place in the waiting list (lower first), taken when waitlisted. */
    queuedAt: bigint("queued_at", { mode: "number" }),
    checkedInAt: ts("checked_in_at"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.userId] }), index("session_rsvps_user_idx").on(t.userId)],
);

/** A person's calendar subscription: the SHA-256 of a secret token in the feed URL; deleting it revokes the URL. */
export const calendarTokens = pgTable("calendar_tokens", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: ts("created_at").notNull().defaultNow(),
});

// ---- Mentor programmes ----

/**
 * A mentor programme run by knowledge managers: its dates, the default seats per mentor, and the
 * matching rules (never within the mentee's reporting line; another department weighted; an optional
 * time-zone limit). `mode`: "matched" (knowledge managers run the optimal matching) or "self_service"
 * (mentees request a mentor from a ranked list). A decision of the pair is due within `accept_days`.
 */
export const mentorProgrammes = pgTable("mentor_programmes", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  purpose: text("purpose").notNull().default(""),
  startsOn: text("starts_on").notNull(),
  endsOn: text("ends_on").notNull(),
  mode: text("mode", { enum: ["matched", "self_service"] })
    .notNull()
    .default("matched"),
  defaultCapacity: integer("default_capacity").notNull().default(2),
  crossDepartmentWeight: doublePrecision("cross_department_weight").notNull().default(0.5),
  maxTimeZoneHours: integer("max_time_zone_hours"),
  acceptDays: integer("accept_days").notNull().default(7),
  createdBy: uuid("created_by")
    .notNull()
    .references(() => users.id),
  createdAt: ts("created_at").notNull().defaultNow(),
  lastMatchedAt: ts("last_matched_at"),
});

/** Who opted in, as mentor (seats, topics offered) or mentee (goals as topics and text, ranked preferences). */
export const programmeParticipants = pgTable(
  "programme_participants",
  {
    programmeId: uuid("programme_id")
      .notNull()
      .references(() => mentorProgrammes.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["mentor", "mentee"] }).notNull(),
    capacity: integer("capacity"),
    topics: text("topics")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    goalText: text("goal_text").notNull().default(""),
    /** Mentor ids, most wanted first (mentees). */
    preferences: uuid("preferences")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.programmeId, t.userId, t.role] }),
    index("programme_participants_user_idx").on(t.userId),
  ],
);

/** Knowledge managers' decisions on a pair: pinned (must be matched) or forbidden (never). */
export const programmePairRules = pgTable(
  "programme_pair_rules",
  {
    programmeId: uuid("programme_id")
      .notNull()
      .references(() => mentorProgrammes.id, { onDelete: "cascade" }),
    mentorId: uuid("mentor_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    menteeId: uuid("mentee_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    rule: text("rule", { enum: ["pin", "forbid"] }).notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.programmeId, t.mentorId, t.menteeId] })],
);

/**
 * A mentor and a mentee in a programme. proposed (by the matching, or requested by the mentee in
 * self-service) → active once both accepted (before `expires_at`) → closed with an evaluation; or
 * declined / expired, which frees the seat. Goals and notes are the pair's own: nobody else reads them.
 */
export const mentorships = pgTable(
  "mentorships",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    programmeId: uuid("programme_id")
      .notNull()
      .references(() => mentorProgrammes.id, { onDelete: "cascade" }),
    mentorId: uuid("mentor_id")
      .notNull()
      .references(() => users.id),
    menteeId: uuid("mentee_id")
      .notNull()
      .references(() => users.id),
    status: text("status", { enum: ["proposed", "active", "declined", "expired", "closed"] })
      .notNull()
      .default("proposed"),
    origin: text("origin", { enum: ["matched", "requested"] }).notNull(),
    quality: doublePrecision("quality").notNull().default(0),
    reasons: jsonb("reasons")
      .notNull()
      .default(sql`'[]'::jsonb`),
    mentorAcceptedAt: ts("mentor_accepted_at"),
    menteeAcceptedAt: ts("mentee_accepted_at"),
    declinedBy: uuid("declined_by"),
    expiresAt: ts("expires_at").notNull(),
    goals: text("goals").notNull().default(""),
    notes: text("notes").notNull().default(""),
    goalReached: boolean("goal_reached"),
    evaluation: text("evaluation").notNull().default(""),
    version: integer("version").notNull().default(1),
    createdAt: ts("created_at").notNull().defaultNow(),
    startedAt: ts("started_at"),
    closedAt: ts("closed_at"),
  },
  (t) => [
    index("mentorships_programme_idx").on(t.programmeId),
    index("mentorships_mentor_idx").on(t.mentorId),
    index("mentorships_mentee_idx").on(t.menteeId),
    // A mentee has at most one proposed or active mentorship in a programme.
    uniqueIndex("mentorships_one_open_per_mentee")
      .on(t.programmeId, t.menteeId)
      .where(sql`status in ('proposed', 'active')`),
  ],
);

/** A meeting the pair logged. */
export const mentorshipMeetings = pgTable(
  "mentorship_meetings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    mentorshipId: uuid("mentorship_id")
      .notNull()
      .references(() => mentorships.id, { onDelete: "cascade" }),
    heldOn: text("held_on").notNull(),
    minutes: integer("minutes").notNull(),
    summary: text("summary").notNull().default(""),
    loggedBy: uuid("logged_by")
      .notNull()
      .references(() => users.id),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("mentorship_meetings_idx").on(t.mentorshipId)],
);

// ---- Feedback ----

/**
 * A request for candid feedback on a piece of work: named colleagues, the asker's team or a
 * department answer questions (free text, 1–5 scales) by a deadline (none for a manager's standing
 * "what should I hear?" request). Anonymous requests release their answers in rounds of at least
 * three (`released_count`, `round`); only the asker reads them (docs/ARCHITECTURE.md, Feedback).
 */
export const feedbackRequests = pgTable(
  "feedback_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    askerId: uuid("asker_id")
      .notNull()
      .references(() => users.id),
    subjectKind: text("subject_kind", { enum: ["article", "decision", "project", "text"] }).notNull(),
    articleId: uuid("article_id").references(() => articles.id),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    // [{kind: "text" | "scale", prompt}]
    questions: jsonb("questions").notNull(),
    scope: text("scope", { enum: ["people", "team", "department"] }).notNull(),
    scopeDepartment: text("scope_department").notNull().default(""),
    anonymous: boolean("anonymous").notNull(),
    standing: boolean("standing").notNull().default(false),
    deadline: ts("deadline"),
    /** Answers the asker may read (anonymous: whole rounds of at least three; named: all). */
    releasedCount: integer("released_count").notNull().default(0),
    /** The last round of anonymous answers released. */
    round: integer("round").notNull().default(0),
    thanks: text("thanks").notNull().default(""),
    thankedAt: ts("thanked_at"),
    closedAt: ts("closed_at"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("feedback_requests_asker_idx").on(t.askerId)],
);

/**
 * The people asked, resolved when the request is made. For an anonymous request `token_hash` is a
 * one-time ticket, spent (cleared) in the transaction that stores the answer, which keeps no link
 * back; a named answer is kept here with its time (`answer`, `answered_at`).
 */
export const feedbackRecipients = pgTable(
  "feedback_recipients",
  {
    requestId: uuid("request_id")
      .notNull()
      .references(() => feedbackRequests.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    answered: boolean("answered").notNull().default(false),
    /** Answered at least once (a standing request opens again after each round): they see the thanks. */
    everAnswered: boolean("ever_answered").notNull().default(false),
    tokenHash: text("token_hash"),
    /** Named requests only: the answer (one value per question) and when it came. */
    answer: jsonb("answer"),
    answeredAt: ts("answered_at"),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.userId] }), index("feedback_recipients_user_idx").on(t.userId)],
);

/**
 * Anonymous answers: no author, no time, a random id. `round` is null until the answer is released
 * with its group (then the round number, the same for the whole group).
 */
export const feedbackAnswers = pgTable(
  "feedback_answers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => feedbackRequests.id, { onDelete: "cascade" }),
    // One value per question: a 1–5 number or a text.
    answer: jsonb("answer").notNull(),
    round: integer("round"),
  },
  (t) => [index("feedback_answers_request_idx").on(t.requestId)],
);
/**
 * A file of a session (slides, a recording, anything else), stored with the attachments' file store
 * and checks; read with the session's own read rule (a members-only community's session: its members).
 */
export const sessionFiles = pgTable(
  "session_files",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => sharingSessions.id, { onDelete: "cascade" }),
    uploaderId: uuid("uploader_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: ["slides", "recording", "other"] }).notNull(),
    name: text("name").notNull(),
    mime: text("mime").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    storageKey: text("storage_key").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("session_files_session_idx").on(t.sessionId)],
);

/** A question raised at a session and asked in Knowhow (an ordinary question, linked back to the session). */
export const sessionQuestions = pgTable(
  "session_questions",
  {
    sessionId: uuid("session_id")
      .notNull()
      .references(() => sharingSessions.id, { onDelete: "cascade" }),
    questionId: uuid("question_id")
      .notNull()
      .references(() => questions.id, { onDelete: "cascade" }),
    raisedBy: uuid("raised_by")
      .notNull()
      .references(() => users.id),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.questionId] }),
    uniqueIndex("session_questions_question_key").on(t.questionId),
  ],
);

/** A journal entry its author shared with their mentorship: the pair reads it (the journal stays private otherwise). */
export const mentorshipReflections = pgTable(
  "mentorship_reflections",
  {
    mentorshipId: uuid("mentorship_id")
      .notNull()
      .references(() => mentorships.id, { onDelete: "cascade" }),
    journalEntryId: uuid("journal_entry_id")
      .notNull()
      .references(() => journalEntries.id, { onDelete: "cascade" }),
    sharedAt: ts("shared_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.mentorshipId, t.journalEntryId] })],
);

// ---------- Workgroups ----------

/**
 * A workgroup formed for a challenge: the skills it needs, its leader and members, and the private space
 * it works in (with its kick-off post). Closing it creates a retrospective in that space. Read by its
 * leader, its members and admins (see the policy's `workgroup`).
 */
export const workgroups = pgTable(
  "workgroups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    skills: text("skills")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    leaderId: uuid("leader_id")
      .notNull()
      .references(() => users.id),
    // The members besides the leader, in seat order.
    memberIds: uuid("member_ids")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    spaceId: uuid("space_id")
      .notNull()
      .references(() => spaces.id),
    kickoffPostId: uuid("kickoff_post_id").references(() => posts.id),
    retrospectiveId: uuid("retrospective_id").references(() => retrospectives.id),
    status: text("status", { enum: ["active", "closed"] })
      .notNull()
      .default("active"),
    createdAt: ts("created_at").notNull().defaultNow(),
    closedAt: ts("closed_at"),
  },
  (t) => [index("workgroups_leader_idx").on(t.leaderId), index("workgroups_space_idx").on(t.spaceId)],
);

// ---------- Learning paths ----------

/**
 * A learning path: ordered steps that point at knowledge that already exists (articles, answered
 * questions, lessons, attachments, session recordings) or at an outside link. Published paths are
 * read by everyone; a draft by its owner (and admins, knowledge managers). A step whose knowledge a
 * learner may not read says so instead of showing it (see paths.service.ts).
 */
export const learningPaths = pgTable(
  "learning_paths",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    title: text("title").notNull(),
    goal: text("goal").notNull().default(""),
    audience: text("audience").notNull().default(""),
    topics: text("topics")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id),
    status: text("status", { enum: ["draft", "published", "archived"] })
      .notNull()
      .default("draft"),
    /** Raised by every change to the path or its steps: an edit made on an older version is refused (409). */
    version: integer("version").notNull().default(1),
    /** Made from a space ("make a path from this space"). */
    fromSpaceId: uuid("from_space_id").references(() => spaces.id),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [index("learning_paths_owner_idx").on(t.ownerId), index("learning_paths_status_idx").on(t.status)],
);

/**
 * A step of a path. `kind` says what `target_id` points at (null for an outside link, then `url`).
 * `check`: a single- or multiple-choice question (options, the correct ones) or a short answer with a
 * model answer the learner assesses themselves against. `reviewed_at`: when the owner added or last
 * reviewed it — knowledge revised or superseded after that asks the owner to review the step.
 */
export const pathSteps = pgTable(
  "path_steps",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pathId: uuid("path_id")
      .notNull()
      .references(() => learningPaths.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    kind: text("kind", { enum: ["article", "question", "lesson", "attachment", "session_file", "link"] }).notNull(),
    targetId: uuid("target_id"),
    url: text("url"),
    /** The title of a link step (other kinds show their target's title, to those who may read it). */
    title: text("title").notNull().default(""),
    note: text("note").notNull().default(""),
    check: jsonb("check").$type<
      | { type: "single" | "multiple"; question: string; options: string[]; correct: number[] }
      | { type: "short"; question: string; modelAnswer: string }
    >(),
    reflectionPrompt: text("reflection_prompt").notNull().default(""),
    reviewedAt: ts("reviewed_at").notNull().defaultNow(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("path_steps_path_idx").on(t.pathId, t.position), index("path_steps_target_idx").on(t.targetId)],
);

/** A learner on a path: enrolled themselves or assigned (by their manager or a knowledge manager), with a due date. */
export const pathEnrolments = pgTable(
  "path_enrolments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pathId: uuid("path_id")
      .notNull()
      .references(() => learningPaths.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    assignedBy: uuid("assigned_by").references(() => users.id),
    dueOn: text("due_on"),
    enrolledAt: ts("enrolled_at").notNull().defaultNow(),
    /** The step the learner last completed or opened: where "resume" goes. */
    lastStepId: uuid("last_step_id"),
    completedAt: ts("completed_at"),
  },
  (t) => [uniqueIndex("path_enrolments_key").on(t.pathId, t.userId), index("path_enrolments_user_idx").on(t.userId)],
);

/** A completed step (and its check: the answer, whether the first attempt passed, attempts). */
export const pathProgress = pgTable(
  "path_progress",
  {
    enrolmentId: uuid("enrolment_id")
      .notNull()
      .references(() => pathEnrolments.id, { onDelete: "cascade" }),
    stepId: uuid("step_id")
      .notNull()
      .references(() => pathSteps.id, { onDelete: "cascade" }),
    attempts: integer("attempts").notNull().default(0),
    /** Whether the first attempt at the step's check passed (null: no check). */
    firstPassed: boolean("first_passed"),
    answer: jsonb("answer"),
    completedAt: ts("completed_at"),
    startedAt: ts("started_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.enrolmentId, t.stepId] }), index("path_progress_step_idx").on(t.stepId)],
);

// ---------- Cohorts ----------

/**
 * A cohort follows a learning path in phases, split into small parallel units that are reshuffled
 * between phases (src/domain/cohorts/reshuffle.ts). Its members share a private space for the
 * cohort-wide feed. Run by knowledge managers and admins; members read it.
 */
export const cohorts = pgTable("cohorts", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  pathId: uuid("path_id")
    .notNull()
    .references(() => learningPaths.id),
  unitSize: integer("unit_size").notNull().default(5),
  minDepartments: integer("min_departments").notNull().default(2),
  /** Warn when the most advanced unit is this many steps (on average) ahead of the least advanced. */
  spreadThreshold: integer("spread_threshold").notNull().default(2),
  spaceId: uuid("space_id").references(() => spaces.id),
  createdBy: uuid("created_by")
    .notNull()
    .references(() => users.id),
  status: text("status", { enum: ["running", "closed"] })
    .notNull()
    .default("running"),
  version: integer("version").notNull().default(1),
  createdAt: ts("created_at").notNull().defaultNow(),
});

export const cohortMembers = pgTable(
  "cohort_members",
  {
    cohortId: uuid("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    joinedAt: ts("joined_at").notNull().defaultNow(),
    droppedAt: ts("dropped_at"),
  },
  (t) => [primaryKey({ columns: [t.cohortId, t.userId] }), index("cohort_members_user_idx").on(t.userId)],
);

/** A phase: a range of the path's steps with dates; its units once started (or proposed). */
export const cohortPhases = pgTable(
  "cohort_phases",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    cohortId: uuid("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    fromStep: integer("from_step").notNull(),
    toStep: integer("to_step").notNull(),
    startsOn: text("starts_on").notNull(),
    endsOn: text("ends_on").notNull(),
    status: text("status", { enum: ["planned", "proposed", "running", "done"] })
      .notNull()
      .default("planned"),
    /** A sync point: every unit should have reached `sync_step` by `sync_on` (set in one click on a spread warning). */
    syncStep: integer("sync_step"),
    syncOn: text("sync_on"),
    /** Why the units are as they are (the reshuffle's figures), for the knowledge managers' review. */
    explanation: jsonb("explanation").$type<{
      newPairs: number;
      repeatedPairs: number;
      totalPairs: number;
      ms: number;
    }>(),
  },
  (t) => [uniqueIndex("cohort_phases_number_key").on(t.cohortId, t.number)],
);

export const cohortUnits = pgTable(
  "cohort_units",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    phaseId: uuid("phase_id")
      .notNull()
      .references(() => cohortPhases.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    leadId: uuid("lead_id").references(() => users.id),
    memberIds: uuid("member_ids")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
  },
  (t) => [index("cohort_units_phase_idx").on(t.phaseId)],
);

/** Knowledge managers' pins: keep two people together, or apart. */
export const cohortPins = pgTable(
  "cohort_pins",
  {
    cohortId: uuid("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    aId: uuid("a_id")
      .notNull()
      .references(() => users.id),
    bId: uuid("b_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: ["together", "apart"] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.cohortId, t.aId, t.bId] })],
);

// ---------- xAPI Learning Record Store ----------

/** An LRS client: Basic-auth key and secret (stored as a SHA-256 hash of a 32-byte random secret), with scopes. */
export const lrsClients = pgTable("lrs_clients", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  key: text("key").notNull().unique(),
  secretHash: text("secret_hash").notNull(),
  /** xAPI OAuth scopes: statements/write, statements/read, statements/read/mine, all/read, state, define, profile,
   * all. */
  scopes: text("scopes")
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  createdBy: uuid("created_by")
    .notNull()
    .references(() => users.id),
  createdAt: ts("created_at").notNull().defaultNow(),
  lastUsedAt: ts("last_used_at"),
  revokedAt: ts("revoked_at"),
});

/**
 * A stored statement: immutable (only `voided` changes, once, when a voiding statement arrives). The
 * columns beside the JSON are what the Statement Resource filters on, each with its index.
 */
export const xapiStatements = pgTable(
  "xapi_statements",
  {
    id: uuid("id").primaryKey(),
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity(),
    stored: ts("stored").notNull(),
    timestamp: ts("timestamp").notNull(),
    /** The actor's inverse functional identifier, normalised (see src/modules/xapi/agents.ts). */
    actorIfi: text("actor_ifi").notNull(),
    verbId: text("verb_id").notNull(),
    /** The object's activity id (null when the object is an agent, a group or a statement). */
    activityId: text("activity_id"),
    /** A StatementRef object's target (voiding and references). */
    refId: uuid("ref_id"),
    registration: uuid("registration"),
    /**
     * Every agent in the statement (actor, object, authority, team, instructor, group members, sub-statement),
     * for related_agents.
     */
    relatedAgents: text("related_agents")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Every activity (object, context activities, sub-statement) for related_activities. */
    relatedActivities: text("related_activities")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    voided: boolean("voided").notNull().default(false),
    /** The Knowhow person the actor is (their account or mailbox), for "my statements" and the learning page. */
    userId: uuid("user_id").references(() => users.id),
    clientId: uuid("client_id").references(() => lrsClients.id),
    /** The statement as stored (with id, stored, authority, version), in its canonical JSON. */
    statement: jsonb("statement").notNull(),
  },
  (t) => [
    uniqueIndex("xapi_statements_seq_key").on(t.seq),
    index("xapi_statements_actor_idx").on(t.actorIfi, t.seq),
    index("xapi_statements_verb_idx").on(t.verbId, t.seq),
    index("xapi_statements_activity_idx").on(t.activityId, t.seq),
    index("xapi_statements_registration_idx").on(t.registration, t.seq),
    index("xapi_statements_ref_idx").on(t.refId),
    index("xapi_statements_user_idx").on(t.userId, t.seq),
    index("xapi_statements_stored_idx").on(t.stored),
    index("xapi_statements_related_agents_idx").using("gin", t.relatedAgents),
    // The agent filter's rarer branches (docs/ARCHITECTURE.md, "xAPI queries"): a Group as actor (its
    // members match) and an Agent or Group as object; the common one, the actor itself, walks actor_idx.
    index("xapi_statements_group_actor_idx")
      .using("gin", t.relatedAgents)
      .where(sql`(statement->'actor'->>'objectType') = 'Group'`),
    index("xapi_statements_agent_object_idx")
      .using("gin", t.relatedAgents)
      .where(sql`(statement->'object'->>'objectType') in ('Agent', 'Group')`),
    index("xapi_statements_related_activities_idx").using("gin", t.relatedActivities),
  ],
);

/** Statement attachments by content hash (shared by every statement that names the same content). */
export const xapiAttachments = pgTable("xapi_attachments", {
  sha2: text("sha2").primaryKey(),
  contentType: text("content_type").notNull(),
  length: integer("length").notNull(),
  content: text("content_base64").notNull(),
});

/** State, Activity Profile and Agent Profile documents, with their ETag (SHA-1 of the content). */
export const xapiDocuments = pgTable(
  "xapi_documents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind", { enum: ["state", "activity_profile", "agent_profile"] }).notNull(),
    activityId: text("activity_id").notNull().default(""),
    agentIfi: text("agent_ifi").notNull().default(""),
    registration: text("registration").notNull().default(""),
    docId: text("doc_id").notNull(),
    contentType: text("content_type").notNull(),
    content: text("content_base64").notNull(),
    etag: text("etag").notNull(),
    updated: ts("updated").notNull(),
  },
  (t) => [
    uniqueIndex("xapi_documents_key").on(t.kind, t.activityId, t.agentIfi, t.registration, t.docId),
    index("xapi_documents_updated_idx").on(t.kind, t.activityId, t.agentIfi, t.updated),
  ],
);

/**
 * Forwarding statements to an external LRS: an endpoint with its Basic credentials and a filter; the
 * cursor is the last statement (`seq`) delivered. At least once: a batch is retried with backoff until
 * the external LRS accepts it (statement ids make repeats harmless there).
 */
export const xapiForwarders = pgTable("xapi_forwarders", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  endpoint: text("endpoint").notNull(),
  username: text("username").notNull(),
  password: text("password").notNull(),
  /** Only these verbs (empty: every verb). */
  verbs: text("verbs")
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  /** Only statements whose activity id starts with this (empty: any). */
  activityPrefix: text("activity_prefix").notNull().default(""),
  enabled: boolean("enabled").notNull().default(true),
  cursorSeq: bigint("cursor_seq", { mode: "number" }).notNull().default(0),
  createdBy: uuid("created_by")
    .notNull()
    .references(() => users.id),
  createdAt: ts("created_at").notNull().defaultNow(),
});

/** One batch sent (or being retried) to a forwarder: the statements with seq in (from_seq, to_seq]. */
export const xapiDeliveries = pgTable(
  "xapi_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    forwarderId: uuid("forwarder_id")
      .notNull()
      .references(() => xapiForwarders.id, { onDelete: "cascade" }),
    fromSeq: bigint("from_seq", { mode: "number" }).notNull(),
    toSeq: bigint("to_seq", { mode: "number" }).notNull(),
    count: integer("count").notNull(),
    status: text("status", { enum: ["pending", "sent", "failed"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at"),
    lastError: text("last_error").notNull().default(""),
    createdAt: ts("created_at").notNull().defaultNow(),
    sentAt: ts("sent_at"),
  },
  (t) => [index("xapi_deliveries_forwarder_idx").on(t.forwarderId, t.createdAt)],
);

/**
 * The statements whose object is a StatementRef (voiding statements and references), by position: few,
 * so a query's second branch — references whose target matches the filters — reads this small table
 * instead of searching the statements for them.
 */
export const xapiStatementRefs = pgTable("xapi_statement_refs", {
  seq: bigint("seq", { mode: "number" }).primaryKey(),
  refId: uuid("ref_id").notNull(),
});

/**
 * Comments on an article, in threads: a root (thread_id null) at the end of the article or on a
 * selected passage (the quote with a little text before and after, so it can be found again after
 * edits), and its replies (thread_id = the root). Resolving is recorded on the root. Edits are
 * versioned (a stale version is a 409); deleting is soft.
 */
export const articleComments = pgTable(
  "article_comments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id),
    threadId: uuid("thread_id"),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    body: text("body").notNull(),
    anchorQuote: text("anchor_quote"),
    anchorPrefix: text("anchor_prefix"),
    anchorSuffix: text("anchor_suffix"),
    resolvedAt: ts("resolved_at"),
    resolvedBy: uuid("resolved_by").references(() => users.id),
    version: integer("version").notNull().default(1),
    /** Set by the demo seed, so a re-run adds nothing twice. */
    seedKey: text("seed_key"),
    createdAt: ts("created_at").notNull().defaultNow(),
    editedAt: ts("edited_at"),
    deletedAt: ts("deleted_at"),
  },
  (t) => [
    index("article_comments_article_idx").on(t.articleId, t.createdAt),
    index("article_comments_thread_idx").on(t.threadId),
    uniqueIndex("article_comments_seed_key").on(t.seedKey),
    check("article_comments_anchor_on_root", sql`thread_id is null or anchor_quote is null`),
    check("article_comments_resolved_on_root", sql`thread_id is null or resolved_at is null`),
  ],
);

/**
 * A person mentioned (`[@Name](/people/<id>)`) in an article, a question, an answer, a comment on
 * either or a comment on an article. `item_type`/`item_id` is the article or question whose read
 * rule decides who may see it (checked when the mention is made and again when it is listed).
 * One row per person and subject: saving again never notifies twice.
 */
export const mentions = pgTable(
  "mentions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    byId: uuid("by_id")
      .notNull()
      .references(() => users.id),
    subjectType: text("subject_type", {
      enum: ["article", "article_comment", "question", "answer", "comment"],
    }).notNull(),
    subjectId: uuid("subject_id").notNull(),
    itemType: text("item_type", { enum: ["article", "question"] }).notNull(),
    itemId: uuid("item_id").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    seenAt: ts("seen_at"),
  },
  (t) => [
    uniqueIndex("mentions_once").on(t.userId, t.subjectType, t.subjectId),
    index("mentions_user_idx").on(t.userId, t.createdAt),
  ],
);

/**
 * Durable background work (outgoing webhooks today; e-mail and chat next): a row per job, claimed by
 * one instance at a time (`for update skip locked`, a lease in `locked_until`), retried with
 * exponential backoff until `max_attempts`. Enqueued in the transaction of the change it follows, so
 * a job exists exactly when its change was committed.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    queue: text("queue").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    runAt: ts("run_at").notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(8),
    lockedBy: text("locked_by"),
    lockedUntil: ts("locked_until"),
    lastError: text("last_error"),
    doneAt: ts("done_at"),
    failedAt: ts("failed_at"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("jobs_due_idx")
      .on(t.runAt)
      .where(sql`done_at is null and failed_at is null`),
  ],
);

/** Outgoing webhooks: an admin's endpoint that receives chosen events on content everyone may read. */
export const webhooks = pgTable("webhooks", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  url: text("url").notNull(),
  /** The shared secret the HMAC-SHA256 signature is made with (shown to admins, who give it to the receiver). */
  secret: text("secret").notNull(),
  events: text("events").array().notNull(),
  /** The body: Knowhow's signed JSON, or a Slack or Microsoft Teams incoming-webhook message. */
  format: text("format", { enum: ["json", "slack", "teams"] })
    .notNull()
    .default("json"),
  /** Only events in this space or community (null: anywhere). */
  spaceId: uuid("space_id").references(() => spaces.id, { onDelete: "cascade" }),
  communityId: uuid("community_id").references(() => communities.id, { onDelete: "cascade" }),
  enabled: boolean("enabled").notNull().default(true),
  version: integer("version").notNull().default(1),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** One event sent (or to be sent) to one webhook: the delivery log, with every attempt's outcome. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: ["pending", "delivered", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    lastError: text("last_error"),
    durationMs: integer("duration_ms"),
    nextAttemptAt: ts("next_attempt_at"),
    deliveredAt: ts("delivered_at"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("webhook_deliveries_webhook_idx").on(t.webhookId, t.createdAt)],
);

/**
 * Personal API tokens: a person's scripts and tools call the API as them, within the token's
 * scopes (read; write; admin — only for admins). Stored hashed; shown once when made.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** The first characters of the token, to recognise it in lists. */
    prefix: text("prefix").notNull(),
    scopes: text("scopes").array().notNull(),
    expiresAt: ts("expires_at"),
    lastUsedAt: ts("last_used_at"),
    revokedAt: ts("revoked_at"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("api_tokens_hash_idx").on(t.tokenHash), index("api_tokens_user_idx").on(t.userId)],
);

// ---------- Single sign-on (OpenID Connect) ----------

/** How a provider's groups claim maps onto Knowhow: a group that makes its members admins (or guests)… */
export type SsoRoleMapping = { group: string; role: "admin" | "member" | "guest" };
/** …and a group whose members join a space with a role. */
export type SsoSpaceMapping = { group: string; spaceId: string; role: "viewer" | "editor" };

/**
 * An OpenID Connect provider people may sign in with (Entra ID, Okta, Keycloak…), configured by an
 * admin. The client secret is kept to authenticate at the provider's token endpoint and is never
 * sent back by the API. Claim names say where a person's name, department, manager and groups come
 * from (empty: not taken from the provider).
 */
export const ssoProviders = pgTable("sso_providers", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  issuer: text("issuer").notNull(),
  clientId: text("client_id").notNull(),
  clientSecret: text("client_secret").notNull().default(""),
  scopes: text("scopes").notNull().default("openid email profile"),
  nameClaim: text("name_claim").notNull().default("name"),
  departmentClaim: text("department_claim").notNull().default(""),
  managerEmailClaim: text("manager_email_claim").notNull().default(""),
  groupsClaim: text("groups_claim").notNull().default("groups"),
  roleMappings: jsonb("role_mappings")
    .$type<SsoRoleMapping[]>()
    .notNull()
    .default(sql`'[]'::jsonb`),
  spaceMappings: jsonb("space_mappings")
    .$type<SsoSpaceMapping[]>()
    .notNull()
    .default(sql`'[]'::jsonb`),
  enabled: boolean("enabled").notNull().default(true),
  version: integer("version").notNull().default(1),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** Which Knowhow account a provider's subject (`sub`) is: found by it on every later sign-in. */
export const ssoIdentities = pgTable(
  "sso_identities",
  {
    providerId: uuid("provider_id")
      .notNull()
      .references(() => ssoProviders.id, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: ts("created_at").notNull().defaultNow(),
    lastSignInAt: ts("last_sign_in_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.providerId, t.subject] }), index("sso_identities_user_idx").on(t.userId)],
);

/**
 * The instance's sign-in settings: one row (id 1). With `passwordSignIn` off, only admins may still
 * sign in with a password (so a broken provider cannot lock everybody out).
 */
export const ssoSettings = pgTable(
  "sso_settings",
  {
    id: integer("id").primaryKey().default(1),
    passwordSignIn: boolean("password_sign_in").notNull().default(true),
    version: integer("version").notNull().default(1),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  () => [check("sso_settings_one_row", sql`id = 1`)],
);
