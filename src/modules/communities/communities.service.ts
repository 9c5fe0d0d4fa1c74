import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { communities, communityMembers, communityPins, users } from "../../../db/schema";
import type { AppContext } from "../../context";
import { rows, type Executor } from "../../platform/db";
import { AppError, invalidField, notFound } from "../../platform/errors";
import { recordAudit } from "../../platform/audit";
import { abilities, authorize, type Actor, type CommunitySubject } from "../../authz/policy";
import { loadCommunitySubject } from "../../authz/access";
import { renderMarkdown } from "../../domain/markdown/render";
import {
  activeMembersPerMonth,
  crossDepartmentShare,
  lastMonths,
  questionsPerMonth,
  suggestCommunities,
} from "../../domain/communities/communities";
import { slugify } from "../spaces/spaces.service";
import * as q from "./communities.queries";
import type { CommunityIn, MemberIn, PinIn } from "./communities.schema";

const iso = (d: Date | string) => new Date(d).toISOString();

function subjectOf(r: q.CommunityRow): CommunitySubject {
  return { kind: "community", id: r.id, joining: r.joining, visibility: r.visibility, memberRole: r.my_role };
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
  const memberIds = new Set(people.filter((p) => p.role !== "pending").map((p) => p.id));
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
    members: people
      .filter((p) => p.role !== "pending")
      .map((p) => ({
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
  const id = await ctx.db.transaction(async (tx) => {
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
