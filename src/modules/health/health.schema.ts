import { z } from "zod";

export const HealthOut = z.object({
  status: z.literal("ok"),
  database: z.enum(["pglite", "postgres"]),
  version: z.string(),
  uptimeSeconds: z.number(),
  searchIndexSize: z.number().optional().describe("administrators only"),
});
