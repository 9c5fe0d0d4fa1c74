import { describe, expect, it } from "vitest";
import { challengeState, dueWindowDays, rankFactor, verificationState, verifiedUntil } from "./rules";

const at = (iso: string) => new Date(iso);

describe("verification rules", () => {
  it("is verified until the due window, due inside it, expired after", () => {
    const until = verifiedUntil(at("2026-01-01T00:00:00Z"), 90);
    expect(until.toISOString()).toBe("2026-04-01T00:00:00.000Z");
    expect(verificationState(until, 90, at("2026-03-17T23:59:59Z"))).toBe("verified");
    expect(verificationState(until, 90, at("2026-03-18T00:00:00Z"))).toBe("due");
    expect(verificationState(until, 90, at("2026-03-31T23:59:59Z"))).toBe("due");
    expect(verificationState(until, 90, at("2026-04-01T00:00:00Z"))).toBe("expired");
  });

  it("uses a shorter due window for short intervals", () => {
    expect(dueWindowDays(365)).toBe(14);
    expect(dueWindowDays(30)).toBe(6);
    expect(dueWindowDays(3)).toBe(1);
  });

  it("ranks expired knowledge below verified knowledge of equal relevance", () => {
    expect(rankFactor("expired")).toBeLessThan(rankFactor("due"));
    expect(rankFactor("due")).toBeLessThan(rankFactor("verified"));
  });

  it("makes an open challenge overdue at its deadline; resolved ones keep their outcome", () => {
    const deadline = at("2026-02-08T12:00:00Z");
    expect(challengeState({ status: "open", deadline }, at("2026-02-08T11:59:59Z"))).toBe("open");
    expect(challengeState({ status: "open", deadline }, deadline)).toBe("overdue");
    expect(challengeState({ status: "upheld", deadline }, at("2027-01-01T00:00:00Z"))).toBe("upheld");
    expect(challengeState({ status: "dismissed", deadline }, at("2027-01-01T00:00:00Z"))).toBe("dismissed");
  });
});
