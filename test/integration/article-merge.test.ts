import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { eq } from "drizzle-orm";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";
import { ArticleConflictOut } from "../../src/modules/knowledge/articles.schema";
import { composeBody } from "../../src/domain/merge/three-way";
import { purgePendingUploads } from "../../src/modules/knowledge/attachments.service";
import { attachments } from "../../db/schema";

afterAll(closeTemplates);

type Article = {
  id: string;
  version: number;
  title: string;
  body: string;
  tags: string[];
  attachments: { id: string }[];
};
type Conflict = ArticleConflictOut;

const BASE = [
  "# Pump seal",
  "",
  "1. Switch the pump off.",
  "2. Close valves V1 and V2.",
  "",
  "Wear gloves: the fluid is hot.",
  "",
].join("\n");

function form(name: string, content: Buffer) {
  const boundary = "----merge3";
  return {
    body: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
          `Content-Type: application/octet-stream\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4ad0000000049454e44ae426082",
  "hex",
);

describe.each(testBackends())("three-way merge of stale saves, and uploads before the first save, on %s", (backend) => {
  let t: TestApp;
  let ana: Client;
  let ben: Client;
  let cleo: Client;
  let spaceId: string;
  let privateSpaceId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const a = await t.newUser({ name: "Ana" });
    const b = await t.newUser({ name: "Ben" });
    const c = await t.newUser({ name: "Cleo" });
    spaceId = (await t.newSpace(a.id, { name: "Runbooks" })).id;
    privateSpaceId = (await t.newSpace(a.id, { name: "Board", visibility: "private" })).id;
    ana = await t.login(a.email);
    ben = await t.login(b.email);
    cleo = await t.login(c.email);
  });
  afterAll(async () => t.close());

  async function create(tags = ["pumps"]) {
    const res = await ana.json<Article>("POST", "/api/articles", { spaceId, title: "Pump seal", body: BASE, tags });
    expect(res.status).toBe(201);
    return res.body;
  }
  const save = (c: Client, a: { id: string }, v: number, patch: Partial<Article> & { body: string }) =>
    c.json<Article & Conflict>("PUT", `/api/articles/${a.id}`, {
      version: v,
      title: patch.title ?? "Pump seal",
      tags: patch.tags ?? ["pumps"],
      body: patch.body,
    });

  it("answers a stale save with the base, the current article and a clean merge of edits to different places", async () => {
    const a = await create();
    expect(
      (await save(ana, a, 1, { body: BASE.replace("V1 and V2", "V1, V2 and V3"), title: "Pump seal P-40" })).status,
    ).toBe(200);
    const stale = await save(ben, a, 1, {
      body: BASE.replace("gloves:", "heat-proof gloves:"),
      tags: ["pumps", "safety"],
    });
    expect(stale.status).toBe(409);
    const conflict = ArticleConflictOut.parse(stale.body);
    expect(conflict.error.code).toBe("conflict");
    expect(conflict.current?.version).toBe(2);
    expect(conflict.base).toEqual({ version: 1, title: "Pump seal", body: BASE, tags: ["pumps"] });
    const merge = conflict.merge!;
    expect(merge.clean).toBe(true);
    expect(merge.title.merged).toBe("Pump seal P-40");
    expect(merge.tags.merged).toEqual(["pumps", "safety"]);
    expect(merge.body.changes).toEqual({ theirs: 1, mine: 1 });
    const merged = composeBody(merge.body);
    expect(merged).toBe(BASE.replace("V1 and V2", "V1, V2 and V3").replace("gloves:", "heat-proof gloves:"));
    // Saved on the latest version: nobody's change is lost.
    const ok = await save(ben, a, conflict.current!.version, {
      body: merged,
      title: merge.title.merged!,
      tags: merge.tags.merged!,
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ version: 3, title: "Pump seal P-40", tags: ["pumps", "safety"] });
    expect(ok.body.body).toContain("V1, V2 and V3");
    expect(ok.body.body).toContain("heat-proof gloves");
  });

  it("keeps the same line edited by both as a conflict; refuses the markers; a third edit meanwhile is a new 409", async () => {
    const a = await create();
    await save(ana, a, 1, { body: BASE.replace("gloves:", "heat-proof gloves:"), title: "Pump seal (Ana)" });
    const stale = await save(ben, a, 1, {
      body: BASE.replace("gloves:", "gloves and goggles:").replace("1. Switch", "1. Lock out and switch"),
      title: "Pump seal (Ben)",
    });
    expect(stale.status).toBe(409);
    const merge = ArticleConflictOut.parse(stale.body).merge!;
    expect(merge.clean).toBe(false);
    expect(merge.title).toMatchObject({ theirs: "Pump seal (Ana)", mine: "Pump seal (Ben)", merged: null });
    expect(merge.body.conflicts).toBe(1);
    expect(merge.body.hunks.find((h) => h.kind === "conflict")).toEqual({
      kind: "conflict",
      base: ["Wear gloves: the fluid is hot."],
      theirs: ["Wear heat-proof gloves: the fluid is hot."],
      mine: ["Wear gloves and goggles: the fluid is hot."],
    });
    const proposed = composeBody(merge.body);
    expect(proposed).toContain("1. Lock out and switch");
    // Saving with the conflict undecided is refused, naming the field, and writes nothing.
    const refused = await ben.json<{ error: { message: string; fields: { path: string }[] } }>(
      "PUT",
      `/api/articles/${a.id}`,
      { version: 2, title: "Pump seal (Ben)", tags: ["pumps"], body: proposed },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields.map((f) => f.path)).toEqual(["body"]);
    expect(refused.body.error.message).toContain("1 unresolved conflict");
    expect((await ana.json<Article>("GET", `/api/articles/${a.id}`)).body.version).toBe(2);
    // Cleo saves a third edit while Ben decides; Ben's save on version 2 cannot overwrite it.
    await save(cleo, a, 2, {
      body: BASE.replace("gloves:", "heat-proof gloves:").replace("# Pump seal", "# Pump seal (Cleo's heading)"),
      title: "Pump seal (Ana)",
    });
    const resolved = composeBody(merge.body, ["both"]);
    const again = await save(ben, a, 2, { body: resolved, title: "Pump seal (Ben)" });
    expect(again.status).toBe(409);
    const second = ArticleConflictOut.parse(again.body);
    expect(second.base?.version).toBe(2);
    expect(second.merge!.clean).toBe(true);
    const final = composeBody(second.merge!.body);
    expect(final).toContain("# Pump seal (Cleo's heading)");
    expect(final).toContain("1. Lock out and switch");
    expect(final).toContain("Wear heat-proof gloves: the fluid is hot.\nWear gloves and goggles: the fluid is hot.");
    expect(second.merge!.title.merged).toBe("Pump seal (Ben)");
  });

  it("keeps a new article's uploads private to the uploader until the article is created with them", async () => {
    const f = form("diagram.png", PNG);
    const up = await ana.request("POST", `/api/attachments?spaceId=${spaceId}`, f.body, f.headers);
    expect(up.statusCode).toBe(200);
    const pending = up.json<{ id: string; url: string; kind: string }>();
    expect(pending.kind).toBe("image");
    expect((await ana.request("GET", pending.url)).statusCode).toBe(200);
    // Ben may read the space, yet not Ana's pending upload: it answers like a missing file.
    expect((await ben.request("GET", pending.url)).statusCode).toBe(404);
    // Ben cannot bind it to his own article either; nothing is created.
    const before = (await ben.json<{ total: number }>("GET", `/api/articles?spaceId=${spaceId}`)).body.total;
    const stolen = await ben.json<{ error: { fields: { path: string }[] } }>("POST", "/api/articles", {
      spaceId,
      title: "Mine now",
      attachmentIds: [pending.id],
    });
    expect(stolen.status).toBe(400);
    expect(stolen.body.error.fields.map((x) => x.path)).toEqual(["attachmentIds"]);
    expect((await ben.json<{ total: number }>("GET", `/api/articles?spaceId=${spaceId}`)).body.total).toBe(before);

    const created = await ana.json<Article>("POST", "/api/articles", {
      spaceId,
      title: "Seal diagram",
      body: `![diagram.png](${pending.url})`,
      attachmentIds: [pending.id],
    });
    expect(created.status).toBe(201);
    expect(created.body.attachments.map((x) => x.id)).toEqual([pending.id]);
    expect((await ben.request("GET", pending.url)).statusCode).toBe(200);
    // Bound once: it cannot be bound again.
    const twice = await ana.json("POST", "/api/articles", { spaceId, title: "Again", attachmentIds: [pending.id] });
    expect(twice.status).toBe(400);
  });

  it("checks the space and the query of a pending upload", async () => {
    const f = form("notes.txt", Buffer.from("notes"));
    expect(
      (await ben.request("POST", `/api/attachments?spaceId=${privateSpaceId}`, f.body, f.headers)).statusCode,
    ).toBe(404);
    const neither = await ana.request("POST", "/api/attachments", f.body, f.headers);
    expect(neither.statusCode).toBe(400);
    expect(neither.json().error.fields[0].path).toBe("articleId");
    // An upload for one space is not bound to an article in another.
    const up = (await ana.request("POST", `/api/attachments?spaceId=${privateSpaceId}`, f.body, f.headers)).json();
    const elsewhere = await ana.json("POST", "/api/articles", { spaceId, title: "X", attachmentIds: [up.id] });
    expect(elsewhere.status).toBe(400);
  });

  it("purges uploads never bound to an article after a day, bytes included, and keeps bound ones", async () => {
    const f = form("old.txt", Buffer.from("old notes"));
    const orphan = (await ana.request("POST", `/api/attachments?spaceId=${spaceId}`, f.body, f.headers)).json();
    const kept = (await ana.request("POST", `/api/attachments?spaceId=${spaceId}`, f.body, f.headers)).json();
    await ana.json("POST", "/api/articles", { spaceId, title: "Kept", attachmentIds: [kept.id] });
    const [row] = await t.ctx.db.select().from(attachments).where(eq(attachments.id, orphan.id));
    expect(existsSync(t.ctx.files.pathOf(row.storageKey))).toBe(true);
    expect(await purgePendingUploads(t.ctx, new Date(t.clock.now.getTime() + 23 * 3_600_000))).toBe(0);
    expect(await purgePendingUploads(t.ctx, new Date(t.clock.now.getTime() + 25 * 3_600_000))).toBeGreaterThanOrEqual(
      1,
    );
    expect(await t.ctx.db.select().from(attachments).where(eq(attachments.id, orphan.id))).toEqual([]);
    expect(existsSync(t.ctx.files.pathOf(row.storageKey))).toBe(false);
    expect((await ana.request("GET", orphan.url)).statusCode).toBe(404);
    expect((await ana.request("GET", kept.url)).statusCode).toBe(200);
  });
});
