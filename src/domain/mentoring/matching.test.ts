import { describe, expect, it } from "vitest";
import { mulberry32 } from "../random";
import { greedyMatch, matchMentors, MatchingError, type MatchingProblem } from "./matching";

/** The lexicographic optimum (most matched, then greatest total in millionths) by trying every assignment. */
function bruteForce(p: MatchingProblem): { matched: number; total: number } {
  const m = p.capacities.length;
  const seats = p.capacities.slice();
  let best = { matched: -1, total: -1 };
  const pinned = new Map(p.pinned ?? []);
  const walk = (i: number, matched: number, total: number) => {
    if (i === p.mentees) {
      if (matched > best.matched || (matched === best.matched && total > best.total)) best = { matched, total };
      return;
    }
    const forced = pinned.get(i);
    if (forced === undefined) walk(i + 1, matched, total);
    for (let j = 0; j < m; j++) {
      if (forced !== undefined && j !== forced) continue;
      const q = p.quality[i * m + j];
      if (!(q >= 0) || seats[j] === 0) continue;
      seats[j]--;
      walk(i + 1, matched + 1, total + Math.round(q * 1e6));
      seats[j]++;
    }
  };
  walk(0, 0, 0);
  return { matched: best.matched, total: best.total / 1e6 };
}

function randomProblem(rand: () => number, n: number, m: number, forbidShare: number): MatchingProblem {
  const quality = Array.from({ length: n * m }, () => (rand() < forbidShare ? NaN : Math.round(rand() * 100) / 100));
  const capacities = Array.from({ length: m }, () => Math.floor(rand() * 3));
  return { mentees: n, capacities, quality };
}

const valid = (p: MatchingProblem, mentorOf: (number | null)[]) => {
  const used = new Array(p.capacities.length).fill(0);
  mentorOf.forEach((j, i) => {
    if (j === null) return;
    expect(p.quality[i * p.capacities.length + j]).toBeGreaterThanOrEqual(0);
    used[j]++;
  });
  used.forEach((u, j) => expect(u).toBeLessThanOrEqual(p.capacities[j]));
};

describe("optimal mentor matching", () => {
  it("beats greedy where greedy is trapped: the best pair is not part of the best assignment", () => {
    // Mentee 0 is great with mentor 0 and fair with 1; mentee 1 only fits mentor 0.
    const p: MatchingProblem = { mentees: 2, capacities: [1, 1], quality: [0.9, 0.5, 0.8, NaN] };
    expect(greedyMatch(p)).toMatchObject({ matched: 1, total: 0.9 });
    expect(matchMentors(p)).toMatchObject({ mentorOf: [1, 0], matched: 2, total: 1.3 });
  });

  it("prefers more mentees matched over a higher total, then the higher total", () => {
    const p: MatchingProblem = { mentees: 3, capacities: [2], quality: [1, 0.1, 0.2] };
    expect(matchMentors(p)).toMatchObject({ mentorOf: [0, null, 0], matched: 2, total: 1.2 });
  });

  it("respects capacities, forbidden pairs and pins", () => {
    const p: MatchingProblem = {
      mentees: 4,
      capacities: [1, 2, 0],
      quality: [0.9, 0.1, 1, 0.8, 0.7, 1, NaN, 0.6, 1, 0.5, 0.5, 1],
      pinned: [[3, 0]],
    };
    const r = matchMentors(p);
    valid(p, r.mentorOf);
    expect(r.mentorOf[3]).toBe(0);
    expect(r.mentorOf[2]).toBe(1); // mentee 2 may not have mentor 0, and mentor 2 has no seats
    expect(r).toMatchObject(bruteForce(p));
  });

  it("refuses impossible pins and malformed input with a clear reason", () => {
    const p: MatchingProblem = { mentees: 2, capacities: [1], quality: [0.5, NaN] };
    expect(() => matchMentors({ ...p, pinned: [[1, 0]] })).toThrow(/forbidden/);
    expect(() =>
      matchMentors({
        ...p,
        pinned: [
          [0, 0],
          [0, 0],
        ],
      }),
    ).toThrow(MatchingError);
    expect(() => matchMentors({ ...p, quality: [0.5] })).toThrow(/mentees × mentors/);
    expect(() => matchMentors({ ...p, capacities: [1.5] })).toThrow(/whole number/);
    expect(() => matchMentors({ ...p, quality: [2, 0] })).toThrow(/at most 1/);
  });

  it("equals the brute-force optimum on 400 random small problems, also when the first candidates are too few", () => {
    const rand = mulberry32(7);
    for (let t = 0; t < 400; t++) {
      const n = 1 + Math.floor(rand() * 6);
      const m = 1 + Math.floor(rand() * 4);
      const p = randomProblem(rand, n, m, t % 3 === 0 ? 0.4 : 0.1);
      if (t % 5 === 0) {
        const i = Math.floor(rand() * n);
        const j = Math.floor(rand() * m);
        if (p.quality[i * m + j] >= 0 && p.capacities[j] > 0) p.pinned = [[i, j]];
      }
      const expected = bruteForce(p);
      // candidates: 1 forces pricing rounds; the default solves it in one.
      for (const candidates of [1, undefined]) {
        const r = matchMentors({ ...p, candidates });
        valid(p, r.mentorOf);
        expect({ matched: r.matched, total: r.total }, `problem ${t}`).toEqual(expected);
      }
    }
  });

  it("never does worse than greedy on larger problems", () => {
    const rand = mulberry32(11);
    for (let t = 0; t < 20; t++) {
      const p = randomProblem(rand, 60, 20, 0.2);
      const r = matchMentors(p);
      const g = greedyMatch(p);
      valid(p, r.mentorOf);
      expect(r.matched).toBeGreaterThanOrEqual(g.matched);
      if (r.matched === g.matched) expect(r.total).toBeGreaterThanOrEqual(g.total - 1e-9);
    }
  });
});
