import { peopleByIds } from "../accounts/users";
import { and, eq, sql } from "drizzle-orm";
import { follows, journalEntries, postComments, postReactions, posts } from "../../../db/schema";
import { rows, type Executor } from "../../platform/db";
import type { AppContext } from "../../context";
import { AppError, invalidField, notFound } from "../../platform/errors";
import { authorize, can, type Actor, type PostSubject } from "../../authz/policy";
import { loadCommunitySubject, loadSpaceSubject } from "../../authz/access";
import { audienceReadableSql, readableSql } from "../../authz/audience";
import { renderMarkdown } from "../../domain/markdown/render";
import { normaliseTags } from "../knowledge/articles.schema";
import { createLesson, getLesson } from "./lessons.service";
import { REACTIONS } from "./wol.schema";

type PostRow = typeof posts.$inferSelect;

async function postSubject(ctx: AppContext, actor: Actor, p: PostRow): Promise<PostSubject> {
  return {
    kind: "post",
    id: p.id,
    space: p.spaceId ? await loadSpaceSubject(ctx.db, actor, p.spaceId) : null,
    community: p.communityId ? await loadCommunitySubject(ctx.db, actor, p.communityId) : null,
    authorId: p.authorId,
    deleted: p.deletedAt !== null,
  };
}

async function loadPost(ctx: AppContext, actor: Actor, id: string) {
  const [row] = await ctx.db.select().from(posts).where(eq(posts.id, id));
  if (!row) throw notFound("Post not found");
  return { row, subject: await postSubject(ctx, actor, row) };
}

async function presentPosts(ctx: AppContext, actor: Actor, list: PostRow[]) {
  if (!list.length) return [];
  const ids = sql.join(
    list.map((p) => sql`${p.id}::uuid`),
    sql`, `,
  );
  const reactions = await rows<{ post_id: string; emoji: string; n: number; mine: boolean }>(
    ctx.db,
    sql`select post_id, emoji, count(*)::int as n, bool_or(user_id = ${actor.id}) as mine from post_reactions where post_id in (${ids}) group by post_id, emoji`,
  );
  const comments = await rows<{
    id: string;
    post_id: string;
    body: string;
    author_id: string;
    author_name: string;
    created_at: Date | string;
  }>(
    ctx.db,
    sql`select c.id, c.post_id, c.body, c.author_id, u.name as author_name, c.created_at from post_comments c join users u on u.id = c.author_id where c.post_id in (${ids}) order by c.created_at`,
  );
  const authors = [
    ...(
      await peopleByIds(
        ctx.db,
        list.map((p) => p.authorId),
      )
    ).values(),
  ].map(({ id, name, title }) => ({ id, name, title }));
  const spaces = await rows<{ id: string; name: string }>(ctx.db, sql`select id, name from spaces`);
  const out = [];
  for (const p of list) {
    const subject = await postSubject(ctx, actor, p);
    out.push({
      id: p.id,
      kind: p.kind,
      body: p.body,
      html: renderMarkdown(p.body),
      tags: p.tags,
      space: p.spaceId ? (spaces.find((s) => s.id === p.spaceId) ?? null) : null,
      communityId: p.communityId,
      author: authors.find((a) => a.id === p.authorId) ?? { id: p.authorId, name: "", title: "" },
      createdAt: p.createdAt.toISOString(),
      reactions: REACTIONS.map((emoji) => {
        const r = reactions.find((x) => x.post_id === p.id && x.emoji === emoji);
        return { emoji, count: Number(r?.n ?? 0), mine: r?.mine ?? false };
      }),
      comments: comments
        .filter((c) => c.post_id === p.id)
        .map((c) => ({
          id: c.id,
          body: c.body,
          author: { id: c.author_id, name: c.author_name },
          createdAt: new Date(c.created_at).toISOString(),
        })),
      can: {
        react: can(actor, "react", subject),
        comment: can(actor, "comment", subject),
        delete: can(actor, "delete", subject),
      },
    });
  }
  return out;
}

type PostInput = {
  kind: "working_on" | "learned";
  body: string;
  tags: string[];
  spaceId?: string | null;
  communityId?: string | null;
};

/** Checks and inserts a post on `db` (the open transaction when there is one). */
export async function insertPost(ctx: AppContext, actor: Actor, input: PostInput, db: Executor): Promise<PostRow> {
  authorize(actor, "post", { kind: "instance" });
  if (input.spaceId) {
    const space = await loadSpaceSubject(db, actor, input.spaceId).catch(() => null);
    if (!space || !can(actor, "read", space)) throw invalidField("spaceId", "no such space");
  }
  if (input.communityId) {
    if (input.spaceId) throw invalidField("communityId", "a post goes to a space or to a community, not both");
    authorize(actor, "post", await loadCommunitySubject(db, actor, input.communityId));
  }
  const [row] = await db
    .insert(posts)
    .values({
      authorId: actor.id,
      kind: input.kind,
      body: input.body,
      tags: normaliseTags(input.tags),
      spaceId: input.spaceId ?? null,
      communityId: input.communityId ?? null,
      createdAt: ctx.now(),
    })
    .returning();
  return row;
}

export async function createPost(ctx: AppContext, actor: Actor, input: PostInput) {
  const row = await insertPost(ctx, actor, input, ctx.db);
  return (await presentPosts(ctx, actor, [row]))[0];
}

export async function getPost(ctx: AppContext, actor: Actor, id: string) {
  const { row, subject } = await loadPost(ctx, actor, id);
  authorize(actor, "read", subject);
  return (await presentPosts(ctx, actor, [row]))[0];
}

export async function deletePost(ctx: AppContext, actor: Actor, id: string) {
  const { subject } = await loadPost(ctx, actor, id);
  authorize(actor, "delete", subject);
  await ctx.db.update(posts).set({ deletedAt: ctx.now() }).where(eq(posts.id, id));
  return { deleted: true };
}

/**
 * Toggles the actor's reaction. Toggles on one post take turns (its row is locked first), so
 * simultaneous toggles each flip the reaction once instead of two inserts colliding.
 */
export async function react(ctx: AppContext, actor: Actor, id: string, emoji: string) {
  const { subject } = await loadPost(ctx, actor, id);
  authorize(actor, "react", subject);
  await ctx.db.transaction(async (tx) => {
    await tx.select({ id: posts.id }).from(posts).where(eq(posts.id, id)).for("no key update");
    const removed = await tx
      .delete(postReactions)
      .where(and(eq(postReactions.postId, id), eq(postReactions.userId, actor.id), eq(postReactions.emoji, emoji)))
      .returning();
    if (!removed.length)
      await tx.insert(postReactions).values({ postId: id, userId: actor.id, emoji, createdAt: ctx.now() });
  });
  return getPost(ctx, actor, id);
}

export async function commentOnPost(ctx: AppContext, actor: Actor, id: string, body: string) {
  const { subject } = await loadPost(ctx, actor, id);
  authorize(actor, "comment", subject);
  await ctx.db.insert(postComments).values({ postId: id, authorId: actor.id, body, createdAt: ctx.now() });
  return getPost(ctx, actor, id);
}

/**
 * The feed: posts of the people, tags and spaces the actor follows (and their own), newest first;
 * `everyone` shows all posts they may read. Private-space posts only reach the space's readers.
 */
export async function feed(
  ctx: AppContext,
  actor: Actor,
  q: { scope: "following" | "everyone"; tag?: string; authorId?: string; limit: number; before?: string },
) {
  const where = [readableSql(actor, "post", "p")];
  if (q.scope === "following")
    where.push(sql`(p.author_id = ${actor.id}
      or p.author_id::text in (select target from follows where user_id = ${actor.id} and target_type = 'person')
      or p.space_id::text in (select target from follows where user_id = ${actor.id} and target_type = 'space')
      or p.tags && coalesce((select array_agg(target) from follows where user_id = ${actor.id} and target_type = 'tag'), '{}'::text[]))`);
  if (q.tag) where.push(sql`${q.tag.toLowerCase()} = any(p.tags)`);
  if (q.authorId) where.push(sql`p.author_id = ${q.authorId}`);
  if (q.before) where.push(sql`p.created_at < ${new Date(q.before)}`);
  const ids = await rows<{ id: string }>(
    ctx.db,
    sql`select p.id from posts p where ${sql.join(where, sql` and `)} order by p.created_at desc limit ${q.limit}`,
  );
  const list = ids.length
    ? await ctx.db
        .select()
        .from(posts)
        .where(
          sql`${posts.id} in (${sql.join(
            ids.map((i) => sql`${i.id}::uuid`),
            sql`, `,
          )})`,
        )
    : [];
  list.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  return { items: await presentPosts(ctx, actor, list), following: await myFollows(ctx, actor) };
}

export async function myFollows(ctx: AppContext, actor: Actor) {
  const list = await ctx.db.select().from(follows).where(eq(follows.userId, actor.id));
  return list.map((f) => ({ type: f.targetType, target: f.target }));
}

export async function setFollow(
  ctx: AppContext,
  actor: Actor,
  input: { type: "person" | "tag" | "space"; target: string; follow: boolean },
) {
  let target = input.target;
  if (input.type === "tag") target = normaliseTags([target])[0] ?? "";
  if (!target) throw invalidField("target", "is required");
  if (input.type === "person") {
    const [u] = await rows(ctx.db, sql`select 1 from users where id::text = ${target} and deactivated_at is null`);
    if (!u || target === actor.id) throw invalidField("target", "no such colleague");
  }
  if (input.type === "space") {
    const space = await loadSpaceSubject(ctx.db, actor, target).catch(() => null);
    if (!space || !can(actor, "read", space)) throw invalidField("target", "no such space");
  }
  if (input.follow)
    await ctx.db
      .insert(follows)
      .values({ userId: actor.id, targetType: input.type, target, createdAt: ctx.now() })
      .onConflictDoNothing();
  else
    await ctx.db
      .delete(follows)
      .where(and(eq(follows.userId, actor.id), eq(follows.targetType, input.type), eq(follows.target, target)));
  return { following: await myFollows(ctx, actor) };
}

// ---------- Reflection journal (private) ----------

/** Prompts drawn from the 70:20:10 practices: new experience, practice, conversation, reflection. */
const PROMPTS: Record<"experience" | "practice" | "conversation" | "reflection", string[]> = {
  experience: [
    "What did you do for the first time this week, and what happened?",
    "Which task stretched you beyond what you knew? What did you figure out?",
    "What problem did you solve that you had never met before?",
  ],
  practice: [
    "What did you practise on purpose, and what got easier?",
    "Which routine did you improve, and how do you know it is better?",
    "What would you like to repeat until it is second nature?",
  ],
  conversation: [
    "Which conversation taught you something? What did you take from it?",
    "Who helped you this week, and how?",
    "What did you explain to someone else — and what did explaining teach you?",
  ],
  reflection: [
    "Looking back: what would you do differently next time?",
    "What assumption of yours turned out to be wrong?",
    "What are you proud of, and what made it work?",
  ],
};

function promptFor(practice: keyof typeof PROMPTS, day: Date): string {
  const list = PROMPTS[practice];
  return list[Math.floor(day.getTime() / 86_400_000) % list.length];
}

export async function journal(ctx: AppContext, actor: Actor) {
  authorize(actor, "journal", { kind: "instance" });
  const list = await ctx.db
    .select()
    .from(journalEntries)
    .where(eq(journalEntries.userId, actor.id))
    .orderBy(sql`${journalEntries.createdAt} desc`)
    .limit(200);
  const today = ctx.now();
  return {
    prompts: (Object.keys(PROMPTS) as (keyof typeof PROMPTS)[]).map((practice) => ({
      practice,
      prompt: promptFor(practice, today),
    })),
    items: list.map((e) => ({
      id: e.id,
      practice: e.practice,
      prompt: e.prompt,
      body: e.body,
      html: renderMarkdown(e.body),
      sharedPostId: e.sharedPostId,
      lessonId: e.lessonId,
      createdAt: e.createdAt.toISOString(),
    })),
  };
}

export async function addJournalEntry(
  ctx: AppContext,
  actor: Actor,
  input: { practice: keyof typeof PROMPTS; prompt: string; body: string },
) {
  authorize(actor, "journal", { kind: "instance" });
  await ctx.db.insert(journalEntries).values({
    userId: actor.id,
    practice: input.practice,
    prompt: input.prompt,
    body: input.body,
    createdAt: ctx.now(),
  });
  return journal(ctx, actor);
}

async function loadEntry(ctx: AppContext, actor: Actor, id: string) {
  const [e] = await ctx.db.select().from(journalEntries).where(eq(journalEntries.id, id));
  if (!e) throw notFound("Entry not found");
  authorize(actor, "read", { kind: "journal", id: e.id, userId: e.userId });
  return e;
}

/** The entry's row, locked until the transaction ends: sharing it or making it a lesson happens once. */
async function lockEntry(tx: Executor, id: string) {
  const [e] = await tx.select().from(journalEntries).where(eq(journalEntries.id, id)).for("no key update");
  if (!e) throw notFound("Entry not found");
  return e;
}

/** Shares a journal entry as a "what I learned" post (the journal keeps the link); once: again is 409. */
export async function shareEntry(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { tags: string[]; spaceId?: string | null },
) {
  await loadEntry(ctx, actor, id);
  const postId = await ctx.db.transaction(async (tx) => {
    const e = await lockEntry(tx, id);
    if (e.sharedPostId)
      throw new AppError("conflict", "This entry is already shared", { details: { postId: e.sharedPostId } });
    const post = await insertPost(
      ctx,
      actor,
      { kind: "learned", body: e.body, tags: input.tags, spaceId: input.spaceId },
      tx,
    );
    await tx.update(journalEntries).set({ sharedPostId: post.id }).where(eq(journalEntries.id, id));
    return post.id;
  });
  return getPost(ctx, actor, postId);
}

/** Turns a journal entry into a lesson; once: again is 409. */
export async function entryToLesson(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { title: string; tags: string[]; anonymous: boolean; spaceId?: string | null },
) {
  await loadEntry(ctx, actor, id);
  const lessonId = await ctx.db.transaction(async (tx) => {
    const e = await lockEntry(tx, id);
    if (e.lessonId)
      throw new AppError("conflict", "This entry is already a lesson", { details: { lessonId: e.lessonId } });
    const lesson = await createLesson(
      ctx,
      actor,
      {
        kind: "mistake",
        title: input.title,
        whatHappened: e.prompt,
        impact: "",
        learned: e.body,
        instead: "",
        tags: input.tags,
        spaceId: input.spaceId,
        anonymous: input.anonymous,
      },
      {},
      tx,
    );
    await tx.update(journalEntries).set({ lessonId: lesson.id }).where(eq(journalEntries.id, id));
    return lesson.id;
  });
  return getLesson(ctx, actor, lessonId);
}

// ---------- Personal learning page ----------

/**
 * A person's learning experiences of the last months from what they did in Knowhow, split by
 * the 70:20:10 model: experience (doing: articles written or kept up to date, answers, lessons,
 * working-on posts, journal, knowledge-sharing sessions presented),
 * social (learning with others: questions asked, comments, endorsements, learned posts, help
 * received, sessions attended), formal (learning-path steps and paths completed — the person's own, like the
 * journal and mentoring). Only activity on content the viewer may read counts.
 */
export async function learningExperiences(ctx: AppContext, actor: Actor, personId: string, months: number) {
  authorize(actor, "read", { kind: "person", id: personId });
  const since = new Date(ctx.now().getTime() - months * 30 * 86_400_000);
  const readQ = readableSql(actor, "question", "q");
  const m = (col: string) => sql.raw(`to_char(date_trunc('month', ${col}), 'YYYY-MM')`);
  const parts = [
    sql`select 'experience' as cat, 'article' as what, ${m("a.created_at")} as month, count(*)::int as n from articles a where a.owner_id = ${personId} and a.created_at >= ${since} and a.status = 'published' and ${readableSql(actor, "article", "a")} group by 3`,
    sql`select 'experience', 'article_update', ${m("r.created_at")}, count(*)::int from article_revisions r join articles a on a.id = r.article_id where r.author_id = ${personId} and r.version > 1 and r.created_at >= ${since} and a.status = 'published' and ${readableSql(actor, "article", "a")} group by 3`,
    sql`select 'experience', 'answer', ${m("an.created_at")}, count(*)::int from answers an join questions q on q.id = an.question_id where an.author_id = ${personId} and an.created_at >= ${since} and an.deleted_at is null and ${readQ} group by 3`,
    sql`select 'experience', 'lesson', ${m("l.created_at")}, count(*)::int from lessons l where l.author_id = ${personId} and l.created_at >= ${since} and (l.anonymous = false or ${personId} = ${actor.id}) and ${readableSql(actor, "lesson", "l")} group by 3`,
    sql`select 'experience', 'working_on', ${m("p.created_at")}, count(*)::int from posts p where p.author_id = ${personId} and p.kind = 'working_on' and p.created_at >= ${since} and ${readableSql(actor, "post", "p")} group by 3`,
    sql`select 'social', 'question', ${m("q.created_at")}, count(*)::int from questions q where q.author_id = ${personId} and q.created_at >= ${since} and ${readQ} group by 3`,
    sql`select 'social', 'comment', ${m("c.created_at")}, count(*)::int from comments c
          join questions q on q.id = case when c.post_type = 'question' then c.post_id else (select an.question_id from answers an where an.id = c.post_id) end
          where c.author_id = ${personId} and c.created_at >= ${since} and c.deleted_at is null and ${readQ} group by 3`,
    sql`select 'social', 'endorsement', ${m("e.created_at")}, count(*)::int from endorsements e where (e.endorser_id = ${personId} or e.user_id = ${personId}) and e.created_at >= ${since} group by 3`,
    sql`select 'social', 'learned_post', ${m("p.created_at")}, count(*)::int from posts p where p.author_id = ${personId} and p.kind = 'learned' and p.created_at >= ${since} and ${readableSql(actor, "post", "p")} group by 3`,
    // Knowledge-sharing sessions: presenting one (that has started) is experience; attending one is social.
    sql`select 'experience', 'session_presented', ${m("s.starts_at")}, count(*)::int from session_presenters sp join sharing_sessions s on s.id = sp.session_id where sp.user_id = ${personId} and s.cancelled_at is null and s.starts_at >= ${since} and s.starts_at <= ${ctx.now()} and ${audienceReadableSql(actor, "s.audience_id")} group by 3`,
    sql`select 'social', 'session_attended', ${m("s.starts_at")}, count(*)::int from session_rsvps r join sharing_sessions s on s.id = r.session_id where r.user_id = ${personId} and r.checked_in_at is not null and s.starts_at >= ${since} and ${audienceReadableSql(actor, "s.audience_id")} and not exists (select 1 from session_presenters sp where sp.session_id = s.id and sp.user_id = ${personId}) group by 3`,
  ];
  // Mentoring is the pair's own: it counts on one's own learning page only (mentor: experience, mentee: social).
  if (personId === actor.id)
    parts.push(
      sql`select case when m.mentor_id = ${personId} then 'experience' else 'social' end,
            case when m.mentor_id = ${personId} then 'mentoring_given' else 'mentoring_received' end,
            ${m("g.held_on::date")}, count(*)::int
          from mentorship_meetings g join mentorships m on m.id = g.mentorship_id
          where (m.mentor_id = ${personId} or m.mentee_id = ${personId}) and g.held_on::date >= ${since}::date
          group by 1, 2, 3`,
    );
  // Formal learning: steps of learning paths completed, and paths completed (one's own page only).
  if (personId === actor.id)
    parts.push(
      sql`select 'formal', 'path_step', ${m("pr.completed_at")}, count(*)::int from path_progress pr join path_enrolments e on e.id = pr.enrolment_id where e.user_id = ${personId} and pr.completed_at >= ${since} group by 3`,
      sql`select 'formal', 'path_completed', ${m("e.completed_at")}, count(*)::int from path_enrolments e where e.user_id = ${personId} and e.completed_at >= ${since} group by 3`,
      // Statements outside tools (an e-learning module, an LMS) posted to Knowhow's LRS for this person.
      sql`select 'formal', 'xapi', ${m("x.timestamp")}, count(*)::int from xapi_statements x where x.user_id = ${personId} and x.client_id is not null and x.voided = false and x.timestamp >= ${since} group by 3`,
    );
  if (personId === actor.id)
    parts.push(
      sql`select 'experience', 'journal', ${m("j.created_at")}, count(*)::int from journal_entries j where j.user_id = ${personId} and j.created_at >= ${since} group by 3`,
    );
  const found = await rows<{ cat: "experience" | "social" | "formal"; what: string; month: string; n: number }>(
    ctx.db,
    sql.join(parts, sql` union all `),
  );
  const monthList: string[] = [];
  for (let i = months - 1; i >= 0; i--) {
    const d = new Date(ctx.now());
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() - i);
    monthList.push(d.toISOString().slice(0, 7));
  }
  const byMonth = monthList.map((month) => ({
    month,
    experience: found.filter((f) => f.month === month && f.cat === "experience").reduce((s, f) => s + Number(f.n), 0),
    social: found.filter((f) => f.month === month && f.cat === "social").reduce((s, f) => s + Number(f.n), 0),
    // A completed path is counted through its steps; the completion itself is shown in byKind.
    formal: found
      .filter((f) => f.month === month && f.cat === "formal" && f.what !== "path_completed")
      .reduce((s, f) => s + Number(f.n), 0),
  }));
  const byKind: Record<string, number> = {};
  for (const f of found) byKind[f.what] = (byKind[f.what] ?? 0) + Number(f.n);
  const total = (k: "experience" | "social" | "formal") => byMonth.reduce((s, x) => s + x[k], 0);
  return {
    months: byMonth,
    totals: { experience: total("experience"), social: total("social"), formal: total("formal") },
    byKind,
    formalNote:
      personId === actor.id
        ? "Formal learning: the steps of learning paths you completed, and what e-learning tools recorded in Knowhow's LRS for you."
        : "Formal learning (learning paths) is shown to the person only.",
  };
}
