import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import * as svc from "./people-expertise.service";
import { getAvailability, setAvailability } from "./availability.service";
import {
  AvailabilityIn,
  AvailabilityOut,
  EndorsementIn,
  EndorsementParams,
  ExpertiseProfileOut,
  ExpertsOut,
  ExpertsQuery,
  SkillsIn,
} from "./expertise.schema";

const Id = z.object({ id: z.string().uuid() });

/** Expertise: who knows what (with evidence), self-declared skills, endorsements, availability. */
export const expertiseRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get("/experts", { schema: { querystring: ExpertsQuery, response: { 200: ExpertsOut } } }, async (req) => {
      const q = req.query;
      return svc.whoKnows(ctx, requireActor(req.actor), {
        q: q.q,
        department: q.department || undefined,
        availability: q.availability === "any" ? undefined : q.availability,
        limit: q.limit,
      });
    });
    app.get("/people/:id/expertise", { schema: { params: Id, response: { 200: ExpertiseProfileOut } } }, async (req) =>
      svc.personExpertise(ctx, requireActor(req.actor), req.params.id),
    );
    app.put("/me/skills", { schema: { body: SkillsIn, response: { 200: ExpertiseProfileOut } } }, async (req) =>
      svc.setSkills(ctx, requireActor(req.actor), req.body.skills),
    );
    app.post(
      "/people/:id/endorsements",
      { schema: { params: Id, body: EndorsementIn, response: { 201: ExpertiseProfileOut } } },
      async (req, reply) =>
        reply.status(201).send(await svc.endorse(ctx, requireActor(req.actor), req.params.id, req.body)),
    );
    app.delete(
      "/people/:id/endorsements/:tag",
      { schema: { params: EndorsementParams, response: { 200: ExpertiseProfileOut } } },
      async (req) => svc.withdrawEndorsement(ctx, requireActor(req.actor), req.params.id, req.params.tag),
    );
    app.get("/me/availability", { schema: { response: { 200: AvailabilityOut } } }, async (req) =>
      getAvailability(ctx, requireActor(req.actor)),
    );
    app.put("/me/availability", { schema: { body: AvailabilityIn, response: { 200: AvailabilityOut } } }, async (req) =>
      setAvailability(ctx, requireActor(req.actor), req.body),
    );
  };
