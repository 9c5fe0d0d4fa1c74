import { EvidenceIndex } from "./evidence-index";
import { computeFeatures, FEATURE_NAMES, type EvidenceParams, type FeatureName } from "./features";
import { topK, type Scored } from "./topk";
import type { Evidence, ExpertRanker, RankOptions, RankedExpert, RoutingQuestion, Signal } from "./types";

export type ModelParams = EvidenceParams & { weights: Record<FeatureName, number> };

export const DEFAULT_PARAMS: ModelParams = {
  halfLifeDays: 90,
  activityHalfLifeDays: 14,
  topDocs: 3,
  acceptedBoost: 1,
  voteBoost: 0.5,
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

  constructor(params: Partial<ModelParams> = {}) {
    this.params = { ...DEFAULT_PARAMS, ...params, weights: { ...DEFAULT_PARAMS.weights, ...params.weights } };
  }

  /** Adds evidence; evidence must arrive in time order (throws otherwise). */
  add(e: Evidence): void {
    this.index.add(e);
  }

  /** Records a vote or acceptance on earlier evidence, in time order. */
  signal(s: Signal): void {
    this.index.signal(s);
  }

  /** Best people for the question, using only evidence and signals from strictly before `question.at`. */
  rank(question: RoutingQuestion, options: RankOptions): RankedExpert[] {
    const table = computeFeatures(this.index, question, this.params);
    const cands: Scored[] = [];
    for (const person of table.persons) {
      let score = 0;
      for (const f of FEATURE_NAMES) score += this.params.weights[f] * transform(table.values[f][person]);
      cands.push({ personId: this.index.people[person], score, tie: 0 });
    }
    return topK(cands, options.limit, options.exclude).map((c) => ({ personId: c.personId, score: c.score, reasons: [] }));
  }
}
