import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { communities, communityMembers, communityPins, users } from "../../../db/schema";
import type { AppContext } from "../../context";
import { rows, type Executor } from "../../platform/db";
import { AppError, invalidField, notFound } from "../../platform/errors";
import { recordAudit } from "../../platform/audit";
import { abilities, authorize, can, type Actor, type CommunitySubject } from "../../authz/policy";
import { loadCommunitySubject } from "../../authz/access";
import { renderMarkdown } from "../../domain/markdown/render";
import {
  activeMembersPerMonth,
  crossDepartmentShare,
  lastMonths,
  questionsPerMonth,
  suggestCommunities,
} from "../../domain/communities/communities";
import {
  findCandidateCommunities,
  suggestCommunitiesForProblem,
  problemTopics,
  wordsOf,
} from "../../domain/communities/matching";
import { normaliseTags } from "../knowledge/articles.schema";
import { slugify } from "../spaces/spaces.service";
import * as q from "./communities.queries";
import type { CandidateIn, CommunityIn, CommunityUpdateIn, MemberIn, PinIn } from "./communities.schema";

const iso = (d: Date | string) => new Date(d).toISOString();

function subjectOf(r: q.CommunityRow): CommunitySubject {
  return { kind: "community", id: r.id, joining: r.joining, visibility: r.visibility, memberRole: r.my_role };
}

type Settings = Pick<q.CommunityRow, "name" | "purpose" | "topics" | "joining" | "visibility">;

/** The etag of a community's settings: a hash of their current values (changes when any of them does). */
export function settingsEtag(r: Settings): string {
  return createHash("sha256")
    .update(JSON.stringify([r.name, r.purpose, r.topics, r.joining, r.visibility]))
    .digest("base64url")
    .slice(0, 22);
}

function present(actor: Actor, r: q.CommunityRow) {
  return {
    id: r.id,
    name: r.name,
    slug: r.slug,
    purpose: r.purpose,
    purposeHtml: renderMarkdown(r.purpose),
    topics: r.topics,
    joining: r.joining,
    visibility: r.visibility,
    memberCount: Number(r.member_count),
    myRole: r.my_role,
    followingQuestions: r.follow_questions === true,
    can: abilities(actor, subjectOf(r)),
    etag: settingsEtag(r),
    createdAt: iso(r.created_at),
  };
}

/** The communities the actor may read (members-only ones only for their members), by name. */
export async function listCommunities(ctx: AppContext, actor: Actor) {
  return (await q.readableCommunities(ctx.db, actor)).map((r) => present(actor, r));
}

async function loadReadable(db: Executor, actor: Actor, id: string) {
  authorize(actor, "read", await loadCommunitySubject(db, actor, id));
  const [r] = await q.readableCommunities(db, actor, id);
  if (!r) throw notFound("Community not found");
  return r;
}

/** One community as a card (after a change). */
export async function getCommunity(ctx: AppContext, actor: Actor, id: string) {
  return present(actor, await loadReadable(ctx.db, actor, id));
}

const HEALTH_MONTHS = 6;

/** The community page: open questions first, pins, feed, members with evidence, requests (leads), health. */
export async function getCommunityPage(ctx: AppContext, actor: Actor, id: string) {
  const r = await loadReadable(ctx.db, actor, id);
  const card = present(actor, r);
  const db = ctx.db;
  const now = ctx.now();
  const months = lastMonths(now, HEALTH_MONTHS);
  const since = new Date(`${months[0]}-01T00:00:00Z`);
  const [pins, open, feed, people, activity, asked, departments] = [
    await q.pinsOf(db, actor, id),
    await q.openQuestionsOf(db, actor, id, r.topics),
    await q.feedOf(db, actor, id, r.topics),
    await q.membersOf(db, actor, id, r.topics),
    await q.activitySince(db, actor, id, r.topics, since),
    await q.questionsSince(db, actor, id, r.topics, since),
    await q.answerDepartments(db, actor, id, r.topics),
  ];
  const isMember = (p: { role: string }) => p.role === "lead" || p.role === "member";
  const memberIds = new Set(people.filter(isMember).map((p) => p.id));
  const active = activeMembersPerMonth(
    activity.filter((a) => memberIds.has(a.person_id)).map((a) => ({ personId: a.person_id, at: new Date(a.at) })),
    months,
  );
  const perMonth = questionsPerMonth(
    asked.map((x) => ({
      askedAt: new Date(x.created_at),
      firstAnswerAt: x.first_answer_at ? new Date(x.first_answer_at) : null,
    })),
    months,
  );
  return {
    ...card,
    pins: pins.map((p) => ({ id: p.id, type: p.type, itemId: p.item_id, title: p.title, pinnedAt: iso(p.created_at) })),
    openQuestions: open.map((o) => ({
      id: o.id,
      title: o.title,
      tags: o.tags,
      author: { id: o.author_id, name: o.author_name },
      createdAt: iso(o.created_at),
      direct: o.direct,
    })),
    feed: feed.map((f) => ({
      type: f.type,
      id: f.id,
      title: f.title,
      excerpt: f.excerpt,
      author: f.author_id && f.author_name ? { id: f.author_id, name: f.author_name } : null,
      tags: f.tags,
      at: iso(f.at),
      direct: f.direct,
    })),
    members: people.filter(isMember).map((p) => ({
      id: p.id,
      name: p.name,
      title: p.title,
      department: p.department,
      role: p.role,
      evidence: { answers: Number(p.answers), accepted: Number(p.accepted), articles: Number(p.articles) },
    })),
    requests: card.can.manageMembers
      ? people.filter((p) => p.role === "pending").map((p) => ({ id: p.id, name: p.name }))
      : [],
    invited: card.can.manageMembers
      ? people.filter((p) => p.role === "invited").map((p) => ({ id: p.id, name: p.name }))
      : [],
    health: {
      months: months.map((month, i) => ({
        month,
        activeMembers: active[i].active,
        questions: perMonth[i].asked,
        medianHoursToFirstAnswer: perMonth[i].medianHoursToFirstAnswer,
      })),
      crossDepartment: crossDepartmentShare(
        departments.map((d) => ({ askerDepartment: d.asker || null, answererDepartment: d.answerer || null })),
      ),
    },
  };
}

const SLUG_ATTEMPTS = 50;

/** Creates a community; its creator becomes its first lead. Slugs are unique like spaces' (name, name-2, …). */
export async function createCommunity(ctx: AppContext, actor: Actor, input: z.infer<typeof CommunityIn>) {
  authorize(actor, "createCommunity", { kind: "instance" });
  const id = await ctx.db.transaction((tx) => insertCommunity(ctx, tx, actor, input));
  return getCommunity(ctx, actor, id);
}

/** Inserts a community with the actor as its lead (inside the caller's transaction); its id. */
async function insertCommunity(
  ctx: AppContext,
  tx: Executor,
  actor: Actor,
  input: z.output<typeof CommunityIn>,
): Promise<string> {
  const base = slugify(input.name);
  for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt++) {
    const taken = new Set(
      (
        await rows<{ slug: string }>(
          tx,
          sql`select slug from communities where slug = ${base} or slug like ${base + "-%"}`,
        )
      ).map((t) => t.slug),
    );
    let slug = base;
    for (let i = 2; taken.has(slug); i++) slug = `${base}-${i}`;
    const [c] = await tx
      .insert(communities)
      .values({ ...input, slug, createdBy: actor.id, createdAt: ctx.now() })
      .onConflictDoNothing({ target: communities.slug })
      .returning({ id: communities.id });
    if (!c) continue;
    await tx
      .insert(communityMembers)
      .values({ communityId: c.id, userId: actor.id, role: "lead", createdAt: ctx.now() });
    return c.id;
  }
  throw new AppError("conflict", "Many communities with this name are being created right now; try again");
}

/**
 * Changes a community's settings (its leads and admins). `etag` must be the one the settings were
 * read with: a change someone made meanwhile answers 409 instead of being overwritten. Another
 * community's name (in any case) is refused on `name`. Visibility takes effect at once everywhere:
 * every read scopes by the community's current visibility (and the access epoch moves with the row).
 */
export async function updateCommunity(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: z.output<typeof CommunityUpdateIn>,
) {
  authorize(actor, "update", await loadCommunitySubject(ctx.db, actor, id));
  await ctx.db.transaction(async (tx) => {
    const [current] = await tx
      .select({
        name: communities.name,
        purpose: communities.purpose,
        topics: communities.topics,
        joining: communities.joining,
        visibility: communities.visibility,
      })
      .from(communities)
      .where(eq(communities.id, id))
      .for("update");
    if (!current) throw notFound("Community not found");
    // Checked again under the lock: the actor's lead may have just been taken.
    authorize(actor, "update", await loadCommunitySubject(tx, actor, id));
    if (settingsEtag(current) !== input.etag)
      throw new AppError(
        "conflict",
        "Someone changed this community's settings after you opened them; reload to see their changes",
        { details: { etag: settingsEtag(current) } },
      );
    const next: Settings = {
      name: input.name ?? current.name,
      purpose: input.purpose ?? current.purpose,
      topics: input.topics ?? current.topics,
      joining: input.joining ?? current.joining,
      visibility: input.visibility ?? current.visibility,
    };
    const changed = (Object.keys(next) as (keyof Settings)[]).filter(
      (k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]),
    );
    if (!changed.length) return;
    if (changed.includes("name")) {
      const [taken] = await rows<{ id: string }>(
        tx,
        sql`select id from communities where lower(name) = lower(${next.name}) and id <> ${id} limit 1`,
      );
      if (taken) throw invalidField("name", "another community already has this name");
    }
    await tx.update(communities).set(next).where(eq(communities.id, id));
    await recordAudit(tx, {
      actorId: actor.id,
      action: "community.update",
      subjectType: "community",
      subjectId: id,
      detail: changed.map((k) => (k === "purpose" ? k : `${k}: ${JSON.stringify(next[k])}`)).join("; "),
      at: ctx.now(),
    });
  });
  return getCommunity(ctx, actor, id);
}

/** Locks the community's row: membership changes of one community take turns (the "keeps a lead" check sees them). */
async function lockCommunity(tx: Executor, id: string): Promise<void> {
  const [c] = await tx
    .select({ id: communities.id })
    .from(communities)
    .where(eq(communities.id, id))
    .for("no key update");
  if (!c) throw notFound("Community not found");
}

async function leadCount(db: Executor, id: string): Promise<number> {
  const [r] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from community_members where community_id = ${id} and role = 'lead'`,
  );
  return Number(r?.n ?? 0);
}

async function memberCount(db: Executor, id: string): Promise<number> {
  const [r] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from community_members where community_id = ${id} and role in ('lead', 'member')`,
  );
  return Number(r?.n ?? 0);
}

/**
 * Joins an open community, or asks to join one by request (a lead approves). Joining twice — or two
 * joins at once — leaves one membership (the primary key; the second insert does nothing).
 */
export async function joinCommunity(ctx: AppContext, actor: Actor, id: string) {
  const subject = await loadCommunitySubject(ctx.db, actor, id);
  if (subject.memberRole === null) {
    const role = subject.joining === "open" ? "member" : "pending";
    authorize(actor, role === "member" ? "join" : "request", subject);
    await ctx.db
      .insert(communityMembers)
      .values({ communityId: id, userId: actor.id, role, createdAt: ctx.now() })
      .onConflictDoNothing();
  } else authorize(actor, "read", subject);
  return getCommunity(ctx, actor, id);
}

/** The communities the actor is invited to (an invitation shows a members-only community's name too). */
export async function invitations(ctx: AppContext, actor: Actor) {
  return (await q.invitationsOf(ctx.db, actor)).map((r) => ({
    community: present(actor, r),
    invitedAt: iso(r.invited_at),
  }));
}

/** Accepts an invitation: the person becomes a member, whatever the joining setting (the invitation approved it). */
export async function acceptInvitation(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, "accept", await loadCommunitySubject(ctx.db, actor, id));
  await ctx.db
    .update(communityMembers)
    .set({ role: "member" })
    .where(
      and(
        eq(communityMembers.communityId, id),
        eq(communityMembers.userId, actor.id),
        eq(communityMembers.role, "invited"),
      ),
    );
  return getCommunity(ctx, actor, id);
}

/** Declines an invitation (it is gone; joining later works as for anyone). */
export async function declineInvitation(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, "decline", await loadCommunitySubject(ctx.db, actor, id));
  await ctx.db
    .delete(communityMembers)
    .where(
      and(
        eq(communityMembers.communityId, id),
        eq(communityMembers.userId, actor.id),
        eq(communityMembers.role, "invited"),
      ),
    );
  return { ok: true as const };
}

/** The communities a person leads or is in, as far as the viewer may see them. */
export async function communitiesOfPerson(ctx: AppContext, viewer: Actor, personId: string) {
  authorize(viewer, "readPeople", { kind: "instance" });
  return (await q.communitiesOfPerson(ctx.db, viewer, personId)).map((r) => ({
    community: present(viewer, r),
    role: r.person_role,
  }));
}

/** Leaves (or withdraws a request); the last lead cannot leave while others remain. */
export async function leaveCommunity(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, "leave", await loadCommunitySubject(ctx.db, actor, id));
  await ctx.db.transaction(async (tx) => {
    await lockCommunity(tx, id);
    await tx
      .delete(communityMembers)
      .where(and(eq(communityMembers.communityId, id), eq(communityMembers.userId, actor.id)));
    if ((await leadCount(tx, id)) === 0 && (await memberCount(tx, id)) > 0)
      throw new AppError("invalid", "Make someone else a lead before you leave");
  });
  return { ok: true as const };
}

/** Approves a request, adds someone or makes them a lead (leads and admins). */
export async function setMember(
  ctx: AppContext,
  actor: Actor,
  id: string,
  userId: string,
  input: z.infer<typeof MemberIn>,
) {
  authorize(actor, "manageMembers", await loadCommunitySubject(ctx.db, actor, id));
  const [user] = await ctx.db
    .select({ id: users.id, name: users.name, role: users.role })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw invalidField("userId", "no such person");
  if (user.role === "guest" && input.role === "lead") throw invalidField("role", "guests cannot lead a community");
  await ctx.db.transaction(async (tx) => {
    await lockCommunity(tx, id);
    // Checked again under the lock: a simultaneous change may have just taken the actor's lead.
    authorize(actor, "manageMembers", await loadCommunitySubject(tx, actor, id));
    await tx
      .insert(communityMembers)
      .values({ communityId: id, userId, role: input.role, createdAt: ctx.now() })
      .onConflictDoUpdate({
        target: [communityMembers.communityId, communityMembers.userId],
        set: { role: input.role },
      });
    if ((await leadCount(tx, id)) === 0) throw new AppError("invalid", "A community needs at least one lead");
    await recordAudit(tx, {
      actorId: actor.id,
      action: "community.member",
      subjectType: "community",
      subjectId: id,
      detail: `${user.name}: ${input.role}`,
      at: ctx.now(),
    });
  });
  return { ok: true as const };
}

/** Removes a member or declines a request (leads and admins); the last lead stays. */
export async function removeMember(ctx: AppContext, actor: Actor, id: string, userId: string) {
  authorize(actor, "manageMembers", await loadCommunitySubject(ctx.db, actor, id));
  await ctx.db.transaction(async (tx) => {
    await lockCommunity(tx, id);
    authorize(actor, "manageMembers", await loadCommunitySubject(tx, actor, id));
    const [person] = await tx.select({ name: users.name }).from(users).where(eq(users.id, userId));
    const gone = await tx
      .delete(communityMembers)
      .where(and(eq(communityMembers.communityId, id), eq(communityMembers.userId, userId)))
      .returning();
    if (!gone[0]) throw notFound("Not a member");
    if ((await leadCount(tx, id)) === 0 && (await memberCount(tx, id)) > 0)
      throw new AppError("invalid", "A community needs at least one lead");
    await recordAudit(tx, {
      actorId: actor.id,
      action: "community.member",
      subjectType: "community",
      subjectId: id,
      detail: `${person?.name ?? userId}: removed`,
      at: ctx.now(),
    });
  });
  return { ok: true as const };
}

/** Follows (or stops following) the community's questions in one's inbox (members). */
export async function followQuestions(ctx: AppContext, actor: Actor, id: string, follow: boolean) {
  authorize(actor, "followQuestions", await loadCommunitySubject(ctx.db, actor, id));
  await ctx.db
    .update(communityMembers)
    .set({ followQuestions: follow })
    .where(and(eq(communityMembers.communityId, id), eq(communityMembers.userId, actor.id)));
  return getCommunity(ctx, actor, id);
}

/** Pins an item the lead may read; pinning it twice keeps one pin. */
export async function pin(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof PinIn>) {
  authorize(actor, "pin", await loadCommunitySubject(ctx.db, actor, id));
  if ((await q.readableItemTitle(ctx.db, actor, input.type, input.id)) === null)
    throw invalidField("id", `no such ${input.type}`);
  await ctx.db
    .insert(communityPins)
    .values({ communityId: id, itemType: input.type, itemId: input.id, pinnedBy: actor.id, createdAt: ctx.now() })
    .onConflictDoNothing();
  return { ok: true as const };
}

export async function unpin(ctx: AppContext, actor: Actor, id: string, pinId: string) {
  authorize(actor, "pin", await loadCommunitySubject(ctx.db, actor, id));
  const gone = await ctx.db
    .delete(communityPins)
    .where(and(eq(communityPins.id, pinId), eq(communityPins.communityId, id)))
    .returning();
  if (!gone[0]) throw notFound("Pin not found");
  return { ok: true as const };
}

/** Communities the actor is not in, suggested from their evidence, follows and questions, with reasons. */
export async function suggestionsFor(ctx: AppContext, actor: Actor) {
  const all = await q.readableCommunities(ctx.db, actor);
  const open = all.filter((c) => c.my_role === null);
  const found = suggestCommunities(
    open.map((c) => ({ id: c.id, name: c.name, topics: c.topics })),
    await q.personSignals(ctx.db, actor),
  );
  const byId = new Map(open.map((c) => [c.id, c]));
  return found.map((s) => ({ community: present(actor, byId.get(s.id)!), score: s.score, reasons: s.reasons }));
}

/** A word's singular and plural forms ("forklifts" → forklifts, forklift; "pallet" → pallet, pallets). */
function wordForms(words: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const w of words) {
    out.add(w);
    out.add(`${w}s`);
    if (w.length > 3 && w.endsWith("s")) out.add(w.slice(0, -1));
  }
  return [...out].slice(0, 600);
}

/**
 * Communities to ask about a problem: those the actor may ask (a members-only one only for its
 * members) whose topics the problem is about or whose members answered questions on its topics —
 * all counted over what the actor may read. `relatedTags`: tags of the knowledge found for it.
 */
export async function communitiesForProblem(
  ctx: AppContext,
  actor: Actor,
  input: { text: string; tags: string[]; relatedTags: Map<string, number> },
) {
  const askable = (await q.readableCommunities(ctx.db, actor)).filter(
    (c) =>
      (c.visibility === "everyone" || c.my_role === "lead" || c.my_role === "member") &&
      can(actor, "ask", subjectOf(c)),
  );
  if (!askable.length) return [];
  const tags = normaliseTags(input.tags);
  const named = await q.tagsNamedIn(ctx.db, actor, wordForms(wordsOf(input.text)));
  const topics = problemTopics({ text: input.text, tags, relatedTags: input.relatedTags }, [
    ...askable.flatMap((c) => c.topics),
    ...named,
  ]);
  const answered = await q.membersAnsweredOn(
    ctx.db,
    actor,
    askable.map((c) => c.id),
    [...topics.keys()].slice(0, 30),
  );
  const byCommunity = new Map<string, Map<string, number>>();
  for (const a of answered) {
    const m = byCommunity.get(a.community_id) ?? new Map<string, number>();
    m.set(a.tag, Number(a.n));
    byCommunity.set(a.community_id, m);
  }
  const found = suggestCommunitiesForProblem(
    askable.map((c) => ({
      id: c.id,
      name: c.name,
      topics: c.topics,
      membersAnswered: byCommunity.get(c.id) ?? new Map(),
    })),
    { text: input.text, tags, relatedTags: input.relatedTags },
  );
  const byId = new Map(askable.map((c) => [c.id, c]));
  return found.map((s) => ({ community: present(actor, byId.get(s.id)!), score: s.score, reasons: s.reasons }));
}

/** The tags of the knowledge the search finds for a text, with how often each came up. */
export async function relatedTagsOf(ctx: AppContext, actor: Actor, text: string): Promise<Map<string, number>> {
  const found = await ctx.search.search(actor, { q: text.slice(0, 500), limit: 5, offset: 0 });
  const counts = new Map<string, number>();
  for (const item of found.items) for (const t of item.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** The GET /communities/for-problem answer: the search's related tags, then the matching. */
export async function communitiesForProblemText(ctx: AppContext, actor: Actor, text: string, tags: string) {
  return communitiesForProblem(ctx, actor, {
    text,
    tags: tags
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean)
      .slice(0, 20),
    relatedTags: await relatedTagsOf(ctx, actor, text),
  });
}

/**
 * Communities that should exist, for knowledge managers and admins: topics where people from
 * several departments already answer each other's questions and no community (the actor can see)
 * has the topic — all from questions the actor may read.
 */
export async function candidateCommunities(ctx: AppContext, actor: Actor) {
  authorize(actor, "planCommunities", { kind: "instance" });
  const existing = new Set((await q.readableCommunities(ctx.db, actor)).flatMap((c) => c.topics));
  const answers = await q.taggedAnswers(ctx.db, actor);
  return findCandidateCommunities(
    answers.map((a) => ({
      tag: a.tag,
      askerId: a.asker_id,
      askerDepartment: a.asker_department ?? "",
      answererId: a.answerer_id,
      answererName: a.answerer_name,
      answererDepartment: a.answerer_department ?? "",
      accepted: a.accepted === true,
      invitable: a.invitable === true,
    })),
    existing,
  );
}

const capitalised = (topic: string) => topic.charAt(0).toUpperCase() + topic.slice(1).replace(/-/g, " ");

/**
 * Creates the community a candidate topic calls for: the topic as its topic, the actor as its lead,
 * and the candidate's seed people invited (they accept or decline).
 */
export async function createFromCandidate(ctx: AppContext, actor: Actor, input: z.output<typeof CandidateIn>) {
  authorize(actor, "planCommunities", { kind: "instance" });
  authorize(actor, "createCommunity", { kind: "instance" });
  const [topic] = normaliseTags([input.topic]);
  const candidate = (await candidateCommunities(ctx, actor)).find((c) => c.topic === topic);
  if (!candidate) throw invalidField("topic", "is not a topic a community should exist for (see the candidates)");
  let name = input.name ?? capitalised(topic);
  if (name.length < 3) name = `${name} community`;
  const id = await ctx.db.transaction(async (tx) => {
    const created = await insertCommunity(ctx, tx, actor, {
      name,
      purpose: `People from ${candidate.departments.join(", ")} already help each other on ${topic}: this is the place to keep doing it.`,
      topics: [topic],
      joining: "open",
      visibility: "everyone",
    });
    const invited = candidate.seeds.filter((s) => s.id !== actor.id);
    if (invited.length)
      await tx
        .insert(communityMembers)
        .values(
          invited.map((s) => ({ communityId: created, userId: s.id, role: "invited" as const, createdAt: ctx.now() })),
        )
        .onConflictDoNothing();
    await recordAudit(tx, {
      actorId: actor.id,
      action: "community.create",
      subjectType: "community",
      subjectId: created,
      detail: `from the candidate topic ${topic}; invited ${invited.map((s) => s.name).join(", ") || "nobody"}`,
      at: ctx.now(),
    });
    return created;
  });
  return getCommunity(ctx, actor, id);
}
