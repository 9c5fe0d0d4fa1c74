import { computeFeatures, type EvidenceParams, type FeatureName, type FeatureTable } from "./features";
import { fitConditionalLogit, type ChoiceGroup } from "./fit";
import type { EvidenceIndex } from "./evidence-index";

const DAY = 86_400_000;

/**
 * Features of the learned ranker. Several time scales and normalisations of the same evidence are
 * offered side by side; how much each matters is fitted on the site's own past, not chosen by hand.
 */
export const LEARNED_FEATURES: readonly FeatureName[] = [
  "text",
  "textAvg",
  "textRecent",
  "tag",
  "tagProfile",
  "activity",
  "day",
  "week",
  "month",
  "helped",
  "idle",
];

/**
 * Feature value as the rankers see it: log-damped counts, the tag profile as a log ratio, idleness as -log(1 + days).
 */
export function featureValue(name: FeatureName, raw: number): number {
  if (name === "tagProfile") return raw;
  if (name === "idle") return -Math.log1p(raw);
  return Math.log1p(raw);
}

export type LearnerParams = {
  /** Below this many answered past questions, the fixed default weights are used. */
  minOccasions: number;
  /** Refit after this many new answered questions (and at least this share of the known ones, see refitShare). */
  refitEvery: number;
  refitShare: number;
  /** Only the most recent occasions count in a fit (bounds the cost of a fit). */
  maxOccasions: number;
  /** Per past question, at most this many non-answering colleagues (a uniform sample) enter the fit. */
  maxAlternatives: number;
  /** L2 penalty of the fit (on standardised features). */
  l2: number;
  /**
   * Fit inside rank() when due (the replay). A live server sets false and fits in the background
   * with fitAsync(), ranking with the last fitted weights meanwhile.
   */
  fitDuringRank: boolean;
};

export const DEFAULT_LEARNER: LearnerParams = {
  minOccasions: 50,
  refitEvery: 20,
  refitShare: 0.05,
  maxOccasions: 1500,
  maxAlternatives: 200,
  l2: 1e-2,
  fitDuringRank: true,
};

/** One answer to an earlier question by someone other than the asker: who, among the colleagues then, answered. */
type Occasion = { question: number; answerer: number; answerAt: number };

/** Standardised feature rows of a past question's candidates, as of the question's time. */
type CachedRows = { at: number; people: number[]; x: number[][] };

/** Deterministic uniform sample of k of n indices (seeded, so replays are reproducible). */
function sample(n: number, k: number, seed: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  let s = (seed * 2654435761 + 1) >>> 0;
  for (let i = 0; i < Math.min(k, n); i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    const j = i + (s % (n - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, Math.min(k, n));
}

/**
 * Standardised learned-feature rows (mean 0, sd 1 over the candidates of this one question), so that
 * weights fitted on one question carry over to another whatever the site's scale.
 */
function standardisedRows(table: FeatureTable, candidates: readonly number[]): number[][] {
  const dims = LEARNED_FEATURES.length;
  const x = candidates.map((person) => LEARNED_FEATURES.map((f) => featureValue(f, table.values[f][person])));
  const n = x.length;
  for (let i = 0; i < dims; i++) {
    let mean = 0;
    for (const row of x) mean += row[i] / n;
    let variance = 0;
    for (const row of x) variance += (row[i] - mean) ** 2 / n;
    const sd = Math.sqrt(variance);
    for (const row of x) row[i] = sd > 1e-12 ? (row[i] - mean) / sd : 0;
  }
  return x;
}

/**
 * Online learning to rank: the weights of the learned features are refitted from time to time, by
 * conditional logit, on who answered the earlier questions, using only answers that existed
 * strictly before the question being ranked. Older occasions count less (same half-life as evidence).
 */
export class OnlineWeights {
  private readonly occasions: Occasion[] = [];
  private readonly questionText = new Map<number, string>();
  private readonly rows = new Map<number, CachedRows>();
  private weights: number[] | undefined;
  private fittedWith = 0;
  private fittedAt = -Infinity;

  constructor(
    private readonly ix: EvidenceIndex,
    private readonly evidence: EvidenceParams,
    readonly params: LearnerParams,
  ) {}

  /** Called after each doc is added to the index, with the evidence text. */
  observe(d: number, text: string, title: string | undefined): void {
    const ix = this.ix;
    if (ix.docKind[d] === "question") this.questionText.set(d, title ? `${title}\n${text}` : text);
    const q = ix.docQuestion[d];
    if (q >= 0 && ix.docPerson[d] !== ix.docPerson[q])
      this.occasions.push({ question: q, answerer: ix.docPerson[d], answerAt: ix.docAt[d] });
  }

  /** Fitted weights usable for a question at `at` (undefined while there are too few occasions). */
  weightsAt(at: number): number[] | undefined {
    if (!this.params.fitDuringRank) return this.weights;
    const usable = this.countBefore(at);
    if (usable < this.params.minOccasions) return undefined;
    if (at < this.fittedAt) return this.fit(at, usable); // an earlier time than the last fit: refit for it, uncached
    const due = usable - this.fittedWith >= Math.max(this.params.refitEvery, this.params.refitShare * this.fittedWith);
    if (!this.weights || due) {
      this.weights = this.fit(at, usable, this.weights);
      this.fittedWith = usable;
      this.fittedAt = at;
    }
    return this.weights;
  }

  /** Weights fitted elsewhere (e.g. by the previous model of a live server), used until fitAsync() ends. */
  setWeights(w: number[] | undefined): void {
    this.weights = w;
  }

  get current(): number[] | undefined {
    return this.weights;
  }

  /**
   * The same fit as in rank(), as of `at`, giving the event loop back after every past question so a
   * server keeps answering meanwhile. Sets and returns the weights (undefined: too few occasions).
   */
  async fitAsync(at: number): Promise<number[] | undefined> {
    const usable = this.countBefore(at);
    if (usable < this.params.minOccasions) return this.weights;
    const from = Math.max(0, usable - this.params.maxOccasions);
    const known = new Map<number, Set<number>>();
    for (let i = from; i < usable; i++) {
      const o = this.occasions[i];
      let set = known.get(o.question);
      if (!set) known.set(o.question, (set = new Set()));
      set.add(o.answerer);
    }
    for (let i = from; i < usable; i++) {
      this.rowsFor(this.occasions[i].question, known.get(this.occasions[i].question)!);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.weights = this.fit(at, usable, this.weights);
    this.fittedWith = usable;
    this.fittedAt = at;
    return this.weights;
  }

  /** Number of occasions whose answer is strictly before `at` (occasions are in time order). */
  private countBefore(at: number): number {
    let lo = 0;
    let hi = this.occasions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.occasions[mid].answerAt < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private fit(at: number, usable: number, start?: number[]): number[] {
    const groups: ChoiceGroup[] = [];
    const from = Math.max(0, usable - this.params.maxOccasions);
    const known = new Map<number, Set<number>>();
    for (let i = from; i < usable; i++) {
      const o = this.occasions[i];
      let s = known.get(o.question);
      if (!s) known.set(o.question, (s = new Set()));
      s.add(o.answerer);
    }
    for (let i = from; i < usable; i++) {
      const o = this.occasions[i];
      const r = this.rowsFor(o.question, known.get(o.question)!);
      const y = r.people.indexOf(o.answerer);
      if (y < 0 || r.people.length < 2) continue;
      const weight = Math.pow(0.5, Math.max(0, at - r.at) / DAY / this.evidence.halfLifeDays);
      groups.push({ x: r.x, y, weight });
    }
    return fitConditionalLogit(groups, LEARNED_FEATURES.length, this.params.l2, 30, start);
  }

  /** The (cached) candidate rows of a past question, containing at least the given answerers. */
  private rowsFor(q: number, answerers: Set<number>): CachedRows {
    const cached = this.rows.get(q);
    if (cached && [...answerers].every((a) => cached.people.includes(a))) return cached;
    const ix = this.ix;
    const at = ix.docAt[q];
    const asker = ix.docPerson[q];
    const table = computeFeatures(
      ix,
      { text: this.questionText.get(q) ?? "", tags: ix.docTags[q], at, askerId: ix.people[asker] },
      this.evidence,
    );
    const cands = table.persons.filter((p) => table.contributor[p] && p !== asker);
    const x = standardisedRows(table, cands);
    const keep = new Set(sample(cands.length, this.params.maxAlternatives, q));
    cands.forEach((p, i) => {
      if (answerers.has(p)) keep.add(i);
    });
    const order = [...keep].sort((a, b) => a - b);
    const r = { at, people: order.map((i) => cands[i]), x: order.map((i) => x[i]) };
    this.rows.set(q, r);
    return r;
  }
}
