import { z } from "zod";

export const SpaceRole = z.enum(["owner", "editor", "viewer"]);
export const SpaceIn = z.object({
  name: z.string().trim().min(1, "is required").max(80),
  description: z.string().trim().max(1000).default(""),
  visibility: z.enum(["public", "private"]).default("public"),
  memberAccess: z.enum(["editor", "viewer"]).default("editor"),
});
export const SpacePatch = SpaceIn.partial();
export const MemberIn = z.object({ role: SpaceRole });
