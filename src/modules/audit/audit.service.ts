import { namesByIds } from "../accounts/users";
import { spaceNamesByIds } from "../spaces/spaces.service";
import { desc, lt } from "drizzle-orm";
import { auditLog } from "../../../db/schema";
import type { AppContext } from "../../context";
import { authorize, type Actor } from "../../authz/policy";

/** The audit trail, newest first (admins only); `before` pages by id. */
export async function listAudit(ctx: AppContext, actor: Actor, query: { limit: number; before?: number }) {
  authorize(actor, "readAudit", { kind: "instance" });
  const found = await ctx.db
    .select()
    .from(auditLog)
    .where(query.before ? lt(auditLog.id, query.before) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(query.limit);
  const subjects = (type: string) => found.filter((e) => e.subjectType === type).map((e) => e.subjectId);
  const names = await namesByIds(ctx.db, [...found.map((e) => e.actorId), ...subjects("person")]);
  const spaceNames = await spaceNamesByIds(ctx.db, subjects("space"));
  const subjectName = (e: (typeof found)[number]) =>
    (e.subjectType === "person"
      ? names.get(e.subjectId)
      : e.subjectType === "space"
        ? spaceNames.get(e.subjectId)
        : null) ?? null;
  return {
    items: found.map((e) => ({
      id: e.id,
      actor: e.actorId ? { id: e.actorId, name: names.get(e.actorId) ?? "" } : null,
      action: e.action,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      subjectName: subjectName(e),
      detail: e.detail,
      at: e.createdAt.toISOString(),
    })),
  };
}
