import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { getPerson } from "../accounts/people.service";
import { listArticles } from "./articles.service";
import { on } from "../../platform/route";
import { profileEndpoints } from "./profile.schema";

/** A person's page with their articles: composed here, so accounts (people data) depends on no feature. */
export const personProfileRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, profileEndpoints.getPeopleById, async (req) => {
      const actor = requireActor(req.actor);
      const person = await getPerson(ctx, actor, req.params.id);
      const articles = await listArticles(ctx, actor, {
        ownerId: req.params.id,
        limit: 20,
        offset: 0,
        sort: "updated",
      });
      return { ...person, articles: articles.items };
    });
  };
