import { sql } from "drizzle-orm";
import { rows, type Executor } from "../../platform/db";
import { notFound } from "../../platform/errors";
import type { Actor, ArticleSubject } from "../../authz/policy";
import { loadSpaceSubject } from "../../authz/access";

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
export async function loadArticle(db: Executor, actor: Actor | null, id: string): Promise<{ record: ArticleRecord; subject: ArticleSubject }> {
  const record = await findArticle(db, id);
  if (!record) throw notFound("Article not found");
  const space = await loadSpaceSubject(db, actor, record.space_id);
  const subject: ArticleSubject = {
    kind: "article",
    id: record.id,
    space,
    ownerId: record.owner_id,
    status: record.status,
    deleted: record.deleted_at !== null,
  };
  return { record, subject };
}

/** ISO string of a timestamp from either driver. */
export function iso(d: Date | string | null): string | null {
  if (d === null) return null;
  return (d instanceof Date ? d : new Date(d)).toISOString();
}
