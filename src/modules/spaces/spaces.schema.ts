import { z } from "zod";
import { DateTime, OkOut } from "../../platform/contracts";
import { endpoint } from "../../platform/endpoints";

const SpaceRole = z.enum(["owner", "editor", "viewer"]);
const Name = z.string().trim().min(1, "is required").max(80);
const Description = z.string().trim().max(1000);
const Visibility = z.enum(["public", "private"]);
const MemberAccess = z.enum(["editor", "viewer"]);

export const SpaceIn = z.object({
  name: Name,
  description: Description.default(""),
  visibility: Visibility.default("public"),
  memberAccess: MemberAccess.default("editor"),
});
// Written out, not `SpaceIn.partial()`: a partial keeps the defaults, so a patch that only
// changes the description would also reset visibility to public and member access to editor.
export const SpacePatch = z
  .object({
    name: Name.optional(),
    description: Description.optional(),
    visibility: Visibility.optional(),
    memberAccess: MemberAccess.optional(),
    /** The template new articles in the space start from (null: a blank page). */
    defaultTemplateId: z.string().uuid().nullable().optional(),
  })
  .strict();
export const MemberIn = z.object({ role: SpaceRole });

export const SpaceOut = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  description: z.string(),
  visibility: Visibility,
  memberAccess: MemberAccess,
  /** The reader's membership role (null: not a member). */
  myRole: SpaceRole.nullable(),
  canEdit: z.boolean(),
  canManage: z.boolean(),
  articleCount: z.number(),
  defaultTemplateId: z.string().nullable(),
  createdAt: DateTime,
});
export type SpaceOut = z.infer<typeof SpaceOut>;
export const SpaceListOut = z.object({ items: z.array(SpaceOut) });
export const MembersOut = z.object({
  items: z.array(
    z.object({
      user: z.object({ id: z.string(), name: z.string(), title: z.string(), department: z.string() }),
      role: SpaceRole,
    }),
  ),
});

const Member = z.object({ id: z.string().uuid(), userId: z.string().uuid() });
const Id = z.object({ id: z.string().uuid() });
/** The endpoints of spaces.routes.ts. */
export const spacesEndpoints = {
  getSpaces: endpoint({ method: "GET", path: "/spaces", response: SpaceListOut }),
  postSpaces: endpoint({ method: "POST", path: "/spaces", body: SpaceIn, response: SpaceOut }),
  getSpacesById: endpoint({ method: "GET", path: "/spaces/:id", params: Id, response: SpaceOut }),
  patchSpacesById: endpoint({ method: "PATCH", path: "/spaces/:id", params: Id, body: SpacePatch, response: SpaceOut }),
  getSpacesMembers: endpoint({ method: "GET", path: "/spaces/:id/members", params: Id, response: MembersOut }),
  putSpacesMembersByUserId: endpoint({
    method: "PUT",
    path: "/spaces/:id/members/:userId",
    params: Member,
    body: MemberIn,
    response: OkOut,
  }),
  deleteSpacesMembersByUserId: endpoint({
    method: "DELETE",
    path: "/spaces/:id/members/:userId",
    params: Member,
    response: OkOut,
  }),
};
