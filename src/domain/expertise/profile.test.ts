import { describe, expect, it } from "vitest";
import { isBacked, itemWeight, topicProfile, type ProfileItem } from "./profile";

const now = new Date("2026-06-01T00:00:00Z");
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
const item = (kind: ProfileItem["kind"], tags: string[], ago: number, votes = 0): ProfileItem => ({
  kind,
  tags,
  at: daysAgo(ago),
  votes,
  title: `${kind} ${tags.join(",")}`,
  url: "/x",
});

describe("topic profile", () => {
  it("weighs accepted and up-voted answers more, and lets old evidence fade", () => {
    expect(itemWeight(item("accepted_answer", ["a"], 0), now)).toBeGreaterThan(
      itemWeight(item("answer", ["a"], 0), now),
    );
    expect(itemWeight(item("answer", ["a"], 0, 5), now)).toBeGreaterThan(itemWeight(item("answer", ["a"], 0), now));
    expect(itemWeight(item("answer", ["a"], 90), now)).toBeCloseTo(itemWeight(item("answer", ["a"], 0), now) / 2, 6);
    expect(itemWeight(item("answer", ["a"], 0, -50), now)).toBeGreaterThan(0);
  });

  it("ranks topics by weighted evidence, with counts and the strongest evidence first", () => {
    const topics = topicProfile(
      [
        item("answer", ["customs"], 10),
        item("accepted_answer", ["customs"], 20),
        item("article", ["forklifts"], 400),
        item("endorsement", ["customs"], 1),
      ],
      now,
    );
    expect(topics.map((t) => t.tag)).toEqual(["customs", "forklifts"]);
    expect(topics[0]).toMatchObject({ level: 1, counts: { answers: 2, accepted: 1, articles: 0, endorsements: 1 } });
    expect(topics[0].evidence[0].kind).toBe("accepted_answer");
    expect(topics[0].evidence).toHaveLength(2);
    expect(topics[1].level).toBeLessThan(0.2);
  });

  it("treats a skill as backed only by answers or articles, not by endorsements alone", () => {
    const topics = topicProfile([item("endorsement", ["sql"], 1), item("answer", ["excel"], 1)], now);
    expect(isBacked(topics.find((t) => t.tag === "sql"))).toBe(false);
    expect(isBacked(topics.find((t) => t.tag === "excel"))).toBe(true);
    expect(isBacked(undefined)).toBe(false);
  });
});
