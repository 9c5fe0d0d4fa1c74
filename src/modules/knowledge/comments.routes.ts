import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { on } from "../../platform/route";
import * as comments from "./comments.service";
import { articleCommentsEndpoints as ep } from "./comments.schema";

/** Comments on articles: threads (whole article or a passage), replies, versioned edits, deletes, resolve, reopen. */
export const articleCommentsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, ep.getArticlesComments, async (req) => comments.listComments(ctx, requireActor(req.actor), req.params.id));
    on(app, ep.postArticlesComments, async (req, reply) =>
      reply.status(201).send(await comments.createThread(ctx, requireActor(req.actor), req.params.id, req.body)),
    );
    on(app, ep.postArticleCommentsReplies, async (req, reply) =>
      reply.status(201).send(await comments.reply(ctx, requireActor(req.actor), req.params.id, req.body.body)),
    );
    on(app, ep.putArticleCommentsById, async (req) =>
      comments.editComment(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    on(app, ep.deleteArticleCommentsById, async (req) =>
      comments.deleteComment(ctx, requireActor(req.actor), req.params.id),
    );
    on(app, ep.postArticleCommentsResolve, async (req) =>
      comments.setResolved(ctx, requireActor(req.actor), req.params.id, true),
    );
    on(app, ep.postArticleCommentsReopen, async (req) =>
      comments.setResolved(ctx, requireActor(req.actor), req.params.id, false),
    );
  };
