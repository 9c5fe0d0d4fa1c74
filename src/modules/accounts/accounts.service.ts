import { randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { invitations, ssoSettings, users } from "../../../db/schema";
import type { AppContext } from "../../context";
import { AppError, notFound } from "../../platform/errors";
import { authorize, type Actor } from "../../authz/policy";
import { hashPassword, verifyPassword } from "./passwords";
import { countUsers, findUserByEmail, findUserById, type UserRow } from "./users";
import { createSession, deleteOtherSessions, deleteSession, hashToken } from "./sessions";
import { recordAudit } from "../../platform/audit";

const INVITE_DAYS = 14;

/** Whether the first-run setup is open: nobody exists yet. */
export async function needsSetup(ctx: AppContext): Promise<boolean> {
  return (await countUsers(ctx.db)) === 0;
}

/** The signed-in person's row (undefined once they no longer exist). */
export async function currentUser(ctx: AppContext, actor: Actor): Promise<UserRow | undefined> {
  return findUserById(ctx.db, actor.id);
}

/** Ends a session. */
export async function logout(ctx: AppContext, tokenHash: string): Promise<void> {
  await deleteSession(ctx.db, tokenHash);
}

/** Creates the first admin of a real installation; refused once anybody exists. */
export async function setupFirstAdmin(ctx: AppContext, input: { name: string; email: string; password: string }) {
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    // Serialise concurrent first-run requests: only one can create the admin.
    await tx.execute(sql`lock table users in share row exclusive mode`);
    if ((await countUsers(tx)) > 0) throw new AppError("conflict", "Knowhow is already set up; sign in instead");
    const [user] = await tx
      .insert(users)
      .values({ email: input.email, name: input.name, role: "admin", passwordHash })
      .returning();
    const session = await createSession(tx, user.id, ctx.now(), ctx.config.sessionTtlDays);
    return { user, session };
  });
}

/** Whether people other than admins may sign in with a password (the sso module's setting; default yes). */
async function passwordSignInAllowed(ctx: AppContext): Promise<boolean> {
  const [row] = await ctx.db.select({ on: ssoSettings.passwordSignIn }).from(ssoSettings).where(eq(ssoSettings.id, 1));
  return row?.on ?? true;
}

/** Checks credentials and opens a session; the same error for unknown email and wrong password. */
export async function login(ctx: AppContext, email: string, password: string, from = "") {
  const user = await findUserByEmail(ctx.db, email);
  const ok = await verifyPassword(user?.passwordHash ?? null, password);
  const where = from ? ` from ${from}` : "";
  if (!user || !ok || user.deactivatedAt) {
    // Failed sign-ins are audited (the address tried, and why when the account exists), never the password.
    const why = !user ? "no such account" : user.deactivatedAt ? "account deactivated" : "wrong password";
    await recordAudit(ctx.db, {
      actorId: null,
      action: "auth.sign-in-failed",
      subjectType: user ? "person" : "account",
      subjectId: user?.id ?? "-",
      detail: `${email.trim().toLowerCase().slice(0, 200)}: ${why}${where}`,
      at: ctx.now(),
    });
    throw new AppError("unauthenticated", "Wrong email or password");
  }
  // With single sign-on in place an admin may turn password sign-in off; admins keep it, so that a
  // broken provider cannot lock everybody out. (Only asked after a correct password: no hint to guessers.)
  if (user.role !== "admin" && !(await passwordSignInAllowed(ctx)))
    throw new AppError(
      "forbidden",
      "Password sign-in is turned off for your organisation: use the single sign-on button instead",
    );
  const session = await createSession(ctx.db, user.id, ctx.now(), ctx.config.sessionTtlDays);
  await recordAudit(ctx.db, {
    actorId: user.id,
    action: "auth.sign-in",
    subjectType: "person",
    subjectId: user.id,
    detail: `password${where}`,
    at: ctx.now(),
  });
  return { user, session };
}

/** Changes the actor's password and signs out their other sessions. */
export async function changePassword(
  ctx: AppContext,
  actor: Actor,
  keepTokenHash: string,
  current: string,
  next: string,
) {
  const user = await findUserById(ctx.db, actor.id);
  if (!user || !(await verifyPassword(user.passwordHash, current))) {
    throw new AppError("invalid", "currentPassword: is not your current password", {
      fields: [{ path: "currentPassword", message: "is not your current password" }],
    });
  }
  const passwordHash = await hashPassword(next);
  await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, actor.id));
    await deleteOtherSessions(tx, actor.id, keepTokenHash);
  });
}

function inviteUrl(ctx: AppContext, token: string): string {
  const base = ctx.config.publicUrl ?? `http://localhost:${ctx.config.port}`;
  return `${base.replace(/\/$/, "")}/invite/${token}`;
}

/** Creates an invitation link (admins only). The token is shown once; only its hash is kept. */
export async function createInvitation(ctx: AppContext, actor: Actor, input: { email: string; role: UserRow["role"] }) {
  authorize(actor, "manageInvitations", { kind: "instance" });
  if (await findUserByEmail(ctx.db, input.email)) {
    throw new AppError("invalid", "email: somebody with this email already has an account", {
      fields: [{ path: "email", message: "somebody with this email already has an account" }],
    });
  }
  const token = randomBytes(24).toString("base64url");
  const expiresAt = new Date(ctx.now().getTime() + INVITE_DAYS * 86_400_000);
  const inv = await ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(invitations)
      .values({
        email: input.email,
        role: input.role,
        tokenHash: hashToken(token),
        invitedBy: actor.id,
        expiresAt,
        createdAt: ctx.now(),
      })
      .returning();
    await recordAudit(tx, {
      actorId: actor.id,
      action: "invitation.create",
      subjectType: "invitation",
      subjectId: created.id,
      detail: `${input.email} as ${input.role}`,
      at: ctx.now(),
    });
    return created;
  });
  return {
    id: inv.id,
    email: inv.email,
    role: inv.role,
    url: inviteUrl(ctx, token),
    expiresAt: inv.expiresAt.toISOString(),
  };
}

/** Lists invitations, newest first (admins only). */
export async function listInvitations(ctx: AppContext, actor: Actor) {
  authorize(actor, "manageInvitations", { kind: "instance" });
  const found = await ctx.db
    .select({ inv: invitations, inviterName: users.name })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.invitedBy))
    .where(isNull(invitations.revokedAt))
    .orderBy(desc(invitations.createdAt));
  return found.map(({ inv, inviterName }) => ({
    id: inv.id,
    email: inv.email,
    role: inv.role,
    expiresAt: inv.expiresAt.toISOString(),
    acceptedAt: inv.acceptedAt?.toISOString() ?? null,
    invitedBy: { id: inv.invitedBy, name: inviterName },
  }));
}

/** Revokes an unaccepted invitation. */
export async function revokeInvitation(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, "manageInvitations", { kind: "instance" });
  const done = await ctx.db
    .update(invitations)
    .set({ revokedAt: ctx.now() })
    .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt)))
    .returning({ id: invitations.id, email: invitations.email });
  if (!done[0]) throw notFound("Invitation not found");
  await recordAudit(ctx.db, {
    actorId: actor.id,
    action: "invitation.revoke",
    subjectType: "invitation",
    subjectId: id,
    detail: done[0].email,
    at: ctx.now(),
  });
}

async function findOpenInvitation(ctx: AppContext, token: string) {
  const [inv] = await ctx.db
    .select()
    .from(invitations)
    .where(eq(invitations.tokenHash, hashToken(token)))
    .limit(1);
  const valid = !!inv && !inv.acceptedAt && !inv.revokedAt && inv.expiresAt > ctx.now();
  return { inv, valid };
}

/** What an invitation link is for (public: shown on the accept page). */
export async function describeInvitation(ctx: AppContext, token: string) {
  const { inv, valid } = await findOpenInvitation(ctx, token);
  if (!inv) throw notFound("This invitation link is not valid");
  return { email: inv.email, role: inv.role, valid };
}

/** Accepts an invitation: creates the account and signs it in. */
export async function acceptInvitation(ctx: AppContext, token: string, input: { name: string; password: string }) {
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const [inv] = await tx
      .select()
      .from(invitations)
      .where(eq(invitations.tokenHash, hashToken(token)))
      .for("update")
      .limit(1);
    if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt <= ctx.now()) {
      throw new AppError("not_found", "This invitation link is no longer valid; ask for a new one");
    }
    if (await findUserByEmail(tx, inv.email))
      throw new AppError("conflict", "An account with this email already exists");
    const [user] = await tx
      .insert(users)
      .values({ email: inv.email, name: input.name, role: inv.role, passwordHash })
      .returning();
    await tx.update(invitations).set({ acceptedAt: ctx.now() }).where(eq(invitations.id, inv.id));
    const session = await createSession(tx, user.id, ctx.now(), ctx.config.sessionTtlDays);
    return { user, session };
  });
}
