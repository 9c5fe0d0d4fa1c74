import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { DepartmentsOut, PeopleListOut, PeopleQuery, ProfilePatch, UserOut } from "./accounts.schema";
import * as people from "./people.service";

const Id = z.object({ id: z.string().uuid() });

/** The people directory and profile edits (a person's page with their articles: knowledge/profile.routes.ts). */
export const peopleRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get("/people", { schema: { querystring: PeopleQuery, response: { 200: PeopleListOut } } }, async (req) =>
      people.listPeople(ctx, requireActor(req.actor), req.query),
    );
    app.get("/people/departments", { schema: { response: { 200: DepartmentsOut } } }, async (req) => ({
      items: await people.listDepartments(ctx, requireActor(req.actor)),
    }));
    app.patch("/people/:id", { schema: { params: Id, body: ProfilePatch, response: { 200: UserOut } } }, async (req) =>
      people.updatePerson(ctx, requireActor(req.actor), req.params.id, req.body),
    );
  };
