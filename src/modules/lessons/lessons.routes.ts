import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import * as svc from "./lessons.service";
import { Offset, Version } from "../../platform/validation";

const Id = z.object({ id: z.string().uuid() });
const Tags = z.array(z.string().max(60, "each tag must be at most 60 characters")).max(10, "at most 10 tags").default([]);
const Text = (max: number) => z.string().trim().max(max, `must be at most ${max.toLocaleString("en")} characters`).default("");
export const LessonIn = z.object({
  title: z.string().trim().min(5, "must be at least 5 characters").max(200, "must be at most 200 characters"),
  whatHappened: Text(20_000),
  impact: Text(10_000),
  learned: z.string().trim().min(5, "say what we learned (at least 5 characters)").max(20_000),
  instead: Text(20_000),
  tags: Tags,
  spaceId: z.string().uuid("must be a space id").nullable().optional(),
  anonymous: z.boolean().default(false),
});
const Column = z.enum(["well", "less", "try"], "must be well, less or try");
const Item = z.object({ id: z.string().uuid().optional(), column: Column, text: z.string().trim().min(1, "is empty").max(2000) });

/** Lessons learned: blameless mistake reports and project retrospectives whose items become lessons. */
export const lessonsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/lessons",
      { schema: { querystring: z.object({ tag: z.string().max(60).optional(), kind: z.enum(["mistake", "retrospective"]).optional(), limit: z.coerce.number().int().min(1).max(100).default(30), offset: Offset.default(0) }) } },
      async (req) => svc.listLessons(ctx, requireActor(req.actor), req.query),
    );
    app.post("/lessons", { schema: { body: LessonIn } }, async (req, reply) => {
      const actor = requireActor(req.actor);
      const row = await svc.createLesson(ctx, actor, req.body);
      return reply.status(201).send(await svc.getLesson(ctx, actor, row.id));
    });
    app.get("/lessons/:id", { schema: { params: Id } }, async (req) => svc.getLesson(ctx, requireActor(req.actor), req.params.id));
    app.put("/lessons/:id", { schema: { params: Id, body: LessonIn.extend({ version: Version }) } }, async (req) => svc.updateLesson(ctx, requireActor(req.actor), req.params.id, req.body));
    app.delete("/lessons/:id", { schema: { params: Id } }, async (req) => svc.deleteLesson(ctx, requireActor(req.actor), req.params.id));

    app.get("/retrospectives", async (req) => svc.listRetrospectives(ctx, requireActor(req.actor)));
    app.post(
      "/retrospectives",
      { schema: { body: z.object({ title: z.string().trim().min(3, "must be at least 3 characters").max(200), spaceId: z.string().uuid().nullable().optional(), participantIds: z.array(z.string().uuid()).max(100).default([]), items: z.array(Item).max(200).default([]) }) } },
      async (req, reply) => reply.status(201).send(await svc.createRetrospective(ctx, requireActor(req.actor), req.body)),
    );
    app.get("/retrospectives/:id", { schema: { params: Id } }, async (req) => svc.getRetrospective(ctx, requireActor(req.actor), req.params.id));
    app.put(
      "/retrospectives/:id",
      { schema: { params: Id, body: z.object({ version: Version, title: z.string().trim().min(3).max(200), participantIds: z.array(z.string().uuid()).max(100).default([]), items: z.array(Item).max(200) }) } },
      async (req) => svc.updateRetrospective(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    app.post(
      "/retrospectives/:id/items/:itemId/lesson",
      { schema: { params: Id.extend({ itemId: z.string().uuid() }), body: z.object({ learned: z.string().trim().min(5, "say what we learned (at least 5 characters)").max(20_000), instead: Text(20_000), tags: Tags, anonymous: z.boolean().default(false) }) } },
      async (req, reply) => reply.status(201).send(await svc.itemToLesson(ctx, requireActor(req.actor), req.params.id, req.params.itemId, req.body)),
    );
  };
