import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import { spaceMembers, spaces, users } from "../../../db/schema";
import type { AppContext } from "../../context";
import { rows, type Executor } from "../../platform/db";
import { AppError, invalidField, notFound } from "../../platform/errors";
import { authorize, can, effectiveSpaceRole, type Actor, type SpaceSubject } from "../../authz/policy";
import { loadSpaceSubject, loadSpaceSubjects } from "../../authz/access";
import type { MemberIn, SpaceIn, SpacePatch } from "./spaces.schema";
import { recordAudit } from "../../platform/audit";

type SpaceRow = typeof spaces.$inferSelect;

/** A URL-safe slug of a name. */
export function slugify(name: string): string {
  const s = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return s || "space";
}

async function uniqueSlug(db: Executor, name: string): Promise<string> {
  const base = slugify(name);
  const taken = await rows<{ slug: string }>(
    db,
    sql`select slug from spaces where slug = ${base} or slug like ${base + "-%"}`,
  );
  const set = new Set(taken.map((t) => t.slug));
  if (!set.has(base)) return base;
  for (let i = 2; ; i++) if (!set.has(`${base}-${i}`)) return `${base}-${i}`;
}

async function countVisibleArticles(db: Executor, actor: Actor): Promise<Map<string, number>> {
  const found = await rows<{ space_id: string; n: number }>(
    db,
    sql`select space_id, count(*)::int as n from articles
        where deleted_at is null and (status = 'published' or owner_id = ${actor.id}) group by space_id`,
  );
  return new Map(found.map((r) => [r.space_id, Number(r.n)]));
}

function present(actor: Actor, s: SpaceRow, subject: SpaceSubject, articleCount: number) {
  const role = effectiveSpaceRole(actor, subject);
  return {
    id: s.id,
    name: s.name,
    slug: s.slug,
    description: s.description,
    visibility: s.visibility,
    memberAccess: s.memberAccess,
    myRole: subject.memberRole,
    canEdit: role === "owner" || role === "editor",
    canManage: role === "owner",
    articleCount,
    defaultTemplateId: s.defaultTemplateId ?? null,
    createdAt: s.createdAt.toISOString(),
  };
}

/** Space names by id, for lists that mention spaces to someone who may see them (the audit trail). */
export async function spaceNamesByIds(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const found = await db.select({ id: spaces.id, name: spaces.name }).from(spaces).where(inArray(spaces.id, ids));
  return new Map(found.map((s) => [s.id, s.name]));
}

/** The spaces the actor may see, each with their role and a count of what they may read in it. */
export async function listSpaces(ctx: AppContext, actor: Actor) {
  const subjects = new Map((await loadSpaceSubjects(ctx.db, actor)).map((s) => [s.id, s]));
  const all = await ctx.db.select().from(spaces).orderBy(asc(spaces.name));
  const counts = await countVisibleArticles(ctx.db, actor);
  return all
    .filter((s) => can(actor, "read", subjects.get(s.id)!))
    .map((s) => present(actor, s, subjects.get(s.id)!, counts.get(s.id) ?? 0));
}

/** One space. */
export async function getSpace(ctx: AppContext, actor: Actor, id: string) {
  const subject = await loadSpaceSubject(ctx.db, actor, id);
  authorize(actor, "read", subject);
  const [s] = await ctx.db.select().from(spaces).where(eq(spaces.id, id));
  const counts = await countVisibleArticles(ctx.db, actor);
  return present(actor, s, subject, counts.get(id) ?? 0);
}

const SLUG_ATTEMPTS = 50;

/**
 * Creates a space; its creator becomes its owner. Its slug is the first free one of `name`,
 * `name-2`, …; when another request takes the same slug at the same moment the insert does nothing
 * (it waits for that request to commit) and the next free slug is tried, so spaces created with
 * one name at once all succeed with distinct slugs.
 */
export async function createSpace(ctx: AppContext, actor: Actor, input: z.infer<typeof SpaceIn>) {
  const id = await ctx.db.transaction((tx) => insertSpace(tx, actor, input, ctx.now()));
  return getSpace(ctx, actor, id);
}

/**
 * Inserts a space owned by the actor in an open transaction (see createSpace) and returns its id; a
 * feature that creates a space with more in one transaction (a workgroup's) calls this with its `tx`.
 */
export async function insertSpace(
  tx: Executor,
  actor: Actor,
  input: z.output<typeof SpaceIn>,
  now: Date,
): Promise<string> {
  authorize(actor, "createSpace", { kind: "instance" });
  for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt++) {
    const slug = await uniqueSlug(tx, input.name);
    const [s] = await tx
      .insert(spaces)
      .values({ ...input, slug, createdBy: actor.id, createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: spaces.slug })
      .returning();
    if (!s) continue;
    await tx.insert(spaceMembers).values({ spaceId: s.id, userId: actor.id, role: "owner" });
    return s.id;
  }
  throw new AppError("conflict", "Many spaces with this name are being created right now; try again");
}

/** A space's new default template must exist and not be archived (templates: knowledge/templates.*). */
async function checkDefaultTemplate(db: Executor, id: string | null | undefined): Promise<void> {
  if (!id) return;
  const [t] = await rows<{ archived: boolean }>(db, sql`select archived from article_templates where id = ${id}::uuid`);
  if (!t || t.archived) throw invalidField("defaultTemplateId", "no such template (or it is archived)");
}

/** Renames or changes a space's visibility (its owners and admins). */
export async function updateSpace(ctx: AppContext, actor: Actor, id: string, patch: z.infer<typeof SpacePatch>) {
  const before = await loadSpaceSubject(ctx.db, actor, id);
  authorize(actor, "update", before);
  await checkDefaultTemplate(ctx.db, patch.defaultTemplateId);
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(spaces)
      .set({ ...patch, updatedAt: ctx.now() })
      .where(eq(spaces.id, id));
    const access = (["visibility", "memberAccess"] as const).filter(
      (k) => patch[k] !== undefined && patch[k] !== before[k],
    );
    if (access.length) {
      const detail = access.map((k) => `${k}: ${before[k]} → ${patch[k]}`).join("; ");
      await recordAudit(tx, {
        actorId: actor.id,
        action: "space.access",
        subjectType: "space",
        subjectId: id,
        detail,
        at: ctx.now(),
      });
    }
  });
  return getSpace(ctx, actor, id);
}

/** The members of a space with their roles. */
export async function listMembers(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, "read", await loadSpaceSubject(ctx.db, actor, id));
  const found = await ctx.db
    .select({
      id: users.id,
      name: users.name,
      title: users.title,
      department: users.department,
      role: spaceMembers.role,
    })
    .from(spaceMembers)
    .innerJoin(users, eq(users.id, spaceMembers.userId))
    .where(eq(spaceMembers.spaceId, id))
    .orderBy(asc(users.name));
  return found.map(({ role, ...user }) => ({ user, role }));
}

/**
 * Locks the space's row until the transaction ends, so membership changes of one space take turns
 * and the "at least one owner" check below sees the others' changes.
 */
async function lockSpace(tx: Executor, spaceId: string): Promise<void> {
  const [s] = await tx.select({ id: spaces.id }).from(spaces).where(eq(spaces.id, spaceId)).for("no key update");
  if (!s) throw notFound("Space not found");
}

async function ownerCount(db: Executor, spaceId: string): Promise<number> {
  const r = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from space_members where space_id = ${spaceId} and role = 'owner'`,
  );
  return Number(r[0]?.n ?? 0);
}

/** Adds a member or changes their role; a space always keeps at least one owner. */
export async function setMember(
  ctx: AppContext,
  actor: Actor,
  spaceId: string,
  userId: string,
  input: z.infer<typeof MemberIn>,
) {
  authorize(actor, "manageMembers", await loadSpaceSubject(ctx.db, actor, spaceId));
  const [user] = await ctx.db
    .select({ id: users.id, name: users.name, role: users.role })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw invalidField("userId", "no such person");
  if (user.role === "guest" && input.role !== "viewer") throw invalidField("role", "guests can only be viewers");
  await ctx.db.transaction(async (tx) => {
    await lockSpace(tx, spaceId);
    // Checked again under the lock: a simultaneous change may have just taken the actor's ownership.
    authorize(actor, "manageMembers", await loadSpaceSubject(tx, actor, spaceId));
    await tx
      .insert(spaceMembers)
      .values({ spaceId, userId, role: input.role })
      .onConflictDoUpdate({ target: [spaceMembers.spaceId, spaceMembers.userId], set: { role: input.role } });
    if ((await ownerCount(tx, spaceId)) === 0) throw new AppError("invalid", "A space needs at least one owner");
    await recordAudit(tx, {
      actorId: actor.id,
      action: "space.member",
      subjectType: "space",
      subjectId: spaceId,
      detail: `${user.name}: ${input.role}`,
      at: ctx.now(),
    });
  });
}

/** Removes a member; the last owner cannot be removed. */
export async function removeMember(ctx: AppContext, actor: Actor, spaceId: string, userId: string) {
  authorize(actor, "manageMembers", await loadSpaceSubject(ctx.db, actor, spaceId));
  await ctx.db.transaction(async (tx) => {
    await lockSpace(tx, spaceId);
    // Checked again under the lock: a simultaneous change may have just taken the actor's ownership.
    authorize(actor, "manageMembers", await loadSpaceSubject(tx, actor, spaceId));
    const [person] = await tx.select({ name: users.name }).from(users).where(eq(users.id, userId));
    const gone = await tx
      .delete(spaceMembers)
      .where(and(eq(spaceMembers.spaceId, spaceId), eq(spaceMembers.userId, userId)))
      .returning();
    if (!gone[0]) throw notFound("Not a member");
    if ((await ownerCount(tx, spaceId)) === 0) throw new AppError("invalid", "A space needs at least one owner");
    await recordAudit(tx, {
      actorId: actor.id,
      action: "space.member",
      subjectType: "space",
      subjectId: spaceId,
      detail: `${person?.name ?? userId}: removed`,
      at: ctx.now(),
    });
  });
}
