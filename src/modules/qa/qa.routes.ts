import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import {
  AcceptIn,
  AnswerIn,
  AnswerUpdate,
  CommentIn,
  DuplicateIn,
  QuestionIn,
  QuestionListOut,
  QuestionListQuery,
  QuestionOut,
  QuestionUpdate,
  VoteIn,
} from "./qa.schema";

const Ok = { 200: QuestionOut };
const Created = { 201: QuestionOut };
import * as qa from "./qa.service";

const Id = z.object({ id: z.string().uuid() });

/** Questions and answers: ask, answer, edit (versioned), vote, accept, comment, close as duplicate. */
export const qaRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/questions",
      { schema: { querystring: QuestionListQuery, response: { 200: QuestionListOut } } },
      async (req) => qa.listQuestions(ctx, requireActor(req.actor), req.query),
    );
    app.post("/questions", { schema: { body: QuestionIn, response: Created } }, async (req, reply) =>
      reply.status(201).send(await qa.createQuestion(ctx, requireActor(req.actor), req.body)),
    );
    app.get("/questions/:id", { schema: { params: Id, response: Ok } }, async (req) =>
      qa.getQuestion(ctx, requireActor(req.actor), req.params.id),
    );
    app.put("/questions/:id", { schema: { params: Id, body: QuestionUpdate, response: Ok } }, async (req) =>
      qa.updateQuestion(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    app.post(
      "/questions/:id/answers",
      { schema: { params: Id, body: AnswerIn, response: Created } },
      async (req, reply) =>
        reply.status(201).send(await qa.createAnswer(ctx, requireActor(req.actor), req.params.id, req.body)),
    );
    app.put("/answers/:id", { schema: { params: Id, body: AnswerUpdate, response: Ok } }, async (req) =>
      qa.updateAnswer(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    app.post("/questions/:id/vote", { schema: { params: Id, body: VoteIn, response: Ok } }, async (req) =>
      qa.vote(ctx, requireActor(req.actor), "question", req.params.id, req.body.value),
    );
    app.post("/answers/:id/vote", { schema: { params: Id, body: VoteIn, response: Ok } }, async (req) =>
      qa.vote(ctx, requireActor(req.actor), "answer", req.params.id, req.body.value),
    );
    app.post("/questions/:id/accept", { schema: { params: Id, body: AcceptIn, response: Ok } }, async (req) =>
      qa.accept(ctx, requireActor(req.actor), req.params.id, req.body.answerId),
    );
    app.post(
      "/questions/:id/comments",
      { schema: { params: Id, body: CommentIn, response: Created } },
      async (req, reply) =>
        reply
          .status(201)
          .send(await qa.addComment(ctx, requireActor(req.actor), "question", req.params.id, req.body.body)),
    );
    app.post(
      "/answers/:id/comments",
      { schema: { params: Id, body: CommentIn, response: Created } },
      async (req, reply) =>
        reply
          .status(201)
          .send(await qa.addComment(ctx, requireActor(req.actor), "answer", req.params.id, req.body.body)),
    );
    app.post("/questions/:id/duplicate", { schema: { params: Id, body: DuplicateIn, response: Ok } }, async (req) =>
      qa.closeAsDuplicate(ctx, requireActor(req.actor), req.params.id, req.body.duplicateOfId),
    );
  };
