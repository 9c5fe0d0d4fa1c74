import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import {
  journalEntries,
  mentorProgrammes,
  mentorshipMeetings,
  mentorshipReflections,
  mentorships,
  programmePairRules,
  programmeParticipants,
} from "../../../db/schema";
import type { AppContext } from "../../context";
import { rows, type Executor } from "../../platform/db";
import { AppError, invalidField, notFound } from "../../platform/errors";
import { abilities, authorize, can, type Actor, type MentorshipSubject } from "../../authz/policy";
import { ORG_AUDIENCE } from "../../authz/audience";
import { renderMarkdown } from "../../domain/markdown/render";
import { isTimeZone, offsetMinutes } from "../../domain/sessions/sessions";
import { matchMentors } from "../../domain/mentoring/matching";
import {
  pairQuality,
  type MenteeProfile,
  type MentorProfile,
  type ProgrammeRules,
  type Reason,
} from "../../domain/mentoring/quality";
import type {
  CloseIn,
  MeetingIn,
  MentorshipCard,
  MentorshipPatch,
  PairRuleIn,
  ParticipationIn,
  ProgrammeIn,
} from "./mentoring.schema";

const iso = (d: Date | string) => new Date(d).toISOString();
const DAY = 86_400_000;

type Programme = typeof mentorProgrammes.$inferSelect;
type Person = { id: string; name: string; department: string; title: string };

/** Minutes east of UTC of a person's time zone now (0 for a zone the runtime does not know). */
const utcOffsetMinutes = (timeZone: string, at: Date) => (isTimeZone(timeZone) ? offsetMinutes(at, timeZone) : 0);

function reasonText(r: Reason): { kind: Reason["kind"]; text: string } {
  switch (r.kind) {
    case "evidence":
      return { kind: "evidence", text: `Shown knowledge of ${r.topic} (${Math.round(r.strength * 100)} %)` };
    case "offers":
      return { kind: "offers", text: `Offers to mentor on ${r.topics.join(", ")}` };
    case "preference":
      return { kind: "preference", text: `The mentee's choice no. ${r.rank}` };
    case "department":
      return { kind: "department", text: `Across departments: ${r.mentee} and ${r.mentor}` };
  }
}

async function loadProgramme(db: Executor, actor: Actor, id: string): Promise<Programme> {
  authorize(actor, "read", { kind: "programme", id });
  const [p] = await db.select().from(mentorProgrammes).where(eq(mentorProgrammes.id, id));
  if (!p) throw notFound("Programme not found");
  return p;
}

const rulesOf = (p: Programme): ProgrammeRules => ({
  crossDepartmentWeight: p.crossDepartmentWeight,
  maxTimeZoneHours: p.maxTimeZoneHours,
});

/** Each person's managers, nearest first (cycles in bad data stop the walk). */
async function managerChains(db: Executor): Promise<(id: string) => string[]> {
  const found = await rows<{ id: string; manager_id: string | null }>(db, sql`select id, manager_id from users`);
  const manager = new Map(found.map((r) => [r.id, r.manager_id]));
  return (id) => {
    const chain: string[] = [];
    for (let m = manager.get(id) ?? null; m && !chain.includes(m) && chain.length < 30; m = manager.get(m) ?? null)
      chain.push(m);
    return chain;
  };
}

type Participants = {
  mentors: { person: Person; capacity: number; topics: string[]; timeZone: string }[];
  mentees: { person: Person; topics: string[]; goalText: string; preferences: string[]; timeZone: string }[];
};

async function participantsOf(db: Executor, programme: Programme): Promise<Participants> {
  const found = await rows<{
    user_id: string;
    role: "mentor" | "mentee";
    capacity: number | null;
    topics: string[];
    goal_text: string;
    preferences: string[];
    name: string;
    department: string;
    title: string;
    time_zone: string;
  }>(
    db,
    sql`select pp.user_id, pp.role, pp.capacity, pp.topics, pp.goal_text, pp.preferences, u.name, u.department, u.title,
          u.time_zone
        from programme_participants pp join users u on u.id = pp.user_id
        where pp.programme_id = ${programme.id} and u.deactivated_at is null order by u.name, u.id`,
  );
  const person = (r: (typeof found)[number]) => ({
    id: r.user_id,
    name: r.name,
    department: r.department,
    title: r.title,
  });
  return {
    mentors: found
      .filter((r) => r.role === "mentor")
      .map((r) => ({
        person: person(r),
        capacity: r.capacity ?? programme.defaultCapacity,
        topics: r.topics,
        timeZone: r.time_zone,
      })),
    mentees: found
      .filter((r) => r.role === "mentee")
      .map((r) => ({
        person: person(r),
        topics: r.topics,
        goalText: r.goal_text,
        preferences: r.preferences,
        timeZone: r.time_zone,
      })),
  };
}

/**
 * Mentor profiles with evidence on the given topics: the expertise model's score of each mentor for the
 * topic, relative to the best-placed person in the organisation (0–1). Only organisation-wide evidence
 * counts, so a reason shown to a mentee or a knowledge manager never rests on private content.
 */
async function mentorProfiles(
  ctx: AppContext,
  mentors: Participants["mentors"],
  topics: string[],
  chainOf: (id: string) => string[],
) {
  const evidence = new Map<string, Map<string, number>>(mentors.map((m) => [m.person.id, new Map()]));
  for (const topic of new Set(topics)) {
    const ranked = await ctx.expertise.rank(
      { text: topic.replace(/-/g, " "), tags: [topic], at: ctx.now() },
      { readableAudiences: new Set([ORG_AUDIENCE]), limit: 500 },
    );
    const best = ranked[0]?.score ?? 0;
    if (best <= 0) continue;
    for (const r of ranked) evidence.get(r.personId)?.set(topic, Math.min(1, r.score / best));
  }
  const now = ctx.now();
  return mentors.map((m): MentorProfile => ({
    id: m.person.id,
    name: m.person.name,
    department: m.person.department,
    utcOffset: utcOffsetMinutes(m.timeZone, now),
    evidence: evidence.get(m.person.id)!,
    offers: m.topics,
    managers: chainOf(m.person.id),
  }));
}

type MentorshipRow = typeof mentorships.$inferSelect;

async function cards(db: Executor, actor: Actor, where: ReturnType<typeof sql>, at: Date): Promise<MentorshipCard[]> {
  const found = await rows<{
    id: string;
    programme_id: string;
    programme_name: string;
    mentor_id: string;
    mentor_name: string;
    mentor_department: string;
    mentor_title: string;
    mentee_id: string;
    mentee_name: string;
    mentee_department: string;
    mentee_title: string;
    status: MentorshipRow["status"];
    origin: MentorshipRow["origin"];
    quality: number;
    reasons: { kind: Reason["kind"]; text: string }[] | string;
    mentor_accepted: boolean;
    mentee_accepted: boolean;
    expires_at: Date | string;
  }>(
    db,
    sql`select m.id, m.programme_id, p.name as programme_name, m.mentor_id, o.name as mentor_name,
          o.department as mentor_department, o.title as mentor_title, m.mentee_id, e.name as mentee_name,
          e.department as mentee_department, e.title as mentee_title, m.status, m.origin, m.quality, m.reasons,
          m.mentor_accepted_at is not null as mentor_accepted, m.mentee_accepted_at is not null as mentee_accepted,
          m.expires_at
        from mentorships m join mentor_programmes p on p.id = m.programme_id
          join users o on o.id = m.mentor_id join users e on e.id = m.mentee_id
        where ${where}
        order by case m.status when 'proposed' then 0 when 'active' then 1 when 'closed' then 2 else 3 end, e.name, m.id`,
  );
  const now = at.getTime();
  return found.map((r) => ({
    id: r.id,
    programme: { id: r.programme_id, name: r.programme_name },
    mentor: { id: r.mentor_id, name: r.mentor_name, department: r.mentor_department, title: r.mentor_title },
    mentee: { id: r.mentee_id, name: r.mentee_name, department: r.mentee_department, title: r.mentee_title },
    // A proposal past its window reads as expired before anyone writes it down.
    status: r.status === "proposed" && new Date(r.expires_at).getTime() < now ? "expired" : r.status,
    origin: r.origin,
    quality: Math.round(r.quality * 1000) / 1000,
    reasons: typeof r.reasons === "string" ? JSON.parse(r.reasons) : r.reasons,
    mentorAccepted: r.mentor_accepted,
    menteeAccepted: r.mentee_accepted,
    expiresAt: iso(r.expires_at),
    myRole: r.mentor_id === actor.id ? "mentor" : r.mentee_id === actor.id ? "mentee" : null,
  }));
}

/** Proposals past their window become expired (their seat is free again). */
async function expireProposals(db: Executor, now: Date, programmeId?: string) {
  await db.execute(
    sql`update mentorships set status = 'expired' where status = 'proposed' and expires_at < ${now}
        ${programmeId ? sql`and programme_id = ${programmeId}` : sql``}`,
  );
}

export async function listProgrammes(ctx: AppContext, actor: Actor) {
  authorize(actor, "read", { kind: "programme", id: "" });
  const found = await rows<{
    id: string;
    name: string;
    purpose: string;
    starts_on: string;
    ends_on: string;
    mode: "matched" | "self_service";
    mentors: number | string;
    mentees: number | string;
    my_roles: string[] | null;
  }>(
    ctx.db,
    sql`select p.id, p.name, p.purpose, p.starts_on, p.ends_on, p.mode,
          (select count(*) from programme_participants x where x.programme_id = p.id and x.role = 'mentor') as mentors,
          (select count(*) from programme_participants x where x.programme_id = p.id and x.role = 'mentee') as mentees,
          (select array_agg(x.role order by x.role) from programme_participants x
             where x.programme_id = p.id and x.user_id = ${actor.id}) as my_roles
        from mentor_programmes p order by p.ends_on desc, p.name`,
  );
  return {
    items: found.map((r) => ({
      id: r.id,
      name: r.name,
      purpose: r.purpose,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      mode: r.mode,
      mentors: Number(r.mentors),
      mentees: Number(r.mentees),
      myRoles: (r.my_roles ?? []) as ("mentor" | "mentee")[],
    })),
    mine: await cards(ctx.db, actor, sql`(m.mentor_id = ${actor.id} or m.mentee_id = ${actor.id})`, ctx.now()),
    can: { create: can(actor, "createProgramme", { kind: "instance" }) },
  };
}

export async function createProgramme(ctx: AppContext, actor: Actor, input: z.infer<typeof ProgrammeIn>) {
  authorize(actor, "createProgramme", { kind: "instance" });
  const [p] = await ctx.db
    .insert(mentorProgrammes)
    .values({ ...input, createdBy: actor.id, createdAt: ctx.now() })
    .returning({ id: mentorProgrammes.id });
  return getProgramme(ctx, actor, p.id);
}

/**
 * The programme page: the reader's participation, suggested mentors (for mentees) and, for those who
 * run it, the review.
 */
export async function getProgramme(ctx: AppContext, actor: Actor, id: string) {
  const p = await loadProgramme(ctx.db, actor, id);
  const people = await participantsOf(ctx.db, p);
  const meAsMentor = people.mentors.find((m) => m.person.id === actor.id) ?? null;
  const meAsMentee = people.mentees.find((m) => m.person.id === actor.id) ?? null;
  const manage = can(actor, "manage", { kind: "programme", id });
  const taken = await seatsTaken(ctx.db, id, ctx.now());

  let suggestions: {
    mentor: Person;
    quality: number;
    reasons: { kind: Reason["kind"]; text: string }[];
    seatsLeft: number;
  }[] = [];
  if (meAsMentee) {
    const chainOf = await managerChains(ctx.db);
    const profiles = await mentorProfiles(ctx, people.mentors, meAsMentee.topics, chainOf);
    const mentee: MenteeProfile = {
      id: actor.id,
      department: meAsMentee.person.department,
      utcOffset: utcOffsetMinutes(meAsMentee.timeZone, ctx.now()),
      goals: meAsMentee.topics,
      preferences: meAsMentee.preferences,
      managers: chainOf(actor.id),
    };
    suggestions = profiles
      .map((m, k) => ({ m, k, q: pairQuality(mentee, m, rulesOf(p)) }))
      .filter((x) => x.q.allowed)
      .map(({ k, q }) => ({
        mentor: people.mentors[k].person,
        quality: q.allowed ? Math.round(q.quality * 1000) / 1000 : 0,
        reasons: q.allowed ? q.reasons.map(reasonText) : [],
        seatsLeft: Math.max(0, people.mentors[k].capacity - (taken.get(people.mentors[k].person.id) ?? 0)),
      }))
      .sort((a, b) => b.quality - a.quality || a.mentor.name.localeCompare(b.mentor.name))
      .slice(0, 10);
  }

  const openMine = await rows<{ n: number | string }>(
    ctx.db,
    sql`select count(*) as n from mentorships where programme_id = ${id} and mentee_id = ${actor.id}
          and status in ('proposed', 'active') and expires_at >= ${ctx.now()}`,
  );
  return {
    id: p.id,
    name: p.name,
    purpose: p.purpose,
    purposeHtml: renderMarkdown(p.purpose),
    startsOn: p.startsOn,
    endsOn: p.endsOn,
    mode: p.mode,
    defaultCapacity: p.defaultCapacity,
    crossDepartmentWeight: p.crossDepartmentWeight,
    maxTimeZoneHours: p.maxTimeZoneHours,
    acceptDays: p.acceptDays,
    lastMatchedAt: p.lastMatchedAt ? iso(p.lastMatchedAt) : null,
    mentors: people.mentors.length,
    mentees: people.mentees.length,
    myRoles: [...(meAsMentor ? ["mentor" as const] : []), ...(meAsMentee ? ["mentee" as const] : [])],
    me: {
      mentor: meAsMentor ? { capacity: meAsMentor.capacity, topics: meAsMentor.topics } : null,
      mentee: meAsMentee
        ? { topics: meAsMentee.topics, goalText: meAsMentee.goalText, preferences: meAsMentee.preferences }
        : null,
    },
    suggestions,
    mine: await cards(
      ctx.db,
      actor,
      sql`m.programme_id = ${id} and (m.mentor_id = ${actor.id} or m.mentee_id = ${actor.id})`,
      ctx.now(),
    ),
    review: manage ? await reviewOf(ctx, actor, p, people, taken) : null,
    can: {
      manage,
      participate: can(actor, "participate", { kind: "programme", id }),
      request: p.mode === "self_service" && meAsMentee !== null && Number(openMine[0].n) === 0,
    },
  };
}

/** Seats each mentor has given: proposed (within their window), active and closed mentorships. */
async function seatsTaken(db: Executor, programmeId: string, now: Date): Promise<Map<string, number>> {
  const found = await rows<{ mentor_id: string; n: number | string }>(
    db,
    sql`select mentor_id, count(*) as n from mentorships where programme_id = ${programmeId}
          and (status in ('active', 'closed') or (status = 'proposed' and expires_at >= ${now}))
        group by mentor_id`,
  );
  return new Map(found.map((r) => [r.mentor_id, Number(r.n)]));
}

async function reviewOf(ctx: AppContext, actor: Actor, p: Programme, people: Participants, taken: Map<string, number>) {
  const all = await cards(ctx.db, actor, sql`m.programme_id = ${p.id}`, ctx.now());
  const rules = await ctx.db.select().from(programmePairRules).where(eq(programmePairRules.programmeId, p.id));
  const [meetings] = await rows<{ n: number | string }>(
    ctx.db,
    sql`select count(*) as n from mentorship_meetings g join mentorships m on m.id = g.mentorship_id
        where m.programme_id = ${p.id}`,
  );
  const byStatus: Record<string, number> = {};
  for (const c of all) byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
  const running = all.filter((c) => c.status === "active" || c.status === "closed");
  const decided = all.filter((c) => c.status !== "proposed");
  const placed = new Set(all.filter((c) => c.status !== "declined" && c.status !== "expired").map((c) => c.mentee.id));
  const closed = all.filter((c) => c.status === "closed");
  const reached = (
    await rows<{ n: number | string }>(
      ctx.db,
      sql`select count(*) as n from mentorships where programme_id = ${p.id} and status = 'closed' and goal_reached`,
    )
  )[0];
  const share = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 1000 : null);
  const matchedPairs = all.filter((c) => c.status !== "declined" && c.status !== "expired");
  return {
    mentorships: all,
    mentors: people.mentors.map((m) => ({
      person: m.person,
      capacity: m.capacity,
      taken: taken.get(m.person.id) ?? 0,
      topics: m.topics,
    })),
    mentees: people.mentees.map((m) => ({ person: m.person, topics: m.topics, matched: placed.has(m.person.id) })),
    rules: rules.map((r) => ({ mentorId: r.mentorId, menteeId: r.menteeId, rule: r.rule })),
    health: {
      mentees: people.mentees.length,
      matchedShare: share(people.mentees.filter((m) => placed.has(m.person.id)).length, people.mentees.length),
      acceptedShare: share(running.length, decided.length),
      meetingsPerPair: running.length ? Math.round((Number(meetings.n) / running.length) * 10) / 10 : null,
      goalsReached: { reached: Number(reached.n), closed: closed.length },
      crossDepartmentShare: share(
        matchedPairs.filter((c) => c.mentor.department !== c.mentee.department).length,
        matchedPairs.length,
      ),
      byStatus,
    },
  };
}

/** Opts in (or updates one's opt-in) as mentor or mentee. */
export async function participate(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof ParticipationIn>) {
  await loadProgramme(ctx.db, actor, id);
  authorize(actor, "participate", { kind: "programme", id });
  if (input.role === "mentee" && input.preferences.length) {
    const mentors = await rows<{ user_id: string }>(
      ctx.db,
      sql`select user_id from programme_participants where programme_id = ${id} and role = 'mentor'`,
    );
    const ok = new Set(mentors.map((m) => m.user_id));
    if (input.preferences.some((m) => !ok.has(m) || m === actor.id))
      throw invalidField("preferences", "must name mentors of this programme");
  }
  const values =
    input.role === "mentor"
      ? { capacity: input.capacity, topics: input.topics, goalText: "", preferences: [] as string[] }
      : {
          capacity: null,
          topics: input.topics,
          goalText: input.goalText,
          preferences: [...new Set(input.preferences)],
        };
  await ctx.db
    .insert(programmeParticipants)
    .values({ programmeId: id, userId: actor.id, role: input.role, ...values, createdAt: ctx.now() })
    .onConflictDoUpdate({
      target: [programmeParticipants.programmeId, programmeParticipants.userId, programmeParticipants.role],
      set: values,
    });
  return getProgramme(ctx, actor, id);
}

export async function leave(ctx: AppContext, actor: Actor, id: string, role: "mentor" | "mentee") {
  await loadProgramme(ctx.db, actor, id);
  await ctx.db.transaction(async (tx) => {
    await tx
      .delete(programmeParticipants)
      .where(
        and(
          eq(programmeParticipants.programmeId, id),
          eq(programmeParticipants.userId, actor.id),
          eq(programmeParticipants.role, role),
        ),
      );
    // Open proposals on that side are withdrawn; running mentorships go on until the pair closes them.
    await tx.execute(
      sql`update mentorships set status = 'declined', declined_by = ${actor.id}
          where programme_id = ${id} and status = 'proposed'
            and ${role === "mentor" ? sql`mentor_id` : sql`mentee_id`} = ${actor.id}`,
    );
  });
  return getProgramme(ctx, actor, id);
}

export async function setRule(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof PairRuleIn>) {
  await loadProgramme(ctx.db, actor, id);
  authorize(actor, "manage", { kind: "programme", id });
  const found = await rows<{ user_id: string; role: string }>(
    ctx.db,
    sql`select user_id, role from programme_participants where programme_id = ${id}
          and user_id in (${input.mentorId}::uuid, ${input.menteeId}::uuid)`,
  );
  if (!found.some((f) => f.user_id === input.mentorId && f.role === "mentor"))
    throw invalidField("mentorId", "must be a mentor of this programme");
  if (!found.some((f) => f.user_id === input.menteeId && f.role === "mentee"))
    throw invalidField("menteeId", "must be a mentee of this programme");
  const key = and(
    eq(programmePairRules.programmeId, id),
    eq(programmePairRules.mentorId, input.mentorId),
    eq(programmePairRules.menteeId, input.menteeId),
  );
  if (input.rule === "none") await ctx.db.delete(programmePairRules).where(key);
  else
    await ctx.db
      .insert(programmePairRules)
      .values({ programmeId: id, mentorId: input.mentorId, menteeId: input.menteeId, rule: input.rule })
      .onConflictDoUpdate({
        target: [programmePairRules.programmeId, programmePairRules.mentorId, programmePairRules.menteeId],
        set: { rule: input.rule },
      });
  return getProgramme(ctx, actor, id);
}

/**
 * Runs the matching: proposals nobody has accepted yet are replaced; running, closed and half-accepted
 * mentorships keep their seats; declined pairs and forbidden ones are never proposed; pinned ones
 * always are (when the rules allow). The optimal assignment (src/domain/mentoring/matching.ts) over
 * the pair qualities decides. The programme row is locked, so two runs cannot overlap.
 */
export async function runMatching(ctx: AppContext, actor: Actor, id: string, only?: { menteeId: string }) {
  const p = await loadProgramme(ctx.db, actor, id);
  if (!only) authorize(actor, "manage", { kind: "programme", id });
  const t0 = performance.now();
  const people = await participantsOf(ctx.db, p);
  const goals = people.mentees.flatMap((m) => m.topics);
  const chainOf = await managerChains(ctx.db);
  const profiles = await mentorProfiles(ctx, people.mentors, goals, chainOf);
  const now = ctx.now();
  const result = await ctx.db.transaction(async (tx) => {
    await tx
      .select({ id: mentorProgrammes.id })
      .from(mentorProgrammes)
      .where(eq(mentorProgrammes.id, id))
      .for("update");
    await expireProposals(tx, now, id);
    if (!only)
      await tx.execute(
        sql`delete from mentorships where programme_id = ${id} and status = 'proposed' and origin = 'matched'
              and mentor_accepted_at is null and mentee_accepted_at is null`,
      );
    const existing = await tx.select().from(mentorships).where(eq(mentorships.programmeId, id));
    const rules = await tx.select().from(programmePairRules).where(eq(programmePairRules.programmeId, id));
    const placed = new Set(
      existing
        .filter((m) => m.status === "proposed" || m.status === "active" || m.status === "closed")
        .map((m) => m.menteeId),
    );
    const seats = new Map<string, number>();
    for (const m of existing)
      if (m.status === "proposed" || m.status === "active" || m.status === "closed")
        seats.set(m.mentorId, (seats.get(m.mentorId) ?? 0) + 1);
    const banned = new Set(existing.filter((m) => m.status === "declined").map((m) => `${m.mentorId} ${m.menteeId}`));
    for (const r of rules) if (r.rule === "forbid") banned.add(`${r.mentorId} ${r.menteeId}`);
    const open = people.mentees.filter((m) => !placed.has(m.person.id) && (!only || m.person.id === only.menteeId));
    const menteeProfiles: MenteeProfile[] = open.map((m) => ({
      id: m.person.id,
      department: m.person.department,
      utcOffset: utcOffsetMinutes(m.timeZone, now),
      goals: m.topics,
      preferences: m.preferences,
      managers: chainOf(m.person.id),
    }));
    const capacities = people.mentors.map((m) => Math.max(0, m.capacity - (seats.get(m.person.id) ?? 0)));
    const detail: ReturnType<typeof pairQuality>[] = [];
    const quality = new Float64Array(open.length * profiles.length);
    menteeProfiles.forEach((e, i) =>
      profiles.forEach((o, j) => {
        const q = banned.has(`${o.id} ${e.id}`) ? { allowed: false as const, why: "" } : pairQuality(e, o, rulesOf(p));
        detail[i * profiles.length + j] = q;
        quality[i * profiles.length + j] = q.allowed ? q.quality : NaN;
      }),
    );
    const pinned: [number, number][] = [];
    for (const r of rules) {
      if (r.rule !== "pin") continue;
      const i = open.findIndex((m) => m.person.id === r.menteeId);
      const j = profiles.findIndex((m) => m.id === r.mentorId);
      if (
        i >= 0 &&
        j >= 0 &&
        !Number.isNaN(quality[i * profiles.length + j]) &&
        capacities[j] > 0 &&
        !pinned.some(([x]) => x === i)
      ) {
        pinned.push([i, j]);
        capacities[j]--;
      }
    }
    // Pins have taken their seats; the matcher gets the rest.
    const match = matchMentors({
      mentees: open.length,
      capacities: capacities.map((c, j) => c + pinned.filter(([, y]) => y === j).length),
      quality,
      pinned,
    });
    const proposals = match.mentorOf.flatMap((j, i) => {
      if (j === null) return [];
      const q = detail[i * profiles.length + j];
      return [
        {
          programmeId: id,
          mentorId: profiles[j].id,
          menteeId: open[i].person.id,
          origin: "matched" as const,
          quality: q.allowed ? q.quality : 0,
          reasons: q.allowed ? q.reasons.map(reasonText) : [],
          expiresAt: new Date(now.getTime() + p.acceptDays * DAY),
          createdAt: now,
        },
      ];
    });
    if (proposals.length) await tx.insert(mentorships).values(proposals);
    await tx.update(mentorProgrammes).set({ lastMatchedAt: now }).where(eq(mentorProgrammes.id, id));
    return { proposed: proposals.length, unmatched: open.length - proposals.length };
  });
  return { ...result, ms: Math.round(performance.now() - t0) };
}

export async function match(ctx: AppContext, actor: Actor, id: string) {
  const run = await runMatching(ctx, actor, id);
  return { ...(await getProgramme(ctx, actor, id)), run };
}

/** Self-service: a mentee asks a mentor of the programme (a seat must be free); the mentor accepts or declines. */
export async function requestMentor(ctx: AppContext, actor: Actor, id: string, mentorId: string) {
  const p = await loadProgramme(ctx.db, actor, id);
  authorize(actor, "participate", { kind: "programme", id });
  if (p.mode !== "self_service")
    throw new AppError("invalid", "In this programme mentors are matched by its knowledge managers");
  const people = await participantsOf(ctx.db, p);
  const me = people.mentees.find((m) => m.person.id === actor.id);
  if (!me) throw new AppError("invalid", "Opt in as a mentee first");
  const mentor = people.mentors.find((m) => m.person.id === mentorId);
  if (!mentor) throw invalidField("mentorId", "must be a mentor of this programme");
  const chainOf = await managerChains(ctx.db);
  const [profile] = await mentorProfiles(ctx, [mentor], me.topics, chainOf);
  const now = ctx.now();
  const q = pairQuality(
    {
      id: actor.id,
      department: me.person.department,
      utcOffset: utcOffsetMinutes(me.timeZone, now),
      goals: me.topics,
      preferences: me.preferences,
      managers: chainOf(actor.id),
    },
    profile,
    rulesOf(p),
  );
  if (!q.allowed) throw invalidField("mentorId", `cannot be your mentor here: ${q.why}`);
  const newId = await ctx.db.transaction(async (tx) => {
    await tx
      .select({ id: mentorProgrammes.id })
      .from(mentorProgrammes)
      .where(eq(mentorProgrammes.id, id))
      .for("update");
    await expireProposals(tx, now, id);
    const taken = (await seatsTaken(tx, id, now)).get(mentorId) ?? 0;
    if (taken >= mentor.capacity) throw new AppError("conflict", `${mentor.person.name} has no seat left`);
    const [open] = await rows<{ n: number | string }>(
      tx,
      sql`select count(*) as n from mentorships where programme_id = ${id} and mentee_id = ${actor.id}
            and status in ('proposed', 'active')`,
    );
    if (Number(open.n) > 0) throw new AppError("conflict", "You already have a mentor or a request in this programme");
    const [row] = await tx
      .insert(mentorships)
      .values({
        programmeId: id,
        mentorId,
        menteeId: actor.id,
        origin: "requested",
        quality: q.quality,
        reasons: q.reasons.map(reasonText),
        menteeAcceptedAt: now,
        expiresAt: new Date(now.getTime() + p.acceptDays * DAY),
        createdAt: now,
      })
      .returning({ id: mentorships.id });
    return row.id;
  });
  return getMentorship(ctx, actor, newId);
}

async function loadMentorship(db: Executor, actor: Actor, id: string, now: Date) {
  const [m] = await db.select().from(mentorships).where(eq(mentorships.id, id));
  if (!m) throw notFound("Mentorship not found");
  const subject: MentorshipSubject = {
    kind: "mentorship",
    id: m.id,
    mentorId: m.mentorId,
    menteeId: m.menteeId,
    status: m.status === "proposed" && m.expiresAt.getTime() < now.getTime() ? "expired" : m.status,
    mentorAccepted: m.mentorAcceptedAt !== null,
    menteeAccepted: m.menteeAcceptedAt !== null,
  };
  authorize(actor, "read", subject);
  return { row: m, subject };
}

export async function getMentorship(ctx: AppContext, actor: Actor, id: string) {
  const { row, subject } = await loadMentorship(ctx.db, actor, id, ctx.now());
  const [card] = await cards(ctx.db, actor, sql`m.id = ${id}`, ctx.now());
  const meetings = await rows<{
    id: string;
    held_on: string;
    minutes: number;
    summary: string;
    logged_by: string;
    name: string;
  }>(
    ctx.db,
    sql`select g.id, g.held_on, g.minutes, g.summary, g.logged_by, u.name from mentorship_meetings g
          join users u on u.id = g.logged_by where g.mentorship_id = ${id} order by g.held_on desc, g.created_at desc`,
  );
  const reflections = await rows<{
    entry_id: string;
    user_id: string;
    name: string;
    practice: string;
    prompt: string;
    body: string;
    created_at: Date | string;
  }>(
    ctx.db,
    sql`select j.id as entry_id, j.user_id, u.name, j.practice, j.prompt, j.body, j.created_at
        from mentorship_reflections r join journal_entries j on j.id = r.journal_entry_id join users u on u.id = j.user_id
        where r.mentorship_id = ${id} and j.user_id in (${row.mentorId}::uuid, ${row.menteeId}::uuid)
        order by j.created_at desc`,
  );
  const can = abilities(actor, subject);
  const writeItDown =
    actor.id === row.mentorId
      ? await rows<{ topic: string; answers: number | string }>(
          ctx.db,
          sql`select t.tag as topic, count(*) as answers
              from answers a join questions q on q.id = a.question_id, unnest(q.tags) t(tag)
              where a.author_id = ${actor.id} and a.deleted_at is null and q.deleted_at is null
                and a.created_at >= ${new Date(ctx.now().getTime() - 90 * DAY)}
                and not exists (select 1 from articles ar where ar.owner_id = ${actor.id} and ar.status = 'published'
                                and t.tag = any(ar.tags))
              group by t.tag having count(*) >= 3 order by count(*) desc, t.tag limit 3`,
        )
      : [];
  return {
    writeItDown: writeItDown.map((w) => ({ topic: w.topic, answers: Number(w.answers) })),
    reflections: reflections.map((r) => ({
      entryId: r.entry_id,
      author: { id: r.user_id, name: r.name },
      practice: r.practice,
      prompt: r.prompt,
      html: renderMarkdown(r.body),
      writtenAt: iso(r.created_at),
      mine: r.user_id === actor.id,
    })),
    ...card,
    status: subject.status,
    goals: row.goals,
    notes: row.notes,
    notesHtml: renderMarkdown(row.notes),
    goalReached: row.goalReached,
    evaluation: row.evaluation,
    version: row.version,
    startedAt: row.startedAt ? iso(row.startedAt) : null,
    meetings: meetings.map((g) => ({
      id: g.id,
      heldOn: g.held_on,
      minutes: g.minutes,
      summary: g.summary,
      loggedBy: { id: g.logged_by, name: g.name },
    })),
    can: { accept: can.accept, decline: can.decline, edit: can.edit, close: can.close },
  };
}

/**
 * One side accepts. One statement sets that side's acceptance and, when the other side has accepted
 * too, starts the mentorship, so two concurrent accepts (the row is locked by the update) always end
 * active.
 */
export async function accept(ctx: AppContext, actor: Actor, id: string) {
  const now = ctx.now();
  const { subject } = await loadMentorship(ctx.db, actor, id, now);
  authorize(actor, "accept", subject);
  const side = actor.id === subject.mentorId ? sql`mentor_accepted_at` : sql`mentee_accepted_at`;
  const other = actor.id === subject.mentorId ? sql`mentee_accepted_at` : sql`mentor_accepted_at`;
  const updated = await rows<{ id: string }>(
    ctx.db,
    sql`update mentorships set ${side} = coalesce(${side}, ${now}),
          status = case when ${other} is not null then 'active' else status end,
          started_at = case when ${other} is not null then ${now}::timestamptz else started_at end
        where id = ${id} and status = 'proposed' and expires_at >= ${now} returning id`,
  );
  if (!updated.length) throw new AppError("conflict", "This proposal is no longer open");
  return getMentorship(ctx, actor, id);
}

/** One side declines: the seat is free again and, in a matched programme, the mentee gets the next best mentor. */
export async function decline(ctx: AppContext, actor: Actor, id: string) {
  const now = ctx.now();
  const { row, subject } = await loadMentorship(ctx.db, actor, id, now);
  authorize(actor, "decline", subject);
  const updated = await rows<{ id: string }>(
    ctx.db,
    sql`update mentorships set status = 'declined', declined_by = ${actor.id}
        where id = ${id} and status = 'proposed' returning id`,
  );
  if (!updated.length) throw new AppError("conflict", "This proposal is no longer open");
  const [p] = await ctx.db.select().from(mentorProgrammes).where(eq(mentorProgrammes.id, row.programmeId));
  if (p?.mode === "matched") await runMatching(ctx, actor, row.programmeId, { menteeId: row.menteeId });
  return { ok: true as const };
}

async function editable(ctx: AppContext, actor: Actor, id: string, version?: number) {
  const { row, subject } = await loadMentorship(ctx.db, actor, id, ctx.now());
  authorize(actor, "edit", subject);
  if (version !== undefined && version !== row.version)
    throw new AppError("conflict", "Your partner changed this in the meantime; reload to see their version");
  return row;
}

export async function updateMentorship(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: z.infer<typeof MentorshipPatch>,
) {
  await editable(ctx, actor, id, input.version);
  const set: Partial<MentorshipRow> = {};
  if (input.goals !== undefined) set.goals = input.goals;
  if (input.notes !== undefined) set.notes = input.notes;
  const updated = await ctx.db
    .update(mentorships)
    .set({ ...set, version: input.version + 1 })
    .where(and(eq(mentorships.id, id), eq(mentorships.version, input.version)))
    .returning({ id: mentorships.id });
  if (!updated.length)
    throw new AppError("conflict", "Your partner changed this in the meantime; reload to see their version");
  return getMentorship(ctx, actor, id);
}

export async function logMeeting(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof MeetingIn>) {
  await editable(ctx, actor, id);
  if (input.heldOn > new Date(ctx.now().getTime() + DAY).toISOString().slice(0, 10))
    throw invalidField("heldOn", "must not be in the future");
  await ctx.db
    .insert(mentorshipMeetings)
    .values({ mentorshipId: id, ...input, loggedBy: actor.id, createdAt: ctx.now() });
  return getMentorship(ctx, actor, id);
}

export async function close(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof CloseIn>) {
  await editable(ctx, actor, id);
  await ctx.db
    .update(mentorships)
    .set({
      status: "closed",
      goalReached: input.goalReached,
      evaluation: input.evaluation,
      closedAt: ctx.now(),
      version: sql`${mentorships.version} + 1`,
    })
    .where(and(eq(mentorships.id, id), eq(mentorships.status, "active")));
  return getMentorship(ctx, actor, id);
}

/** Shares one of one's own journal entries with the mentorship (the partner then reads it); running or closed. */
export async function shareReflection(ctx: AppContext, actor: Actor, id: string, entryId: string) {
  const { subject } = await loadMentorship(ctx.db, actor, id, ctx.now());
  if (subject.status !== "active" && subject.status !== "closed")
    throw new AppError("invalid", "Reflections can be shared once the mentorship has started");
  const [entry] = await ctx.db.select().from(journalEntries).where(eq(journalEntries.id, entryId));
  // Someone else's entry is as absent as a missing one: the journal is private.
  if (!entry || entry.userId !== actor.id) throw invalidField("entryId", "must be an entry of your journal");
  await ctx.db
    .insert(mentorshipReflections)
    .values({ mentorshipId: id, journalEntryId: entryId, sharedAt: ctx.now() })
    .onConflictDoNothing();
  return getMentorship(ctx, actor, id);
}

/** Takes a shared reflection back (its author only). */
export async function unshareReflection(ctx: AppContext, actor: Actor, id: string, entryId: string) {
  await loadMentorship(ctx.db, actor, id, ctx.now());
  const [entry] = await ctx.db.select().from(journalEntries).where(eq(journalEntries.id, entryId));
  if (!entry || entry.userId !== actor.id) throw notFound("Reflection not found");
  await ctx.db
    .delete(mentorshipReflections)
    .where(and(eq(mentorshipReflections.mentorshipId, id), eq(mentorshipReflections.journalEntryId, entryId)));
  return getMentorship(ctx, actor, id);
}
