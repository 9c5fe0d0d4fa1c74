import { and, desc, eq } from "drizzle-orm";
import { diffLines, diffWordsWithSpace } from "diff";
import { articleRevisions, users } from "../../../db/schema";
import type { AppContext } from "../../context";
import { AppError, notFound } from "../../platform/errors";
import { authorize, type Actor } from "../../authz/policy";
import { loadArticle } from "./articles.queries";
import { updateArticle } from "./articles.service";

type RevisionRow = typeof articleRevisions.$inferSelect;

function present(r: RevisionRow, authorName: string, withBody: boolean) {
  return {
    id: r.id,
    articleId: r.articleId,
    version: r.version,
    title: r.title,
    ...(withBody ? { body: r.body } : {}),
    tags: r.tags,
    author: { id: r.authorId, name: authorName },
    note: r.note,
    restoredFrom: r.restoredFrom,
    createdAt: r.createdAt.toISOString(),
  };
}

/** All revisions of an article, newest first (bodies left out). */
export async function listRevisions(ctx: AppContext, actor: Actor, articleId: string) {
  authorize(actor, "readHistory", (await loadArticle(ctx.db, actor, articleId)).subject);
  const found = await ctx.db
    .select({ r: articleRevisions, name: users.name })
    .from(articleRevisions)
    .innerJoin(users, eq(users.id, articleRevisions.authorId))
    .where(eq(articleRevisions.articleId, articleId))
    .orderBy(desc(articleRevisions.version));
  return found.map(({ r, name }) => present(r, name, false));
}

async function findRevision(ctx: AppContext, articleId: string, version: number) {
  const [found] = await ctx.db
    .select({ r: articleRevisions, name: users.name })
    .from(articleRevisions)
    .innerJoin(users, eq(users.id, articleRevisions.authorId))
    .where(and(eq(articleRevisions.articleId, articleId), eq(articleRevisions.version, version)));
  if (!found) throw notFound(`Version ${version} not found`);
  return found;
}

/** One revision with its text. */
export async function getRevision(ctx: AppContext, actor: Actor, articleId: string, version: number) {
  authorize(actor, "readHistory", (await loadArticle(ctx.db, actor, articleId)).subject);
  const { r, name } = await findRevision(ctx, articleId, version);
  return present(r, name, true);
}

type Words = { text: string; changed: boolean }[];
type DiffLine = {
  type: "same" | "add" | "del";
  text: string;
  oldLine: number | null;
  newLine: number | null;
  words?: Words;
};

/**
 * Word-level differences within changed lines: a run of removed lines followed by a run of added
 * ones is paired line by line, and a pair that still shares most of its words marks just the
 * changed words (a line rewritten from scratch stays marked as a whole).
 */
function markWords(lines: DiffLine[]): void {
  for (let i = 0; i < lines.length;) {
    if (lines[i].type !== "del") {
      i++;
      continue;
    }
    let d = i;
    while (d < lines.length && lines[d].type === "del") d++;
    let a = d;
    while (a < lines.length && lines[a].type === "add") a++;
    for (let k = 0; k < Math.min(d - i, a - d); k++) {
      const del = lines[i + k];
      const add = lines[d + k];
      const parts = diffWordsWithSpace(del.text, add.text);
      const kept = parts.filter((p) => !p.added && !p.removed).reduce((n, p) => n + p.value.trim().length, 0);
      if (kept < 0.4 * Math.min(del.text.trim().length, add.text.trim().length) || kept === 0) continue;
      del.words = parts.filter((p) => !p.added).map((p) => ({ text: p.value, changed: Boolean(p.removed) }));
      add.words = parts.filter((p) => !p.removed).map((p) => ({ text: p.value, changed: Boolean(p.added) }));
    }
    i = a;
  }
}

/** A line diff of two texts with line numbers on both sides. */
function diffText(from: string, to: string): { lines: DiffLine[]; stats: { added: number; removed: number } } {
  const lines: DiffLine[] = [];
  let oldLine = 1;
  let newLine = 1;
  let added = 0;
  let removed = 0;
  for (const part of diffLines(from, to)) {
    const texts = part.value.replace(/\n$/, "").split("\n");
    for (const text of texts) {
      if (part.added) {
        lines.push({ type: "add", text, oldLine: null, newLine: newLine++ });
        added++;
      } else if (part.removed) {
        lines.push({ type: "del", text, oldLine: oldLine++, newLine: null });
        removed++;
      } else {
        lines.push({ type: "same", text, oldLine: oldLine++, newLine: newLine++ });
      }
    }
  }
  markWords(lines);
  return { lines, stats: { added, removed } };
}

/** A readable diff between any two revisions of an article. */
export async function diffRevisions(
  ctx: AppContext,
  actor: Actor,
  articleId: string,
  fromVersion: number,
  toVersion: number,
) {
  authorize(actor, "readHistory", (await loadArticle(ctx.db, actor, articleId)).subject);
  const a = (await findRevision(ctx, articleId, fromVersion)).r;
  const b = (await findRevision(ctx, articleId, toVersion)).r;
  const { lines, stats } = diffText(a.body, b.body);
  return {
    from: fromVersion,
    to: toVersion,
    title: { from: a.title, to: b.title },
    tags: { added: b.tags.filter((t) => !a.tags.includes(t)), removed: a.tags.filter((t) => !b.tags.includes(t)) },
    lines,
    stats,
  };
}

/** Restores an old revision as a new revision (history is never rewritten). */
export async function restoreRevision(
  ctx: AppContext,
  actor: Actor,
  articleId: string,
  version: number,
  currentVersion: number,
) {
  const { record, subject } = await loadArticle(ctx.db, actor, articleId);
  authorize(actor, "restoreRevision", subject);
  const { r } = await findRevision(ctx, articleId, version);
  // A stale currentVersion falls through to updateArticle, which answers 409 with the newer text.
  if (r.version === currentVersion && record.version === currentVersion)
    throw new AppError("invalid", "That is already the current version");
  return updateArticle(ctx, actor, articleId, {
    version: currentVersion,
    title: r.title,
    body: r.body,
    tags: r.tags,
    note: `Restored version ${version}`,
    restoredFrom: version,
  });
}
