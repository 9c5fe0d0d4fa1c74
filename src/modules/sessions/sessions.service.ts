import { createHash, randomBytes } from "node:crypto";
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import {
  calendarTokens,
  sessionFiles,
  sessionPresenters,
  sessionQuestions,
  sessionRsvps,
  sharingSessions,
} from "../../../db/schema";
import type { AppContext } from "../../context";
import { rows, type Executor } from "../../platform/db";
import { AppError, invalidField, notFound } from "../../platform/errors";
import {
  abilities,
  authorize,
  can,
  type Actor,
  type SessionFileSubject,
  type SessionSubject,
} from "../../authz/policy";
import { loadCommunitySubject } from "../../authz/access";
import { audienceReadableSql, inCommunityAudienceSql, readableSql } from "../../authz/audience";
import { renderMarkdown } from "../../domain/markdown/render";
import { crossDepartmentShare, promoteFromWaitlist, utcToZoned, zonedToUtc } from "../../domain/sessions/sessions";
import { createArticle } from "../knowledge/articles.service";
import { writeCheckedFile, type Upload } from "../knowledge/attachments.service";
import { uploadLimitBytes } from "../settings/settings.service";
import { createQuestion } from "../qa/qa.service";
import { sessionsCalendar } from "./sessions.ics";
import type {
  CheckInIn,
  RaiseQuestionIn,
  RsvpIn,
  SessionFileQuery,
  SessionIn,
  SessionsQuery,
  SessionUpdate,
} from "./sessions.schema";

const iso = (d: Date | string) => new Date(d).toISOString();

export type SessionRow = {
  id: string;
  title: string;
  abstract: string;
  starts_at: Date | string;
  time_zone: string;
  duration_minutes: number;
  place: string;
  link: string;
  capacity: number | null;
  topics: string[];
  notes: string;
  version: number;
  cancelled_at: Date | string | null;
  community_id: string | null;
  community_name: string | null;
  community_visibility: "everyone" | "members" | null;
  created_by: string;
  created_at: Date | string;
  going: number | string;
  maybe: number | string;
  waitlisted: number | string;
  attended: number | string;
  my_status: "going" | "maybe" | "no" | "waitlisted" | null;
  my_position: number | string | null;
  my_checked_in: boolean | null;
  presenters: Presenter[] | string;
};
type Presenter = { id: string; name: string; department: string };

/** Sessions the actor may read matching `where` (alias s), with counts, presenters and the actor's answer. */
async function sessionRows(db: Executor, actor: Actor, where: SQL, order: SQL = sql`s.starts_at`) {
  const found = await rows<SessionRow>(
    db,
    sql`select s.id, s.title, s.abstract, s.starts_at, s.time_zone, s.duration_minutes, s.place, s.link,
          s.capacity, s.topics, s.notes, s.version, s.cancelled_at, s.community_id, c.name as community_name,
          c.visibility as community_visibility, s.created_by, s.created_at,
          (select count(*) from session_rsvps r where r.session_id = s.id and r.status = 'going') as going,
          (select count(*) from session_rsvps r where r.session_id = s.id and r.status = 'maybe') as maybe,
          (select count(*) from session_rsvps r where r.session_id = s.id and r.status = 'waitlisted') as waitlisted,
          (select count(*) from session_rsvps r where r.session_id = s.id and r.checked_in_at is not null) as attended,
          mine.status as my_status, mine.checked_in_at is not null as my_checked_in,
          case when mine.status = 'waitlisted' then
            (select count(*) from session_rsvps w where w.session_id = s.id and w.status = 'waitlisted'
              and w.queued_at <= mine.queued_at) end as my_position,
          coalesce((select json_agg(json_build_object('id', u.id, 'name', u.name, 'department', u.department) order by u.name)
             from session_presenters p join users u on u.id = p.user_id where p.session_id = s.id), '[]'::json) as presenters
        from sharing_sessions s
        left join communities c on c.id = s.community_id
        left join session_rsvps mine on mine.session_id = s.id and mine.user_id = ${actor.id}
        where ${audienceReadableSql(actor, "s.audience_id")} and ${where}
        order by ${order}`,
  );
  return found.map((r) => ({
    ...r,
    presenters: (typeof r.presenters === "string" ? JSON.parse(r.presenters) : r.presenters) as Presenter[],
  }));
}

type LoadedRow = Awaited<ReturnType<typeof sessionRows>>[number];

async function subjectOf(
  db: Executor,
  actor: Actor,
  r: {
    id: string;
    community_id: string | null;
    created_by: string;
    presenters: { id: string }[];
    cancelled_at: Date | string | null;
  },
): Promise<SessionSubject> {
  return {
    kind: "session",
    id: r.id,
    community: r.community_id ? await loadCommunitySubject(db, actor, r.community_id) : null,
    createdBy: r.created_by,
    presenterIds: r.presenters.map((p) => p.id),
    cancelled: r.cancelled_at !== null,
  };
}

function present(actor: Actor, r: LoadedRow, subject: SessionSubject) {
  const starts = new Date(r.starts_at);
  return {
    id: r.id,
    title: r.title,
    abstract: r.abstract,
    abstractHtml: renderMarkdown(r.abstract),
    startsAt: starts.toISOString(),
    endsAt: new Date(starts.getTime() + r.duration_minutes * 60_000).toISOString(),
    timeZone: r.time_zone,
    localStart: utcToZoned(starts, r.time_zone),
    durationMinutes: r.duration_minutes,
    place: r.place,
    link: r.link,
    capacity: r.capacity,
    topics: r.topics,
    community:
      r.community_id && r.community_name && r.community_visibility
        ? { id: r.community_id, name: r.community_name, visibility: r.community_visibility }
        : null,
    presenters: r.presenters,
    going: Number(r.going),
    maybe: Number(r.maybe),
    waitlisted: Number(r.waitlisted),
    attended: Number(r.attended),
    myStatus: r.my_status,
    myWaitlistPosition: r.my_position === null ? null : Number(r.my_position),
    checkedIn: r.my_checked_in === true,
    version: r.version,
    cancelled: r.cancelled_at !== null,
    can: abilities(actor, subject),
  };
}

/** One session the actor may read; 404 otherwise (a members-only community's session is not there for others). */
async function loadReadable(db: Executor, actor: Actor, id: string) {
  const [r] = await sessionRows(db, actor, sql`s.id = ${id}`);
  if (!r) throw notFound("Session not found");
  const subject = await subjectOf(db, actor, r);
  authorize(actor, "read", subject);
  return { row: r, subject };
}

export async function getSession(ctx: AppContext, actor: Actor, id: string) {
  const { row, subject } = await loadReadable(ctx.db, actor, id);
  return present(actor, row, subject);
}

/** Upcoming (soonest first) or past (latest first) readable sessions, by topic, community, department. */
export async function listSessions(ctx: AppContext, actor: Actor, query: z.infer<typeof SessionsQuery>) {
  const now = ctx.now();
  const conds: SQL[] = [
    query.when === "upcoming"
      ? sql`s.starts_at + s.duration_minutes * interval '1 minute' >= ${now}`
      : sql`s.starts_at + s.duration_minutes * interval '1 minute' < ${now}`,
  ];
  if (query.topic) conds.push(sql`${query.topic.toLowerCase()} = any(s.topics)`);
  if (query.communityId) conds.push(sql`s.community_id = ${query.communityId}`);
  if (query.department)
    conds.push(
      sql`exists (select 1 from session_presenters p join users u on u.id = p.user_id where p.session_id = s.id and u.department = ${query.department})`,
    );
  const found = await sessionRows(
    ctx.db,
    actor,
    sql.join(conds, sql` and `),
    query.when === "upcoming" ? sql`s.starts_at asc` : sql`s.starts_at desc`,
  );
  const out = [];
  for (const r of found) out.push(present(actor, r, await subjectOf(ctx.db, actor, r)));
  return out;
}

/** Announces a session; the announcer presents it (with the named co-presenters). */
export async function createSession(ctx: AppContext, actor: Actor, input: z.infer<typeof SessionIn>) {
  if (input.communityId) authorize(actor, "announce", await loadCommunitySubject(ctx.db, actor, input.communityId));
  else authorize(actor, "announceSession", { kind: "instance" });
  const presenterIds = [...new Set([actor.id, ...input.presenterIds])];
  const known = await rows<{ id: string }>(
    ctx.db,
    sql`select id from users where id in (${sql.join(
      presenterIds.map((p) => sql`${p}::uuid`),
      sql`, `,
    )}) and deactivated_at is null`,
  );
  if (known.length !== presenterIds.length) throw invalidField("presenterIds", "must name people in the organisation");
  const id = await ctx.db.transaction(async (tx) => {
    const [s] = await tx
      .insert(sharingSessions)
      .values({
        title: input.title,
        abstract: input.abstract,
        startsAt: zonedToUtc(input.start, input.timeZone),
        timeZone: input.timeZone,
        durationMinutes: input.durationMinutes,
        place: input.place,
        link: input.link,
        capacity: input.capacity,
        topics: input.topics,
        communityId: input.communityId,
        createdBy: actor.id,
        createdAt: ctx.now(),
      })
      .returning({ id: sharingSessions.id });
    await tx.insert(sessionPresenters).values(presenterIds.map((userId) => ({ sessionId: s.id, userId })));
    return s.id;
  });
  return getSession(ctx, actor, id);
}

/** The session page: the card, notes, who answered (for those who run it) and attendance by department. */
export async function getSessionPage(ctx: AppContext, actor: Actor, id: string) {
  const { row, subject } = await loadReadable(ctx.db, actor, id);
  const card = present(actor, row, subject);
  const people = await rows<{
    id: string;
    name: string;
    department: string;
    status: "going" | "maybe" | "no" | "waitlisted";
    checked_in: boolean;
  }>(
    ctx.db,
    sql`select u.id, u.name, u.department, r.status, r.checked_in_at is not null as checked_in
        from session_rsvps r join users u on u.id = r.user_id
        where r.session_id = ${id}
        order by case r.status when 'going' then 0 when 'waitlisted' then 1 when 'maybe' then 2 else 3 end, r.queued_at nulls first, u.name`,
  );
  const attendees = people.filter((p) => p.checked_in);
  const counts = new Map<string, number>();
  for (const a of attendees) counts.set(a.department || "—", (counts.get(a.department || "—") ?? 0) + 1);
  return {
    ...card,
    notes: row.notes,
    notesHtml: renderMarkdown(row.notes),
    files: await filesOf(ctx.db, actor, subject),
    questions: await raisedQuestions(ctx.db, actor, id),
    reach: card.can.manage ? await reachOf(ctx.db, id, ctx.now()) : null,
    people: card.can.manage
      ? people.map((p) => ({
          id: p.id,
          name: p.name,
          department: p.department,
          status: p.status,
          checkedIn: p.checked_in,
        }))
      : [],
    attendance: {
      byDepartment: [...counts].map(([department, count]) => ({ department, count })).sort((a, b) => b.count - a.count),
      crossDepartmentShare: crossDepartmentShare(
        attendees.map((a) => a.department),
        row.presenters.map((p) => p.department),
      ),
    },
  };
}

/**
 * Answers going / maybe / no. Going at capacity joins the waiting list (its place taken from
 * session_queue_seq); dropping a seat lets the earliest waiting people in. The session row is locked
 * for the whole change, so concurrent answers on PostgreSQL are taken one at a time and never overbook.
 */
export async function rsvp(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof RsvpIn>) {
  const { subject } = await loadReadable(ctx.db, actor, id);
  authorize(actor, "rsvp", subject);
  await ctx.db.transaction(async (tx) => {
    const [s] = await tx
      .select({ capacity: sharingSessions.capacity, cancelledAt: sharingSessions.cancelledAt })
      .from(sharingSessions)
      .where(eq(sharingSessions.id, id))
      .for("update");
    if (!s) throw notFound("Session not found");
    // Cancelled while the answer was on its way: nothing is written.
    if (s.cancelledAt) throw new AppError("conflict", "The session was cancelled");
    const [mine] = await tx
      .select()
      .from(sessionRsvps)
      .where(and(eq(sessionRsvps.sessionId, id), eq(sessionRsvps.userId, actor.id)));
    const before = mine?.status ?? null;
    const now = ctx.now();
    if (input.status === "going") {
      if (before === "going" || before === "waitlisted") return;
      const [{ n }] = await rows<{ n: number | string }>(
        tx,
        sql`select count(*) as n from session_rsvps where session_id = ${id} and status = 'going'`,
      );
      const full = s.capacity !== null && Number(n) >= s.capacity;
      const values = full
        ? { status: "waitlisted" as const, queuedAt: sql`nextval('session_queue_seq')`, updatedAt: now }
        : { status: "going" as const, queuedAt: null, updatedAt: now };
      await tx
        .insert(sessionRsvps)
        .values({ sessionId: id, userId: actor.id, ...values })
        .onConflictDoUpdate({ target: [sessionRsvps.sessionId, sessionRsvps.userId], set: values });
      return;
    }
    await tx
      .insert(sessionRsvps)
      .values({ sessionId: id, userId: actor.id, status: input.status, queuedAt: null, updatedAt: now })
      .onConflictDoUpdate({
        target: [sessionRsvps.sessionId, sessionRsvps.userId],
        set: { status: input.status, queuedAt: null, updatedAt: now },
      });
    if (before === "going" && s.capacity !== null) await promote(tx, id, s.capacity, now);
  });
  return getSession(ctx, actor, id);
}

/**
 * Lets the earliest waiting people into the seats that are free (the session row is locked by the
 * caller); a null capacity (no limit) lets everyone waiting in.
 */
async function promote(tx: Executor, id: string, capacity: number | null, now: Date) {
  const seats = await tx
    .select({ userId: sessionRsvps.userId, status: sessionRsvps.status, queuedAt: sessionRsvps.queuedAt })
    .from(sessionRsvps)
    .where(eq(sessionRsvps.sessionId, id));
  const going = seats.filter((r) => r.status === "going").length;
  for (const userId of promoteFromWaitlist(seats, (capacity ?? Number.POSITIVE_INFINITY) - going))
    await tx
      .update(sessionRsvps)
      .set({ status: "going", queuedAt: null, updatedAt: now })
      .where(and(eq(sessionRsvps.sessionId, id), eq(sessionRsvps.userId, userId)));
}

/** Records attendance: oneself (from the session's start), or someone else by a presenter. */
export async function checkIn(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof CheckInIn>) {
  const { row, subject } = await loadReadable(ctx.db, actor, id);
  const userId = input.userId ?? actor.id;
  if (userId === actor.id) {
    authorize(actor, "checkIn", subject);
    if (ctx.now().getTime() < new Date(row.starts_at).getTime() - 15 * 60_000)
      throw new AppError("invalid", "Check-in opens 15 minutes before the start");
  } else {
    authorize(actor, "manage", subject);
    if (subject.cancelled) throw new AppError("conflict", "The session was cancelled");
  }
  const [u] = await rows<{ id: string }>(ctx.db, sql`select id from users where id = ${userId}`);
  if (!u) throw invalidField("userId", "must be a person in the organisation");
  const now = ctx.now();
  await ctx.db
    .insert(sessionRsvps)
    .values({ sessionId: id, userId, status: "going", checkedInAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [sessionRsvps.sessionId, sessionRsvps.userId],
      set: { checkedInAt: now, updatedAt: now },
    });
  return { ok: true as const };
}

/** How far back a "learned" or "working on" post counts as learning a topic. */
const LEARNING_DAYS = 180;

/**
 * SQL: person `u` is in the suggested audience of session `s` — someone in *another* department than
 * its presenters who asked or answered a question on its topics, follows one of them, or is learning
 * one ("learned" or "working on" posts in the last 180 days), and who is in its audience (a
 * members-only community's session: its members only). Not its presenters, no guests.
 */
function suggestedAudienceSql(now: Date): SQL {
  const since = new Date(now.getTime() - LEARNING_DAYS * 86_400_000);
  return sql`u.department <> '' and u.role <> 'guest' and u.deactivated_at is null
    and u.department not in (select pu.department from session_presenters pp join users pu on pu.id = pp.user_id
                             where pp.session_id = s.id)
    and (exists (select 1 from questions q where q.author_id = u.id and q.deleted_at is null and q.tags && s.topics)
      or exists (select 1 from answers a join questions q on q.id = a.question_id
                 where a.author_id = u.id and a.deleted_at is null and q.deleted_at is null and q.tags && s.topics)
      or exists (select 1 from follows f where f.user_id = u.id and f.target_type = 'tag' and f.target = any(s.topics))
      or exists (select 1 from posts lp where lp.author_id = u.id and lp.deleted_at is null
                 and lp.kind in ('learned', 'working_on') and lp.tags && s.topics and lp.created_at >= ${since}))
    and ${inCommunityAudienceSql("u.id", "s.community_id")}`;
}

/** How many people in other departments the announcement reaches, by department (for those who run it). */
async function reachOf(db: Executor, id: string, now: Date) {
  const found = await rows<{ department: string; n: number | string }>(
    db,
    sql`select u.department, count(*) as n from sharing_sessions s cross join users u
        where s.id = ${id} and ${suggestedAudienceSql(now)} group by u.department order by count(*) desc, u.department`,
  );
  const byDepartment = found.map((r) => ({ department: r.department, count: Number(r.n) }));
  return { people: byDepartment.reduce((n, d) => n + d.count, 0), departments: byDepartment.length, byDepartment };
}

/** Upcoming sessions announced for the actor: they are in its suggested audience and have not answered yet. */
export async function suggestedSessions(ctx: AppContext, actor: Actor) {
  const found = await sessionRows(
    ctx.db,
    actor,
    sql`s.starts_at >= ${ctx.now()} and mine.status is null and s.cancelled_at is null
        and exists (select 1 from users u where u.id = ${actor.id} and ${suggestedAudienceSql(ctx.now())})`,
  );
  const out = [];
  for (const r of found) out.push(present(actor, r, await subjectOf(ctx.db, actor, r)));
  return out;
}

/**
 * "Turn into knowledge": an article in a space the presenter may write, owned by the presenter (so it
 * counts as evidence of their expertise on its topics), from the abstract, the notes and the facts.
 */
export async function turnIntoKnowledge(ctx: AppContext, actor: Actor, id: string, spaceId: string) {
  const { row, subject } = await loadReadable(ctx.db, actor, id);
  authorize(actor, "turnIntoKnowledge", subject);
  const starts = new Date(row.starts_at);
  const raised = await raisedQuestions(ctx.db, actor, id);
  const body = [
    row.abstract,
    row.notes ? `## Notes\n\n${row.notes}` : "",
    raised.length
      ? `## Questions raised at the session\n\n${raised
          .map((q) => `- [${q.title.replace(/[[\]]/g, "\\$&")}](/questions/${q.id})${q.answered ? "" : " (open)"}`)
          .join("\n")}`
      : "",
    `---\n\nFrom the knowledge-sharing session of ${utcToZoned(starts, row.time_zone).replace("T", " ")} ` +
      `(${row.time_zone}), presented by ${row.presenters.map((p) => p.name).join(", ")}.`,
  ]
    .filter((x) => x !== "")
    .join("\n\n");
  const article = await createArticle(ctx, actor, {
    spaceId,
    title: row.title,
    body,
    tags: row.topics,
    status: "published",
  });
  return { articleId: article.id };
}

const calendarRow = (r: LoadedRow) => ({
  id: r.id,
  title: r.title,
  abstract: r.abstract,
  startsAt: new Date(r.starts_at),
  announcedAt: new Date(r.created_at),
  durationMinutes: r.duration_minutes,
  timeZone: r.time_zone,
  place: r.place,
  link: r.link,
  presenters: r.presenters.map((p) => p.name),
  cancelled: r.cancelled_at !== null || r.my_status === "no",
});

/** One session as an .ics file (an invitation to add to one's calendar). */
export async function sessionIcs(ctx: AppContext, actor: Actor, id: string) {
  const { row } = await loadReadable(ctx.db, actor, id);
  return sessionsCalendar(ctx.config.publicUrl, row.title, [calendarRow(row)]);
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("base64url");

export async function subscription(ctx: AppContext, actor: Actor) {
  const [t] = await ctx.db.select().from(calendarTokens).where(eq(calendarTokens.userId, actor.id));
  return { active: t !== undefined, createdAt: t ? iso(t.createdAt) : null };
}

/** A new secret calendar token (the old URL stops working); only its hash is kept. */
export async function newSubscription(ctx: AppContext, actor: Actor) {
  authorize(actor, "journal", { kind: "instance" });
  const token = randomBytes(24).toString("base64url");
  const values = { tokenHash: hashToken(token), createdAt: ctx.now() };
  await ctx.db
    .insert(calendarTokens)
    .values({ userId: actor.id, ...values })
    .onConflictDoUpdate({ target: calendarTokens.userId, set: values });
  return { token };
}

export async function revokeSubscription(ctx: AppContext, actor: Actor) {
  await ctx.db.delete(calendarTokens).where(eq(calendarTokens.userId, actor.id));
  return { ok: true as const };
}

const FEED_PAST_DAYS = 30;

/**
 * The calendar feed of the token's owner: sessions from the last 30 days on that they may read and
 * answered (a "no" as a cancelled event, so calendars drop it) or present. Authenticated by the token
 * alone (calendar apps send no cookie); an unknown, revoked or deactivated token is a 404.
 */
export async function calendarFeed(ctx: AppContext, token: string) {
  const [owner] = await rows<{ id: string; role: Actor["role"]; name: string }>(
    ctx.db,
    sql`select u.id, u.role, u.name from calendar_tokens t join users u on u.id = t.user_id
        where t.token_hash = ${hashToken(token)} and u.deactivated_at is null`,
  );
  if (!owner) throw notFound("Calendar not found");
  const actor: Actor = { id: owner.id, role: owner.role, name: owner.name };
  const since = new Date(ctx.now().getTime() - FEED_PAST_DAYS * 86_400_000);
  const found = await sessionRows(
    ctx.db,
    actor,
    sql`s.starts_at >= ${since} and (mine.status is not null
        or exists (select 1 from session_presenters p where p.session_id = s.id and p.user_id = ${actor.id}))`,
  );
  return sessionsCalendar(ctx.config.publicUrl, `Knowhow sessions — ${owner.name}`, found.map(calendarRow));
}

/**
 * Edits a session (those who run it): any announced field and the notes, made on `version`. If
 * somebody saved in between, nothing is written and the caller gets 409 with the session as it is now.
 * A higher capacity (or none) lets the earliest waiting people in; a lower one demotes nobody. The
 * session row is locked for the change, as for answers, so seats are never overbooked.
 */
export async function updateSession(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof SessionUpdate>) {
  const { row, subject } = await loadReadable(ctx.db, actor, id);
  authorize(actor, "manage", subject);
  if (input.communityId !== undefined && input.communityId !== row.community_id) {
    if (input.communityId) authorize(actor, "announce", await loadCommunitySubject(ctx.db, actor, input.communityId));
    else authorize(actor, "announceSession", { kind: "instance" });
  }
  const presenterIds = input.presenterIds ? [...new Set([row.created_by, ...input.presenterIds])] : null;
  if (presenterIds) {
    const known = await rows<{ id: string }>(
      ctx.db,
      sql`select id from users where id in (${sql.join(
        presenterIds.map((p) => sql`${p}::uuid`),
        sql`, `,
      )}) and deactivated_at is null`,
    );
    if (known.length !== presenterIds.length)
      throw invalidField("presenterIds", "must name people in the organisation");
  }
  if ((input.place ?? row.place) === "" && (input.link ?? row.link) === "")
    throw invalidField("place", "give a place or a link");
  const startsAt =
    input.start !== undefined || input.timeZone !== undefined
      ? zonedToUtc(input.start ?? utcToZoned(new Date(row.starts_at), row.time_zone), input.timeZone ?? row.time_zone)
      : undefined;
  const now = ctx.now();
  const saved = await ctx.db.transaction(async (tx) => {
    const [locked] = await tx
      .select({ version: sharingSessions.version })
      .from(sharingSessions)
      .where(eq(sharingSessions.id, id))
      .for("update");
    if (!locked || locked.version !== input.version) return false;
    await tx
      .update(sharingSessions)
      .set({
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.abstract !== undefined ? { abstract: input.abstract } : {}),
        ...(startsAt ? { startsAt } : {}),
        ...(input.timeZone !== undefined ? { timeZone: input.timeZone } : {}),
        ...(input.durationMinutes !== undefined ? { durationMinutes: input.durationMinutes } : {}),
        ...(input.place !== undefined ? { place: input.place } : {}),
        ...(input.link !== undefined ? { link: input.link } : {}),
        ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
        ...(input.topics !== undefined ? { topics: input.topics } : {}),
        ...(input.communityId !== undefined ? { communityId: input.communityId } : {}),
        ...(input.notes !== undefined ? { notes: input.notes } : {}),
        version: sql`${sharingSessions.version} + 1`,
      })
      .where(eq(sharingSessions.id, id));
    if (presenterIds) {
      await tx.delete(sessionPresenters).where(eq(sessionPresenters.sessionId, id));
      await tx.insert(sessionPresenters).values(presenterIds.map((userId) => ({ sessionId: id, userId })));
    }
    if (input.capacity !== undefined) await promote(tx, id, input.capacity, now);
    return true;
  });
  if (!saved) {
    // The newer session as the editor may read it (a change of audience can hide it: then just the error).
    const current = await getSessionPage(ctx, actor, id).catch(() => undefined);
    throw new AppError(
      "conflict",
      "Someone saved this session while you were editing; your changes were not saved yet — redo them on the current version",
      { details: current ? { current } : {} },
    );
  }
  return getSessionPage(ctx, actor, id);
}

/** Calls a session off (those who run it): it stays readable, takes no answers, and calendars drop it. */
export async function cancelSession(ctx: AppContext, actor: Actor, id: string) {
  const { subject } = await loadReadable(ctx.db, actor, id);
  authorize(actor, "manage", subject);
  if (subject.cancelled) throw new AppError("conflict", "The session is cancelled already");
  authorize(actor, "cancel", subject);
  await ctx.db
    .update(sharingSessions)
    .set({ cancelledAt: ctx.now() })
    .where(and(eq(sharingSessions.id, id), sql`${sharingSessions.cancelledAt} is null`));
  return getSession(ctx, actor, id);
}

// ---------- Files: slides, recordings, other ----------

type SessionFileRow = typeof sessionFiles.$inferSelect;

function presentFile(actor: Actor, f: SessionFileRow, uploader: { id: string; name: string }, session: SessionSubject) {
  const subject: SessionFileSubject = { kind: "sessionFile", id: f.id, session, uploaderId: f.uploaderId };
  return {
    id: f.id,
    kind: f.kind,
    name: f.name,
    mime: f.mime,
    size: f.size,
    uploadedBy: uploader,
    createdAt: iso(f.createdAt),
    url: `/api/sessions/${f.sessionId}/files/${f.id}`,
    can: abilities(actor, subject),
  };
}

/** The files of a session the actor reads (the caller has authorised reading the session), oldest first. */
async function filesOf(db: Executor, actor: Actor, session: SessionSubject) {
  if (!can(actor, "read", session)) return [];
  const found = await rows<SessionFileRow & { uploader_name: string }>(
    db,
    sql`select f.id as "id", f.session_id as "sessionId", f.uploader_id as "uploaderId", f.kind as "kind",
          f.name as "name", f.mime as "mime", f.size as "size", f.sha256 as "sha256",
          f.storage_key as "storageKey", f.created_at as "createdAt", u.name as uploader_name
        from session_files f join users u on u.id = f.uploader_id
        where f.session_id = ${session.id} order by f.created_at, f.id`,
  );
  return found.map((f) => presentFile(actor, f, { id: f.uploaderId, name: f.uploader_name }, session));
}

/**
 * Stores a file for a session (those who run it), with the attachments' checks of real type and
 * size and the same file store; the bytes are removed again if the row cannot be written.
 */
export async function addSessionFile(
  ctx: AppContext,
  actor: Actor,
  id: string,
  query: z.infer<typeof SessionFileQuery>,
  upload: Upload,
) {
  const { subject } = await loadReadable(ctx.db, actor, id);
  authorize(actor, "attachFile", subject);
  const file = await writeCheckedFile(ctx.files, upload, await uploadLimitBytes(ctx.db));
  try {
    const [row] = await ctx.db
      .insert(sessionFiles)
      .values({
        sessionId: id,
        uploaderId: actor.id,
        kind: query.kind,
        name: file.name,
        mime: file.mime,
        size: file.size,
        sha256: file.sha256,
        storageKey: file.storageKey,
        createdAt: ctx.now(),
      })
      .returning();
    return presentFile(actor, row, { id: actor.id, name: actor.name }, subject);
  } catch (e) {
    await ctx.files.remove(file.storageKey);
    throw e;
  }
}

/** A file of a session the actor may read; 404 otherwise (an unreadable session's file answers like a missing one). */
async function loadFile(ctx: AppContext, actor: Actor, id: string, fileId: string) {
  const { subject } = await loadReadable(ctx.db, actor, id).catch((e: unknown) => {
    throw e instanceof AppError && e.code === "not_found" ? notFound("File not found") : e;
  });
  const [row] = await ctx.db
    .select()
    .from(sessionFiles)
    .where(and(eq(sessionFiles.id, fileId), eq(sessionFiles.sessionId, id)));
  if (!row) throw notFound("File not found");
  const fileSubject: SessionFileSubject = {
    kind: "sessionFile",
    id: row.id,
    session: subject,
    uploaderId: row.uploaderId,
  };
  return { row, subject: fileSubject };
}

export async function openSessionFile(ctx: AppContext, actor: Actor, id: string, fileId: string) {
  const { row, subject } = await loadFile(ctx, actor, id, fileId);
  authorize(actor, "read", subject);
  return row;
}

/** Deletes a file (its uploader, or those who run the session): the row, then the bytes. */
export async function deleteSessionFile(ctx: AppContext, actor: Actor, id: string, fileId: string) {
  const { row, subject } = await loadFile(ctx, actor, id, fileId);
  authorize(actor, "delete", subject);
  await ctx.db.delete(sessionFiles).where(eq(sessionFiles.id, row.id));
  await ctx.files.remove(row.storageKey);
  return { ok: true as const };
}

// ---------- Questions raised at the session ----------

/** The questions raised at a session that the actor may read, oldest first, with whether they are answered. */
async function raisedQuestions(db: Executor, actor: Actor, id: string) {
  const found = await rows<{
    id: string;
    title: string;
    answer_count: number | string;
    accepted_answer_id: string | null;
    raised_by: string;
    raised_by_name: string;
    created_at: Date | string;
  }>(
    db,
    sql`select q.id, q.title, q.answer_count, q.accepted_answer_id, l.raised_by, u.name as raised_by_name, l.created_at
        from session_questions l join questions q on q.id = l.question_id join users u on u.id = l.raised_by
        where l.session_id = ${id} and ${readableSql(actor, "question", "q")}
        order by l.created_at, q.id`,
  );
  return found.map((q) => ({
    id: q.id,
    title: q.title,
    answered: q.accepted_answer_id !== null || Number(q.answer_count) > 0,
    answerCount: Number(q.answer_count),
    raisedBy: { id: q.raised_by, name: q.raised_by_name },
    createdAt: iso(q.created_at),
  }));
}

/**
 * A question raised at the session becomes an ordinary Knowhow question (the qa module's own create,
 * so routing, search and audience apply): tagged with the session's topics, addressed to its community
 * if it has one, and linked to the session in the same transaction.
 */
export async function raiseQuestion(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof RaiseQuestionIn>) {
  const { row, subject } = await loadReadable(ctx.db, actor, id);
  authorize(actor, "raiseQuestion", subject);
  const now = ctx.now();
  const q = await createQuestion(
    ctx,
    actor,
    { title: input.title, body: input.body, tags: row.topics, communityId: row.community_id, route: true },
    async (tx, questionId) => {
      await tx.insert(sessionQuestions).values({ sessionId: id, questionId, raisedBy: actor.id, createdAt: now });
    },
  );
  return {
    id: q.id,
    title: q.title,
    answered: false,
    answerCount: 0,
    raisedBy: { id: actor.id, name: actor.name },
    createdAt: iso(now),
  };
}

// ---------- Starting soon, and attendance across departments ----------

const SOON_HOURS = 24;

/** Sessions the actor is going to or presents that start within the next 24 hours (not cancelled), soonest first. */
export async function soonSessions(ctx: AppContext, actor: Actor) {
  const now = ctx.now();
  const until = new Date(now.getTime() + SOON_HOURS * 3_600_000);
  const found = await sessionRows(
    ctx.db,
    actor,
    sql`s.starts_at >= ${now} and s.starts_at <= ${until} and s.cancelled_at is null
        and (mine.status = 'going'
          or exists (select 1 from session_presenters p where p.session_id = s.id and p.user_id = ${actor.id}))`,
  );
  const out = [];
  for (const r of found) out.push(present(actor, r, await subjectOf(ctx.db, actor, r)));
  return out;
}

const STATS_MONTHS = 6;

/**
 * Per month (this one and the five before, UTC), over the sessions the actor may read that were not
 * cancelled: sessions held, attendees checked in, and how many of them came from other departments
 * than the session's presenters'.
 */
export async function sessionStats(ctx: AppContext, actor: Actor) {
  const now = ctx.now();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (STATS_MONTHS - 1), 1));
  const scope = sql`${audienceReadableSql(actor, "s.audience_id")} and s.cancelled_at is null
    and s.starts_at >= ${first} and s.starts_at < ${now}`;
  const month = sql`to_char(s.starts_at at time zone 'UTC', 'YYYY-MM')`;
  const held = await rows<{ month: string; n: number | string }>(
    ctx.db,
    sql`select ${month} as month, count(*) as n from sharing_sessions s where ${scope} group by 1`,
  );
  const attended = await rows<{ month: string; attended: number | string; cross_department: number | string }>(
    ctx.db,
    sql`select ${month} as month, count(*) as attended,
          count(*) filter (where u.department not in (
            select pu.department from session_presenters pp join users pu on pu.id = pp.user_id
            where pp.session_id = s.id)) as cross_department
        from sharing_sessions s
        join session_rsvps r on r.session_id = s.id and r.checked_in_at is not null
        join users u on u.id = r.user_id
        where ${scope} group by 1`,
  );
  const months = [];
  for (let i = 0; i < STATS_MONTHS; i++) {
    const key = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + i, 1)).toISOString().slice(0, 7);
    const a = attended.find((r) => r.month === key);
    const n = a ? Number(a.attended) : 0;
    const cross = a ? Number(a.cross_department) : 0;
    months.push({
      month: key,
      sessions: Number(held.find((r) => r.month === key)?.n ?? 0),
      attended: n,
      crossDepartment: cross,
      crossDepartmentShare: n === 0 ? null : cross / n,
    });
  }
  return { months };
}
