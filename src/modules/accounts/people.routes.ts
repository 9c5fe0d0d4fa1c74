import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { DepartmentsOut, PeopleListOut, PeopleQuery, PersonOut, ProfilePatch, UserOut } from "./accounts.schema";
import * as people from "./people.service";
import { listArticles } from "../knowledge/articles.service";

const Id = z.object({ id: z.string().uuid() });

/** The people directory and profiles. */
export const peopleRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get("/people", { schema: { querystring: PeopleQuery, response: { 200: PeopleListOut } } }, async (req) =>
      people.listPeople(ctx, requireActor(req.actor), req.query),
    );
    app.get("/people/departments", { schema: { response: { 200: DepartmentsOut } } }, async (req) => ({
      items: await people.listDepartments(ctx, requireActor(req.actor)),
    }));
    app.get("/people/:id", { schema: { params: Id, response: { 200: PersonOut } } }, async (req) => {
      const actor = requireActor(req.actor);
      const person = await people.getPerson(ctx, actor, req.params.id);
      const articles = await listArticles(ctx, actor, {
        ownerId: req.params.id,
        limit: 20,
        offset: 0,
        sort: "updated",
      });
      return { ...person, articles: articles.items };
    });
    app.patch("/people/:id", { schema: { params: Id, body: ProfilePatch, response: { 200: UserOut } } }, async (req) =>
      people.updatePerson(ctx, requireActor(req.actor), req.params.id, req.body),
    );
  };
