import { termFrequencies, tokenize } from "./tokens";
import { asRanked, topK, type Scored } from "./topk";
import type { Evidence, ExpertRanker, RankOptions, RankedExpert, RoutingQuestion } from "./types";

// Baselines from the evaluation protocol. They see only answers and, like the model, must be fed
// in time order, so "as of the question" is whatever has been added so far. Ties (frequent for the
// tag baseline) are broken by the person's answer count, which only makes the baselines stronger.

function isAnswer(e: Evidence): boolean {
  return e.kind === "answer" || e.kind === "accepted_answer";
}

/** Baseline 1: the people with the most answers so far. */
export class MostActiveRanker implements ExpertRanker {
  readonly answers = new Map<string, number>();

  add(e: Evidence): void {
    if (isAnswer(e)) this.answers.set(e.personId, (this.answers.get(e.personId) ?? 0) + 1);
  }

  rank(_q: RoutingQuestion, o: RankOptions): RankedExpert[] {
    const c: Scored[] = [];
    for (const [personId, n] of this.answers) c.push({ personId, score: n, tie: 0 });
    return asRanked(topK(c, o.limit, o.exclude));
  }
}

/** Baseline 2: sum over the question's tags of the person's past answer count on that tag. */
export class TagOverlapRanker implements ExpertRanker {
  private readonly active = new MostActiveRanker();
  private readonly byTag = new Map<string, Map<string, number>>();

  add(e: Evidence): void {
    if (!isAnswer(e)) return;
    this.active.add(e);
    for (const tag of new Set(e.tags)) {
      let m = this.byTag.get(tag);
      if (!m) this.byTag.set(tag, (m = new Map()));
      m.set(e.personId, (m.get(e.personId) ?? 0) + 1);
    }
  }

  rank(q: RoutingQuestion, o: RankOptions): RankedExpert[] {
    const score = new Map<string, number>();
    for (const tag of new Set(q.tags)) {
      for (const [p, n] of this.byTag.get(tag) ?? []) score.set(p, (score.get(p) ?? 0) + n);
    }
    const c: Scored[] = [];
    for (const [personId, n] of this.active.answers) c.push({ personId, score: score.get(personId) ?? 0, tie: n });
    return asRanked(topK(c, o.limit, o.exclude));
  }
}

const K1 = 1.2;
const B = 0.75;

/** Baseline 3: BM25 over one profile document per person (their answers plus the answered questions' titles). */
export class Bm25ProfileRanker implements ExpertRanker {
  private readonly active = new MostActiveRanker();
  private readonly postings = new Map<string, Map<string, number>>();
  private readonly lengths = new Map<string, number>();
  private totalLength = 0;

  add(e: Evidence): void {
    if (!isAnswer(e)) return;
    this.active.add(e);
    const terms = tokenize(`${e.title ?? ""}\n${e.text}`);
    for (const [t, n] of termFrequencies(terms)) {
      let m = this.postings.get(t);
      if (!m) this.postings.set(t, (m = new Map()));
      m.set(e.personId, (m.get(e.personId) ?? 0) + n);
    }
    this.lengths.set(e.personId, (this.lengths.get(e.personId) ?? 0) + terms.length);
    this.totalLength += terms.length;
  }

  rank(q: RoutingQuestion, o: RankOptions): RankedExpert[] {
    const n = this.lengths.size;
    const avgdl = n > 0 ? this.totalLength / n : 1;
    const score = new Map<string, number>();
    for (const [t, qtf] of termFrequencies(tokenize(q.text))) {
      const post = this.postings.get(t);
      if (!post) continue;
      const idf = Math.log(1 + (n - post.size + 0.5) / (post.size + 0.5));
      for (const [p, tf] of post) {
        const dl = this.lengths.get(p) ?? 0;
        const s = (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * dl) / avgdl));
        score.set(p, (score.get(p) ?? 0) + qtf * s);
      }
    }
    const c: Scored[] = [];
    for (const [personId, cnt] of this.active.answers) c.push({ personId, score: score.get(personId) ?? 0, tie: cnt });
    return asRanked(topK(c, o.limit, o.exclude));
  }
}
