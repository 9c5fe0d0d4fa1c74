import { sql } from "drizzle-orm";
import { rows, type Db, type Executor } from "../../platform/db";
import { ORG_AUDIENCE, expertiseEvents } from "../../../db/schema";
import { ExpertiseModel } from "../../domain/expertise/model";
import { DEFAULT_LEARNER } from "../../domain/expertise/learner";
import { ContactMatcher } from "../../domain/expertise/contacts";
import type { Evidence, RankedExpert } from "../../domain/expertise/types";

/** What a piece of evidence points at, so a reason can be shown and linked ("why this person"). */
type EvidenceRef = { kind: string; title: string; url: string };

export type ExpertReason = { kind: string; title: string; url: string; at: string; weight: number };
type RankedPerson = { personId: string; score: number; reasons: ExpertReason[] };

/** What the model holds of one answered question, to tell an append from an edit when it changes. */
type QuestionState = { sig: string; answers: Map<string, string>; accepted: string | null };

/** The three parts of the evidence fingerprint (see watermark()). */
type Watermark = { questions: number; articles: number; other: number; profiles: number; key: string };

type Snapshot = {
  model: ExpertiseModel;
  /** The audience of each piece of evidence (what a reader must be able to read for it to count). */
  docAudience: string[];
  masks: Map<string, Uint8Array>;
  refs: Map<string, EvidenceRef>;
  questions: Map<string, QuestionState>;
  watermark: Watermark;
  buildMs: number;
  lastAt: number;
  /** Pieces of evidence appended since the build (a full rebuild restores exact times after a while). */
  appended: number;
};

export type ExpertiseService = {
  /**
   * Ranks people for a question or a topic using only evidence in the given audiences (the
   * viewer's readableAudiences: the organisation, the spaces and any other container they may
   * read). Other evidence never counts, so a ranking cannot reveal what the viewer may not read.
   */
  rank: (
    input: { text: string; tags: string[]; at: Date; askerId?: string },
    options: {
      readableAudiences: ReadonlySet<string> | "all";
      limit: number;
      exclude?: ReadonlySet<string>;
      reasons?: number;
    },
  ) => Promise<RankedPerson[]>;
  /** Rebuilds the model now if the evidence changed (tests and the CLI use this to be exact). */
  refresh: () => Promise<void>;
  stats: () => {
    docs: number;
    people: number;
    buildMs: number;
    fitMs: number;
    learned: boolean;
    builds: number;
    appends: number;
  };
  /** Resolves when the current build and the background fit of the learned weights are done. */
  settled: () => Promise<void>;
};

// Up to this build time the model is rebuilt before answering (always exact); above it, a
// changed database triggers a rebuild in the background and answers use the previous model.
const SYNC_BUILD_MS = 400;
const BODY_CHARS = 4000;
// Articles are read whole up to this: the "who to ask" part is usually at the end.
const ARTICLE_CHARS = 20000;

type AnswerRow = {
  id: string;
  author_id: string;
  body: string;
  score: number;
  created_at: Date | string;
  question_id: string;
  title: string;
  tags: string[];
  audience_id: string;
  accepted: boolean;
  sig: string;
};
type QuestionRow = {
  id: string;
  author_id: string;
  title: string;
  body: string;
  tags: string[];
  audience_id: string;
  created_at: Date | string;
  sig: string;
};
type ArticleRow = {
  id: string;
  person_id: string;
  title: string;
  body: string;
  tags: string[];
  audience_id: string;
  at: Date | string;
  kind: "written" | "updated" | "verified";
};
type EndorsementRow = {
  id: string;
  user_id: string;
  tag: string;
  note: string;
  endorser: string;
  created_at: Date | string;
};
type DeclineRow = {
  id: string;
  expert_id: string;
  title: string;
  tags: string[];
  audience_id: string;
  responded_at: Date | string;
};

const ms = (d: Date | string) => new Date(d).getTime();

/**
 * A cheap fingerprint of all evidence (three index or sequence reads): answers, acceptances and
 * articles move search_seq (a new question without answers is not evidence, so asking one does
 * not invalidate the model); votes, endorsements and declines move expertise_seq.
 */
async function watermark(db: Db): Promise<Watermark> {
  const [r] = await rows<{ q: string | number; a: string | number; o: string | number }>(
    db,
    sql`select (select coalesce(max(search_seq), 0) from questions where answer_count > 0) as q,
               (select coalesce(max(search_seq), 0) from articles) as a,
               (select case when is_called then last_value else 0 end from expertise_seq) as o`,
  );
  const profiles = await profileSum(db);
  const w = { questions: Number(r.q), articles: Number(r.a), other: Number(r.o), profiles };
  return { ...w, key: `${w.questions}:${w.articles}:${w.other}:${w.profiles}` };
}

// Job titles, profiles, declared skills and verifications change rarely and their sum reads every
// person: it is read at most every PROFILE_TTL_MS per database (a new title counts within seconds).
const PROFILE_TTL_MS = 10_000;
const profileCache = new WeakMap<Db, { at: number; value: number }>();

async function profileSum(db: Db): Promise<number> {
  const hit = profileCache.get(db);
  if (hit && performance.now() - hit.at < PROFILE_TTL_MS) return hit.value;
  const [r] = await rows<{ p: string | number }>(
    db,
    sql`select (select count(*) + coalesce(sum(version), 0) from users)
                 + (select count(*) from skills)
                 + (select coalesce(max(extract(epoch from updated_at)), 0) from verifications) as p`,
  );
  const value = Number(r.p);
  profileCache.set(db, { at: performance.now(), value });
  return value;
}

// What an edit changes: a question's text, tags or audience (its answers' evidence carries them too),
// an answer's text or author. Same text, same signature: an append leaves them alone.
const QUESTION_SIG = sql`md5(q.title || '|' || array_to_string(q.tags, ',') || '|' || q.audience_id::text || '|' || q.body || '|' || q.author_id::text)`;
const ANSWER_SIG = sql`md5(a.body || '|' || a.author_id::text)`;

function questionEvidence(q: QuestionRow, at = ms(q.created_at)): Evidence & { audienceId: string } {
  return {
    id: `question:${q.id}`,
    personId: q.author_id,
    kind: "question",
    at,
    text: q.body,
    title: q.title,
    tags: q.tags,
    audienceId: q.audience_id,
  };
}

function answerEvidence(
  a: AnswerRow,
  refs: Map<string, EvidenceRef>,
  at = ms(a.created_at),
): Evidence & { audienceId: string } {
  const id = `answer:${a.id}`;
  refs.set(id, {
    kind: a.accepted ? "accepted_answer" : "answer",
    title: a.title,
    url: `/questions/${a.question_id}#answer-${a.id}`,
  });
  return {
    id,
    personId: a.author_id,
    kind: a.accepted ? "accepted_answer" : "answer",
    at,
    text: a.body,
    title: a.title,
    tags: a.tags,
    votes: a.score,
    questionId: `question:${a.question_id}`,
    audienceId: a.audience_id,
  };
}

function endorsementEvidence(
  e: EndorsementRow,
  refs: Map<string, EvidenceRef>,
  at = ms(e.created_at),
): Evidence & { audienceId: string } {
  const id = `endorsement:${e.id}`;
  refs.set(id, {
    kind: "endorsement",
    title: `${e.tag} — endorsed by ${e.endorser}`,
    url: `/people/${e.user_id}`,
  });
  return {
    id,
    personId: e.user_id,
    kind: "endorsement",
    at,
    text: `${e.tag} ${e.note}`,
    title: e.tag,
    tags: [e.tag],
    audienceId: ORG_AUDIENCE,
  };
}

function declineEvidence(d: DeclineRow, at = ms(d.responded_at)): Evidence & { audienceId: string } {
  return {
    id: `decline:${d.id}`,
    personId: d.expert_id,
    kind: "decline",
    at,
    text: "",
    title: d.title,
    tags: d.tags,
    audienceId: d.audience_id,
  };
}

const ENDORSEMENTS = sql`select e.id, e.user_id, e.tag, e.note, u.name as endorser, e.created_at from endorsements e join users u on u.id = e.endorser_id`;
const DECLINES = sql`select r.id, r.expert_id, q.title, q.tags, q.audience_id, r.responded_at from routing_requests r join questions q on q.id = r.question_id
        where r.status = 'declined' and r.decline_reason = 'not_my_area' and r.responded_at is not null`;

/**
 * Deletes expertise events older than `before`: a live model that has not looked since then finds a
 * gap in the numbering and rebuilds, so nothing is lost. Returns how many were deleted.
 */
export async function pruneExpertiseEvents(db: Db, before: Date): Promise<number> {
  const gone = await rows<{ seq: string }>(
    db,
    sql`delete from expertise_events where created_at < ${before} returning seq`,
  );
  return gone.length;
}

/** Time order; at equal times a question comes before its answers. */
const byTime = (a: Evidence, b: Evidence) =>
  a.at - b.at || (a.kind === "question" ? -1 : 0) - (b.kind === "question" ? -1 : 0);

/** Gives the event loop back (other requests run) during long work. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Records a change to expertise evidence that search_seq does not see (call inside the writing
 * transaction): a vote on an answer, an endorsement given or withdrawn, a "not my area" decline.
 */
export async function bumpExpertise(
  db: Executor,
  kind: "vote" | "endorse" | "unendorse" | "decline",
  ref: string,
): Promise<void> {
  await db.insert(expertiseEvents).values({ kind, ref });
}

/** Loads every piece of evidence from the database, oldest first. */
const ANSWER_COLUMNS = sql`a.id, a.author_id, left(a.body, ${BODY_CHARS}) as body, a.score, a.created_at, q.id as question_id, q.title, q.tags, q.audience_id,
               coalesce(q.accepted_answer_id = a.id, false) as accepted, ${ANSWER_SIG} as sig`;
const QUESTION_COLUMNS = sql`q.id, q.author_id, q.title, left(q.body, ${BODY_CHARS}) as body, q.tags, q.audience_id, q.created_at, ${QUESTION_SIG} as sig`;
const PAGE = 5000;
const NO_ID = "00000000-0000-0000-0000-000000000000";

/**
 * Loads every piece of evidence from the database, oldest first. Large tables are read in pages
 * (keyset on id), so other requests are served between two pages.
 */
async function loadEvidence(db: Db): Promise<{
  evidence: (Evidence & { audienceId: string })[];
  refs: Map<string, EvidenceRef>;
  questions: Map<string, QuestionState>;
}> {
  const refs = new Map<string, EvidenceRef>();
  const evidence: (Evidence & { audienceId: string })[] = [];
  const state = new Map<string, QuestionState>();
  // Answered questions too: who answered whose question is what the ranking's weights are learned from.
  const asked = new Map<string, QuestionRow & { accepted_answer_id: string | null }>();
  for (let after = NO_ID; ;) {
    // Filters are applied here, not in SQL: with them the planner (without statistics, as on a fresh
    // embedded database) sorts the whole table for every page instead of walking the primary key.
    const page = await rows<QuestionRow & { accepted_answer_id: string | null; answered: boolean; deleted: boolean }>(
      db,
      sql`select ${QUESTION_COLUMNS}, q.accepted_answer_id, q.answer_count > 0 as answered, q.deleted_at is not null as deleted
          from questions q where q.id > ${after} order by q.id limit ${PAGE}`,
    );
    for (const q of page) {
      if (!q.answered || q.deleted) continue;
      asked.set(q.id, q);
      evidence.push(questionEvidence(q));
      state.set(q.id, { sig: q.sig, answers: new Map(), accepted: null });
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1].id;
    await yieldToLoop();
  }
  // Answers alone, in primary-key order (an index scan per page); their question is joined here.
  for (let after = NO_ID; ;) {
    const page = await rows<{
      id: string;
      author_id: string;
      body: string;
      score: number;
      created_at: Date | string;
      question_id: string;
      sig: string;
      deleted: boolean;
    }>(
      db,
      sql`select a.id, a.author_id, left(a.body, ${BODY_CHARS}) as body, a.score, a.created_at, a.question_id, ${ANSWER_SIG} as sig, a.deleted_at is not null as deleted
          from answers a where a.id > ${after} order by a.id limit ${PAGE}`,
    );
    for (const a of page) {
      if (a.deleted) continue;
      const q = asked.get(a.question_id);
      const st = state.get(a.question_id);
      if (!q || !st) continue; // a deleted question's answers are not evidence
      const accepted = q.accepted_answer_id === a.id;
      evidence.push(answerEvidence({ ...a, title: q.title, tags: q.tags, audience_id: q.audience_id, accepted }, refs));
      st.answers.set(a.id, a.sig);
      if (accepted) st.accepted = a.id;
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1].id;
    await yieldToLoop();
  }
  // Articles written, and articles kept up to date by someone other than their owner (latest edit per person).
  const articles = await rows<ArticleRow>(
    db,
    sql`select a.id, a.owner_id as person_id, a.title, left(a.body, ${ARTICLE_CHARS}) as body, a.tags, a.audience_id,
               a.created_at as at, 'written' as kind
          from articles a where a.deleted_at is null and a.status = 'published'
        union all
        select a.id, r.author_id as person_id, a.title, '' as body, a.tags, a.audience_id, max(r.created_at) as at, 'updated' as kind
          from article_revisions r join articles a on a.id = r.article_id
          where a.deleted_at is null and a.status = 'published' and r.author_id <> a.owner_id
          group by a.id, r.author_id, a.title, a.tags, a.audience_id`,
  );
  // Who people are: job title, department and profile (public, like the people directory).
  const people = await rows<{
    id: string;
    name: string;
    title: string;
    department: string;
    bio: string;
    created_at: Date | string;
  }>(db, sql`select id, name, title, department, bio, created_at from users where deactivated_at is null`);
  for (const p of people) {
    if (!p.title && !p.bio) continue;
    const id = `role:${p.id}`;
    const dept = p.department ? `, ${p.department}` : "";
    refs.set(id, {
      kind: "role",
      title: `${p.title || "Profile"}${dept} — job title or profile matches`,
      url: `/people/${p.id}`,
    });
    evidence.push({
      id,
      personId: p.id,
      kind: "role",
      at: ms(p.created_at),
      text: `${p.department}\n${p.bio}`,
      title: p.title,
      tags: [],
      audienceId: ORG_AUDIENCE,
    });
  }
  // People named in knowledge (by name or job title) as the one to ask, or as who does the work.
  const matcher = new ContactMatcher(people);
  for (const a of articles) {
    if (a.kind !== "written") continue;
    for (const m of matcher.mentions(`${a.title}\n${a.body}`)) {
      const id = `contact:${a.id}:${m.personId}`;
      const how = m.strength >= 1 ? "named as the contact in" : "named in";
      refs.set(id, { kind: "contact", title: `${m.label} — ${how} '${a.title}'`, url: `/articles/${a.id}` });
      evidence.push({
        id,
        personId: m.personId,
        kind: "contact",
        at: ms(a.at),
        text: a.body,
        title: a.title,
        tags: a.tags,
        strength: m.strength,
        audienceId: a.audience_id,
      });
    }
  }
  // Self-declared skills: weak until someone endorses them (an endorsement is evidence of its own).
  for (const k of await rows<{ user_id: string; tag: string; created_at: Date | string }>(
    db,
    sql`select k.user_id, k.tag, k.created_at from skills k join users u on u.id = k.user_id
        where u.deactivated_at is null`,
  )) {
    const id = `skill:${k.user_id}:${k.tag}`;
    refs.set(id, { kind: "skill", title: `${k.tag} — self-declared skill`, url: `/people/${k.user_id}` });
    evidence.push({
      id,
      personId: k.user_id,
      kind: "skill",
      at: ms(k.created_at),
      text: k.tag.replace(/[-_]/g, " "),
      title: k.tag,
      tags: [k.tag],
      audienceId: ORG_AUDIENCE,
    });
  }
  // Knowledge someone verified (vouched for) that another person wrote.
  for (const v of await rows<ArticleRow>(
    db,
    sql`select a.id, v.verified_by as person_id, a.title, left(a.body, ${BODY_CHARS}) as body, a.tags,
               a.audience_id, v.verified_at as at, 'verified' as kind
        from verifications v join articles a on a.id = v.subject_id
        where v.subject_type = 'article' and v.verified_by is not null and v.verified_at is not null
          and v.verified_by <> a.owner_id and a.deleted_at is null and a.status = 'published'`,
  )) {
    const id = `verification:${v.id}:${v.person_id}`;
    refs.set(id, { kind: "verification", title: `Verified '${v.title}'`, url: `/articles/${v.id}` });
    evidence.push({
      id,
      personId: v.person_id,
      kind: "verification",
      at: ms(v.at),
      text: v.body,
      title: v.title,
      tags: v.tags,
      audienceId: v.audience_id,
    });
  }
  for (const a of articles) {
    const id = `article:${a.id}:${a.person_id}`;
    refs.set(id, {
      kind: a.kind === "written" ? "article" : "article_update",
      title: a.title,
      url: `/articles/${a.id}`,
    });
    evidence.push({
      id,
      personId: a.person_id,
      kind: "article",
      at: ms(a.at),
      text: a.body,
      title: a.title,
      tags: a.tags,
      audienceId: a.audience_id,
    });
  }
  for (const e of await rows<EndorsementRow>(db, ENDORSEMENTS)) evidence.push(endorsementEvidence(e, refs));
  for (const d of await rows<DeclineRow>(db, DECLINES)) evidence.push(declineEvidence(d));
  evidence.sort(byTime);
  return { evidence, refs, questions: state };
}

// Live learning: the weights are refitted in the background after each build, on the most recent
// answered questions (fewer than the replay's, to bound the work of a rebuild).
const LIVE_LEARNER = { ...DEFAULT_LEARNER, fitDuringRank: false, maxOccasions: 400, maxAlternatives: 100 };

async function build(db: Db, previousWeights: number[] | undefined): Promise<Snapshot> {
  const started = performance.now();
  const w = await watermark(db);
  const { evidence, refs, questions } = await loadEvidence(db);
  const model = new ExpertiseModel({ learner: LIVE_LEARNER });
  model.useLearnedWeights(previousWeights);
  const docAudience: string[] = [];
  let slice = performance.now();
  for (const e of evidence) {
    model.add(e);
    docAudience.push(e.audienceId);
    if (performance.now() - slice > 20) {
      await yieldToLoop();
      slice = performance.now();
    }
  }
  return {
    model,
    docAudience,
    masks: new Map(),
    refs,
    questions,
    watermark: w,
    buildMs: performance.now() - started,
    lastAt: evidence.length ? evidence[evidence.length - 1].at : 0,
    appended: 0,
  };
}

// Appending is exact up to the evidence's time: an addition older than the newest evidence by more
// than this (an import of old data) rebuilds instead; a smaller skew (clocks of two instances,
// transactions committing out of order) is stamped with the newest time.
const APPEND_SKEW_MS = 5 * 60_000;
const APPEND_MAX_QUESTIONS = 200;

const MAX_EVENTS = 500;

/**
 * The votes, new endorsements and declines recorded since the snapshot, ready to apply; undefined
 * when one of them cannot be appended (an endorsement withdrawn or its note changed, a gap in the
 * numbering left by a transaction still under way or rolled back, too many): rebuild instead.
 */
async function pendingEvents(
  db: Db,
  s: Snapshot,
  w: Watermark,
): Promise<
  { votes: { id: string; score: number }[]; endorsements: EndorsementRow[]; declines: DeclineRow[] } | undefined
> {
  if (w.other - s.watermark.other > MAX_EVENTS) return undefined;
  const events = await rows<{ seq: string | number; kind: string; ref: string }>(
    db,
    sql`select seq, kind, ref from expertise_events where seq > ${s.watermark.other} and seq <= ${w.other} order by seq`,
  );
  if (events.length !== w.other - s.watermark.other) return undefined;
  const of = (kind: string) => [...new Set(events.filter((e) => e.kind === kind).map((e) => e.ref))];
  if (of("unendorse").length) return undefined;
  const endorsed = of("endorse");
  if (endorsed.some((id) => s.refs.has(`endorsement:${id}`))) return undefined;
  const list = (ids: string[]) =>
    sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    );
  const voted = of("vote");
  const votes = voted.length
    ? await rows<{ id: string; score: number }>(
        db,
        sql`select id, score from answers where id in (${list(voted)}) and deleted_at is null`,
      )
    : [];
  const endorsements = endorsed.length
    ? await rows<EndorsementRow>(db, sql`${ENDORSEMENTS} where e.id in (${list(endorsed)})`)
    : [];
  const declined = of("decline");
  const declines = declined.length ? await rows<DeclineRow>(db, sql`${DECLINES} and r.id in (${list(declined)})`) : [];
  if (endorsements.length !== endorsed.length || declines.length !== declined.length) return undefined;
  const oldest = s.model.index.lastAt - APPEND_SKEW_MS;
  if (endorsements.some((e) => ms(e.created_at) < oldest) || declines.some((d) => ms(d.responded_at) < oldest))
    return undefined;
  return { votes: votes.map((v) => ({ id: v.id, score: Number(v.score) })), endorsements, declines };
}

/**
 * Brings the snapshot up to date with what changed since it was built, when the change is an
 * append: new answers, a first answer (the question becomes evidence), a first acceptance, votes on
 * answers, new endorsements, "not my area" declines. Anything else — an edit, a deletion, an
 * acceptance withdrawn or moved, an endorsement withdrawn or reworded, an article, old data —
 * returns false and the caller rebuilds. Applies nothing unless it can apply everything.
 */
async function append(db: Db, s: Snapshot, w: Watermark): Promise<boolean> {
  if (
    w.articles !== s.watermark.articles ||
    w.profiles !== s.watermark.profiles ||
    w.other < s.watermark.other ||
    w.questions < s.watermark.questions
  )
    return false;
  const events =
    w.other === s.watermark.other ? { votes: [], endorsements: [], declines: [] } : await pendingEvents(db, s, w);
  if (!events) return false;
  const changed = await rows<QuestionRow & { deleted: boolean; accepted_answer_id: string | null }>(
    db,
    sql`select ${QUESTION_COLUMNS}, q.deleted_at is not null as deleted, q.accepted_answer_id from questions q
        where q.search_seq > ${s.watermark.questions} and q.answer_count > 0 order by q.search_seq limit ${APPEND_MAX_QUESTIONS + 1}`,
  );
  if (changed.length > APPEND_MAX_QUESTIONS) return false;
  const ids = changed.map((q) => q.id);
  const all = ids.length
    ? await rows<AnswerRow & { deleted: boolean }>(
        db,
        sql`select ${ANSWER_COLUMNS}, a.deleted_at is not null as deleted from answers a join questions q on q.id = a.question_id
            where a.question_id in (${sql.join(
              ids.map((id) => sql`${id}`),
              sql`, `,
            )})`,
      )
    : [];
  const newest = s.model.index.lastAt;
  const additions: (Evidence & { audienceId: string })[] = [];
  const refs = new Map<string, EvidenceRef>();
  const accepted: string[] = [];
  const states = new Map<string, QuestionState>();
  for (const q of changed) {
    const known = s.questions.get(q.id);
    if (q.deleted || (known && known.sig !== q.sig)) return false;
    const st: QuestionState = known
      ? { sig: known.sig, answers: new Map(known.answers), accepted: known.accepted }
      : { sig: q.sig, answers: new Map(), accepted: null };
    if (!known) additions.push(questionEvidence(q, Math.max(ms(q.created_at), newest)));
    for (const a of all.filter((x) => x.question_id === q.id)) {
      const sig = st.answers.get(a.id);
      if (a.deleted) {
        if (sig !== undefined) return false;
        continue;
      }
      if (sig !== undefined) {
        if (sig !== a.sig) return false;
        continue;
      }
      if (ms(a.created_at) < newest - APPEND_SKEW_MS) return false;
      additions.push(answerEvidence(a, refs, Math.max(ms(a.created_at), newest)));
      st.answers.set(a.id, a.sig);
    }
    if (q.accepted_answer_id !== st.accepted) {
      if (st.accepted !== null || !st.answers.has(q.accepted_answer_id!)) return false;
      // A known answer accepted now: a signal; a new one was added as accepted above.
      if (known?.answers.has(q.accepted_answer_id!)) accepted.push(q.accepted_answer_id!);
      st.accepted = q.accepted_answer_id;
    }
    states.set(q.id, st);
  }
  for (const e of events.endorsements) additions.push(endorsementEvidence(e, refs, Math.max(ms(e.created_at), newest)));
  for (const d of events.declines) additions.push(declineEvidence(d, Math.max(ms(d.responded_at), newest)));
  // All checks passed: apply (synchronously, so no ranking sees half of it).
  additions.sort(byTime);
  for (const e of additions) {
    s.model.add(e);
    s.docAudience.push(e.audienceId);
  }
  for (const id of accepted) {
    s.model.signal({ evidenceId: `answer:${id}`, kind: "accepted", at: s.model.index.lastAt });
    const ref = s.refs.get(`answer:${id}`);
    if (ref) ref.kind = "accepted_answer";
  }
  // Votes move an answer's score from what the model holds to what the database holds now.
  for (const v of events.votes) {
    const d = s.model.index.docOf(`answer:${v.id}`);
    if (d === undefined) continue;
    const delta = v.score - s.model.index.votesAt(d, Infinity);
    for (let k = 0; k < Math.abs(delta); k++)
      s.model.signal({
        evidenceId: `answer:${v.id}`,
        kind: delta > 0 ? "upvote" : "downvote",
        at: s.model.index.lastAt,
      });
  }
  for (const [k, v] of refs) s.refs.set(k, v);
  for (const [k, v] of states) s.questions.set(k, v);
  if (additions.length) s.masks.clear();
  s.appended += additions.length;
  s.lastAt = Math.max(s.lastAt, s.model.index.lastAt);
  s.watermark = w;
  return true;
}

/** The live expertise model: built from the database, kept current through a cheap fingerprint. */
export function createExpertiseService(db: Db): ExpertiseService {
  let current: Snapshot | null = null;
  let building: Promise<Snapshot> | null = null;
  let fitting: Promise<unknown> = Promise.resolve();
  let checking: Promise<Snapshot> | null = null;
  let fitMs = 0;
  let builds = 0;
  let appends = 0;

  const rebuild = (): Promise<Snapshot> => {
    building ??= build(db, current?.model.learnedWeights)
      .then((s) => {
        current = s;
        builds++;
        // Learn the weights from who answered what, without holding up the answers meanwhile.
        const t0 = performance.now();
        fitting = s.model
          .fitLearned(s.lastAt + 1)
          .then(() => (fitMs = performance.now() - t0))
          .catch(() => undefined);
        return s;
      })
      .finally(() => {
        building = null;
      });
    return building;
  };

  // After this many appended pieces of evidence a rebuild (in the background) restores exact times
  // and refits the learned weights.
  const appendLimit = (s: Snapshot) => Math.max(2000, s.model.index.docAt.length * 0.05);

  /** `exact`: wait for a rebuild instead of answering with the previous model meanwhile. */
  const check = async (s: Snapshot, exact: boolean): Promise<Snapshot> => {
    const w = await watermark(db);
    if (w.key === s.watermark.key) return s;
    if (building) return exact ? building : s;
    if (s.appended < appendLimit(s) && (await append(db, s, w))) {
      appends++;
      return s;
    }
    if (exact || s.buildMs <= SYNC_BUILD_MS) return rebuild();
    void rebuild().catch(() => undefined);
    return s;
  };

  // One check at a time: concurrent requests share it (and never append the same answer twice).
  const runCheck = (exact: boolean): Promise<Snapshot> => {
    checking ??= check(current!, exact).finally(() => {
      checking = null;
    });
    return checking;
  };

  const snapshot = async (): Promise<Snapshot> => (current ? runCheck(false) : rebuild());

  return {
    async rank(input, options) {
      const s = await snapshot();
      const visible = options.readableAudiences;
      let docFilter: ((d: number) => boolean) | undefined;
      let filterKey: string | undefined;
      if (visible !== "all") {
        // One byte per piece of evidence (1 = the viewer may read it), built once per set of audiences.
        filterKey = [...visible].sort().join(",");
        let mask = s.masks.get(filterKey);
        if (!mask) {
          mask = new Uint8Array(s.docAudience.length);
          for (let d = 0; d < mask.length; d++) mask[d] = visible.has(s.docAudience[d]) ? 1 : 0;
          if (s.masks.size >= 256) s.masks.clear();
          s.masks.set(filterKey, mask);
        }
        const m = mask;
        docFilter = (d) => m[d] === 1;
      }
      // Live: evidence up to this moment counts, even if another instance's clock ran slightly ahead.
      const at = Math.max(input.at.getTime(), s.lastAt + 1);
      const ranked: RankedExpert[] = s.model.rank(
        { text: input.text, tags: input.tags, at, askerId: input.askerId },
        { limit: options.limit, exclude: options.exclude, docFilter, filterKey, reasons: options.reasons },
      );
      return ranked.map((r) => ({
        personId: r.personId,
        score: r.score,
        reasons: r.reasons.flatMap((x) => {
          const ref = s.refs.get(x.evidenceIds?.[0] ?? "");
          return ref
            ? [
                {
                  kind: ref.kind,
                  title: ref.title,
                  url: ref.url,
                  at: new Date(x.at ?? 0).toISOString(),
                  weight: Math.round(x.weight * 100) / 100,
                },
              ]
            : [];
        }),
      }));
    },
    async refresh() {
      // Exact: the profile part of the fingerprint is read now, not within its time to live.
      profileCache.delete(db);
      await building;
      if (!current) {
        await rebuild();
        return;
      }
      // A check already under way may answer with the previous model; ask again until exact.
      for (let i = 0; i < 3; i++) {
        await checking;
        const s = await runCheck(true);
        if ((await watermark(db)).key === s.watermark.key) return;
      }
    },
    stats: () => ({
      docs: current?.model.index.docAt.length ?? 0,
      people: current?.model.index.people.length ?? 0,
      buildMs: current?.buildMs ?? 0,
      fitMs,
      learned: current?.model.learnedWeights !== undefined,
      builds,
      appends,
    }),
    settled: async () => {
      await building;
      await fitting;
    },
  };
}
