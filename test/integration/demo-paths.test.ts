import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app";
import { closeTemplates } from "../support/databases";
import { loadDemo } from "../../db/seed/load-demo";
import { buildDemoOrg } from "../../db/seed/demo-org";

afterAll(closeTemplates);

type Card = { id: string; title: string; status: string; learners: number; stepsToReview: number };

// The demo shows a running onboarding path on first start: learners at every stage, analytics with
// something to show, a step to review, and a draft made from a space.
describe("demo learning paths", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp("pglite");
    await loadDemo(t.ctx.db, t.ctx.now());
  });
  afterAll(async () => t?.close());

  it("has a published path with learners at every stage, and a draft from a space", async () => {
    const org = buildDemoOrg();
    const admin = await t.login(org.adminEmail, org.password);
    const list = await admin.json<{ items: Card[] }>("GET", "/api/paths");
    const published = list.body.items.filter((p) => p.status === "published");
    const drafts = list.body.items.filter((p) => p.status === "draft");
    expect(published).toHaveLength(1);
    expect(drafts).toHaveLength(1);
    expect(published[0].learners).toBe(17); // 5 on their own or assigned, 12 in the cohort
    const a = await admin.json<{
      learners: number;
      completed: number;
      medianDaysToComplete: number | null;
      funnel: { completed: number; passRate: number | null }[];
      overdue: unknown[];
    }>("GET", `/api/paths/${published[0].id}/analytics`);
    expect(a.status).toBe(200);
    expect(a.body.completed).toBe(1);
    expect(a.body.medianDaysToComplete).toBeGreaterThan(0);
    expect(a.body.overdue).toHaveLength(1);
    // The funnel narrows: more learners finished step 1 than the last step.
    expect(a.body.funnel[0].completed).toBeGreaterThan(a.body.funnel[a.body.funnel.length - 1].completed);
    expect(a.body.funnel[0].passRate).toBeGreaterThan(0);
    expect(a.body.funnel[0].passRate).toBeLessThan(1);
    // The owner (the space's owner) sees the step whose knowledge expired.
    const path = await admin.json<{ steps: { state: string }[] }>("GET", `/api/paths/${published[0].id}`);
    expect(path.body.steps.some((s) => s.state === "expired")).toBe(true);
  });

  it("has a running cohort: phase 1 done, phase 2 reshuffled with new pairings and new leads, phase 3 planned", async () => {
    const org = buildDemoOrg();
    const admin = await t.login(org.adminEmail, org.password);
    const list = await admin.json<{ items: { id: string; currentPhase: number }[] }>("GET", "/api/cohorts");
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].currentPhase).toBe(2);
    const c = await admin.json<{
      phases: { status: string; units: { lead: { id: string }; members: { id: string }[] }[] }[];
      dashboard: { pairsMet: number; participation: number };
    }>("GET", `/api/cohorts/${list.body.items[0].id}`);
    expect(c.body.phases.map((p) => p.status)).toEqual(["done", "running", "planned"]);
    const [p1, p2] = c.body.phases;
    const leads1 = new Set(p1.units.map((u) => u.lead.id));
    for (const u of p2.units) {
      expect(leads1.has(u.lead.id)).toBe(false);
      for (const v of p1.units)
        expect(u.members.filter((m) => v.members.some((x) => x.id === m.id)).length).toBeLessThanOrEqual(1);
    }
    expect(c.body.dashboard.participation).toBeGreaterThan(0);
  });
});
