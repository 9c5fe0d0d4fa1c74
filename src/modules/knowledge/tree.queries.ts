import { sql } from "drizzle-orm";
import { rows, type Executor } from "../../platform/db";
import type { Actor } from "../../authz/policy";
import { readableSql } from "../../authz/audience";
import type { TreePage } from "../../domain/tree/page-tree";

/** A page of a space with what the tree needs; `readable`: the policy's read for this actor (readableSql). */
export type TreeRow = TreePage & { title: string; status: "draft" | "published" };

/**
 * Every page of a space, hidden ones included (their place in the structure matters; their titles
 * never leave the service): id, parent, key, age and whether the actor may read it.
 */
export async function loadTreePages(db: Executor, actor: Actor, spaceId: string): Promise<TreeRow[]> {
  const found = await rows<{
    id: string;
    parent_id: string | null;
    position: string | null;
    created_at: Date | string;
    title: string;
    status: "draft" | "published";
    readable: boolean;
  }>(
    db,
    sql`select a.id, a.parent_id, a.position, a.created_at, a.title, a.status, ${readableSql(actor, "article", "a")} as readable
        from articles a where a.space_id = ${spaceId}`,
  );
  return found.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    position: r.position,
    createdAt: new Date(r.created_at).getTime(),
    title: r.title,
    status: r.status,
    readable: r.readable === true,
  }));
}

/** True when `id` is a page of the space that the actor may read. */
export async function isReadablePageOf(db: Executor, actor: Actor, spaceId: string, id: string): Promise<boolean> {
  const found = await rows<{ id: string }>(
    db,
    sql`select a.id from articles a where a.id = ${id}::uuid and a.space_id = ${spaceId}::uuid
          and ${readableSql(actor, "article", "a")}`,
  );
  return found.length > 0;
}

/** The stored children of `parentId` (null: the top level) in a space: keys only. */
export async function loadSiblings(db: Executor, spaceId: string, parentId: string | null): Promise<TreePage[]> {
  const found = await rows<{ id: string; position: string | null; created_at: Date | string }>(
    db,
    sql`select a.id, a.position, a.created_at from articles a
        where a.space_id = ${spaceId} and a.parent_id is not distinct from ${parentId}::uuid`,
  );
  return found.map((r) => ({
    id: r.id,
    parentId,
    position: r.position,
    createdAt: new Date(r.created_at).getTime(),
    readable: true,
  }));
}

/** Takes the spaces' rows for the rest of the transaction: tree changes in a space happen one at a time (no cycles). */
export async function lockSpaces(db: Executor, spaceIds: string[]): Promise<void> {
  const ids = [...new Set(spaceIds)].sort();
  await rows(
    db,
    sql`select id from spaces where id in (${sql.join(
      ids.map((i) => sql`${i}::uuid`),
      sql`, `,
    )}) order by id for no key update`,
  );
}

/** Sets a page's place (and space: its attachments follow, search re-indexes it under the new audience). */
export async function placePage(
  db: Executor,
  id: string,
  place: { spaceId: string; parentId: string | null; position?: string | null },
  spaceChanged: boolean,
): Promise<void> {
  const position = place.position === undefined ? sql`position` : sql`${place.position}`;
  await rows(
    db,
    sql`update articles set parent_id = ${place.parentId}::uuid, position = ${position}, space_id = ${place.spaceId}::uuid
          ${spaceChanged ? sql`, search_seq = nextval('search_seq')` : sql``}
        where id = ${id}`,
  );
  if (spaceChanged)
    await rows(db, sql`update attachments set space_id = ${place.spaceId}::uuid where article_id = ${id}`);
}

/** Writes keys to a sibling list (one statement). */
export async function writePositions(db: Executor, keys: { id: string; position: string }[]): Promise<void> {
  if (keys.length === 0) return;
  const values = sql.join(
    keys.map((k) => sql`(${k.id}::uuid, ${k.position})`),
    sql`, `,
  );
  await rows(
    db,
    sql`update articles a set position = v.position from (values ${values}) as v(id, position) where a.id = v.id`,
  );
}
