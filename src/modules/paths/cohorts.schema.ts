import { z } from "zod";
import { endpoint } from "../../platform/endpoints";
import { DateTime, PersonRef } from "../../platform/contracts";

const DateOnly = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date (YYYY-MM-DD)")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), "must be a real date");
const PersonIds = z.array(z.string().uuid("must be a person id"));

export const PhaseIn = z.object({
  fromStep: z.number().int("must be a whole number").min(1, "must be at least 1"),
  toStep: z.number().int("must be a whole number").min(1, "must be at least 1"),
  startsOn: DateOnly,
  endsOn: DateOnly,
});
export const CohortIn = z.object({
  name: z.string().trim().min(3, "must be at least 3 characters").max(120, "must be at most 120 characters"),
  pathId: z.string().uuid("must be a learning path id"),
  unitSize: z
    .number()
    .int("must be a whole number")
    .min(3, "must be at least 3")
    .max(8, "must be at most 8")
    .default(5),
  minDepartments: z
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(4, "must be at most 4")
    .default(2),
  memberIds: PersonIds.min(4, "a cohort needs at least 4 people").max(500, "at most 500 people"),
  phases: z.array(PhaseIn).min(1, "plan at least one phase").max(12, "at most 12 phases"),
});
export const PinIn = z.object({
  aId: z.string().uuid("must be a person id"),
  bId: z.string().uuid("must be a person id"),
  kind: z.enum(["together", "apart", "none"]),
});
export const MembersIn = z.object({ userIds: PersonIds.min(1, "name at least one person").max(200, "at most 200") });
export const SyncIn = z.object({
  step: z.number().int("must be a whole number").min(1, "must be at least 1"),
  by: DateOnly,
});
export const CohortParams = z.object({ id: z.string().uuid("must be a cohort id") });
export const CohortMemberParams = z.object({
  id: z.string().uuid("must be a cohort id"),
  userId: z.string().uuid("must be a person id"),
});

const Member = PersonRef.extend({ department: z.string(), evidence: z.boolean() });
const UnitOut = z.object({
  id: z.string(),
  number: z.number(),
  lead: PersonRef.nullable(),
  members: z.array(Member),
  departments: z.number(),
  /** Why the unit is as it is, in words: new pairings, departments, who has evidence, why this lead. */
  reasons: z.array(z.string()),
  /** Average steps of the phase completed per member (0 … phase length). */
  progress: z.number(),
  /** Share of first attempts at checks that passed (null: none yet). */
  checkScore: z.number().nullable(),
  /** Members with progress in the last 14 days. */
  active: z.number(),
  /** Help ties from the unit's members to colleagues outside it. */
  outsideTies: z.number(),
});
const PhaseOut = z.object({
  id: z.string(),
  number: z.number(),
  fromStep: z.number(),
  toStep: z.number(),
  startsOn: z.string(),
  endsOn: z.string(),
  status: z.enum(["planned", "proposed", "running", "done"]),
  sync: z.object({ step: z.number(), by: z.string() }).nullable(),
  explanation: z
    .object({ newPairs: z.number(), repeatedPairs: z.number(), totalPairs: z.number(), ms: z.number() })
    .nullable(),
  units: z.array(UnitOut),
});
export const CohortOut = z.object({
  id: z.string(),
  name: z.string(),
  path: z.object({ id: z.string(), title: z.string(), steps: z.number() }),
  unitSize: z.number(),
  minDepartments: z.number(),
  spreadThreshold: z.number(),
  status: z.enum(["running", "closed"]),
  space: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: DateTime,
  members: z.array(Member.extend({ dropped: z.boolean() })),
  phases: z.array(PhaseOut),
  /** The running phase's number (0: none started yet). */
  currentPhase: z.number(),
  pins: z.array(z.object({ a: PersonRef, b: PersonRef, kind: z.enum(["together", "apart"]) })),
  /** The risks of seeds/001, watched: units ahead of one another, insular units, units too small. */
  warnings: z.array(
    z.object({ kind: z.enum(["spread", "insular", "small"]), text: z.string(), unit: z.number().nullable() }),
  ),
  dashboard: z.object({
    /** Share of active members with progress in the last 14 days. */
    participation: z.number(),
    /** Help ties between cohort members before the cohort started, and since. */
    tiesBefore: z.number(),
    tiesSince: z.number(),
    /** Pairs of members who have shared a unit so far. */
    pairsMet: z.number(),
    pairsPossible: z.number(),
  }),
  can: z.object({ manage: z.boolean() }),
});
export type CohortOut = z.infer<typeof CohortOut>;
export const CohortListOut = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      pathTitle: z.string(),
      members: z.number(),
      currentPhase: z.number(),
      phases: z.number(),
      status: z.enum(["running", "closed"]),
      /** My unit in the running phase, if I am in the cohort. */
      myUnit: z.number().nullable(),
    }),
  ),
  can: z.object({ create: z.boolean() }),
});

/** The endpoints of cohorts.routes.ts. */
export const cohortsEndpoints = {
  getCohorts: endpoint({ method: "GET", path: "/cohorts", response: CohortListOut }),
  postCohorts: endpoint({ method: "POST", path: "/cohorts", body: CohortIn, response: CohortOut, status: 201 }),
  getCohort: endpoint({ method: "GET", path: "/cohorts/:id", params: CohortParams, response: CohortOut }),
  postPropose: endpoint({ method: "POST", path: "/cohorts/:id/propose", params: CohortParams, response: CohortOut }),
  postStartPhase: endpoint({
    method: "POST",
    path: "/cohorts/:id/start-phase",
    params: CohortParams,
    response: CohortOut,
  }),
  putPin: endpoint({
    method: "PUT",
    path: "/cohorts/:id/pins",
    params: CohortParams,
    body: PinIn,
    response: CohortOut,
  }),
  postMembers: endpoint({
    method: "POST",
    path: "/cohorts/:id/members",
    params: CohortParams,
    body: MembersIn,
    response: CohortOut,
  }),
  postDrop: endpoint({
    method: "POST",
    path: "/cohorts/:id/members/:userId/drop",
    params: CohortMemberParams,
    response: CohortOut,
  }),
  postRebalance: endpoint({
    method: "POST",
    path: "/cohorts/:id/rebalance",
    params: CohortParams,
    response: CohortOut,
  }),
  postSync: endpoint({
    method: "POST",
    path: "/cohorts/:id/sync",
    params: CohortParams,
    body: SyncIn,
    response: CohortOut,
  }),
};
