import { z } from "zod";
import { DateTime, rawResponse } from "../../platform/contracts";
import { endpoint } from "../../platform/endpoints";

/** Kinds of tie in the in-app network: answers (outside communities), answers to community questions,
 * comments, edits of someone's article, sessions (presenter to attendee) and mentoring (mentor to
 * mentee; private to the pair, so for those who run mentor programmes only). */
export const EDGE_TYPES = ["answers", "community", "comments", "edits", "sessions", "mentoring"] as const;
export type EdgeType = (typeof EDGE_TYPES)[number];
export const DEFAULT_EDGE_TYPES: readonly EdgeType[] = ["answers", "community", "comments", "edits"];

export const NetworkQuery = z.object({
  source: z.union([z.literal("app"), z.string().uuid("must be app or a network id")]).default("app"),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  topic: z.string().max(60).optional(),
  level: z.enum(["person", "department"]).default("department"),
  /**
   * The kinds of help that make a tie in the in-app network, comma-separated (default
   * answers,community,comments,edits; add sessions for presenters to the people who attended).
   */
  edges: z
    .string()
    .regex(
      new RegExp(`^(${EDGE_TYPES.join("|")})(,(${EDGE_TYPES.join("|")}))*$`),
      `must be a comma-separated list of ${EDGE_TYPES.join(", ")}`,
    )
    .optional(),
});
export const DatasetsOut = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      weighted: z.boolean(),
      nodes: z.number(),
      edges: z.number(),
      updatedAt: DateTime,
    }),
  ),
});

const Labelled = z.object({ id: z.string(), label: z.string() });
/** The map's data. Person-level fields are present only for `level=person` (admins and knowledge managers). */
export const NetworkOut = z.object({
  level: z.enum(["person", "department"]),
  /** The kinds of tie counted (in-app network; empty for an imported one). */
  edgeTypes: z.array(z.enum(EDGE_TYPES)),
  source: z.object({ id: z.string(), name: z.string() }),
  canSeeIndividuals: z.boolean(),
  departments: z.array(
    z.object({
      name: z.string(),
      people: z.number(),
      silo: z.number(),
      internal: z.number(),
      outgoing: z.number(),
      incoming: z.number(),
    }),
  ),
  flow: z.object({ departments: z.array(z.string()), matrix: z.array(z.array(z.number())) }),
  modularity: z.number(),
  communities: z.number(),
  people: z
    .array(
      z.object({
        id: z.string(),
        label: z.string(),
        department: z.string(),
        inDegree: z.number(),
        outDegree: z.number(),
        betweenness: z.number(),
        pagerank: z.number(),
        community: z.number(),
      }),
    )
    .optional(),
  edges: z.array(z.object({ source: z.string(), target: z.string(), weight: z.number() })).optional(),
  topics: z
    .array(z.object({ topic: z.string(), busFactor: z.number(), total: z.number(), people: z.array(Labelled) }))
    .optional(),
  /** People who joined more than four weeks ago and still have no ties (in-app network, person level). */
  newcomers: z.array(Labelled.extend({ department: z.string(), joinedAt: DateTime })).optional(),
  /** Per department, how many such newcomers (in-app network). */
  newcomersByDepartment: z.record(z.string(), z.number()).optional(),
});
export type NetworkOut = z.infer<typeof NetworkOut>;
export const NetworkCsvOut = rawResponse(
  "text/csv",
  "The people (level=person) or departments with their metrics, as CSV",
);

/** The endpoints of network.routes.ts. */
export const networkEndpoints = {
  getNetworkDatasets: endpoint({ method: "GET", path: "/network/datasets", response: DatasetsOut }),
  getNetwork: endpoint({ method: "GET", path: "/network", query: NetworkQuery, response: NetworkOut }),
  getNetworkExportCsv: endpoint({
    method: "GET",
    path: "/network/export.csv",
    query: NetworkQuery,
    response: NetworkCsvOut,
  }),
};
