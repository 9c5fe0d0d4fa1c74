import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { OkOut } from "../../platform/contracts";
import {
  ArticleConflictOut,
  ArticleIn,
  ArticleListOut,
  ArticleListQuery,
  ArticleOut,
  ArticleParams,
  ArticleUpdate,
  ArticleViewOut,
  DiffOut,
  DiffQuery,
  RestoreRevisionIn,
  RevisionListOut,
  RevisionOut,
  RevisionParams,
  TrashOut,
} from "./articles.schema";
import * as articles from "./articles.service";
import * as history from "./history.service";

/** Articles: CRUD, trash, revisions, diffs and restore. */
export const articlesRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/articles",
      { schema: { querystring: ArticleListQuery, response: { 200: ArticleListOut } } },
      async (req) => articles.listArticles(ctx, requireActor(req.actor), req.query),
    );
    app.post("/articles", { schema: { body: ArticleIn, response: { 201: ArticleOut } } }, async (req, reply) => {
      const created = await articles.createArticle(ctx, requireActor(req.actor), req.body);
      return reply.status(201).send(created);
    });
    app.get("/articles/:id", { schema: { params: ArticleParams, response: { 200: ArticleViewOut } } }, async (req) =>
      articles.getArticle(ctx, requireActor(req.actor), req.params.id),
    );
    app.put(
      "/articles/:id",
      {
        schema: { params: ArticleParams, body: ArticleUpdate, response: { 200: ArticleOut, 409: ArticleConflictOut } },
      },
      async (req) => articles.updateArticle(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    app.delete("/articles/:id", { schema: { params: ArticleParams, response: { 200: OkOut } } }, async (req) => {
      await articles.trashArticle(ctx, requireActor(req.actor), req.params.id);
      return { ok: true as const };
    });
    app.post(
      "/articles/:id/restore",
      { schema: { params: ArticleParams, response: { 200: ArticleViewOut } } },
      async (req) => articles.restoreFromTrash(ctx, requireActor(req.actor), req.params.id),
    );
    app.get("/trash", { schema: { response: { 200: TrashOut } } }, async (req) => ({
      items: await articles.listTrash(ctx, requireActor(req.actor)),
    }));

    app.get(
      "/articles/:id/revisions",
      { schema: { params: ArticleParams, response: { 200: RevisionListOut } } },
      async (req) => ({
        items: await history.listRevisions(ctx, requireActor(req.actor), req.params.id),
      }),
    );
    app.get(
      "/articles/:id/revisions/:version",
      { schema: { params: RevisionParams, response: { 200: RevisionOut } } },
      async (req) => history.getRevision(ctx, requireActor(req.actor), req.params.id, req.params.version),
    );
    app.get(
      "/articles/:id/diff",
      { schema: { params: ArticleParams, querystring: DiffQuery, response: { 200: DiffOut } } },
      async (req) => history.diffRevisions(ctx, requireActor(req.actor), req.params.id, req.query.from, req.query.to),
    );
    app.post(
      "/articles/:id/revisions/:version/restore",
      {
        schema: {
          params: RevisionParams,
          body: RestoreRevisionIn,
          response: { 200: ArticleOut, 409: ArticleConflictOut },
        },
      },
      async (req) =>
        history.restoreRevision(ctx, requireActor(req.actor), req.params.id, req.params.version, req.body.version),
    );
  };
