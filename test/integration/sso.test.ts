import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestApp, deactivate, makeClient, PASSWORD, type Client, type TestApp } from "../support/app";
import { buildApp, type App } from "../../src/app";
import { closeTemplates, testBackends } from "../support/databases";
import { signInAtProvider, startTestProvider, type TestProvider } from "../support/oidc-provider";
import { auditLog, spaceMembers, ssoIdentities, users } from "../../db/schema";

afterAll(closeTemplates);

/** Knowhow's public URL in these tests: the provider sends the browser back here (we stop and inject). */
const BASE = "http://knowhow.test";

type Provider = {
  id: string;
  name: string;
  hasSecret: boolean;
  enabled: boolean;
  version: number;
  redirectUri: string;
  spaceMappings: { group: string; spaceId: string; spaceName: string | null; role: string }[];
};
type Err = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };
type Me = {
  user: { id: string; name: string; email: string; department: string; role: string; managerId: string | null };
};

describe.each(testBackends())("single sign-on (OpenID Connect) on %s", (backend) => {
  let t: TestApp;
  let op: TestProvider;
  let admin: Client;
  let adminEmail: string;
  let member: Client;
  let memberEmail: string;
  let boss: { id: string; email: string };
  let warehouse: { id: string; name: string };
  let provider: Provider;
  let loggedApp: App | undefined;

  /** The provider as an admin adds it: claims for department, manager and groups; two group mappings. */
  const providerInput = () => ({
    name: "Staff login",
    issuer: op.issuer,
    clientId: op.clientId,
    clientSecret: op.clientSecret,
    departmentClaim: "department",
    managerEmailClaim: "manager_email",
    groupsClaim: "groups",
    roleMappings: [{ group: "knowhow-admins", role: "admin" }],
    spaceMappings: [{ group: "warehouse", spaceId: warehouse.id, role: "editor" }],
  });

  /**
   * A whole sign-in as a browser does it: Knowhow's start (a redirect to the provider and the flow
   * cookie), the provider's form, and Knowhow's callback with the flow cookie. `tamper` changes the
   * callback's query on the way back.
   */
  async function ssoSignIn(providerId: string, login: string, tamper?: (query: string) => string, app: App = t.app) {
    const start = await app.inject({ url: `/api/auth/sso/${providerId}/start` });
    if (start.statusCode !== 302) throw new Error(`start: ${start.statusCode} ${start.body}`);
    const location = String(start.headers.location);
    const flow = start.cookies.find((c) => c.name === "kh_sso");
    if (!location.startsWith(op.issuer)) return { status: start.statusCode, location, session: undefined };
    const back = await signInAtProvider(location, login, BASE);
    const url = new URL(back);
    const path = `${url.pathname}${tamper ? tamper(url.search) : url.search}`;
    const cb = await app.inject({ url: path, headers: flow ? { cookie: `kh_sso=${flow.value}` } : {} });
    return {
      status: cb.statusCode,
      location: String(cb.headers.location),
      session: cb.cookies.find((c) => c.name === "kh_session"),
      flowCleared: cb.cookies.some((c) => c.name === "kh_sso" && c.value === ""),
    };
  }

  async function clientOf(session: { value: string } | undefined): Promise<Client> {
    expect(session).toBeDefined();
    const cookie = `kh_session=${session!.value}`;
    const me = await t.app.inject({ url: "/api/auth/me", headers: { cookie } });
    expect(me.statusCode).toBe(200);
    return makeClient(t.app, cookie, (me.json() as { csrfToken: string }).csrfToken);
  }

  const errorOf = (location: string) => new URL(location, BASE).searchParams.get("sso_error");
  const actions = async (userId: string) =>
    (await t.ctx.db.select().from(auditLog).where(eq(auditLog.subjectId, userId))).map((a) => a.action);

  beforeAll(async () => {
    op = await startTestProvider(`${BASE}/api/auth/sso`);
    t = await createTestApp(backend, { publicUrl: BASE });
    const a = await t.newUser({ name: "Ada Admin", role: "admin" });
    adminEmail = a.email;
    admin = await t.login(a.email);
    const m = await t.newUser({ name: "Mo Member" });
    memberEmail = m.email;
    member = await t.login(m.email);
    boss = await t.newUser({ name: "Bea Boss" });
    warehouse = await t.newSpace(a.id, { name: "Warehouse", visibility: "private" });
    const made = await admin.json<Provider>("POST", "/api/sso/providers", providerInput());
    expect(made.status).toBe(201);
    provider = made.body;
  });
  afterAll(async () => {
    await loggedApp?.close();
    await t?.close();
    await op?.close();
  });

  it("keeps the client secret to itself and tells the admin the redirect URI", async () => {
    expect(provider).toMatchObject({ name: "Staff login", hasSecret: true, enabled: true, version: 1 });
    expect(provider.redirectUri).toBe(`${BASE}/api/auth/sso/${provider.id}/callback`);
    expect(provider.spaceMappings).toEqual([
      { group: "warehouse", spaceId: warehouse.id, spaceName: "Warehouse", role: "editor" },
    ]);
    const list = await admin.request("GET", "/api/sso/providers");
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(op.clientSecret);
    expect(list.body).not.toContain("clientSecret");
    const options = await t.app.inject({ url: "/api/auth/sso" });
    expect(options.json()).toEqual({ providers: [{ id: provider.id, name: "Staff login" }], passwordSignIn: true });
  });

  it("signs a new person in through the provider and creates their account from the claims", async () => {
    op.people.set("ines", { email: "ines.ortega@example.test", name: "Ines Ortega", department: "Logistics" });
    const res = await ssoSignIn(provider.id, "ines");
    expect(res).toMatchObject({ status: 302, location: "/", flowCleared: true });
    const ines = await clientOf(res.session);
    const me = (await ines.json<Me>("GET", "/api/auth/me")).body;
    expect(me.user).toMatchObject({
      name: "Ines Ortega",
      email: "ines.ortega@example.test",
      department: "Logistics",
      role: "member",
    });
    // A normal session: reads and writes (with the CSRF token) work.
    expect((await ines.json("GET", "/api/spaces")).status).toBe(200);
    expect((await ines.json("POST", "/api/auth/logout")).status).toBe(200);
    expect(await actions(me.user.id)).toEqual(expect.arrayContaining(["sso.account_create", "sso.sign_in"]));
    const [u] = await t.ctx.db.select().from(users).where(eq(users.id, me.user.id));
    expect(u.passwordHash).toBeNull();
  });

  it("updates the person from the claims at the next sign-in, maps groups to a role and a space, no duplicate", async () => {
    op.people.set("ines", {
      email: "ines.ortega@example.test",
      name: "Ines Ortega-Ruiz",
      department: "Warehouse",
      manager_email: boss.email,
      groups: ["staff", "knowhow-admins", "warehouse"],
    });
    const res = await ssoSignIn(provider.id, "ines");
    expect(res.location).toBe("/");
    const me = (await (await clientOf(res.session)).json<Me>("GET", "/api/auth/me")).body;
    expect(me.user).toMatchObject({
      name: "Ines Ortega-Ruiz",
      department: "Warehouse",
      role: "admin",
      managerId: boss.id,
    });
    const same = await t.ctx.db.select().from(users).where(eq(users.email, "ines.ortega@example.test"));
    expect(same).toHaveLength(1);
    const links = await t.ctx.db.select().from(ssoIdentities).where(eq(ssoIdentities.userId, me.user.id));
    expect(links).toHaveLength(1);
    const [membership] = await t.ctx.db
      .select()
      .from(spaceMembers)
      .where(and(eq(spaceMembers.spaceId, warehouse.id), eq(spaceMembers.userId, me.user.id)));
    expect(membership?.role).toBe("editor");
    expect(await actions(me.user.id)).toContain("sso.role_change");

    // Out of the admin group: back to member at the next sign-in (the groups decide).
    op.people.set("ines", { email: "ines.ortega@example.test", name: "Ines Ortega-Ruiz", groups: ["warehouse"] });
    const again = await ssoSignIn(provider.id, "ines");
    const after = (await (await clientOf(again.session)).json<Me>("GET", "/api/auth/me")).body;
    expect(after.user.role).toBe("member");
    // No department claim this time: the department stays.
    expect(after.user.department).toBe("Warehouse");
  });

  it("links an existing account by a verified email, never by an unverified one", async () => {
    const pat = await t.newUser({ name: "Pat Password", email: "pat@example.test" });
    op.people.set("pat-unverified", { email: "pat@example.test", email_verified: false, name: "Not Pat" });
    const refused = await ssoSignIn(provider.id, "pat-unverified");
    expect(refused.session).toBeUndefined();
    expect(errorOf(refused.location)).toMatch(/did not confirm the email/);

    op.people.set("pat-sso", { email: "pat@example.test", email_verified: true, name: "Pat Password" });
    const linked = await ssoSignIn(provider.id, "pat-sso");
    const me = (await (await clientOf(linked.session)).json<Me>("GET", "/api/auth/me")).body;
    expect(me.user.id).toBe(pat.id);
  });

  it("refuses a callback whose state was tampered with, or that comes without the flow cookie", async () => {
    const tampered = await ssoSignIn(provider.id, "ines", (q) => q.replace(/state=[^&]+/, "state=forged"));
    expect(tampered.status).toBe(302);
    expect(tampered.session).toBeUndefined();
    expect(tampered.location).toMatch(/^\/login\?sso_error=/);
    expect(errorOf(tampered.location)).toMatch(/could not be verified/);

    const start = await t.app.inject({ url: `/api/auth/sso/${provider.id}/start` });
    const back = new URL(await signInAtProvider(String(start.headers.location), "ines", BASE));
    const noCookie = await t.app.inject({ url: `${back.pathname}${back.search}` });
    expect(noCookie.statusCode).toBe(302);
    expect(noCookie.cookies.find((c) => c.name === "kh_session")).toBeUndefined();
    expect(errorOf(String(noCookie.headers.location))).toMatch(/took too long or was started elsewhere/);

    // A forged flow cookie (not signed by this server) is no better.
    const forged = await t.app.inject({
      url: `${back.pathname}${back.search}`,
      headers: {
        cookie: `kh_sso=${encodeURIComponent(JSON.stringify({ p: provider.id, s: "x", n: "y", v: "z", e: 9e15 }))}`,
      },
    });
    expect(forged.cookies.find((c) => c.name === "kh_session")).toBeUndefined();
    expect(String(forged.headers.location)).toMatch(/^\/login\?sso_error=/);
  });

  it("turns the provider's refusal into a message on the sign-in page", async () => {
    const start = await t.app.inject({ url: `/api/auth/sso/${provider.id}/start` });
    const state = new URL(String(start.headers.location)).searchParams.get("state")!;
    const flow = start.cookies.find((c) => c.name === "kh_sso")!;
    const res = await t.app.inject({
      url: `/api/auth/sso/${provider.id}/callback?error=access_denied&state=${state}`,
      headers: { cookie: `kh_sso=${flow.value}` },
    });
    expect(res.statusCode).toBe(302);
    expect(errorOf(String(res.headers.location))).toBe("Staff login did not allow the sign-in");
  });

  it("says so when the provider cannot be reached", async () => {
    const down = await admin.json<Provider>("POST", "/api/sso/providers", {
      ...providerInput(),
      name: "Down",
      issuer: "http://127.0.0.1:9",
    });
    expect(down.status).toBe(201);
    const start = await t.app.inject({ url: `/api/auth/sso/${down.body.id}/start` });
    expect(start.statusCode).toBe(302);
    expect(errorOf(String(start.headers.location))).toBe("Down cannot be reached; try again later");
    expect((await admin.json("DELETE", `/api/sso/providers/${down.body.id}`)).status).toBe(200);
  });

  it("refuses a deactivated person", async () => {
    op.people.set("dee", { email: "dee@example.test", name: "Dee Parted" });
    const first = await ssoSignIn(provider.id, "dee");
    const me = (await (await clientOf(first.session)).json<Me>("GET", "/api/auth/me")).body;
    await deactivate(t, me.user.id);
    const again = await ssoSignIn(provider.id, "dee");
    expect(again.session).toBeUndefined();
    expect(errorOf(again.location)).toMatch(/deactivated/);
  });

  it("refuses a disabled provider and an unknown one, and leaves them off the sign-in page", async () => {
    const second = await admin.json<Provider>("POST", "/api/sso/providers", {
      ...providerInput(),
      name: "Contractors",
      roleMappings: [],
      spaceMappings: [],
    });
    expect(second.status).toBe(201);
    const off = await admin.json<Provider>("PATCH", `/api/sso/providers/${second.body.id}`, {
      version: second.body.version,
      enabled: false,
    });
    expect(off.body).toMatchObject({ enabled: false, version: 2, hasSecret: true });
    const start = await t.app.inject({ url: `/api/auth/sso/${second.body.id}/start` });
    expect(start.statusCode).toBe(302);
    expect(errorOf(String(start.headers.location))).toBe("This sign-in option is turned off");
    const options = (await t.app.inject({ url: "/api/auth/sso" })).json() as { providers: { name: string }[] };
    expect(options.providers.map((p) => p.name)).toEqual(["Staff login"]);
    const unknown = await t.app.inject({ url: "/api/auth/sso/00000000-0000-4000-8000-000000000000/start" });
    expect(errorOf(String(unknown.headers.location))).toBe("This sign-in option does not exist");
    const garbage = await t.app.inject({ url: "/api/auth/sso/..%2F..%2Fevil/start" });
    expect(String(garbage.headers.location)).toMatch(/^\/login\?sso_error=/);
  });

  it("lets admins turn password sign-in off for everyone else, and keeps it for admins", async () => {
    const settings = await admin.json<{ version: number; passwordSignIn: boolean }>("GET", "/api/sso/settings");
    expect(settings.body.passwordSignIn).toBe(true);
    const off = await admin.json<{ version: number; passwordSignIn: boolean }>("PATCH", "/api/sso/settings", {
      version: settings.body.version,
      passwordSignIn: false,
    });
    expect(off.body.passwordSignIn).toBe(false);
    expect(
      (await admin.json<Err>("PATCH", "/api/sso/settings", { version: settings.body.version, passwordSignIn: true }))
        .status,
    ).toBe(409);
    const login = (email: string, password = PASSWORD) =>
      t.app.inject({ method: "POST", url: "/api/auth/login", payload: { email, password } });
    const refused = await login(memberEmail);
    expect(refused.statusCode).toBe(403);
    expect((refused.json() as Err).error.message).toMatch(/Password sign-in is turned off/);
    // A wrong password is still just a wrong password.
    expect((await login(memberEmail, "not the password")).statusCode).toBe(401);
    expect((await login(adminEmail)).statusCode).toBe(200);
    expect(((await t.app.inject({ url: "/api/auth/sso" })).json() as { passwordSignIn: boolean }).passwordSignIn).toBe(
      false,
    );
    // Single sign-on still works.
    expect((await ssoSignIn(provider.id, "ines")).location).toBe("/");
    await admin.json("PATCH", "/api/sso/settings", { version: off.body.version, passwordSignIn: true });
    expect((await login(memberEmail)).statusCode).toBe(200);
  });

  it("checks the admin's input field by field and refuses a stale edit", async () => {
    const bad = await admin.json<Err>("POST", "/api/sso/providers", {
      name: "",
      issuer: "not a url",
      clientId: "",
      scopes: "email profile",
      groupsClaim: "groups claim!",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.map((f) => f.path).sort()).toEqual([
      "clientId",
      "groupsClaim",
      "issuer",
      "name",
      "scopes",
    ]);
    const http = await admin.json<Err>("POST", "/api/sso/providers", {
      ...providerInput(),
      issuer: "http://idp.example.com",
    });
    expect(http.status).toBe(400);
    expect(http.body.error.fields).toEqual([
      { path: "issuer", message: "must start with https:// (http:// only for a provider on localhost)" },
    ]);
    const noSpace = await admin.json<Err>("POST", "/api/sso/providers", {
      ...providerInput(),
      spaceMappings: [{ group: "g", spaceId: "00000000-0000-4000-8000-000000000000", role: "viewer" }],
    });
    expect(noSpace.status).toBe(400);
    expect(noSpace.body.error.fields).toEqual([{ path: "spaceMappings.0.spaceId", message: "no such space" }]);

    const current = (await admin.json<{ items: Provider[] }>("GET", "/api/sso/providers")).body.items.find(
      (p) => p.id === provider.id,
    )!;
    const renamed = await admin.json<Provider>("PATCH", `/api/sso/providers/${provider.id}`, {
      version: current.version,
      name: "Staff sign-in",
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.hasSecret).toBe(true);
    const stale = await admin.json<Err>("PATCH", `/api/sso/providers/${provider.id}`, {
      version: current.version,
      name: "Somebody else",
    });
    expect(stale.status).toBe(409);
    const newSecret = await admin.request("PATCH", `/api/sso/providers/${provider.id}`, {
      version: renamed.body.version,
      clientSecret: "a-rotated-secret-value",
    });
    expect(newSecret.statusCode).toBe(200);
    expect(newSecret.body).not.toContain("a-rotated-secret-value");
    // Back to the real secret, and the flow works with the new name.
    await admin.json("PATCH", `/api/sso/providers/${provider.id}`, {
      version: renamed.body.version + 1,
      clientSecret: op.clientSecret,
    });
    expect((await ssoSignIn(provider.id, "ines")).location).toBe("/");

    const audit = await admin.request("GET", "/api/audit?limit=100");
    expect(audit.body).not.toContain(op.clientSecret);
    expect(audit.body).not.toContain("a-rotated-secret-value");
  });

  it("never logs the code, the state or the client secret", async () => {
    const lines: string[] = [];
    // A second app on the same database that logs every line (JSON).
    // (Closed after the other tests: closing an app closes the context's event bus and access epoch.)
    const logged = await buildApp(
      { ...t.ctx, config: { ...t.ctx.config, logLevel: "trace" } },
      { logger: true, logStream: { write: (line) => void lines.push(line) } },
    );
    loggedApp = logged;
    let code = "";
    const ok = await ssoSignIn(
      provider.id,
      "ines",
      (q) => {
        code = new URLSearchParams(q).get("code")!;
        return q;
      },
      logged,
    );
    expect(ok.location).toBe("/");
    const failed = await ssoSignIn(provider.id, "ines", (q) => q.replace(/code=[^&]+/, "code=not-a-code"), logged);
    expect(failed.location).toMatch(/^\/login\?sso_error=/);
    const log = lines.join("\n");
    expect(log).toContain("/callback?code=…&state=…");
    // The failure is explained in the log (for the operator), without the values.
    expect(log).toContain("the sign-in could not be completed");
    expect(code.length).toBeGreaterThan(10);
    expect(log).not.toContain(code);
    expect(log).not.toContain(op.clientSecret);
  });

  it("keeps the admin endpoints to admins", async () => {
    const anon = (method: string, url: string, payload?: object) =>
      t.app.inject({ method: method as "GET", url, payload });
    for (const [method, url, body] of [
      ["GET", "/api/sso/providers", undefined],
      ["POST", "/api/sso/providers", providerInput()],
      ["PATCH", `/api/sso/providers/${provider.id}`, { version: 1, name: "Mine" }],
      ["DELETE", `/api/sso/providers/${provider.id}`, undefined],
      ["GET", "/api/sso/settings", undefined],
      ["PATCH", "/api/sso/settings", { version: 1, passwordSignIn: false }],
    ] as const) {
      expect((await member.json(method, url, body)).status, `${method} ${url} as member`).toBe(403);
      expect((await anon(method, url, body)).statusCode, `${method} ${url} anonymous`).toBe(401);
    }
  });

  it("deletes a provider: its sign-in stops, the accounts stay", async () => {
    const other = await admin.json<Provider>("POST", "/api/sso/providers", {
      ...providerInput(),
      name: "Temporary",
      roleMappings: [],
      spaceMappings: [],
    });
    op.people.set("tess", { email: "tess@example.test", name: "Tess Temp" });
    const signedIn = await ssoSignIn(other.body.id, "tess");
    const me = (await (await clientOf(signedIn.session)).json<Me>("GET", "/api/auth/me")).body;
    expect((await admin.json("DELETE", `/api/sso/providers/${other.body.id}`)).status).toBe(200);
    expect((await admin.json("DELETE", `/api/sso/providers/${other.body.id}`)).status).toBe(404);
    const start = await t.app.inject({ url: `/api/auth/sso/${other.body.id}/start` });
    expect(errorOf(String(start.headers.location))).toBe("This sign-in option does not exist");
    expect(await t.ctx.db.select().from(users).where(eq(users.id, me.user.id))).toHaveLength(1);
  });
});
