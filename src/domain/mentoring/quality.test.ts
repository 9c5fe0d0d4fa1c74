import { describe, expect, it } from "vitest";
import { pairQuality, qualityMatrix, type MenteeProfile, type MentorProfile } from "./quality";

const mentor = (over: Partial<MentorProfile> = {}): MentorProfile => ({
  id: "m1",
  department: "Transport",
  utcOffset: 60,
  evidence: new Map([
    ["tachograph", 0.9],
    ["forklift", 0.3],
  ]),
  offers: ["tachograph"],
  managers: ["boss"],
  ...over,
});
const mentee = (over: Partial<MenteeProfile> = {}): MenteeProfile => ({
  id: "e1",
  department: "Warehouse",
  utcOffset: 0,
  goals: ["tachograph", "forklift"],
  preferences: ["m2", "m1"],
  managers: ["lead", "head"],
  ...over,
});
const rules = { crossDepartmentWeight: 1, maxTimeZoneHours: null };

describe("mentor pair quality", () => {
  it("adds evidence on the goals, offered topics, the preference and another department (hand-checked)", () => {
    const q = pairQuality(mentee(), mentor(), rules);
    // 0.6 · (0.9 + 0.3) / 2 + 0.1 · 1/2 + 0.2 · 1/2 + 0.1 · 1 = 0.36 + 0.05 + 0.1 + 0.1
    expect(q.allowed && q.quality).toBeCloseTo(0.61, 10);
    expect(q.allowed && q.reasons).toEqual([
      { kind: "evidence", topic: "tachograph", strength: 0.9 },
      { kind: "evidence", topic: "forklift", strength: 0.3 },
      { kind: "offers", topics: ["tachograph"] },
      { kind: "preference", rank: 2 },
      { kind: "department", mentee: "Warehouse", mentor: "Transport" },
    ]);
    const same = pairQuality(mentee({ department: "Transport", preferences: [] }), mentor(), rules);
    expect(same.allowed && same.quality).toBeCloseTo(0.41, 10);
    const halfWeight = pairQuality(mentee(), mentor(), { ...rules, crossDepartmentWeight: 0.5 });
    expect(halfWeight.allowed && halfWeight.quality).toBeCloseTo(0.56, 10);
  });

  it("forbids the reporting line both ways, the same person and too distant time zones", () => {
    expect(pairQuality(mentee(), mentor({ id: "head" }), rules)).toEqual({
      allowed: false,
      why: "the mentor is in the mentee's reporting line",
    });
    expect(pairQuality(mentee(), mentor({ managers: ["e1", "boss"] }), rules).allowed).toBe(false);
    expect(pairQuality(mentee(), mentor({ id: "e1" }), rules).allowed).toBe(false);
    expect(pairQuality(mentee({ utcOffset: -300 }), mentor(), { ...rules, maxTimeZoneHours: 4 })).toEqual({
      allowed: false,
      why: "more than 4 hours apart",
    });
    expect(pairQuality(mentee({ utcOffset: -120 }), mentor(), { ...rules, maxTimeZoneHours: 4 }).allowed).toBe(true);
  });

  it("builds the matrix with NaN for forbidden pairs", () => {
    const m = qualityMatrix([mentee()], [mentor(), mentor({ id: "lead" })], rules);
    expect(m[0]).toBeCloseTo(0.61, 10);
    expect(Number.isNaN(m[1])).toBe(true);
  });
});
