import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { ArticleIn, ArticleListQuery, ArticleUpdate } from "./articles.schema";
import * as articles from "./articles.service";
import * as history from "./history.service";
import { Version, VersionParam } from "../../platform/validation";

const Id = z.object({ id: z.string().uuid() });

/** Articles: CRUD, trash, revisions, diffs and restore. */
export const articlesRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get("/articles", { schema: { querystring: ArticleListQuery } }, async (req) =>
      articles.listArticles(ctx, requireActor(req.actor), req.query),
    );
    app.post("/articles", { schema: { body: ArticleIn } }, async (req, reply) => {
      const created = await articles.createArticle(ctx, requireActor(req.actor), req.body);
      return reply.status(201).send(created);
    });
    app.get("/articles/:id", { schema: { params: Id } }, async (req) => articles.getArticle(ctx, requireActor(req.actor), req.params.id));
    app.put("/articles/:id", { schema: { params: Id, body: ArticleUpdate } }, async (req) =>
      articles.updateArticle(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    app.delete("/articles/:id", { schema: { params: Id } }, async (req) => {
      await articles.trashArticle(ctx, requireActor(req.actor), req.params.id);
      return { ok: true as const };
    });
    app.post("/articles/:id/restore", { schema: { params: Id } }, async (req) =>
      articles.restoreFromTrash(ctx, requireActor(req.actor), req.params.id),
    );
    app.get("/trash", async (req) => ({ items: await articles.listTrash(ctx, requireActor(req.actor)) }));

    app.get("/articles/:id/revisions", { schema: { params: Id } }, async (req) => ({
      items: await history.listRevisions(ctx, requireActor(req.actor), req.params.id),
    }));
    app.get("/articles/:id/revisions/:version", { schema: { params: Id.extend({ version: VersionParam }) } }, async (req) =>
      history.getRevision(ctx, requireActor(req.actor), req.params.id, req.params.version),
    );
    app.get("/articles/:id/diff", { schema: { params: Id, querystring: z.object({ from: VersionParam, to: VersionParam }) } }, async (req) =>
      history.diffRevisions(ctx, requireActor(req.actor), req.params.id, req.query.from, req.query.to),
    );
    app.post(
      "/articles/:id/revisions/:version/restore",
      { schema: { params: Id.extend({ version: VersionParam }), body: z.object({ version: Version }) } },
      async (req) => history.restoreRevision(ctx, requireActor(req.actor), req.params.id, req.params.version, req.body.version),
    );
  };
