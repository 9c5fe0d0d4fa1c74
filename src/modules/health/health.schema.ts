import { z } from "zod";
import { endpoint } from "../../platform/endpoints";

export const HealthOut = z.object({
  status: z.literal("ok"),
  database: z.enum(["pglite", "postgres"]),
  version: z.string(),
  uptimeSeconds: z.number(),
  searchIndexSize: z.number().optional().describe("administrators only"),
});

/** The endpoints of health.routes.ts. */
export const healthEndpoints = {
  getHealth: endpoint({ method: "GET", path: "/health", response: HealthOut }),
};
