import { z } from "zod";
import { Version } from "../../platform/validation";

export const Email = z.string().trim().toLowerCase().email("must be an email address").max(254);
export const Password = z.string().min(10, "must be at least 10 characters").max(512);
export const Role = z.enum(["admin", "member", "guest"]);
export const PersonName = z.string().trim().min(1, "is required").max(120);

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

/** The signed-in person, their CSRF token, and what they may do across the instance (from the policy). */
export const SessionOut = z.object({ user: UserOut, csrfToken: z.string(), can: z.record(z.string(), z.boolean()) });
export const LoginIn = z.object({ email: Email, password: z.string().min(1, "is required").max(512) });
export const SetupIn = z.object({ name: PersonName, email: Email, password: Password, organisation: z.string().max(120).optional() });
export const PasswordIn = z.object({ currentPassword: z.string().min(1, "is required"), newPassword: Password });
export const InvitationIn = z.object({ email: Email, role: Role.default("member") });
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
