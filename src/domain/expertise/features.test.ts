import { describe, expect, it } from "vitest";
import { EvidenceIndex } from "./evidence-index";
import { computeFeatures } from "./features";
import { DEFAULT_PARAMS } from "./model";
import type { Evidence } from "./types";

const DAY = 86_400_000;
const ev = (e: Partial<Evidence> & Pick<Evidence, "id" | "personId" | "kind">, day: number): Evidence => ({
  at: day * DAY,
  text: "ledger invoice",
  tags: ["invoices"],
  ...e,
});

function index(): EvidenceIndex {
  const ix = new EvidenceIndex();
  ix.add(ev({ id: "q1", personId: "ann", kind: "question" }, 1));
  ix.add(ev({ id: "a1", personId: "bo", kind: "answer", questionId: "q1" }, 2));
  ix.add(ev({ id: "q2", personId: "cat", kind: "question" }, 3));
  ix.add(
    ev({ id: "a2", personId: "dan", kind: "answer", questionId: "q2", tags: ["travel"], text: "trip booking" }, 4),
  );
  ix.add(ev({ id: "a3", personId: "bo", kind: "answer", questionId: "q2" }, 40));
  return ix;
}

describe("expert features", () => {
  it("counts who helped this asker before, and only before the question", () => {
    const ix = index();
    const bo = ix.personIndex.get("bo")!;
    const dan = ix.personIndex.get("dan")!;
    const f = computeFeatures(
      ix,
      { text: "invoice", tags: ["invoices"], at: 10 * DAY, askerId: "ann" },
      DEFAULT_PARAMS,
    );
    expect(f.values.helped[bo]).toBeGreaterThan(0);
    expect(f.values.helped[dan]).toBe(0);
    expect(
      computeFeatures(ix, { text: "invoice", tags: ["invoices"], at: 10 * DAY }, DEFAULT_PARAMS).values.helped[bo],
    ).toBe(0);
    // bo's second answer (day 40) is after the question: it is neither activity nor help.
    expect(f.values.idle[bo]).toBeCloseTo(8, 6);
    expect(f.values.day[bo]).toBeCloseTo(Math.pow(0.5, 8), 6);
  });

  it("gives a person whose answers are on the question's tag a higher tag profile than one whose are not", () => {
    const ix = index();
    const f = computeFeatures(ix, { text: "invoice", tags: ["invoices"], at: 10 * DAY }, DEFAULT_PARAMS);
    expect(f.values.tagProfile[ix.personIndex.get("bo")!]).toBeGreaterThan(
      f.values.tagProfile[ix.personIndex.get("dan")!],
    );
    expect(f.contributor[ix.personIndex.get("ann")!]).toBe(0);
    expect(f.contributor[ix.personIndex.get("bo")!]).toBe(1);
  });
});
