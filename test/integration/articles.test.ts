import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

type Article = {
  id: string;
  version: number;
  title: string;
  body: string;
  html: string;
  tags: string[];
  canEdit: boolean;
};

describe.each(testBackends())("articles on %s", (backend) => {
  let t: TestApp;
  let ana: Client;
  let ben: Client;
  let spaceId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const a = await t.newUser({ name: "Ana" });
    const b = await t.newUser({ name: "Ben" });
    spaceId = (await t.newSpace(a.id, { name: "Runbooks" })).id;
    ana = await t.login(a.email);
    ben = await t.login(b.email);
  });
  afterAll(async () => t.close());

  async function create(title = "Battery swap", body = "1. Power off\n2. Swap the pack\n") {
    const res = await ana.json<Article>("POST", "/api/articles", {
      spaceId,
      title,
      body,
      tags: ["Battery", " battery ", "Field Service"],
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  it("creates an article with normalised tags and sanitised HTML", async () => {
    const a = await create("XSS check", "Hello <script>alert(1)</script> [x](javascript:alert(1))");
    expect(a.tags).toEqual(["battery", "field-service"]);
    expect(a.html).not.toContain("<script");
    expect(a.html).not.toContain("javascript:");
    expect(a.version).toBe(1);
  });

  it("names the field of invalid input and writes nothing", async () => {
    const res = await ana.json<{ error: { fields: { path: string }[] } }>("POST", "/api/articles", {
      spaceId,
      title: "  ",
      body: "x",
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f) => f.path)).toContain("title");
    const bad = await ana.json<{ error: { fields: { path: string }[] } }>("POST", "/api/articles", {
      spaceId: "not-a-uuid",
      title: "T",
    });
    expect(bad.body.error.fields.map((f) => f.path)).toContain("spaceId");
    const before = await ana.json<{ total: number }>("GET", `/api/articles?spaceId=${spaceId}`);
    const tooMany = await ana.json("POST", "/api/articles", {
      spaceId,
      title: "T",
      tags: Array.from({ length: 30 }, (_, i) => `t${i}`),
    });
    expect(tooMany.status).toBe(400);
    expect((await ana.json<{ total: number }>("GET", `/api/articles?spaceId=${spaceId}`)).body.total).toBe(
      before.body.total,
    );
  });

  it("two editors save the same version: one wins, the other gets 409 with the newer text, nothing is lost", async () => {
    const a = await create();
    const anaSave = ana.json<Article>("PUT", `/api/articles/${a.id}`, {
      version: a.version,
      title: a.title,
      body: a.body + "3. Ana's step\n",
      tags: a.tags,
    });
    const benSave = ben.json<Article & { current: Article }>("PUT", `/api/articles/${a.id}`, {
      version: a.version,
      title: a.title,
      body: a.body + "3. Ben's step\n",
      tags: a.tags,
    });
    const results = await Promise.all([anaSave, benSave]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    const loser = results.find((r) => r.status === 409)!.body as unknown as {
      current: Article;
      error: { code: string };
    };
    const winner = results.find((r) => r.status === 200)!.body as Article;
    expect(loser.error.code).toBe("conflict");
    expect(loser.current.version).toBe(2);
    expect(loser.current.body).toBe(winner.body);
    const revs = await ana.json<{ items: { version: number }[] }>("GET", `/api/articles/${a.id}/revisions`);
    expect(revs.body.items.map((r) => r.version)).toEqual([2, 1]);
    // The loser merges on top of the current version: both steps survive.
    const merged = await ben.json<Article>("PUT", `/api/articles/${a.id}`, {
      version: loser.current.version,
      title: a.title,
      body: a.body + "3. Ana's step\n4. Ben's step\n",
      tags: a.tags,
      note: "Merged",
    });
    expect(merged.status).toBe(200);
    expect(merged.body.body).toContain("Ana's step");
    expect(merged.body.body).toContain("Ben's step");
  });

  it("keeps every save as a revision with a readable diff between any two, and restores old ones as new revisions", async () => {
    const a = await create("Firmware update", "Step one\nStep two\nStep three\n");
    const v2 = await ana.json<Article>("PUT", `/api/articles/${a.id}`, {
      version: 1,
      title: "Firmware update",
      body: "Step one\nStep 2 (changed)\nStep three\nStep four\n",
      tags: ["firmware"],
      note: "Clarified",
    });
    expect(v2.body.version).toBe(2);
    const diff = await ana.json<{
      lines: { type: string; text: string; words?: { text: string; changed: boolean }[] }[];
      stats: { added: number; removed: number };
      tags: { added: string[]; removed: string[] };
    }>("GET", `/api/articles/${a.id}/diff?from=1&to=2`);
    expect(diff.status).toBe(200);
    expect(diff.body.lines.filter((l) => l.type === "del").map((l) => l.text)).toEqual(["Step two"]);
    expect(diff.body.lines.filter((l) => l.type === "add").map((l) => l.text)).toEqual([
      "Step 2 (changed)",
      "Step four",
    ]);
    expect(diff.body.stats).toEqual({ added: 2, removed: 1 });
    // Word by word within the changed line; the new line with nothing to pair with stays whole.
    const words = (type: string) => diff.body.lines.find((l) => l.type === type)!.words;
    expect(words("del")).toEqual([
      { text: "Step ", changed: false },
      { text: "two", changed: true },
    ]);
    expect(
      words("add")
        ?.filter((w) => w.changed)
        .map((w) => w.text),
    ).toEqual(["2 (changed)"]);
    expect(diff.body.lines.find((l) => l.text === "Step four")!.words).toBeUndefined();
    expect(diff.body.tags.added).toEqual(["firmware"]);
    const stale = await ana.json("POST", `/api/articles/${a.id}/revisions/1/restore`, { version: 1 });
    expect(stale.status).toBe(409);
    const restored = await ana.json<Article>("POST", `/api/articles/${a.id}/revisions/1/restore`, { version: 2 });
    expect(restored.status).toBe(200);
    expect(restored.body.version).toBe(3);
    expect(restored.body.body).toBe("Step one\nStep two\nStep three\n");
    const revs = await ana.json<{ items: { version: number; note: string }[] }>(
      "GET",
      `/api/articles/${a.id}/revisions`,
    );
    expect(revs.body.items[0]).toMatchObject({ version: 3, note: "Restored version 1" });
    expect((await ana.json("GET", `/api/articles/${a.id}/diff?from=1&to=9`)).status).toBe(404);
  });

  it("moves to trash and restores instead of deleting", async () => {
    const a = await create("Old procedure", "obsolete wombat text");
    expect((await ana.json("DELETE", `/api/articles/${a.id}`)).status).toBe(200);
    expect((await ana.json<{ total: number }>("GET", "/api/search?q=wombat")).body.total).toBe(0);
    const trash = await ana.json<{ items: { id: string; deletedBy: { name: string } }[] }>("GET", "/api/trash");
    expect(trash.body.items.map((i) => i.id)).toContain(a.id);
    expect(
      (await ana.json("PUT", `/api/articles/${a.id}`, { version: 1, title: "x", body: "y", tags: [] })).status,
    ).toBe(403);
    const back = await ana.json<Article>("POST", `/api/articles/${a.id}/restore`);
    expect(back.status).toBe(200);
    expect((await ana.json<{ total: number }>("GET", "/api/search?q=wombat")).body.total).toBe(1);
    expect(
      (await ana.json<{ items: { id: string }[] }>("GET", "/api/trash")).body.items.map((i) => i.id),
    ).not.toContain(a.id);
  });

  it("viewers of a view-only space cannot edit", async () => {
    const owner = await t.newUser();
    const space = await t.newSpace(owner.id, { memberAccess: "viewer" });
    const res = await ben.json("POST", "/api/articles", { spaceId: space.id, title: "T", body: "B" });
    expect(res.status).toBe(403);
  });
});
