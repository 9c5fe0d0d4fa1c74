import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { readableSql } from "../../authz/audience";
import { rows } from "../../platform/db";
import { listArticles } from "../knowledge/articles.service";

const boolish = z.enum(["1", "0", "true", "false"]).transform((v) => v === "1" || v === "true");

/** One search over everything the actor may see, and the tag cloud. */
export const searchRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/search",
      {
        schema: {
          querystring: z.object({
            // Any text is a valid query (except NUL, rejected for the whole API); only its size is bounded.
            q: z.string().max(20_000, "must be at most 20,000 characters").default(""),
            spaceId: z.string().uuid().optional(),
            tag: z.string().max(60).optional(),
            authorId: z.string().uuid().optional(),
            limit: z.coerce.number().int().min(1).max(100).default(20),
            offset: z.coerce.number().int().min(0).max(10_000).default(0),
            prefix: boolish.default(false),
          }),
        },
      },
      async (req) => {
        const actor = requireActor(req.actor);
        const q = req.query;
        if (!q.q.trim()) {
          // No words: the newest articles under the same filters, so the page is never empty.
          const started = performance.now();
          const recent = await listArticles(ctx, actor, { spaceId: q.spaceId, tag: q.tag, ownerId: q.authorId, status: "published", sort: "updated", limit: q.limit, offset: q.offset });
          return {
            total: recent.total,
            tookMs: Math.round(performance.now() - started),
            items: recent.items.map((a) => ({ type: "article" as const, id: a.id, title: a.title, titleHtml: escapeHtml(a.title), snippet: escapeHtml(a.excerpt), spaceId: a.spaceId, spaceName: a.spaceName, tags: a.tags, owner: a.owner, updatedAt: a.updatedAt, score: 0 })),
            facets: { spaces: [], tags: [] },
          };
        }
        return ctx.search.search(actor, { q: q.q, spaceId: q.spaceId, tag: q.tag, authorId: q.authorId, limit: q.limit, offset: q.offset, prefix: q.prefix });
      },
    );

    app.get("/tags", async (req) => {
      const actor = requireActor(req.actor);
      const found = await rows<{ tag: string; n: number }>(
        ctx.db,
        sql`select t.tag, count(*)::int as n from articles a, unnest(a.tags) as t(tag)
            where a.status = 'published' and ${readableSql(actor, "article", "a")}
            group by t.tag order by n desc, t.tag limit 300`,
      );
      return { items: found.map((r) => ({ tag: r.tag, count: Number(r.n) })) };
    });
  };

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
