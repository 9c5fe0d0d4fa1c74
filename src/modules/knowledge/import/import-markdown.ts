import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { articles, attachments, spaces } from "../../../../db/schema";
import type { AppContext } from "../../../context";
import { authorize, type Actor } from "../../../authz/policy";
import { loadSpaceSubject } from "../../../authz/access";
import { createSpace } from "../../spaces/spaces.service";
import { createArticle, updateArticle } from "../articles.service";
import { storeFile } from "../attachments.service";
import { countMarkdownFiles, scanMarkdownFolder, type ScannedDoc } from "./scan-folder";
import { isLocalRef, rewriteRefs } from "./rewrite-refs";

type ImportReport = {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  attachments: number;
  missingAssets: string[];
  interrupted: boolean;
};
type Options = {
  root: string;
  spaceName: string;
  onProgress?: (done: number, total: number) => void;
  shouldStop?: () => boolean;
};

/** Finds the space by name (case-insensitive) or creates it as a public space owned by the actor. */
async function findOrCreateSpace(ctx: AppContext, actor: Actor, name: string): Promise<string> {
  const [found] = await ctx.db
    .select({ id: spaces.id })
    .from(spaces)
    .where(sql`lower(${spaces.name}) = ${name.trim().toLowerCase()}`)
    .limit(1);
  if (found) return found.id;
  return (
    await createSpace(ctx, actor, {
      name: name.trim(),
      description: "Imported from Markdown",
      visibility: "public",
      memberAccess: "editor",
    })
  ).id;
}

const keyOf = (spaceId: string, relPath: string) => `md:${spaceId}:${relPath}`;

/**
 * Imports a folder of Markdown into a space: front-matter tags, nested folders as a tree,
 * relative images as attachments, links between files rewritten. Each file is its own
 * transaction and is keyed by its path, so an interrupted or repeated run never duplicates.
 */
export async function importMarkdownFolder(ctx: AppContext, actor: Actor, options: Options): Promise<ImportReport> {
  const spaceId = await findOrCreateSpace(ctx, actor, options.spaceName);
  authorize(actor, "createArticle", await loadSpaceSubject(ctx.db, actor, spaceId));
  const total = await countMarkdownFiles(options.root);
  // First pass: every file gets its article id up front, so links and the tree can point at it.
  const ids = new Map<string, string>();
  for await (const doc of scanMarkdownFolder(options.root)) {
    const [existing] = await ctx.db
      .select({ id: articles.id })
      .from(articles)
      .where(eq(articles.importKey, keyOf(spaceId, doc.relPath)));
    ids.set(doc.relPath, existing?.id ?? randomUUID());
  }
  const report: ImportReport = {
    total,
    created: 0,
    updated: 0,
    unchanged: 0,
    attachments: 0,
    missingAssets: [],
    interrupted: false,
  };
  let done = 0;
  for await (const doc of scanMarkdownFolder(options.root)) {
    if (options.shouldStop?.()) {
      report.interrupted = true;
      break;
    }
    await importOne(ctx, actor, spaceId, doc, ids, report);
    options.onProgress?.(++done, total);
  }
  return report;
}

async function importOne(
  ctx: AppContext,
  actor: Actor,
  spaceId: string,
  doc: ScannedDoc,
  ids: Map<string, string>,
  report: ImportReport,
) {
  const importKey = keyOf(spaceId, doc.relPath);
  const id = ids.get(doc.relPath)!;
  const [existing] = await ctx.db
    .select({ version: articles.version, importHash: articles.importHash })
    .from(articles)
    .where(eq(articles.importKey, importKey));
  if (existing?.importHash === doc.contentHash) {
    report.unchanged++;
    return;
  }
  // Assets: reuse an attachment of this article with the same bytes, else store a new one.
  const pending: { id: string; absPath: string; name: string }[] = [];
  const assetIds = new Map<string, string>();
  for (const asset of doc.assets) {
    if (!asset.exists) {
      report.missingAssets.push(`${doc.relPath}: ${asset.ref}`);
      continue;
    }
    const sha = createHash("sha256")
      .update(await readFile(asset.absPath))
      .digest("hex");
    const [same] = existing
      ? await ctx.db
          .select({ id: attachments.id })
          .from(attachments)
          .where(and(eq(attachments.articleId, id), eq(attachments.sha256, sha)))
      : [];
    const attachmentId = same?.id ?? randomUUID();
    if (!same) pending.push({ id: attachmentId, absPath: asset.absPath, name: path.basename(asset.absPath) });
    assetIds.set(asset.ref, attachmentId);
  }
  const folder = path.posix.dirname(doc.relPath);
  const body = rewriteRefs(doc.body, (ref, isImage) => {
    if (assetIds.has(ref)) return `/api/attachments/${assetIds.get(ref)}`;
    if (!isImage && isLocalRef(ref)) {
      const [file, anchor] = ref.split("#", 2);
      const target = ids.get(path.posix.normalize(path.posix.join(folder, decodeURI(file))));
      if (target) return `/articles/${target}${anchor ? `#${anchor}` : ""}`;
    }
    return null;
  });
  const parentId = doc.parentRelPath && doc.parentRelPath !== doc.relPath ? (ids.get(doc.parentRelPath) ?? null) : null;
  if (existing) {
    await updateArticle(ctx, actor, id, {
      version: existing.version,
      title: doc.title,
      body,
      tags: doc.tags,
      note: "Re-imported from Markdown",
    });
    report.updated++;
  } else {
    await createArticle(ctx, actor, {
      id,
      spaceId,
      title: doc.title,
      body,
      tags: doc.tags,
      status: "published",
      importKey,
      parentId,
    });
    report.created++;
  }
  for (const p of pending) {
    await storeFile(
      ctx,
      { id: p.id, articleId: id, spaceId, uploaderId: actor.id },
      { filename: p.name, stream: createReadStream(p.absPath) },
    );
    report.attachments++;
  }
  // Marked done only now: a run stopped before this point redoes the file next time.
  await ctx.db.update(articles).set({ importHash: doc.contentHash }).where(eq(articles.id, id));
}
