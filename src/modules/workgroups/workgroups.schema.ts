import { z } from "zod";
import { endpoint } from "../../platform/endpoints";
import { DateTime, PersonRef } from "../../platform/contracts";
import { normaliseTags } from "../knowledge/articles.schema";

const Title = z.string().trim().min(3, "must be at least 3 characters").max(120, "must be at most 120 characters");
const Description = z.string().trim().max(5000, "must be at most 5,000 characters");
const Skills = z
  .array(z.string().trim().min(1, "must not be empty").max(40, "must be at most 40 characters"))
  .min(1, "name at least one skill")
  .max(8, "at most 8 skills")
  .transform(normaliseTags);
const PersonIds = (max: number) => z.array(z.string().uuid("must be a person id")).max(max, `at most ${max} people`);

export const SkillsIn = z.object({
  description: z.string().trim().min(3, "describe the challenge").max(5000, "must be at most 5,000 characters"),
});
export const ProposeIn = z.object({
  title: Title,
  description: Description.default(""),
  skills: Skills,
  size: z.number().int("must be a whole number").min(2, "must be at least 2").max(12, "must be at most 12"),
  mustInclude: PersonIds(12).default([]),
  minDepartments: z
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(6, "must be at most 6")
    .default(1),
  availableOnly: z.boolean().default(false),
});
export const EvaluateIn = z.object({
  skills: Skills,
  memberIds: PersonIds(12).min(1, "name at least one person"),
  availableOnly: z.boolean().default(false),
});
export const WorkgroupIn = z.object({
  title: Title,
  description: Description.default(""),
  skills: Skills,
  /** The members besides the leader (the person confirming); the leader's id here is ignored. */
  memberIds: PersonIds(12).min(1, "name at least one member besides you"),
});
export const WorkgroupParams = z.object({ id: z.string().uuid("must be a workgroup id") });

export const SkillSuggestionsOut = z.object({
  items: z.array(z.object({ topic: z.string(), why: z.string(), score: z.number() })),
});

const Reason = z.object({ kind: z.enum(["skill", "tie", "mustInclude", "department", "fill"]), text: z.string() });
const Availability = z.enum(["available", "busy", "away"]);
const Person = PersonRef.extend({ department: z.string(), title: z.string(), availability: Availability });
const SkillEvidence = z.object({ topic: z.string(), evidence: z.number() });

export const ProposalOut = z.object({
  skills: z.array(z.string()),
  members: z.array(
    Person.extend({
      /** The required skills this person has shown, with evidence (0–1, relative to the best in the organisation). */
      covers: z.array(SkillEvidence),
      reasons: z.array(Reason),
      mustInclude: z.boolean(),
      /** People who could take this seat while every covered skill stays covered, cheapest group first. */
      alternatives: z.array(Person.extend({ covers: z.array(SkillEvidence), cost: z.number() })),
    }),
  ),
  coverage: z.array(
    z.object({ topic: z.string(), coveredBy: z.array(z.object({ id: z.string(), evidence: z.number() })) }),
  ),
  /** Required skills nobody in the group has shown. */
  uncovered: z.array(z.string()),
  /** Required skills nobody in the organisation has shown (in organisation-wide content). */
  unheld: z.array(z.string()),
  departments: z.array(z.string()),
  cost: z.object({
    /** Sum over every pair of members of their distance in the who-helps-whom graph. */
    sum: z.number(),
    /** The largest distance between two members. */
    diameter: z.number(),
    /** The distance a pair with no path of help ties counts as. */
    disconnected: z.number(),
    /** Pairs of members who helped each other directly. */
    directTies: z.number(),
    /** RarestFirst's covering group (Lappas et al. 2009), for comparison; null when no skill is held. */
    rarestFirst: z.object({ sum: z.number(), diameter: z.number(), size: z.number() }).nullable(),
  }),
  /** Plain-words notes: a cover larger than the group size, too few departments, a must-include person away… */
  messages: z.array(z.string()),
});
export type ProposalOut = z.infer<typeof ProposalOut>;

export const WorkgroupOut = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  descriptionHtml: z.string(),
  skills: z.array(z.string()),
  status: z.enum(["active", "closed"]),
  leader: Person,
  members: z.array(Person),
  space: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
  kickoffPostId: z.string().nullable(),
  retrospectiveId: z.string().nullable(),
  createdAt: DateTime,
  closedAt: DateTime.nullable(),
  /** Coverage and cost of the group as it stands. */
  coverage: z.array(
    z.object({ topic: z.string(), coveredBy: z.array(z.object({ id: z.string(), evidence: z.number() })) }),
  ),
  can: z.object({ read: z.boolean(), edit: z.boolean(), close: z.boolean() }),
});
export type WorkgroupOut = z.infer<typeof WorkgroupOut>;
export const WorkgroupListOut = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      skills: z.array(z.string()),
      status: z.enum(["active", "closed"]),
      leader: PersonRef,
      memberCount: z.number(),
      createdAt: DateTime,
    }),
  ),
});

/** The endpoints of workgroups.routes.ts. */
export const workgroupsEndpoints = {
  postSkills: endpoint({ method: "POST", path: "/workgroups/skills", body: SkillsIn, response: SkillSuggestionsOut }),
  postPropose: endpoint({ method: "POST", path: "/workgroups/propose", body: ProposeIn, response: ProposalOut }),
  postEvaluate: endpoint({ method: "POST", path: "/workgroups/evaluate", body: EvaluateIn, response: ProposalOut }),
  postWorkgroups: endpoint({
    method: "POST",
    path: "/workgroups",
    body: WorkgroupIn,
    response: WorkgroupOut,
    status: 201,
  }),
  getWorkgroups: endpoint({ method: "GET", path: "/workgroups", response: WorkgroupListOut }),
  getWorkgroup: endpoint({ method: "GET", path: "/workgroups/:id", params: WorkgroupParams, response: WorkgroupOut }),
  postClose: endpoint({
    method: "POST",
    path: "/workgroups/:id/close",
    params: WorkgroupParams,
    response: WorkgroupOut,
  }),
};
