import { sql, type SQL } from "drizzle-orm";
import { ORG_AUDIENCE } from "../../db/schema";
import type { Executor } from "../platform/db";
import { rows } from "../platform/db";
import type { Actor } from "./policy";

export { ORG_AUDIENCE };

/**
 * Every readable item belongs to exactly one audience (`audience_id`, see db/schema.ts): the whole
 * organisation, or a container whose readers may read it. A kind of container declares here which
 * of its containers an actor may read — the same rule as the policy's `read` on that container —
 * as a statement returning (id, name). Adding a kind of container is one entry here (and its
 * column in the audience expression); no query changes.
 */
type ContainerKind = {
  /** Readable containers of this kind as rows (id, name); admins read every container. */
  readable: (actor: Actor) => SQL;
};

const containerKinds: Record<string, ContainerKind> = {
  // A space is readable when public (guests included, as viewers) or when the actor is a member.
  space: {
    readable: (actor) =>
      actor.role === "admin"
        ? sql`select id, name from spaces`
        : sql`select id, name from spaces where visibility = 'public' or id in (select space_id from space_members where user_id = ${actor.id})`,
  },
  // A community is readable when visible to everyone (guests included) or when the actor is a lead or
  // member; a pending request reads nothing.
  community: {
    readable: (actor) =>
      actor.role === "admin"
        ? sql`select id, name from communities`
        : sql`select id, name from communities where visibility = 'everyone' or id in (select community_id from community_members where user_id = ${actor.id} and role in ('lead', 'member'))`,
  },
};

/** SQL: the audiences the actor may read, as rows (id, name), the whole organisation first. */
function readableAudiencesSql(actor: Actor): SQL {
  const parts = Object.values(containerKinds).map((k) => k.readable(actor));
  return sql`select ${ORG_AUDIENCE}::uuid as id, 'Whole organisation' as name union all ${sql.join(parts, sql` union all `)}`;
}

/** The audiences the actor may read with their names (one query); anonymous actors read none. */
export async function readableAudiences(db: Executor, actor: Actor | null): Promise<Map<string, string>> {
  if (!actor) return new Map();
  const found = await rows<{ id: string; name: string }>(db, readableAudiencesSql(actor));
  return new Map(found.map((r) => [r.id, r.name]));
}

/** SQL condition "the audience in `column` is readable by the actor" — the one scope for lists, counts and search. */
export function audienceReadableSql(actor: Actor | null, column: string): SQL {
  if (!actor) return sql`false`;
  const c = sql.raw(column);
  if (actor.role === "admin") return sql`true`;
  return sql`(${c} = ${ORG_AUDIENCE}::uuid or ${c} in (select id from (${readableAudiencesSql(actor)}) as readable_audiences))`;
}

/**
 * The kinds of readable item and what, besides the audience, makes one readable — written once:
 * not in the trash, and (articles) a draft only for its owner and admins.
 */
export type ItemKind = "article" | "question" | "lesson" | "post" | "retrospective";

const itemRules: Record<ItemKind, (actor: Actor, col: (name: string) => SQL) => SQL> = {
  article: (actor, col) =>
    sql`${col("deleted_at")} is null and (${col("status")} = 'published' or ${col("owner_id")} = ${actor.id} or ${actor.role === "admin"})`,
  question: (_actor, col) => sql`${col("deleted_at")} is null`,
  lesson: (_actor, col) => sql`${col("deleted_at")} is null`,
  post: (_actor, col) => sql`${col("deleted_at")} is null`,
  retrospective: () => sql`true`,
};

/** SQL condition "the item of this kind aliased `alias` is readable by the actor" (the policy's `read`, in SQL). */
export function readableSql(actor: Actor | null, kind: ItemKind, alias: string): SQL {
  if (!actor) return sql`false`;
  const col = (name: string) => sql.raw(`${alias}.${name}`);
  return sql`(${itemRules[kind](actor, col)} and ${audienceReadableSql(actor, `${alias}.audience_id`)})`;
}

/**
 * SQL condition "the person in `userColumn` is in the audience of the community in `communityColumn`"
 * (null: the whole organisation): everyone for a community open to everyone, its leads and members for
 * a members-only one (a pending request is not membership). For addressing people (suggestions,
 * reach), not for authorising a reader: admins read every community but are not its audience.
 */
export function inCommunityAudienceSql(userColumn: string, communityColumn: string): SQL {
  const u = sql.raw(userColumn);
  const c = sql.raw(communityColumn);
  return sql`(${c} is null
    or exists (select 1 from communities ac where ac.id = ${c} and ac.visibility = 'everyone')
    or exists (select 1 from community_members am where am.community_id = ${c} and am.user_id = ${u}
               and am.role in ('lead', 'member')))`;
}
