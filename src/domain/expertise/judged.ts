import { tokenize } from "./tokens";

/** One judged question: the people who truly should be asked (best first) and the ranking produced. */
export type JudgedCase = { id: string; expected: readonly string[]; ranking: readonly string[] };

export type JudgedMetrics = {
  n: number;
  /** Share of questions whose top person is one of the expected people. */
  pAt1: number;
  /** Share of questions with an expected person among the first three. */
  top3: number;
  /** Mean reciprocal rank of the first expected person (0 when none is ranked). */
  mrr: number;
  /** Questions whose top person is not expected, in input order, with the first expected person's rank (0: none). */
  misses: { id: string; firstHit: number }[];
};

/** P@1, Top-3 hit rate and MRR of rankings against judged experts. */
export function scoreJudged(cases: readonly JudgedCase[]): JudgedMetrics {
  let p1 = 0;
  let t3 = 0;
  let rr = 0;
  const misses: JudgedMetrics["misses"] = [];
  for (const c of cases) {
    const expected = new Set(c.expected);
    const i = c.ranking.findIndex((p) => expected.has(p));
    if (i === 0) p1++;
    else misses.push({ id: c.id, firstHit: i + 1 });
    if (i >= 0 && i < 3) t3++;
    if (i >= 0) rr += 1 / (i + 1);
  }
  const n = cases.length;
  return { n, pAt1: n ? p1 / n : 0, top3: n ? t3 / n : 0, mrr: n ? rr / n : 0, misses };
}

/**
 * A simple baseline: people ranked by how many distinct words of the question (stemmed, without
 * stopwords) occur in what they wrote (their articles and answers); ties by the amount they wrote,
 * then by id. People sharing no word are left out.
 */
export function wordOverlapRanking(
  question: string,
  writings: ReadonlyMap<string, readonly string[]>,
  exclude: ReadonlySet<string> = new Set(),
): string[] {
  const words = new Set(tokenize(question));
  const scored: { id: string; shared: number; size: number }[] = [];
  for (const [id, texts] of writings) {
    if (exclude.has(id)) continue;
    const theirs = new Set(texts.flatMap((t) => tokenize(t)));
    let shared = 0;
    for (const w of words) if (theirs.has(w)) shared++;
    if (shared > 0) scored.push({ id, shared, size: theirs.size });
  }
  scored.sort((a, b) => b.shared - a.shared || b.size - a.size || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return scored.map((s) => s.id);
}
