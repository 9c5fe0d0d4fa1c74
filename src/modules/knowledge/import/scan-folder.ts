import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { isLocalRef, rewriteRefs } from "./rewrite-refs";

type ScannedAsset = { ref: string; absPath: string; exists: boolean };
export type ScannedDoc = {
  /** Path relative to the root, with forward slashes. */
  relPath: string;
  /** The document this one sits under in the tree (its folder's index.md/README.md), or null. */
  parentRelPath: string | null;
  folder: string;
  title: string;
  body: string;
  tags: string[];
  assets: ScannedAsset[];
  /** Changes when the file or any asset it references changes. */
  contentHash: string;
};

const MARKDOWN = /\.(md|markdown)$/i;
const INDEX = /^(index|readme)\.(md|markdown)$/i;

async function listMarkdown(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string): Promise<void> {
    // A folder's index first, then its files, then its sub-folders: parents come before children.
    const rank = (name: string) => (INDEX.test(name) ? 0 : 1);
    const entries = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => !e.name.startsWith(".") && e.name !== "node_modules")
      .sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries)
      if (e.isFile() && MARKDOWN.test(e.name))
        out.push(path.relative(root, path.join(dir, e.name)).split(path.sep).join("/"));
    for (const e of entries) if (e.isDirectory()) await walk(path.join(dir, e.name));
  }
  await walk(root);
  return out;
}

/** How many Markdown files an import of `root` will visit (for the progress bar). */
export async function countMarkdownFiles(root: string): Promise<number> {
  return (await listMarkdown(root)).length;
}

function prettyName(file: string): string {
  const base = path.posix.basename(file).replace(MARKDOWN, "").replace(/[-_]+/g, " ").trim();
  return base ? base[0].toUpperCase() + base.slice(1) : "Untitled";
}

type FrontMatter = { title?: string; tags: string[] };

/** Splits YAML front matter off the text; invalid front matter is left in the body. */
export function splitFrontMatter(text: string): { meta: FrontMatter; body: string } {
  const m = /^---[ \t]*\n([\s\S]*?)\n---[ \t]*(\n|$)/.exec(text);
  if (!m) return { meta: { tags: [] }, body: text };
  let data: unknown;
  try {
    data = parseYaml(m[1]);
  } catch {
    return { meta: { tags: [] }, body: text };
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) return { meta: { tags: [] }, body: text };
  const record = data as Record<string, unknown>;
  const rawTags = record.tags ?? record.keywords;
  const tags = (Array.isArray(rawTags) ? rawTags : typeof rawTags === "string" ? rawTags.split(",") : [])
    .map((t) => String(t).trim().toLowerCase())
    .filter((t) => t.length > 0 && t.length <= 50);
  const title = typeof record.title === "string" && record.title.trim() ? record.title.trim() : undefined;
  return { meta: { title, tags: [...new Set(tags)] }, body: text.slice(m[0].length) };
}

function parentOf(relPath: string, all: Set<string>): string | null {
  const folder = path.posix.dirname(relPath);
  const indexIn = (dir: string) =>
    [...all].find((p) => path.posix.dirname(p) === dir && INDEX.test(path.posix.basename(p))) ?? null;
  if (!INDEX.test(path.posix.basename(relPath))) {
    const own = indexIn(folder);
    if (own) return own;
  }
  // An index file (or a file in a folder without one) hangs under the nearest index above.
  let dir = folder;
  while (dir !== ".") {
    dir = path.posix.dirname(dir);
    const up = indexIn(dir);
    if (up) return up;
  }
  return null;
}

/** Walks `root` in a stable order and yields each Markdown file with its metadata and assets. */
export async function* scanMarkdownFolder(root: string): AsyncGenerator<ScannedDoc> {
  const absRoot = path.resolve(root);
  const files = await listMarkdown(absRoot);
  const all = new Set(files);
  for (const relPath of files) {
    const bytes = await readFile(path.join(absRoot, relPath));
    const text = bytes
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .replace(/\r\n?/g, "\n");
    const { meta, body: rest } = splitFrontMatter(text);
    let body = rest;
    let title = meta.title;
    const h1 = /^\s*#\s+(.+?)\s*#*\s*$/m.exec(body);
    if (h1 && body.slice(0, h1.index).trim() === "") {
      if (!title) title = h1[1].trim();
      if (h1[1].trim() === title) body = body.slice(h1.index + h1[0].length).replace(/^\n+/, "");
    }
    const folder = path.posix.dirname(relPath);
    const hash = createHash("sha256").update(bytes);
    const assets: ScannedAsset[] = [];
    const seen = new Set<string>();
    const refs: string[] = [];
    rewriteRefs(body, (ref) => {
      refs.push(ref);
      return null;
    });
    for (const ref of refs) {
      if (seen.has(ref) || !isLocalRef(ref)) continue;
      seen.add(ref);
      const file = ref.split("#", 1)[0].split("?", 1)[0];
      if (!file || MARKDOWN.test(file)) continue;
      let decoded: string;
      try {
        decoded = decodeURI(file);
      } catch {
        decoded = file;
      }
      const absPath = path.resolve(absRoot, folder, decoded);
      // Never reach outside the folder being imported.
      if (absPath !== absRoot && !absPath.startsWith(absRoot + path.sep)) {
        assets.push({ ref, absPath, exists: false });
        continue;
      }
      const info = await stat(absPath).catch(() => null);
      const exists = info?.isFile() ?? false;
      if (exists) hash.update(`\0${ref}\0${info!.size}\0${info!.mtimeMs}`);
      assets.push({ ref, absPath, exists });
    }
    yield {
      relPath,
      parentRelPath: parentOf(relPath, all),
      folder,
      title: (title ?? prettyName(relPath)).slice(0, 200),
      body,
      tags: meta.tags,
      assets,
      contentHash: hash.digest("hex"),
    };
  }
}
