import { and, eq, sql } from "drizzle-orm";
import { emitWebhookEvent } from "../webhooks/webhooks.service";
import type { z } from "zod";
import { answers, comments, postRevisions, questions, votes } from "../../../db/schema";
import { rows, type Executor } from "../../platform/db";
import type { AppContext } from "../../context";
import { AppError, invalidField, notFound } from "../../platform/errors";
import { authorize, can, type Actor, type AnswerSubject, type QuestionSubject } from "../../authz/policy";
import { loadCommunitySubject, loadSpaceSubject, presentLink, readableIds } from "../../authz/access";
import { readableSql } from "../../authz/audience";
import { renderMarkdown } from "../../domain/markdown/render";
import { markdownToPlainText } from "../../domain/search/snippet";
import { STOPWORDS } from "../../domain/search/stopwords";
import { bumpExpertise } from "../expertise/expertise.service";
import { onAnswered, onResolved, routeQuestion, routingOf } from "../routing/routing.service";
import { recordMentions } from "../mentions/mentions.service";
import type { AnswerIn, AnswerUpdate, QuestionIn, QuestionListQuery, QuestionUpdate } from "./qa.schema";

type QuestionRow = typeof questions.$inferSelect;
/** A mention in a question, an answer or a comment: read with the question. */
const questionMention = (subjectType: "question" | "answer" | "comment", subjectId: string, questionId: string) =>
  ({ subjectType, subjectId, itemType: "question", itemId: questionId }) as const;
type AnswerRow = typeof answers.$inferSelect;
type Person = { id: string; name: string; sourceUrl: string | null };

async function questionSubject(db: Executor, actor: Actor | null, q: QuestionRow): Promise<QuestionSubject> {
  return {
    kind: "question",
    id: q.id,
    space: q.spaceId ? await loadSpaceSubject(db, actor, q.spaceId) : null,
    community: q.communityId ? await loadCommunitySubject(db, actor, q.communityId) : null,
    authorId: q.authorId,
    deleted: q.deletedAt !== null,
    closed: q.closedAt !== null || q.duplicateOfId !== null,
  };
}

async function loadQuestion(
  db: Executor,
  actor: Actor | null,
  id: string,
): Promise<{ row: QuestionRow; subject: QuestionSubject }> {
  const [row] = await db.select().from(questions).where(eq(questions.id, id));
  if (!row) throw notFound("Question not found");
  return { row, subject: await questionSubject(db, actor, row) };
}

async function loadAnswer(
  db: Executor,
  actor: Actor | null,
  id: string,
): Promise<{ row: AnswerRow; question: QuestionRow; subject: AnswerSubject }> {
  const [row] = await db.select().from(answers).where(eq(answers.id, id));
  if (!row) throw notFound("Answer not found");
  const q = await loadQuestion(db, actor, row.questionId);
  return {
    row,
    question: q.row,
    subject: {
      kind: "answer",
      id: row.id,
      question: q.subject,
      authorId: row.authorId,
      deleted: row.deletedAt !== null,
    },
  };
}

/** Questions the actor may read: asked to everyone, or inside a space they can read. */
export async function listQuestions(ctx: AppContext, actor: Actor, query: z.infer<typeof QuestionListQuery>) {
  const where = [readableSql(actor, "question", "q")];
  if (query.tag) where.push(sql`${query.tag.toLowerCase()} = any(q.tags)`);
  // Words of the query (3+ letters) matched in titles; more matching words rank higher.
  const words = [...new Set((query.q ?? "").toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? [])]
    .filter((w) => !STOPWORDS.has(w))
    .slice(0, 12);
  const matches = words.length
    ? sql.join(
        words.map((w) => sql`(q.title ilike ${"%" + w + "%"})::int`),
        sql` + `,
      )
    : sql`0`;
  if (words.length) where.push(sql`(${matches}) > 0`);
  if (query.sort === "unanswered") where.push(sql`q.answer_count = 0`);
  const byTime =
    query.sort === "newest"
      ? sql`q.created_at desc`
      : query.sort === "votes"
        ? sql`q.score desc, q.created_at desc`
        : sql`q.last_activity_at desc`;
  const order = words.length ? sql`(${matches}) desc, (q.accepted_answer_id is not null) desc, ${byTime}` : byTime;
  const cond = sql.join(where, sql` and `);
  const [{ n }] = await rows<{ n: number }>(ctx.db, sql`select count(*)::int as n from questions q where ${cond}`);
  const found = await rows<{
    id: string;
    title: string;
    body: string;
    tags: string[];
    score: number;
    answer_count: number;
    accepted_answer_id: string | null;
    duplicate_of_id: string | null;
    author_id: string;
    author_name: string;
    created_at: Date | string;
    last_activity_at: Date | string;
    space_id: string | null;
    community_id: string | null;
  }>(
    ctx.db,
    sql`select q.id, q.title, left(q.body, 600) as body, q.tags, q.score, q.answer_count, q.accepted_answer_id, q.duplicate_of_id, q.author_id, u.name as author_name, q.created_at, q.last_activity_at, q.space_id, q.community_id
        from questions q join users u on u.id = q.author_id where ${cond} order by ${order} limit ${query.limit} offset ${query.offset}`,
  );
  const readableOriginals = await readableIds(
    ctx.db,
    actor,
    "question",
    found.map((q) => q.duplicate_of_id),
  );
  return {
    total: Number(n),
    items: found.map((q) => ({
      id: q.id,
      title: q.title,
      excerpt: markdownToPlainText(q.body).replace(/\s+/g, " ").slice(0, 220),
      tags: q.tags,
      score: q.score,
      answerCount: q.answer_count,
      answered: q.accepted_answer_id !== null,
      duplicate: q.duplicate_of_id !== null,
      // The original's id only for readers who may read it (it may be in a private space).
      duplicateOfId: q.duplicate_of_id && readableOriginals.has(q.duplicate_of_id) ? q.duplicate_of_id : null,
      author: { id: q.author_id, name: q.author_name },
      spaceId: q.space_id,
      communityId: q.community_id,
      createdAt: new Date(q.created_at).toISOString(),
      lastActivityAt: new Date(q.last_activity_at).toISOString(),
    })),
  };
}

/** A question with its answers and comments, as the reader may see and act on it. */
export async function getQuestion(ctx: AppContext, actor: Actor, id: string) {
  const { row: q, subject } = await loadQuestion(ctx.db, actor, id);
  authorize(actor, "read", subject);
  // The answers, comments, the actor's votes and the names they show, in one statement.
  const [thread] = await rows<{
    answers: {
      id: string;
      body: string;
      score: number;
      version: number;
      author_id: string;
      source_url: string | null;
      created_at: string;
    }[];
    comments: { id: string; post_id: string; body: string; author_id: string; created_at: string }[];
    votes: { post_id: string; value: number }[];
    people: { id: string; name: string; source_url: string | null }[];
  }>(
    ctx.db,
    sql`with ans as (
          select id, body, score, version, author_id, source_url, created_at from answers where question_id = ${id} and deleted_at is null
        ), posts as (select ${id}::uuid as id union all select id from ans),
        com as (
          select id, post_id, body, author_id, created_at from comments where deleted_at is null and post_id in (select id from posts)
        )
        select
          (select coalesce(json_agg(ans), '[]'::json) from ans) as answers,
          (select coalesce(json_agg(com order by com.created_at), '[]'::json) from com) as comments,
          (select coalesce(json_agg(json_build_object('post_id', v.post_id, 'value', v.value)), '[]'::json)
             from votes v where v.user_id = ${actor.id} and v.post_id in (select id from posts)) as votes,
          (select coalesce(json_agg(json_build_object('id', u.id, 'name', u.name, 'source_url', u.source_url)), '[]'::json)
             from users u where u.id = ${q.authorId} or u.id in (select author_id from ans) or u.id in (select author_id from com)) as people`,
  );
  const as = thread.answers.map((a) => ({
    id: a.id,
    body: a.body,
    score: a.score,
    version: a.version,
    authorId: a.author_id,
    sourceUrl: a.source_url,
    createdAt: new Date(a.created_at),
  }));
  const cs = thread.comments;
  const myVote = new Map(thread.votes.map((v) => [v.post_id, v.value]));
  const who = new Map<string, Person>(
    thread.people.map((p) => [p.id, { id: p.id, name: p.name, sourceUrl: p.source_url }]),
  );
  const commentsOf = (postId: string) =>
    cs
      .filter((c) => c.post_id === postId)
      .map((c) => ({
        id: c.id,
        body: c.body,
        author: who.get(c.author_id)!,
        createdAt: new Date(c.created_at).toISOString(),
      }));
  const ordered = [...as].sort(
    (a, b) =>
      Number(b.id === q.acceptedAnswerId) - Number(a.id === q.acceptedAnswerId) ||
      b.score - a.score ||
      a.createdAt.getTime() - b.createdAt.getTime(),
  );
  const original = q.duplicateOfId
    ? (
        await ctx.db
          .select({ id: questions.id, title: questions.title })
          .from(questions)
          .where(eq(questions.id, q.duplicateOfId))
      )[0]
    : undefined;
  const duplicateOf = original
    ? presentLink(await readableIds(ctx.db, actor, "question", [original.id]), original.id, original.title)
    : null;
  return {
    id: q.id,
    title: q.title,
    body: q.body,
    html: renderMarkdown(q.body),
    tags: q.tags,
    score: q.score,
    version: q.version,
    spaceId: q.spaceId,
    communityId: q.communityId,
    author: who.get(q.authorId)!,
    sourceUrl: q.sourceUrl,
    createdAt: q.createdAt.toISOString(),
    updatedAt: q.updatedAt.toISOString(),
    acceptedAnswerId: q.acceptedAnswerId,
    duplicateOf,
    closed: subject.closed,
    routing: await routingOf(ctx, actor, subject),
    myVote: myVote.get(q.id) ?? 0,
    can: {
      edit: can(actor, "edit", subject),
      answer: can(actor, "answer", subject),
      accept: can(actor, "accept", subject),
      vote: can(actor, "vote", subject),
      comment: can(actor, "comment", subject),
      close: can(actor, "close", subject),
    },
    comments: commentsOf(q.id),
    answers: ordered.map((a) => {
      const as: AnswerSubject = { kind: "answer", id: a.id, question: subject, authorId: a.authorId, deleted: false };
      return {
        id: a.id,
        body: a.body,
        html: renderMarkdown(a.body),
        score: a.score,
        version: a.version,
        accepted: a.id === q.acceptedAnswerId,
        author: who.get(a.authorId)!,
        sourceUrl: a.sourceUrl,
        createdAt: a.createdAt.toISOString(),
        myVote: myVote.get(a.id) ?? 0,
        can: { edit: can(actor, "edit", as), vote: can(actor, "vote", as) },
        comments: commentsOf(a.id),
      };
    }),
  };
}

/**
 * Asks a question. `alsoInTransaction` writes what the caller links to it (a session's raised
 * question) in the same transaction, so the question and its link are saved together or not at all.
 */
export async function createQuestion(
  ctx: AppContext,
  actor: Actor,
  input: z.infer<typeof QuestionIn>,
  alsoInTransaction?: (tx: Executor, questionId: string) => Promise<void>,
) {
  authorize(actor, "ask", { kind: "instance" });
  if (input.spaceId && input.communityId)
    throw invalidField("communityId", "a question goes to a space or to a community, not both");
  if (input.spaceId) authorize(actor, "read", await loadSpaceSubject(ctx.db, actor, input.spaceId));
  if (input.communityId) authorize(actor, "ask", await loadCommunitySubject(ctx.db, actor, input.communityId));
  const now = ctx.now();
  const id = await ctx.db.transaction(async (tx) => {
    const [q] = await tx
      .insert(questions)
      .values({
        title: input.title,
        body: input.body,
        tags: input.tags,
        spaceId: input.spaceId ?? null,
        communityId: input.communityId ?? null,
        authorId: actor.id,
        createdAt: now,
        updatedAt: now,
        lastActivityAt: now,
      })
      .returning({ id: questions.id });
    await tx.insert(postRevisions).values({
      postType: "question",
      postId: q.id,
      version: 1,
      title: input.title,
      body: input.body,
      tags: input.tags,
      authorId: actor.id,
      note: "Asked",
      createdAt: now,
    });
    if (alsoInTransaction) await alsoInTransaction(tx, q.id);
    await recordMentions(ctx, tx, actor, questionMention("question", q.id, q.id), input.body);
    await emitWebhookEvent(ctx, tx, {
      type: "question.created",
      path: `/questions/${q.id}`,
      title: input.title,
      body: input.body,
      authorId: actor.id,
      tags: input.tags,
      spaceId: input.spaceId ?? null,
      communityId: input.communityId ?? null,
      at: now,
    });
    return q.id;
  });
  ctx.jobs.kick();
  if (input.route) {
    try {
      await routeQuestion(ctx, id);
    } catch (e) {
      // The question is saved; routing is retried by escalation, so a routing failure must not lose it.
      await ctx.db.update(questions).set({ escalateAt: now }).where(eq(questions.id, id));
      console.error("routing failed", e);
    }
  }
  return getQuestion(ctx, actor, id);
}

export async function updateQuestion(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof QuestionUpdate>) {
  const { row: before, subject } = await loadQuestion(ctx.db, actor, id);
  authorize(actor, "edit", subject);
  const now = ctx.now();
  const saved = await ctx.db.transaction(async (tx) => {
    const [q] = await tx
      .update(questions)
      .set({
        title: input.title,
        body: input.body,
        tags: input.tags,
        version: sql`${questions.version} + 1`,
        updatedAt: now,
        lastActivityAt: now,
        searchSeq: sql`nextval('search_seq')`,
      })
      .where(and(eq(questions.id, id), eq(questions.version, input.version)))
      .returning();
    if (!q) return null;
    await tx.insert(postRevisions).values({
      postType: "question",
      postId: id,
      version: q.version,
      title: input.title,
      body: input.body,
      tags: input.tags,
      authorId: actor.id,
      note: input.note,
      createdAt: now,
    });
    await recordMentions(ctx, tx, actor, questionMention("question", id, id), input.body, before.body);
    return q;
  });
  if (!saved)
    throw new AppError("conflict", "Someone saved this question while you were editing; your text was not saved yet", {
      details: { current: await getQuestion(ctx, actor, id) },
    });
  return getQuestion(ctx, actor, id);
}

export async function createAnswer(ctx: AppContext, actor: Actor, questionId: string, input: z.infer<typeof AnswerIn>) {
  const { row: question, subject } = await loadQuestion(ctx.db, actor, questionId);
  authorize(actor, "answer", subject);
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const [a] = await tx
      .insert(answers)
      .values({ questionId, body: input.body, authorId: actor.id, createdAt: now, updatedAt: now })
      .returning({ id: answers.id });
    await tx.insert(postRevisions).values({
      postType: "answer",
      postId: a.id,
      version: 1,
      body: input.body,
      authorId: actor.id,
      note: "Answered",
      createdAt: now,
    });
    await recordMentions(ctx, tx, actor, questionMention("answer", a.id, questionId), input.body);
    await emitWebhookEvent(ctx, tx, {
      type: "answer.created",
      path: `/questions/${questionId}#answer-${a.id}`,
      title: `Answer to: ${question.title}`,
      body: input.body,
      authorId: actor.id,
      tags: question.tags,
      spaceId: question.spaceId,
      communityId: question.communityId,
      question: { id: question.id, title: question.title },
      at: now,
    });
    // An answered question becomes searchable knowledge: move it on in the search sequence.
    await tx
      .update(questions)
      .set({
        answerCount: sql`${questions.answerCount} + 1`,
        lastActivityAt: now,
        searchSeq: sql`nextval('search_seq')`,
      })
      .where(eq(questions.id, questionId));
  });
  ctx.jobs.kick();
  await onAnswered(ctx, questionId, actor.id);
  return getQuestion(ctx, actor, questionId);
}

export async function updateAnswer(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof AnswerUpdate>) {
  const { row, subject } = await loadAnswer(ctx.db, actor, id);
  authorize(actor, "edit", subject);
  const now = ctx.now();
  const saved = await ctx.db.transaction(async (tx) => {
    const [a] = await tx
      .update(answers)
      .set({ body: input.body, version: sql`${answers.version} + 1`, updatedAt: now })
      .where(and(eq(answers.id, id), eq(answers.version, input.version)))
      .returning();
    if (!a) return null;
    await tx.insert(postRevisions).values({
      postType: "answer",
      postId: id,
      version: a.version,
      body: input.body,
      authorId: actor.id,
      note: input.note,
      createdAt: now,
    });
    await recordMentions(ctx, tx, actor, questionMention("answer", id, row.questionId), input.body, row.body);
    await tx
      .update(questions)
      .set({ lastActivityAt: now, searchSeq: sql`nextval('search_seq')` })
      .where(eq(questions.id, row.questionId));
    return a;
  });
  const current = await getQuestion(ctx, actor, row.questionId);
  if (!saved)
    throw new AppError("conflict", "Someone saved this answer while you were editing; your text was not saved yet", {
      details: { current: current.answers.find((a) => a.id === id) },
    });
  return current;
}

/**
 * Up (1), down (-1) or withdraw (0) a vote; the post's score moves by the change of the actor's
 * vote. The post's row is locked first, so votes on one post take turns: the previous vote read
 * under the lock is the current one, and simultaneous votes (even the same person's) cannot apply
 * the same change twice. The score stays imported score + the sum of local votes.
 */
export async function vote(
  ctx: AppContext,
  actor: Actor,
  postType: "question" | "answer",
  id: string,
  value: 1 | -1 | 0,
) {
  let questionId = id;
  if (postType === "question") authorize(actor, "vote", (await loadQuestion(ctx.db, actor, id)).subject);
  else {
    const a = await loadAnswer(ctx.db, actor, id);
    authorize(actor, "vote", a.subject);
    questionId = a.row.questionId;
  }
  await ctx.db.transaction(async (tx) => {
    if (postType === "question")
      await tx.select({ id: questions.id }).from(questions).where(eq(questions.id, id)).for("no key update");
    else await tx.select({ id: answers.id }).from(answers).where(eq(answers.id, id)).for("no key update");
    const [before] = await tx
      .select({ value: votes.value })
      .from(votes)
      .where(and(eq(votes.userId, actor.id), eq(votes.postType, postType), eq(votes.postId, id)));
    const delta = value - (before?.value ?? 0);
    if (delta === 0) return;
    if (value === 0)
      await tx.delete(votes).where(and(eq(votes.userId, actor.id), eq(votes.postType, postType), eq(votes.postId, id)));
    else
      await tx
        .insert(votes)
        .values({ userId: actor.id, postType, postId: id, value, createdAt: ctx.now() })
        .onConflictDoUpdate({
          target: [votes.userId, votes.postType, votes.postId],
          set: { value, createdAt: ctx.now() },
        });
    // Imported posts keep their original score; local votes move it from there.
    if (postType === "question")
      await tx
        .update(questions)
        .set({ score: sql`${questions.score} + ${delta}` })
        .where(eq(questions.id, id));
    else
      await tx
        .update(answers)
        .set({ score: sql`${answers.score} + ${delta}` })
        .where(eq(answers.id, id));
    // Votes on answers are expertise evidence.
    if (postType === "answer") await bumpExpertise(tx, "vote", id);
  });
  return getQuestion(ctx, actor, questionId);
}

export async function accept(ctx: AppContext, actor: Actor, questionId: string, answerId: string | null) {
  const { subject } = await loadQuestion(ctx.db, actor, questionId);
  authorize(actor, "accept", subject);
  if (answerId) {
    const [a] = await ctx.db
      .select({ questionId: answers.questionId, deletedAt: answers.deletedAt })
      .from(answers)
      .where(eq(answers.id, answerId));
    if (!a || a.questionId !== questionId || a.deletedAt)
      throw invalidField("answerId", "is not an answer to this question");
  }
  await ctx.db
    .update(questions)
    .set({ acceptedAnswerId: answerId, lastActivityAt: ctx.now(), searchSeq: sql`nextval('search_seq')` })
    .where(eq(questions.id, questionId));
  if (answerId) await onResolved(ctx, questionId);
  return getQuestion(ctx, actor, questionId);
}

export async function addComment(
  ctx: AppContext,
  actor: Actor,
  postType: "question" | "answer",
  id: string,
  body: string,
) {
  let questionId = id;
  if (postType === "question") authorize(actor, "comment", (await loadQuestion(ctx.db, actor, id)).subject);
  else {
    const a = await loadAnswer(ctx.db, actor, id);
    // An answer the actor may not read is "not found" as an answer, like one that does not exist.
    authorize(actor, "read", a.subject);
    authorize(actor, "comment", a.subject.question);
    questionId = a.row.questionId;
  }
  await ctx.db.transaction(async (tx) => {
    const [c] = await tx
      .insert(comments)
      .values({ postType, postId: id, body, authorId: actor.id, createdAt: ctx.now() })
      .returning({ id: comments.id });
    await recordMentions(ctx, tx, actor, questionMention("comment", c.id, questionId), body);
  });
  await ctx.db.update(questions).set({ lastActivityAt: ctx.now() }).where(eq(questions.id, questionId));
  return getQuestion(ctx, actor, questionId);
}

/** Closes a question as a duplicate of another the actor can read. */
export async function closeAsDuplicate(ctx: AppContext, actor: Actor, id: string, duplicateOfId: string) {
  const { subject } = await loadQuestion(ctx.db, actor, id);
  authorize(actor, "close", subject);
  if (duplicateOfId === id) throw invalidField("duplicateOfId", "cannot be the question itself");
  const original = await loadQuestion(ctx.db, actor, duplicateOfId).catch(() => null);
  if (!original || !can(actor, "read", original.subject)) throw invalidField("duplicateOfId", "no such question");
  await ctx.db
    .update(questions)
    .set({ duplicateOfId, closedAt: ctx.now(), closedBy: actor.id })
    .where(eq(questions.id, id));
  await onResolved(ctx, id);
  return getQuestion(ctx, actor, id);
}
