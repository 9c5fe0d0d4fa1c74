import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import * as articles from "./articles.service";
import * as history from "./history.service";
import { on } from "../../platform/route";
import { articlesEndpoints } from "./articles.schema";

/** Articles: CRUD, trash, revisions, diffs and restore. */
export const articlesRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, articlesEndpoints.getArticles, async (req) =>
      articles.listArticles(ctx, requireActor(req.actor), req.query),
    );
    on(app, articlesEndpoints.postArticles, async (req, reply) => {
      const created = await articles.createArticle(ctx, requireActor(req.actor), req.body);
      return reply.status(201).send(created);
    });
    on(app, articlesEndpoints.getArticlesById, async (req) =>
      articles.getArticle(ctx, requireActor(req.actor), req.params.id),
    );
    on(app, articlesEndpoints.putArticlesById, async (req) =>
      articles.updateArticle(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    on(app, articlesEndpoints.deleteArticlesById, async (req) => {
      await articles.trashArticle(ctx, requireActor(req.actor), req.params.id);
      return { ok: true as const };
    });
    on(app, articlesEndpoints.postArticlesRestore, async (req) =>
      articles.restoreFromTrash(ctx, requireActor(req.actor), req.params.id),
    );
    on(app, articlesEndpoints.getTrash, async (req) => ({
      items: await articles.listTrash(ctx, requireActor(req.actor)),
    }));

    on(app, articlesEndpoints.getArticlesRevisions, async (req) => ({
      items: await history.listRevisions(ctx, requireActor(req.actor), req.params.id),
    }));
    on(app, articlesEndpoints.getArticlesRevisionsByVersion, async (req) =>
      history.getRevision(ctx, requireActor(req.actor), req.params.id, req.params.version),
    );
    on(app, articlesEndpoints.getArticlesDiff, async (req) =>
      history.diffRevisions(ctx, requireActor(req.actor), req.params.id, req.query.from, req.query.to),
    );
    on(app, articlesEndpoints.postArticlesRevisionsRestore, async (req) =>
      history.restoreRevision(ctx, requireActor(req.actor), req.params.id, req.params.version, req.body.version),
    );
  };
