import { sql } from "drizzle-orm";
import type { AppContext } from "../../context";
import { rows, type Executor } from "../../platform/db";
import type { Actor } from "../../authz/policy";
import { readableSql } from "../../authz/audience";
import { newMentions } from "../../domain/markdown/mentions";
import { markdownToPlainText } from "../../domain/search/snippet";

/**
 * Where a mention is: the subject (what was written) and the item whose read rule decides who may
 * see it — an article for the article and its comments, a question for itself, its answers and the
 * comments on either.
 */
export type MentionSubject = {
  subjectType: "article" | "article_comment" | "question" | "answer" | "comment";
  subjectId: string;
  itemType: "article" | "question";
  itemId: string;
};

/** True when `reader` may read the item (the policy's `read`, in SQL, on the executor's view of the data). */
async function mayRead(db: Executor, reader: Actor, s: MentionSubject): Promise<boolean> {
  const found =
    s.itemType === "article"
      ? await rows<{ ok: number }>(
          db,
          sql`select 1 as ok from articles a where a.id = ${s.itemId} and ${readableSql(reader, "article", "a")}`,
        )
      : await rows<{ ok: number }>(
          db,
          sql`select 1 as ok from questions q where q.id = ${s.itemId} and ${readableSql(reader, "question", "q")}`,
        );
  return found.length > 0;
}

/**
 * Records the people `text` newly mentions (not in `before`, the text this save replaces) and
 * notifies them: a row in `mentions` (the inbox lists it) and a live event. Nobody is notified of
 * their own mention, of content they may not read (nothing is written or sent: the content does not
 * leak), twice for the same subject (one row per person and subject), or when deactivated.
 * Runs on `db` — the writer's transaction when there is one, so the check sees the new content and the
 * event is delivered only if it commits. Returns the ids of the people notified.
 */
export async function recordMentions(
  ctx: AppContext,
  db: Executor,
  by: Actor,
  subject: MentionSubject,
  text: string,
  before = "",
): Promise<string[]> {
  const ids = newMentions(text, before).filter((id) => id !== by.id);
  if (ids.length === 0) return [];
  const list = sql.join(
    ids.map((i) => sql`${i}::uuid`),
    sql`, `,
  );
  const people = await rows<{ id: string; name: string; role: Actor["role"]; knowledge_manager: boolean }>(
    db,
    sql`select id, name, role, knowledge_manager from users
        where id in (${list}) and deactivated_at is null and import_key is null`,
  );
  const notified: string[] = [];
  const now = ctx.now();
  for (const p of people) {
    const reader: Actor = { id: p.id, name: p.name, role: p.role, knowledgeManager: p.knowledge_manager };
    if (!(await mayRead(db, reader, subject))) continue;
    const inserted = await rows<{ id: string }>(
      db,
      sql`insert into mentions (user_id, by_id, subject_type, subject_id, item_type, item_id, created_at)
          values (${p.id}, ${by.id}, ${subject.subjectType}, ${subject.subjectId}, ${subject.itemType}, ${subject.itemId}, ${now.toISOString()}::timestamptz)
          on conflict (user_id, subject_type, subject_id) do nothing returning id`,
    );
    if (inserted.length > 0) notified.push(p.id);
  }
  if (notified.length > 0) await ctx.events.publish({ type: "mention", userIds: notified, data: {} }, db);
  return notified;
}

type MentionRow = {
  id: string;
  by_id: string;
  by_name: string;
  subject_type: MentionSubject["subjectType"];
  subject_id: string;
  item_type: MentionSubject["itemType"];
  item_id: string;
  title: string;
  text: string | null;
  created_at: Date | string;
  seen_at: Date | string | null;
};

/**
 * The conditions a listed mention meets: the actor's, in an item they may read now (access may have
 * changed since), and in a subject that still exists (a deleted comment or answer takes its mention along).
 */
function listable(actor: Actor) {
  return sql`m.user_id = ${actor.id}
    and ((m.item_type = 'article' and a.id is not null and ${readableSql(actor, "article", "a")})
      or (m.item_type = 'question' and q.id is not null and ${readableSql(actor, "question", "q")}))
    and (m.subject_type <> 'article_comment' or (ac.id is not null and ac.deleted_at is null))
    and (m.subject_type <> 'answer' or (an.id is not null and an.deleted_at is null))
    and (m.subject_type <> 'comment' or (c.id is not null and c.deleted_at is null))`;
}

const JOINS = sql`left join articles a on m.item_type = 'article' and a.id = m.item_id
  left join questions q on m.item_type = 'question' and q.id = m.item_id
  left join article_comments ac on m.subject_type = 'article_comment' and ac.id = m.subject_id
  left join answers an on m.subject_type = 'answer' and an.id = m.subject_id
  left join comments c on m.subject_type = 'comment' and c.id = m.subject_id`;

function urlOf(r: MentionRow): string {
  if (r.item_type === "article")
    return r.subject_type === "article_comment"
      ? `/articles/${r.item_id}#comment-${r.subject_id}`
      : `/articles/${r.item_id}`;
  return r.subject_type === "answer" ? `/questions/${r.item_id}#answer-${r.subject_id}` : `/questions/${r.item_id}`;
}

async function unseenCount(db: Executor, actor: Actor): Promise<number> {
  const [{ n }] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from mentions m ${JOINS} where ${listable(actor)} and m.seen_at is null`,
  );
  return Number(n);
}

/** The actor's mentions, newest first, with who mentioned them, where, and a link. */
export async function listMentions(ctx: AppContext, actor: Actor, query: { limit: number }) {
  const found = await rows<MentionRow>(
    ctx.db,
    sql`select m.id, m.by_id, u.name as by_name, m.subject_type, m.subject_id, m.item_type, m.item_id,
               coalesce(a.title, q.title, '') as title, left(coalesce(ac.body, an.body, c.body), 600) as text,
               m.created_at, m.seen_at
        from mentions m join users u on u.id = m.by_id ${JOINS}
        where ${listable(actor)}
        order by m.created_at desc, m.id limit ${query.limit}`,
  );
  const excerpt = (t: string | null) => {
    const plain = markdownToPlainText(t ?? "")
      .replace(/\s+/g, " ")
      .trim();
    return plain.length > 160 ? plain.slice(0, 159).trimEnd() + "…" : plain;
  };
  return {
    unseen: await unseenCount(ctx.db, actor),
    items: found.map((r) => ({
      id: r.id,
      by: { id: r.by_id, name: r.by_name },
      subjectType: r.subject_type,
      title: r.title,
      url: urlOf(r),
      excerpt: excerpt(r.text),
      createdAt: new Date(r.created_at).toISOString(),
      seenAt: r.seen_at ? new Date(r.seen_at).toISOString() : null,
    })),
  };
}

/** Marks the actor's mentions seen (the given ones, or all); other people's ids are ignored. */
export async function markMentionsSeen(ctx: AppContext, actor: Actor, ids?: string[]) {
  const only =
    ids === undefined
      ? sql``
      : ids.length === 0
        ? sql`and false`
        : sql`and id in (${sql.join(
            ids.map((i) => sql`${i}::uuid`),
            sql`, `,
          )})`;
  await ctx.db.execute(
    sql`update mentions set seen_at = ${ctx.now().toISOString()}::timestamptz where user_id = ${actor.id} and seen_at is null ${only}`,
  );
  await ctx.events.publish({ type: "mention", userIds: [actor.id], data: {} });
  return { unseen: await unseenCount(ctx.db, actor) };
}
