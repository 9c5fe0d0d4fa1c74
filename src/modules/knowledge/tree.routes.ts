import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { getSpaceTree, movePage } from "./tree.service";
import { on } from "../../platform/route";
import { treeEndpoints } from "./tree.schema";

/** The page tree: a space's tree as the reader sees it, and moving a page in it. */
export const pageTreeRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, treeEndpoints.getSpacesTree, async (req) => getSpaceTree(ctx, requireActor(req.actor), req.params.id));
    on(app, treeEndpoints.postArticlesMove, async (req) =>
      movePage(ctx, requireActor(req.actor), req.params.id, req.body),
    );
  };
