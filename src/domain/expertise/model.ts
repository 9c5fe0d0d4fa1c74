import { EvidenceIndex } from "./evidence-index";
import { computeFeatures, docWeight, FEATURE_NAMES, isContribution, tagIdf, type EvidenceParams, type FeatureName, type FeatureTable } from "./features";
import { DEFAULT_LEARNER, featureValue, OnlineWeights, standardisedRows, type LearnerParams } from "./learner";
import { topK, type Scored } from "./topk";
import type { Evidence, ExpertRanker, RankOptions, RankedExpert, Reason, RoutingQuestion, Signal } from "./types";

export type ModelParams = EvidenceParams & {
  /** Fixed weights, used until there are enough answered questions to fit weights on (see `learn`). */
  weights: Record<FeatureName, number>;
  /** Each "not my area" decline on the question's tags multiplies the person's score by this (decayed like evidence). */
  declineFactor: number;
  /** Online learning of the weights from who answered earlier questions; false keeps the fixed weights. */
  learn: boolean;
  learner: LearnerParams;
};

export const DEFAULT_PARAMS: ModelParams = {
  halfLifeDays: 90,
  activityHalfLifeDays: 14,
  topDocs: 3,
  acceptedBoost: 1,
  voteBoost: 0.5,
  declineFactor: 0.5,
  weights: { text: 1, tag: 1, activity: 1, recent: 0, asked: 0, textAvg: 0, textRecent: 0, tagProfile: 0, day: 0, week: 0, month: 0, helped: 0, idle: 0 },
  learn: true,
  learner: DEFAULT_LEARNER,
};

/** Transform shared by fitting and ranking: log damping makes feature scales comparable across sites. */
export function transform(x: number): number {
  return Math.log1p(x);
}

/** Ranks colleagues for a question from the evidence of what they did, as of the question's time. */
export class ExpertiseModel implements ExpertRanker {
  readonly params: ModelParams;
  readonly index = new EvidenceIndex();
  private readonly online: OnlineWeights;

  constructor(params: Partial<ModelParams> = {}) {
    this.params = {
      ...DEFAULT_PARAMS,
      ...params,
      weights: { ...DEFAULT_PARAMS.weights, ...params.weights },
      learner: { ...DEFAULT_PARAMS.learner, ...params.learner },
    };
    this.online = new OnlineWeights(this.index, this.params, this.params.learner);
  }

  /** Adds evidence; evidence must arrive in time order (throws otherwise). */
  add(e: Evidence): void {
    const d = this.index.add(e);
    if (this.params.learn) this.online.observe(d, e.text, e.title);
  }

  /** Records a vote or acceptance on earlier evidence, in time order. */
  signal(s: Signal): void {
    this.index.signal(s);
  }

  /** Best people for the question, using only evidence and signals from strictly before `question.at`. */
  rank(question: RoutingQuestion, options: RankOptions): RankedExpert[] {
    const table = computeFeatures(this.index, question, this.params, options.docFilter);
    const learned = this.params.learn ? this.online.weightsAt(question.at) : undefined;
    const cands = learned ? this.learnedScores(table, learned, options.exclude) : this.fixedScores(table);
    const n = options.reasons ?? 0;
    return topK(cands, options.limit, options.exclude).map((c) => ({ personId: c.personId, score: c.score, reasons: n > 0 ? this.reasons(c.personId, question, table, n, options.docFilter) : [] }));
  }

  private fixedScores(table: FeatureTable): Scored[] {
    const cands: Scored[] = [];
    for (const person of table.persons) {
      let score = 0;
      for (const f of FEATURE_NAMES) if (this.params.weights[f] !== 0) score += this.params.weights[f] * featureValue(f, table.values[f][person]);
      if (table.declined[person] > 0) score *= Math.pow(this.params.declineFactor, table.declined[person]);
      cands.push({ personId: this.index.people[person], score, tie: 0 });
    }
    return cands;
  }

  /**
   * Fitted log-linear scores over the colleagues who contributed before (standardised per question, as
   * in the fit); people who only asked come after them. A decline multiplies the odds by declineFactor.
   */
  private learnedScores(table: FeatureTable, w: readonly number[], exclude?: ReadonlySet<string>): Scored[] {
    const people = this.index.people;
    const contributors = table.persons.filter((p) => table.contributor[p] && !exclude?.has(people[p]));
    const x = standardisedRows(table, contributors);
    const cands: Scored[] = [];
    let lowest = 0;
    contributors.forEach((person, i) => {
      let score = 0;
      for (let k = 0; k < w.length; k++) score += w[k] * x[i][k];
      if (table.declined[person] > 0) score += table.declined[person] * Math.log(this.params.declineFactor);
      lowest = Math.min(lowest, score);
      cands.push({ personId: people[person], score, tie: 0 });
    });
    for (const person of table.persons) if (!table.contributor[person]) cands.push({ personId: people[person], score: lowest - 1, tie: table.values.asked[person] });
    return cands;
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
