import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SearchIndex, type IndexDoc } from "../../domain/search/search-index";
import { readSnapshot, writeSnapshot } from "./search-snapshot";

const dir = mkdtempSync(path.join(tmpdir(), "knowhow-snapshot-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A small corpus with repeated words, tags, several spaces and authors, so every section is used.
const WORDS = ["pallet", "forklift", "label", "customs", "tachograph", "rota", "battery", "scanner", "dock", "return"];
function corpus(n: number, seed = 7): IndexDoc[] {
  let x = seed;
  const rand = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = () => WORDS[Math.floor(rand() * WORDS.length)];
  return Array.from({ length: n }, (_, i) => ({
    id: `doc-${i}`,
    title: `${pick()} ${pick()} guide ${i}`,
    body: Array.from({ length: 20 + Math.floor(rand() * 60) }, pick).join(" "),
    tags: rand() < 0.5 ? [pick()] : [],
    spaceId: `space-${i % 3}`,
    authorId: `author-${i % 5}`,
    updatedAt: 1_700_000_000_000 + i,
  }));
}
const QUERIES = ["pallet label", "forklift", "tachograp", "dock return scanner", "custom", "rota battery"];
const opts = { limit: 20, offset: 0, spaceIds: new Set(["space-0", "space-2"]) };
const results = (index: SearchIndex) =>
  QUERIES.map((q) => {
    const r = index.search(q, opts);
    return { total: r.total, hits: r.hits, terms: r.terms, spaces: [...r.facets.spaces], tags: [...r.facets.tags] };
  });
const asTyped = (index: SearchIndex) =>
  results(index).concat([index.search("forkl", { ...opts, prefix: true }) as never]);

describe("search snapshot", () => {
  it("reads back an index that answers exactly as the one written, and keeps changing after", async () => {
    const original = new SearchIndex();
    for (const d of corpus(400)) original.upsert(d);
    for (let i = 0; i < 30; i++) original.remove(`doc-${i * 7}`);
    const file = path.join(dir, "a.snapshot");
    const bytes = await writeSnapshot(file, original, { database: "test-db", seq: 1234 });
    expect(bytes).toBe(readFileSync(file).length);
    const { meta, index } = await readSnapshot(file);
    expect(meta).toMatchObject({ database: "test-db", seq: 1234 });
    expect(index.size).toBe(original.size);
    expect(asTyped(index)).toEqual(asTyped(original));
    // Both go on the same way: new documents, replaced ones, removals up to a compaction.
    for (const target of [original, index]) {
      for (const d of corpus(60, 99)) target.upsert({ ...d, id: `new-${d.id}` });
      for (const d of corpus(50, 3)) target.upsert(d);
      for (let i = 100; i < 400; i++) target.remove(`doc-${i}`);
    }
    expect(asTyped(index)).toEqual(asTyped(original));
  });

  it("refuses a file cut short, altered or of another layout", async () => {
    const index = new SearchIndex();
    for (const d of corpus(50)) index.upsert(d);
    const file = path.join(dir, "b.snapshot");
    await writeSnapshot(file, index, { database: "test-db", seq: 1 });
    const whole = readFileSync(file);
    const variants: [string, Buffer, RegExp][] = [
      ["cut", whole.subarray(0, whole.length - 100), /not a complete/],
      ["flipped", Buffer.from(whole).fill(0x41, 200, 201), /checksum/],
      ["format", Buffer.concat([whole.subarray(0, 6), Buffer.from([9, 0]), whole.subarray(8)]), /format 9/],
      ["empty", Buffer.alloc(0), /not a complete/],
    ];
    for (const [name, bytes, reason] of variants) {
      const f = path.join(dir, `bad-${name}.snapshot`);
      writeFileSync(f, bytes);
      await expect(readSnapshot(f), name).rejects.toThrow(reason);
    }
    await expect(readSnapshot(path.join(dir, "missing.snapshot"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("an empty index round-trips", async () => {
    const file = path.join(dir, "c.snapshot");
    await writeSnapshot(file, new SearchIndex(), { database: "x", seq: 0 });
    const { index } = await readSnapshot(file);
    expect(index.size).toBe(0);
    index.upsert(corpus(1)[0]);
    expect(index.search("guide", { limit: 5, offset: 0 }).total).toBe(1);
  });
});
