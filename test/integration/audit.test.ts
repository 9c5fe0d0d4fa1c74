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

    const all = await admin.json<Audit>("GET", "/api/audit");
    expect(all.status).toBe(200);
    // (Sign-ins are audited too; this test looks at the changes.)
    const trail = { body: { items: all.body.items.filter((e) => !e.action.startsWith("auth.")) } };
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

  it("records sign-ins and failed ones, finds entries by words, action and time, and exports them as CSV", async () => {
    const m = await t.newUser({ name: "Zoe Zebra" });
    await t.login(m.email);
    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: m.email, password: "not the password" },
    });
    expect(wrong.statusCode).toBe(401);
    await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: "nobody@example.com", password: "whatever it is" },
    });
    const signIns = await admin.json<Audit>("GET", "/api/audit?action=auth.");
    const actions = signIns.body.items.map((e) => e.action);
    expect(actions).toContain("auth.sign-in");
    expect(actions.every((a) => a.startsWith("auth."))).toBe(true);
    const failed = signIns.body.items.filter((e) => e.action === "auth.sign-in-failed").map((e) => e.detail);
    expect(failed).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^nobody@example\.com: no such account/),
        expect.stringMatching(new RegExp(`^${m.email.replace(/[.]/g, "\\.")}: wrong password`)),
      ]),
    );
    expect(JSON.stringify(signIns.body)).not.toContain("not the password");
    // Words match the actor's and the subject's names too.
    const zoe = await admin.json<Audit>("GET", "/api/audit?q=zebra%20sign-in");
    expect(zoe.body.items.length).toBeGreaterThanOrEqual(2);
    expect(zoe.body.items.every((e) => e.action.startsWith("auth.sign-in"))).toBe(true);
    const future = await admin.json<Audit>("GET", `/api/audit?from=${encodeURIComponent("2999-01-01T00:00:00Z")}`);
    expect(future.body.items).toEqual([]);
    const bad = await admin.json<{ error: { fields: { path: string }[] } }>(
      "GET",
      "/api/audit?from=yesterday&action=DROP",
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f) => f.path).sort()).toEqual(["action", "from"]);

    const csv = await admin.request("GET", "/api/audit/export?action=auth.");
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    expect(csv.headers["content-disposition"]).toMatch(/attachment; filename="knowhow-audit-/);
    const lines = csv.body.trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,at,actor_id,actor,action,subject_type,subject_id,subject,detail");
    expect(lines.length).toBe(signIns.body.items.length + 1);
    expect((await member.request("GET", "/api/audit/export")).statusCode).toBe(403);
    const after = await admin.json<Audit>("GET", "/api/audit?action=audit.export");
    expect(after.body.items[0]).toMatchObject({ action: "audit.export", actor: { name: "Ada Admin" } });
    expect(after.body.items[0].detail).toMatch(/^\d+ entries \(action=auth\.\)$/);
  });

  it("keeps audit entries as long as the admin set, and no longer", async () => {
    const s = await admin.json<{ version: number; auditRetentionDays: number }>("GET", "/api/settings");
    expect(s.body.auditRetentionDays).toBe(730);
    const tooShort = await admin.json<{ error: { fields: { path: string }[] } }>("PATCH", "/api/settings", {
      version: s.body.version,
      auditRetentionDays: 7,
    });
    expect(tooShort.body.error.fields[0].path).toBe("auditRetentionDays");
    await admin.json("PATCH", "/api/settings", { version: s.body.version, auditRetentionDays: 30 });
    await t.ctx.db.execute(
      sql`insert into audit_log (actor_id, action, subject_type, subject_id, detail, created_at)
          values (null, 'old.thing', 'instance', 'x', 'from long ago', now() - interval '40 days'),
                 (null, 'recent.thing', 'instance', 'x', 'from last week', now() - interval '7 days')`,
    );
    const { purgeAudit } = await import("../../src/modules/audit/audit.service");
    expect(await purgeAudit(t.ctx.db, new Date())).toBeGreaterThanOrEqual(1);
    const left = await admin.json<Audit & { retentionDays: number }>("GET", "/api/audit?q=thing");
    expect(left.body.items.map((e) => e.action)).toEqual(["recent.thing"]);
    expect(left.body.retentionDays).toBe(30);
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
