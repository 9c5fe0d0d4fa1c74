import type { RankedExpert } from "./types";

export type Scored = { personId: string; score: number; tie: number };

/** Orders candidates by score, then by the tie-breaker, then by id, keeping the best `limit`. */
export function topK(cands: Scored[], limit: number, exclude?: ReadonlySet<string>): Scored[] {
  const kept = exclude && exclude.size > 0 ? cands.filter((c) => !exclude.has(c.personId)) : cands;
  kept.sort(
    (a, b) => b.score - a.score || b.tie - a.tie || (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0),
  );
  return kept.slice(0, Math.max(0, limit));
}

/** Wraps scored candidates as results without reasons. */
export function asRanked(list: Scored[]): RankedExpert[] {
  return list.map((c) => ({ personId: c.personId, score: c.score, reasons: [] }));
}
