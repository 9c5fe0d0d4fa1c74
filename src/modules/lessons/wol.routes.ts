import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import * as svc from "./wol.service";
import { on } from "../../platform/route";
import { wolEndpoints } from "./wol.schema";

/**
 * Working out loud (posts, reactions, comments, follows, feed), the private reflection journal, and the learning page.
 */
export const workingOutLoudRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, wolEndpoints.getFeed, async (req) => svc.feed(ctx, requireActor(req.actor), req.query));
    on(app, wolEndpoints.postPosts, async (req, reply) =>
      reply.status(201).send(await svc.createPost(ctx, requireActor(req.actor), req.body)),
    );
    on(app, wolEndpoints.getPostsById, async (req) => svc.getPost(ctx, requireActor(req.actor), req.params.id));
    on(app, wolEndpoints.deletePostsById, async (req) => svc.deletePost(ctx, requireActor(req.actor), req.params.id));
    on(app, wolEndpoints.postPostsReactions, async (req) =>
      svc.react(ctx, requireActor(req.actor), req.params.id, req.body.emoji),
    );
    on(app, wolEndpoints.postPostsComments, async (req, reply) =>
      reply.status(201).send(await svc.commentOnPost(ctx, requireActor(req.actor), req.params.id, req.body.body)),
    );
    on(app, wolEndpoints.getMeFollows, async (req) => ({
      following: await svc.myFollows(ctx, requireActor(req.actor)),
    }));
    on(app, wolEndpoints.putMeFollows, async (req) => svc.setFollow(ctx, requireActor(req.actor), req.body));

    on(app, wolEndpoints.getJournal, async (req) => svc.journal(ctx, requireActor(req.actor)));
    on(app, wolEndpoints.postJournal, async (req, reply) =>
      reply.status(201).send(await svc.addJournalEntry(ctx, requireActor(req.actor), req.body)),
    );
    on(app, wolEndpoints.postJournalShare, async (req, reply) =>
      reply.status(201).send(await svc.shareEntry(ctx, requireActor(req.actor), req.params.id, req.body)),
    );
    on(app, wolEndpoints.postJournalLesson, async (req, reply) =>
      reply.status(201).send(await svc.entryToLesson(ctx, requireActor(req.actor), req.params.id, req.body)),
    );
    on(app, wolEndpoints.getPeopleLearning, async (req) =>
      svc.learningExperiences(ctx, requireActor(req.actor), req.params.id, req.query.months),
    );
  };
