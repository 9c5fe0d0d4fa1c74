import { randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, or } from "drizzle-orm";
import type { z } from "zod";
import { apiTokens, users } from "../../../db/schema";
import type { AppContext } from "../../context";
import type { Executor } from "../../platform/db";
import { authorize, can, type Actor } from "../../authz/policy";
import { invalidField, notFound } from "../../platform/errors";
import { recordAudit } from "../../platform/audit";
import { hashToken } from "../accounts/sessions";
import type { TokenIn } from "./tokens.schema";

// Personal API tokens. A request with `Authorization: Bearer kh_pat_…` acts as the token's owner,
// within its scopes: `read` (GET only), `write` (any method), `admin` (an admin's rights; without
// it an admin's token acts as a member). No cookie, so no CSRF token: the bearer header is not sent
// by browsers on their own. Tokens are stored hashed, shown once, expire, can be revoked by their
// owner or an admin; making, using and revoking one is audited.

export const TOKEN_PREFIX = "kh_pat_";
type Row = typeof apiTokens.$inferSelect;

function present(r: Row, ownerName: string) {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes,
    owner: { id: r.userId, name: ownerName },
    expiresAt: r.expiresAt?.toISOString() ?? null,
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

export async function createToken(ctx: AppContext, actor: Actor, input: z.infer<typeof TokenIn>) {
  if (input.scopes.includes("admin") && !can(actor, "administer", { kind: "instance" }))
    throw invalidField("scopes", "admin is for administrators");
  const token = `${TOKEN_PREFIX}${randomBytes(30).toString("base64url")}`;
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        userId: actor.id,
        name: input.name,
        tokenHash: hashToken(token),
        prefix: token.slice(0, TOKEN_PREFIX.length + 6),
        scopes: input.scopes,
        expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null,
        createdAt: now,
      })
      .returning();
    await recordAudit(tx, {
      actorId: actor.id,
      action: "token.create",
      subjectType: "token",
      subjectId: row.id,
      detail: `${row.name} (${row.scopes.join(", ")})${row.expiresAt ? `, until ${row.expiresAt.toISOString().slice(0, 10)}` : ""}`,
      at: now,
    });
    return { ...present(row, actor.name), token };
  });
}

export async function listTokens(ctx: AppContext, actor: Actor, all: boolean) {
  if (all) authorize(actor, "administer", { kind: "instance" });
  const found = await ctx.db
    .select({ t: apiTokens, owner: users.name })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(all ? undefined : eq(apiTokens.userId, actor.id))
    .orderBy(desc(apiTokens.createdAt));
  return { items: found.map((f) => present(f.t, f.owner)) };
}

export async function revokeToken(ctx: AppContext, actor: Actor, id: string) {
  const [row] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.id, id));
  // Someone else's token answers like a missing one, unless an admin asks.
  if (!row || (row.userId !== actor.id && !can(actor, "administer", { kind: "instance" })))
    throw notFound("Token not found");
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(apiTokens)
      .set({ revokedAt: ctx.now() })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
    await recordAudit(tx, {
      actorId: actor.id,
      action: "token.revoke",
      subjectType: "token",
      subjectId: id,
      detail: row.name,
      at: ctx.now(),
    });
  });
  return { ok: true as const };
}

/** The actor and scopes of a bearer token, or null (unknown, revoked, expired, or its owner deactivated). */
export async function resolveToken(
  db: Executor,
  token: string,
  now: Date,
): Promise<{ actor: Actor; scopes: string[]; tokenId: string } | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const [found] = await db
    .select({ t: apiTokens, u: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.tokenHash, hashToken(token)),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
      ),
    )
    .limit(1);
  if (!found || found.u.deactivatedAt) return null;
  // Last use is kept to the minute (one write per token per minute at most).
  if (!found.t.lastUsedAt || now.getTime() - found.t.lastUsedAt.getTime() > 60_000)
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, found.t.id));
  const admin = found.u.role === "admin" && found.t.scopes.includes("admin");
  return {
    actor: {
      id: found.u.id,
      role: found.u.role === "admin" && !admin ? "member" : found.u.role,
      name: found.u.name,
      knowledgeManager: found.u.knowledgeManager,
    },
    scopes: found.t.scopes,
    tokenId: found.t.id,
  };
}

/** Records one use of a token (method, route, answer). */
export async function auditTokenUse(
  db: Executor,
  use: { tokenId: string; actorId: string; method: string; route: string; status: number; at: Date },
) {
  await recordAudit(db, {
    actorId: use.actorId,
    action: "token.use",
    subjectType: "token",
    subjectId: use.tokenId,
    detail: `${use.method} ${use.route} → ${use.status}`,
    at: use.at,
  });
}
