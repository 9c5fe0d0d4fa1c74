import { describe, expect, it } from "vitest";
import { ExpertiseModel } from "./model";
import type { Evidence } from "./types";

const DAY = 86_400_000;

/** A site where each asker is always helped by the same colleague; h1's asker asks the most. */
function history(): Evidence[] {
  const out: Evidence[] = [];
  const askers = ["a1", "a1", "a1", "a2", "a3", "a4"];
  for (let i = 0; i < 90; i++) {
    const asker = askers[i % askers.length];
    const helper = `h${asker.slice(1)}`;
    const at = i * 0.5 * DAY;
    out.push({
      id: `q${i}`,
      personId: asker,
      kind: "question",
      at,
      title: `Invoice question ${i}`,
      text: "How do I book this supplier invoice?",
      tags: ["invoices"],
    });
    out.push({
      id: `a${i}`,
      personId: helper,
      kind: "answer",
      at: at + 0.1 * DAY,
      title: `Invoice question ${i}`,
      text: "Book the supplier invoice in the ledger.",
      tags: ["invoices"],
      questionId: `q${i}`,
    });
  }
  return out;
}

const question = { text: "How do I book a supplier invoice?", tags: ["invoices"], at: 50 * DAY, askerId: "a3" };

describe("online-learned expert ranking", () => {
  it("learns from earlier answered questions which features matter (here: who helped this asker before)", () => {
    const fixed = new ExpertiseModel({ learn: false });
    // The learned weights alone (no blend with the hand-set prior), to see what was learned.
    const learned = new ExpertiseModel({
      blend: 0,
      learner: {
        minOccasions: 20,
        refitEvery: 10,
        refitShare: 0,
        maxOccasions: 1000,
        maxAlternatives: 50,
        l2: 1e-2,
        fitDuringRank: true,
      },
    });
    for (const e of history()) {
      fixed.add(e);
      learned.add(e);
    }
    expect(fixed.rank(question, { limit: 3, exclude: new Set(["a3"]) })[0].personId).toBe("h1");
    const ranked = learned.rank(question, { limit: 3, exclude: new Set(["a3"]), reasons: 2 });
    expect(ranked[0].personId).toBe("h3");
    expect(ranked[0].reasons.length).toBeGreaterThan(0);
  });

  it("uses only answers from before the question, whatever was added later", () => {
    const params = {
      learner: {
        minOccasions: 20,
        refitEvery: 10,
        refitShare: 0,
        maxOccasions: 1000,
        maxAlternatives: 50,
        l2: 1e-2,
        fitDuringRank: true,
      },
    };
    const past = new ExpertiseModel(params);
    const all = new ExpertiseModel(params);
    const earlier = { ...question, at: 30 * DAY };
    for (const e of history()) {
      if (e.at < earlier.at) past.add(e);
      all.add(e);
    }
    // Later: h2 answers everything a3 asks.
    for (let i = 0; i < 30; i++) {
      const at = 46 * DAY + i * 0.1 * DAY;
      all.add({
        id: `lq${i}`,
        personId: "a3",
        kind: "question",
        at,
        title: "Invoice",
        text: "supplier invoice booking",
        tags: ["invoices"],
      });
      all.add({
        id: `la${i}`,
        personId: "h2",
        kind: "answer",
        at: at + 0.01 * DAY,
        title: "Invoice",
        text: "supplier invoice booking",
        tags: ["invoices"],
        questionId: `lq${i}`,
      });
    }
    const opts = { limit: 6, exclude: new Set(["a3"]) };
    all.rank(question, opts); // a fit as of a later time must not be reused for an earlier question
    expect(all.rank(earlier, opts)).toEqual(past.rank(earlier, opts));
  });
});

describe("learning on a live server", () => {
  it("fits in the background with the same result as fitting during ranking, and ranks with fixed weights until then", async () => {
    const learner = {
      minOccasions: 20,
      refitEvery: 10,
      refitShare: 0,
      maxOccasions: 1000,
      maxAlternatives: 50,
      l2: 1e-2,
    };
    const replay = new ExpertiseModel({ blend: 0, learner: { ...learner, fitDuringRank: true } });
    const live = new ExpertiseModel({ blend: 0, learner: { ...learner, fitDuringRank: false } });
    for (const e of history()) {
      replay.add(e);
      live.add(e);
    }
    expect(live.learnedWeights).toBeUndefined();
    expect(live.rank(question, { limit: 1, exclude: new Set(["a3"]) })[0].personId).toBe("h1");
    await live.fitLearned(question.at);
    expect(live.rank(question, { limit: 3, exclude: new Set(["a3"]) }).map((r) => r.personId)).toEqual(
      replay.rank(question, { limit: 3, exclude: new Set(["a3"]) }).map((r) => r.personId),
    );
    // A rebuilt model starts from the weights learned before.
    const rebuilt = new ExpertiseModel({ blend: 0, learner: { ...learner, fitDuringRank: false } });
    for (const e of history()) rebuilt.add(e);
    rebuilt.useLearnedWeights(live.learnedWeights);
    expect(rebuilt.rank(question, { limit: 1, exclude: new Set(["a3"]) })[0].personId).toBe("h3");
  });
});
