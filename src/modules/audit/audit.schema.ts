import { z } from "zod";
import { DateTime, PersonRef, rawResponse } from "../../platform/contracts";
import { endpoint } from "../../platform/endpoints";

/** What narrows the trail: words in it, a kind of action, a time window. */
export const AuditFilter = z.object({
  /** Words found in the action, the detail, the subject or the actor's name (all of them). */
  q: z.string().trim().max(200, "must be at most 200 characters").optional(),
  /** An action or the start of one: `auth.` for every sign-in event. */
  action: z
    .string()
    .trim()
    .max(60, "must be at most 60 characters")
    .regex(/^[a-z.-]*$/, "must be an action such as auth.sign-in or a prefix such as auth.")
    .optional(),
  from: z.iso.datetime({ offset: true, error: "must be a date and time (ISO 8601)" }).optional(),
  to: z.iso.datetime({ offset: true, error: "must be a date and time (ISO 8601)" }).optional(),
});
export const AuditQuery = AuditFilter.extend({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Entries older than this entry id (paging). */
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});
const AuditEntryOut = z.object({
  id: z.number(),
  /** null when the actor's account no longer exists (or the system acted). */
  actor: PersonRef.nullable(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  /** The person's or space's current name; null for other subjects (the detail names them). */
  subjectName: z.string().nullable(),
  detail: z.string(),
  at: DateTime,
});
export const AuditOut = z.object({
  items: z.array(AuditEntryOut),
  /** How long entries are kept (days; older ones are deleted). */
  retentionDays: z.number(),
});

/** The endpoints of audit.routes.ts. */
export const auditEndpoints = {
  getAudit: endpoint({ method: "GET", path: "/audit", query: AuditQuery, response: AuditOut }),
  /** The filtered trail as CSV (every matching entry, newest first); the export is itself audited. */
  getAuditExport: endpoint({
    method: "GET",
    path: "/audit/export",
    query: AuditFilter,
    response: rawResponse("text/csv", "The matching audit entries as CSV (RFC 4180)"),
  }),
};
