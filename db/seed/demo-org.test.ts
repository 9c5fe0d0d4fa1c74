import { describe, expect, it } from "vitest";
import { buildDemoOrg } from "./demo-org";

describe("demo organisation", () => {
  const org = buildDemoOrg();
  const people = new Map(org.people.map((p) => [p.key, p]));
  const spaces = new Map(org.spaces.map((s) => [s.key, s]));

  it("is a company of at least 60 people in at least 6 departments with a sound manager tree", () => {
    expect(org.people.length).toBeGreaterThanOrEqual(60);
    expect(new Set(org.people.filter((p) => p.role !== "guest").map((p) => p.department)).size).toBeGreaterThanOrEqual(
      6,
    );
    expect(people.size).toBe(org.people.length);
    expect(new Set(org.people.map((p) => p.email)).size).toBe(org.people.length);
    for (const p of org.people) {
      if (p.managerKey) expect(people.has(p.managerKey), p.name).toBe(true);
      const seen = new Set<string>();
      for (let at: string | null = p.key; at; at = people.get(at)!.managerKey) {
        expect(seen.has(at), `cycle at ${p.name}`).toBe(false);
        seen.add(at);
      }
      expect(() => new Intl.DateTimeFormat("en", { timeZone: p.timeZone })).not.toThrow();
    }
    const admins = org.people.filter((p) => p.email === org.adminEmail);
    expect(admins).toHaveLength(1);
    expect(admins[0].role).toBe("admin");
    expect(org.people.some((p) => p.role === "guest")).toBe(true);
  });

  it("has public and private spaces whose members exist", () => {
    expect(org.spaces.some((s) => s.visibility === "private" && s.members.length > 0)).toBe(true);
    for (const s of org.spaces) {
      expect(people.has(s.ownerKey)).toBe(true);
      for (const m of s.members) expect(people.has(m.personKey)).toBe(true);
    }
  });

  it("has at least 60 real articles with consistent revisions", () => {
    expect(org.articles.length).toBeGreaterThanOrEqual(60);
    expect(new Set(org.articles.map((a) => a.title)).size).toBe(org.articles.length);
    for (const a of org.articles) {
      expect(spaces.has(a.spaceKey)).toBe(true);
      expect(people.has(a.ownerKey)).toBe(true);
      expect(a.body.split(/\s+/).length, a.title).toBeGreaterThanOrEqual(60);
      let last = a.createdDaysAgo;
      let body = a.body;
      for (const r of a.revisions) {
        expect(people.has(r.authorKey)).toBe(true);
        expect(r.daysAgo).toBeLessThanOrEqual(last);
        expect(r.body).not.toBe(body);
        last = r.daysAgo;
        body = r.body;
      }
    }
    expect(org.articles.filter((a) => a.revisions.length > 0).length).toBeGreaterThanOrEqual(12);
    expect(org.articles.some((a) => a.status === "draft")).toBe(true);
    // A real page tree: every parent is a page of the same space, and it goes three levels deep.
    const byTitle = new Map(org.articles.map((a) => [a.title, a]));
    const nested = org.articles.filter((a) => a.parentTitle);
    expect(nested.length).toBeGreaterThanOrEqual(4);
    for (const a of nested) expect(byTitle.get(a.parentTitle!)?.spaceKey, a.title).toBe(a.spaceKey);
    expect(nested.some((a) => byTitle.get(a.parentTitle!)?.parentTitle)).toBe(true);
    expect(org.articles.some((a) => spaces.get(a.spaceKey)!.visibility === "private")).toBe(true);
  });

  it("has questions with answers by other people", () => {
    expect(org.questions.length).toBeGreaterThanOrEqual(8);
    for (const q of org.questions) {
      expect(people.has(q.askerKey)).toBe(true);
      for (const a of q.answers) {
        expect(people.has(a.authorKey)).toBe(true);
        expect(a.authorKey).not.toBe(q.askerKey);
      }
      expect(q.answers.filter((a) => a.accepted).length).toBeLessThanOrEqual(1);
    }
    expect(org.questions.some((q) => q.answers.length === 0)).toBe(true);
  });

  it("is deterministic", () => {
    expect(buildDemoOrg()).toEqual(org);
  });
});
