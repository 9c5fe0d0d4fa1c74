import { EvidenceIndex } from "./evidence-index";
import {
  activityFeatures,
  computeFeatures,
  decayActivity,
  docWeight,
  FEATURE_NAMES,
  isContribution,
  tagIdf,
  type ActivityTable,
  type EvidenceParams,
  type FeatureName,
  type FeatureTable,
} from "./features";
import { DEFAULT_LEARNER, featureValue, LEARNED_FEATURES, OnlineWeights, type LearnerParams } from "./learner";
import { topK, type Scored } from "./topk";
import type { Evidence, ExpertRanker, RankOptions, RankedExpert, Reason, RoutingQuestion, Signal } from "./types";

export type ModelParams = EvidenceParams & {
  /** Fixed weights, used until there are enough answered questions to fit weights on (see `learn`). */
  weights: Record<FeatureName, number>;
  /**
   * Each "not my area" decline on the question's tags multiplies the person's score by this (decayed like evidence).
   */
  declineFactor: number;
  /** Online learning of the weights from who answered earlier questions; false keeps the fixed weights. */
  learn: boolean;
  learner: LearnerParams;
  /** Share of the hand-set prior score in the ranking once weights are learned (0: learned weights alone). */
  blend: number;
  /**
   * The hand-set prior blended with the learned weights. Unlike the cold-start weights it counts
   * activity: with a history of who answers, being active is a strong sign of who will (on every
   * Stack Exchange site of the evaluation); on day one activity is only who wrote most.
   */
  priorWeights: Partial<Record<FeatureName, number>>;
};

export const DEFAULT_PARAMS: ModelParams = {
  halfLifeDays: 90,
  activityHalfLifeDays: 14,
  topDocs: 3,
  acceptedBoost: 1,
  voteBoost: 0.5,
  declineFactor: 0.2,
  weights: {
    text: 1,
    tag: 0.5,
    activity: 0,
    recent: 0,
    asked: 0,
    textAvg: 0,
    textRecent: 0,
    tagProfile: 0,
    day: 0,
    week: 0,
    month: 0,
    helped: 0,
    idle: 0,
  },
  learn: true,
  blend: 0.7,
  priorWeights: { text: 1, tag: 1, activity: 1, tagProfile: 0.5 },
  learner: DEFAULT_LEARNER,
};

/** Ranks colleagues for a question from the evidence of what they did, as of the question's time. */
export class ExpertiseModel implements ExpertRanker {
  readonly params: ModelParams;
  readonly index = new EvidenceIndex();
  /** Activity tables by filter key, reused (decayed) while no evidence or signal arrives. */
  private activityCache = new Map<string, { version: number; table: ActivityTable }>();
  private version = 0;
  private readonly online: OnlineWeights;

  constructor(params: Partial<ModelParams> = {}) {
    this.params = {
      ...DEFAULT_PARAMS,
      ...params,
      weights: { ...DEFAULT_PARAMS.weights, ...params.weights },
      priorWeights: { ...DEFAULT_PARAMS.priorWeights, ...params.priorWeights },
      learner: { ...DEFAULT_PARAMS.learner, ...params.learner },
    };
    this.online = new OnlineWeights(this.index, this.params, this.params.learner);
  }

  /** Adds evidence; evidence must arrive in time order (throws otherwise). */
  add(e: Evidence): void {
    const d = this.index.add(e);
    this.version++;
    if (this.params.learn) this.online.observe(d, e.text, e.title);
  }

  /** The learned weights (undefined: fixed weights are used). */
  get learnedWeights(): number[] | undefined {
    return this.online.current;
  }

  /** Starts from weights learned before (a live server's previous model) until fitLearned() ends. */
  useLearnedWeights(w: number[] | undefined): void {
    this.online.setWeights(w);
  }

  /** Fits the learned weights as of `at` without blocking the event loop for long (live servers). */
  fitLearned(at: number): Promise<number[] | undefined> {
    return this.params.learn ? this.online.fitAsync(at) : Promise.resolve(undefined);
  }

  /** Records a vote or acceptance on earlier evidence, in time order. */
  signal(s: Signal): void {
    this.index.signal(s);
    this.version++;
  }

  /** Best people for the question, using only evidence and signals from strictly before `question.at`. */
  rank(question: RoutingQuestion, options: RankOptions): RankedExpert[] {
    const table = computeFeatures(
      this.index,
      question,
      this.params,
      options.docFilter,
      this.activityFor(question.at, options),
    );
    const learned = this.params.learn ? this.online.weightsAt(question.at) : undefined;
    const cands = learned
      ? this.blend(
          this.learnedScores(table, learned, options.exclude),
          this.fixedScores(table, this.params.priorWeights),
        )
      : this.fixedScores(table);
    const n = options.reasons ?? 0;
    return topK(cands, options.limit, options.exclude).map((c) => ({
      personId: c.personId,
      score: c.score,
      reasons: n > 0 ? this.reasons(c.personId, question, table, n, options.docFilter) : [],
    }));
  }

  /**
   * The learned scores plus the hand-set ones, each standardised over the same people: the learned
   * weights adapt to the site, the hand-set sum keeps a ranking that does not depend on the fit.
   */
  private blend(learned: Scored[], fixed: Scored[]): Scored[] {
    const share = this.params.blend;
    if (share <= 0) return learned;
    const byPerson = new Map(fixed.map((c) => [c.personId, c.score]));
    const z = (xs: number[]) => {
      const n = xs.length || 1;
      const mean = xs.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n) || 1;
      return xs.map((x) => (x - mean) / sd);
    };
    const zl = z(learned.map((c) => c.score));
    const zf = z(learned.map((c) => byPerson.get(c.personId) ?? 0));
    return learned.map((c, i) => ({ ...c, score: (1 - share) * zl[i] + share * zf[i] }));
  }

  private fixedScores(
    table: FeatureTable,
    weights: Partial<Record<FeatureName, number>> = this.params.weights,
  ): Scored[] {
    const cands: Scored[] = [];
    for (const person of table.persons) {
      let score = 0;
      for (const f of FEATURE_NAMES) {
        const w = weights[f] ?? 0;
        if (w !== 0) score += w * featureValue(f, table.values[f][person]);
      }
      // Like the learned scores (a sum of logs): each decline multiplies the odds by declineFactor.
      if (table.declined[person] > 0) score += table.declined[person] * Math.log(this.params.declineFactor);
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
    // Same arithmetic as standardisedRows() + the weighted sum, feature by feature on typed arrays
    // (no row per person): thousands of colleagues per question stay cheap.
    const n = contributors.length;
    const sums = new Float64Array(n);
    const tv = new Float64Array(n);
    LEARNED_FEATURES.forEach((f, k) => {
      const vals = table.values[f];
      let mean = 0;
      for (let i = 0; i < n; i++) mean += (tv[i] = featureValue(f, vals[contributors[i]])) / n;
      let variance = 0;
      for (let i = 0; i < n; i++) variance += (tv[i] - mean) ** 2 / n;
      const sd = Math.sqrt(variance);
      for (let i = 0; i < n; i++) sums[i] += w[k] * (sd > 1e-12 ? (tv[i] - mean) / sd : 0);
    });
    const cands: Scored[] = [];
    let lowest = 0;
    contributors.forEach((person, i) => {
      let score = sums[i];
      if (table.declined[person] > 0) score += table.declined[person] * Math.log(this.params.declineFactor);
      lowest = Math.min(lowest, score);
      cands.push({ personId: people[person], score, tie: 0 });
    });
    for (const person of table.persons)
      if (!table.contributor[person])
        cands.push({ personId: people[person], score: lowest - 1, tie: table.values.asked[person] });
    return cands;
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
  private reasons(
    personId: string,
    question: RoutingQuestion,
    table: FeatureTable,
    n: number,
    filter?: (d: number) => boolean,
  ): Reason[] {
    const ix = this.index;
    const docs = ix.personDocs[ix.personIndex.get(personId) ?? -1] ?? [];
    const tags = [...new Set(question.tags.map((t) => t.toLowerCase()))];
    const idf = new Map(tags.map((t) => [t, tagIdf(ix, t, table.cut)]));
    const out: Reason[] = [];
    for (const d of docs) {
      if (d >= table.cut || !isContribution(ix.docKind[d]) || (filter && !filter(d))) continue;
      let w = table.docText.get(d) ?? 0;
      const shared = ix.docTags[d].filter((t) => idf.has(t));
      if (shared.length)
        w += shared.reduce((s, t) => s + (idf.get(t) ?? 0), 0) * docWeight(ix, d, question.at, this.params);
      if (w <= 0) continue;
      out.push({
        kind: ix.docKind[d],
        weight: w,
        topic: ix.docTopic[d],
        evidenceIds: ix.docId[d] ? [ix.docId[d]!] : [],
        at: ix.docAt[d],
      });
    }
    return out.sort((a, b) => b.weight - a.weight).slice(0, n);
  }
}
