import { EvidenceIndex, isStanding, type Posting } from "./evidence-index";
import { termFrequencies, tokenize } from "./tokens";
import type { RoutingQuestion } from "./types";

const DAY = 86_400_000;
/** Idle time of someone who never contributed: far beyond any half-life. */
const NEVER_DAYS = 10_000;
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

export const FEATURE_NAMES = [
  "text",
  "tag",
  "activity",
  "recent",
  "asked",
  "textAvg",
  "textRecent",
  "tagProfile",
  "day",
  "week",
  "month",
  "helped",
  "idle",
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

/**
 * Activity time scales of the learned ranker, in days: a day (online now), a week, a month. Which
 * matter how much is left to the weights fitted on the site's own past.
 */
const ACTIVITY_SCALES_DAYS = { day: 1, week: 7, month: 30 } as const;
/** Half-life of the "on this topic lately" text feature: a week, like the week activity scale. */
const TEXT_RECENT_HALF_LIFE_DAYS = 7;

/** Raw feature values per person index, for the people who had evidence before the question. */
export type FeatureTable = {
  persons: number[];
  /** Per person index: 1 when the person contributed (answered, wrote, endorsed) before the question. */
  contributor: Uint8Array;
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
export function docWeight(
  ix: EvidenceIndex,
  d: number,
  t: number,
  p: EvidenceParams,
  halfLifeDays = p.halfLifeDays,
): number {
  const kind = ix.docKind[d];
  // Who someone is (job title, named contact) stays true while it is in the database: no decay.
  if (isStanding(kind)) return ix.docStrength[d];
  // 0.5^(age / half-life), written with exp (the hot path of every ranking).
  const decay = Math.exp((-Math.LN2 * Math.max(0, t - ix.docAt[d])) / (DAY * halfLifeDays));
  if (!isContribution(kind)) return decay;
  const v = ix.votesAt(d, t);
  const accepted = ix.docAcceptedAt[d] < t ? 1 : 0;
  const quality = 1 + p.acceptedBoost * accepted + p.voteBoost * Math.sign(v) * Math.log1p(Math.abs(v));
  // A heavily down-voted answer is weak evidence, never negative evidence.
  return Math.max(0.1, quality) * decay * ix.docStrength[d];
}

/** BM25 score of every contribution doc before the cut that shares a term with the query. */
function docTextScores(
  ix: EvidenceIndex,
  text: string,
  cut: number,
  filter?: (d: number) => boolean,
): Map<number, number> {
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
    // Squared: a rare, specific word (tachograph) outweighs a common one (hours) more than plain BM25 does.
    const idf = Math.log(1 + (cut - df + 0.5) / (df + 0.5)) ** 2;
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

/**
 * Per person, everything that does not depend on the question's words: who had evidence before the
 * cut, the time-decayed activity sums at several scales, the decayed tag mass, contribution counts
 * and the time of the last contribution. One pass over the evidence.
 */
export type ActivityTable = {
  at: number;
  cut: number;
  persons: number[];
  contributor: Uint8Array;
  count: Float64Array;
  lastAt: Float64Array;
  contributors: number;
  /** Sums that only decay with time (each by its own half-life), so they can be moved forward. */
  decayed: {
    activity: Float64Array;
    recent: Float64Array;
    day: Float64Array;
    week: Float64Array;
    month: Float64Array;
    tagMass: Float64Array;
  };
  allTagMass: number;
};

export function activityFeatures(
  ix: EvidenceIndex,
  at: number,
  p: EvidenceParams,
  filter?: (d: number) => boolean,
): ActivityTable {
  const cut = ix.cutoff(at);
  const nP = ix.people.length;
  const arr = () => new Float64Array(nP);
  const decayed = { activity: arr(), recent: arr(), day: arr(), week: arr(), month: arr(), tagMass: arr() };
  const seen = new Uint8Array(nP);
  const contributor = new Uint8Array(nP);
  const count = arr();
  const lastAt = arr().fill(-Infinity);
  const persons: number[] = [];
  let allTagMass = 0;
  let contributors = 0;
  const k = (days: number) => Math.LN2 / (DAY * days);
  const kRecent = k(p.activityHalfLifeDays);
  const kDay = k(ACTIVITY_SCALES_DAYS.day);
  const kWeek = k(ACTIVITY_SCALES_DAYS.week);
  const kMonth = k(ACTIVITY_SCALES_DAYS.month);
  const kHalf = k(p.halfLifeDays);
  for (let d = 0; d < cut; d++) {
    if (filter && !filter(d)) continue;
    const person = ix.docPerson[d];
    if (!seen[person]) {
      seen[person] = 1;
      persons.push(person);
    }
    if (!isContribution(ix.docKind[d])) continue;
    if (!contributor[person]) {
      contributor[person] = 1;
      contributors++;
    }
    // Activity is what people did: a job title or a declared skill is not.
    if (isStanding(ix.docKind[d])) continue;
    const age = Math.max(0, at - ix.docAt[d]);
    decayed.activity[person] += docWeight(ix, d, at, p);
    decayed.recent[person] += Math.exp(-age * kRecent);
    decayed.day[person] += Math.exp(-age * kDay);
    decayed.week[person] += Math.exp(-age * kWeek);
    decayed.month[person] += Math.exp(-age * kMonth);
    const mass = Math.exp(-age * kHalf) * ix.docTags[d].length;
    decayed.tagMass[person] += mass;
    allTagMass += mass;
    count[person]++;
    lastAt[person] = ix.docAt[d];
  }
  return { at, cut, persons, contributor, count, lastAt, contributors, decayed, allTagMass };
}

/**
 * The same table as of a later time, without a pass over the evidence: when nothing was added in
 * between, every term of each decayed sum only decays, so each sum scales by one factor. Exact as
 * long as all evidence and signals were older than `base.at` (the caller checks).
 */
export function decayActivity(base: ActivityTable, at: number, p: EvidenceParams): ActivityTable {
  const dt = Math.max(0, at - base.at) / DAY;
  const f = (days: number) => Math.pow(0.5, dt / days);
  const factors = {
    activity: f(p.halfLifeDays),
    recent: f(p.activityHalfLifeDays),
    day: f(ACTIVITY_SCALES_DAYS.day),
    week: f(ACTIVITY_SCALES_DAYS.week),
    month: f(ACTIVITY_SCALES_DAYS.month),
    tagMass: f(p.halfLifeDays),
  };
  const decayed = {} as ActivityTable["decayed"];
  for (const key of Object.keys(factors) as (keyof ActivityTable["decayed"])[]) {
    const src = base.decayed[key];
    const out = new Float64Array(src.length);
    for (const person of base.persons) out[person] = src[person] * factors[key];
    decayed[key] = out;
  }
  return { ...base, at, decayed, allTagMass: base.allTagMass * factors.tagMass };
}

/** Computes every feature for every person with evidence before the question. */
export function computeFeatures(
  ix: EvidenceIndex,
  q: RoutingQuestion,
  p: EvidenceParams,
  filter?: (d: number) => boolean,
  activityTable?: ActivityTable,
): FeatureTable {
  const act = activityTable ?? activityFeatures(ix, q.at, p, filter);
  const cut = act.cut;
  const nP = ix.people.length;
  const values = {} as Record<FeatureName, Float64Array>;
  for (const f of FEATURE_NAMES) values[f] = new Float64Array(nP);
  values.activity = act.decayed.activity;
  values.recent = act.decayed.recent;
  values.day = act.decayed.day;
  values.week = act.decayed.week;
  values.month = act.decayed.month;
  const { persons, contributor, count, lastAt } = act;
  const tagMass = act.decayed.tagMass;
  const allTagMass = act.allTagMass;
  const declined = new Float64Array(nP);
  const countedDecline = new Set<number>();
  for (const person of persons)
    values.idle[person] =
      contributor[person] && Number.isFinite(lastAt[person]) ? Math.max(0, q.at - lastAt[person]) / DAY : NEVER_DAYS;
  // Tag profile: log-likelihood ratio of the question's tags under the person's (decayed) tag
  // distribution against the site's, Dirichlet-smoothed with mu = the average tag mass per contributor.
  const mu = act.contributors > 0 ? allTagMass / act.contributors : 1;
  for (const tag of new Set(q.tags.map((t) => t.toLowerCase()))) {
    const idf = tagIdf(ix, tag, cut);
    const tagCount = new Float64Array(nP);
    const touched: number[] = [];
    let tagTotal = 0;
    const kTag = Math.LN2 / (DAY * p.halfLifeDays);
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
      const person = ix.docPerson[d];
      const w = idf * docWeight(ix, d, q.at, p);
      if (isContribution(kind)) {
        values.tag[person] += w;
        const decay = Math.exp(-Math.max(0, q.at - ix.docAt[d]) * kTag);
        if (tagCount[person] === 0) touched.push(person);
        tagCount[person] += decay;
        tagTotal += decay;
      } else values.asked[person] += w;
    }
    if (tagTotal > 0 && allTagMass > 0) {
      const background = tagTotal / allTagMass;
      for (const person of touched)
        values.tagProfile[person] += Math.log(
          (tagCount[person] + mu * background) / (tagMass[person] + mu) / background,
        );
    }
  }
  // People who helped this asker before (answered their earlier questions), decayed like evidence.
  if (q.askerId !== undefined) {
    const asker = ix.personIndex.get(q.askerId);
    const list = asker === undefined ? undefined : ix.answersToAsker.get(asker);
    if (list) {
      const n = EvidenceIndex.countBefore(list, cut);
      for (let i = 0; i < n; i++)
        if (!filter || filter(list[i])) values.helped[ix.docPerson[list[i]]] += docWeight(ix, list[i], q.at, p);
    }
  }
  // Document model: each person's best few matching documents, so volume alone cannot win.
  // Each person's best `topDocs` weighted matches, kept in a small sorted slot per person (no arrays per person).
  const K = Math.max(1, p.topDocs);
  const best = new Float64Array(nP * K);
  const matched: number[] = [];
  const seenText = new Uint8Array(nP);
  const kTextRecent = Math.LN2 / (DAY * TEXT_RECENT_HALF_LIFE_DAYS);
  // The BM25 scores are turned into weighted matches in place (the map is also the reasons' lookup).
  // The question's tags are words of the question too ("payroll" finds the Payroll Specialist).
  const query = q.tags.length ? `${q.text}\n${q.tags.map((t) => t.replace(/[-_]/g, " ")).join(" ")}` : q.text;
  const docText = docTextScores(ix, query, cut, filter);
  for (const [d, s] of docText) {
    const person = ix.docPerson[d];
    const w = s * docWeight(ix, d, q.at, p);
    docText.set(d, w);
    if (!seenText[person]) {
      seenText[person] = 1;
      matched.push(person);
    }
    // Insert w into the person's descending top-K slot.
    const base = person * K;
    if (w > best[base + K - 1]) {
      let j = K - 1;
      while (j > 0 && best[base + j - 1] < w) {
        best[base + j] = best[base + j - 1];
        j--;
      }
      best[base + j] = w;
    }
    // Average match over all the person's contributions (document-centric expert model with a
    // uniform p(doc | person)), and match with what they wrote in the last week or so.
    values.textAvg[person] += w;
    values.textRecent[person] += s * Math.exp(-Math.max(0, q.at - ix.docAt[d]) * kTextRecent);
  }
  for (const person of matched) {
    values.textAvg[person] /= count[person] + 1;
    let sum = 0;
    for (let i = 0; i < Math.min(K, p.topDocs); i++) sum += best[person * K + i];
    values.text[person] = sum;
  }
  return { persons, contributor, values, cut, docText, declined };
}
