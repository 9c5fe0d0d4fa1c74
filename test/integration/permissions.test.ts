import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";
import { visibleSpaceIds } from "../../src/authz/access";

afterAll(closeTemplates);

const SECRET = "zanzibar";
const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

function multipart(name: string, content: Buffer) {
  const boundary = "----knowhowtest";
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(testBackends())("private spaces never leak, on %s", (backend) => {
  let t: TestApp;
  let insider: Client;
  let outsider: Client;
  let guest: Client;
  let privateSpace: { id: string };
  let articleId: string;
  let attachmentId: string;
  let outsiderId: string;
  let ownerId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const owner = await t.newUser({ name: "Olivia Owner" });
    const out = await t.newUser({ name: "Oscar Outsider" });
    outsiderId = out.id;
    ownerId = owner.id;
    const g = await t.newUser({ role: "guest" });
    privateSpace = await t.newSpace(owner.id, { name: "Leadership", visibility: "private" });
    const publicSpace = await t.newSpace(owner.id, { name: "Handbook" });
    insider = await t.login(owner.email);
    outsider = await t.login(out.email);
    guest = await t.login(g.email);
    const a = await insider.json<{ id: string; version: number }>("POST", "/api/articles", {
      spaceId: privateSpace.id,
      title: `Reorganisation plan ${SECRET}`,
      body: `We will merge two teams. Codename ${SECRET}.`,
      tags: ["secret-tag"],
    });
    expect(a.status).toBe(201);
    articleId = a.body.id;
    await insider.json("PUT", `/api/articles/${articleId}`, {
      version: a.body.version,
      title: `Reorganisation plan ${SECRET}`,
      body: `Updated ${SECRET} text`,
      tags: ["secret-tag"],
    });
    await insider.json("POST", "/api/articles", {
      spaceId: publicSpace.id,
      title: "Expenses how-to",
      body: "Submit receipts monthly.",
      tags: ["finance"],
    });
    const mp = multipart("chart.png", PNG);
    const up = await insider.request("POST", `/api/attachments?articleId=${articleId}`, mp.body, {
      "content-type": mp.contentType,
    });
    expect(up.statusCode).toBe(200);
    attachmentId = up.json().id;
  });
  afterAll(async () => t.close());

  it("the member sees everything", async () => {
    expect((await insider.request("GET", `/api/articles/${articleId}`)).statusCode).toBe(200);
    const s = await insider.json<{ total: number }>("GET", `/api/search?q=${SECRET}`);
    expect(s.body.total).toBe(1);
  });

  it("direct URLs answer 404, not 403, so existence does not leak", async () => {
    for (const url of [
      `/api/articles/${articleId}`,
      `/api/articles/${articleId}/revisions`,
      `/api/articles/${articleId}/revisions/1`,
      `/api/articles/${articleId}/diff?from=1&to=2`,
      `/api/attachments/${attachmentId}`,
      `/api/spaces/${privateSpace.id}`,
      `/api/spaces/${privateSpace.id}/members`,
    ]) {
      const res = await outsider.request("GET", url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain(SECRET);
    }
    expect(
      (await outsider.request("PUT", `/api/articles/${articleId}`, { version: 2, title: "x", body: "y", tags: [] }))
        .statusCode,
    ).toBe(404);
    expect((await outsider.request("DELETE", `/api/articles/${articleId}`)).statusCode).toBe(404);
  });

  it("lists, counts, tags, search results, snippets and facets leave it out", async () => {
    const bodies = await Promise.all(
      [
        "/api/articles",
        "/api/spaces",
        `/api/search?q=${SECRET}`,
        "/api/search?q=reorganisation%20plan",
        `/api/search?q=${SECRET}&prefix=1`,
        "/api/search?q=",
        "/api/tags",
        `/api/people/${ownerId}`,
        "/api/trash",
      ].map(async (url) => [url, (await outsider.request("GET", url)).body] as const),
    );
    for (const [url, body] of bodies) {
      expect(body, url).not.toContain(SECRET);
      expect(body, url).not.toContain("secret-tag");
      expect(body, url).not.toContain("Leadership");
    }
    const search = await outsider.json<{ total: number }>("GET", `/api/search?q=${SECRET}`);
    expect(search.body.total).toBe(0);
    const list = await outsider.json<{ total: number }>("GET", "/api/articles");
    expect(list.body.total).toBe(1);
    const filtered = await outsider.json<{ total: number }>("GET", `/api/search?q=plan&spaceId=${privateSpace.id}`);
    expect(filtered.body.total).toBe(0);
  });

  it("guests read public spaces but cannot write anywhere", async () => {
    const list = await guest.json<{ total: number }>("GET", "/api/articles");
    expect(list.body.total).toBe(1);
    const spaces = await guest.json<{ items: { id: string; canEdit: boolean }[] }>("GET", "/api/spaces");
    expect(spaces.body.items.every((s) => !s.canEdit)).toBe(true);
    const write = await guest.json("POST", "/api/articles", {
      spaceId: spaces.body.items[0].id,
      title: "x",
      body: "y",
    });
    expect(write.status).toBe(403);
    expect((await guest.json("POST", "/api/spaces", { name: "Guest space" })).status).toBe(403);
  });

  it("joining the space reveals it; leaving hides it again, search included", async () => {
    const owner = insider;
    expect(
      (await owner.json("PUT", `/api/spaces/${privateSpace.id}/members/${outsiderId}`, { role: "viewer" })).status,
    ).toBe(200);
    expect((await outsider.json<{ total: number }>("GET", `/api/search?q=${SECRET}`)).body.total).toBe(1);
    expect((await outsider.request("GET", `/api/attachments/${attachmentId}`)).statusCode).toBe(200);
    const edit = await outsider.json("PUT", `/api/articles/${articleId}`, {
      version: 2,
      title: "x",
      body: "y",
      tags: [],
    });
    expect(edit.status).toBe(403);
    expect((await owner.json("DELETE", `/api/spaces/${privateSpace.id}/members/${outsiderId}`)).status).toBe(200);
    expect((await outsider.json<{ total: number }>("GET", `/api/search?q=${SECRET}`)).body.total).toBe(0);
  });

  it("the SQL scope and the policy agree on which spaces are visible", async () => {
    const actor = { id: outsiderId, role: "member" as const, name: "Oscar" };
    const ids = await visibleSpaceIds(t.ctx.db, actor);
    expect(ids.has(privateSpace.id)).toBe(false);
    expect(ids.size).toBe(1);
  });

  it("drafts are visible only to their owner", async () => {
    const spaces = await outsider.json<{ items: { id: string; name: string }[] }>("GET", "/api/spaces");
    const handbook = spaces.body.items.find((s) => s.name === "Handbook")!;
    const d = await insider.json<{ id: string }>("POST", "/api/articles", {
      spaceId: handbook.id,
      title: "Unfinished draft quokka",
      body: "quokka",
      status: "draft",
    });
    expect((await outsider.request("GET", `/api/articles/${d.body.id}`)).statusCode).toBe(404);
    expect((await outsider.json<{ total: number }>("GET", "/api/search?q=quokka")).body.total).toBe(0);
    expect((await insider.json<{ total: number }>("GET", "/api/articles?status=draft")).body.total).toBe(1);
  });

  it("anonymous requests get 401", async () => {
    for (const url of ["/api/articles", "/api/search?q=x", `/api/articles/${articleId}`, "/api/people"]) {
      expect((await t.app.inject({ url })).statusCode, url).toBe(401);
    }
  });
});
