import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { users } from "../../db/schema";
import { buildApp, type App } from "../../src/app";
import { createContext } from "../../src/context";
import { openPostgres, type Database } from "../../src/platform/db";
import { createTestApp, makeClient, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

// Signed-in sessions are cached per process (accounts/sessions.ts) and refilled when the access
// epoch moves (platform/access-epoch.ts). These tests change what a session may do — sign out,
// demotion, deactivation, losing a private space — right after the session was served from the
// cache, and expect the very next request to know.
describe.each(testBackends())("the session cache, on %s", (backend) => {
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const a = await t.newUser({ name: "Ada Admin", role: "admin" });
    admin = await t.login(a.email);
  });
  afterAll(async () => t.close());

  const me = async (c: Client) => (await c.request("GET", "/api/auth/me")).statusCode;

  it("serves a signed-in session without looking it up again", async () => {
    const u = await t.newUser();
    const c = await t.login(u.email);
    expect(await me(c)).toBe(200);
    const seen: string[] = [];
    const stop = t.ctx.database.observe((text) => seen.push(text));
    try {
      expect(await me(c)).toBe(200);
    } finally {
      stop();
    }
    expect(seen.filter((s) => /from "sessions"/.test(s))).toEqual([]);
  });

  it("refuses a signed-out session at once", async () => {
    const u = await t.newUser();
    const c = await t.login(u.email);
    expect(await me(c)).toBe(200);
    expect((await c.request("POST", "/api/auth/logout", {})).statusCode).toBe(200);
    expect(await me(c)).toBe(401);
  });

  it("sees a demotion from admin on the next request", async () => {
    const u = await t.newUser({ role: "admin" });
    const c = await t.login(u.email);
    expect((await c.request("GET", "/api/audit")).statusCode).toBe(200);
    const profile = await admin.json<{ version: number }>("GET", `/api/people/${u.id}`);
    const patched = await admin.json("PATCH", `/api/people/${u.id}`, { version: profile.body.version, role: "member" });
    expect(patched.status).toBe(200);
    expect((await c.request("GET", "/api/audit")).statusCode).toBe(403);
    expect((await c.json<{ user: { role: string } }>("GET", "/api/auth/me")).body.user.role).toBe("member");
  });

  it("sees a deactivation on the next request, however it was written", async () => {
    const u = await t.newUser();
    const c = await t.login(u.email);
    expect(await me(c)).toBe(200);
    // Straight to the table: no application code path to forget an invalidation.
    await t.ctx.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, u.id));
    expect(await me(c)).toBe(401);
  });

  it("never shows one person's private space to another, and drops it at once when membership ends", async () => {
    const o = await t.newUser({ name: "Owner" });
    const m = await t.newUser({ name: "Member" });
    const x = await t.newUser({ name: "Outsider" });
    const owner = await t.login(o.email);
    const member = await t.login(m.email);
    const outsider = await t.login(x.email);
    const space = await t.newSpace(o.id, { name: "Private payroll", visibility: "private" });
    await t.addMember(space.id, m.id, "viewer");
    const a = await owner.json<{ id: string }>("POST", "/api/articles", {
      spaceId: space.id,
      title: "Payroll cut-off dates",
      body: "The 25th.",
    });
    expect(a.status).toBe(201);
    // Warm every cache with the member's and the outsider's view.
    expect((await member.request("GET", `/api/articles/${a.body.id}`)).statusCode).toBe(200);
    expect((await outsider.request("GET", `/api/articles/${a.body.id}`)).statusCode).toBe(404);
    expect((await outsider.request("GET", `/api/articles/${a.body.id}`)).statusCode).toBe(404);
    const del = await owner.request("DELETE", `/api/spaces/${space.id}/members/${m.id}`);
    expect(del.statusCode).toBe(200);
    expect((await member.request("GET", `/api/articles/${a.body.id}`)).statusCode).toBe(404);
    const list = await member.json<{ items: { id: string }[] }>("GET", "/api/articles?limit=100");
    expect(list.body.items.map((i) => i.id)).not.toContain(a.body.id);
  });
});

describe.each(testBackends())("a person's profile, on %s", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backend);
  });
  afterAll(async () => t.close());

  it("shows the manager and the active reports, by name, in one statement for the person", async () => {
    const boss = await t.newUser({ name: "Bea Boss" });
    const zed = await t.newUser({ name: "Zed Report" });
    const amy = await t.newUser({ name: "Amy Report" });
    const gone = await t.newUser({ name: "Gone Report" });
    await t.ctx.db.update(users).set({ managerId: boss.id }).where(eq(users.id, zed.id));
    await t.ctx.db.update(users).set({ managerId: boss.id }).where(eq(users.id, amy.id));
    await t.ctx.db.update(users).set({ managerId: boss.id, deactivatedAt: new Date() }).where(eq(users.id, gone.id));
    const c = await t.login(zed.email);
    const bossPage = await c.json<{ manager: unknown; reports: { id: string; name: string }[] }>(
      "GET",
      `/api/people/${boss.id}`,
    );
    expect(bossPage.status).toBe(200);
    expect(bossPage.body.manager).toBeNull();
    expect(bossPage.body.reports.map((r) => r.name)).toEqual(["Amy Report", "Zed Report"]);
    const zedPage = await c.json<{ manager: { id: string; name: string }; reports: unknown[] }>(
      "GET",
      `/api/people/${zed.id}`,
    );
    expect(zedPage.body.manager).toEqual({ id: boss.id, name: "Bea Boss" });
    expect(zedPage.body.reports).toEqual([]);
    const seen: string[] = [];
    const stop = t.ctx.database.observe((text) => seen.push(text));
    try {
      await c.request("GET", `/api/people/${boss.id}`);
    } finally {
      stop();
    }
    expect(seen.filter((q) => /from "users"/.test(q) && !/"sessions"/.test(q))).toHaveLength(1);
  });
});

// Two instances on one PostgreSQL database: a change made through one is seen by the other's very
// next request (its cache compares the epoch row, not a notification that may still be on its way).
describe.runIf(testBackends().includes("postgres"))("the session cache across two instances", () => {
  let t: TestApp;
  let second: { app: App; database: Database };

  beforeAll(async () => {
    t = await createTestApp("postgres");
    const database = await openPostgres(t.ctx.database.url!, 2);
    const app = await buildApp(createContext(t.ctx.config, database, t.ctx.now));
    second = { app, database };
  });
  afterAll(async () => {
    await second.app.close();
    await second.database.close();
    await t.close();
  });

  it("refuses on instance B a session signed out on instance A", async () => {
    const u = await t.newUser();
    const onA = await t.login(u.email);
    const onB = makeClient(second.app, onA.cookie, onA.csrf);
    expect((await onB.request("GET", "/api/auth/me")).statusCode).toBe(200);
    expect((await onB.request("GET", "/api/auth/me")).statusCode).toBe(200);
    expect((await onA.request("POST", "/api/auth/logout", {})).statusCode).toBe(200);
    expect((await onB.request("GET", "/api/auth/me")).statusCode).toBe(401);
  });
});
