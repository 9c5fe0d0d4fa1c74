import { sql } from "drizzle-orm";
import { deflections } from "../../../db/schema";
import { rows } from "../../platform/db";
import type { AppContext } from "../../context";
import { notFound } from "../../platform/errors";
import { authorize, can, type Actor } from "../../authz/policy";
import { readableSql } from "../../authz/audience";
import { whoKnows } from "../expertise/people-expertise.service";
import { normaliseTags } from "../knowledge/articles.schema";
import { communitiesForProblem } from "../communities/communities.service";

/** A title for a routed question drawn from the problem: its first sentence, shortened at a word. */
function suggestTitle(text: string): string {
  const first =
    text
      .trim()
      .split(/(?<=[.?!])\s+|\n/)[0]
      ?.trim() ?? "";
  if (first.length <= 120) return first;
  const cut = first.slice(0, 117);
  return `${cut.slice(0, Math.max(60, cut.lastIndexOf(" ")))}…`;
}

/**
 * The sidekick: one plain-words problem in, the knowledge that may answer it (articles and
 * answered questions), the people who know (with availability and evidence), the communities to
 * ask (the same matching as the ask page's) and a ready question to route. Everything goes through
 * the same permission-scoped search and ranking.
 */
export async function sidekick(ctx: AppContext, actor: Actor, text: string) {
  const knowledge = await ctx.search.search(actor, { q: text, limit: 5, offset: 0 });
  const people = await whoKnows(ctx, actor, { q: text, limit: 5 });
  const tagCounts = new Map<string, number>();
  for (const item of knowledge.items) for (const t of item.tags) tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1);
  const tags = [...tagCounts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([t]) => t);
  return {
    knowledge: knowledge.items.map((i) => ({
      type: i.type,
      id: i.id,
      title: i.title,
      titleHtml: i.titleHtml,
      snippet: i.snippet,
      spaceName: i.spaceName,
      tags: i.tags,
      verification: i.verification,
      url:
        i.type === "question" ? `/questions/${i.id}` : i.type === "lesson" ? `/lessons/${i.id}` : `/articles/${i.id}`,
    })),
    people: people.items.filter((p) => p.id !== actor.id),
    communities: await communitiesForProblem(ctx, actor, { text, tags: [], relatedTags: tagCounts }),
    draft: { title: suggestTitle(text), body: text.trim(), tags: normaliseTags(tags) },
    canAsk: can(actor, "ask", { kind: "instance" }),
  };
}

/** Records that a suggestion answered someone's question before they asked it. */
export async function recordDeflection(
  ctx: AppContext,
  actor: Actor,
  input: { query: string; targetType: "article" | "question"; targetId: string; source: "ask" | "sidekick" },
) {
  const readable =
    input.targetType === "article"
      ? sql`select 1 from articles a where a.id = ${input.targetId} and a.status = 'published' and ${readableSql(actor, "article", "a")}`
      : sql`select 1 from questions q where q.id = ${input.targetId} and ${readableSql(actor, "question", "q")}`;
  // Only something the person could read can have answered them (and counts cannot be inflated with made-up ids).
  if ((await rows(ctx.db, readable)).length === 0) throw notFound("No such article or question");
  await ctx.db.insert(deflections).values({
    userId: actor.id,
    query: input.query.slice(0, 500),
    targetType: input.targetType,
    targetId: input.targetId,
    source: input.source,
    createdAt: ctx.now(),
  });
  return { recorded: true };
}

/**
 * How many questions were answered by existing knowledge before being asked; only content the viewer may read counts.
 */
export async function deflectionSummary(ctx: AppContext, actor: Actor, days: number) {
  authorize(actor, "readPeople", { kind: "instance" });
  const since = new Date(ctx.now().getTime() - days * 86_400_000);
  const readable = sql`((d.target_type = 'article' and exists (select 1 from articles a where a.id = d.target_id and ${readableSql(actor, "article", "a")}))
                     or (d.target_type = 'question' and exists (select 1 from questions q where q.id = d.target_id and ${readableSql(actor, "question", "q")})))`;
  const [totals] = await rows<{ n: number; asked: number }>(
    ctx.db,
    sql`select (select count(*)::int from deflections d where d.created_at >= ${since} and ${readable}) as n,
               (select count(*)::int from questions q where q.created_at >= ${since} and ${readableSql(actor, "question", "q")}) as asked`,
  );
  const byDay = await rows<{ day: string; n: number }>(
    ctx.db,
    sql`select to_char(date_trunc('day', d.created_at), 'YYYY-MM-DD') as day, count(*)::int as n from deflections d where d.created_at >= ${since} and ${readable} group by 1 order by 1`,
  );
  const top = await rows<{ target_type: "article" | "question"; target_id: string; n: number; title: string | null }>(
    ctx.db,
    sql`select d.target_type, d.target_id, count(*)::int as n,
               coalesce((select title from articles where id = d.target_id), (select title from questions where id = d.target_id)) as title
        from deflections d where d.created_at >= ${since} and ${readable} group by d.target_type, d.target_id order by n desc limit 5`,
  );
  const deflected = Number(totals.n);
  const asked = Number(totals.asked);
  return {
    days,
    deflected,
    asked,
    // Share of would-be questions that existing knowledge answered.
    rate: deflected + asked > 0 ? Math.round((deflected / (deflected + asked)) * 1000) / 1000 : 0,
    byDay: byDay.map((d) => ({ day: d.day, count: Number(d.n) })),
    top: top.map((t) => ({
      type: t.target_type,
      id: t.target_id,
      title: t.title ?? "",
      count: Number(t.n),
      url: t.target_type === "question" ? `/questions/${t.target_id}` : `/articles/${t.target_id}`,
    })),
  };
}
