import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { on } from "../../platform/route";
import { listMentions, markMentionsSeen } from "./mentions.service";
import { mentionsEndpoints } from "./mentions.schema";

/** The signed-in person's @mentions (the inbox lists them) and marking them seen. */
export const mentionsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, mentionsEndpoints.getMentions, async (req) => listMentions(ctx, requireActor(req.actor), req.query));
    on(app, mentionsEndpoints.postMentionsSeen, async (req) =>
      markMentionsSeen(ctx, requireActor(req.actor), req.body.ids),
    );
  };
