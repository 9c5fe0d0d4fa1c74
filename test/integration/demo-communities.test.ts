import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestApp, type TestApp } from "../support/app";
import { closeTemplates } from "../support/databases";
import { rows } from "../../src/platform/db";
import { loadDemo } from "../../db/seed/load-demo";
import { buildDemoOrg } from "../../db/seed/demo-org";

afterAll(closeTemplates);

type Page = {
  id: string;
  name: string;
  visibility: string;
  openQuestions: unknown[];
  pins: unknown[];
  members: { evidence: { answers: number } }[];
  requests: unknown[];
  health: { months: { activeMembers: number; questions: number }[] };
};

// The demo shows communities alive on first start (PGlite: the seed is the same on both databases).
describe("demo communities", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp("pglite");
    await loadDemo(t.ctx.db, t.ctx.now());
  });
  afterAll(async () => t?.close());

  it("has four communities, one members-only, with leads, members, open questions, pins and health", async () => {
    const org = buildDemoOrg();
    const admin = await t.login(org.adminEmail, org.password);
    const list = await admin.json<{ items: Page[] }>("GET", "/api/communities");
    expect(list.body.items).toHaveLength(4);
    expect(list.body.items.filter((c) => c.visibility === "members")).toHaveLength(1);
    let open = 0;
    for (const c of list.body.items) {
      const page = await admin.json<Page>("GET", `/api/communities/${c.id}`);
      expect(page.status).toBe(200);
      expect(page.body.members.length, c.name).toBeGreaterThanOrEqual(3);
      expect(page.body.pins.length, c.name).toBeGreaterThan(0);
      expect(
        page.body.members.some((m) => m.evidence.answers > 0),
        c.name,
      ).toBe(true);
      expect(
        page.body.health.months.some((m) => m.activeMembers > 0),
        c.name,
      ).toBe(true);
      open += page.body.openQuestions.length;
    }
    expect(open).toBeGreaterThanOrEqual(3);
    // Someone outside the members-only community does not see it.
    const [outsider] = await rows<{ email: string }>(
      t.ctx.db,
      sql`select u.email from users u where u.role = 'member' and not exists (
            select 1 from community_members m join communities c on c.id = m.community_id
            where m.user_id = u.id and c.visibility = 'members' and m.role <> 'pending') limit 1`,
    );
    const them = await t.login(outsider.email, org.password);
    const theirs = await them.json<{ items: Page[] }>("GET", "/api/communities");
    expect(theirs.body.items).toHaveLength(3);
  });

  it("shows one community that should exist (customs, from real exchanges) and one invitation waiting", async () => {
    const org = buildDemoOrg();
    const admin = await t.login(org.adminEmail, org.password);
    type Candidates = { items: { topic: string; departments: string[]; exchanges: number; seeds: unknown[] }[] };
    const found = await admin.json<Candidates>("GET", "/api/communities/candidates");
    expect(found.body.items.map((c) => c.topic)).toEqual(["customs"]);
    expect(found.body.items[0].departments.length).toBeGreaterThanOrEqual(3);
    expect(found.body.items[0].exchanges).toBeGreaterThanOrEqual(3);
    expect(found.body.items[0].seeds.length).toBeGreaterThanOrEqual(2);
    const [invitee] = await rows<{ email: string }>(
      t.ctx.db,
      sql`select u.email from users u join community_members m on m.user_id = u.id where m.role = 'invited'`,
    );
    const them = await t.login(invitee.email, org.password);
    const invitations = await them.json<{ items: { community: { name: string; can: { accept: boolean } } }[] }>(
      "GET",
      "/api/communities/invitations",
    );
    expect(invitations.body.items.map((i) => i.community.name)).toEqual(["Safety first"]);
    expect(invitations.body.items[0].community.can.accept).toBe(true);
  });
});

// The demo has past sessions with attendance and upcoming ones, one of them in the members-only circle.
describe("demo sessions", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp("pglite");
    await loadDemo(t.ctx.db, t.ctx.now());
  });
  afterAll(async () => t?.close());

  it("has past sessions with attendance and upcoming ones with a waiting list", async () => {
    const org = buildDemoOrg();
    const admin = await t.login(org.adminEmail, org.password);
    type S = { id: string; attended: number; waitlisted: number; community: { visibility: string } | null };
    const past = await admin.json<{ items: S[] }>("GET", "/api/sessions?when=past");
    expect(past.body.items.length).toBeGreaterThanOrEqual(2);
    expect(past.body.items.every((s) => s.attended > 0)).toBe(true);
    const page = await admin.json<{ attendance: { crossDepartmentShare: number | null } }>(
      "GET",
      `/api/sessions/${past.body.items[0].id}`,
    );
    expect(page.body.attendance.crossDepartmentShare).toBeGreaterThan(0);
    const upcoming = await admin.json<{ items: S[] }>("GET", "/api/sessions");
    expect(upcoming.body.items.some((s) => s.waitlisted > 0)).toBe(true);
    expect(upcoming.body.items.some((s) => s.community?.visibility === "members")).toBe(true);
    const [outsider] = await rows<{ email: string }>(
      t.ctx.db,
      sql`select u.email from users u where u.role = 'member' and not exists (
            select 1 from community_members m join communities c on c.id = m.community_id
            where m.user_id = u.id and c.visibility = 'members' and m.role <> 'pending') limit 1`,
    );
    const other = await t.login(outsider.email, org.password);
    const theirs = await other.json<{ items: S[] }>("GET", "/api/sessions");
    expect(theirs.body.items.some((s) => s.community?.visibility === "members")).toBe(false);
  });
});
