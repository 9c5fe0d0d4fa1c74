import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHmac, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";
import { runDueJobs } from "../../src/platform/jobs";
import { webhookJobHandlers } from "../../src/modules/webhooks/webhooks.service";

afterAll(closeTemplates);

// Outgoing webhooks through the durable job queue, against a real receiving server.

type Received = { headers: http.IncomingHttpHeaders; body: string; json: Record<string, unknown> };
type Hook = { id: string; secret: string; version: number; events: string[] };
type Delivery = {
  id: string;
  event: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
};
type Err = { error: { code: string; fields?: { path: string; message: string }[] } };

/** A receiver that records what arrives and answers with the next planned status (200 once the plan is used up). */
async function receiver() {
  const got: Received[] = [];
  const plan: number[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      got.push({ headers: req.headers, body, json: JSON.parse(body) as Record<string, unknown> });
      res.statusCode = plan.shift() ?? 200;
      res.end(res.statusCode === 200 ? "thanks" : "not now");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    got,
    plan,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const verify = (secret: string, r: Received) => {
  const [t, v1] = String(r.headers["knowhow-signature"]).split(",");
  const ts = t.replace("t=", "");
  const mac = createHmac("sha256", secret).update(`${ts}.${r.body}`).digest("hex");
  return v1 === `v1=${mac}`;
};

describe.each(testBackends())("outgoing webhooks on %s", (backend) => {
  let t: TestApp;
  let admin: Client;
  let member: Client;
  let rx: Awaited<ReturnType<typeof receiver>>;
  let publicSpace: { id: string };
  let privateSpace: { id: string };
  let hook: Hook;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const a = await t.newUser({ name: "Ada", role: "admin" });
    admin = await t.login(a.email);
    const m = await t.newUser({ name: "Mo" });
    member = await t.login(m.email);
    publicSpace = await t.newSpace(m.id, { name: "Warehouse" });
    privateSpace = await t.newSpace(m.id, { name: "HR cases", visibility: "private" });
    rx = await receiver();
  });
  afterAll(async () => {
    await rx.close();
    await t.close();
  });

  const deliveries = async (id = hook.id) =>
    (await admin.json<{ items: Delivery[] }>("GET", `/api/webhooks/${id}/deliveries`)).body.items;

  it("lets admins add a webhook, naming each bad field; others may not", async () => {
    const bad = await admin.json<Err>("POST", "/api/webhooks", {
      name: "X",
      url: "ftp://example.com",
      events: [],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.map((f) => f.path).sort()).toEqual(["events", "name", "url"]);
    const secret = await admin.json<Err>("POST", "/api/webhooks", {
      name: "HR feed",
      url: rx.url,
      events: ["question.created"],
      spaceId: privateSpace.id,
    });
    expect(secret.status).toBe(400);
    expect(secret.body.error.fields?.[0]).toMatchObject({ path: "spaceId" });
    expect(
      (await member.json("POST", "/api/webhooks", { name: "Mine", url: rx.url, events: ["question.created"] })).status,
    ).toBe(403);
    expect((await member.json("GET", "/api/webhooks")).status).toBe(403);
    const made = await admin.json<Hook>("POST", "/api/webhooks", {
      name: "Ops feed",
      url: rx.url,
      events: ["question.created", "answer.created", "article.published"],
    });
    expect(made.status).toBe(201);
    expect(made.body.secret).toMatch(/^whsec_/);
    hook = made.body;
  });

  it("delivers a new question in a public space, signed, and nothing from a private space", async () => {
    await member.json("POST", "/api/questions", {
      title: "Who signs off a damaged pallet?",
      body: "A pallet came in **crushed**; who decides?",
      tags: ["pallets"],
      spaceId: publicSpace.id,
    });
    await member.json("POST", "/api/questions", {
      title: "Zqx confidential grievance",
      body: "Private",
      tags: [],
      spaceId: privateSpace.id,
    });
    await t.app.jobs.runDue();
    expect(rx.got).toHaveLength(1);
    const r = rx.got[0];
    expect(r.headers["knowhow-event"]).toBe("question.created");
    expect(verify(hook.secret, r)).toBe(true);
    expect(verify("whsec_wrong", r)).toBe(false);
    expect(r.json).toMatchObject({
      event: "question.created",
      item: {
        title: "Who signs off a damaged pallet?",
        excerpt: "A pallet came in crushed; who decides?",
        author: { name: "Mo" },
        where: { name: "Warehouse", kind: "space" },
      },
    });
    expect(JSON.stringify(rx.got)).not.toContain("Zqx");
    const [d] = await deliveries();
    expect(d).toMatchObject({ status: "delivered", attempts: 1, responseStatus: 200 });
    expect(r.headers["knowhow-delivery"]).toBe(d.id);
  });

  it("retries a failing receiver with backoff, logs every attempt, and redelivers on request", async () => {
    rx.got.length = 0;
    rx.plan.push(500, 503);
    const q = await member.json<{ id: string }>("POST", "/api/questions", {
      title: "Forklift battery swap",
      body: "How long may a battery charge?",
      tags: [],
      spaceId: publicSpace.id,
    });
    await member.json("POST", `/api/questions/${q.body.id}/answers`, { body: "Eight hours, then cool down." });
    await t.app.jobs.runDue();
    // The question's delivery failed (500), the answer's too (503): both wait for their next attempt.
    let list = await deliveries();
    const waiting = list.filter((d) => d.status === "pending");
    expect(waiting).toHaveLength(2);
    expect(waiting.map((d) => d.lastError).sort()).toEqual(["HTTP 500", "HTTP 503"]);
    for (const d of waiting) expect(new Date(d.nextAttemptAt!).getTime()).toBeGreaterThan(t.clock.now.getTime());
    // Not due yet: nothing is sent.
    await t.app.jobs.runDue();
    expect(rx.got).toHaveLength(2);
    t.clock.now = new Date(t.clock.now.getTime() + 40_000);
    await t.app.jobs.runDue();
    expect(rx.got).toHaveLength(4);
    list = await deliveries();
    expect(list.filter((d) => d.status === "delivered" && d.attempts === 2)).toHaveLength(2);
    const answer = rx.got.find((r) => r.json.event === "answer.created")!;
    expect(answer.json).toMatchObject({ item: { question: { title: "Forklift battery swap" } } });

    const again = await admin.json<Delivery>("POST", `/api/webhooks/${hook.id}/deliveries/${list[0].id}/redeliver`);
    expect(again.status).toBe(201);
    await t.app.jobs.runDue();
    expect(rx.got.at(-1)!.headers["knowhow-delivery"]).toBe(again.body.id);
    expect(rx.got.at(-1)!.json.event).toBe(list[0].event);
  });

  it("gives up after the last attempt and says so", async () => {
    rx.got.length = 0;
    rx.plan.push(...Array(8).fill(500));
    const ping = await admin.json<Delivery>("POST", `/api/webhooks/${hook.id}/ping`);
    for (let i = 0; i < 8; i++) {
      await t.app.jobs.runDue();
      t.clock.now = new Date(t.clock.now.getTime() + 7 * 3_600_000);
    }
    const d = (await deliveries()).find((x) => x.id === ping.body.id)!;
    expect(d).toMatchObject({ status: "failed", attempts: 8, lastError: "HTTP 500", nextAttemptAt: null });
    expect(rx.got).toHaveLength(8);
    rx.plan.length = 0;
  });

  it("runs each job once when two instances work the queue at the same time", async () => {
    rx.got.length = 0;
    const pings = [];
    for (let i = 0; i < 12; i++)
      pings.push((await admin.json<Delivery>("POST", `/api/webhooks/${hook.id}/ping`)).body.id);
    const handlers = webhookJobHandlers(t.ctx);
    const run = (instanceId: string) => runDueJobs(t.ctx.db, handlers, { instanceId, now: t.ctx.now(), limit: 5 });
    const rounds = await Promise.all([run(randomUUID()), run(randomUUID()), run(randomUUID()), run(randomUUID())]);
    await t.app.jobs.runDue();
    expect(rounds.reduce((n, r) => n + r.done, 0)).toBeGreaterThan(0);
    const ids = rx.got.map((r) => String(r.headers["knowhow-delivery"]));
    expect(ids.sort()).toEqual([...pings].sort());
  });

  it("speaks Slack and Teams message formats, follows one space, and keeps the version rule", async () => {
    rx.got.length = 0;
    const slack = await admin.json<Hook>("POST", "/api/webhooks", {
      name: "Slack #warehouse",
      url: rx.url,
      format: "slack",
      events: ["article.published"],
      spaceId: publicSpace.id,
    });
    const teams = await admin.json<Hook>("POST", "/api/webhooks", {
      name: "Teams ops",
      url: rx.url,
      format: "teams",
      events: ["article.published"],
    });
    await admin.json("PATCH", `/api/webhooks/${hook.id}`, { version: hook.version, enabled: false });
    await member.json("POST", "/api/articles", {
      spaceId: publicSpace.id,
      title: "Tagging a truck out of use",
      body: "Hang the <red> tag & tell the shift lead.",
      status: "published",
    });
    await t.app.jobs.runDue();
    const bySlack = rx.got.find((r) => "blocks" in r.json)!;
    expect(bySlack.json.text).toBe("New article in Warehouse: Tagging a truck out of use");
    expect(JSON.stringify(bySlack.json.blocks)).toContain("Hang the &lt;red&gt; tag &amp; tell the shift lead.");
    const byTeams = rx.got.find((r) => r.json.type === "message")!;
    expect(JSON.stringify(byTeams.json)).toContain("application/vnd.microsoft.card.adaptive");
    expect(JSON.stringify(byTeams.json)).toContain("Tagging a truck out of use");
    expect(rx.got).toHaveLength(2);

    const stale = await admin.json<Err>("PATCH", `/api/webhooks/${slack.body.id}`, { version: 7, name: "Late" });
    expect(stale.status).toBe(409);
    const rotated = await admin.json<Hook>("PATCH", `/api/webhooks/${slack.body.id}`, {
      version: slack.body.version,
      rotateSecret: true,
    });
    expect(rotated.body.secret).not.toBe(slack.body.secret);
    expect((await admin.json("DELETE", `/api/webhooks/${teams.body.id}`)).status).toBe(200);
    const audit = await admin.json<{ items: { action: string }[] }>("GET", "/api/audit");
    expect(audit.body.items.map((e) => e.action)).toEqual(
      expect.arrayContaining(["webhook.create", "webhook.update", "webhook.delete"]),
    );
  });
});
