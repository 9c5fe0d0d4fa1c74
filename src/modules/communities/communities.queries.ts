import { sql, type SQL } from "drizzle-orm";
import { rows, type Executor } from "../../platform/db";
import { audienceReadableSql, readableSql } from "../../authz/audience";
import type { Actor } from "../../authz/policy";

export type CommunityRow = {
  id: string;
  name: string;
  slug: string;
  purpose: string;
  topics: string[];
  joining: "open" | "request";
  visibility: "everyone" | "members";
  created_at: Date | string;
  member_count: number;
  my_role: "lead" | "member" | "pending" | "invited" | null;
  follow_questions: boolean | null;
};

/** `column && array[topics]` — false for no topics. */
export function topicsOverlap(column: string, topics: string[]): SQL {
  if (!topics.length) return sql`false`;
  return sql`${sql.raw(column)} && array[${sql.join(
    topics.map((t) => sql`${t}`),
    sql`, `,
  )}]::text[]`;
}

const COMMUNITY_COLUMNS = sql`c.id, c.name, c.slug, c.purpose, c.topics, c.joining, c.visibility, c.created_at,
  (select count(*)::int from community_members x where x.community_id = c.id and x.role in ('lead', 'member')) as member_count,
  m.role as my_role, m.follow_questions`;

/** The communities the actor may read (one rule: their id is a readable audience), with the actor's place in each. */
export async function readableCommunities(db: Executor, actor: Actor, id?: string): Promise<CommunityRow[]> {
  return rows<CommunityRow>(
    db,
    sql`select ${COMMUNITY_COLUMNS}
        from communities c left join community_members m on m.community_id = c.id and m.user_id = ${actor.id}
        where ${audienceReadableSql(actor, "c.id")} ${id ? sql`and c.id = ${id}` : sql``}
        order by c.name`,
  );
}

/**
 * The communities the actor is invited to, newest invitation first — a members-only one too: an
 * invitation shows its name, purpose and topics to the person invited (nothing in it).
 */
export async function invitationsOf(db: Executor, actor: Actor) {
  return rows<CommunityRow & { invited_at: Date | string }>(
    db,
    sql`select ${COMMUNITY_COLUMNS}, m.created_at as invited_at
        from communities c join community_members m on m.community_id = c.id and m.user_id = ${actor.id}
        where m.role = 'invited'
        order by m.created_at desc, c.name`,
  );
}

/** The communities a person leads or is a member of that the viewer may read, with the person's role. */
export async function communitiesOfPerson(db: Executor, viewer: Actor, personId: string) {
  return rows<CommunityRow & { person_role: "lead" | "member" }>(
    db,
    sql`select ${COMMUNITY_COLUMNS}, p.role as person_role
        from communities c
          join community_members p on p.community_id = c.id and p.user_id = ${personId} and p.role in ('lead', 'member')
          left join community_members m on m.community_id = c.id and m.user_id = ${viewer.id}
        where ${audienceReadableSql(viewer, "c.id")}
        order by (p.role = 'lead') desc, c.name`,
  );
}

const textArray = (values: string[]) =>
  sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

/**
 * Tags of questions the actor may read that a text names: every part of the tag ("cold-chain") is a
 * word of the text (`words` holds them, with singular and plural forms).
 */
export async function tagsNamedIn(db: Executor, actor: Actor, words: string[]): Promise<string[]> {
  if (!words.length) return [];
  const found = await rows<{ tag: string }>(
    db,
    sql`select distinct t.tag from questions q cross join lateral unnest(q.tags) as t(tag)
        where ${readableSql(actor, "question", "q")} and string_to_array(t.tag, '-') <@ ${textArray(words)}
        limit 50`,
  );
  return found.map((r) => r.tag);
}

/** Per community and tag: its leads and members who answered questions on the tag that the actor may read. */
export async function membersAnsweredOn(db: Executor, actor: Actor, communityIds: string[], tags: string[]) {
  if (!communityIds.length || !tags.length) return [];
  return rows<{ community_id: string; tag: string; n: number }>(
    db,
    sql`select m.community_id, t.tag, count(distinct a.author_id)::int as n
        from community_members m
          join answers a on a.author_id = m.user_id and a.deleted_at is null
          join questions q on q.id = a.question_id
          cross join lateral unnest(q.tags) as t(tag)
        where m.role in ('lead', 'member') and m.community_id in (${sql.join(
          communityIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})
          and t.tag = any(${textArray(tags)}) and ${readableSql(actor, "question", "q")}
        group by m.community_id, t.tag`,
  );
}

/**
 * Every answer (not to oneself) on a tag of a question the actor may read, with both departments:
 * the who-helps-whom exchanges that communities that should exist are found from.
 */
export async function taggedAnswers(db: Executor, actor: Actor) {
  return rows<{
    tag: string;
    asker_id: string;
    asker_department: string;
    answerer_id: string;
    answerer_name: string;
    answerer_department: string;
    accepted: boolean;
    invitable: boolean;
  }>(
    db,
    sql`select t.tag, q.author_id as asker_id, ua.department as asker_department, a.author_id as answerer_id,
               ub.name as answerer_name, ub.department as answerer_department,
               coalesce(q.accepted_answer_id = a.id, false) as accepted,
               (ub.deactivated_at is null and ub.role <> 'guest') as invitable
        from answers a join questions q on q.id = a.question_id
          cross join lateral unnest(q.tags) as t(tag)
          join users ua on ua.id = q.author_id join users ub on ub.id = a.author_id
        where a.deleted_at is null and a.author_id <> q.author_id and ${readableSql(actor, "question", "q")}`,
  );
}

/** Items "in" a community: addressed to / posted into it, or tagged with one of its topics. */
function inCommunity(alias: string, communityId: string, topics: string[], direct: boolean): SQL {
  const tagged = topicsOverlap(`${alias}.tags`, topics);
  return direct ? sql`(${sql.raw(alias)}.community_id = ${communityId} or ${tagged})` : tagged;
}

export type FeedRow = {
  type: "question" | "post" | "article" | "lesson";
  id: string;
  title: string;
  excerpt: string;
  author_id: string | null;
  author_name: string | null;
  tags: string[];
  at: Date | string;
  direct: boolean;
};

/** The community's feed as the actor may read it, newest first. */
export async function feedOf(
  db: Executor,
  actor: Actor,
  communityId: string,
  topics: string[],
  limit = 30,
): Promise<FeedRow[]> {
  return rows<FeedRow>(
    db,
    sql`select * from (
          select 'question' as type, q.id, q.title, left(q.body, 240) as excerpt, q.author_id, u.name as author_name, q.tags,
                 q.created_at as at, coalesce(q.community_id = ${communityId}, false) as direct
            from questions q join users u on u.id = q.author_id
            where ${readableSql(actor, "question", "q")} and ${inCommunity("q", communityId, topics, true)}
          union all
          select 'post', p.id, left(p.body, 120), left(p.body, 240), p.author_id, u.name, p.tags, p.created_at,
                 coalesce(p.community_id = ${communityId}, false)
            from posts p join users u on u.id = p.author_id
            where ${readableSql(actor, "post", "p")} and ${inCommunity("p", communityId, topics, true)}
          union all
          select 'article', a.id, a.title, left(a.body, 240), a.owner_id, u.name, a.tags, a.updated_at, false
            from articles a join users u on u.id = a.owner_id
            where ${readableSql(actor, "article", "a")} and a.status = 'published' and ${inCommunity("a", communityId, topics, false)}
          union all
          select 'lesson', l.id, l.title, left(l.learned, 240),
                 case when l.anonymous then null else l.author_id end,
                 case when l.anonymous then null else u.name end, l.tags, l.created_at, false
            from lessons l join users u on u.id = l.author_id
            where ${readableSql(actor, "lesson", "l")} and ${inCommunity("l", communityId, topics, false)}
        ) feed order by at desc, id limit ${limit}`,
  );
}

/** Open questions of the community the actor may read: unanswered, oldest first. */
export async function openQuestionsOf(db: Executor, actor: Actor, communityId: string, topics: string[], limit = 20) {
  return rows<{
    id: string;
    title: string;
    tags: string[];
    author_id: string;
    author_name: string;
    created_at: Date | string;
    direct: boolean;
  }>(
    db,
    sql`select q.id, q.title, q.tags, q.author_id, u.name as author_name, q.created_at,
               coalesce(q.community_id = ${communityId}, false) as direct
        from questions q join users u on u.id = q.author_id
        where ${readableSql(actor, "question", "q")} and ${inCommunity("q", communityId, topics, true)}
          and q.answer_count = 0 and q.accepted_answer_id is null and q.closed_at is null and q.duplicate_of_id is null
        order by q.created_at asc, q.id limit ${limit}`,
  );
}

/** Members (leads first) with their evidence on the topics, counted over what the actor may read. */
export async function membersOf(db: Executor, actor: Actor, communityId: string, topics: string[]) {
  return rows<{
    id: string;
    name: string;
    title: string;
    department: string;
    role: "lead" | "member" | "pending" | "invited";
    answers: number;
    accepted: number;
    articles: number;
  }>(
    db,
    sql`select u.id, u.name, u.title, u.department, m.role,
          (select count(*)::int from answers a join questions q on q.id = a.question_id
             where a.author_id = u.id and a.deleted_at is null and ${readableSql(actor, "question", "q")}
               and ${inCommunity("q", communityId, topics, true)}) as answers,
          (select count(*)::int from answers a join questions q on q.id = a.question_id
             where a.author_id = u.id and a.deleted_at is null and q.accepted_answer_id = a.id
               and ${readableSql(actor, "question", "q")} and ${inCommunity("q", communityId, topics, true)}) as accepted,
          (select count(*)::int from articles ar where ar.owner_id = u.id and ar.status = 'published'
             and ${readableSql(actor, "article", "ar")} and ${topicsOverlap("ar.tags", topics)}) as articles
        from community_members m join users u on u.id = m.user_id
        where m.community_id = ${communityId}
        order by case m.role when 'lead' then 0 when 'member' then 1 else 2 end, u.name`,
  );
}

/** Activity in the community since `since` (as the actor may read it): who asked, answered or posted, when. */
export async function activitySince(db: Executor, actor: Actor, communityId: string, topics: string[], since: Date) {
  return rows<{ person_id: string; at: Date | string }>(
    db,
    sql`select q.author_id as person_id, q.created_at as at from questions q
          where ${readableSql(actor, "question", "q")} and ${inCommunity("q", communityId, topics, true)} and q.created_at >= ${since}
        union all
        select a.author_id, a.created_at from answers a join questions q on q.id = a.question_id
          where a.deleted_at is null and ${readableSql(actor, "question", "q")} and ${inCommunity("q", communityId, topics, true)}
            and a.created_at >= ${since}
        union all
        select p.author_id, p.created_at from posts p
          where ${readableSql(actor, "post", "p")} and ${inCommunity("p", communityId, topics, true)} and p.created_at >= ${since}`,
  );
}

/** Questions asked since `since` with their first answer's time (as the actor may read them). */
export async function questionsSince(db: Executor, actor: Actor, communityId: string, topics: string[], since: Date) {
  return rows<{ created_at: Date | string; first_answer_at: Date | string | null }>(
    db,
    sql`select q.created_at, (select min(a.created_at) from answers a where a.question_id = q.id and a.deleted_at is null) as first_answer_at
        from questions q
        where ${readableSql(actor, "question", "q")} and ${inCommunity("q", communityId, topics, true)} and q.created_at >= ${since}`,
  );
}

/** Answers to the community's questions with the asker's and answerer's departments. */
export async function answerDepartments(db: Executor, actor: Actor, communityId: string, topics: string[]) {
  return rows<{ asker: string; answerer: string }>(
    db,
    sql`select ua.department as asker, ub.department as answerer
        from answers a join questions q on q.id = a.question_id
          join users ua on ua.id = q.author_id join users ub on ub.id = a.author_id
        where a.deleted_at is null and ${readableSql(actor, "question", "q")} and ${inCommunity("q", communityId, topics, true)}`,
  );
}

const PIN_TABLE = { article: "articles", question: "questions", lesson: "lessons", post: "posts" } as const;
export type ItemType = keyof typeof PIN_TABLE;

/** The title of an item if the actor may read it (null otherwise). */
export async function readableItemTitle(db: Executor, actor: Actor, type: ItemType, id: string) {
  const title = type === "post" ? sql`left(x.body, 120)` : sql`x.title`;
  const [r] = await rows<{ title: string }>(
    db,
    sql`select ${title} as title from ${sql.raw(PIN_TABLE[type])} x where x.id = ${id} and ${readableSql(actor, type, "x")}`,
  );
  return r?.title ?? null;
}

/** The community's pins whose item the actor may read, newest first. */
export async function pinsOf(db: Executor, actor: Actor, communityId: string) {
  const part = (type: ItemType) => {
    const title = type === "post" ? sql`left(x.body, 120)` : sql`x.title`;
    return sql`select p.id, p.item_type as type, p.item_id, ${title} as title, p.created_at
      from community_pins p join ${sql.raw(PIN_TABLE[type])} x on x.id = p.item_id
      where p.community_id = ${communityId} and p.item_type = ${type} and ${readableSql(actor, type, "x")}`;
  };
  return rows<{ id: string; type: ItemType; item_id: string; title: string; created_at: Date | string }>(
    db,
    sql`select * from (${sql.join(
      (Object.keys(PIN_TABLE) as ItemType[]).map(part),
      sql` union all `,
    )}) pins order by created_at desc`,
  );
}

/** What a person has shown, follows and asked about, by tag (for suggestions; over what they may read). */
export async function personSignals(db: Executor, actor: Actor) {
  const evidence = await rows<{ tag: string; n: number }>(
    db,
    sql`select tag, count(*)::int as n from (
          select unnest(q.tags) as tag from answers a join questions q on q.id = a.question_id
            where a.author_id = ${actor.id} and a.deleted_at is null and ${readableSql(actor, "question", "q")}
          union all
          select unnest(ar.tags) from articles ar where ar.owner_id = ${actor.id} and ${readableSql(actor, "article", "ar")}
        ) t group by tag`,
  );
  const follows = await rows<{ target: string }>(
    db,
    sql`select target from follows where user_id = ${actor.id} and target_type = 'tag'`,
  );
  const asked = await rows<{ tag: string; n: number }>(
    db,
    sql`select tag, count(*)::int as n from (select unnest(q.tags) as tag from questions q
          where q.author_id = ${actor.id} and ${readableSql(actor, "question", "q")}) t group by tag`,
  );
  return {
    evidence: new Map(evidence.map((r) => [r.tag, Number(r.n)])),
    follows: new Set(follows.map((r) => r.target)),
    asked: new Map(asked.map((r) => [r.tag, Number(r.n)])),
  };
}
