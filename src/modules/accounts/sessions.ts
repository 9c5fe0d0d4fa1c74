import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt } from "drizzle-orm";
import { sessions, users } from "../../../db/schema";
import type { Executor } from "../../platform/db";
import type { ResolvedSession } from "../../platform/auth";

/** Session tokens are stored hashed: a database leak does not hand out live sessions. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** Opens a session for a user; returns the cookie token and the CSRF token bound to it. */
export async function createSession(db: Executor, userId: string, now: Date, ttlDays: number) {
  const token = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + ttlDays * 86_400_000);
  await db.insert(sessions).values({ tokenHash: hashToken(token), userId, csrfToken, createdAt: now, expiresAt });
  return { token, csrfToken, expiresAt };
}

export type { ResolvedSession };

/** The live session for a cookie token, or null (expired, unknown, or a deactivated user). */
export async function resolveSession(db: Executor, token: string, now: Date): Promise<ResolvedSession | null> {
  const tokenHash = hashToken(token);
  const found = await db
    .select({
      id: users.id,
      role: users.role,
      name: users.name,
      knowledgeManager: users.knowledgeManager,
      csrfToken: sessions.csrfToken,
      deactivatedAt: users.deactivatedAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
    .limit(1);
  const row = found[0];
  if (!row || row.deactivatedAt) return null;
  return {
    actor: { id: row.id, role: row.role, name: row.name, knowledgeManager: row.knowledgeManager },
    csrfToken: row.csrfToken,
    tokenHash,
  };
}

/** Ends one session. */
export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

/** Ends every session of a user except, optionally, one (after a password change). */
export async function deleteOtherSessions(db: Executor, userId: string, keepTokenHash?: string): Promise<void> {
  const all = await db.select({ h: sessions.tokenHash }).from(sessions).where(eq(sessions.userId, userId));
  for (const s of all) if (s.h !== keepTokenHash) await db.delete(sessions).where(eq(sessions.tokenHash, s.h));
}

/** Removes expired sessions. */
export async function purgeExpiredSessions(db: Executor, now: Date): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
}
