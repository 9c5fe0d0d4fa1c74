import { sql } from "drizzle-orm";
import { rows, type Executor } from "../../platform/db";
import { notFound } from "../../platform/errors";
import type { Actor, ArticleSubject } from "../../authz/policy";
import { loadArticleSubject } from "../../authz/access";

export type ArticleRecord = {
  id: string;
  space_id: string;
  space_name: string;
  parent_id: string | null;
  title: string;
  body: string;
  tags: string[];
  status: "draft" | "published";
  owner_id: string;
  owner_name: string;
  updated_by: string;
  updated_by_name: string;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
  deleted_at: Date | string | null;
  deleted_by: string | null;
  deleted_by_name: string | null;
};

/** One article with the names the presenter needs. */
export async function findArticle(db: Executor, id: string): Promise<ArticleRecord | undefined> {
  const found = await rows<ArticleRecord>(
    db,
    sql`select a.*, s.name as space_name, o.name as owner_name, u.name as updated_by_name, d.name as deleted_by_name
        from articles a join spaces s on s.id = a.space_id join users o on o.id = a.owner_id
        join users u on u.id = a.updated_by left join users d on d.id = a.deleted_by
        where a.id = ${id}`,
  );
  return found[0];
}

/** The article and its policy subject for this actor; 404 when it does not exist. */
export async function loadArticle(
  db: Executor,
  actor: Actor | null,
  id: string,
): Promise<{ record: ArticleRecord; subject: ArticleSubject }> {
  const record = await findArticle(db, id);
  if (!record) throw notFound("Article not found");
  return { record, subject: await loadArticleSubject(db, actor, record) };
}

/** ISO string of a timestamp from either driver. */
export function iso(d: Date | string | null): string | null {
  if (d === null) return null;
  return (d instanceof Date ? d : new Date(d)).toISOString();
}

/** Everything an article view needs about the article itself, in one statement (see getArticle). */
export type ArticleViewRecord = ArticleRecord & {
  visibility: "public" | "private";
  member_access: "editor" | "viewer";
  member_role: "owner" | "editor" | "viewer" | null;
  v_exists: boolean;
  v_owner_id: string | null;
  v_owner_department: string | null;
  v_interval_days: number | null;
  v_verified_at: Date | string | null;
  v_verified_by: string | null;
  v_verified_until: Date | string | null;
  v_note: string | null;
  v_superseded_by_id: string | null;
  v_updated_at: Date | string | null;
  owner_of_knowledge_name: string | null;
  verified_by_name: string | null;
  actor_department: string;
  sup_title: string | null;
  sup_readable: boolean;
  open_challenges: number;
  /** Ancestors the actor may read, top first (json: parsed by either driver, or text). */
  breadcrumbs: { id: string; title: string }[] | string | null;
  /** The attachments, oldest first (json, like breadcrumbs). */
  attachments: { id: string; name: string; mime: string; size: number; kind: "image" | "video" | "file" }[] | string;
};

/**
 * The article with its space as the actor sees it, its verification row, the names it shows, the
 * superseding article (and whether the actor may read it), its open challenges, its ancestors in
 * the page tree that the actor may read (`readable`: the article read rule in SQL) and its
 * attachments — one query.
 */
export async function findArticleView(
  db: Executor,
  actor: Actor,
  id: string,
  readable: (alias: string) => ReturnType<typeof sql>,
): Promise<ArticleViewRecord | undefined> {
  const found = await rows<ArticleViewRecord>(
    db,
    sql`select a.*, s.name as space_name, o.name as owner_name, u.name as updated_by_name, d.name as deleted_by_name,
               s.visibility, s.member_access, m.role as member_role,
               v.subject_id is not null as v_exists, v.owner_id as v_owner_id, v.owner_department as v_owner_department,
               v.interval_days as v_interval_days, v.verified_at as v_verified_at, v.verified_by as v_verified_by,
               v.verified_until as v_verified_until, v.note as v_note, v.superseded_by_id as v_superseded_by_id, v.updated_at as v_updated_at,
               ko.name as owner_of_knowledge_name, vb.name as verified_by_name,
               coalesce((select department from users where id = ${actor.id}), '') as actor_department,
               sup.title as sup_title, coalesce(sup.id is not null and ${readable("sup")}, false) as sup_readable,
               (select count(*)::int from challenges c where c.subject_type = 'article' and c.subject_id = a.id and c.status = 'open') as open_challenges,
               (with recursive up(id, parent_id, depth) as (
                  select p.id, p.parent_id, 1 from articles p where p.id = a.parent_id and p.space_id = a.space_id
                  union all
                  select p.id, p.parent_id, up.depth + 1 from articles p join up on p.id = up.parent_id
                  where p.space_id = a.space_id and up.depth < 64 and p.id <> a.id
                )
                select coalesce(json_agg(json_build_object('id', anc.id, 'title', anc.title) order by up.depth desc), '[]'::json)
                from up join articles anc on anc.id = up.id where ${readable("anc")}) as breadcrumbs,
               (select coalesce(json_agg(json_build_object('id', f.id, 'name', f.name, 'mime', f.mime, 'size', f.size, 'kind', f.kind)
                                         order by f.created_at, f.id), '[]'::json)
                from attachments f where f.article_id = a.id) as attachments
        from articles a join spaces s on s.id = a.space_id join users o on o.id = a.owner_id
        join users u on u.id = a.updated_by left join users d on d.id = a.deleted_by
        left join space_members m on m.space_id = s.id and m.user_id = ${actor.id}
        left join verifications v on v.subject_type = 'article' and v.subject_id = a.id
        left join users ko on ko.id = coalesce(v.owner_id, a.owner_id)
        left join users vb on vb.id = v.verified_by
        left join articles sup on sup.id = v.superseded_by_id
        where a.id = ${id}`,
  );
  return found[0];
}

/** The text of one revision (a save's starting point), or undefined. */
export async function findRevisionText(
  db: Executor,
  articleId: string,
  version: number,
): Promise<{ version: number; title: string; body: string; tags: string[] } | undefined> {
  const found = await rows<{ version: number; title: string; body: string; tags: string[] }>(
    db,
    sql`select version, title, body, tags from article_revisions where article_id = ${articleId} and version = ${version}`,
  );
  return found[0];
}
