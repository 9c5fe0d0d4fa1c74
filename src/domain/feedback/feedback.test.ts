import { describe, expect, it } from "vitest";
import { checkAnswers, isDueSoon, isOpen, releasedAfter, shuffled, summariseScale } from "./feedback";
import { mulberry32 } from "../random";

describe("release in rounds", () => {
  it("shows nothing until three have answered", () => {
    expect(releasedAfter(0, 0)).toBe(0);
    expect(releasedAfter(1, 0)).toBe(0);
    expect(releasedAfter(2, 0)).toBe(0);
    expect(releasedAfter(3, 0)).toBe(3);
  });
  it("releases later answers only in further groups of three", () => {
    expect(releasedAfter(4, 3)).toBe(3);
    expect(releasedAfter(5, 3)).toBe(3);
    expect(releasedAfter(6, 3)).toBe(6);
    expect(releasedAfter(7, 6)).toBe(6);
  });
  it("releases a larger group at once", () => {
    expect(releasedAfter(5, 0)).toBe(5);
  });
  it("never reveals one answer by a difference of two views", () => {
    let released = 0;
    for (let answered = 1; answered <= 20; answered++) {
      const next = releasedAfter(answered, released);
      expect(next === released || next - released >= 3).toBe(true);
      released = next;
    }
  });
  it("rejects impossible counts", () => {
    expect(() => releasedAfter(2, 3)).toThrow();
  });
});

describe("scale summary", () => {
  it("counts, averages and distributes 1–5", () => {
    expect(summariseScale([5, 4, 4, 2])).toEqual({ count: 4, mean: 3.8, distribution: [0, 1, 0, 2, 1] });
  });
  it("has no mean without answers and ignores values outside the scale", () => {
    expect(summariseScale([])).toEqual({ count: 0, mean: null, distribution: [0, 0, 0, 0, 0] });
    expect(summariseScale([0, 6, 2.5, 3])).toEqual({ count: 1, mean: 3, distribution: [0, 0, 1, 0, 0] });
  });
});

describe("answers against the questions", () => {
  const qs = [
    { kind: "scale" as const, prompt: "How clear?" },
    { kind: "text" as const, prompt: "What would you change?" },
    { kind: "scale" as const, prompt: "How useful?" },
  ];
  it("accepts one value per question and trims texts", () => {
    expect(checkAnswers(qs, [4, "  shorter intro ", 5])).toEqual({ ok: true, values: [4, "shorter intro", 5] });
  });
  it("names the field of a scale out of range", () => {
    expect(checkAnswers(qs, [4, "x", 6])).toEqual({
      ok: false,
      problem: { path: "answers.2.value", message: "must be a whole number from 1 to 5" },
    });
    expect(checkAnswers(qs, [3.5, "x", 2])).toMatchObject({ ok: false, problem: { path: "answers.0.value" } });
    expect(checkAnswers(qs, ["4", "x", 2])).toMatchObject({ ok: false, problem: { path: "answers.0.value" } });
  });
  it("limits texts to 5,000 characters", () => {
    expect(checkAnswers(qs, [1, "a".repeat(5001), 1])).toMatchObject({
      ok: false,
      problem: { path: "answers.1.value" },
    });
    expect(checkAnswers(qs, [1, 2, 1])).toMatchObject({ ok: false, problem: { path: "answers.1.value" } });
  });
  it("wants every question answered, and something said", () => {
    expect(checkAnswers(qs, [1, "x"])).toMatchObject({ ok: false, problem: { path: "answers" } });
    expect(checkAnswers([{ kind: "text", prompt: "?" }], ["  "])).toMatchObject({
      ok: false,
      problem: { path: "answers" },
    });
  });
});

describe("open and due", () => {
  const now = new Date("2026-12-03T10:00:00Z");
  it("is open until closed or past its deadline; a standing request has none", () => {
    expect(isOpen({ closedAt: null, deadline: null }, now)).toBe(true);
    expect(isOpen({ closedAt: now, deadline: null }, now)).toBe(false);
    expect(isOpen({ closedAt: null, deadline: new Date("2026-12-03T09:59:00Z") }, now)).toBe(false);
  });
  it("reminds of open requests due within two days", () => {
    expect(isDueSoon({ closedAt: null, deadline: new Date("2026-12-05T09:00:00Z") }, now)).toBe(true);
    expect(isDueSoon({ closedAt: null, deadline: new Date("2026-12-06T09:00:00Z") }, now)).toBe(false);
    expect(isDueSoon({ closedAt: null, deadline: null }, now)).toBe(false);
  });
});

describe("shuffle", () => {
  it("keeps every item and reaches every order", () => {
    const random = mulberry32(7);
    const below = (n: number) => Math.floor(random() * n);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const s = shuffled([1, 2, 3], below);
      expect([...s].sort()).toEqual([1, 2, 3]);
      seen.add(s.join(""));
    }
    expect(seen.size).toBe(6);
  });
});
