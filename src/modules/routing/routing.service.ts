import { and, eq, sql } from "drizzle-orm";
import { questions, routingRequests } from "../../../db/schema";
import { rows, type Executor } from "../../platform/db";
import type { AppContext } from "../../context";
import { AppError, invalidField, notFound } from "../../platform/errors";
import { can, type Actor, type CommunitySubject, type QuestionSubject, type SpaceSubject } from "../../authz/policy";
import { loadCommunitySubject, loadSpaceSubject } from "../../authz/access";
import { readableAudiences, readableSql } from "../../authz/audience";
import { loadPeople, reachabilityOf, settingsOf, type PersonRow } from "../accounts/users";
import { bumpExpertise, type ExpertReason } from "../expertise/expertise.service";
import { loadCounts } from "../expertise/availability.service";
import { communityWeighted } from "../../domain/communities/communities";

type QuestionRow = typeof questions.$inferSelect;

const actorOf = (p: PersonRow): Actor => ({
  id: p.id,
  role: p.role,
  name: p.name,
  knowledgeManager: p.knowledge_manager,
});

/** The question's community with each person's place in it (null when not addressed to one). */
async function communityOf(db: Executor, q: QuestionRow) {
  const communityId = q.communityId;
  if (!communityId) return null;
  const [c] = await rows<{
    name: string;
    joining: CommunitySubject["joining"];
    visibility: CommunitySubject["visibility"];
  }>(db, sql`select name, joining, visibility from communities where id = ${communityId}`);
  if (!c) return null;
  const roles = new Map<string, CommunitySubject["memberRole"]>();
  for (const m of await rows<{ user_id: string; role: CommunitySubject["memberRole"] }>(
    db,
    sql`select user_id, role from community_members where community_id = ${communityId}`,
  ))
    roles.set(m.user_id, m.role);
  const subjectFor = (personId: string): CommunitySubject => ({
    kind: "community",
    id: communityId,
    joining: c.joining,
    visibility: c.visibility,
    memberRole: roles.get(personId) ?? null,
  });
  const isMember = (personId: string) => roles.get(personId) === "lead" || roles.get(personId) === "member";
  return { id: communityId, name: c.name, subjectFor, isMember };
}
type CommunityOfQuestion = Awaited<ReturnType<typeof communityOf>>;

/** Of these people, those who may answer the question (readers of its space or community who are not guests). */
async function mayAnswer(
  db: Executor,
  q: QuestionRow,
  community: CommunityOfQuestion,
  people: PersonRow[],
): Promise<Set<string>> {
  let space: Omit<SpaceSubject, "memberRole"> | null = null;
  const roles = new Map<string, SpaceSubject["memberRole"]>();
  if (q.spaceId) {
    const [s] = await rows<{ visibility: "public" | "private"; member_access: "editor" | "viewer" }>(
      db,
      sql`select visibility, member_access from spaces where id = ${q.spaceId}`,
    );
    if (!s) return new Set();
    space = { kind: "space", id: q.spaceId, visibility: s.visibility, memberAccess: s.member_access };
    for (const m of await rows<{ user_id: string; role: SpaceSubject["memberRole"] }>(
      db,
      sql`select user_id, role from space_members where space_id = ${q.spaceId}`,
    ))
      roles.set(m.user_id, m.role);
  }
  const ok = new Set<string>();
  for (const p of people) {
    const subject: QuestionSubject = {
      kind: "question",
      id: q.id,
      space: space ? { ...space, memberRole: roles.get(p.id) ?? null } : null,
      community: community ? community.subjectFor(p.id) : null,
      authorId: q.authorId,
      deleted: false,
      closed: false,
    };
    if (can(actorOf(p), "answer", subject)) ok.add(p.id);
  }
  return ok;
}

const open = (q: QuestionRow) =>
  q.deletedAt === null && q.closedAt === null && q.duplicateOfId === null && q.acceptedAnswerId === null;

// Load spreading: each open request a person already has, and each request they got today, weighs
// their score down, so when experts are close the work goes round instead of to the same person.
const LOAD_PENALTY = { pending: 0.5, today: 0.25 };

type RouteResult = {
  asked: { personId: string; name: string; score: number; reasons: ExpertReason[] }[];
  skipped: { personId: string; reason: string }[];
};

/**
 * Asks the best reachable people to help with a question: ranks colleagues by expertise (only
 * from evidence the asker may read), leaves out the asker, anyone already asked, people who may
 * not answer it, who are away, busy, off hours or at their daily cap, spreads load, and records
 * one request per person. Publishes a live event to each of them and to the asker.
 */
export async function routeQuestion(
  ctx: AppContext,
  questionId: string,
  options: { count?: number; nextRound?: boolean } = {},
): Promise<RouteResult> {
  const now = ctx.now();
  const [q] = await ctx.db.select().from(questions).where(eq(questions.id, questionId));
  if (!q || !open(q)) return { asked: [], skipped: [] };
  const askerRow = (await loadPeople(ctx.db, [q.authorId])).get(q.authorId);
  if (!askerRow) return { asked: [], skipped: [] };
  const asker = actorOf(askerRow);
  const already = await rows<{ expert_id: string }>(
    ctx.db,
    sql`select expert_id from routing_requests where question_id = ${q.id}`,
  );
  const exclude = new Set([q.authorId, ...already.map((r) => r.expert_id)]);
  const audiences =
    asker.role === "admin" ? ("all" as const) : new Set((await readableAudiences(ctx.db, asker)).keys());
  const ranked = await ctx.expertise.rank(
    { text: `${q.title}\n${q.body}`, tags: q.tags, at: now, askerId: q.authorId },
    { readableAudiences: audiences, limit: 60, exclude, reasons: 3 },
  );
  const people = await loadPeople(
    ctx.db,
    ranked.map((r) => r.personId),
  );
  const candidates = ranked
    .map((r) => ({ r, p: people.get(r.personId) }))
    .filter((c): c is { r: typeof c.r; p: PersonRow } => !!c.p && c.p.deactivated_at === null && c.p.can_sign_in);
  const community = await communityOf(ctx.db, q);
  const allowed = await mayAnswer(
    ctx.db,
    q,
    community,
    candidates.map((c) => c.p),
  );
  const counts = await loadCounts(
    ctx.db,
    candidates.map((c) => c.p),
    now,
  );
  const skipped: RouteResult["skipped"] = [];
  const eligible: { personId: string; name: string; score: number; adjusted: number; reasons: ExpertReason[] }[] = [];
  // Scores may be negative (learned log-linear weights): spreading works on strengths above the lowest.
  const floor = Math.min(0, ...candidates.map((c) => c.r.score));
  for (const { r, p } of candidates) {
    if (!allowed.has(p.id)) continue;
    // Only people with evidence on the question itself: being active is not knowing.
    if (r.reasons.length === 0) continue;
    const c = counts.get(p.id)!;
    const reach = reachabilityOf(p, now, c.today);
    if (!reach.reachable) {
      skipped.push({ personId: p.id, reason: reach.reason });
      continue;
    }
    // A question addressed to a community prefers its members; load and reachability still apply.
    const memberOf = community?.isMember(p.id) ? community : null;
    eligible.push({
      personId: p.id,
      name: p.name,
      score: r.score,
      adjusted:
        communityWeighted(r.score - floor + 1e-9, memberOf !== null) /
        (1 + LOAD_PENALTY.pending * c.pending + LOAD_PENALTY.today * c.today),
      reasons: memberOf
        ? [
            ...r.reasons,
            {
              kind: "community",
              title: `Member of ${memberOf.name}`,
              url: `/communities/${memberOf.id}`,
              at: now.toISOString(),
              weight: 0,
            },
          ]
        : r.reasons,
    });
  }
  eligible.sort((a, b) => b.adjusted - a.adjusted || b.score - a.score);
  const chosen = eligible.slice(0, options.count ?? ctx.config.routing.notify);
  const round = options.nextRound === false ? Math.max(1, q.routingRound) : q.routingRound + 1;
  // One request per question and person (unique): when a simultaneous routing of the same question
  // (two declines at once) asked someone first, they are not asked, told or reported twice.
  const inserted = await ctx.db.transaction(async (tx) => {
    const added = chosen.length
      ? await tx
          .insert(routingRequests)
          .values(
            chosen.map((c) => ({
              questionId: q.id,
              expertId: c.personId,
              round,
              score: c.score,
              reasons: c.reasons,
              createdAt: now,
            })),
          )
          .onConflictDoNothing()
          .returning({ expertId: routingRequests.expertId })
      : [];
    await tx
      .update(questions)
      .set({ routingRound: round, escalateAt: new Date(now.getTime() + ctx.config.routing.escalateMinutes * 60_000) })
      .where(eq(questions.id, q.id));
    return new Set(added.map((a) => a.expertId));
  });
  const asked = chosen.filter((c) => inserted.has(c.personId));
  if (asked.length)
    await ctx.events.publish({
      type: "routing.request",
      userIds: asked.map((c) => c.personId),
      data: { questionId: q.id },
    });
  await ctx.events.publish({ type: "routing.update", userIds: [q.authorId], data: { questionId: q.id } });
  return { asked: asked.map(({ personId, name, score, reasons }) => ({ personId, name, score, reasons })), skipped };
}

/**
 * Escalates questions nobody answered in time: their open requests expire and the next people
 * are asked, up to the configured number of rounds. Safe to run on several instances at once:
 * each question is claimed by one of them.
 */
export async function escalateDue(ctx: AppContext): Promise<{ escalated: string[]; gaveUp: string[] }> {
  const now = ctx.now();
  const due = await rows<{
    id: string;
    escalate_at: Date | string;
    answer_count: number;
    routing_round: number;
    author_id: string;
  }>(
    ctx.db,
    sql`select id, escalate_at, answer_count, routing_round, author_id from questions where escalate_at is not null and escalate_at <= ${now} and deleted_at is null order by escalate_at limit 100`,
  );
  const escalated: string[] = [];
  const gaveUp: string[] = [];
  for (const d of due) {
    const claimed = await ctx.db
      .update(questions)
      .set({ escalateAt: null })
      .where(and(eq(questions.id, d.id), sql`${questions.escalateAt} = ${new Date(d.escalate_at)}`))
      .returning({ id: questions.id });
    if (claimed.length === 0) continue;
    if (d.answer_count > 0) continue;
    await ctx.db
      .update(routingRequests)
      .set({ status: "expired", respondedAt: now })
      .where(and(eq(routingRequests.questionId, d.id), eq(routingRequests.status, "pending")));
    if (d.routing_round >= ctx.config.routing.maxRounds) {
      gaveUp.push(d.id);
      await ctx.events.publish({ type: "routing.update", userIds: [d.author_id], data: { questionId: d.id } });
      continue;
    }
    await routeQuestion(ctx, d.id);
    escalated.push(d.id);
    // On the embedded database every query resolves without I/O: give the event loop back between
    // two questions so requests are served while a backlog escalates.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { escalated, gaveUp };
}

/** Runs escalation every `everyMs` until stopped (the server does this; tests call escalateDue). */
export function startEscalationTimer(ctx: AppContext, everyMs = 30_000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    escalateDue(ctx)
      .catch(() => undefined)
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

async function loadOwnRequest(ctx: AppContext, actor: Actor, id: string) {
  const [r] = await ctx.db.select().from(routingRequests).where(eq(routingRequests.id, id));
  if (!r || r.expertId !== actor.id) throw notFound("Request not found");
  const [q] = await ctx.db.select().from(questions).where(eq(questions.id, r.questionId));
  // Someone asked who can no longer read the question (they left its space) cannot act on the request.
  const subject: QuestionSubject | null = q
    ? {
        kind: "question",
        id: q.id,
        space: q.spaceId ? await loadSpaceSubject(ctx.db, actor, q.spaceId) : null,
        community: q.communityId ? await loadCommunitySubject(ctx.db, actor, q.communityId) : null,
        authorId: q.authorId,
        deleted: q.deletedAt !== null,
        closed: !open(q),
      }
    : null;
  if (!subject || !can(actor, "read", { kind: "routing", question: subject, asked: true }))
    throw notFound("Request not found");
  if (r.status !== "pending")
    throw new AppError("conflict", `This request is already ${r.status}`, { details: { status: r.status } });
  return { r, q };
}

/**
 * Moves a pending request on (declined, forwarded) inside `tx`; of simultaneous responses to one
 * request only the first finds it pending, the others get 409 with its new status.
 */
async function respondToPending(
  tx: Executor,
  id: string,
  set: Partial<typeof routingRequests.$inferInsert>,
): Promise<void> {
  const done = await tx
    .update(routingRequests)
    .set(set)
    .where(and(eq(routingRequests.id, id), eq(routingRequests.status, "pending")))
    .returning({ id: routingRequests.id });
  if (done.length) return;
  const [current] = await tx
    .select({ status: routingRequests.status })
    .from(routingRequests)
    .where(eq(routingRequests.id, id));
  throw new AppError("conflict", `This request is already ${current?.status ?? "closed"}`, {
    details: { status: current?.status ?? "closed" },
  });
}

/** "Not my area" (feeds back into routing) or "no time": the next person is asked at once. */
export async function declineRequest(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { reason: "not_my_area" | "no_time"; note: string },
) {
  const { r, q } = await loadOwnRequest(ctx, actor, id);
  await ctx.db.transaction(async (tx) => {
    await respondToPending(tx, r.id, {
      status: "declined",
      declineReason: input.reason,
      note: input.note,
      respondedAt: ctx.now(),
    });
    // "Not my area" is evidence for routing.
    if (input.reason === "not_my_area") await bumpExpertise(tx, "decline", r.id);
  });
  const next =
    q && open(q) && q.answerCount === 0
      ? await routeQuestion(ctx, q.id, { count: 1, nextRound: false })
      : { asked: [] };
  if (q)
    await ctx.events.publish({ type: "routing.update", userIds: [q.authorId, actor.id], data: { questionId: q.id } });
  return { status: "declined" as const, replacedBy: next.asked.map((a) => ({ id: a.personId, name: a.name })) };
}

/** Hands a request to a colleague the forwarder thinks knows better. */
export async function forwardRequest(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { toUserId: string; note: string },
) {
  const { r, q } = await loadOwnRequest(ctx, actor, id);
  if (!q) throw notFound("Question not found");
  const target = (await loadPeople(ctx.db, [input.toUserId])).get(input.toUserId);
  if (!target || target.deactivated_at !== null || !target.can_sign_in)
    throw invalidField("toUserId", "no such colleague");
  if (target.id === actor.id) throw invalidField("toUserId", "is you");
  if (target.id === q.authorId) throw invalidField("toUserId", "asked the question");
  if (!(await mayAnswer(ctx.db, q, await communityOf(ctx.db, q), [target])).has(target.id))
    throw invalidField("toUserId", "cannot see or answer this question");
  const status = settingsOf(target);
  if (status.availability === "away" && (!status.awayUntil || status.awayUntil > ctx.now()))
    throw invalidField(
      "toUserId",
      status.awayUntil ? `is away until ${status.awayUntil.toISOString().slice(0, 10)}` : "is away",
    );
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await respondToPending(tx, r.id, { status: "forwarded", note: input.note, respondedAt: now });
    const added = await tx
      .insert(routingRequests)
      .values({
        questionId: q.id,
        expertId: target.id,
        round: r.round,
        forwardedById: actor.id,
        note: input.note,
        reasons: [
          {
            kind: "forwarded",
            title: `Forwarded by ${actor.name}${input.note ? `: ${input.note}` : ""}`,
            url: "",
            at: now.toISOString(),
            weight: 0,
          },
        ],
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: routingRequests.id });
    // Rolls the request's "forwarded" back: nothing changes.
    if (added.length === 0) throw invalidField("toUserId", "was already asked about this question");
  });
  await ctx.events.publish({ type: "routing.request", userIds: [target.id], data: { questionId: q.id } });
  await ctx.events.publish({ type: "routing.update", userIds: [q.authorId, actor.id], data: { questionId: q.id } });
  return { status: "forwarded" as const, to: { id: target.id, name: target.name } };
}

/** Marks the answerer's request answered and stops escalation; tells the asker live. */
export async function onAnswered(ctx: AppContext, questionId: string, answererId: string): Promise<void> {
  await ctx.db
    .update(routingRequests)
    .set({ status: "answered", respondedAt: ctx.now() })
    .where(
      and(
        eq(routingRequests.questionId, questionId),
        eq(routingRequests.expertId, answererId),
        sql`${routingRequests.status} in ('pending', 'expired', 'declined', 'forwarded')`,
      ),
    );
  await ctx.db.update(questions).set({ escalateAt: null }).where(eq(questions.id, questionId));
  const [q] = await ctx.db.select({ authorId: questions.authorId }).from(questions).where(eq(questions.id, questionId));
  if (q) await ctx.events.publish({ type: "question.answered", userIds: [q.authorId], data: { questionId } });
}

/** An accepted answer (or a duplicate close) ends routing: open requests are closed. */
export async function onResolved(ctx: AppContext, questionId: string): Promise<void> {
  const closed = await ctx.db
    .update(routingRequests)
    .set({ status: "closed", respondedAt: ctx.now() })
    .where(and(eq(routingRequests.questionId, questionId), eq(routingRequests.status, "pending")))
    .returning({ expertId: routingRequests.expertId });
  await ctx.db.update(questions).set({ escalateAt: null }).where(eq(questions.id, questionId));
  if (closed.length)
    await ctx.events.publish({ type: "routing.update", userIds: closed.map((c) => c.expertId), data: { questionId } });
}

type RequestStatus = (typeof routingRequests.$inferSelect)["status"];
type InboxRow = {
  id: string;
  question_id: string;
  status: RequestStatus;
  round: number;
  reasons: ExpertReason[];
  note: string;
  decline_reason: string | null;
  created_at: Date | string;
  responded_at: Date | string | null;
  forwarded_by_name: string | null;
  title: string;
  tags: string[];
  answer_count: number;
  accepted_answer_id: string | null;
  asker_id: string;
  asker_name: string;
};

/** The routed requests of the actor, open ones first, only for questions they may still read. */
export async function inbox(ctx: AppContext, actor: Actor, query: { status: "open" | "all"; limit: number }) {
  const where = query.status === "open" ? sql`and r.status = 'pending'` : sql``;
  const found = await rows<InboxRow>(
    ctx.db,
    sql`select r.id, r.question_id, r.status, r.round, r.reasons, r.note, r.decline_reason, r.created_at, r.responded_at, f.name as forwarded_by_name,
               q.title, q.tags, q.answer_count, q.accepted_answer_id, q.author_id as asker_id, u.name as asker_name
        from routing_requests r join questions q on q.id = r.question_id join users u on u.id = q.author_id left join users f on f.id = r.forwarded_by_id
        where r.expert_id = ${actor.id} and ${readableSql(actor, "question", "q")} ${where}
        order by (r.status = 'pending') desc, r.created_at desc limit ${query.limit}`,
  );
  const items = found.map((r) => ({
    id: r.id,
    status: r.status,
    round: r.round,
    note: r.note,
    declineReason: r.decline_reason,
    reasons: r.reasons,
    forwardedBy: r.forwarded_by_name,
    createdAt: new Date(r.created_at).toISOString(),
    respondedAt: r.responded_at ? new Date(r.responded_at).toISOString() : null,
    question: {
      id: r.question_id,
      title: r.title,
      tags: r.tags,
      answerCount: r.answer_count,
      answered: r.accepted_answer_id !== null,
      asker: { id: r.asker_id, name: r.asker_name },
    },
  }));
  // The same readable rule as the list: a request about a question the expert can no longer read is not counted.
  const [{ n }] = await rows<{ n: number }>(
    ctx.db,
    sql`select count(*)::int as n from routing_requests r join questions q on q.id = r.question_id
        where r.expert_id = ${actor.id} and r.status = 'pending' and ${readableSql(actor, "question", "q")}`,
  );
  return { pending: Number(n), items, communityQuestions: await followedCommunityQuestions(ctx, actor) };
}

/** Open, unanswered questions addressed to communities whose questions the actor follows (members only). */
async function followedCommunityQuestions(ctx: AppContext, actor: Actor) {
  const found = await rows<{
    community_id: string;
    community_name: string;
    id: string;
    title: string;
    tags: string[];
    author_id: string;
    author_name: string;
    created_at: Date | string;
  }>(
    ctx.db,
    sql`select c.id as community_id, c.name as community_name, q.id, q.title, q.tags, q.author_id, u.name as author_name, q.created_at
        from community_members m join communities c on c.id = m.community_id
          join questions q on q.community_id = c.id join users u on u.id = q.author_id
        where m.user_id = ${actor.id} and m.follow_questions and m.role in ('lead', 'member')
          and q.author_id <> ${actor.id} and q.answer_count = 0 and q.accepted_answer_id is null
          and q.closed_at is null and q.duplicate_of_id is null and ${readableSql(actor, "question", "q")}
        order by q.created_at, q.id limit 50`,
  );
  return found.map((r) => ({
    community: { id: r.community_id, name: r.community_name },
    question: { id: r.id, title: r.title, tags: r.tags, asker: { id: r.author_id, name: r.author_name } },
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

/** Who was asked about a question and when — for the asker, admins and the people asked. */
export async function routingOf(ctx: AppContext, actor: Actor, q: QuestionSubject) {
  const found = await rows<{
    expert_id: string;
    name: string;
    status: RequestStatus;
    round: number;
    decline_reason: string | null;
    created_at: Date | string;
    responded_at: Date | string | null;
    forwarded_by_name: string | null;
  }>(
    ctx.db,
    sql`select r.expert_id, u.name, r.status, r.round, r.decline_reason, r.created_at, r.responded_at, f.name as forwarded_by_name
        from routing_requests r join users u on u.id = r.expert_id left join users f on f.id = r.forwarded_by_id
        where r.question_id = ${q.id} order by r.created_at, u.name`,
  );
  if (!can(actor, "read", { kind: "routing", question: q, asked: found.some((r) => r.expert_id === actor.id) }))
    return null;
  const [meta] = await ctx.db
    .select({ escalateAt: questions.escalateAt, round: questions.routingRound })
    .from(questions)
    .where(eq(questions.id, q.id));
  return {
    round: meta?.round ?? 0,
    escalateAt: meta?.escalateAt ? meta.escalateAt.toISOString() : null,
    asked: found.map((r) => ({
      person: { id: r.expert_id, name: r.name },
      status: r.status,
      round: r.round,
      declineReason: r.decline_reason,
      forwardedBy: r.forwarded_by_name,
      askedAt: new Date(r.created_at).toISOString(),
      respondedAt: r.responded_at ? new Date(r.responded_at).toISOString() : null,
    })),
  };
}
