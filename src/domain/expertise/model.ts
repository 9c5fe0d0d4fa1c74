import { EvidenceIndex } from "./evidence-index";
import { activityFeatures, computeFeatures, decayActivity, docWeight, type ActivityTable, FEATURE_NAMES, isContribution, tagIdf, type EvidenceParams, type FeatureName, type FeatureTable } from "./features";
import { topK, type Scored } from "./topk";
import type { Evidence, ExpertRanker, RankOptions, RankedExpert, Reason, RoutingQuestion, Signal } from "./types";

export type ModelParams = EvidenceParams & {
  weights: Record<FeatureName, number>;
  /** Each "not my area" decline on the question's tags multiplies the person's score by this (decayed like evidence). */
  declineFactor: number;
};

export const DEFAULT_PARAMS: ModelParams = {
  halfLifeDays: 90,
  activityHalfLifeDays: 14,
  topDocs: 3,
  acceptedBoost: 1,
  voteBoost: 0.5,
    declineFactor: 0.5,
  weights: { text: 1, tag: 1, activity: 1, recent: 0, asked: 0 },
};

/** Transform shared by fitting and ranking: log damping makes feature scales comparable across sites. */
export function transform(x: number): number {
  return Math.log1p(x);
}

/** Ranks colleagues for a question from the evidence of what they did, as of the question's time. */
export class ExpertiseModel implements ExpertRanker {
  readonly params: ModelParams;
  readonly index = new EvidenceIndex();
  /** Activity tables by filter key, reused (decayed) while no evidence or signal arrives. */
  private activityCache = new Map<string, { version: number; table: ActivityTable }>();
  private version = 0;

  constructor(params: Partial<ModelParams> = {}) {
    this.params = { ...DEFAULT_PARAMS, ...params, weights: { ...DEFAULT_PARAMS.weights, ...params.weights } };
  }

  /** Adds evidence; evidence must arrive in time order (throws otherwise). */
  add(e: Evidence): void {
    this.index.add(e);
    this.version++;
  }

  /** Records a vote or acceptance on earlier evidence, in time order. */
  signal(s: Signal): void {
    this.index.signal(s);
    this.version++;
  }

  /** Best people for the question, using only evidence and signals from strictly before `question.at`. */
  rank(question: RoutingQuestion, options: RankOptions): RankedExpert[] {
    const table = computeFeatures(this.index, question, this.params, options.docFilter, this.activityFor(question.at, options));
    const cands: Scored[] = [];
    for (const person of table.persons) {
      let score = 0;
      for (const f of FEATURE_NAMES) score += this.params.weights[f] * transform(table.values[f][person]);
      if (table.declined[person] > 0) score *= Math.pow(this.params.declineFactor, table.declined[person]);
      cands.push({ personId: this.index.people[person], score, tie: 0 });
    }
    const n = options.reasons ?? 0;
    return topK(cands, options.limit, options.exclude).map((c) => ({ personId: c.personId, score: c.score, reasons: n > 0 ? this.reasons(c.personId, question, table, n, options.docFilter) : [] }));
  }

  /**
   * The activity features, from the cache when the same filter was used since the last change
   * and the question is later than all evidence (the live case); otherwise computed.
   */
  private activityFor(at: number, options: RankOptions): ActivityTable | undefined {
    const key = options.docFilter ? options.filterKey : "";
    if (key === undefined || at <= this.index.lastAt) return undefined;
    const hit = this.activityCache.get(key);
    if (hit && hit.version === this.version && at >= hit.table.at) return decayActivity(hit.table, at, this.params);
    const table = activityFeatures(this.index, at, this.params, options.docFilter);
    if (this.activityCache.size >= 64) this.activityCache.clear();
    this.activityCache.set(key, { version: this.version, table });
    return table;
  }

  /** The person's pieces of evidence that weigh most for this question ("why this person"), strongest first. */
  private reasons(personId: string, question: RoutingQuestion, table: FeatureTable, n: number, filter?: (d: number) => boolean): Reason[] {
    const ix = this.index;
    const docs = ix.personDocs[ix.personIndex.get(personId) ?? -1] ?? [];
    const tags = [...new Set(question.tags.map((t) => t.toLowerCase()))];
    const idf = new Map(tags.map((t) => [t, tagIdf(ix, t, table.cut)]));
    const out: Reason[] = [];
    for (const d of docs) {
      if (d >= table.cut || !isContribution(ix.docKind[d]) || (filter && !filter(d))) continue;
      let w = table.docText.get(d) ?? 0;
      const shared = ix.docTags[d].filter((t) => idf.has(t));
      if (shared.length) w += shared.reduce((s, t) => s + (idf.get(t) ?? 0), 0) * docWeight(ix, d, question.at, this.params);
      if (w <= 0) continue;
      out.push({ kind: ix.docKind[d], weight: w, topic: ix.docTopic[d], evidenceIds: ix.docId[d] ? [ix.docId[d]!] : [], at: ix.docAt[d] });
    }
    return out.sort((a, b) => b.weight - a.weight).slice(0, n);
  }
}
