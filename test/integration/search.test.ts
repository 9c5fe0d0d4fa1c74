import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

type Result = {
  total: number;
  items: { id: string; title: string; titleHtml: string; snippet: string; tags: string[] }[];
  facets: { tags: { tag: string }[] };
};

describe.each(testBackends())("search on %s", (backend) => {
  let t: TestApp;
  let c: Client;
  let spaceId: string;
  let otherSpaceId: string;
  let authorId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const u = await t.newUser({ name: "Sam" });
    authorId = u.id;
    spaceId = (await t.newSpace(u.id)).id;
    otherSpaceId = (await t.newSpace(u.id)).id;
    c = await t.login(u.email);
    const docs = [
      {
        title: "Kubernetes rollback runbook",
        body: "How to roll back a deployment with kubectl rollout undo.",
        tags: ["kubernetes", "incident"],
      },
      {
        title: "Expense reports",
        body: "Submit receipts before the fifth. Kubernetes is not involved.",
        tags: ["finance"],
      },
      {
        title: "Battery replacement for the AMR-7",
        body: "Power down the robot, remove the **battery** pack, check the <b>connector</b>.",
        tags: ["battery"],
      },
      {
        title: "Onboarding checklist",
        body: "Laptop, badge, accounts, buddy. Read the handbook.",
        tags: ["onboarding"],
      },
    ];
    for (const d of docs) expect((await c.json("POST", "/api/articles", { spaceId, ...d })).status).toBe(201);
    await c.json("POST", "/api/articles", {
      spaceId: otherSpaceId,
      title: "Kubernetes cost report",
      body: "Cluster costs per team.",
      tags: ["finance"],
    });
  });
  afterAll(async () => t.close());

  const search = async (params: Record<string, string>) => {
    const res = await c.json<Result>("GET", `/api/search?${new URLSearchParams(params)}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  it("ranks a title match above a body mention and highlights matches", async () => {
    const r = await search({ q: "kubernetes" });
    expect(r.total).toBe(3);
    expect(r.items[0].title).toBe("Kubernetes rollback runbook");
    expect(r.items[0].titleHtml).toContain("<mark>Kubernetes</mark>");
    expect(r.items.find((i) => i.title === "Expense reports")!.snippet).toContain("<mark>Kubernetes</mark>");
  });

  it("tolerates typos and searches as you type", async () => {
    expect((await search({ q: "kubernets" })).items[0]?.title).toBe("Kubernetes rollback runbook");
    expect((await search({ q: "onboar", prefix: "1" })).items[0]?.title).toBe("Onboarding checklist");
  });

  it("filters by space, tag and author", async () => {
    expect((await search({ q: "kubernetes", spaceId: otherSpaceId })).total).toBe(1);
    expect((await search({ q: "kubernetes", tag: "finance" })).total).toBe(2);
    expect((await search({ q: "kubernetes", authorId })).total).toBe(3);
  });

  it("escapes HTML from the article in snippets", async () => {
    const r = await search({ q: "connector" });
    expect(r.items[0].snippet).not.toContain("<b>");
    expect(r.items[0].snippet).toContain("<mark>connector</mark>");
  });

  it("answers any input without an error: operators, punctuation, code, 10 kB pasted text", async () => {
    const long = "How do I roll back a kubernetes deployment when the robot battery fails during onboarding? ".repeat(
      110,
    );
    const inputs = [
      '"unterminated quote',
      "-kubernetes OR",
      "!!! ??? ::: &&& ||| (((",
      "kubectl rollout undo deployment/api --to-revision=2",
      "SELECT * FROM articles WHERE 1=1; --",
      "a & (b | !c) <-> d:* 'x'",
      long,
      "🙂🚀",
      "\u0001\u001f\u007f",
    ];
    for (const q of inputs) {
      const res = await c.request("GET", `/api/search?${new URLSearchParams({ q })}`);
      expect(res.statusCode, q.slice(0, 40)).toBe(200);
    }
    // The one exception, as everywhere in the API: PostgreSQL cannot store NUL, so it is a 400 naming the field.
    const nul = await c.json<{ error: { fields: { path: string }[] } }>(
      "GET",
      `/api/search?${new URLSearchParams({ q: "battery\u0000" })}`,
    );
    expect(nul.status).toBe(400);
    expect(nul.body.error.fields.map((f) => f.path)).toEqual(["q"]);
    const r = await search({ q: long });
    expect(r.total).toBeGreaterThan(0);
  });

  it("sees edits and deletions immediately", async () => {
    const created = await c.json<{ id: string; version: number }>("POST", "/api/articles", {
      spaceId,
      title: "Platypus procedure",
      body: "Feed the platypus.",
    });
    expect((await search({ q: "platypus" })).total).toBe(1);
    await c.json("PUT", `/api/articles/${created.body.id}`, {
      version: created.body.version,
      title: "Echidna procedure",
      body: "Feed the echidna.",
      tags: [],
    });
    expect((await search({ q: "platypus" })).total).toBe(0);
    expect((await search({ q: "echidna" })).total).toBe(1);
  });

  it("an empty query lists recent articles", async () => {
    const r = await search({ q: "" });
    expect(r.total).toBeGreaterThanOrEqual(5);
  });

  it("rejects absurd sizes with a clear error instead of failing", async () => {
    const res = await c.json<{ error: { fields: { path: string }[] } }>("GET", `/api/search?q=${"x".repeat(20_001)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].path).toBe("q");
  });
});
