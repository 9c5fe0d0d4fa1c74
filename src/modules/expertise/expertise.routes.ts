import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { TimeZone } from "../accounts/accounts.schema";
import * as svc from "./people-expertise.service";

const Id = z.object({ id: z.string().uuid() });
const Minutes = z.number().int("must be whole minutes").min(0, "must be 0–1440").max(1440, "must be 0–1440");

export const AvailabilityIn = z.object({
  availability: z.enum(["available", "busy", "away"], "must be available, busy or away"),
  awayUntil: z.string().datetime({ offset: true, message: "must be a date-time such as 2026-12-01T00:00:00Z" }).nullable().default(null),
  timeZone: TimeZone,
  workStart: Minutes,
  workEnd: Minutes,
  workDays: z.array(z.number().int().min(1, "weekdays are 1 (Monday) to 7 (Sunday)").max(7, "weekdays are 1 (Monday) to 7 (Sunday)")).min(1, "pick at least one day").max(7),
  dailyCap: z.number().int().min(0, "must be 0 or more").max(100, "must be at most 100"),
});

/** Expertise: who knows what (with evidence), self-declared skills, endorsements, availability. */
export const expertiseRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/experts",
      {
        schema: {
          querystring: z.object({
            q: z.string().trim().min(2, "type at least 2 characters").max(2000, "must be at most 2,000 characters"),
            department: z.string().max(120).optional(),
            availability: z.enum(["any", "available", "reachable"]).default("any"),
            limit: z.coerce.number().int().min(1).max(100).default(20),
          }),
        },
      },
      async (req) => {
        const q = req.query;
        return svc.whoKnows(ctx, requireActor(req.actor), { q: q.q, department: q.department || undefined, availability: q.availability === "any" ? undefined : q.availability, limit: q.limit });
      },
    );
    app.get("/people/:id/expertise", { schema: { params: Id } }, async (req) => svc.personExpertise(ctx, requireActor(req.actor), req.params.id));
    app.put(
      "/me/skills",
      { schema: { body: z.object({ skills: z.array(z.string().trim().min(1, "must not be empty").max(40, "must be at most 40 characters")).max(30, "at most 30 skills") }) } },
      async (req) => svc.setSkills(ctx, requireActor(req.actor), req.body.skills),
    );
    app.post(
      "/people/:id/endorsements",
      { schema: { params: Id, body: z.object({ tag: z.string().trim().min(1, "is required").max(40, "must be at most 40 characters"), note: z.string().trim().max(300, "must be at most 300 characters").default("") }) } },
      async (req, reply) => reply.status(201).send(await svc.endorse(ctx, requireActor(req.actor), req.params.id, req.body)),
    );
    app.delete(
      "/people/:id/endorsements/:tag",
      { schema: { params: z.object({ id: z.string().uuid(), tag: z.string().min(1).max(40) }) } },
      async (req) => svc.withdrawEndorsement(ctx, requireActor(req.actor), req.params.id, req.params.tag),
    );
    app.get("/me/availability", async (req) => svc.getAvailability(ctx, requireActor(req.actor)));
    app.put("/me/availability", { schema: { body: AvailabilityIn } }, async (req) => svc.setAvailability(ctx, requireActor(req.actor), req.body));
  };
