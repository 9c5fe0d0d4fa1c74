import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { xapiStatements } from "../../../db/schema";
import type { AppContext } from "../../context";
import { rows } from "../../platform/db";
import { homePage } from "./xapi-http";

/**
 * Knowhow's own learning as xAPI: a projector that turns what people did in Knowhow into statements in
 * its LRS — derived from the records themselves, so nothing is missed when a feature forgets to emit,
 * history is included, and a re-run adds nothing twice (each statement's id is a name-based UUID of
 * the event). The verbs and activity types are Knowhow's xAPI profile (docs/ARCHITECTURE.md).
 *
 * Privacy: a statement names its activity (a title) only when the content is open to the whole
 * organisation (the organisation's audience or a public space); otherwise the activity is its id alone.
 * Journal entries are private: a reflection records that one reflected, never what.
 */

export const KNOWHOW_PROFILE = "https://knowhow.dev/xapi";
export const VERBS = {
  read: "http://activitystrea.ms/schema/1.0/read",
  asked: "http://adlnet.gov/expapi/verbs/asked",
  answered: "http://adlnet.gov/expapi/verbs/answered",
  commented: "http://adlnet.gov/expapi/verbs/commented",
  shared: "http://adlnet.gov/expapi/verbs/shared",
  completed: "http://adlnet.gov/expapi/verbs/completed",
  attended: "http://adlnet.gov/expapi/verbs/attended",
  posted: "http://activitystrea.ms/schema/1.0/post",
  hadAnswerAccepted: `${KNOWHOW_PROFILE}/verbs/had-answer-accepted`,
  challenged: `${KNOWHOW_PROFILE}/verbs/challenged`,
  verified: `${KNOWHOW_PROFILE}/verbs/verified`,
  reflected: `${KNOWHOW_PROFILE}/verbs/reflected`,
  presented: `${KNOWHOW_PROFILE}/verbs/presented`,
  mentored: `${KNOWHOW_PROFILE}/verbs/mentored`,
} as const;
const TYPES = {
  article: "http://id.tincanapi.com/activitytype/resource",
  question: "http://adlnet.gov/expapi/activities/question",
  lesson: `${KNOWHOW_PROFILE}/activities/lesson`,
  post: `${KNOWHOW_PROFILE}/activities/post`,
  session: "http://adlnet.gov/expapi/activities/meeting",
  step: "http://adlnet.gov/expapi/activities/module",
  path: "http://adlnet.gov/expapi/activities/course",
  journal: `${KNOWHOW_PROFILE}/activities/journal`,
  mentorship: `${KNOWHOW_PROFILE}/activities/mentorship`,
} as const;

const display = (verb: string) => {
  const word = verb.split("/").pop()!.replace(/-/g, " ");
  return { "en-US": word };
};

/** A name-based UUID (version 5 layout over SHA-1) of an event, so a re-run writes the same id. */
export function eventUuid(key: string): string {
  const h = createHash("sha1").update(`knowhow-xapi:${key}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

type Event = {
  key: string;
  user_id: string;
  user_name: string;
  at: Date | string;
  verb: keyof typeof VERBS;
  kind: keyof typeof TYPES;
  target: string;
  /** The title, only for open content (the SQL leaves it null otherwise). */
  name: string | null;
  success: boolean | null;
};

// Open content: the organisation's audience or a public space (never a private space or members-only community).
const open = (audience: string) =>
  `(${audience} = '00000000-0000-0000-0000-000000000000'::uuid or ${audience} in (select id from spaces where visibility = 'public') or ${audience} in (select id from communities where visibility = 'everyone'))`;

function eventsSql(since: string, now: Date) {
  const s = sql`${since}::timestamptz`;
  const until = sql`${now.toISOString()}::timestamptz`;
  const o = (a: string) => sql.raw(open(a));
  return sql`
    select 'asked:' || q.id as key, q.author_id as user_id, u.name as user_name, q.created_at as at, 'asked' as verb, 'question' as kind,
      q.id::text as target, case when ${o("q.audience_id")} then q.title end as name, null::boolean as success
      from questions q join users u on u.id = q.author_id where q.created_at >= ${s} and q.deleted_at is null
    union all
    select 'answered:' || a.id, a.author_id, u.name, a.created_at, 'answered', 'question', q.id::text,
      case when ${o("q.audience_id")} then q.title end, null
      from answers a join questions q on q.id = a.question_id join users u on u.id = a.author_id
      where a.created_at >= ${s} and a.deleted_at is null and q.deleted_at is null
    union all
    select 'accepted:' || a.id, a.author_id, u.name, a.created_at, 'hadAnswerAccepted', 'question', q.id::text,
      case when ${o("q.audience_id")} then q.title end, true
      from questions q join answers a on a.id = q.accepted_answer_id join users u on u.id = a.author_id
      where a.created_at >= ${s} and q.deleted_at is null
    union all
    select 'read:' || r.user_id || ':' || r.article_id || ':' || r.version, r.user_id, u.name, r.read_at, 'read', 'article', ar.id::text,
      case when ${o("ar.audience_id")} then ar.title end, null
      from reads r join articles ar on ar.id = r.article_id join users u on u.id = r.user_id
      join verifications v on v.subject_type = 'article' and v.subject_id = ar.id and v.verified_until > r.read_at
      where r.read_at >= ${s} and ar.deleted_at is null
    union all
    select 'commented:' || c.id, c.author_id, u.name, c.created_at, 'commented', 'question', q.id::text,
      case when ${o("q.audience_id")} then q.title end, null
      from comments c join users u on u.id = c.author_id
      left join answers a on c.post_type = 'answer' and a.id = c.post_id
      join questions q on q.id = case when c.post_type = 'question' then c.post_id else a.question_id end
      where c.created_at >= ${s} and c.deleted_at is null and q.deleted_at is null
    union all
    select 'challenged:' || c.id, c.author_id, u.name, c.created_at, 'challenged', 'article', c.subject_id::text,
      case when c.subject_type = 'article' then (select case when ${o("ar.audience_id")} then ar.title end from articles ar where ar.id = c.subject_id) end, null
      from challenges c join users u on u.id = c.author_id where c.created_at >= ${s}
    union all
    select 'verified:' || v.subject_id || ':' || v.verified_at, v.verified_by, u.name, v.verified_at, 'verified', 'article', v.subject_id::text,
      (select case when ${o("ar.audience_id")} then ar.title end from articles ar where ar.id = v.subject_id), null
      from verifications v join users u on u.id = v.verified_by where v.verified_at >= ${s} and v.subject_type = 'article'
    union all
    select 'lesson:' || l.id, l.author_id, u.name, l.created_at, 'shared', 'lesson', l.id::text,
      case when ${o("l.audience_id")} then l.title end, null
      from lessons l join users u on u.id = l.author_id where l.created_at >= ${s} and l.deleted_at is null and l.anonymous = false
    union all
    select 'post:' || p.id, p.author_id, u.name, p.created_at, 'posted', 'post', p.id::text, null, null
      from posts p join users u on u.id = p.author_id where p.created_at >= ${s} and p.deleted_at is null
    union all
    select 'reflected:' || j.id, j.user_id, u.name, j.created_at, 'reflected', 'journal', j.user_id::text, null, null
      from journal_entries j join users u on u.id = j.user_id where j.created_at >= ${s}
    union all
    select 'attended:' || r.session_id || ':' || r.user_id, r.user_id, u.name, r.checked_in_at, 'attended', 'session', ss.id::text,
      case when ${o("ss.audience_id")} then ss.title end, null
      from session_rsvps r join sharing_sessions ss on ss.id = r.session_id join users u on u.id = r.user_id
      where r.checked_in_at is not null and r.checked_in_at >= ${s}
    union all
    select 'presented:' || sp.session_id || ':' || sp.user_id, sp.user_id, u.name, ss.starts_at, 'presented', 'session', ss.id::text,
      case when ${o("ss.audience_id")} then ss.title end, null
      from session_presenters sp join sharing_sessions ss on ss.id = sp.session_id join users u on u.id = sp.user_id
      where ss.cancelled_at is null and ss.starts_at >= ${s} and ss.starts_at <= ${until}
    union all
    select 'mentored:' || g.id, m.mentor_id, u.name, g.created_at, 'mentored', 'mentorship', m.id::text, null, null
      from mentorship_meetings g join mentorships m on m.id = g.mentorship_id join users u on u.id = m.mentor_id
      where g.created_at >= ${s}
    union all
    select 'step:' || pr.enrolment_id || ':' || pr.step_id, e.user_id, u.name, pr.completed_at, 'completed', 'step', pr.step_id::text,
      (select p.title || ', step ' || st.position from learning_paths p where p.id = st.path_id and p.status <> 'draft'), pr.first_passed
      from path_progress pr join path_enrolments e on e.id = pr.enrolment_id join path_steps st on st.id = pr.step_id
      join users u on u.id = e.user_id where pr.completed_at is not null and pr.completed_at >= ${s}
    union all
    select 'path:' || e.id, e.user_id, u.name, e.completed_at, 'completed', 'path', e.path_id::text,
      (select p.title from learning_paths p where p.id = e.path_id and p.status <> 'draft'), true
      from path_enrolments e join users u on u.id = e.user_id where e.completed_at is not null and e.completed_at >= ${s}`;
}

const WATERMARK = "xapi.projector.at";
// Rows committed by a transaction that started before the last run but ended after it are caught by
// reading this far back; the ids make the overlap harmless.
const OVERLAP_MS = 10 * 60_000;

/** Projects Knowhow's activity since the last run into the LRS; returns how many statements were new. */
export async function projectKnowhowStatements(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const [mark] = await rows<{ value: string }>(ctx.db, sql`select value from settings where key = ${WATERMARK}`);
  const since = mark ? new Date(new Date(mark.value).getTime() - OVERLAP_MS).toISOString() : "1970-01-01T00:00:00Z";
  const events = await rows<Event>(ctx.db, eventsSql(since, now));
  const home = homePage(ctx);
  const authority = { objectType: "Agent", name: "Knowhow", account: { homePage: home, name: "knowhow" } };
  let added = 0;
  for (let i = 0; i < events.length; i += 500) {
    const batch = events.slice(i, i + 500).map((e) => {
      const id = eventUuid(e.key);
      const activityId = `${home}/xapi/activities/${e.kind}/${e.target}`;
      const actor = { objectType: "Agent", name: e.user_name, account: { homePage: home, name: e.user_id } };
      const at = new Date(e.at);
      const statement: Record<string, unknown> = {
        id,
        actor,
        verb: { id: VERBS[e.verb], display: display(VERBS[e.verb]) },
        object: {
          objectType: "Activity",
          id: activityId,
          definition: { type: TYPES[e.kind], ...(e.name ? { name: { "en-US": e.name } } : {}) },
        },
        ...(e.success !== null ? { result: { success: e.success, completion: true } } : {}),
        context: {
          platform: "Knowhow",
          contextActivities: {
            category: [
              { id: `${KNOWHOW_PROFILE}/profile`, definition: { type: "http://adlnet.gov/expapi/activities/profile" } },
            ],
          },
        },
        timestamp: at.toISOString(),
        stored: now.toISOString(),
        authority,
        version: "1.0.3",
      };
      return {
        id,
        stored: now,
        timestamp: at,
        actorIfi: `account:${home}|${e.user_id}`,
        verbId: VERBS[e.verb],
        activityId,
        registration: null,
        relatedAgents: [
          `account:${home}|${e.user_id}`,
          `actor:account:${home}|${e.user_id}`,
          `account:${home}|knowhow`,
        ],
        relatedActivities: [activityId, `${KNOWHOW_PROFILE}/profile`],
        userId: e.user_id,
        clientId: null,
        statement,
      };
    });
    const inserted = await ctx.db
      .insert(xapiStatements)
      .values(batch)
      .onConflictDoNothing()
      .returning({ id: xapiStatements.id });
    added += inserted.length;
  }
  await ctx.db.execute(
    sql`insert into settings (key, value, updated_at) values (${WATERMARK}, ${now.toISOString()}, ${now.toISOString()}::timestamptz)
        on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`,
  );
  return added;
}
