import { desc, lt, sql } from "drizzle-orm";
import { auditLog } from "../../../db/schema";
import type { AppContext } from "../../context";
import { rows, type Executor } from "../../platform/db";
import { authorize, type Actor } from "../../authz/policy";

/** Who changed what that decides access: roles, departments, space visibility and membership, invitations. */
export type AuditEntry = { actorId: string | null; action: string; subjectType: string; subjectId: string; detail?: string; at: Date };

/** Records a change in the same transaction as the change itself (pass the transaction). */
export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({ actorId: entry.actorId, action: entry.action, subjectType: entry.subjectType, subjectId: entry.subjectId, detail: entry.detail ?? "", createdAt: entry.at });
}

/** The audit trail, newest first (admins only); `before` pages by id. */
export async function listAudit(ctx: AppContext, actor: Actor, query: { limit: number; before?: number }) {
  authorize(actor, "readAudit", { kind: "instance" });
  const found = await ctx.db
    .select()
    .from(auditLog)
    .where(query.before ? lt(auditLog.id, query.before) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(query.limit);
  const ids = [...new Set(found.map((e) => e.actorId).filter((i): i is string => i !== null))];
  const names = ids.length
    ? new Map((await rows<{ id: string; name: string }>(ctx.db, sql`select id, name from users where id in (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)})`)).map((u) => [u.id, u.name]))
    : new Map<string, string>();
  return {
    items: found.map((e) => ({
      id: e.id,
      actor: e.actorId ? { id: e.actorId, name: names.get(e.actorId) ?? "" } : null,
      action: e.action,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      detail: e.detail,
      at: e.createdAt.toISOString(),
    })),
  };
}
