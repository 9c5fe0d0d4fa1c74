import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { on } from "../../platform/route";
import { AppError } from "../../platform/errors";
import { tokensEndpoints as e } from "./tokens.schema";
import * as svc from "./tokens.service";

/** Personal API tokens: made and revoked by their owner (admins see and revoke everyone's). */
export const tokensRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, e.getTokens, async (req) => svc.listTokens(ctx, requireActor(req.actor), req.query.all === "true"));
    on(app, e.postTokens, async (req, reply) => {
      // A token cannot make another one: a leaked token must not outlive its revocation.
      if (req.apiToken) throw new AppError("forbidden", "Tokens are made signed in to the web app, not with a token");
      return reply.status(201).send(await svc.createToken(ctx, requireActor(req.actor), req.body));
    });
    on(app, e.deleteTokensById, async (req) => svc.revokeToken(ctx, requireActor(req.actor), req.params.id));
  };
