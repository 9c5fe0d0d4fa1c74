import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import * as qa from "./qa.service";
import { on } from "../../platform/route";
import { qaEndpoints } from "./qa.schema";

/** Questions and answers: ask, answer, edit (versioned), vote, accept, comment, close as duplicate. */
export const qaRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, qaEndpoints.getQuestions, async (req) => qa.listQuestions(ctx, requireActor(req.actor), req.query));
    on(app, qaEndpoints.postQuestions, async (req, reply) =>
      reply.status(201).send(await qa.createQuestion(ctx, requireActor(req.actor), req.body)),
    );
    on(app, qaEndpoints.getQuestionsById, async (req) => qa.getQuestion(ctx, requireActor(req.actor), req.params.id));
    on(app, qaEndpoints.putQuestionsById, async (req) =>
      qa.updateQuestion(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    on(app, qaEndpoints.postQuestionsAnswers, async (req, reply) =>
      reply.status(201).send(await qa.createAnswer(ctx, requireActor(req.actor), req.params.id, req.body)),
    );
    on(app, qaEndpoints.putAnswersById, async (req) =>
      qa.updateAnswer(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    on(app, qaEndpoints.postQuestionsVote, async (req) =>
      qa.vote(ctx, requireActor(req.actor), "question", req.params.id, req.body.value),
    );
    on(app, qaEndpoints.postAnswersVote, async (req) =>
      qa.vote(ctx, requireActor(req.actor), "answer", req.params.id, req.body.value),
    );
    on(app, qaEndpoints.postQuestionsAccept, async (req) =>
      qa.accept(ctx, requireActor(req.actor), req.params.id, req.body.answerId),
    );
    on(app, qaEndpoints.postQuestionsComments, async (req, reply) =>
      reply
        .status(201)
        .send(await qa.addComment(ctx, requireActor(req.actor), "question", req.params.id, req.body.body)),
    );
    on(app, qaEndpoints.postAnswersComments, async (req, reply) =>
      reply.status(201).send(await qa.addComment(ctx, requireActor(req.actor), "answer", req.params.id, req.body.body)),
    );
    on(app, qaEndpoints.postQuestionsDuplicate, async (req) =>
      qa.closeAsDuplicate(ctx, requireActor(req.actor), req.params.id, req.body.duplicateOfId),
    );
  };
