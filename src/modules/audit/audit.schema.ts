import { z } from "zod";
import { DateTime, PersonRef } from "../../platform/contracts";
import { endpoint } from "../../platform/endpoints";

export const AuditQuery = z.object({
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
export const AuditOut = z.object({ items: z.array(AuditEntryOut) });

/** The endpoints of audit.routes.ts. */
export const auditEndpoints = {
  getAudit: endpoint({ method: "GET", path: "/audit", query: AuditQuery, response: AuditOut }),
};
