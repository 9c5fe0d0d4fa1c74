import { z } from "zod";
import { DateTime, Offset, PersonRef, Version, QueryText } from "../../platform/contracts";
import { endpoint } from "../../platform/endpoints";
import { OkOut as Ok } from "../../platform/contracts";

const Email = z.string().trim().toLowerCase().email("must be an email address").max(254);
const Password = z.string().min(10, "must be at least 10 characters").max(512);
export const Role = z.enum(["admin", "member", "guest"]);
const PersonName = z.string().trim().min(1, "is required").max(120);

export const UserOut = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: Role,
  title: z.string(),
  department: z.string(),
  managerId: z.string().nullable(),
  location: z.string(),
  timeZone: z.string(),
  bio: z.string(),
  knowledgeManager: z.boolean(),
  version: z.number(),
  createdAt: z.string(),
});
export type UserOut = z.infer<typeof UserOut>;

export const SetupStateOut = z.object({ needsSetup: z.boolean() });
/** The signed-in person, their CSRF token, and what they may do across the instance (from the policy). */
export const SessionOut = z.object({ user: UserOut, csrfToken: z.string(), can: z.record(z.string(), z.boolean()) });
export const LoginIn = z.object({ email: Email, password: z.string().min(1, "is required").max(512) });
export const SetupIn = z.object({
  name: PersonName,
  email: Email,
  password: Password,
  organisation: z.string().max(120).optional(),
});
export const PasswordIn = z.object({ currentPassword: z.string().min(1, "is required"), newPassword: Password });
export const InvitationIn = z.object({ email: Email, role: Role.default("member") });
export const InvitationTokenParams = z.object({ token: z.string().min(10).max(100) });
/** A new invitation: its link is shown once, to the admin who created it. */
export const InvitationOut = z.object({
  id: z.string(),
  email: z.string(),
  role: Role,
  url: z.string(),
  expiresAt: DateTime,
});
export const InvitationListOut = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      email: z.string(),
      role: Role,
      expiresAt: DateTime,
      acceptedAt: DateTime.nullable(),
      invitedBy: PersonRef,
    }),
  ),
});
/** What the invitation page shows before the invitee accepts. */
export const InvitationInfoOut = z.object({ email: z.string(), role: Role, valid: z.boolean() });
export const AcceptIn = z.object({ name: PersonName, password: Password });

export const TimeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "must be an IANA time zone such as Europe/Amsterdam");

export const ProfilePatch = z.object({
  version: Version,
  name: PersonName.optional(),
  title: z.string().trim().max(120).optional(),
  department: z.string().trim().max(120).optional(),
  managerId: z.string().uuid().nullable().optional(),
  location: z.string().trim().max(120).optional(),
  timeZone: TimeZone.optional(),
  bio: z.string().max(2000).optional(),
  role: Role.optional(),
  knowledgeManager: z.boolean().optional(),
});

export const PeopleQuery = z.object({
  q: QueryText.optional(),
  department: z.string().max(120).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: Offset.default(0),
});
export const PeopleListOut = z.object({ total: z.number(), items: z.array(UserOut) });
export const DepartmentsOut = z.object({ items: z.array(z.object({ department: z.string(), count: z.number() })) });
/** A person with their manager, reports and what the viewer may do (their page adds articles: profile.schema). */
export const PersonOut = UserOut.extend({
  manager: PersonRef.nullable(),
  reports: z.array(z.object({ id: z.string(), name: z.string(), title: z.string() })),
  /** What the viewer may do with this person, from the policy. */
  can: z.object({
    read: z.boolean(),
    update: z.boolean(),
    changeRole: z.boolean(),
    changePlacement: z.boolean(),
    endorse: z.boolean(),
  }),
});
export type PersonOut = z.infer<typeof PersonOut>;

/** The endpoints of accounts.routes.ts. */
export const accountsEndpoints = {
  getSetup: endpoint({ method: "GET", path: "/setup", response: SetupStateOut }),
  postSetup: endpoint({ method: "POST", path: "/setup", body: SetupIn, response: SessionOut }),
  postAuthLogin: endpoint({ method: "POST", path: "/auth/login", body: LoginIn, response: SessionOut }),
  postAuthLogout: endpoint({ method: "POST", path: "/auth/logout", response: Ok }),
  getAuthMe: endpoint({ method: "GET", path: "/auth/me", response: SessionOut }),
  postAuthPassword: endpoint({ method: "POST", path: "/auth/password", body: PasswordIn, response: Ok }),
  postInvitations: endpoint({ method: "POST", path: "/invitations", body: InvitationIn, response: InvitationOut }),
  getInvitations: endpoint({ method: "GET", path: "/invitations", response: InvitationListOut }),
  deleteInvitationsById: endpoint({
    method: "DELETE",
    path: "/invitations/:id",
    params: z.object({ id: z.string().uuid() }),
    response: Ok,
  }),
  getInvitationsTokenByToken: endpoint({
    method: "GET",
    path: "/invitations/token/:token",
    params: InvitationTokenParams,
    response: InvitationInfoOut,
  }),
  postInvitationsTokenAccept: endpoint({
    method: "POST",
    path: "/invitations/token/:token/accept",
    params: InvitationTokenParams,
    body: AcceptIn,
    response: SessionOut,
  }),
};

const Id = z.object({ id: z.string().uuid() });
/** The endpoints of people.routes.ts. */
export const peopleEndpoints = {
  getPeople: endpoint({ method: "GET", path: "/people", query: PeopleQuery, response: PeopleListOut }),
  getPeopleDepartments: endpoint({ method: "GET", path: "/people/departments", response: DepartmentsOut }),
  patchPeopleById: endpoint({
    method: "PATCH",
    path: "/people/:id",
    params: Id,
    body: ProfilePatch,
    response: UserOut,
  }),
};
