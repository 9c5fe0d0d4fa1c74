import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import * as svc from "./wol.service";

const Id = z.object({ id: z.string().uuid() });
const Tags = z.array(z.string().max(60, "each tag must be at most 60 characters")).max(10, "at most 10 tags").default([]);
const Practice = z.enum(["experience", "practice", "conversation", "reflection"], "must be experience, practice, conversation or reflection");

/** Working out loud (posts, reactions, comments, follows, feed), the private reflection journal, and the learning page. */
export const workingOutLoudRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/feed",
      { schema: { querystring: z.object({ scope: z.enum(["following", "everyone"]).default("following"), tag: z.string().max(60).optional(), authorId: z.string().uuid().optional(), before: z.string().datetime({ offset: true }).optional(), limit: z.coerce.number().int().min(1).max(100).default(30) }) } },
      async (req) => svc.feed(ctx, requireActor(req.actor), req.query),
    );
    app.post(
      "/posts",
      { schema: { body: z.object({ kind: z.enum(["working_on", "learned"], "must be working_on or learned"), body: z.string().trim().min(1, "is required").max(5000, "must be at most 5,000 characters"), tags: Tags, spaceId: z.string().uuid().nullable().optional() }) } },
      async (req, reply) => reply.status(201).send(await svc.createPost(ctx, requireActor(req.actor), req.body)),
    );
    app.get("/posts/:id", { schema: { params: Id } }, async (req) => svc.getPost(ctx, requireActor(req.actor), req.params.id));
    app.delete("/posts/:id", { schema: { params: Id } }, async (req) => svc.deletePost(ctx, requireActor(req.actor), req.params.id));
    app.post("/posts/:id/reactions", { schema: { params: Id, body: z.object({ emoji: z.enum(svc.REACTIONS, `must be one of ${svc.REACTIONS.join(" ")}`) }) } }, async (req) =>
      svc.react(ctx, requireActor(req.actor), req.params.id, req.body.emoji),
    );
    app.post("/posts/:id/comments", { schema: { params: Id, body: z.object({ body: z.string().trim().min(1, "is required").max(2000) }) } }, async (req, reply) =>
      reply.status(201).send(await svc.commentOnPost(ctx, requireActor(req.actor), req.params.id, req.body.body)),
    );
    app.get("/me/follows", async (req) => ({ following: await svc.myFollows(ctx, requireActor(req.actor)) }));
    app.put("/me/follows", { schema: { body: z.object({ type: z.enum(["person", "tag", "space"]), target: z.string().trim().min(1).max(120), follow: z.boolean() }) } }, async (req) =>
      svc.setFollow(ctx, requireActor(req.actor), req.body),
    );

    app.get("/journal", async (req) => svc.journal(ctx, requireActor(req.actor)));
    app.post("/journal", { schema: { body: z.object({ practice: Practice, prompt: z.string().trim().max(300).default(""), body: z.string().trim().min(1, "write something").max(20_000) }) } }, async (req, reply) =>
      reply.status(201).send(await svc.addJournalEntry(ctx, requireActor(req.actor), req.body)),
    );
    app.post("/journal/:id/share", { schema: { params: Id, body: z.object({ tags: Tags, spaceId: z.string().uuid().nullable().optional() }) } }, async (req, reply) =>
      reply.status(201).send(await svc.shareEntry(ctx, requireActor(req.actor), req.params.id, req.body)),
    );
    app.post(
      "/journal/:id/lesson",
      { schema: { params: Id, body: z.object({ title: z.string().trim().min(5, "must be at least 5 characters").max(200), tags: Tags, anonymous: z.boolean().default(false), spaceId: z.string().uuid().nullable().optional() }) } },
      async (req, reply) => reply.status(201).send(await svc.entryToLesson(ctx, requireActor(req.actor), req.params.id, req.body)),
    );
    app.get("/people/:id/learning", { schema: { params: Id, querystring: z.object({ months: z.coerce.number().int().min(1).max(24).default(6) }) } }, async (req) =>
      svc.learningExperiences(ctx, requireActor(req.actor), req.params.id, req.query.months),
    );
  };
