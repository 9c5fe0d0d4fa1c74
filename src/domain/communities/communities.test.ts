import { describe, expect, it } from "vitest";
import {
  activeMembersPerMonth,
  communityWeighted,
  crossDepartmentShare,
  lastMonths,
  median,
  questionsPerMonth,
  suggestCommunities,
} from "./communities";

describe("communities", () => {
  it("weighs members of the addressed community up, others unchanged", () => {
    expect(communityWeighted(2, true)).toBe(3);
    expect(communityWeighted(2, false)).toBe(2);
  });

  it("lists the last months across a year boundary", () => {
    expect(lastMonths(new Date("2026-02-10T00:00:00Z"), 4)).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
  });

  it("counts distinct active people per month and ignores other months", () => {
    const at = (s: string) => new Date(s);
    expect(
      activeMembersPerMonth(
        [
          { personId: "a", at: at("2026-01-03T00:00:00Z") },
          { personId: "a", at: at("2026-01-20T00:00:00Z") },
          { personId: "b", at: at("2026-01-21T00:00:00Z") },
          { personId: "b", at: at("2026-02-01T00:00:00Z") },
          { personId: "c", at: at("2025-06-01T00:00:00Z") },
        ],
        ["2026-01", "2026-02"],
      ),
    ).toEqual([
      { month: "2026-01", active: 2 },
      { month: "2026-02", active: 1 },
    ]);
  });

  it("takes medians of odd, even and empty lists", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it("reports questions per month with the median hours to a first answer", () => {
    const q = (asked: string, answered: string | null) => ({
      askedAt: new Date(asked),
      firstAnswerAt: answered ? new Date(answered) : null,
    });
    expect(
      questionsPerMonth(
        [
          q("2026-01-01T00:00:00Z", "2026-01-01T02:00:00Z"),
          q("2026-01-05T00:00:00Z", "2026-01-05T06:00:00Z"),
          q("2026-01-06T00:00:00Z", null),
          q("2026-02-01T00:00:00Z", null),
        ],
        ["2026-01", "2026-02"],
      ),
    ).toEqual([
      { month: "2026-01", asked: 3, medianHoursToFirstAnswer: 4 },
      { month: "2026-02", asked: 1, medianHoursToFirstAnswer: null },
    ]);
  });

  it("shares answers crossing a department boundary, leaving unknown departments out", () => {
    expect(
      crossDepartmentShare([
        { askerDepartment: "Sales", answererDepartment: "Engineering" },
        { askerDepartment: "Sales", answererDepartment: "Sales" },
        { askerDepartment: null, answererDepartment: "Sales" },
        { askerDepartment: "Ops", answererDepartment: "Sales" },
      ]),
    ).toEqual({ crossed: 2, counted: 3, share: 2 / 3 });
    expect(crossDepartmentShare([]).share).toBeNull();
  });

  it("suggests communities from evidence, follows and questions, with reasons, best first", () => {
    const found = suggestCommunities(
      [
        { id: "1", name: "Kubernetes", topics: ["kubernetes", "helm"] },
        { id: "2", name: "Pricing", topics: ["pricing"] },
        { id: "3", name: "Gardening", topics: ["plants"] },
      ],
      {
        evidence: new Map([["kubernetes", 5]]),
        follows: new Set(["pricing"]),
        asked: new Map([["helm", 1]]),
      },
    );
    expect(found.map((s) => s.id)).toEqual(["1", "2"]);
    expect(found[0].reasons).toEqual(["You have shared knowledge on kubernetes", "You asked about helm"]);
    expect(found[1].reasons).toEqual(["You follow pricing"]);
  });
});
