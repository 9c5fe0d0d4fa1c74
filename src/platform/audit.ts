import { auditLog } from "../../db/schema";
import type { Executor } from "./db";

// Cross-cutting: any module records access-deciding changes here (the audit module lists them).
/** Who changed what that decides access: roles, departments, space visibility and membership, invitations. */
type AuditEntry = {
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  detail?: string;
  at: Date;
};

/** Records a change in the same transaction as the change itself (pass the transaction). */
export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actorId: entry.actorId,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    detail: entry.detail ?? "",
    createdAt: entry.at,
  });
}
