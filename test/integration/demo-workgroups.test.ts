import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestApp, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";
import { rows } from "../../src/platform/db";
import { loadDemo } from "../../db/seed/load-demo";
import { buildDemoOrg } from "../../db/seed/demo-org";
import { loadDemoWorkgroups } from "../../db/seed/demo-workgroups";

afterAll(closeTemplates);

type Workgroup = {
  id: string;
  title: string;
  status: "active" | "closed";
  skills: string[];
  leader: { id: string; department: string };
  members: { id: string; department: string }[];
  space: { id: string };
  kickoffPostId: string | null;
  retrospectiveId: string | null;
  coverage: { topic: string; coveredBy: unknown[] }[];
};

// The demo shows an active and a closed workgroup on first start; re-running its seed adds nothing.
describe.each(testBackends())("demo workgroups on %s", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backend);
    await loadDemo(t.ctx.db, t.ctx.now());
    await t.ctx.expertise.refresh();
  });
  afterAll(async () => t?.close());

  it("has an active workgroup and a closed one with its retrospective, both with space and kick-off post", async () => {
    const org = buildDemoOrg();
    const admin = await t.login(org.adminEmail, org.password);
    const list = await admin.json<{ items: { id: string; status: string }[] }>("GET", "/api/workgroups");
    expect(list.body.items.map((w) => w.status).sort()).toEqual(["active", "closed"]);
    for (const item of list.body.items) {
      const w = (await admin.json<Workgroup>("GET", `/api/workgroups/${item.id}`)).body;
      expect(w.skills).toHaveLength(3);
      expect(w.members.length).toBeGreaterThanOrEqual(2);
      expect(new Set([w.leader, ...w.members].map((p) => p.department)).size).toBeGreaterThanOrEqual(2);
      expect(w.coverage.filter((c) => c.coveredBy.length > 0).length).toBeGreaterThanOrEqual(2);
      expect(w.kickoffPostId).not.toBeNull();
      const space = await admin.json<{ visibility: string }>("GET", `/api/spaces/${w.space.id}`);
      expect(space.status).toBe(200);
      expect(space.body.visibility).toBe("private");
      if (w.status === "closed") {
        expect(w.retrospectiveId).not.toBeNull();
        const retro = await admin.json<{ items: unknown[] }>("GET", `/api/retrospectives/${w.retrospectiveId}`);
        expect(retro.status).toBe(200);
        expect(retro.body.items).toHaveLength(3);
      } else expect(w.retrospectiveId).toBeNull();
    }
  });

  it("re-running the seed adds no duplicate", async () => {
    const org = buildDemoOrg();
    const count = async () =>
      (
        await rows<{ workgroups: number; spaces: number; posts: number; retros: number }>(
          t.ctx.db,
          sql`select (select count(*)::int from workgroups) as workgroups, (select count(*)::int from spaces) as spaces,
                (select count(*)::int from posts) as posts, (select count(*)::int from retrospectives) as retros`,
        )
      )[0];
    const before = await count();
    expect(before.workgroups).toBe(2);
    const people = await rows<{ id: string; email: string }>(t.ctx.db, sql`select id, email from users`);
    const byEmail = new Map(people.map((p) => [p.email, p.id]));
    const ids = new Map(org.people.map((p) => [p.key, byEmail.get(p.email)!]));
    await t.ctx.db.transaction((tx) => loadDemoWorkgroups(tx, org, ids, t.ctx.now()));
    expect(await count()).toEqual(before);
  });
});
