import { createHash, randomBytes, randomInt } from "node:crypto";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import { feedbackAnswers, feedbackRecipients, feedbackRequests } from "../../../db/schema";
import type { AppContext } from "../../context";
import { rows, type Executor } from "../../platform/db";
import { AppError, invalidField, isConcurrentChange, notFound } from "../../platform/errors";
import { abilities, authorize, type Actor, type FeedbackRequestSubject } from "../../authz/policy";
import { readableSql } from "../../authz/audience";
import { renderMarkdown } from "../../domain/markdown/render";
import {
  checkAnswers,
  isDueSoon,
  isOpen,
  MIN_GROUP,
  releasedAfter,
  shuffled,
  summariseScale,
  type AnswerValue,
  type Question,
} from "../../domain/feedback/feedback";
import { createLesson } from "../lessons/lessons.service";
import { createPost } from "../lessons/wol.service";
import type { AnswerIn, FeedbackIn, FeedbackLessonIn, FeedbackOut, ShareIn } from "./feedback.schema";

// Feedback requests. Anonymous answers live in feedback_answers, which has no author and no time;
// the recipient's row says only that they answered (and its one-time ticket is spent in the same
// transaction). Answers are released in rounds of at least three (domain/feedback). Nothing here
// writes the audit log or logs a body: an answer leaves no trace of who wrote it.

type RequestRow = {
  id: string;
  asker_id: string;
  asker_name: string;
  subject_kind: "article" | "decision" | "project" | "text";
  article_id: string | null;
  title: string;
  description: string;
  questions: Question[] | string;
  anonymous: boolean;
  standing: boolean;
  deadline: Date | string | null;
  released_count: number;
  closed_at: Date | string | null;
  created_at: Date | string;
  thanks: string;
  thanked_at: Date | string | null;
  recipient_count: number | string;
  answered_count: number | string;
  /** The actor's recipient row (null when not asked). */
  my_answered: boolean | null;
  my_ever_answered: boolean | null;
};

const iso = (d: Date | string) => new Date(d).toISOString();
const date = (d: Date | string | null) => (d === null ? null : new Date(d));
const json = <T>(v: T | string): T => (typeof v === "string" ? (JSON.parse(v) as T) : v);
const hashToken = (token: string) => createHash("sha256").update(token).digest("base64url");

/** Requests the actor asked or was asked, matching `where` (alias r); nobody else sees a row. */
async function requestRows(db: Executor, actor: Actor, where: ReturnType<typeof sql>) {
  return rows<RequestRow>(
    db,
    sql`select r.id, r.asker_id, u.name as asker_name, r.subject_kind, r.article_id, r.title, r.description,
          r.questions, r.anonymous, r.standing, r.deadline, r.released_count, r.closed_at, r.created_at,
          r.thanks, r.thanked_at,
          (select count(*) from feedback_recipients x where x.request_id = r.id) as recipient_count,
          case when r.anonymous then (select count(*) from feedback_answers a where a.request_id = r.id)
               else (select count(*) from feedback_recipients x where x.request_id = r.id and x.answered) end
            as answered_count,
          mine.answered as my_answered, mine.ever_answered as my_ever_answered
        from feedback_requests r
        join users u on u.id = r.asker_id
        left join feedback_recipients mine on mine.request_id = r.id and mine.user_id = ${actor.id}
        where (r.asker_id = ${actor.id} or mine.user_id is not null) and ${where}`,
  );
}

function subjectOf(r: RequestRow, now: Date): FeedbackRequestSubject {
  return {
    kind: "feedbackRequest",
    id: r.id,
    askerId: r.asker_id,
    recipient: r.my_answered === null ? null : { answered: r.my_answered },
    open: isOpen({ closedAt: date(r.closed_at), deadline: date(r.deadline) }, now),
  };
}

function summary(actor: Actor, r: RequestRow, now: Date) {
  const subject = subjectOf(r, now);
  const asker = r.asker_id === actor.id;
  const timing = { closedAt: date(r.closed_at), deadline: date(r.deadline) };
  const seesThanks = asker || r.my_ever_answered === true;
  return {
    id: r.id,
    title: r.title,
    subjectKind: r.subject_kind,
    anonymous: r.anonymous,
    standing: r.standing,
    deadline: r.deadline === null ? null : iso(r.deadline),
    open: subject.open,
    dueSoon: !asker && r.my_answered === false && isDueSoon(timing, now),
    asker: { id: r.asker_id, name: r.asker_name },
    answered: asker ? Number(r.answered_count) : null,
    released: asker ? r.released_count : null,
    recipientCount: asker ? Number(r.recipient_count) : null,
    myAnswered: asker ? null : r.my_answered,
    thanks: seesThanks && r.thanked_at !== null ? r.thanks : null,
  };
}

/** One request the actor asked or was asked; 404 for everyone else (admins included). */
async function loadReadable(db: Executor, actor: Actor, id: string, now: Date) {
  const [row] = await requestRows(db, actor, sql`r.id = ${id}`);
  if (!row) throw notFound("Feedback request not found");
  const subject = subjectOf(row, now);
  authorize(actor, "read", subject);
  return { row, subject };
}

/** My requests and the ones made of me (open ones I have not answered first, soonest deadline first). */
export async function listFeedback(ctx: AppContext, actor: Actor) {
  const now = ctx.now();
  const found = await requestRows(ctx.db, actor, sql`true`);
  const asked = found
    .filter((r) => r.asker_id === actor.id)
    .sort((a, b) => new Date(b.created_at).getTime() - new Date(a.created_at).getTime())
    .map((r) => summary(actor, r, now));
  const received = found
    .filter((r) => r.asker_id !== actor.id)
    .map((r) => summary(actor, r, now))
    .sort((a, b) => {
      const rank = (s: typeof a) => (s.open && s.myAnswered === false ? 0 : s.open ? 1 : 2);
      const due = (s: typeof a) => (s.deadline ? new Date(s.deadline).getTime() : Number.MAX_SAFE_INTEGER);
      return rank(a) - rank(b) || due(a) - due(b) || a.title.localeCompare(b.title);
    });
  return { asked, received };
}

async function present(ctx: AppContext, actor: Actor, row: RequestRow, subject: FeedbackRequestSubject) {
  const now = ctx.now();
  const can = abilities(actor, subject);
  const questions = json<Question[]>(row.questions);
  let article: { id: string; title: string } | null = null;
  let articleHidden = false;
  if (row.article_id) {
    const [a] = await rows<{ id: string; title: string }>(
      ctx.db,
      sql`select a.id, a.title from articles a where a.id = ${row.article_id} and ${readableSql(actor, "article", "a")}`,
    );
    if (a) article = a;
    else articleHidden = true;
  }
  const out: FeedbackOut = {
    ...summary(actor, row, now),
    subject: {
      kind: row.subject_kind,
      title: row.title,
      description: row.description,
      descriptionHtml: renderMarkdown(row.description),
      article,
      articleHidden,
    },
    questions,
    createdAt: iso(row.created_at),
    closedAt: row.closed_at === null ? null : iso(row.closed_at),
    recipients: [],
    results: null,
    can,
  };
  if (!can.readAnswers) return out;
  const people = await rows<{ id: string; name: string; answered: boolean }>(
    ctx.db,
    sql`select u.id, u.name, x.answered from feedback_recipients x join users u on u.id = x.user_id
        where x.request_id = ${row.id} order by u.name`,
  );
  // Anonymous: who answered is not shown (the group of three would shrink to the people ticked).
  out.recipients = people.map((p) => ({ id: p.id, name: p.name, answered: row.anonymous ? null : p.answered }));
  out.results = row.anonymous
    ? await anonymousResults(ctx.db, row.id, questions)
    : await namedResults(ctx.db, row.id, questions);
  return out;
}

/** Released anonymous answers by question: scales summarised, texts sorted (never in the order they came). */
async function anonymousResults(db: Executor, id: string, questions: Question[]) {
  const released = await rows<{ answer: AnswerValue[] | string }>(
    db,
    sql`select answer from feedback_answers where request_id = ${id} and round is not null order by id`,
  );
  const values = released.map((a) => json<AnswerValue[]>(a.answer));
  return {
    questions: questions.map((q, i) => {
      const column = values.map((v) => v[i]);
      return q.kind === "scale"
        ? { ...q, scale: summariseScale(column.filter((v): v is number => typeof v === "number")), texts: [] }
        : {
            ...q,
            scale: null,
            texts: column
              .filter((v): v is string => typeof v === "string" && v !== "")
              .sort((a, b) => a.localeCompare(b)),
          };
    }),
    named: [],
  };
}

/** Named answers as they come: by question, and each with its author and time. */
async function namedResults(db: Executor, id: string, questions: Question[]) {
  const found = await rows<{ id: string; name: string; answer: AnswerValue[] | string; answered_at: Date | string }>(
    db,
    sql`select u.id, u.name, x.answer, x.answered_at from feedback_recipients x join users u on u.id = x.user_id
        where x.request_id = ${id} and x.answered and x.answer is not null order by x.answered_at, u.name`,
  );
  const named = found.map((f) => ({
    person: { id: f.id, name: f.name },
    answeredAt: iso(f.answered_at),
    values: json<AnswerValue[]>(f.answer),
  }));
  return {
    questions: questions.map((q, i) => {
      const column = named.map((n) => n.values[i]);
      return q.kind === "scale"
        ? { ...q, scale: summariseScale(column.filter((v): v is number => typeof v === "number")), texts: [] }
        : { ...q, scale: null, texts: column.filter((v): v is string => typeof v === "string" && v !== "") };
    }),
    named,
  };
}

export async function getFeedback(ctx: AppContext, actor: Actor, id: string) {
  const { row, subject } = await loadReadable(ctx.db, actor, id, ctx.now());
  return present(ctx, actor, row, subject);
}

/**
 * The people a request goes to: named people, the asker's direct reports or a department — members
 * and admins who are active; guests, deactivated people and the asker are left out.
 */
async function resolveRecipients(db: Executor, actor: Actor, input: z.infer<typeof FeedbackIn>["recipients"]) {
  const eligible = sql`u.deactivated_at is null and u.role <> 'guest' and u.id <> ${actor.id} and u.import_key is null`;
  if (input.kind === "people") {
    const ids = [...new Set(input.userIds)];
    if (ids.includes(actor.id)) throw invalidField("recipients.userIds", "must not include yourself");
    const found = await rows<{ id: string }>(
      db,
      sql`select u.id from users u where u.id in (${sql.join(
        ids.map((i) => sql`${i}::uuid`),
        sql`, `,
      )}) and ${eligible}`,
    );
    if (found.length !== ids.length)
      throw invalidField("recipients.userIds", "must name active members of the organisation (not guests)");
    return found.map((f) => f.id);
  }
  const where = input.kind === "team" ? sql`u.manager_id = ${actor.id}` : sql`u.department = ${input.department}`;
  const found = await rows<{ id: string }>(db, sql`select u.id from users u where ${where} and ${eligible}`);
  if (found.length === 0)
    throw invalidField(
      input.kind === "team" ? "recipients" : "recipients.department",
      input.kind === "team" ? "you have no one reporting to you" : "has no one to ask",
    );
  return found.map((f) => f.id);
}

/** Asks for feedback: resolves the people asked, gives each a one-time ticket (anonymous requests). */
export async function createFeedback(ctx: AppContext, actor: Actor, input: z.infer<typeof FeedbackIn>) {
  authorize(actor, "askFeedback", { kind: "instance" });
  const now = ctx.now();
  if (input.standing) {
    if (input.recipients.kind !== "team")
      throw invalidField("recipients", "a standing request goes to your team (the people reporting to you)");
    if (input.deadline !== null) throw invalidField("deadline", "a standing request has no deadline");
  } else {
    if (input.deadline === null) throw invalidField("deadline", "is required");
    if (new Date(input.deadline).getTime() <= now.getTime()) throw invalidField("deadline", "must be in the future");
  }
  if (input.subject.kind === "article") {
    if (!input.subject.articleId) throw invalidField("subject.articleId", "is required for an article");
    const [a] = await rows<{ id: string }>(
      ctx.db,
      sql`select a.id from articles a where a.id = ${input.subject.articleId} and ${readableSql(actor, "article", "a")}`,
    );
    if (!a) throw invalidField("subject.articleId", "must be an article you can read");
  } else if (input.subject.articleId) throw invalidField("subject.articleId", "only for an article");
  const people = await resolveRecipients(ctx.db, actor, input.recipients);
  if (input.anonymous && people.length < MIN_GROUP)
    throw invalidField(
      "recipients",
      `anonymous feedback needs at least ${MIN_GROUP} people (answers are shown once ${MIN_GROUP} have answered)`,
    );
  const id = await ctx.db.transaction(async (tx) => {
    const [r] = await tx
      .insert(feedbackRequests)
      .values({
        askerId: actor.id,
        subjectKind: input.subject.kind,
        articleId: input.subject.articleId,
        title: input.subject.title,
        description: input.subject.description,
        questions: input.questions,
        scope: input.recipients.kind,
        scopeDepartment: input.recipients.kind === "department" ? input.recipients.department : "",
        anonymous: input.anonymous,
        standing: input.standing,
        deadline: input.deadline === null ? null : new Date(input.deadline),
        createdAt: now,
      })
      .returning({ id: feedbackRequests.id });
    await tx.insert(feedbackRecipients).values(
      people.map((userId) => ({
        requestId: r.id,
        userId,
        tokenHash: input.anonymous ? hashToken(randomBytes(24).toString("base64url")) : null,
      })),
    );
    return r.id;
  });
  return getFeedback(ctx, actor, id);
}

/**
 * Answers a request. Anonymous: in one transaction the request row is locked, the recipient's
 * one-time ticket is spent (answered, ticket cleared — a second answer finds none), the answer is
 * stored with no author and no time, and a round is released when the unreleased group reaches three
 * (a standing request then opens again for the people who answered). Named: stored on the
 * recipient's row with its time and shown as it comes. The response says only "ok".
 */
export async function answerFeedback(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof AnswerIn>) {
  const now = ctx.now();
  const { row, subject } = await loadReadable(ctx.db, actor, id, now);
  if (subject.recipient?.answered) throw new AppError("conflict", "You have already answered");
  authorize(actor, "answer", subject);
  const checked = checkAnswers(
    json<Question[]>(row.questions),
    input.answers.map((a) => a.value),
  );
  if (!checked.ok) throw invalidField(checked.problem.path, checked.problem.message);
  const answer = JSON.stringify(checked.values);
  try {
    await store(ctx, actor, id, row.anonymous, answer);
  } catch (e) {
    if (e instanceof AppError || !row.anonymous) throw e;
    // A database error carries its statements and their parameters (the person, the answer); the error
    // handler would log it. For an anonymous answer only a bare error leaves here (the status is logged).
    throw isConcurrentChange(e)
      ? new AppError("conflict", "Somebody else changed this at the same moment; try again")
      : new AppError("internal", "Something went wrong on our side");
  }
  return { ok: true as const };
}

async function store(ctx: AppContext, actor: Actor, id: string, anonymous: boolean, answer: string) {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const [req] = await rows<{ released_count: number; round: number; standing: boolean }>(
      tx,
      sql`select released_count, round, standing from feedback_requests where id = ${id} for update`,
    );
    if (!req) throw notFound("Feedback request not found");
    if (!anonymous) {
      const spent = await rows<{ user_id: string }>(
        tx,
        sql`update feedback_recipients set answered = true, ever_answered = true, answer = ${answer}::jsonb,
              answered_at = ${now}
            where request_id = ${id} and user_id = ${actor.id} and not answered returning user_id`,
      );
      if (spent.length === 0) throw new AppError("conflict", "You have already answered");
      await tx.execute(sql`update feedback_requests set released_count = released_count + 1 where id = ${id}`);
      return;
    }
    const spent = await rows<{ user_id: string }>(
      tx,
      sql`update feedback_recipients set answered = true, ever_answered = true, token_hash = null
          where request_id = ${id} and user_id = ${actor.id} and not answered and token_hash is not null
          returning user_id`,
    );
    if (spent.length === 0) throw new AppError("conflict", "You have already answered");
    await tx.execute(sql`insert into feedback_answers (request_id, answer) values (${id}, ${answer}::jsonb)`);
    const [{ n }] = await rows<{ n: number | string }>(
      tx,
      sql`select count(*) as n from feedback_answers where request_id = ${id}`,
    );
    const released = releasedAfter(Number(n), req.released_count);
    if (released === req.released_count) return;
    const round = req.round + 1;
    // The whole group is written anew, in a random order with new ids, in this one transaction: its rows
    // carry the same round, and neither their place in the table nor their transaction id tells the
    // order in which they came (which the recipients' rows, updated as each answered, would match).
    const group = await rows<{ answer: unknown }>(
      tx,
      sql`select answer from feedback_answers where request_id = ${id} and round is null`,
    );
    await tx.execute(sql`delete from feedback_answers where request_id = ${id} and round is null`);
    await tx
      .insert(feedbackAnswers)
      .values(shuffled(group, (n) => randomInt(n)).map((g) => ({ requestId: id, answer: json(g.answer), round })));
    await tx.execute(sql`update feedback_requests set released_count = ${released}, round = ${round} where id = ${id}`);
    if (req.standing)
      await tx.execute(
        sql`update feedback_recipients
            set answered = false, token_hash = encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'base64')
            where request_id = ${id} and answered`,
      );
  });
}

/** The asker's thank-you, shown to everyone who answered (anonymous: to all of them, naming no one). */
export async function thank(ctx: AppContext, actor: Actor, id: string, message: string) {
  const now = ctx.now();
  const { subject } = await loadReadable(ctx.db, actor, id, now);
  authorize(actor, "thank", subject);
  await ctx.db.execute(sql`update feedback_requests set thanks = ${message}, thanked_at = ${now} where id = ${id}`);
  return getFeedback(ctx, actor, id);
}

/** Closes a request: no more answers; an unreleased group smaller than three stays hidden for good. */
export async function close(ctx: AppContext, actor: Actor, id: string) {
  const now = ctx.now();
  const { subject } = await loadReadable(ctx.db, actor, id, now);
  authorize(actor, "close", subject);
  await ctx.db.execute(sql`update feedback_requests set closed_at = ${now} where id = ${id} and closed_at is null`);
  return getFeedback(ctx, actor, id);
}

/** Shares the asker's summary as a working-out-loud post ("what I learned"). */
export async function share(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof ShareIn>) {
  const { subject } = await loadReadable(ctx.db, actor, id, ctx.now());
  authorize(actor, "share", subject);
  const post = await createPost(ctx, actor, { kind: "learned", body: input.body, tags: input.tags });
  return { postId: post.id };
}

/** Turns what the asker learned from the feedback into a lesson (their own, not anonymous). */
export async function toLesson(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof FeedbackLessonIn>) {
  const { row, subject } = await loadReadable(ctx.db, actor, id, ctx.now());
  authorize(actor, "makeLesson", subject);
  const lesson = await createLesson(ctx, actor, {
    title: input.title,
    whatHappened: `I asked colleagues for feedback on “${row.title}”.`,
    impact: "",
    learned: input.learned,
    instead: input.instead,
    tags: input.tags,
    spaceId: input.spaceId,
    anonymous: false,
  });
  return { lessonId: lesson.id };
}
