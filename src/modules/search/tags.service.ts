import { sql } from "drizzle-orm";
import type { AppContext } from "../../context";
import type { Actor } from "../../authz/policy";
import { readableSql } from "../../authz/audience";
import { rows } from "../../platform/db";

/** The tag cloud: the 300 most used tags of published articles the actor may read, with their counts. */
export async function listTags(ctx: AppContext, actor: Actor): Promise<{ tag: string; count: number }[]> {
  const found = await rows<{ tag: string; n: number }>(
    ctx.db,
    sql`select t.tag, count(*)::int as n from articles a, unnest(a.tags) as t(tag)
        where a.status = 'published' and ${readableSql(actor, "article", "a")}
        group by t.tag order by n desc, t.tag limit 300`,
  );
  return found.map((r) => ({ tag: r.tag, count: Number(r.n) }));
}
