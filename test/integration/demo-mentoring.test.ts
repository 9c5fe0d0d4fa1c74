import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app";
import { closeTemplates } from "../support/databases";
import { loadDemo } from "../../db/seed/load-demo";
import { buildDemoOrg } from "../../db/seed/demo-org";

afterAll(closeTemplates);

type Page = {
  id: string;
  mentors: number;
  mentees: number;
  review: {
    mentorships: { id: string; status: string; mentor: { department: string }; mentee: { department: string } }[];
    mentees: { matched: boolean }[];
    health: { matchedShare: number; meetingsPerPair: number; goalsReached: { reached: number } };
  };
  run?: { proposed: number };
};

// The demo shows a running mentor programme on first start, and its matching has work to do.
describe("demo mentoring", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp("pglite");
    await loadDemo(t.ctx.db, t.ctx.now());
    await t.ctx.expertise.refresh();
  });
  afterAll(async () => t?.close());

  it("has a programme with running, closed and proposed pairs across departments, and mentees still to match", async () => {
    const org = buildDemoOrg();
    const admin = await t.login(org.adminEmail, org.password);
    const list = await admin.json<{ items: { id: string }[] }>("GET", "/api/mentoring/programmes");
    expect(list.body.items).toHaveLength(1);
    const page = (await admin.json<Page>("GET", `/api/mentoring/programmes/${list.body.items[0].id}`)).body;
    expect(page.mentors).toBeGreaterThanOrEqual(3);
    expect(page.mentees).toBe(6);
    const statuses = page.review.mentorships.map((m) => m.status).sort();
    expect(statuses).toEqual(["active", "active", "closed", "proposed"]);
    expect(page.review.mentorships.every((m) => m.mentor.department !== m.mentee.department)).toBe(true);
    expect(page.review.health.meetingsPerPair).toBeGreaterThan(0);
    expect(page.review.health.goalsReached.reached).toBe(1);
    expect(page.review.mentees.filter((m) => !m.matched)).toHaveLength(2);
    const run = await admin.json<Page>("POST", `/api/mentoring/programmes/${page.id}/match`);
    expect(run.status).toBe(200);
    expect(run.body.run!.proposed).toBe(2);
  });
});
