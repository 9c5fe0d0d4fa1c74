import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { lrsClients } from "../../db/schema";
import { rows } from "../../src/platform/db";
import { forwardStatements } from "../../src/modules/xapi/forwarding";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
type Forwarders = {
  items: {
    id: string;
    waiting: number;
    deliveries: {
      id: string;
      status: string;
      attempts: number;
      lastError: string;
      count: number;
      nextAttemptAt: string | null;
    }[];
  }[];
};

// A second Knowhow instance, listening on a port, plays the external LRS.
describe.each(testBackends())("forwarding statements to another LRS on %s", (backend) => {
  let source: TestApp;
  let target: TestApp;
  let admin: Client;
  let targetUrl = "";
  let forwarderId = "";

  const post = (app: TestApp, key: string, secret: string, body: unknown) =>
    app.app.inject({
      method: "POST",
      url: "/xapi/statements",
      headers: {
        authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString("base64")}`,
        "x-experience-api-version": "1.0.3",
        "content-type": "application/json",
      },
      payload: JSON.stringify(body),
    });
  const targetCount = async () =>
    Number((await rows<{ n: number }>(target.ctx.db, sql`select count(*)::int as n from xapi_statements`))[0].n);

  beforeAll(async () => {
    source = await createTestApp(backend);
    target = await createTestApp("pglite");
    const a = await source.newUser({ role: "admin" });
    admin = await source.login(a.email);
    for (const t of [source, target]) {
      const u = await t.newUser({ role: "admin" });
      await t.ctx.db
        .insert(lrsClients)
        .values({ name: "lms", key: "lms", secretHash: sha256("lms-secret"), scopes: ["all"], createdBy: u.id });
    }
    await target.app.listen({ port: 0, host: "127.0.0.1" });
    const address = target.app.server.address() as { port: number };
    targetUrl = `http://127.0.0.1:${address.port}/xapi/`;
  });
  afterAll(async () => {
    await source?.close();
    await target?.close();
  });

  const statement = (n: number) => ({
    actor: { mbox: `mailto:learner${n}@example.org` },
    verb: { id: "http://adlnet.gov/expapi/verbs/completed" },
    object: { id: `http://lms.example.org/courses/${n}` },
  });

  it("admins set up a forwarder with a filter; others cannot", async () => {
    const member = await source.login((await source.newUser()).email);
    expect((await member.json("GET", "/api/lrs/forwarders")).status).toBe(403);
    const bad = await admin.json<{ error: { fields: { path: string }[] } }>("POST", "/api/lrs/forwarders", {
      name: "HQ LRS",
      endpoint: "not a url",
      username: "lms",
      password: "x",
    });
    expect(bad.body.error.fields[0].path).toBe("endpoint");
    for (let i = 0; i < 3; i++) expect((await post(source, "lms", "lms-secret", statement(i))).statusCode).toBe(200);
    const created = await admin.json<Forwarders>("POST", "/api/lrs/forwarders", {
      name: "HQ LRS",
      endpoint: targetUrl,
      username: "lms",
      password: "wrong-secret",
      verbs: ["http://adlnet.gov/expapi/verbs/completed"],
      fromStart: true,
    });
    expect(created.status).toBe(201);
    forwarderId = created.body.items[0].id;
    expect(created.body.items[0].waiting).toBe(3);
    expect(JSON.stringify(created.body)).not.toContain("wrong-secret");
  });

  it("retries a refused batch with backoff, then delivers everything once", async () => {
    let r = await forwardStatements(source.ctx);
    expect(r).toEqual({ sent: 0, failed: 1 });
    let list = (await admin.json<Forwarders>("GET", "/api/lrs/forwarders")).body.items[0];
    expect(list.deliveries[0]).toMatchObject({ status: "failed", attempts: 1, count: 3 });
    expect(list.deliveries[0].lastError).toMatch(/401/);
    expect(list.waiting).toBe(3);
    // Not due yet: nothing is tried.
    r = await forwardStatements(source.ctx);
    expect(r).toEqual({ sent: 0, failed: 0 });
    // The credentials are fixed and the backoff has passed.
    await source.ctx.db.execute(sql`update xapi_forwarders set password = 'lms-secret' where id = ${forwarderId}`);
    source.clock.now = new Date(source.clock.now.getTime() + 60_000);
    // A statement with another verb is not forwarded; one more completion is.
    await post(source, "lms", "lms-secret", {
      ...statement(9),
      verb: { id: "http://adlnet.gov/expapi/verbs/attempted" },
    });
    await post(source, "lms", "lms-secret", statement(4));
    r = await forwardStatements(source.ctx);
    expect(r).toEqual({ sent: 4, failed: 0 });
    expect(await targetCount()).toBe(4);
    list = (await admin.json<Forwarders>("GET", "/api/lrs/forwarders")).body.items[0];
    expect(list.waiting).toBe(0);
    expect(list.deliveries.map((d) => d.status)).toEqual(["sent", "sent"]);
    // Resending a delivered batch changes nothing at the other end (same statement ids).
    const resent = await admin.json<Forwarders>(
      "POST",
      `/api/lrs/forwarders/${forwarderId}/deliveries/${list.deliveries[1].id}/resend`,
    );
    expect(resent.status).toBe(200);
    expect(await targetCount()).toBe(4);
    // The statements arrived as they were stored here (ids kept).
    const here = await rows<{ id: string }>(
      source.ctx.db,
      sql`select id from xapi_statements where verb_id = 'http://adlnet.gov/expapi/verbs/completed'`,
    );
    const there = await rows<{ id: string }>(target.ctx.db, sql`select id from xapi_statements`);
    expect(there.map((x) => x.id).sort()).toEqual(here.map((x) => x.id).sort());
  });
});
