import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { DeletedOut } from "../../platform/contracts";
import * as svc from "./wol.service";
import { LessonOut } from "./lessons.schema";
import {
  EntryLessonIn,
  FeedOut,
  FeedQuery,
  FollowIn,
  FollowsOut,
  JournalIn,
  JournalOut,
  LearningOut,
  LearningQuery,
  PostCommentIn,
  PostIn,
  PostOut,
  ReactionIn,
  ShareIn,
} from "./wol.schema";

const Id = z.object({ id: z.string().uuid() });

/**
 * Working out loud (posts, reactions, comments, follows, feed), the private reflection journal, and the learning page.
 */
export const workingOutLoudRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get("/feed", { schema: { querystring: FeedQuery, response: { 200: FeedOut } } }, async (req) =>
      svc.feed(ctx, requireActor(req.actor), req.query),
    );
    app.post("/posts", { schema: { body: PostIn, response: { 201: PostOut } } }, async (req, reply) =>
      reply.status(201).send(await svc.createPost(ctx, requireActor(req.actor), req.body)),
    );
    app.get("/posts/:id", { schema: { params: Id, response: { 200: PostOut } } }, async (req) =>
      svc.getPost(ctx, requireActor(req.actor), req.params.id),
    );
    app.delete("/posts/:id", { schema: { params: Id, response: { 200: DeletedOut } } }, async (req) =>
      svc.deletePost(ctx, requireActor(req.actor), req.params.id),
    );
    app.post(
      "/posts/:id/reactions",
      { schema: { params: Id, body: ReactionIn, response: { 200: PostOut } } },
      async (req) => svc.react(ctx, requireActor(req.actor), req.params.id, req.body.emoji),
    );
    app.post(
      "/posts/:id/comments",
      { schema: { params: Id, body: PostCommentIn, response: { 201: PostOut } } },
      async (req, reply) =>
        reply.status(201).send(await svc.commentOnPost(ctx, requireActor(req.actor), req.params.id, req.body.body)),
    );
    app.get("/me/follows", { schema: { response: { 200: FollowsOut } } }, async (req) => ({
      following: await svc.myFollows(ctx, requireActor(req.actor)),
    }));
    app.put("/me/follows", { schema: { body: FollowIn, response: { 200: FollowsOut } } }, async (req) =>
      svc.setFollow(ctx, requireActor(req.actor), req.body),
    );

    app.get("/journal", { schema: { response: { 200: JournalOut } } }, async (req) =>
      svc.journal(ctx, requireActor(req.actor)),
    );
    app.post("/journal", { schema: { body: JournalIn, response: { 201: JournalOut } } }, async (req, reply) =>
      reply.status(201).send(await svc.addJournalEntry(ctx, requireActor(req.actor), req.body)),
    );
    app.post(
      "/journal/:id/share",
      { schema: { params: Id, body: ShareIn, response: { 201: PostOut } } },
      async (req, reply) =>
        reply.status(201).send(await svc.shareEntry(ctx, requireActor(req.actor), req.params.id, req.body)),
    );
    app.post(
      "/journal/:id/lesson",
      { schema: { params: Id, body: EntryLessonIn, response: { 201: LessonOut } } },
      async (req, reply) =>
        reply.status(201).send(await svc.entryToLesson(ctx, requireActor(req.actor), req.params.id, req.body)),
    );
    app.get(
      "/people/:id/learning",
      { schema: { params: Id, querystring: LearningQuery, response: { 200: LearningOut } } },
      async (req) => svc.learningExperiences(ctx, requireActor(req.actor), req.params.id, req.query.months),
    );
  };
