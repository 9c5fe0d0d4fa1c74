import { namesByIds } from "../accounts/users";
import { spaceNamesByIds } from "../spaces/spaces.service";
import { and, desc, gte, like, lt, lte, sql, type SQL } from "drizzle-orm";
import { auditLog, users } from "../../../db/schema";
import type { AppContext } from "../../context";
import type { Executor } from "../../platform/db";
import { authorize, type Actor } from "../../authz/policy";
import { recordAudit } from "../../platform/audit";
import { auditRetentionDays } from "../settings/settings.service";

type Filter = { q?: string; action?: string; from?: string; to?: string };

function conditions(f: Filter & { before?: number }): SQL | undefined {
  const words = (f.q ?? "").toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
  const escape = (w: string) => w.replace(/[\\%_]/g, (c) => `\\${c}`);
  return and(
    f.before ? lt(auditLog.id, f.before) : undefined,
    f.action ? like(auditLog.action, `${escape(f.action)}%`) : undefined,
    f.from ? gte(auditLog.createdAt, new Date(f.from)) : undefined,
    f.to ? lte(auditLog.createdAt, new Date(f.to)) : undefined,
    ...words.map(
      (w) =>
        sql`lower(${auditLog.action} || ' ' || ${auditLog.detail} || ' ' || ${auditLog.subjectId} || ' ' ||
            coalesce((select name from ${users} where ${users.id} = ${auditLog.actorId}), '') || ' ' ||
            coalesce((select name from ${users} where ${users.id}::text = ${auditLog.subjectId}), ''))
            like ${`%${escape(w)}%`}`,
    ),
  );
}

async function entries(ctx: AppContext, found: (typeof auditLog.$inferSelect)[]) {
  const subjects = (type: string) => found.filter((e) => e.subjectType === type).map((e) => e.subjectId);
  const names = await namesByIds(ctx.db, [...found.map((e) => e.actorId), ...subjects("person")]);
  const spaceNames = await spaceNamesByIds(ctx.db, subjects("space"));
  const subjectName = (e: (typeof found)[number]) =>
    (e.subjectType === "person"
      ? names.get(e.subjectId)
      : e.subjectType === "space"
        ? spaceNames.get(e.subjectId)
        : null) ?? null;
  return found.map((e) => ({
    id: e.id,
    actor: e.actorId ? { id: e.actorId, name: names.get(e.actorId) ?? "" } : null,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    subjectName: subjectName(e),
    detail: e.detail,
    at: e.createdAt.toISOString(),
  }));
}

/** The audit trail, newest first (admins only), narrowed by words, action and time; `before` pages by id. */
export async function listAudit(ctx: AppContext, actor: Actor, query: Filter & { limit: number; before?: number }) {
  authorize(actor, "readAudit", { kind: "instance" });
  const found = await ctx.db
    .select()
    .from(auditLog)
    .where(conditions(query))
    .orderBy(desc(auditLog.id))
    .limit(query.limit);
  return { items: await entries(ctx, found), retentionDays: await auditRetentionDays(ctx.db) };
}

const csvCell = (v: string) => {
  // Spreadsheet programs run a cell that starts with = + - @ as a formula: quote it as text.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** Every matching entry as CSV, newest first (admins only); exporting is audited. */
export async function exportAudit(ctx: AppContext, actor: Actor, filter: Filter): Promise<string> {
  authorize(actor, "readAudit", { kind: "instance" });
  const found = await ctx.db
    .select()
    .from(auditLog)
    .where(conditions(filter))
    .orderBy(desc(auditLog.id))
    .limit(100_000);
  const list = await entries(ctx, found);
  const lines = [
    "id,at,actor_id,actor,action,subject_type,subject_id,subject,detail",
    ...list.map((e) =>
      [
        String(e.id),
        e.at,
        e.actor?.id ?? "",
        e.actor?.name ?? "",
        e.action,
        e.subjectType,
        e.subjectId,
        e.subjectName ?? "",
        e.detail,
      ]
        .map(csvCell)
        .join(","),
    ),
  ];
  const said = Object.entries(filter)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(" ");
  await recordAudit(ctx.db, {
    actorId: actor.id,
    action: "audit.export",
    subjectType: "instance",
    subjectId: "audit",
    detail: `${list.length} entries${said ? ` (${said})` : ""}`,
    at: ctx.now(),
  });
  return `${lines.join("\r\n")}\r\n`;
}

/** Deletes audit entries older than the organisation keeps them (the server's hourly housekeeping). */
export async function purgeAudit(db: Executor, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - (await auditRetentionDays(db)) * 86_400_000);
  const gone = await db.delete(auditLog).where(lt(auditLog.createdAt, cutoff)).returning({ id: auditLog.id });
  return gone.length;
}
