import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestApp, type TestApp } from "../support/app";
import { closeTemplates } from "../support/databases";
import { loadDemo } from "../../db/seed/load-demo";
import { buildDemoOrg } from "../../db/seed/demo-org";
import { rows } from "../../src/platform/db";
import { projectKnowhowStatements } from "../../src/modules/xapi/knowhow-statements";

afterAll(closeTemplates);

// The demo shows the LRS in use: an e-learning client with statements, formal learning on people's
// pages, and Knowhow's own learning projected from the demo's history.
describe("demo LRS", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp("pglite");
    await loadDemo(t.ctx.db, t.ctx.now());
  });
  afterAll(async () => t?.close());

  it("has a client in use, formal learning from it, and Knowhow's own statements", async () => {
    const org = buildDemoOrg();
    const admin = await t.login(org.adminEmail, org.password);
    const clients = await admin.json<{ items: { name: string; statements: number }[] }>("GET", "/api/lrs/clients");
    expect(clients.body.items).toEqual([expect.objectContaining({ name: "Safety e-learning", statements: 24 })]);
    const projected = await projectKnowhowStatements(t.ctx);
    expect(projected).toBeGreaterThan(100);
    expect(await projectKnowhowStatements(t.ctx)).toBe(0);
    const [p] = await rows<{ id: string; email: string }>(
      t.ctx.db,
      sql`select id, email from users where role = 'member' order by created_at, email limit 1`,
    );
    const person = await t.login(p.email, org.password);
    const learning = await person.json<{ totals: { formal: number }; byKind: Record<string, number> }>(
      "GET",
      `/api/people/${p.id}/learning`,
    );
    expect(learning.body.byKind.xapi).toBeGreaterThan(0);
    const records = await person.json<{ items: { source: string }[] }>("GET", "/api/me/statements");
    expect(records.body.items.some((r) => r.source === "Safety e-learning")).toBe(true);
    expect(records.body.items.some((r) => r.source === "Knowhow")).toBe(true);
  });
});
