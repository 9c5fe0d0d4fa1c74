import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

// Personal API tokens: scopes, expiry, revocation, no CSRF, an admin's token without the admin
// scope acting as a member, and every use audited.

type Made = { id: string; token: string; prefix: string; scopes: string[]; expiresAt: string | null };
type Err = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

describe.each(testBackends())("API tokens on %s", (backend) => {
  let t: TestApp;
  let admin: Client;
  let mo: Client;
  let spaceId = "";

  beforeAll(async () => {
    t = await createTestApp(backend);
    admin = await t.login((await t.newUser({ name: "Ada", role: "admin" })).email);
    const m = await t.newUser({ name: "Mo" });
    mo = await t.login(m.email);
    spaceId = (await t.newSpace(m.id, { name: "Scripts" })).id;
  });
  afterAll(async () => t.close());

  const withToken = (token: string, method: string, url: string, payload?: object) =>
    t.app.inject({ method: method as "GET", url, payload, headers: { authorization: `Bearer ${token}` } });

  it("makes a token shown once, naming bad fields; a member may not have the admin scope", async () => {
    const bad = await mo.json<Err>("POST", "/api/tokens", { name: "x", scopes: [], expiresInDays: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.map((f) => f.path).sort()).toEqual(["expiresInDays", "name", "scopes"]);
    const admin = await mo.json<Err>("POST", "/api/tokens", { name: "Sync script", scopes: ["read", "admin"] });
    expect(admin.body.error.fields?.[0]).toMatchObject({ path: "scopes", message: "admin is for administrators" });
    const made = await mo.json<Made>("POST", "/api/tokens", { name: "Sync script", scopes: ["read"] });
    expect(made.status).toBe(201);
    expect(made.body.token).toMatch(/^kh_pat_/);
    expect(made.body.token.startsWith(made.body.prefix)).toBe(true);
    const list = await mo.json<{ items: Record<string, unknown>[] }>("GET", "/api/tokens");
    expect(JSON.stringify(list.body)).not.toContain(made.body.token);
    expect(list.body.items[0]).toMatchObject({ name: "Sync script", scopes: ["read"], owner: { name: "Mo" } });
  });

  it("reads with a read token, refuses its writes, and writes with a write token without a CSRF header", async () => {
    const read = (await mo.json<Made>("POST", "/api/tokens", { name: "Reader", scopes: ["read"] })).body.token;
    const write = (await mo.json<Made>("POST", "/api/tokens", { name: "Writer", scopes: ["read", "write"] })).body
      .token;
    const spaces = await withToken(read, "GET", "/api/spaces");
    expect(spaces.statusCode).toBe(200);
    expect(JSON.stringify(spaces.json())).toContain("Scripts");
    const refused = await withToken(read, "POST", "/api/articles", { spaceId, title: "From a script", body: "x" });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(/only read/);
    const wrote = await withToken(write, "POST", "/api/articles", { spaceId, title: "From a script", body: "Hello" });
    expect(wrote.statusCode).toBe(201);
    // A token cannot make another token.
    expect((await withToken(write, "POST", "/api/tokens", { name: "Child", scopes: ["read"] })).statusCode).toBe(403);
    expect((await withToken("kh_pat_nonsense", "GET", "/api/spaces")).statusCode).toBe(401);
  });

  it("gives an admin's token admin rights only with the admin scope", async () => {
    const plain = (await admin.json<Made>("POST", "/api/tokens", { name: "Report", scopes: ["read"] })).body.token;
    const full = (await admin.json<Made>("POST", "/api/tokens", { name: "Ops", scopes: ["read", "admin"] })).body.token;
    expect((await withToken(plain, "GET", "/api/audit")).statusCode).toBe(403);
    expect((await withToken(full, "GET", "/api/audit")).statusCode).toBe(200);
  });

  it("stops a revoked or expired token at once, and audits making, using and revoking it", async () => {
    const made = (await mo.json<Made>("POST", "/api/tokens", { name: "Short", scopes: ["read"], expiresInDays: 1 }))
      .body;
    expect((await withToken(made.token, "GET", "/api/spaces")).statusCode).toBe(200);
    t.clock.now = new Date(t.clock.now.getTime() + 2 * 86_400_000);
    expect((await withToken(made.token, "GET", "/api/spaces")).statusCode).toBe(401);
    const other = (await mo.json<Made>("POST", "/api/tokens", { name: "Revoked", scopes: ["read"] })).body;
    expect((await withToken(other.token, "GET", "/api/spaces")).statusCode).toBe(200);
    // Someone else's token answers like a missing one; the owner revokes it.
    expect((await admin.json("DELETE", `/api/tokens/${other.id}`)).status).toBe(200);
    expect((await withToken(other.token, "GET", "/api/spaces")).statusCode).toBe(401);
    const third = (await mo.json<Made>("POST", "/api/tokens", { name: "Third", scopes: ["read"] })).body;
    const bo = await t.login((await t.newUser({ name: "Bo" })).email);
    expect((await bo.json("DELETE", `/api/tokens/${third.id}`)).status).toBe(404);

    const audit = await admin.json<{ items: { action: string; detail: string; actor: { name: string } | null }[] }>(
      "GET",
      "/api/audit?action=token.&limit=200",
    );
    const actions = audit.body.items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["token.create", "token.use", "token.revoke"]));
    expect(
      audit.body.items.find((e) => e.action === "token.use" && e.detail === "GET /api/spaces → 200"),
    ).toMatchObject({ actor: { name: "Mo" } });
    expect(audit.body.items.some((e) => e.detail.startsWith("POST /api/articles → 403"))).toBe(true);
    const all = await admin.json<{ items: { owner: { name: string } }[] }>("GET", "/api/tokens?all=true");
    expect(new Set(all.body.items.map((i) => i.owner.name))).toEqual(new Set(["Mo", "Ada"]));
    expect((await mo.json("GET", "/api/tokens?all=true")).status).toBe(403);
  });
});
