import { sql } from "drizzle-orm";
import { rows, type Db, type Executor } from "../../platform/db";
import { ExpertiseModel } from "../../domain/expertise/model";
import { DEFAULT_LEARNER } from "../../domain/expertise/learner";
import type { Evidence, RankedExpert } from "../../domain/expertise/types";

/** What a piece of evidence points at, so a reason can be shown and linked ("why this person"). */
export type EvidenceRef = { kind: string; title: string; url: string; spaceId: string | null };

export type ExpertReason = { kind: string; title: string; url: string; at: string; weight: number };
export type RankedPerson = { personId: string; score: number; reasons: ExpertReason[] };

type Snapshot = { model: ExpertiseModel; docSpace: (string | null)[]; masks: Map<string, Uint8Array>; refs: Map<string, EvidenceRef>; watermark: string; buildMs: number; lastAt: number };

export type ExpertiseService = {
  /**
   * Ranks people for a question or a topic using only evidence in the given spaces (null =
   * organisation-wide content, always included). Evidence in other spaces never counts, so a
   * ranking cannot reveal what the viewer may not read.
   */
  rank: (input: { text: string; tags: string[]; at: Date; askerId?: string }, options: { visibleSpaces: ReadonlySet<string> | "all"; limit: number; exclude?: ReadonlySet<string>; reasons?: number }) => Promise<RankedPerson[]>;
  /** Rebuilds the model now if the evidence changed (tests and the CLI use this to be exact). */
  refresh: () => Promise<void>;
  stats: () => { docs: number; people: number; buildMs: number; fitMs: number; learned: boolean };
  /** Resolves when the current build and the background fit of the learned weights are done. */
  settled: () => Promise<void>;
};

// Up to this build time the model is rebuilt before answering (always exact); above it, a
// changed database triggers a rebuild in the background and answers use the previous model.
const SYNC_BUILD_MS = 400;
const BODY_CHARS = 4000;

type AnswerRow = { id: string; author_id: string; body: string; score: number; created_at: Date | string; question_id: string; title: string; tags: string[]; space_id: string | null; accepted: boolean };
type ArticleRow = { id: string; person_id: string; title: string; body: string; tags: string[]; space_id: string; at: Date | string; kind: "written" | "updated" };
type EndorsementRow = { id: string; user_id: string; tag: string; note: string; endorser: string; created_at: Date | string };
type DeclineRow = { id: string; expert_id: string; title: string; tags: string[]; space_id: string | null; responded_at: Date | string };

const ms = (d: Date | string) => new Date(d).getTime();

/**
 * A cheap fingerprint of all evidence (three index or sequence reads): answers, acceptances and
 * articles move search_seq (a new question without answers is not evidence, so asking one does
 * not invalidate the model); votes, endorsements and declines move expertise_seq.
 */
async function watermark(db: Db): Promise<string> {
  const [r] = await rows<{ w: string }>(
    db,
    sql`select concat_ws(':',
          (select coalesce(max(search_seq), 0) from questions where answer_count > 0),
          (select coalesce(max(search_seq), 0) from articles),
          (select last_value || '/' || is_called from expertise_seq)) as w`,
  );
  return r.w;
}

/** Marks expertise evidence as changed (call inside the writing transaction). */
export async function bumpExpertise(db: Executor): Promise<void> {
  await db.execute(sql`select nextval('expertise_seq')`);
}

/** Loads every piece of evidence from the database, oldest first. */
async function loadEvidence(db: Db): Promise<{ evidence: (Evidence & { spaceId: string | null })[]; refs: Map<string, EvidenceRef> }> {
  const refs = new Map<string, EvidenceRef>();
  const evidence: (Evidence & { spaceId: string | null })[] = [];
  const answers = await rows<AnswerRow>(
    db,
    sql`select a.id, a.author_id, left(a.body, ${BODY_CHARS}) as body, a.score, a.created_at, q.id as question_id, q.title, q.tags, q.space_id,
               coalesce(q.accepted_answer_id = a.id, false) as accepted
        from answers a join questions q on q.id = a.question_id
        where a.deleted_at is null and q.deleted_at is null`,
  );
  // Answered questions too: who answered whose question is what the ranking's weights are learned from.
  const asked = await rows<{ id: string; author_id: string; title: string; body: string; tags: string[]; space_id: string | null; created_at: Date | string }>(
    db,
    sql`select q.id, q.author_id, q.title, left(q.body, ${BODY_CHARS}) as body, q.tags, q.space_id, q.created_at from questions q where q.deleted_at is null and q.answer_count > 0`,
  );
  for (const q of asked) evidence.push({ id: `question:${q.id}`, personId: q.author_id, kind: "question", at: ms(q.created_at), text: q.body, title: q.title, tags: q.tags, spaceId: q.space_id });
  for (const a of answers) {
    const id = `answer:${a.id}`;
    refs.set(id, { kind: a.accepted ? "accepted_answer" : "answer", title: a.title, url: `/questions/${a.question_id}#answer-${a.id}`, spaceId: a.space_id });
    evidence.push({ id, personId: a.author_id, kind: a.accepted ? "accepted_answer" : "answer", at: ms(a.created_at), text: a.body, title: a.title, tags: a.tags, votes: a.score, questionId: `question:${a.question_id}`, spaceId: a.space_id });
  }
  // Articles written, and articles kept up to date by someone other than their owner (latest edit per person).
  const articles = await rows<ArticleRow>(
    db,
    sql`select a.id, a.owner_id as person_id, a.title, left(a.body, ${BODY_CHARS}) as body, a.tags, a.space_id, a.created_at as at, 'written' as kind
          from articles a where a.deleted_at is null and a.status = 'published'
        union all
        select a.id, r.author_id as person_id, a.title, '' as body, a.tags, a.space_id, max(r.created_at) as at, 'updated' as kind
          from article_revisions r join articles a on a.id = r.article_id
          where a.deleted_at is null and a.status = 'published' and r.author_id <> a.owner_id
          group by a.id, r.author_id, a.title, a.tags, a.space_id`,
  );
  for (const a of articles) {
    const id = `article:${a.id}:${a.person_id}`;
    refs.set(id, { kind: a.kind === "written" ? "article" : "article_update", title: a.title, url: `/articles/${a.id}`, spaceId: a.space_id });
    evidence.push({ id, personId: a.person_id, kind: "article", at: ms(a.at), text: a.body, title: a.title, tags: a.tags, spaceId: a.space_id });
  }
  const endorsements = await rows<EndorsementRow>(db, sql`select e.id, e.user_id, e.tag, e.note, u.name as endorser, e.created_at from endorsements e join users u on u.id = e.endorser_id`);
  for (const e of endorsements) {
    const id = `endorsement:${e.id}`;
    refs.set(id, { kind: "endorsement", title: `${e.tag} — endorsed by ${e.endorser}`, url: `/people/${e.user_id}`, spaceId: null });
    evidence.push({ id, personId: e.user_id, kind: "endorsement", at: ms(e.created_at), text: `${e.tag} ${e.note}`, title: e.tag, tags: [e.tag], spaceId: null });
  }
  const declines = await rows<DeclineRow>(
    db,
    sql`select r.id, r.expert_id, q.title, q.tags, q.space_id, r.responded_at from routing_requests r join questions q on q.id = r.question_id
        where r.status = 'declined' and r.decline_reason = 'not_my_area' and r.responded_at is not null`,
  );
  for (const d of declines) evidence.push({ id: `decline:${d.id}`, personId: d.expert_id, kind: "decline", at: ms(d.responded_at), text: "", title: d.title, tags: d.tags, spaceId: d.space_id });
  // Time order; at equal times a question comes before its answers.
  evidence.sort((a, b) => a.at - b.at || (a.kind === "question" ? -1 : 0) - (b.kind === "question" ? -1 : 0));
  return { evidence, refs };
}

// Live learning: the weights are refitted in the background after each build, on the most recent
// answered questions (fewer than the replay's, to bound the work of a rebuild).
const LIVE_LEARNER = { ...DEFAULT_LEARNER, fitDuringRank: false, maxOccasions: 400, maxAlternatives: 100 };

async function build(db: Db, previousWeights: number[] | undefined): Promise<Snapshot> {
  const started = performance.now();
  const w = await watermark(db);
  const { evidence, refs } = await loadEvidence(db);
  const model = new ExpertiseModel({ learner: LIVE_LEARNER });
  model.useLearnedWeights(previousWeights);
  const docSpace: (string | null)[] = [];
  for (const e of evidence) {
    model.add(e);
    docSpace.push(e.spaceId);
  }
  return { model, docSpace, masks: new Map(), refs, watermark: w, buildMs: performance.now() - started, lastAt: evidence.length ? evidence[evidence.length - 1].at : 0 };
}

/** The live expertise model: built from the database, kept current through a cheap fingerprint. */
export function createExpertiseService(db: Db): ExpertiseService {
  let current: Snapshot | null = null;
  let building: Promise<Snapshot> | null = null;
  let fitting: Promise<unknown> = Promise.resolve();
  let fitMs = 0;

  const rebuild = (): Promise<Snapshot> => {
    building ??= build(db, current?.model.learnedWeights)
      .then((s) => {
        current = s;
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

  const snapshot = async (): Promise<Snapshot> => {
    if (!current) return rebuild();
    const w = await watermark(db);
    if (w === current.watermark) return current;
    if (current.buildMs <= SYNC_BUILD_MS) return rebuild();
    void rebuild().catch(() => undefined);
    return current;
  };

  return {
    async rank(input, options) {
      const s = await snapshot();
      const visible = options.visibleSpaces;
      let docFilter: ((d: number) => boolean) | undefined;
      let filterKey: string | undefined;
      if (visible !== "all") {
        // One byte per piece of evidence (1 = the viewer may read it), built once per set of spaces.
        filterKey = [...visible].sort().join(",");
        let mask = s.masks.get(filterKey);
        if (!mask) {
          mask = new Uint8Array(s.docSpace.length);
          for (let d = 0; d < mask.length; d++) mask[d] = s.docSpace[d] === null || visible.has(s.docSpace[d]!) ? 1 : 0;
          if (s.masks.size >= 256) s.masks.clear();
          s.masks.set(filterKey, mask);
        }
        const m = mask;
        docFilter = (d) => m[d] === 1;
      }
      // Live: evidence up to this moment counts, even if another instance's clock ran slightly ahead.
      const at = Math.max(input.at.getTime(), s.lastAt + 1);
      const ranked: RankedExpert[] = s.model.rank({ text: input.text, tags: input.tags, at, askerId: input.askerId }, { limit: options.limit, exclude: options.exclude, docFilter, filterKey, reasons: options.reasons });
      return ranked.map((r) => ({
        personId: r.personId,
        score: r.score,
        reasons: r.reasons.flatMap((x) => {
          const ref = s.refs.get(x.evidenceIds?.[0] ?? "");
          return ref ? [{ kind: ref.kind, title: ref.title, url: ref.url, at: new Date(x.at ?? 0).toISOString(), weight: Math.round(x.weight * 100) / 100 }] : [];
        }),
      }));
    },
    async refresh() {
      if (current && (await watermark(db)) === current.watermark) return;
      await rebuild();
    },
    stats: () => ({ docs: current?.model.index.docAt.length ?? 0, people: current?.model.index.people.length ?? 0, buildMs: current?.buildMs ?? 0, fitMs, learned: current?.model.learnedWeights !== undefined }),
    settled: async () => {
      await building;
      await fitting;
    },
  };
}
