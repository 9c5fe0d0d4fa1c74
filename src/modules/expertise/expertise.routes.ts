import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import * as svc from "./people-expertise.service";
import { getAvailability, setAvailability } from "./availability.service";
import { on } from "../../platform/route";
import { expertiseEndpoints } from "./expertise.schema";

/** Expertise: who knows what (with evidence), self-declared skills, endorsements, availability. */
export const expertiseRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, expertiseEndpoints.getExperts, async (req) => {
      const q = req.query;
      return svc.whoKnows(ctx, requireActor(req.actor), {
        q: q.q,
        department: q.department || undefined,
        availability: q.availability === "any" ? undefined : q.availability,
        limit: q.limit,
      });
    });
    on(app, expertiseEndpoints.getPeopleExpertise, async (req) =>
      svc.personExpertise(ctx, requireActor(req.actor), req.params.id),
    );
    on(app, expertiseEndpoints.putMeSkills, async (req) =>
      svc.setSkills(ctx, requireActor(req.actor), req.body.skills),
    );
    on(app, expertiseEndpoints.postPeopleEndorsements, async (req, reply) =>
      reply.status(201).send(await svc.endorse(ctx, requireActor(req.actor), req.params.id, req.body)),
    );
    on(app, expertiseEndpoints.deletePeopleEndorsementsByTag, async (req) =>
      svc.withdrawEndorsement(ctx, requireActor(req.actor), req.params.id, req.params.tag),
    );
    on(app, expertiseEndpoints.getMeAvailability, async (req) => getAvailability(ctx, requireActor(req.actor)));
    on(app, expertiseEndpoints.putMeAvailability, async (req) =>
      setAvailability(ctx, requireActor(req.actor), req.body),
    );
  };
