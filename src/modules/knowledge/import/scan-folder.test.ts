import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { countMarkdownFiles, scanMarkdownFolder, splitFrontMatter, type ScannedDoc } from "./scan-folder";

const FIXTURE = path.resolve(__dirname, "../../../../test/fixtures/markdown-import");

async function scan(root: string): Promise<ScannedDoc[]> {
  const out: ScannedDoc[] = [];
  for await (const d of scanMarkdownFolder(root)) out.push(d);
  return out;
}

describe("scanMarkdownFolder", () => {
  const tmp = mkdtempSync(path.join(tmpdir(), "scan-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("reads titles, tags, the folder tree and assets in a stable order", async () => {
    expect(await countMarkdownFiles(FIXTURE)).toBe(6);
    const docs = await scan(FIXTURE);
    const by = new Map(docs.map((d) => [d.relPath, d]));
    expect(docs.map((d) => d.relPath)).toEqual([
      "README.md",
      "it/broken-front-matter.md",
      "it/scanner-reset.md",
      "warehouse/index.md",
      "warehouse/damaged-pallet.md",
      "warehouse/picking.md",
    ]);
    const pallet = by.get("warehouse/damaged-pallet.md")!;
    expect(pallet.title).toBe("Handling a damaged pallet at goods-in");
    expect(pallet.body).not.toContain("# Handling a damaged pallet");
    expect(pallet.tags).toEqual(["warehouse", "goods-in", "damage"]);
    expect(pallet.parentRelPath).toBe("warehouse/index.md");
    expect(pallet.assets).toEqual([
      {
        ref: "images/quarantine-lane.png",
        absPath: path.join(FIXTURE, "warehouse/images/quarantine-lane.png"),
        exists: true,
      },
    ]);
    expect(by.get("warehouse/index.md")!.parentRelPath).toBe("README.md");
    expect(by.get("warehouse/index.md")!.title).toBe("Warehouse guides");
    expect(by.get("README.md")!.parentRelPath).toBeNull();
    expect(by.get("it/scanner-reset.md")!.parentRelPath).toBe("README.md");
    expect(by.get("it/scanner-reset.md")!.tags).toEqual(["it", "scanner"]);
    expect(by.get("it/scanner-reset.md")!.body).not.toContain("\r");
    expect(by.get("warehouse/picking.md")!.assets[0]).toMatchObject({
      ref: "images/does-not-exist.png",
      exists: false,
    });
  });

  it("keeps invalid front matter as text and falls back to the file name", async () => {
    const broken = (await scan(FIXTURE)).find((d) => d.relPath === "it/broken-front-matter.md")!;
    expect(broken.title).toBe("Broken front matter");
    expect(broken.body).toContain("title: [broken");
    expect(splitFrontMatter("---\ntags: a, b\n---\nbody").meta.tags).toEqual(["a", "b"]);
  });

  it("changes the content hash when an asset changes and refuses paths outside the root", async () => {
    const root = path.join(tmp, "copy");
    cpSync(FIXTURE, root, { recursive: true });
    const before = (await scan(root)).find((d) => d.relPath === "warehouse/damaged-pallet.md")!.contentHash;
    writeFileSync(path.join(root, "warehouse/images/quarantine-lane.png"), Buffer.alloc(300, 1));
    const after = (await scan(root)).find((d) => d.relPath === "warehouse/damaged-pallet.md")!.contentHash;
    expect(after).not.toBe(before);
    writeFileSync(path.join(root, "escape.md"), "![x](../../../etc/passwd)\n");
    const escape = (await scan(root)).find((d) => d.relPath === "escape.md")!;
    expect(escape.assets[0].exists).toBe(false);
  });
});
