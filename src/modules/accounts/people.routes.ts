import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import * as people from "./people.service";
import { on } from "../../platform/route";
import { peopleEndpoints } from "./accounts.schema";

/** The people directory and profile edits (a person's page with their articles: knowledge/profile.routes.ts). */
export const peopleRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, peopleEndpoints.getPeople, async (req) => people.listPeople(ctx, requireActor(req.actor), req.query));
    on(app, peopleEndpoints.getPeopleDepartments, async (req) => ({
      items: await people.listDepartments(ctx, requireActor(req.actor)),
    }));
    on(app, peopleEndpoints.patchPeopleById, async (req) =>
      people.updatePerson(ctx, requireActor(req.actor), req.params.id, req.body),
    );
  };
