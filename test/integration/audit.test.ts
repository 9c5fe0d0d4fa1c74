import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";
import { rows } from "../../src/platform/db";
import { createSession, hashToken, purgeExpiredSessions } from "../../src/modules/accounts/sessions";

afterAll(closeTemplates);

type Audit = {
  items: {
    action: string;
    subjectId: string;
    subjectName: string | null;
    detail: string;
    actor: { name: string } | null;
  }[];
};

describe.each(testBackends())("audit trail and housekeeping, on %s", (backend) => {
  let t: TestApp;
  let admin: Client;
  let member: Client;
  let memberId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const a = await t.newUser({ name: "Ada Admin", role: "admin" });
    const m = await t.newUser({ name: "Max Member", department: "Sales" });
    memberId = m.id;
    admin = await t.login(a.email);
    member = await t.login(m.email);
  });
  afterAll(async () => t.close());

  it("records role, department, space access, membership and invitation changes for admins only", async () => {
    const me = await member.json<{ version: number }>("GET", `/api/people/${memberId}`);
    expect(
      (
        await admin.json("PATCH", `/api/people/${memberId}`, {
          version: me.body.version,
          department: "Finance",
          knowledgeManager: true,
        })
      ).status,
    ).toBe(200);
    const space = await member.json<{ id: string; name: string }>("POST", "/api/spaces", { name: "Deals" });
    expect((await member.json("PATCH", `/api/spaces/${space.body.id}`, { visibility: "private" })).status).toBe(200);
    expect(
      (await member.json("PATCH", `/api/spaces/${space.body.id}`, { description: "no access change" })).status,
    ).toBe(200);
    const other = await t.newUser();
    expect(
      (await member.json("PUT", `/api/spaces/${space.body.id}/members/${other.id}`, { role: "viewer" })).status,
    ).toBe(200);
    expect((await admin.json("POST", "/api/invitations", { email: "new.person@example.test" })).status).toBe(200);

    const trail = await admin.json<Audit>("GET", "/api/audit");
    expect(trail.status).toBe(200);
    const actions = trail.body.items.map((e) => e.action);
    expect(actions).toEqual(["invitation.create", "space.member", "space.access", "person.update"]);
    expect(trail.body.items[3]).toMatchObject({ subjectId: memberId, actor: { name: "Ada Admin" } });
    expect(trail.body.items[3].detail).toContain('department: "Sales" → "Finance"');
    expect(trail.body.items[2].detail).toBe("visibility: public → private");
    // Readable without looking ids up: the member's name, and the subject's name.
    expect(trail.body.items[1].detail).toBe(`${other.name}: viewer`);
    expect(trail.body.items[1].subjectName).toBe(space.body.name);
    expect(trail.body.items[3].subjectName).toBe("Max Member");
    expect((await member.json("GET", "/api/audit")).status).toBe(403);
  });

  it("deletes expired sessions and keeps live ones", async () => {
    const now = t.clock.now;
    await createSession(t.ctx.db, memberId, new Date(now.getTime() - 40 * 86_400_000), 30);
    const live = await createSession(t.ctx.db, memberId, now, 30);
    const count = async () =>
      Number(
        (
          await rows<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from sessions where user_id = ${memberId}`)
        )[0].n,
      );
    const before = await count();
    await purgeExpiredSessions(t.ctx.db, now);
    expect(await count()).toBe(before - 1);
    const alive = await rows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from sessions where token_hash = ${hashToken(live.token)}`,
    );
    expect(Number(alive[0].n)).toBe(1);
  });
});
