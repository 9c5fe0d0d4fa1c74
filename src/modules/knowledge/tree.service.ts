import type { AppContext } from "../../context";
import type { Executor } from "../../platform/db";
import { AppError, invalidField } from "../../platform/errors";
import { authorize, can, type Actor } from "../../authz/policy";
import { loadSpaceSubject } from "../../authz/access";
import {
  anchorFor,
  childrenByParent,
  descendantsOf,
  keyAfter,
  keyAtEnd,
  keysAreClean,
  renumber,
  visibleTree,
} from "../../domain/tree/page-tree";
import { loadArticle } from "./articles.queries";
import {
  isReadablePageOf,
  loadSiblings,
  loadTreePages,
  lockSpaces,
  placePage,
  writePositions,
  type TreeRow,
} from "./tree.queries";
import type { MovePageIn, SpaceTreeOut } from "./tree.schema";

function present(spaceId: string, canEdit: boolean, pages: TreeRow[]): SpaceTreeOut {
  return {
    spaceId,
    canEdit,
    items: visibleTree(pages).map((v) => ({
      id: v.page.id,
      title: v.page.title,
      status: v.page.status,
      parentId: v.parentId,
      depth: v.depth,
    })),
  };
}

/** A space's page tree as the actor may see it (404 for a space they may not read). */
export async function getSpaceTree(ctx: AppContext, actor: Actor, spaceId: string, db: Executor = ctx.db) {
  const space = await loadSpaceSubject(db, actor, spaceId);
  authorize(actor, "read", space);
  return present(spaceId, can(actor, "createArticle", space), await loadTreePages(db, actor, spaceId));
}

const NO_PARENT = "must be a page of that space that you can see";

/**
 * The key of a new page under `parentId` (last among its siblings). The parent must be a page of
 * the same space the actor may read; one they may not read answers like one that does not exist.
 */
export async function positionForNewPage(
  db: Executor,
  actor: Actor,
  spaceId: string,
  parentId: string | null,
): Promise<string> {
  if (parentId !== null && !(await isReadablePageOf(db, actor, spaceId, parentId)))
    throw invalidField("parentId", NO_PARENT);
  return keyAtEnd(await loadSiblings(db, spaceId, parentId));
}

const stale = (message: string) => new AppError("conflict", message);

/**
 * Moves a page under a new parent and/or to a new place among its siblings, in its space or into
 * another the actor may write to (its sub-pages come along). Refuses a page under itself or its own
 * sub-pages (400) and a move planned on a tree somebody else has changed since (409).
 */
export async function movePage(ctx: AppContext, actor: Actor, id: string, input: MovePageIn) {
  const { record, subject } = await loadArticle(ctx.db, actor, id);
  authorize(actor, "move", subject);
  const fromSpace = record.space_id;
  const toSpace = input.spaceId ?? fromSpace;
  if (toSpace !== fromSpace) authorize(actor, "createArticle", await loadSpaceSubject(ctx.db, actor, toSpace));
  if (input.parentId === id) throw invalidField("parentId", "a page cannot go under itself");
  if (input.afterId === id) throw invalidField("afterId", "a page cannot go after itself");
  await ctx.db.transaction(async (tx) => {
    await lockSpaces(tx, [fromSpace, toSpace]);
    const source = await loadTreePages(tx, actor, fromSpace);
    const target = toSpace === fromSpace ? source : await loadTreePages(tx, actor, toSpace);
    const shown = visibleTree(source).find((v) => v.page.id === id);
    if (!shown || fromSpace !== input.from.spaceId || shown.parentId !== input.from.parentId)
      throw stale("Somebody moved this page since you loaded the tree; look again and move it from where it is now");
    if (input.parentId !== null) {
      if (!target.some((p) => p.id === input.parentId && p.readable)) throw invalidField("parentId", NO_PARENT);
      if (toSpace === fromSpace && descendantsOf(source, id).includes(input.parentId))
        throw invalidField("parentId", "a page cannot go under one of its own sub-pages");
    }
    const others = target.filter((p) => p.id !== id);
    const anchor = anchorFor(others, input.parentId, input.afterId);
    if (anchor === undefined)
      throw stale("The pages around the place you chose have changed; look again and choose the place once more");
    let siblings = childrenByParent(others).get(input.parentId) ?? [];
    if (!keysAreClean(siblings)) {
      const keys = renumber(siblings.length);
      siblings = siblings.map((s, i) => ({ ...s, position: keys[i] }));
      await writePositions(
        tx,
        siblings.map((s) => ({ id: s.id, position: s.position! })),
      );
    }
    const position = keyAfter(siblings, anchor);
    await placePage(tx, id, { spaceId: toSpace, parentId: input.parentId, position }, toSpace !== fromSpace);
    if (toSpace !== fromSpace) await carrySubtree(tx, source, id, record.parent_id, { from: fromSpace, to: toSpace });
  });
  return { id, spaceId: toSpace, parentId: input.parentId, tree: await getSpaceTree(ctx, actor, toSpace) };
}

/**
 * A page moved to another space takes the sub-pages the mover may move (those they can read;
 * nobody else's draft, nothing from the trash), each under its nearest ancestor that moves. The
 * others stay, under their nearest ancestor that stays — or where the moved page was.
 */
async function carrySubtree(
  tx: Executor,
  source: TreeRow[],
  rootId: string,
  oldParent: string | null,
  spaces: { from: string; to: string },
) {
  const byId = new Map(source.map((p) => [p.id, p]));
  const subtree = new Set(descendantsOf(source, rootId));
  const moves = (pageId: string) => pageId === rootId || (subtree.has(pageId) && byId.get(pageId)!.readable);
  for (const pageId of subtree) {
    const page = byId.get(pageId)!;
    const going = moves(pageId);
    let parent = page.parentId;
    while (parent !== null && parent !== rootId && moves(parent) !== going) parent = byId.get(parent)!.parentId;
    if (parent === rootId && !going) parent = oldParent;
    if (going || parent !== page.parentId)
      await placePage(tx, pageId, { spaceId: going ? spaces.to : spaces.from, parentId: parent }, going);
  }
}
