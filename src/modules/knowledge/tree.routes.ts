import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { ArticleParams } from "./articles.schema";
import { MovePageIn, MovePageOut, SpaceTreeOut, SpaceTreeParams } from "./tree.schema";
import { getSpaceTree, movePage } from "./tree.service";

/** The page tree: a space's tree as the reader sees it, and moving a page in it. */
export const pageTreeRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get("/spaces/:id/tree", { schema: { params: SpaceTreeParams, response: { 200: SpaceTreeOut } } }, async (req) =>
      getSpaceTree(ctx, requireActor(req.actor), req.params.id),
    );
    app.post(
      "/articles/:id/move",
      { schema: { params: ArticleParams, body: MovePageIn, response: { 200: MovePageOut } } },
      async (req) => movePage(ctx, requireActor(req.actor), req.params.id, req.body),
    );
  };
