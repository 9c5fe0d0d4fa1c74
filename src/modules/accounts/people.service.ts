import { and, asc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { users } from "../../../db/schema";
import type { AppContext } from "../../context";
import { AppError, invalidField, notFound } from "../../platform/errors";
import { abilities, authorize, type Actor } from "../../authz/policy";
import { findUserById, presentUser } from "./users";
import type { z } from "zod";
import type { ProfilePatch } from "./accounts.schema";
import { recordAudit } from "../../platform/audit";

/** The people directory: search by name, title, department or email; filter by department. */
export async function listPeople(
  ctx: AppContext,
  actor: Actor,
  input: { q?: string; department?: string; limit: number; offset: number },
) {
  authorize(actor, "readPeople", { kind: "instance" });
  const conds: SQL[] = [sql`${users.deactivatedAt} is null`];
  if (input.q?.trim()) {
    const like = `%${input.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(
      or(ilike(users.name, like), ilike(users.title, like), ilike(users.department, like), ilike(users.email, like))!,
    );
  }
  if (input.department) conds.push(eq(users.department, input.department));
  const where = and(...conds);
  const [count] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(where);
  const found = await ctx.db
    .select()
    .from(users)
    .where(where)
    .orderBy(asc(users.name))
    .limit(input.limit)
    .offset(input.offset);
  return { total: Number(count?.n ?? 0), items: found.map(presentUser) };
}

/** Departments with their head counts. */
export async function listDepartments(ctx: AppContext, actor: Actor) {
  authorize(actor, "readPeople", { kind: "instance" });
  const found = await ctx.db
    .select({ department: users.department, count: sql<number>`count(*)::int` })
    .from(users)
    .where(and(sql`${users.deactivatedAt} is null`, sql`${users.department} <> ''`))
    .groupBy(users.department)
    .orderBy(asc(users.department));
  return found.map((d) => ({ department: d.department, count: Number(d.count) }));
}

/** One person with manager and direct reports. */
export async function getPerson(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, "read", { kind: "person", id });
  // The person, their manager's name and their reports, in one statement.
  const manager = alias(users, "manager");
  const [found] = await ctx.db
    .select({
      user: users,
      managerName: manager.name,
      reports: sql<{ id: string; name: string; title: string }[]>`coalesce((
        select json_agg(json_build_object('id', r.id, 'name', r.name, 'title', r.title) order by r.name, r.id)
        from users r where r.manager_id = ${users.id} and r.deactivated_at is null), '[]'::json)`,
    })
    .from(users)
    .leftJoin(manager, eq(manager.id, users.managerId))
    .where(eq(users.id, id))
    .limit(1);
  if (!found) throw notFound("Person not found");
  const { user, managerName, reports } = found;
  return {
    ...presentUser(user),
    manager: user.managerId && managerName !== null ? { id: user.managerId, name: managerName } : null,
    reports,
    can: abilities(actor, { kind: "person", id }),
  };
}

async function wouldCreateCycle(ctx: AppContext, personId: string, managerId: string): Promise<boolean> {
  let current: string | null = managerId;
  for (let hops = 0; current && hops < 1000; hops++) {
    if (current === personId) return true;
    const next = await findUserById(ctx.db, current);
    current = next?.managerId ?? null;
  }
  return false;
}

/** Edits a profile (self or admin); a stale version gets 409 with the current profile. */
export async function updatePerson(ctx: AppContext, actor: Actor, id: string, patch: z.infer<typeof ProfilePatch>) {
  authorize(actor, "update", { kind: "person", id });
  if (patch.role !== undefined || patch.knowledgeManager !== undefined)
    authorize(actor, "changeRole", { kind: "person", id });
  const before = await findUserById(ctx.db, id);
  if (!before) throw notFound("Person not found");
  const placementChanged =
    (patch.department !== undefined && patch.department !== before.department) ||
    (patch.title !== undefined && patch.title !== before.title) ||
    (patch.managerId !== undefined && patch.managerId !== before.managerId);
  if (placementChanged) authorize(actor, "changePlacement", { kind: "person", id });
  if (patch.managerId) {
    if (!(await findUserById(ctx.db, patch.managerId))) throw invalidField("managerId", "no such person");
    if (await wouldCreateCycle(ctx, id, patch.managerId))
      throw invalidField("managerId", "would make a management cycle");
  }
  const { version, ...changes } = patch;
  const updated = await ctx.db.transaction(async (tx) => {
    const done = await tx
      .update(users)
      .set({ ...changes, version: sql`${users.version} + 1` })
      .where(and(eq(users.id, id), eq(users.version, version)))
      .returning();
    if (!done[0]) return done;
    // Changes that decide what someone may do are kept in the audit trail.
    const audited = (["role", "knowledgeManager", "department", "title", "managerId"] as const).filter(
      (k) => patch[k] !== undefined && patch[k] !== before[k],
    );
    if (audited.length) {
      const detail = audited.map((k) => `${k}: ${JSON.stringify(before[k])} → ${JSON.stringify(patch[k])}`).join("; ");
      await recordAudit(tx, {
        actorId: actor.id,
        action: "person.update",
        subjectType: "person",
        subjectId: id,
        detail,
        at: ctx.now(),
      });
    }
    return done;
  });
  if (updated[0]) return presentUser(updated[0]);
  const current = await findUserById(ctx.db, id);
  if (!current) throw notFound("Person not found");
  throw new AppError("conflict", "This profile was changed meanwhile; review the newer version", {
    details: { current: presentUser(current) },
  });
}
