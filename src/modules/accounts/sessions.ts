import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt, sql, type SQL } from "drizzle-orm";
import { sessions, users } from "../../../db/schema";
import type { Executor } from "../../platform/db";
import type { AccessEpoch } from "../../platform/access-epoch";
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

/** The live session for a token's hash, or null (expired, unknown, or a deactivated user). */
async function loadSession(
  db: Executor,
  tokenHash: string,
  now: Date,
  epochColumn: SQL | null = null,
): Promise<{ session: ResolvedSession; expiresAt: number; epoch: number } | null> {
  const found = await db
    .select({
      id: users.id,
      role: users.role,
      name: users.name,
      knowledgeManager: users.knowledgeManager,
      csrfToken: sessions.csrfToken,
      deactivatedAt: users.deactivatedAt,
      expiresAt: sessions.expiresAt,
      epoch: sql<number>`${epochColumn ?? sql`0`}`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
    .limit(1);
  const row = found[0];
  if (!row || row.deactivatedAt) return null;
  return {
    session: {
      actor: { id: row.id, role: row.role, name: row.name, knowledgeManager: row.knowledgeManager },
      csrfToken: row.csrfToken,
      tokenHash,
    },
    expiresAt: new Date(row.expiresAt).getTime(),
    epoch: Number(row.epoch),
  };
}

/**
 * `resolveSession` with a per-process cache: a session is looked up once and then served from
 * memory for as long as the access epoch (platform/access-epoch.ts) stands still and the session
 * has not expired. Opening or ending any session, or changing a user's role, name or deactivation,
 * moves the epoch, so a signed-out, demoted or deactivated user is refused by the next request.
 * At most `max` entries, the oldest dropped first.
 */
export function cachedSessionResolver(
  db: Executor,
  epoch: AccessEpoch,
  now: () => Date,
  max = 20_000,
): (token: string) => Promise<ResolvedSession | null> {
  const cache = new Map<string, { epoch: number; session: ResolvedSession; expiresAt: number }>();
  return async (token) => {
    const tokenHash = hashToken(token);
    const at = now();
    const hit = cache.get(tokenHash);
    if (hit) {
      const current = await epoch.current();
      if (hit.epoch === current && hit.expiresAt > at.getTime()) return hit.session;
    }
    // A miss reads the epoch with the session, in one statement (PostgreSQL), or before it (in
    // process): a change committed after that read gives the next request a newer epoch.
    const before = epoch.column ? null : await epoch.current();
    const found = await loadSession(db, tokenHash, at, epoch.column);
    cache.delete(tokenHash);
    if (!found) return null; // unknown, expired or deactivated: not remembered
    if (cache.size >= max) cache.delete(cache.keys().next().value!);
    cache.set(tokenHash, { epoch: before ?? found.epoch, session: found.session, expiresAt: found.expiresAt });
    return found.session;
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
