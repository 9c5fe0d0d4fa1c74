import { termFrequencies, tokenize } from "./tokens";
import type { Evidence, EvidenceKind, Signal } from "./types";

/**
 * What each kind of evidence proves, relative to an answer: an article written counts more than an
 * answer, being named as the contact in one more still, a job title (and profile) more again: on day one it is
 * the surest sign of whose work a question is; a verification of someone else's knowledge counts less than
 * an answer, a self-declared skill little until confirmed.
 */
export const KIND_WEIGHT: Partial<Record<EvidenceKind, number>> = {
  article: 1.5,
  contact: 2,
  role: 3,
  verification: 0.7,
  skill: 0.3,
};

/** Standing evidence: who a person is (job, named contact, declared skill). It does not fade and is not activity. */
export function isStanding(kind: EvidenceKind): boolean {
  return kind === "role" || kind === "contact" || kind === "skill";
}

export type Posting = { docs: number[]; tfs: number[] };

function isAnswerKind(kind: EvidenceKind): boolean {
  return kind === "answer" || kind === "accepted_answer";
}

/**
 * Append-only store of evidence with the inverted indexes ranking needs: term -> docs, tag -> docs,
 * person -> docs. Docs are numbered in arrival order and arrivals are in time order, so every list
 * is sorted by time and "as of t" is a prefix of it.
 */
export class EvidenceIndex {
  readonly people: string[] = [];
  readonly personIndex = new Map<string, number>();
  readonly personDocs: number[][] = [];

  readonly docPerson: number[] = [];
  readonly docAt: number[] = [];
  readonly docKind: EvidenceKind[] = [];
  readonly docLen: number[] = [];
  readonly docTags: string[][] = [];
  readonly docTopic: string[] = [];
  readonly docId: (string | undefined)[] = [];
  readonly docVotes: number[] = [];
  /** How much each doc proves relative to an answer (the evidence's strength times its kind's weight). */
  readonly docStrength: number[] = [];
  /** Votes that arrived after the doc, as [at, delta] pairs, so a ranking as of an earlier time can ignore them. */
  readonly docVoteLog: ([number, number][] | undefined)[] = [];
  readonly docAcceptedAt: number[] = [];
  /** For an answer: the doc number of the question it answers (-1 when unknown or not an answer). */
  readonly docQuestion: number[] = [];
  /** Asker (person index) -> answer docs to that person's questions, in time order ("who helped them before"). */
  readonly answersToAsker = new Map<number, number[]>();

  private readonly byId = new Map<string, number>();
  readonly postings = new Map<string, Posting>();
  readonly tagDocs = new Map<string, number[]>();
  /** lenPrefix[n] = total indexed length of the first n docs. */
  private readonly lenPrefix: number[] = [0];
  lastAt = -Infinity;

  /** Adds evidence; it must not be older than what was already added. */
  add(e: Evidence): number {
    if (!Number.isFinite(e.at)) throw new Error("evidence needs a finite time");
    if (e.at < this.lastAt) throw new Error(`evidence out of time order (${e.at} < ${this.lastAt})`);
    this.lastAt = e.at;
    let p = this.personIndex.get(e.personId);
    if (p === undefined) {
      p = this.people.length;
      this.people.push(e.personId);
      this.personIndex.set(e.personId, p);
      this.personDocs.push([]);
    }
    const d = this.docPerson.length;
    const terms = tokenize(e.title ? `${e.title}\n${e.text}` : e.text);
    this.docPerson.push(p);
    this.docAt.push(e.at);
    this.docKind.push(e.kind);
    this.docLen.push(terms.length);
    const tags = [...new Set(e.tags.map((t) => t.toLowerCase()))];
    this.docTags.push(tags);
    this.docTopic.push(e.title ?? e.text.slice(0, 80));
    this.docId.push(e.id);
    this.docVotes.push(e.votes ?? 0);
    this.docStrength.push((e.strength ?? 1) * (KIND_WEIGHT[e.kind] ?? 1));
    this.docVoteLog.push(undefined);
    this.docAcceptedAt.push(e.kind === "accepted_answer" ? e.at : Infinity);
    const qd = e.questionId !== undefined && isAnswerKind(e.kind) ? this.byId.get(e.questionId) : undefined;
    const isAnswerToQuestion = qd !== undefined && this.docKind[qd] === "question";
    this.docQuestion.push(isAnswerToQuestion ? qd : -1);
    if (isAnswerToQuestion) {
      const asker = this.docPerson[qd];
      let list = this.answersToAsker.get(asker);
      if (!list) this.answersToAsker.set(asker, (list = []));
      list.push(d);
    }
    if (e.id !== undefined) this.byId.set(e.id, d);
    this.personDocs[p].push(d);
    this.lenPrefix.push(this.lenPrefix[d] + terms.length);
    for (const [t, n] of termFrequencies(terms)) {
      let post = this.postings.get(t);
      if (!post) this.postings.set(t, (post = { docs: [], tfs: [] }));
      post.docs.push(d);
      post.tfs.push(n);
    }
    for (const tag of tags) {
      let list = this.tagDocs.get(tag);
      if (!list) this.tagDocs.set(tag, (list = []));
      list.push(d);
    }
    return d;
  }

  /** The doc number of a piece of evidence by its id (undefined: not in the index). */
  docOf(id: string): number | undefined {
    return this.byId.get(id);
  }

  /**
   * Records a vote or acceptance on earlier evidence; unknown ids are ignored (the evidence may be private or deleted).
   */
  signal(s: Signal): void {
    if (s.at < this.lastAt) throw new Error(`signal out of time order (${s.at} < ${this.lastAt})`);
    this.lastAt = s.at;
    const d = this.byId.get(s.evidenceId);
    if (d === undefined) return;
    if (s.kind === "accepted") {
      this.docAcceptedAt[d] = Math.min(this.docAcceptedAt[d], s.at);
      return;
    }
    const log = this.docVoteLog[d] ?? (this.docVoteLog[d] = []);
    log.push([s.at, s.kind === "upvote" ? 1 : -1]);
  }

  /** Net votes of a doc known strictly before `t`. */
  votesAt(d: number, t: number): number {
    let v = this.docVotes[d];
    const log = this.docVoteLog[d];
    if (log) for (const [at, delta] of log) if (at < t) v += delta;
    return v;
  }

  /** Number of docs that existed strictly before `t` (docs are in time order). */
  cutoff(t: number): number {
    let lo = 0;
    let hi = this.docAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.docAt[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Average indexed length of the first `n` docs (BM25 length normalisation). */
  avgLen(n: number): number {
    return n > 0 ? Math.max(1, this.lenPrefix[n] / n) : 1;
  }

  /** How many of a sorted doc list lie before doc number `n`. */
  static countBefore(list: readonly number[], n: number): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] < n) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
