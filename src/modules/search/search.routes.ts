import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { listArticles } from "../knowledge/articles.service";
import { listTags } from "./tags.service";
import { on } from "../../platform/route";
import { searchEndpoints } from "./search.schema";

/** One search over everything the actor may see, and the tag cloud. */
export const searchRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, searchEndpoints.getSearch, async (req) => {
      const actor = requireActor(req.actor);
      const q = req.query;
      if (!q.q.trim()) {
        // No words: the newest articles under the same filters, so the page is never empty.
        const started = performance.now();
        const recent = await listArticles(ctx, actor, {
          spaceId: q.spaceId,
          tag: q.tag,
          ownerId: q.authorId,
          status: "published",
          sort: "updated",
          limit: q.limit,
          offset: q.offset,
        });
        return {
          total: recent.total,
          tookMs: Math.round(performance.now() - started),
          items: recent.items.map((a) => ({
            type: "article" as const,
            id: a.id,
            title: a.title,
            titleHtml: escapeHtml(a.title),
            snippet: escapeHtml(a.excerpt),
            spaceId: a.spaceId,
            spaceName: a.spaceName,
            tags: a.tags,
            owner: a.owner,
            updatedAt: a.updatedAt,
            score: 0,
          })),
          facets: { spaces: [], tags: [] },
        };
      }
      return ctx.search.search(actor, {
        q: q.q,
        spaceId: q.spaceId,
        tag: q.tag,
        authorId: q.authorId,
        limit: q.limit,
        offset: q.offset,
        prefix: q.prefix,
      });
    });

    on(app, searchEndpoints.getTags, async (req) => {
      const actor = requireActor(req.actor);
      return { items: await listTags(ctx, actor) };
    });
  };

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
