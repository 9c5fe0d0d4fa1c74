/**
 * The page tree of a space, pure: how pages nest and sort, what a reader sees of it, where a move
 * puts a page. Positions are fractional-indexing keys (Figma, Linear, Outline): a page goes between
 * two siblings by getting a key between theirs, so a move writes one row, not its siblings.
 */
import { generateKeyBetween, generateNKeysBetween } from "fractional-indexing";

export type TreePage = {
  id: string;
  /** The stored parent; one that is not in the set (another space, gone) counts as none. */
  parentId: string | null;
  /** Fractional-indexing key among its siblings; null for pages written before keys existed. */
  position: string | null;
  /** Milliseconds; orders pages without a key (oldest first). */
  createdAt: number;
  /** May the reader see it (the policy's read): unreadable pages are never shown. */
  readable: boolean;
};

/** A page as the reader sees it: under its nearest readable ancestor, at a depth. */
export type VisiblePage<P extends TreePage> = { page: P; parentId: string | null; depth: number };

/** Byte-wise order of keys (a database collation could order "Z" after "a"); keyless pages last, oldest first. */
export function compareSiblings(a: TreePage, b: TreePage): number {
  if (a.position !== b.position) {
    if (a.position === null) return 1;
    if (b.position === null) return -1;
    return a.position < b.position ? -1 : 1;
  }
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Children by parent id (null: the top level), each list in sibling order; unknown parents count as top level. */
export function childrenByParent<P extends TreePage>(pages: readonly P[]): Map<string | null, P[]> {
  const ids = new Set(pages.map((p) => p.id));
  const out = new Map<string | null, P[]>();
  for (const p of pages) {
    const parent = p.parentId !== null && ids.has(p.parentId) && p.parentId !== p.id ? p.parentId : null;
    const list = out.get(parent);
    if (list) list.push(p);
    else out.set(parent, [p]);
  }
  for (const list of out.values()) list.sort(compareSiblings);
  return out;
}

/**
 * The tree a reader sees, in display order (depth first). An unreadable page is left out and its
 * readable descendants take its place under its nearest readable ancestor, so nothing of it shows
 * (no title, no placeholder, no count) and its children still have a place. Pages caught in a
 * cycle (never written by the app, but data can be imported) are shown from the top level.
 */
export function visibleTree<P extends TreePage>(pages: readonly P[]): VisiblePage<P>[] {
  const children = childrenByParent(pages);
  const out: VisiblePage<P>[] = [];
  const seen = new Set<string>();
  const walk = (list: readonly P[], shownParent: string | null, depth: number) => {
    for (const p of list) {
      if (seen.has(p.id)) continue;
      seen.add(p.id);
      if (p.readable) {
        out.push({ page: p, parentId: shownParent, depth });
        walk(children.get(p.id) ?? [], p.id, depth + 1);
      } else {
        walk(children.get(p.id) ?? [], shownParent, depth);
      }
    }
  };
  walk(children.get(null) ?? [], null, 0);
  const rest = pages.filter((p) => !seen.has(p.id)).sort(compareSiblings);
  for (const p of rest) walk([p], null, 0);
  return out;
}

/** The ids of `id`'s descendants through stored parents (hidden ones included), nearest first. */
export function descendantsOf(pages: readonly TreePage[], id: string): string[] {
  const children = childrenByParent(pages);
  const out: string[] = [];
  const seen = new Set([id]);
  const queue = [id];
  while (queue.length) {
    for (const c of children.get(queue.shift()!) ?? []) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      out.push(c.id);
      queue.push(c.id);
    }
  }
  return out;
}

/** Keys for a sibling list in its current order (for lists with keyless or equal keys). */
export function renumber(count: number): string[] {
  return generateNKeysBetween(null, null, count);
}

/** True when the siblings' keys are all set and strictly increasing (a new key can go between any two). */
export function keysAreClean(siblings: readonly TreePage[]): boolean {
  for (let i = 0; i < siblings.length; i++) {
    const k = siblings[i].position;
    if (k === null) return false;
    if (i > 0 && !(siblings[i - 1].position! < k)) return false;
  }
  return true;
}

/**
 * The key that puts a page among `siblings` (stored children of the target parent, in order, the
 * moving page left out, keys clean) right after `anchorId` — a sibling, or null for first place.
 */
export function keyAfter(siblings: readonly TreePage[], anchorId: string | null): string {
  if (anchorId === null) return generateKeyBetween(null, siblings[0]?.position ?? null);
  const at = siblings.findIndex((s) => s.id === anchorId);
  if (at < 0) throw new Error(`keyAfter: ${anchorId} is not a sibling`);
  return generateKeyBetween(siblings[at].position, siblings[at + 1]?.position ?? null);
}

/** The key of a new last child. */
export function keyAtEnd(siblings: readonly TreePage[]): string {
  const keys = siblings.map((s) => s.position).filter((k): k is string => k !== null);
  const last = keys.reduce<string | null>((max, k) => (max === null || k > max ? k : max), null);
  return generateKeyBetween(last, null);
}

/**
 * Where "after `afterId`" lands among the stored children of `parentId`, for a reader who sees the
 * tree through `visibleTree`: the sibling whose subtree holds `afterId` (itself, or the hidden page
 * it was lifted out of). Null when `afterId` is null; undefined when `afterId` is not shown under
 * `parentId` for this reader (the tree changed since they looked).
 */
export function anchorFor(
  pages: readonly TreePage[],
  parentId: string | null,
  afterId: string | null,
): string | null | undefined {
  if (afterId === null) return null;
  const shown = visibleTree(pages).find((v) => v.page.id === afterId);
  if (!shown || shown.parentId !== parentId) return undefined;
  const byId = new Map(pages.map((p) => [p.id, p]));
  const ids = new Set(byId.keys());
  let at = byId.get(afterId)!;
  for (let hops = 0; hops < pages.length; hops++) {
    const stored = at.parentId !== null && ids.has(at.parentId) ? at.parentId : null;
    if (stored === parentId) return at.id;
    if (stored === null) return undefined;
    at = byId.get(stored)!;
  }
  return undefined;
}
