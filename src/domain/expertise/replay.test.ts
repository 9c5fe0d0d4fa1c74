import { describe, expect, it } from "vitest";
import { replayRouting, type ReplayAnswer, type ReplayQuestion } from "./replay";

const DAY = 86_400_000;
const q = (
  id: string,
  day: number,
  asker: string,
  tags: string[],
  text: string,
  acceptedAnswerId?: string,
): ReplayQuestion => ({ id, at: day * DAY, asker, title: text, body: text, tags, acceptedAnswerId });
const a = (id: string, day: number, author: string, questionId: string, body: string): ReplayAnswer => ({
  id,
  at: day * DAY,
  author,
  questionId,
  body,
});

const questions = [
  q("1", 1, "u1", ["wallet"], "How do I restore a wallet from a seed phrase?", "a1"),
  q("2", 2, "u2", ["plutus"], "Plutus validator fails with budget exceeded", "a2"),
  q("3", 3, "u3", ["wallet"], "Wallet shows zero balance after restore", "a3"),
  q("4", 10, "u4", ["plutus"], "Plutus script budget exceeded on mainnet", "a4"),
];
const answers = [
  a("a1", 1.5, "wally", "1", "Restore the wallet with the recovery phrase in the wallet settings."),
  a("a2", 2.5, "pluto", "2", "The plutus validator budget is exceeded: optimise the script."),
  a("a3", 3.5, "wally", "3", "The wallet resyncs after restore; wait for the balance."),
  a("a4", 10.5, "pluto", "4", "Budget exceeded again: profile the plutus script."),
];

describe("routing replay", () => {
  it("ranks past answerers on the topic first, without the asker", () => {
    const r = replayRouting(questions, answers, { testFraction: 0.25 });
    expect(r.testQuestions).toBe(1);
    expect(r.rankings).toEqual([{ questionId: "4", people: expect.arrayContaining(["pluto"]) }]);
    expect(r.rankings[0].people[0]).toBe("pluto");
    expect(r.rankings[0].people).not.toContain("u4");
    const knowhow = r.metrics.find((m) => m.name === "knowhow")!;
    expect(knowhow.test).toMatchObject({ pAt1: 1, mrr: 1, nAccepted: 1 });
    expect(r.metrics.map((m) => m.name)).toEqual(["knowhow", "most-active", "tag-overlap", "bm25-profile"]);
  });

  it("never lets anything created at or after the question influence its ranking", () => {
    const base = replayRouting(questions, answers, { testFraction: 0.25 }).rankings;
    // A flood of later answers by someone else on the same topic, and a same-instant one.
    const later = [
      ...answers,
      ...Array.from({ length: 20 }, (_, i) =>
        a(`x${i}`, 11 + i, "latecomer", "2", "plutus budget exceeded plutus script budget"),
      ),
      a("y", 10, "instant", "2", "plutus budget exceeded"),
    ];
    expect(replayRouting(questions, later, { testFraction: 0.25 }).rankings).toEqual(base);
    expect(base[0].people).not.toContain("latecomer");
  });
});
