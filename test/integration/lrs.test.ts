import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";
import { projectKnowhowStatements } from "../../src/modules/xapi/knowhow-statements";

afterAll(closeTemplates);

type Records = {
  items: { verb: string; verbLabel: string; object: { id: string; name: string | null }; source: string }[];
  total: number;
};

describe.each(testBackends())("the LRS in Knowhow on %s", (backend) => {
  let t: TestApp;
  let admin: Client;
  let mia: Client;
  let miaEmail = "";
  let key = "";
  let secret = "";
  let vault = "";

  const xapi = (method: "GET" | "POST", url: string, payload?: unknown, k = key, s = secret) =>
    t.app.inject({
      method,
      url,
      headers: {
        authorization: `Basic ${Buffer.from(`${k}:${s}`).toString("base64")}`,
        "x-experience-api-version": "2.0.0",
        ...(payload ? { "content-type": "application/json" } : {}),
      },
      payload: payload ? JSON.stringify(payload) : undefined,
    });

  beforeAll(async () => {
    t = await createTestApp(backend);
    const a = await t.newUser({ role: "admin" });
    admin = await t.login(a.email);
    const m = await t.newUser({ name: "Mia" });
    miaEmail = m.email;
    mia = await t.login(m.email);
    vault = (await t.newSpace(m.id, { name: "Vault", visibility: "private" })).id;
  });
  afterAll(async () => t?.close());

  it("admins create clients (the secret shown once), and revoke them; others cannot", async () => {
    expect((await mia.json("GET", "/api/lrs/clients")).status).toBe(403);
    expect((await mia.json("POST", "/api/lrs/clients", { name: "Mine", scopes: ["all"] })).status).toBe(403);
    const bad = await admin.json<{ error: { fields: { path: string }[] } }>("POST", "/api/lrs/clients", {
      name: "X",
      scopes: [],
    });
    expect(bad.body.error.fields[0].path).toBe("name");
    const created = await admin.json<{ key: string; secret: string; endpoint: string }>("POST", "/api/lrs/clients", {
      name: "Safety e-learning",
      scopes: ["statements/write", "statements/read/mine"],
    });
    expect(created.status).toBe(201);
    key = created.body.key;
    secret = created.body.secret;
    expect(created.body.endpoint).toMatch(/\/xapi\/$/);
    const list = await admin.json<{ items: { key: string }[] }>("GET", "/api/lrs/clients");
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect((await xapi("GET", "/xapi/statements")).statusCode).toBe(200);
    const temp = await admin.json<{ id: string; key: string; secret: string }>("POST", "/api/lrs/clients", {
      name: "Temp",
      scopes: ["all"],
    });
    await admin.json("DELETE", `/api/lrs/clients/${temp.body.id}`);
    expect((await xapi("GET", "/xapi/statements", undefined, temp.body.key, temp.body.secret)).statusCode).toBe(401);
  });

  it("what an outside tool records for a colleague is theirs to see, and counts as formal learning", async () => {
    const r = await xapi("POST", "/xapi/statements", {
      actor: { mbox: `mailto:${miaEmail}` },
      verb: { id: "http://adlnet.gov/expapi/verbs/completed", display: { "en-US": "completed" } },
      object: { id: "http://lms.example.org/courses/forklift-101", definition: { name: { "en-US": "Forklift 101" } } },
      result: { success: true },
    });
    expect(r.statusCode).toBe(200);
    const mine = await mia.json<Records>("GET", "/api/me/statements");
    expect(mine.body.items).toContainEqual(
      expect.objectContaining({
        verbLabel: "completed",
        object: expect.objectContaining({ name: "Forklift 101" }),
        source: "Safety e-learning",
      }),
    );
    const learning = await mia.json<{ totals: { formal: number }; byKind: Record<string, number> }>(
      "GET",
      `/api/people/${(await mia.json<{ user: { id: string } }>("GET", "/api/auth/me")).body.user.id}/learning`,
    );
    expect(learning.body.byKind.xapi).toBe(1);
    expect(learning.body.totals.formal).toBeGreaterThanOrEqual(1);
    // Nobody else sees Mia's records through the web app.
    const adminOwn = await admin.json<Records>("GET", "/api/me/statements");
    expect(JSON.stringify(adminOwn.body)).not.toContain("Forklift 101");
  });

  it("records Knowhow's own learning, naming only open content, once", async () => {
    await mia.json("POST", "/api/questions", {
      title: "Where is the zqxopen pallet wrap kept?",
      body: "Asking.",
      tags: ["wrap"],
      route: false,
    });
    const secret = await mia.json<{ id: string }>("POST", "/api/questions", {
      title: "Zqxsecret supplier penalty clause",
      body: "Asking.",
      tags: ["legal"],
      spaceId: vault,
      route: false,
    });
    const c = await mia.json("POST", `/api/questions/${secret.body.id}/comments`, {
      body: "Adding the contract number.",
    });
    expect(c.status).toBe(201);
    const first = await projectKnowhowStatements(t.ctx);
    expect(first).toBeGreaterThanOrEqual(3);
    expect(await projectKnowhowStatements(t.ctx)).toBe(0);
    const mine = await mia.json<Records>("GET", "/api/me/statements");
    const asked = mine.body.items.filter((i) => i.verbLabel === "asked");
    expect(asked).toHaveLength(2);
    expect(asked.map((a) => a.object.name)).toContain("Where is the zqxopen pallet wrap kept?");
    expect(asked.map((a) => a.object.name)).toContain(null);
    const commented = mine.body.items.filter((i) => i.verbLabel === "commented");
    expect(commented).toHaveLength(1);
    expect(commented[0].object.name).toBeNull();
    // The raw statements hold no private title either (an all/read client sees them all).
    const reader = await admin.json<{ key: string; secret: string }>("POST", "/api/lrs/clients", {
      name: "Reader",
      scopes: ["all/read"],
    });
    const all = await xapi("GET", "/xapi/statements?limit=0", undefined, reader.body.key, reader.body.secret);
    expect(all.body).toContain("zqxopen");
    expect(all.body).not.toContain("Zqxsecret");
  });
});
