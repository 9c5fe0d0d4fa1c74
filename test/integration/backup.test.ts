import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";
import { rows } from "../../src/platform/db";
import { readManifest, restoreBackup, writeBackup } from "../../src/platform/backup";

afterAll(closeTemplates);

// Backup and restore under write load: every write acknowledged before the backup started is in the
// restored instance, with its files; the restored instance works (sign-in, new writes).

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4ad0000000049454e44ae426082",
  "hex",
);

describe.each(testBackends())("backup and restore on %s", (backend) => {
  let source: TestApp;
  let target: TestApp;
  let ana: Client;
  let anaEmail = "";
  let spaceId = "";
  const dir = mkdtempSync(path.join(tmpdir(), "knowhow-backup-"));

  beforeAll(async () => {
    source = await createTestApp(backend);
    target = await createTestApp(backend);
    const a = await source.newUser({ name: "Ana" });
    anaEmail = a.email;
    ana = await source.login(a.email);
    spaceId = (await source.newSpace(a.id, { name: "Dock" })).id;
  });
  afterAll(async () => {
    await source.close();
    await target.close();
  });

  it("keeps every acknowledged write, with attachments and history, while writes go on", async () => {
    const post = (i: number) =>
      ana.json<{ id: string }>("POST", "/api/articles", {
        spaceId,
        title: `Dock procedure ${i}`,
        body: `Step ${i}: check the seal.`,
        tags: ["dock"],
      });
    const before: string[] = [];
    for (let i = 0; i < 25; i++) before.push((await post(i)).body.id);
    // An edit (a second revision) and a photo on the first article.
    const first = before[0];
    await ana.json("PUT", `/api/articles/${first}`, {
      version: 1,
      title: "Dock procedure 0",
      body: "Step 0: check the seal twice.",
      tags: ["dock"],
    });
    const boundary = "----kh";
    const upload = await ana.request(
      "POST",
      `/api/attachments?articleId=${first}`,
      Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="seal.png"\r\n\r\n`),
        PNG,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
      { "content-type": `multipart/form-data; boundary=${boundary}` },
    );
    expect(upload.statusCode).toBe(200);

    // Writes keep coming while the backup runs.
    let writing = true;
    let during = 0;
    const load = (async () => {
      for (let i = 100; writing; i++) {
        await post(i);
        during++;
      }
    })();
    const file = path.join(dir, "knowhow.tar.gz");
    const manifest = await writeBackup(source.ctx.database, source.ctx.files.root, file);
    writing = false;
    await load;
    expect(during).toBeGreaterThan(0);
    expect(manifest.files).toBeGreaterThanOrEqual(1);
    expect((await readManifest(file)).tables.find((t) => t.name === "articles")!.rows).toBeGreaterThanOrEqual(25);

    await restoreBackup(target.ctx.db, target.ctx.files.root, file);
    const restored = await rows<{ id: string; body: string; version: number }>(
      target.ctx.db,
      sql`select id, body, version from articles where title like 'Dock procedure %'`,
    );
    const ids = new Set(restored.map((r) => r.id));
    for (const id of before) expect(ids.has(id)).toBe(true);
    expect(restored.find((r) => r.id === first)).toMatchObject({ body: "Step 0: check the seal twice.", version: 2 });
    const [revisions] = await rows<{ n: number }>(
      target.ctx.db,
      sql`select count(*)::int as n from article_revisions where article_id = ${first}`,
    );
    expect(revisions.n).toBe(2);

    // The restored instance works: the same person signs in with the same password, reads the photo, writes.
    const again = await target.login(anaEmail);
    const photo = await again.request("GET", `/api/attachments/${upload.json().id}`);
    expect(photo.statusCode).toBe(200);
    expect(photo.rawPayload.equals(PNG)).toBe(true);
    const created = await again.json<{ id: string; version: number }>("POST", "/api/articles", {
      spaceId,
      title: "After the restore",
      body: "New writes take fresh ids and sequence numbers.",
    });
    expect(created.status).toBe(201);
  });

  it("refuses a file that is not a backup, and a backup of another schema, changing nothing", async () => {
    const junk = path.join(dir, "junk.tar.gz");
    writeFileSync(junk, "not a backup");
    await expect(restoreBackup(target.ctx.db, target.ctx.files.root, junk)).rejects.toThrow();
    const file = path.join(dir, "other.tar.gz");
    await writeBackup(source.ctx.database, source.ctx.files.root, file);
    await source.ctx.db.execute(
      sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-the-future', ${Date.now() + 1e9})`,
    );
    const newer = path.join(dir, "newer.tar.gz");
    await writeBackup(source.ctx.database, source.ctx.files.root, newer);
    const [count] = await rows<{ n: number }>(target.ctx.db, sql`select count(*)::int as n from articles`);
    await expect(restoreBackup(target.ctx.db, target.ctx.files.root, newer)).rejects.toThrow(/another version/);
    const [after] = await rows<{ n: number }>(target.ctx.db, sql`select count(*)::int as n from articles`);
    expect(after.n).toBe(count.n);
  });
});

describe("knowhow backup and knowhow restore (embedded database)", () => {
  it("writes a backup of a data folder and restores it into another, asking first", async () => {
    const { runInProcess } = await import("../support/cli");
    const cli = await import("../../src/cli/backup");
    const root = mkdtempSync(path.join(tmpdir(), "knowhow-cli-backup-"));
    const env = { ...process.env };
    try {
      process.env.DATA_DIR = path.join(root, "a");
      delete process.env.DATABASE_URL;
      const file = path.join(root, "a.tar.gz");
      expect((await runInProcess(cli.run, [])).status).toBe(2);
      const made = await runInProcess(cli.run, [file]);
      expect(made.stderr).toMatch(/^(Tables: \d+\/\d+\n)*$/);
      expect(made.status).toBe(0);
      expect(made.stdout).toMatch(/^Backup written to .*a\.tar\.gz: \d+ rows in \d+ tables, 0 files\.\n$/);

      process.env.DATA_DIR = path.join(root, "b");
      const asked = await runInProcess(cli.restore, [file]);
      expect(asked.status).toBe(2);
      expect(asked.stderr).toMatch(/Run again with --yes/);
      const restored = await runInProcess(cli.restore, [file, "--yes"]);
      expect(restored.status).toBe(0);
      expect(restored.stdout).toMatch(/^Restored \d+ rows and 0 files\.\n$/);
      const broken = path.join(root, "broken.tar.gz");
      writeFileSync(broken, "x");
      const refused = await runInProcess(cli.restore, [broken, "--yes"]);
      expect(refused.status).toBe(1);
    } finally {
      process.env.DATA_DIR = env.DATA_DIR;
      if (env.DATABASE_URL !== undefined) process.env.DATABASE_URL = env.DATABASE_URL;
    }
  });
});
