import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { DeletedOut } from "../../platform/contracts";
import * as svc from "./lessons.service";
import {
  ItemLessonIn,
  ItemParams,
  LessonIn,
  LessonListOut,
  LessonListQuery,
  LessonOut,
  LessonUpdate,
  RetrospectiveIn,
  RetrospectiveListOut,
  RetrospectiveOut,
  RetrospectiveUpdate,
} from "./lessons.schema";

const Id = z.object({ id: z.string().uuid() });

/** Lessons learned: blameless mistake reports and project retrospectives whose items become lessons. */
export const lessonsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get("/lessons", { schema: { querystring: LessonListQuery, response: { 200: LessonListOut } } }, async (req) =>
      svc.listLessons(ctx, requireActor(req.actor), req.query),
    );
    app.post("/lessons", { schema: { body: LessonIn, response: { 201: LessonOut } } }, async (req, reply) => {
      const actor = requireActor(req.actor);
      const row = await svc.createLesson(ctx, actor, req.body);
      return reply.status(201).send(await svc.getLesson(ctx, actor, row.id));
    });
    app.get("/lessons/:id", { schema: { params: Id, response: { 200: LessonOut } } }, async (req) =>
      svc.getLesson(ctx, requireActor(req.actor), req.params.id),
    );
    app.put("/lessons/:id", { schema: { params: Id, body: LessonUpdate, response: { 200: LessonOut } } }, async (req) =>
      svc.updateLesson(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    app.delete("/lessons/:id", { schema: { params: Id, response: { 200: DeletedOut } } }, async (req) =>
      svc.deleteLesson(ctx, requireActor(req.actor), req.params.id),
    );

    app.get("/retrospectives", { schema: { response: { 200: RetrospectiveListOut } } }, async (req) =>
      svc.listRetrospectives(ctx, requireActor(req.actor)),
    );
    app.post(
      "/retrospectives",
      { schema: { body: RetrospectiveIn, response: { 201: RetrospectiveOut } } },
      async (req, reply) =>
        reply.status(201).send(await svc.createRetrospective(ctx, requireActor(req.actor), req.body)),
    );
    app.get("/retrospectives/:id", { schema: { params: Id, response: { 200: RetrospectiveOut } } }, async (req) =>
      svc.getRetrospective(ctx, requireActor(req.actor), req.params.id),
    );
    app.put(
      "/retrospectives/:id",
      { schema: { params: Id, body: RetrospectiveUpdate, response: { 200: RetrospectiveOut } } },
      async (req) => svc.updateRetrospective(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    app.post(
      "/retrospectives/:id/items/:itemId/lesson",
      { schema: { params: ItemParams, body: ItemLessonIn, response: { 201: LessonOut } } },
      async (req, reply) =>
        reply
          .status(201)
          .send(await svc.itemToLesson(ctx, requireActor(req.actor), req.params.id, req.params.itemId, req.body)),
    );
  };
