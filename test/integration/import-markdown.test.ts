import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { articles, attachments } from "../../db/schema";
import { importMarkdownFolder } from "../../src/modules/knowledge/import/import-markdown";
import { getSpaceTree } from "../../src/modules/knowledge/tree.service";
import { rows } from "../../src/platform/db";
import { createTestApp, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);
const FIXTURE = path.resolve(__dirname, "../fixtures/markdown-import");

describe.each(testBackends())("Markdown folder import on %s", (backend) => {
  let t: TestApp;
  let actor: { id: string; role: "admin"; name: string };
  const dir = mkdtempSync(path.join(tmpdir(), "kh-md-"));
  beforeAll(async () => {
    t = await createTestApp(backend);
    const u = await t.newUser({ role: "admin" });
    actor = { id: u.id, role: "admin", name: u.name };
    cpSync(FIXTURE, dir, { recursive: true });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("imports titles, tags, the folder tree, images and links; a re-run duplicates nothing", async () => {
    const progress: number[] = [];
    const first = await importMarkdownFolder(t.ctx, actor, {
      root: dir,
      spaceName: "Handbook",
      onProgress: (d) => progress.push(d),
    });
    expect(first).toMatchObject({ total: 6, created: 6, updated: 0, unchanged: 0, attachments: 1, interrupted: false });
    expect(first.missingAssets).toEqual(["warehouse/picking.md: images/does-not-exist.png"]);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
    const all = await rows<{ id: string; title: string; tags: string[]; body: string; parent_id: string | null }>(
      t.ctx.db,
      sql`select id, title, tags, body, parent_id from articles order by title`,
    );
    const by = new Map(all.map((a) => [a.title, a]));
    const pallet = by.get("Handling a damaged pallet at goods-in")!;
    expect(pallet.tags).toEqual(["warehouse", "goods-in", "damage"]);
    expect(pallet.parent_id).toBe(by.get("Warehouse guides")!.id);
    expect(by.get("Warehouse guides")!.parent_id).toBe(by.get("Operations handbook")!.id);
    // The folders show as the space's page tree, every page with a key (a folder's index first).
    const spaceId = (await rows<{ space_id: string }>(t.ctx.db, sql`select space_id from articles limit 1`))[0]
      .space_id;
    const tree = await getSpaceTree(t.ctx, actor, spaceId);
    const depthOf = new Map(tree.items.map((i) => [i.title, i.depth]));
    expect(tree.items[0]).toMatchObject({ title: "Operations handbook", depth: 0 });
    expect(depthOf.get("Warehouse guides")).toBe(1);
    expect(depthOf.get("Handling a damaged pallet at goods-in")).toBe(2);
    expect(
      (await rows<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from articles where position is null`))[0].n,
    ).toBe(0);
    const [img] = await t.ctx.db.select().from(attachments).where(eq(attachments.articleId, pallet.id));
    expect(pallet.body).toContain(`](/api/attachments/${img.id})`);
    expect(pallet.body).toContain(`](/articles/${by.get("Picking")!.id}#short-picks)`);

    const again = await importMarkdownFolder(t.ctx, actor, { root: dir, spaceName: "Handbook" });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 6, attachments: 0 });
    expect((await t.ctx.db.select().from(articles)).length).toBe(6);
    expect((await t.ctx.db.select().from(attachments)).length).toBe(1);

    writeFileSync(path.join(dir, "warehouse/picking.md"), "# Picking\n\nNew rule: scan twice.\n");
    const third = await importMarkdownFolder(t.ctx, actor, { root: dir, spaceName: "handbook" });
    expect(third).toMatchObject({ created: 0, updated: 1, unchanged: 5 });
    const [picking] = await t.ctx.db
      .select()
      .from(articles)
      .where(eq(articles.id, by.get("Picking")!.id));
    expect(picking.version).toBe(2);
    expect(picking.body).toContain("scan twice");
  });

  it("stops cleanly when asked and finishes on the next run", async () => {
    const other = mkdtempSync(path.join(tmpdir(), "kh-md2-"));
    cpSync(FIXTURE, other, { recursive: true });
    let n = 0;
    const stopped = await importMarkdownFolder(t.ctx, actor, {
      root: other,
      spaceName: "Second",
      shouldStop: () => n++ >= 2,
    });
    expect(stopped.interrupted).toBe(true);
    expect(stopped.created).toBe(2);
    const rest = await importMarkdownFolder(t.ctx, actor, { root: other, spaceName: "Second" });
    expect(rest).toMatchObject({ created: 4, unchanged: 2, interrupted: false });
    rmSync(other, { recursive: true, force: true });
  });
});
