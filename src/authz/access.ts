import { sql } from "drizzle-orm";
import type { Executor } from "../platform/db";
import { rows } from "../platform/db";
import { notFound } from "../platform/errors";
import { can, type Actor, type ArticleSubject, type CommunitySubject, type SpaceSubject } from "./policy";
import { readableSql } from "./audience";

type SpaceRow = {
  id: string;
  name?: string;
  visibility: "public" | "private";
  member_access: "editor" | "viewer";
  member_role: SpaceSubject["memberRole"];
};

function toSubject(r: SpaceRow): SpaceSubject {
  return {
    kind: "space",
    id: r.id,
    visibility: r.visibility,
    memberAccess: r.member_access,
    memberRole: r.member_role,
  };
}

/** Loads a space as a policy subject for this actor, or 404 if it does not exist. */
export async function loadSpaceSubject(db: Executor, actor: Actor | null, spaceId: string): Promise<SpaceSubject> {
  const found = await rows<SpaceRow>(
    db,
    sql`select s.id, s.visibility, s.member_access, m.role as member_role
        from spaces s left join space_members m on m.space_id = s.id and m.user_id = ${actor?.id ?? null}
        where s.id = ${spaceId}`,
  );
  if (!found[0]) throw notFound("Space not found");
  return toSubject(found[0]);
}

/** Loads a community as a policy subject for this actor, or 404 if it does not exist. */
export async function loadCommunitySubject(
  db: Executor,
  actor: Actor | null,
  communityId: string,
): Promise<CommunitySubject> {
  const found = await rows<{
    joining: CommunitySubject["joining"];
    visibility: CommunitySubject["visibility"];
    member_role: CommunitySubject["memberRole"];
  }>(
    db,
    sql`select c.joining, c.visibility, m.role as member_role
        from communities c left join community_members m on m.community_id = c.id and m.user_id = ${actor?.id ?? null}
        where c.id = ${communityId}`,
  );
  if (!found[0]) throw notFound("Community not found");
  const r = found[0];
  return {
    kind: "community",
    id: communityId,
    joining: r.joining,
    visibility: r.visibility,
    memberRole: r.member_role,
  };
}

/** All spaces with the actor's membership, as policy subjects. */
export async function loadSpaceSubjects(db: Executor, actor: Actor): Promise<SpaceSubject[]> {
  const found = await rows<SpaceRow>(
    db,
    sql`select s.id, s.name, s.visibility, s.member_access, m.role as member_role
        from spaces s left join space_members m on m.space_id = s.id and m.user_id = ${actor.id}`,
  );
  return found.map(toSubject);
}

/**
 * The ids of the spaces whose content the actor may read — computed by the same rules as
 * single reads, so lists, search, counts and exports can never show more than a page would.
 */
export async function visibleSpaceIds(db: Executor, actor: Actor | null): Promise<Set<string>> {
  if (!actor) return new Set();
  const subjects = await loadSpaceSubjects(db, actor);
  return new Set(subjects.filter((s) => can(actor, "read", s)).map((s) => s.id));
}

/** The kinds of item a link (duplicate of, superseded by) can point at. */
type LinkTarget = "question" | "article";

/**
 * The subset of `ids` the actor may read, in one query (Immich's checkAccess): the same rules as
 * the single reads — not deleted, a draft only for its owner and admins, the space readable.
 */
export async function readableIds(
  db: Executor,
  actor: Actor | null,
  kind: LinkTarget,
  ids: readonly (string | null | undefined)[],
): Promise<Set<string>> {
  const wanted = [...new Set(ids.filter((i): i is string => typeof i === "string"))];
  if (!actor || wanted.length === 0) return new Set();
  const list = sql.join(
    wanted.map((i) => sql`${i}::uuid`),
    sql`, `,
  );
  const found =
    kind === "question"
      ? await rows<{ id: string }>(
          db,
          sql`select q.id from questions q where q.id in (${list}) and ${readableSql(actor, "question", "q")}`,
        )
      : await rows<{ id: string }>(
          db,
          sql`select a.id from articles a where a.id in (${list}) and ${readableSql(actor, "article", "a")}`,
        );
  return new Set(found.map((r) => r.id));
}

/**
 * A link to another item as this reader may see it: its id and title when they may read the
 * target; otherwise only that a link exists (`hidden`), never its title or id.
 */
/** An article row's policy subject: one place builds it, whichever module loaded the row. */
export async function loadArticleSubject(
  db: Executor,
  actor: Actor | null,
  row: { id: string; space_id: string; owner_id: string; status: "draft" | "published"; deleted_at: unknown },
): Promise<ArticleSubject> {
  return {
    kind: "article",
    id: row.id,
    space: await loadSpaceSubject(db, actor, row.space_id),
    ownerId: row.owner_id,
    status: row.status,
    deleted: row.deleted_at !== null,
  };
}

export type LinkedItem = { id: string; title: string; hidden: false } | { id: null; title: null; hidden: true };

export function presentLink(readable: Set<string>, id: string, title: string): LinkedItem {
  return readable.has(id) ? { id, title, hidden: false } : { id: null, title: null, hidden: true };
}
