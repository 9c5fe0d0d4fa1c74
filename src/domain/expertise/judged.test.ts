import { describe, expect, it } from "vitest";
import { scoreJudged, wordOverlapRanking } from "./judged";

describe("scoreJudged", () => {
  it("counts P@1, the top-3 hit rate and MRR over the first expected person, and lists the misses", () => {
    const m = scoreJudged([
      { id: "a", expected: ["x"], ranking: ["x", "y", "z"] },
      { id: "b", expected: ["y", "w"], ranking: ["x", "y", "z"] },
      { id: "c", expected: ["z"], ranking: ["x", "y", "v", "z"] },
      { id: "d", expected: ["q"], ranking: ["x"] },
    ]);
    expect(m.n).toBe(4);
    expect(m.pAt1).toBe(0.25);
    expect(m.top3).toBe(0.5);
    expect(m.mrr).toBeCloseTo((1 + 1 / 2 + 1 / 4 + 0) / 4, 12);
    expect(m.misses).toEqual([
      { id: "b", firstHit: 2 },
      { id: "c", firstHit: 4 },
      { id: "d", firstHit: 0 },
    ]);
  });

  it("is zero on no questions and on empty rankings", () => {
    expect(scoreJudged([])).toEqual({ n: 0, pAt1: 0, top3: 0, mrr: 0, misses: [] });
    expect(scoreJudged([{ id: "a", expected: ["x"], ranking: [] }]).mrr).toBe(0);
  });
});

describe("wordOverlapRanking", () => {
  it("ranks by distinct shared (stemmed) words, then by the size of what they wrote, leaving out the excluded", () => {
    const writings = new Map([
      ["ana", ["Tachograph downloads every 28 days", "Checking tachographs weekly"]],
      ["bo", ["Agency hours accrual at month-end"]],
      ["cy", ["Drivers' hours: daily rest and tachograph rules for drivers"]],
      ["dee", ["Packing station layout"]],
    ]);
    expect(wordOverlapRanking("tachograph drivers hours", writings)).toEqual(["cy", "ana", "bo"]);
    expect(wordOverlapRanking("tachograph drivers hours", writings, new Set(["cy"]))).toEqual(["ana", "bo"]);
    expect(wordOverlapRanking("the and of", writings)).toEqual([]);
  });
});
