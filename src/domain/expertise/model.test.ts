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

describe("cold-start evidence", () => {
  const at = 100 * DAY;
  const article = "Reach truck pre-use inspection: check the brakes and the forks before every shift.";
  const base = (): Evidence[] => [
    {
      id: "r1",
      personId: "mateo",
      kind: "role",
      at: DAY,
      title: "Site Safety Coordinator",
      text: "Warehouse",
      tags: [],
    },
    { id: "r2", personId: "lucia", kind: "role", at: DAY, title: "Returns Specialist", text: "Warehouse", tags: [] },
    { id: "a1", personId: "lucia", kind: "article", at: 2 * DAY, title: "Reach truck checks", text: article, tags: [] },
    { id: "c1", personId: "mateo", kind: "contact", at: 2 * DAY, title: "Reach truck checks", text: article, tags: [] },
  ];
  const q = { text: "The reach truck brakes failed the pre-use check", tags: ["forklift"], at };

  it("ranks the person named as the contact above the article's owner, and says why", () => {
    const m = new ExpertiseModel();
    for (const e of base()) m.add(e);
    const [first] = m.rank(q, { limit: 3, reasons: 2 });
    expect(first.personId).toBe("mateo");
    expect(first.reasons[0].kind).toBe("contact");
  });

  it("a job title alone finds the person whose work a question is", () => {
    const m = new ExpertiseModel();
    for (const e of base()) m.add(e);
    const [first] = m.rank({ text: "Who handles returns?", tags: [], at }, { limit: 3, reasons: 1 });
    expect(first.personId).toBe("lucia");
    expect(first.reasons.map((r) => r.kind)).toContain("role");
  });

  it("evidence dated at or after the question never changes its ranking", () => {
    const m = new ExpertiseModel();
    for (const e of base()) m.add(e);
    const before = m.rank(q, { limit: 5, reasons: 3 });
    const late = (id: string, kind: Evidence["kind"], offset: number): Evidence => ({
      id,
      personId: "newcomer",
      kind,
      at: at + offset,
      title: "Reach truck brakes pre-use check",
      text: "reach truck brakes pre-use check forks",
      tags: ["forklift"],
    });
    m.add(late("x0", "contact", 0));
    m.add(late("x1", "role", DAY));
    m.add(late("x2", "accepted_answer", 2 * DAY));
    expect(m.rank(q, { limit: 5, reasons: 3 })).toEqual(before);
  });
});
