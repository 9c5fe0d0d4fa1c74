import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { getPerson } from "../accounts/people.service";
import { listArticles } from "./articles.service";
import { PersonProfileOut } from "./profile.schema";

const Id = z.object({ id: z.string().uuid() });

/** A person's page with their articles: composed here, so accounts (people data) depends on no feature. */
export const personProfileRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get("/people/:id", { schema: { params: Id, response: { 200: PersonProfileOut } } }, async (req) => {
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
