import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestApp, type TestApp } from "../support/app";
import { closeTemplates, type Backend } from "../support/databases";
import { rows } from "../../src/platform/db";
import { articles } from "../../db/schema";
import { createSearchService, type SearchService } from "../../src/modules/search/search.service";
import { readSnapshot, writeSnapshot } from "../../src/modules/search/search-snapshot";
import type { Actor } from "../../src/authz/policy";

afterAll(closeTemplates);

/*
 * A restarted instance reads the search index from DATA_DIR/search instead of rebuilding it, and
 * still answers exactly as a rebuilt index would: writes after the snapshot are caught up, and a
 * snapshot of another database, newer than the database, or damaged is refused and rebuilt.
 */

const pgEnabled = process.env.KNOWHOW_TEST_PG === "1";
const backends: { kind: Backend; run: boolean }[] = [
  { kind: "pglite", run: true },
  { kind: "postgres", run: pgEnabled },
];

const TOPICS = ["pallet labels", "forklift batteries", "customs exports", "tachograph hours", "returns dock"];

for (const { kind, run } of backends) {
  describe.runIf(run)(`search snapshot (${kind})`, () => {
    let t: TestApp;
    let admin: Actor;
    let spaceId: string;
    let file: string;
    const services: SearchService[] = [];
    const service = (extra: { every?: number; minDocs?: number } = {}) => {
      const s = createSearchService(t.ctx.db, t.ctx.now, { file, minDocs: 5, every: 1_000_000, ...extra });
      services.push(s);
      return s;
    };
    const answers = async (s: SearchService, q: string) =>
      (await s.search(admin, { q, limit: 50, offset: 0 })).items.map((i) => `${i.id}:${i.title}`).sort();
    const everything = async (s: SearchService) =>
      Promise.all([...TOPICS, "guide", "tachograf"].map((q) => answers(s, q)));

    beforeAll(async () => {
      t = await createTestApp(kind);
      file = path.join(t.ctx.config.dataDir, "search", "test.snapshot");
      const u = await t.newUser({ role: "admin" });
      admin = { id: u.id, role: "admin", name: u.name };
      spaceId = (await t.newSpace(u.id)).id;
      await t.ctx.db.insert(articles).values(
        Array.from({ length: 30 }, (_, i) => ({
          spaceId,
          title: `${TOPICS[i % TOPICS.length]} guide ${i}`,
          body: `How we handle ${TOPICS[(i * 3) % TOPICS.length]} on shift ${i}.`,
          tags: [TOPICS[i % TOPICS.length].split(" ")[0]],
          ownerId: u.id,
          updatedBy: u.id,
        })),
      );
    });
    afterAll(async () => t?.close());

    it("a new service starts from the snapshot and answers as one rebuilt from the database", async () => {
      const first = service();
      await first.catchUp();
      expect(first.startedFrom()).toEqual({ from: "database", refused: "none yet" });
      expect(existsSync(file)).toBe(true);

      // Changes after the snapshot: an edited title, an article moved to the trash, a new one.
      const [edited, trashed] = await rows<{ id: string }>(
        t.ctx.db,
        sql`select id from articles where space_id = ${spaceId} order by title limit 2`,
      );
      await t.ctx.db.execute(
        sql`update articles set title = 'Forklift batteries, revised', search_seq = nextval('search_seq') where id = ${edited.id}`,
      );
      await t.ctx.db.execute(
        sql`update articles set deleted_at = now(), search_seq = nextval('search_seq') where id = ${trashed.id}`,
      );
      await t.ctx.db.insert(articles).values({
        spaceId,
        title: "Tachograph hours after midnight",
        body: "A new guide.",
        ownerId: admin.id,
        updatedBy: admin.id,
      });

      const restarted = service();
      await restarted.catchUp();
      expect(restarted.startedFrom()).toEqual({ from: "snapshot" });
      const rebuilt = createSearchService(t.ctx.db, t.ctx.now);
      await rebuilt.catchUp();
      expect(await everything(restarted)).toEqual(await everything(rebuilt));
      const tacho = await answers(restarted, "tachograph midnight");
      expect(tacho.some((x) => x.endsWith("Tachograph hours after midnight"))).toBe(true);
      expect((await answers(restarted, "revised")).length).toBe(1);
      expect((await answers(restarted, "guide")).some((x) => x.startsWith(`${trashed.id}:`))).toBe(false);
    });

    it("is written again after enough changes, and the next start needs only what came after", async () => {
      const s = service({ every: 3 });
      await s.catchUp();
      const before = (await readSnapshot(file)).meta.seq;
      for (let i = 0; i < 4; i++)
        await t.ctx.db.insert(articles).values({
          spaceId,
          title: `Dock returns checklist ${i}`,
          body: "Scan, check, store.",
          ownerId: admin.id,
          updatedBy: admin.id,
        });
      await s.catchUp();
      const after = (await readSnapshot(file)).meta;
      expect(after.seq).toBeGreaterThan(before);
      expect(after.index.live).toBe(s.size());
    });

    it("refuses a snapshot newer than the database, or damaged, and rebuilds", async () => {
      const good = service();
      await good.catchUp();
      const { meta, index } = await readSnapshot(file);
      const expected = await everything(good);

      await writeSnapshot(file, index, { database: meta.database, seq: meta.seq + 1_000_000 });
      const afterRestore = service();
      await afterRestore.catchUp();
      expect(afterRestore.startedFrom()).toMatchObject({ from: "database", refused: expect.stringMatching(/newer/) });
      expect(await everything(afterRestore)).toEqual(expected);

      const bytes = readFileSync(file);
      bytes[bytes.length - 40] ^= 0xff;
      const { writeFileSync } = await import("node:fs");
      writeFileSync(file, bytes);
      const damaged = service();
      await damaged.catchUp();
      expect(damaged.startedFrom()).toMatchObject({ from: "database", refused: expect.stringMatching(/checksum/) });
      expect(await everything(damaged)).toEqual(expected);
    });

    // PGlite test databases all start from one dump (one system identifier), so this is PostgreSQL's.
    if (kind === "postgres")
      it("refuses a snapshot taken from another database", async () => {
        const other = await createTestApp(kind);
        try {
          const u = await other.newUser({ role: "admin" });
          const sp = await other.newSpace(u.id);
          await other.ctx.db.insert(articles).values(
            Array.from({ length: 10 }, (_, i) => ({
              spaceId: sp.id,
              title: `Other company page ${i}`,
              body: "Not ours.",
              ownerId: u.id,
              updatedBy: u.id,
            })),
          );
          // Plenty of sequence numbers here, so only the database check can refuse it.
          await t.ctx.db.execute(sql`select setval('search_seq', 1000000)`);
          const theirs = createSearchService(other.ctx.db, other.ctx.now, { file, minDocs: 5 });
          await theirs.catchUp();
          const ours = service();
          await ours.catchUp();
          expect(ours.startedFrom()).toMatchObject({
            from: "database",
            refused: expect.stringMatching(/another database/),
          });
          expect(await answers(ours, "other company")).toEqual([]);
        } finally {
          await other.close();
        }
      });
  });
}
