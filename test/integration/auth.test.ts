import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, makeClient, PASSWORD, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

describe.each(testBackends())("accounts on %s", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backend, { loginRatePerMinute: 8 });
  });
  afterAll(async () => t.close());

  it("walks a real installation through creating the first admin, once", async () => {
    expect((await t.app.inject({ url: "/api/setup" })).json()).toEqual({ needsSetup: true });
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/setup",
      payload: { name: "", email: "nope", password: "short" },
    });
    expect(bad.statusCode).toBe(400);
    const paths = (bad.json().error.fields as { path: string }[]).map((f) => f.path).sort();
    expect(paths).toEqual(["email", "name", "password"]);
    const ok = await t.app.inject({
      method: "POST",
      url: "/api/setup",
      payload: { name: "Ada Admin", email: "Ada@Example.test", password: PASSWORD },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user).toMatchObject({ role: "admin", email: "ada@example.test" });
    expect(ok.json().user.passwordHash).toBeUndefined();
    const again = await t.app.inject({
      method: "POST",
      url: "/api/setup",
      payload: { name: "Eve", email: "eve@example.test", password: PASSWORD },
    });
    expect(again.statusCode).toBe(409);
    expect((await t.app.inject({ url: "/api/setup" })).json()).toEqual({ needsSetup: false });
  });

  it("signs in with an httpOnly SameSite cookie and rejects wrong passwords alike for unknown emails", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: "ada@example.test", password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === "kh_session")!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe("Lax");
    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: "ada@example.test", password: "wrong password!" },
    });
    const unknown = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: "nobody@example.test", password: "wrong password!" },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
  });

  it("requires the CSRF token on state-changing requests", async () => {
    const c = await t.login("ada@example.test");
    const without = await c.request("POST", "/api/spaces", { name: "No token" }, { "x-csrf-token": "" });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe("csrf");
    const forged = makeClient(t.app, c.cookie, "forged-token-forged-token-forged");
    expect((await forged.request("POST", "/api/spaces", { name: "Forged" })).statusCode).toBe(403);
    expect((await c.request("POST", "/api/spaces", { name: "With token" })).statusCode).toBe(200);
  });

  it("refuses form-encoded and text bodies (no simple cross-site posts)", async () => {
    const c = await t.login("ada@example.test");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/spaces",
      payload: "name=x",
      headers: { cookie: c.cookie, "x-csrf-token": c.csrf, "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.statusCode).toBe(415);
  });

  it("rate-limits sign-in attempts", async () => {
    const u = await t.newUser();
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await t.app.inject({
        method: "POST",
        url: "/api/auth/login",
        payload: { email: u.email, password: "not the password" },
      });
      codes.push(r.statusCode);
    }
    expect(codes.slice(0, 8).every((c) => c === 401)).toBe(true);
    expect(codes.slice(8)).toEqual([429, 429]);
  });

  it("signs out and the session stops working", async () => {
    const u = await t.newUser();
    const c = await t.login(u.email);
    expect((await c.request("GET", "/api/auth/me")).statusCode).toBe(200);
    expect((await c.request("POST", "/api/auth/logout")).statusCode).toBe(200);
    expect((await c.request("GET", "/api/auth/me")).statusCode).toBe(401);
  });

  it("changes a password, checks the current one, and ends other sessions", async () => {
    const u = await t.newUser();
    const a = await t.login(u.email);
    const b = await t.login(u.email);
    const wrong = await a.json("POST", "/api/auth/password", {
      currentPassword: "nope nope nope",
      newPassword: "a new long password",
    });
    expect(wrong.status).toBe(400);
    const short = await a.json("POST", "/api/auth/password", { currentPassword: PASSWORD, newPassword: "short" });
    expect(short.status).toBe(400);
    const ok = await a.json("POST", "/api/auth/password", {
      currentPassword: PASSWORD,
      newPassword: "a new long password",
    });
    expect(ok.status).toBe(200);
    expect((await a.request("GET", "/api/auth/me")).statusCode).toBe(200);
    expect((await b.request("GET", "/api/auth/me")).statusCode).toBe(401);
    await t.login(u.email, "a new long password");
  });

  it("invites by link; the link works once and only for admins to create", async () => {
    const admin = await t.login("ada@example.test");
    const member = await t.login((await t.newUser()).email);
    expect((await member.json("POST", "/api/invitations", { email: "x@example.test", role: "member" })).status).toBe(
      403,
    );
    const inv = await admin.json<{ url: string }>("POST", "/api/invitations", {
      email: "new.person@example.test",
      role: "guest",
    });
    expect(inv.status).toBe(200);
    const token = inv.body.url.split("/invite/")[1];
    expect((await t.app.inject({ url: `/api/invitations/token/${token}` })).json()).toMatchObject({
      email: "new.person@example.test",
      role: "guest",
      valid: true,
    });
    const accepted = await t.app.inject({
      method: "POST",
      url: `/api/invitations/token/${token}/accept`,
      payload: { name: "New Person", password: "a long enough password" },
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().user.role).toBe("guest");
    const twice = await t.app.inject({
      method: "POST",
      url: `/api/invitations/token/${token}/accept`,
      payload: { name: "Again", password: "a long enough password" },
    });
    expect(twice.statusCode).toBe(404);
    const list = await admin.json<{ items: { email: string; acceptedAt: string | null }[] }>("GET", "/api/invitations");
    expect(list.body.items.find((i) => i.email === "new.person@example.test")?.acceptedAt).not.toBeNull();
  });

  // Title, department and manager are an admin's to set (security test); the rest is the person's own.
  it("lets people edit their own profile with a version, and not someone else's", async () => {
    const u = await t.newUser();
    const other = await t.newUser();
    const c = await t.login(u.email);
    const me = await c.json<{ version: number }>("GET", `/api/people/${u.id}`);
    const ok = await c.json<{ version: number; location: string }>("PATCH", `/api/people/${u.id}`, {
      version: me.body.version,
      location: "Rotterdam depot",
      timeZone: "Europe/Amsterdam",
    });
    expect(ok.status).toBe(200);
    expect(ok.body.location).toBe("Rotterdam depot");
    const stale = await c.json<{ current: { location: string } }>("PATCH", `/api/people/${u.id}`, {
      version: me.body.version,
      location: "Stale",
    });
    expect(stale.status).toBe(409);
    expect(stale.body.current.location).toBe("Rotterdam depot");
    const tz = await c.json<{ error: { fields: { path: string }[] } }>("PATCH", `/api/people/${u.id}`, {
      version: ok.body.version,
      timeZone: "Mars/Olympus",
    });
    expect(tz.status).toBe(400);
    expect(tz.body.error.fields[0].path).toBe("timeZone");
    expect((await c.json("PATCH", `/api/people/${other.id}`, { version: 1, bio: "Hacked" })).status).toBe(403);
    expect((await c.json("PATCH", `/api/people/${u.id}`, { version: ok.body.version, role: "admin" })).status).toBe(
      403,
    );
  });

  it("says what the signed-in person may do, from the policy (the web app shows buttons from it)", async () => {
    const g = await t.newUser({ role: "guest" });
    const m = await t.newUser();
    const guest = await t.login(g.email);
    const member = await t.login(m.email);
    const asGuest = await guest.json<{ can: Record<string, boolean> }>("GET", "/api/auth/me");
    expect(asGuest.body.can).toMatchObject({
      ask: false,
      createSpace: false,
      writeLesson: false,
      post: false,
      administer: false,
      journal: true,
    });
    const asMember = await member.json<{ can: Record<string, boolean> }>("GET", "/api/auth/me");
    expect(asMember.body.can).toMatchObject({
      ask: true,
      createSpace: true,
      administer: false,
      viewNetworkIndividuals: false,
    });
    const profile = await member.json<{ can: Record<string, boolean> }>("GET", `/api/people/${g.id}`);
    expect(profile.body.can).toMatchObject({ read: true, update: false, changePlacement: false, endorse: true });
    const own = await member.json<{ can: Record<string, boolean> }>("GET", `/api/people/${m.id}`);
    expect(own.body.can).toMatchObject({ update: true, changePlacement: false, endorse: false });
  });

  it("answers health with the database kind", async () => {
    const res = await t.app.inject({ url: "/api/health" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: "ok", database: backend });
  });
});
