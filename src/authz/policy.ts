import { AppError, notFound } from "../platform/errors";

/** Who is acting. Anonymous requests have no actor and are denied everything not public. */
export type Actor = { id: string; role: "admin" | "member" | "guest"; name: string; knowledgeManager?: boolean };

type SpaceRole = "owner" | "editor" | "viewer";

/** A space as the policy sees it: its visibility and the actor's role in it (null = not a member). */
export type SpaceSubject = {
  kind: "space";
  id: string;
  visibility: "public" | "private";
  memberAccess: "editor" | "viewer";
  memberRole: SpaceRole | null;
};

/**
 * A community of practice as the policy sees it: its two settings and the actor's place in it
 * (null = not a member; "pending" = a request waiting for a lead, "invited" = an invitation not yet
 * answered: neither reads anything a member reads).
 */
export type CommunitySubject = {
  kind: "community";
  id: string;
  joining: "open" | "request";
  visibility: "everyone" | "members";
  memberRole: "lead" | "member" | "pending" | "invited" | null;
};

export type ArticleSubject = {
  kind: "article";
  id: string;
  space: SpaceSubject;
  ownerId: string;
  status: "draft" | "published";
  deleted: boolean;
};

/**
 * A comment on an article: read with the article; `threadAuthorId` is the author of its thread's root
 * (the comment's own author for a root), who may resolve and reopen the thread with the article's editors.
 */
export type ArticleCommentSubject = {
  kind: "articleComment";
  id: string;
  article: ArticleSubject;
  authorId: string;
  threadAuthorId: string;
  root: boolean;
  resolved: boolean;
  deleted: boolean;
};

/** A question asked to the whole organisation (space and community null), inside a space, or to a community. */
export type QuestionSubject = {
  kind: "question";
  id: string;
  space: SpaceSubject | null;
  community: CommunitySubject | null;
  authorId: string;
  deleted: boolean;
  closed: boolean;
};

export type AnswerSubject = {
  kind: "answer";
  id: string;
  question: QuestionSubject;
  authorId: string;
  deleted: boolean;
};

/** A lesson (mistake report or retrospective lesson): org-wide (space null) or inside a space. */
export type LessonSubject = {
  kind: "lesson";
  id: string;
  space: SpaceSubject | null;
  authorId: string;
  anonymous: boolean;
  deleted: boolean;
};
/** A retrospective: org-wide or in a space; participants may add items. */
export type RetrospectiveSubject = {
  kind: "retrospective";
  id: string;
  space: SpaceSubject | null;
  authorId: string;
  participantIds: string[];
};
/** A working-out-loud post. */
export type PostSubject = {
  kind: "post";
  id: string;
  space: SpaceSubject | null;
  community: CommunitySubject | null;
  authorId: string;
  deleted: boolean;
};
/**
 * A knowledge-sharing session: open to the organisation (community null) or to a community's
 * audience (a members-only community keeps it to its members); its presenters and announcer manage it.
 */
export type SessionSubject = {
  kind: "session";
  id: string;
  community: CommunitySubject | null;
  createdBy: string;
  presenterIds: string[];
  /** Called off: still readable, no longer answerable. */
  cancelled: boolean;
};
/** A mentor programme: every colleague may read it and opt in; knowledge managers and admins run it. */
export type ProgrammeSubject = { kind: "programme"; id: string };
/**
 * A mentorship: the pair's own. Nobody else reads its goals, notes or meetings — not admins, not the
 * knowledge managers who run the programme (they see its status on the programme's review).
 */
export type MentorshipSubject = {
  kind: "mentorship";
  id: string;
  mentorId: string;
  menteeId: string;
  status: "proposed" | "active" | "declined" | "expired" | "closed";
  mentorAccepted: boolean;
  menteeAccepted: boolean;
};
/**
 * A feedback request: its asker reads the answers (no one else — admins neither); the people asked
 * (`recipient`, null for everyone else) see the request and whether they answered. For anyone else
 * it does not exist.
 */
export type FeedbackRequestSubject = {
  kind: "feedbackRequest";
  id: string;
  askerId: string;
  recipient: { answered: boolean } | null;
  open: boolean;
};
/**
 * A workgroup: it lives in a private space, so its leader, its members and admins read it; the leader
 * edits and closes it while it runs.
 */
export type WorkgroupSubject = {
  kind: "workgroup";
  id: string;
  leaderId: string;
  memberIds: readonly string[];
  status: "active" | "closed";
};
/**
 * A learning path: a published one is read by everyone (each step's knowledge still by its own rules),
 * a draft by its owner, knowledge managers and admins.
 */
export type PathSubject = { kind: "path"; id: string; ownerId: string; status: "draft" | "published" | "archived" };
/** A cohort: its members read it (units, dashboard, feed); knowledge managers and admins run it. */
export type CohortSubject = { kind: "cohort"; id: string; member: boolean };
/** A file of a session (slides, a recording): read with the session, removed by its uploader or those who run it. */
export type SessionFileSubject = { kind: "sessionFile"; id: string; session: SessionSubject; uploaderId: string };
/** A private journal entry. */
type JournalSubject = { kind: "journal"; id: string; userId: string };

/** Who was asked to help with a question (routing requests): the asker, admins and the people asked see it. */
type RoutingSubject = { kind: "routing"; question: QuestionSubject; asked: boolean };
/**
 * A piece of knowledge under verification (an article or an accepted answer) and its owner, a
 * person or a department (`actorInOwnerDepartment` is looked up for the actor).
 */
export type KnowledgeSubject = {
  kind: "knowledge";
  type: "article" | "answer";
  space: SpaceSubject | null;
  owner: { type: "person"; id: string } | { type: "group"; department: string };
  actorInOwnerDepartment: boolean;
};

/** A file uploaded for an article that does not exist yet: its uploader's alone until the article is created. */
export type PendingUploadSubject = { kind: "pendingUpload"; uploaderId: string; space: SpaceSubject };

type PersonSubject = { kind: "person"; id: string };
type InstanceSubject = { kind: "instance" };

type Subjects = {
  space: SpaceSubject;
  community: CommunitySubject;
  article: ArticleSubject;
  articleComment: ArticleCommentSubject;
  question: QuestionSubject;
  answer: AnswerSubject;
  person: PersonSubject;
  instance: InstanceSubject;
  lesson: LessonSubject;
  retrospective: RetrospectiveSubject;
  post: PostSubject;
  session: SessionSubject;
  programme: ProgrammeSubject;
  mentorship: MentorshipSubject;
  sessionFile: SessionFileSubject;
  journal: JournalSubject;
  routing: RoutingSubject;
  knowledge: KnowledgeSubject;
  pendingUpload: PendingUploadSubject;
  feedbackRequest: FeedbackRequestSubject;
  workgroup: WorkgroupSubject;
  path: PathSubject;
  cohort: CohortSubject;
};

type Rule<S> = (actor: Actor, subject: S) => boolean;
type Rules = { [K in keyof Subjects]: Record<string, Rule<Subjects[K]>> };
type SubjectKind = keyof Subjects;
/** Anything the policy decides about. */
type Subject = Subjects[SubjectKind];

/** The effective role an actor has in a space; guests never get more than viewer. */
export function effectiveSpaceRole(actor: Actor, space: SpaceSubject): SpaceRole | null {
  if (actor.role === "admin") return "owner";
  let role: SpaceRole | null = space.memberRole;
  if (!role && space.visibility === "public") role = space.memberAccess;
  if (role && actor.role === "guest") return "viewer";
  return role;
}

const canReadSpace: Rule<SpaceSubject> = (a, s) => effectiveSpaceRole(a, s) !== null;
const canWriteSpace: Rule<SpaceSubject> = (a, s) => {
  const r = effectiveSpaceRole(a, s);
  return r === "owner" || r === "editor";
};
const ownsSpace: Rule<SpaceSubject> = (a, s) => effectiveSpaceRole(a, s) === "owner";

// A draft is its owner's (and admins') alone, in the trash too: "draft" is checked before "deleted".
const ownDraftOrPublished = (a: Actor, x: ArticleSubject) =>
  x.status === "published" || x.ownerId === a.id || a.role === "admin";
const readArticle: Rule<ArticleSubject> = (a, x) => {
  if (!canReadSpace(a, x.space) || !ownDraftOrPublished(a, x)) return false;
  if (x.deleted) return canWriteSpace(a, x.space);
  return true;
};
const editArticle: Rule<ArticleSubject> = (a, x) =>
  !x.deleted && canWriteSpace(a, x.space) && ownDraftOrPublished(a, x);

// Commenting is like answering: whoever reads the article, guests aside (not in the trash).
const commentOnArticle: Rule<ArticleSubject> = (a, x) => readArticle(a, x) && !x.deleted && a.role !== "guest";
const readArticleComment: Rule<ArticleCommentSubject> = (a, c) => !c.deleted && readArticle(a, c.article);
const ownArticleComment: Rule<ArticleCommentSubject> = (a, c) =>
  readArticleComment(a, c) && !c.article.deleted && a.id === c.authorId;
// Resolving a thread: the article's editors and whoever started the thread.
const resolveArticleThread: Rule<ArticleCommentSubject> = (a, c) =>
  readArticleComment(a, c) &&
  c.root &&
  !c.article.deleted &&
  a.role !== "guest" &&
  (editArticle(a, c.article) || a.id === c.threadAuthorId);

const isCommunityMember = (c: CommunitySubject) => c.memberRole === "lead" || c.memberRole === "member";
// A members-only community is read like a private space: by its members (and admins) alone.
const canReadCommunity: Rule<CommunitySubject> = (a, c) =>
  a.role === "admin" || c.visibility === "everyone" || isCommunityMember(c);
const leadsCommunity: Rule<CommunitySubject> = (a, c) => a.role === "admin" || c.memberRole === "lead";
const inCommunity = (a: Actor, c: CommunitySubject | null) => (c ? canReadCommunity(a, c) : true);

const readQuestion: Rule<QuestionSubject> = (a, q) =>
  !q.deleted && (q.space ? canReadSpace(a, q.space) : true) && inCommunity(a, q.community);
const participate: Rule<QuestionSubject> = (a, q) => readQuestion(a, q) && a.role !== "guest";
const moderateQuestion: Rule<QuestionSubject> = (a, q) =>
  readQuestion(a, q) &&
  (a.id === q.authorId ||
    a.role === "admin" ||
    (q.space !== null && canWriteSpace(a, q.space)) ||
    (q.community !== null && leadsCommunity(a, q.community)));

const inSpaceOrOrg = (a: Actor, space: SpaceSubject | null) => (space ? canReadSpace(a, space) : true);
// Owners (the person, or members of the owning department), the space's owners and admins.
const verifyKnowledge: Rule<KnowledgeSubject> = (a, k) => {
  if (a.role === "admin") return true;
  if (a.role === "guest") return false;
  if (k.space && ownsSpace(a, k.space)) return true;
  return k.owner.type === "person" ? k.owner.id === a.id : k.actorInOwnerDepartment;
};
const readSession: Rule<SessionSubject> = (a, s) => inCommunity(a, s.community);
const runsSession: Rule<SessionSubject> = (a, s) =>
  readSession(a, s) && (a.role === "admin" || a.id === s.createdBy || s.presenterIds.includes(a.id));
const runsProgrammes = (a: Actor) => a.role === "admin" || a.knowledgeManager === true;
const inPair: Rule<MentorshipSubject> = (a, m) => a.id === m.mentorId || a.id === m.menteeId;
const asksFeedback: Rule<FeedbackRequestSubject> = (a, f) => a.id === f.askerId;
const inWorkgroup: Rule<WorkgroupSubject> = (a, w) =>
  a.role === "admin" || a.id === w.leaderId || w.memberIds.includes(a.id);
const leadsWorkgroup: Rule<WorkgroupSubject> = (a, w) => a.id === w.leaderId && w.status === "active";
const readLesson: Rule<LessonSubject> = (a, l) => !l.deleted && inSpaceOrOrg(a, l.space);

// Every action of the app is declared here; anything not declared is denied.
const rules = {
  community: {
    read: canReadCommunity,
    // Open communities: join at once; by request: a lead approves. Guests do not join.
    join: (a, c) => canReadCommunity(a, c) && a.role !== "guest" && c.memberRole === null && c.joining === "open",
    request: (a, c) => canReadCommunity(a, c) && a.role !== "guest" && c.memberRole === null && c.joining === "request",
    // Leaving, or withdrawing one's request (an invitation is declined).
    leave: (_a, c) => c.memberRole !== null && c.memberRole !== "invited",
    // An invitation: accepting makes a member (whatever the joining setting); declining drops it.
    accept: (a, c) => c.memberRole === "invited" && a.role !== "guest",
    decline: (_a, c) => c.memberRole === "invited",
    // Address a question to it: anyone who reads it (members only, when members-only), guests aside.
    ask: (a, c) => canReadCommunity(a, c) && a.role !== "guest",
    // Post into it: its members.
    post: (a, c) => a.role !== "guest" && (a.role === "admin" || isCommunityMember(c)),
    followQuestions: (_a, c) => isCommunityMember(c),
    update: leadsCommunity,
    // Approve requests, add people, make leads, remove.
    manageMembers: leadsCommunity,
    pin: leadsCommunity,
    // Announce a session to its audience: anyone who reads it, guests aside.
    announce: (a, c) => canReadCommunity(a, c) && a.role !== "guest",
  },
  session: {
    read: readSession,
    // A cancelled session stays readable but takes no answers and no check-ins.
    rsvp: (a, s) => readSession(a, s) && a.role !== "guest" && !s.cancelled,
    checkIn: (a, s) => readSession(a, s) && a.role !== "guest" && !s.cancelled,
    // Attendance of others, editing, notes, files: presenters, the announcer, admins.
    manage: runsSession,
    cancel: (a, s) => runsSession(a, s) && !s.cancelled,
    // Slides, recordings and other files: those who run it.
    attachFile: (a, s) => runsSession(a, s) && a.role !== "guest",
    // A question raised at it becomes a Knowhow question: anyone who reads it, guests aside (they do not ask).
    raiseQuestion: (a, s) => readSession(a, s) && a.role !== "guest",
    // Turn it into an article owned by the presenter: presenters only (it is evidence of their expertise).
    turnIntoKnowledge: (a, s) => readSession(a, s) && s.presenterIds.includes(a.id),
  },
  programme: {
    read: (a) => a.role !== "guest",
    participate: (a) => a.role !== "guest",
    // Run the matching, pin or forbid pairs, see the review and its health.
    manage: runsProgrammes,
  },
  mentorship: {
    read: inPair,
    accept: (a, m) =>
      inPair(a, m) && m.status === "proposed" && (a.id === m.mentorId ? !m.mentorAccepted : !m.menteeAccepted),
    decline: (a, m) => inPair(a, m) && m.status === "proposed",
    // Goals, notes, meetings and the closing evaluation: the pair, while it runs.
    edit: (a, m) => inPair(a, m) && m.status === "active",
    close: (a, m) => inPair(a, m) && m.status === "active",
  },
  workgroup: {
    read: inWorkgroup,
    // Its title, description and skills: the leader, while it runs.
    edit: leadsWorkgroup,
    // Close it with a retrospective in its space: the leader, while it runs.
    close: leadsWorkgroup,
  },
  path: {
    read: (a, p) => p.status !== "draft" || a.id === p.ownerId || runsProgrammes(a),
    // Its title, goal, steps, status: the owner, knowledge managers, admins.
    edit: (a, p) => a.role !== "guest" && (a.id === p.ownerId || runsProgrammes(a)),
    enrol: (a, p) => p.status === "published" && a.role !== "guest",
    // Assign it with a due date: knowledge managers and admins to anyone; a manager to the people who
    // report to them (checked per person by the service: the manager chain).
    assign: (a, p) => p.status === "published" && a.role !== "guest",
    // Completion funnel, check pass rates, overdue assignments (names): the owner, knowledge managers, admins.
    analytics: (a, p) => a.id === p.ownerId || runsProgrammes(a),
  },
  cohort: {
    read: (a, c) => c.member || runsProgrammes(a),
    // Propose and start phases, pin, add or drop members, rebalance, set sync points.
    manage: (a) => runsProgrammes(a),
  },
  sessionFile: {
    // Listed and downloaded by whoever reads the session (a members-only community's: its members).
    read: (a, f) => readSession(a, f.session),
    delete: (a, f) => readSession(a, f.session) && (a.id === f.uploaderId || runsSession(a, f.session)),
  },
  space: {
    read: canReadSpace,
    createArticle: canWriteSpace,
    update: ownsSpace,
    manageMembers: ownsSpace,
    upload: canWriteSpace,
  },
  article: {
    read: readArticle,
    readHistory: readArticle,
    update: editArticle,
    // Moving within the page tree (another space also needs createArticle there).
    move: editArticle,
    delete: editArticle,
    restoreRevision: editArticle,
    restoreFromTrash: (a, x) => x.deleted && canWriteSpace(a, x.space) && ownDraftOrPublished(a, x),
    // Start a comment thread (at the end or on a passage): readers, guests aside, like answering.
    comment: commentOnArticle,
  },
  articleComment: {
    read: readArticleComment,
    // Replying to an open thread (a resolved one is reopened first).
    reply: (a, c) => readArticleComment(a, c) && commentOnArticle(a, c.article) && !c.resolved,
    // One's own comments only (admins moderate by deleting).
    edit: ownArticleComment,
    delete: (a, c) => ownArticleComment(a, c) || (readArticleComment(a, c) && a.role === "admin"),
    resolve: (a, c) => resolveArticleThread(a, c) && !c.resolved,
    reopen: (a, c) => resolveArticleThread(a, c) && c.resolved,
  },
  question: {
    read: readQuestion,
    answer: (a, q) => participate(a, q) && !q.closed,
    comment: participate,
    vote: (a, q) => participate(a, q) && a.id !== q.authorId,
    edit: (a, q) => readQuestion(a, q) && (a.id === q.authorId || a.role === "admin"),
    accept: (a, q) => readQuestion(a, q) && (a.id === q.authorId || a.role === "admin"),
    close: moderateQuestion,
    delete: moderateQuestion,
  },
  answer: {
    read: (a, x) => !x.deleted && readQuestion(a, x.question),
    edit: (a, x) => !x.deleted && readQuestion(a, x.question) && (a.id === x.authorId || a.role === "admin"),
    delete: (a, x) => !x.deleted && readQuestion(a, x.question) && (a.id === x.authorId || a.role === "admin"),
    vote: (a, x) => !x.deleted && participate(a, x.question) && a.id !== x.authorId,
  },
  lesson: {
    read: readLesson,
    edit: (a, l) => readLesson(a, l) && (a.id === l.authorId || a.role === "admin"),
    delete: (a, l) => readLesson(a, l) && (a.id === l.authorId || a.role === "admin"),
    // Anonymous to readers: only the author and admins (audit) see who wrote it.
    seeAuthor: (a, l) => readLesson(a, l) && (!l.anonymous || a.id === l.authorId || a.role === "admin"),
  },
  retrospective: {
    read: (a, r) => inSpaceOrOrg(a, r.space),
    edit: (a, r) =>
      inSpaceOrOrg(a, r.space) &&
      a.role !== "guest" &&
      (a.id === r.authorId || r.participantIds.includes(a.id) || a.role === "admin"),
    makeLesson: (a, r) =>
      inSpaceOrOrg(a, r.space) &&
      a.role !== "guest" &&
      (a.id === r.authorId || r.participantIds.includes(a.id) || a.role === "admin"),
  },
  post: {
    read: (a, p) => !p.deleted && inSpaceOrOrg(a, p.space) && inCommunity(a, p.community),
    react: (a, p) => !p.deleted && inSpaceOrOrg(a, p.space) && inCommunity(a, p.community) && a.role !== "guest",
    comment: (a, p) => !p.deleted && inSpaceOrOrg(a, p.space) && inCommunity(a, p.community) && a.role !== "guest",
    delete: (a, p) => !p.deleted && (a.id === p.authorId || a.role === "admin"),
  },
  routing: {
    read: (a, r) => readQuestion(a, r.question) && (a.id === r.question.authorId || a.role === "admin" || r.asked),
  },
  knowledge: {
    verify: verifyKnowledge,
    // Anyone who may read it, except guests, may challenge it.
    challenge: (a, k) => a.role !== "guest" && inSpaceOrOrg(a, k.space),
    answerChallenge: verifyKnowledge,
    // Owner and interval: those who verify, and the editors of an article's space.
    manage: (a, k) =>
      verifyKnowledge(a, k) ||
      (k.type === "article" && k.space !== null && a.role !== "guest" && canWriteSpace(a, k.space)),
  },
  pendingUpload: {
    // Private to the uploader (admins included in "not allowed") until bound to the new article.
    read: (a, u) => a.id === u.uploaderId && canReadSpace(a, u.space),
    attach: (a, u) => a.id === u.uploaderId && canWriteSpace(a, u.space),
  },
  feedbackRequest: {
    // The asker and the people asked; nobody else learns that it exists (an admin's role opens nothing here).
    read: (a, f) => asksFeedback(a, f) || f.recipient !== null,
    // The answers, the people asked and the counts: the asker alone.
    readAnswers: asksFeedback,
    answer: (a, f) => f.recipient !== null && !f.recipient.answered && f.open && a.role !== "guest",
    thank: asksFeedback,
    close: (a, f) => asksFeedback(a, f) && f.open,
    share: asksFeedback,
    makeLesson: asksFeedback,
  },
  journal: {
    // Private: not even admins read someone's journal.
    read: (a, j) => a.id === j.userId,
    edit: (a, j) => a.id === j.userId,
  },
  person: {
    read: (a) => a.role !== undefined,
    update: (a, p) => a.id === p.id || a.role === "admin",
    changeRole: (a, p) => a.role === "admin" && a.id !== p.id,
    // Department, manager and title decide who verifies what (department-owned knowledge) and
    // who reports to whom: an admin's (or directory sync's) decision, never the person's own.
    changePlacement: (a) => a.role === "admin",
    endorse: (a, p) => a.role !== "guest" && a.id !== p.id,
  },
  instance: {
    createSpace: (a) => a.role === "admin" || a.role === "member",
    createCommunity: (a) => a.role === "admin" || a.role === "member",
    ask: (a) => a.role !== "guest",
    manageInvitations: (a) => a.role === "admin",
    readAudit: (a) => a.role === "admin",
    administer: (a) => a.role === "admin",
    // The individual-level network map names people; admins and knowledge managers only.
    viewNetworkIndividuals: (a) => a.role === "admin" || a.knowledgeManager === true,
    viewNetworkDepartments: (a) => a.role !== "guest",
    // Communities that should exist (topics people already help each other on across departments) and
    // creating one with its people invited: knowledge managers and admins.
    planCommunities: (a) => a.role === "admin" || (a.knowledgeManager === true && a.role !== "guest"),
    importNetwork: (a) => a.role === "admin",
    readPeople: () => true,
    writeLesson: (a) => a.role !== "guest",
    post: (a) => a.role !== "guest",
    announceSession: (a) => a.role !== "guest",
    createProgramme: runsProgrammes,
    journal: (a) => a.role !== undefined,
    askFeedback: (a) => a.role !== "guest",
    // Propose a workgroup for a challenge (and confirm it, becoming its leader): colleagues, not guests.
    proposeWorkgroup: (a) => a.role !== "guest",
    createPath: (a) => a.role !== "guest",
    createCohort: runsProgrammes,
    // Article templates everyone starts from: knowledge managers and admins write them.
    manageTemplates: (a) => a.role === "admin" || (a.knowledgeManager === true && a.role !== "guest"),
  },
} satisfies Rules;

/**
 * What a 404 says for each kind of subject: the same words as when the record does not exist,
 * so that a refused read and a missing record cannot be told apart.
 */
const NOT_FOUND: Record<keyof Subjects, string> = {
  space: "Space not found",
  community: "Community not found",
  article: "Article not found",
  articleComment: "Comment not found",
  question: "Question not found",
  answer: "Answer not found",
  lesson: "Lesson not found",
  retrospective: "Retrospective not found",
  post: "Post not found",
  session: "Session not found",
  programme: "Programme not found",
  mentorship: "Mentorship not found",
  sessionFile: "File not found",
  journal: "Entry not found",
  routing: "Question not found",
  knowledge: "Not found",
  pendingUpload: "Attachment not found",
  feedbackRequest: "Feedback request not found",
  workgroup: "Workgroup not found",
  path: "Learning path not found",
  cohort: "Cohort not found",
  person: "Person not found",
  instance: "Not found",
};

/** The actions declared for a kind of subject: a misspelled action does not compile. */
type Action<K extends SubjectKind> = keyof (typeof rules)[K] & string;

/** True when the actor may do `action` on `subject`; anonymous actors are denied. */
export function can<S extends Subject>(actor: Actor | null, action: NoInfer<Action<S["kind"]>>, subject: S): boolean {
  if (!actor) return false;
  const rule = ruleFor(subject, action);
  return rule ? rule(actor, subject) : false;
}

function ruleFor<S extends Subject>(subject: S, action: string): Rule<S> | undefined {
  return (rules[subject.kind] as unknown as Record<string, Rule<S> | undefined>)[action];
}

/**
 * Every action on the subject with whether the actor may do it (Outline's presentPolicies): sent
 * beside objects so the web app shows the buttons the policy allows and never re-derives them.
 */
export function abilities<S extends Subject>(actor: Actor | null, subject: S): Record<Action<S["kind"]>, boolean> {
  const table = rules[subject.kind] as unknown as Record<string, Rule<S>>;
  return Object.fromEntries(
    Object.keys(table).map((action) => [action, actor !== null && table[action](actor, subject)]),
  ) as Record<Action<S["kind"]>, boolean>;
}

/**
 * Throws unless allowed. Something the actor may not even read answers 404, so that
 * private content does not reveal that it exists; otherwise 403.
 */
export function authorize<S extends Subject>(
  actor: Actor | null,
  action: NoInfer<Action<S["kind"]>>,
  subject: S,
): void {
  if (!actor) throw new AppError("unauthenticated", "Sign in to continue");
  if (can(actor, action, subject)) return;
  const read = subject.kind === "journal" ? undefined : ruleFor(subject, "read");
  const readable =
    subject.kind === "instance" ||
    subject.kind === "person" ||
    subject.kind === "knowledge" ||
    (read !== undefined && read(actor, subject));
  if (!readable) throw notFound(NOT_FOUND[subject.kind]);
  throw new AppError("forbidden", "You do not have permission to do that");
}

/** Requires a signed-in actor. */
export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new AppError("unauthenticated", "Sign in to continue");
  return actor;
}
