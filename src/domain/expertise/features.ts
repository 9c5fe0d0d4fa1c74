import { EvidenceIndex, type Posting } from "./evidence-index";
import { termFrequencies, tokenize } from "./tokens";
import type { RoutingQuestion } from "./types";

const DAY = 86_400_000;
// Textbook BM25 constants (Robertson & Zaragoza), not fitted to any site.
const K1 = 1.2;
const B = 0.75;

export type EvidenceParams = {
  /** Half-life of the weight of a piece of evidence, in days before the question. */
  halfLifeDays: number;
  /** Half-life of the "active lately" prior, in days. */
  activityHalfLifeDays: number;
  /** Per person, only the best `topDocs` matching documents count for the text score. */
  topDocs: number;
  /** Extra weight of an answer accepted before the question (1 = counts double). */
  acceptedBoost: number;
  /** Extra weight per log(1 + net upvotes) known before the question. */
  voteBoost: number;
};

export const FEATURE_NAMES = ["text", "tag", "activity", "recent", "asked"] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

/** Raw feature values per person index, for the people who had evidence before the question. */
export type FeatureTable = {
  persons: number[];
  values: Record<FeatureName, Float64Array>;
  cut: number;
  /** Per person, the decayed number of routed questions on the question's tags they declined as not their area. */
  declined: Float64Array;
  /** Text score (BM25 x doc weight) of every matching contribution doc. */
  docText: Map<number, number>;
};

/** Whether a kind of evidence shows that the person knows (as opposed to asked or declined). */
export function isContribution(kind: string): boolean {
  return kind !== "question" && kind !== "decline";
}

/** Weight of one doc as of `t`: quality (acceptance, votes) times the age decay. */
export function docWeight(ix: EvidenceIndex, d: number, t: number, p: EvidenceParams, halfLifeDays = p.halfLifeDays): number {
  const age = Math.max(0, t - ix.docAt[d]) / DAY;
  const decay = Math.pow(0.5, age / halfLifeDays);
  if (!isContribution(ix.docKind[d])) return decay;
  const v = ix.votesAt(d, t);
  const accepted = ix.docAcceptedAt[d] < t ? 1 : 0;
  const quality = 1 + p.acceptedBoost * accepted + p.voteBoost * Math.sign(v) * Math.log1p(Math.abs(v));
  // A heavily down-voted answer is weak evidence, never negative evidence.
  return Math.max(0.1, quality) * decay;
}

/** BM25 score of every contribution doc before the cut that shares a term with the query. */
export function docTextScores(ix: EvidenceIndex, text: string, cut: number, filter?: (d: number) => boolean): Map<number, number> {
  const scores = new Map<number, number>();
  const avgdl = ix.avgLen(cut);
  const terms: { qtf: number; post: Posting; df: number }[] = [];
  for (const [term, qtf] of termFrequencies(tokenize(text))) {
    const post = ix.postings.get(term);
    if (!post) continue;
    const df = EvidenceIndex.countBefore(post.docs, cut);
    if (df > 0) terms.push({ qtf, post, df });
  }
  // A word in more than half of all evidence (BM25 idf below ln 2) says little about who knows,
  // yet walking its postings costs as much as all the rest: it is skipped, unless it is one of
  // the two rarest words of the question (a two-word question still counts both).
  terms.sort((a, b) => a.df - b.df);
  for (let k = 0; k < terms.length; k++) {
    const { qtf, post, df } = terms[k];
    if (k >= 2 && df * 2 > cut) break;
    const idf = Math.log(1 + (cut - df + 0.5) / (df + 0.5));
    for (let i = 0; i < df; i++) {
      const d = post.docs[i];
      if (!isContribution(ix.docKind[d]) || (filter && !filter(d))) continue;
      const tf = post.tfs[i];
      const s = (qtf * idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * ix.docLen[d]) / avgdl));
      scores.set(d, (scores.get(d) ?? 0) + s);
    }
  }
  return scores;
}

/** Inverse document frequency of a tag among the docs before the cut (0 when unseen). */
export function tagIdf(ix: EvidenceIndex, tag: string, cut: number): number {
  const list = ix.tagDocs.get(tag);
  const df = list ? EvidenceIndex.countBefore(list, cut) : 0;
  return df > 0 ? Math.log(1 + cut / df) : 0;
}

/** Computes every feature for every person with evidence before the question. */
/** Per person: who had evidence before the cut, and the two time-decayed activity sums. */
export type ActivityTable = { at: number; cut: number; persons: number[]; activity: Float64Array; recent: Float64Array };

/** The activity features, which do not depend on the question's words: one pass over the evidence. */
export function activityFeatures(ix: EvidenceIndex, at: number, p: EvidenceParams, filter?: (d: number) => boolean): ActivityTable {
  const cut = ix.cutoff(at);
  const nP = ix.people.length;
  const activity = new Float64Array(nP);
  const recent = new Float64Array(nP);
  const seen = new Uint8Array(nP);
  const persons: number[] = [];
  const kRecent = Math.LN2 / (DAY * p.activityHalfLifeDays);
  for (let d = 0; d < cut; d++) {
    if (filter && !filter(d)) continue;
    const person = ix.docPerson[d];
    if (!seen[person]) {
      seen[person] = 1;
      persons.push(person);
    }
    if (!isContribution(ix.docKind[d])) continue;
    activity[person] += docWeight(ix, d, at, p);
    recent[person] += Math.exp(-Math.max(0, at - ix.docAt[d]) * kRecent);
  }
  return { at, cut, persons, activity, recent };
}

/**
 * The same table as of a later time, without a pass over the evidence: when nothing was added
 * in between, every term of both sums only decays, so each sum scales by one factor. Exact as
 * long as all evidence and signals were older than `base.at` (the caller checks).
 */
export function decayActivity(base: ActivityTable, at: number, p: EvidenceParams): ActivityTable {
  const dt = Math.max(0, at - base.at) / DAY;
  const fa = Math.pow(0.5, dt / p.halfLifeDays);
  const fr = Math.pow(0.5, dt / p.activityHalfLifeDays);
  const activity = new Float64Array(base.activity.length);
  const recent = new Float64Array(base.recent.length);
  for (const person of base.persons) {
    activity[person] = base.activity[person] * fa;
    recent[person] = base.recent[person] * fr;
  }
  return { at, cut: base.cut, persons: base.persons, activity, recent };
}

/** Computes every feature for every person with evidence before the question. */
export function computeFeatures(ix: EvidenceIndex, q: RoutingQuestion, p: EvidenceParams, filter?: (d: number) => boolean, activityTable?: ActivityTable): FeatureTable {
  const act = activityTable ?? activityFeatures(ix, q.at, p, filter);
  const cut = act.cut;
  const nP = ix.people.length;
  const values = {} as Record<FeatureName, Float64Array>;
  for (const f of FEATURE_NAMES) values[f] = new Float64Array(nP);
  values.activity = act.activity;
  values.recent = act.recent;
  const persons = act.persons;
  const declined = new Float64Array(nP);
  const countedDecline = new Set<number>();
  for (const tag of new Set(q.tags.map((t) => t.toLowerCase()))) {
    const idf = tagIdf(ix, tag, cut);
    const list = ix.tagDocs.get(tag) ?? [];
    const n = EvidenceIndex.countBefore(list, cut);
    for (let i = 0; i < n; i++) {
      const d = list[i];
      if (filter && !filter(d)) continue;
      const kind = ix.docKind[d];
      if (kind === "decline") {
        // Counted once per declined question, however many tags it shares.
        if (!countedDecline.has(d)) declined[ix.docPerson[d]] += docWeight(ix, d, q.at, p);
        countedDecline.add(d);
        continue;
      }
      const w = idf * docWeight(ix, d, q.at, p);
      if (isContribution(kind)) values.tag[ix.docPerson[d]] += w;
      else values.asked[ix.docPerson[d]] += w;
    }
  }
  // Document model: each person's best few matching documents, so volume alone cannot win.
  const perPerson = new Map<number, number[]>();
  const docText = new Map<number, number>();
  for (const [d, s] of docTextScores(ix, q.text, cut, filter)) {
    const person = ix.docPerson[d];
    const list = perPerson.get(person) ?? [];
    const w = s * docWeight(ix, d, q.at, p);
    docText.set(d, w);
    list.push(w);
    perPerson.set(person, list);
  }
  for (const [person, list] of perPerson) {
    list.sort((a, b) => b - a);
    let sum = 0;
    for (let i = 0; i < Math.min(p.topDocs, list.length); i++) sum += list[i];
    values.text[person] = sum;
  }
  return { persons, values, cut, docText, declined };
}
