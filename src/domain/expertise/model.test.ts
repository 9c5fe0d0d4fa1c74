import { describe, expect, it } from "vitest";
import { ExpertiseModel } from "./model";
import type { Evidence } from "./types";

const DAY = 86_400_000;
const ev = (
  id: string,
  day: number,
  personId: string,
  kind: Evidence["kind"],
  title: string,
  tags: string[],
): Evidence => ({ id, personId, kind, at: day * DAY, title, text: title, tags });

function model(extra: Evidence[] = []): ExpertiseModel {
  const m = new ExpertiseModel();
  const all = [
    ev("a1", 1, "ana", "answer", "Customs declaration for pallets to Norway", ["customs"]),
    ev("a2", 2, "ana", "accepted_answer", "Customs broker paperwork for Swiss exports", ["customs"]),
    ev("a3", 3, "ben", "answer", "Customs tariff codes for spare parts", ["customs"]),
    ev("a4", 4, "cy", "article", "Forklift battery charging routine", ["warehouse"]),
    ...extra,
  ].sort((a, b) => a.at - b.at);
  for (const e of all) m.add(e);
  return m;
}

const question = { text: "customs paperwork for a pallet to Norway", tags: ["customs"], at: 10 * DAY };

describe("expertise model", () => {
  it("explains each ranked person with the evidence that weighs most, strongest first", () => {
    const [first, second] = model().rank(question, { limit: 5, reasons: 3 });
    expect(first.personId).toBe("ana");
    expect(first.reasons.map((r) => r.evidenceIds?.[0])).toEqual(expect.arrayContaining(["a1", "a2"]));
    expect(first.reasons[0].weight).toBeGreaterThanOrEqual(first.reasons[1].weight);
    expect(first.reasons.every((r) => r.at !== undefined && r.topic.length > 0)).toBe(true);
    expect(second.personId).toBe("ben");
    expect(second.reasons.map((r) => r.evidenceIds?.[0])).toEqual(["a3"]);
  });

  it("counts only the evidence the filter lets through (e.g. what the viewer may read)", () => {
    const m = model();
    const hidden = new Set(["a1", "a2"]);
    const ranked = m.rank(question, { limit: 5, reasons: 3, docFilter: (d) => !hidden.has(m.index.docId[d] ?? "") });
    expect(ranked.map((r) => r.personId)).not.toContain("ana");
    expect(ranked[0].personId).toBe("ben");
  });

  it("lowers a person who declined questions on the topic as not their area", () => {
    const before = model().rank(question, { limit: 5 });
    expect(before[0].personId).toBe("ana");
    const after = model([
      ev("d1", 5, "ana", "decline", "Customs question", ["customs"]),
      ev("d2", 6, "ana", "decline", "Customs again", ["customs"]),
    ]).rank(question, { limit: 5 });
    expect(after[0].personId).toBe("ben");
  });
});
