import { randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import * as oidc from "openid-client";
import type { z } from "zod";
import {
  spaceMembers,
  spaces,
  ssoIdentities,
  ssoProviders,
  ssoSettings,
  users,
  type SsoRoleMapping,
  type SsoSpaceMapping,
} from "../../../db/schema";
import type { AppContext } from "../../context";
import type { Executor } from "../../platform/db";
import { AppError, notFound, type FieldError } from "../../platform/errors";
import { recordAudit } from "../../platform/audit";
import { authorize, type Actor } from "../../authz/policy";
import { createSession } from "../accounts/sessions";
import { findUserByEmail, findUserById, type UserRow } from "../accounts/users";
import { isLocalHttp, type ProviderIn, type ProviderOut, type ProviderPatch } from "./sso.schema";

/**
 * Single sign-on with OpenID Connect (authorization code flow with PKCE, state and nonce; the ID
 * token is validated by openid-client). Admins configure providers; people sign in at one, are
 * found by the provider's subject (or, the first time, by a verified email), created just in time
 * when new, kept up to date from the provider's claims, and get a normal Knowhow session.
 */

type ProviderRow = typeof ssoProviders.$inferSelect;

/** A sign-in that did not work, with a short message for the sign-in page (never a stack or a secret). */
export class SsoError extends Error {}

// ---------------------------------------------------------------- admin: providers and settings

function baseUrl(ctx: AppContext): string {
  return (ctx.config.publicUrl ?? `http://localhost:${ctx.config.port}`).replace(/\/$/, "");
}

/** The redirect URI of a provider: what the admin registers at the provider, and what the flow sends. */
export function redirectUriOf(ctx: AppContext, providerId: string): string {
  return `${baseUrl(ctx)}/api/auth/sso/${providerId}/callback`;
}

async function present(ctx: AppContext, db: Executor, found: ProviderRow[]): Promise<ProviderOut[]> {
  const spaceIds = [...new Set(found.flatMap((p) => p.spaceMappings.map((m) => m.spaceId)))];
  const names = new Map<string, string>();
  if (spaceIds.length) {
    const rows = await db
      .select({ id: spaces.id, name: spaces.name })
      .from(spaces)
      .where(
        sql`${spaces.id} in (${sql.join(
          spaceIds.map((i) => sql`${i}::uuid`),
          sql`, `,
        )})`,
      );
    for (const r of rows) names.set(r.id, r.name);
  }
  return found.map((p) => ({
    id: p.id,
    name: p.name,
    issuer: p.issuer,
    clientId: p.clientId,
    hasSecret: p.clientSecret !== "",
    scopes: p.scopes,
    nameClaim: p.nameClaim,
    departmentClaim: p.departmentClaim,
    managerEmailClaim: p.managerEmailClaim,
    groupsClaim: p.groupsClaim,
    roleMappings: p.roleMappings.map(({ group, role }) => ({ group, role })),
    spaceMappings: p.spaceMappings.map((m) => ({
      group: m.group,
      spaceId: m.spaceId,
      spaceName: names.get(m.spaceId) ?? null,
      role: m.role,
    })),
    enabled: p.enabled,
    redirectUri: redirectUriOf(ctx, p.id),
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  }));
}

async function loadProvider(db: Executor, id: string): Promise<ProviderRow> {
  const [p] = await db.select().from(ssoProviders).where(eq(ssoProviders.id, id));
  if (!p) throw notFound("Sign-in provider not found");
  return p;
}

/** The configured providers (admins). */
export async function listProviders(ctx: AppContext, actor: Actor) {
  authorize(actor, "administer", { kind: "instance" });
  const found = await ctx.db.select().from(ssoProviders).orderBy(asc(ssoProviders.name), asc(ssoProviders.createdAt));
  return { items: await present(ctx, ctx.db, found) };
}

/** Every space mapping must name an existing space: a 400 naming each row that does not. */
async function checkSpaces(db: Executor, mappings: SsoSpaceMapping[] | undefined): Promise<void> {
  if (!mappings?.length) return;
  const ids = [...new Set(mappings.map((m) => m.spaceId))];
  const found = await db
    .select({ id: spaces.id })
    .from(spaces)
    .where(
      sql`${spaces.id} in (${sql.join(
        ids.map((i) => sql`${i}::uuid`),
        sql`, `,
      )})`,
    );
  const known = new Set(found.map((s) => s.id));
  const fields: FieldError[] = mappings.flatMap((m, i) =>
    known.has(m.spaceId) ? [] : [{ path: `spaceMappings.${i}.spaceId`, message: "no such space" }],
  );
  if (fields.length) throw new AppError("invalid", fields.map((f) => `${f.path}: ${f.message}`).join("; "), { fields });
}

/** What is audited about a provider change: the fields changed, never the secret's value. */
function changedFields(input: Record<string, unknown>): string {
  return Object.keys(input)
    .filter((k) => k !== "version")
    .join(", ");
}

/** Adds a provider (admins); audited. */
export async function createProvider(ctx: AppContext, actor: Actor, input: z.infer<typeof ProviderIn>) {
  authorize(actor, "administer", { kind: "instance" });
  await checkSpaces(ctx.db, input.spaceMappings);
  const now = ctx.now();
  const id = await ctx.db.transaction(async (tx) => {
    const [p] = await tx
      .insert(ssoProviders)
      .values({ ...input, createdBy: actor.id, createdAt: now, updatedAt: now })
      .returning({ id: ssoProviders.id });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "sso.provider.create",
      subjectType: "sso_provider",
      subjectId: p.id,
      detail: `${input.name} (${input.issuer})`,
      at: now,
    });
    return p.id;
  });
  return (await present(ctx, ctx.db, [await loadProvider(ctx.db, id)]))[0];
}

/** Changes a provider (admins); a stale version is a 409; audited (which fields, not their values). */
export async function updateProvider(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof ProviderPatch>) {
  authorize(actor, "administer", { kind: "instance" });
  await checkSpaces(ctx.db, input.spaceMappings);
  const { version, ...set } = input;
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(ssoProviders)
      .set({ ...set, version: sql`${ssoProviders.version} + 1`, updatedAt: now })
      .where(and(eq(ssoProviders.id, id), eq(ssoProviders.version, version)))
      .returning({ id: ssoProviders.id, name: ssoProviders.name });
    if (!updated) {
      await loadProvider(tx, id);
      throw new AppError("conflict", "Someone changed this provider in the meantime; reload to see their version");
    }
    await recordAudit(tx, {
      actorId: actor.id,
      action: "sso.provider.update",
      subjectType: "sso_provider",
      subjectId: id,
      detail: `${updated.name}: ${changedFields(input)}`,
      at: now,
    });
  });
  forget(id);
  return (await present(ctx, ctx.db, [await loadProvider(ctx.db, id)]))[0];
}

/** Removes a provider and its links to accounts (the accounts stay); audited. */
export async function deleteProvider(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, "administer", { kind: "instance" });
  await ctx.db.transaction(async (tx) => {
    const [gone] = await tx.delete(ssoProviders).where(eq(ssoProviders.id, id)).returning({ name: ssoProviders.name });
    if (!gone) throw notFound("Sign-in provider not found");
    await recordAudit(tx, {
      actorId: actor.id,
      action: "sso.provider.delete",
      subjectType: "sso_provider",
      subjectId: id,
      detail: gone.name,
      at: ctx.now(),
    });
  });
  forget(id);
}

async function loadSettings(db: Executor) {
  const [row] = await db.select().from(ssoSettings).where(eq(ssoSettings.id, 1));
  return row ?? { passwordSignIn: true, version: 1, updatedAt: null as Date | null };
}

const presentSettings = (s: { passwordSignIn: boolean; version: number; updatedAt: Date | null }) => ({
  passwordSignIn: s.passwordSignIn,
  version: s.version,
  updatedAt: s.updatedAt?.toISOString() ?? null,
});

/** The sign-in settings (admins). */
export async function getSettings(ctx: AppContext, actor: Actor) {
  authorize(actor, "administer", { kind: "instance" });
  return presentSettings(await loadSettings(ctx.db));
}

/** Turns password sign-in for non-admins on or off (admins); a stale version is a 409; audited. */
export async function updateSettings(
  ctx: AppContext,
  actor: Actor,
  patch: { version: number; passwordSignIn: boolean },
) {
  authorize(actor, "administer", { kind: "instance" });
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`lock table sso_settings in share row exclusive mode`);
    const current = await loadSettings(tx);
    if (current.version !== patch.version)
      throw new AppError("conflict", "Someone changed the sign-in settings in the meantime; reload to see them");
    const now = ctx.now();
    const next = {
      passwordSignIn: patch.passwordSignIn,
      version: current.version + 1,
      updatedBy: actor.id,
      updatedAt: now,
    };
    await tx
      .insert(ssoSettings)
      .values({ id: 1, ...next })
      .onConflictDoUpdate({ target: ssoSettings.id, set: next });
    if (current.passwordSignIn !== patch.passwordSignIn)
      await recordAudit(tx, {
        actorId: actor.id,
        action: "settings.update",
        subjectType: "instance",
        subjectId: "sso",
        detail: `password sign-in for everyone but admins ${patch.passwordSignIn ? "on" : "off"}`,
        at: now,
      });
    return presentSettings(next);
  });
}

/** The sign-in page's options (public): enabled providers and whether the password form is offered. */
export async function signInOptions(ctx: AppContext) {
  const found = await ctx.db
    .select({ id: ssoProviders.id, name: ssoProviders.name })
    .from(ssoProviders)
    .where(eq(ssoProviders.enabled, true))
    .orderBy(asc(ssoProviders.name));
  return { providers: found, passwordSignIn: (await loadSettings(ctx.db)).passwordSignIn };
}

// ---------------------------------------------------------------- the sign-in flow

/** Discovered provider configurations, by provider id and version, kept for a while (discovery is a round trip). */
const DISCOVERY_TTL_MS = 10 * 60_000;
const discovered = new Map<string, { key: string; at: number; config: Promise<oidc.Configuration> }>();

function forget(providerId: string): void {
  discovered.delete(providerId);
}

function configurationOf(p: ProviderRow): Promise<oidc.Configuration> {
  const key = `${p.version}|${p.issuer}|${p.clientId}`;
  const hit = discovered.get(p.id);
  if (hit && hit.key === key && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.config;
  const issuer = new URL(p.issuer);
  const config = oidc.discovery(
    issuer,
    p.clientId,
    p.clientSecret || undefined,
    p.clientSecret ? oidc.ClientSecretPost(p.clientSecret) : oidc.None(),
    // Plain http only for a provider on this machine (tests, development); the schema refuses it elsewhere.
    isLocalHttp(issuer) ? { execute: [oidc.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
  );
  discovered.set(p.id, { key, at: Date.now(), config });
  // A failed discovery is not remembered: the next sign-in tries again.
  config.catch(() => discovered.get(p.id)?.config === config && discovered.delete(p.id));
  return config;
}

/** Where the flow tells the operator why a sign-in failed (the request's logger; never tokens or secrets). */
export type Log = (detail: Record<string, unknown>, message: string) => void;

/** The provider's configuration, or a sign-in error saying it cannot be reached (the reason goes to the log). */
async function discover(p: ProviderRow, log: Log): Promise<oidc.Configuration> {
  try {
    return await configurationOf(p);
  } catch (e) {
    const err = e as { name?: string; code?: string; message?: string };
    log({ provider: p.id, issuer: p.issuer, name: err.name, code: err.code, message: err.message }, "discovery failed");
    throw new SsoError(`${p.name} cannot be reached; try again later`);
  }
}

/** What the browser keeps between the start and the callback (a signed, httpOnly, short-lived cookie). */
export type FlowState = { p: string; s: string; n: string; v: string; e: number };
export const FLOW_TTL_MS = 10 * 60_000;

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

async function enabledProvider(ctx: AppContext, id: string): Promise<ProviderRow> {
  const [p] = isUuid(id) ? await ctx.db.select().from(ssoProviders).where(eq(ssoProviders.id, id)) : [];
  if (!p) throw new SsoError("This sign-in option does not exist");
  if (!p.enabled) throw new SsoError("This sign-in option is turned off");
  return p;
}

/** Starts a sign-in: the provider's authorization URL and the state to keep until the callback. */
export async function startSignIn(
  ctx: AppContext,
  providerId: string,
  log: Log,
): Promise<{ url: string; state: FlowState }> {
  const p = await enabledProvider(ctx, providerId);
  const config = await discover(p, log);
  const verifier = oidc.randomPKCECodeVerifier();
  const state: FlowState = {
    p: p.id,
    s: oidc.randomState(),
    n: oidc.randomNonce(),
    v: verifier,
    e: ctx.now().getTime() + FLOW_TTL_MS,
  };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUriOf(ctx, p.id),
    scope: p.scopes,
    response_type: "code",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state: state.s,
    nonce: state.n,
  });
  return { url: url.href, state };
}

type Claims = Record<string, unknown>;

/** A claim as text (the first of a list); dotted names reach into nested objects (`address.locality`). */
function claimText(claims: Claims, name: string): string | undefined {
  if (!name) return undefined;
  let v: unknown = name in claims ? claims[name] : undefined;
  if (v === undefined && name.includes(".") && !name.includes("/")) {
    v = name.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Claims)[k] : undefined), claims);
  }
  if (Array.isArray(v)) v = v[0];
  if (typeof v === "number") v = String(v);
  return typeof v === "string" && v.trim() ? v.trim() : undefined;
}

/** The groups claim as a list (a list of strings, or one string). */
function claimGroups(claims: Claims, name: string): string[] {
  if (!name) return [];
  const v = claims[name];
  if (Array.isArray(v)) return v.filter((g): g is string => typeof g === "string");
  return typeof v === "string" && v ? [v] : [];
}

/** The role the person's groups give, strongest first (admin, member, guest); undefined when none maps. */
export function roleFromGroups(mappings: SsoRoleMapping[], groups: string[]): SsoRoleMapping["role"] | undefined {
  const mine = new Set(mappings.filter((m) => groups.includes(m.group)).map((m) => m.role));
  return (["admin", "member", "guest"] as const).find((r) => mine.has(r));
}

/** What a completed sign-in hands to the route: the person and their new session. */
type SignedIn = { user: UserRow; session: { token: string; csrfToken: string; expiresAt: Date } };

/**
 * Finishes a sign-in at the callback: checks the kept state against the provider's answer, trades
 * the code for tokens (openid-client checks state, PKCE, the ID token's signature, issuer, audience,
 * expiry and nonce), finds or creates the person, brings them up to date and opens a session.
 */
export async function finishSignIn(
  ctx: AppContext,
  providerId: string,
  search: string,
  kept: FlowState | null,
  log: Log,
): Promise<SignedIn> {
  if (!kept || kept.p !== providerId || kept.e < ctx.now().getTime())
    throw new SsoError("The sign-in took too long or was started elsewhere; try again");
  const p = await enabledProvider(ctx, providerId);
  const answer = new URLSearchParams(search);
  if (answer.get("error")) {
    log({ provider: p.id, error: answer.get("error") }, "the provider refused the sign-in");
    throw new SsoError(
      answer.get("error") === "access_denied" ? `${p.name} did not allow the sign-in` : `${p.name} refused the sign-in`,
    );
  }
  if (answer.get("state") !== kept.s) throw new SsoError("The sign-in could not be verified; try again");
  const config = await discover(p, log);
  const currentUrl = new URL(redirectUriOf(ctx, p.id));
  currentUrl.search = search;
  let claims: Claims;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: kept.v,
      expectedState: kept.s,
      expectedNonce: kept.n,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims()!;
    let userInfo: Claims = {};
    if (config.serverMetadata().userinfo_endpoint)
      userInfo = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    // The ID token is what was verified; the UserInfo answer (same subject, checked) adds what it lacks.
    claims = { ...userInfo, ...idClaims };
  } catch (e) {
    const err = e as { name?: string; code?: string; message?: string; error?: string };
    log(
      { provider: p.id, name: err.name, code: err.code, error: err.error, message: err.message },
      "the sign-in could not be completed",
    );
    throw new SsoError("The sign-in could not be verified; try again");
  }
  return signInWithClaims(ctx, p, claims);
}

/** Whether the provider vouches for the email (OpenID `email_verified`; Entra ID's `xms_edov`). */
const emailVerified = (c: Claims) => c.email_verified === true || c.email_verified === "true" || c.xms_edov === true;

async function signInWithClaims(ctx: AppContext, p: ProviderRow, claims: Claims): Promise<SignedIn> {
  const subject = String(claims.sub);
  const email = claimText(claims, "email")?.toLowerCase();
  const groups = claimGroups(claims, p.groupsClaim);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const [link] = await tx
      .select({ userId: ssoIdentities.userId })
      .from(ssoIdentities)
      .where(and(eq(ssoIdentities.providerId, p.id), eq(ssoIdentities.subject, subject)));
    let user = link ? await findUserById(tx, link.userId) : undefined;
    const mappedRole = roleFromGroups(p.roleMappings, groups);
    if (!user) {
      if (!email || !/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254)
        throw new SsoError(`${p.name} did not send an email address; ask your administrator`);
      const existing = await findUserByEmail(tx, email);
      if (existing && !emailVerified(claims))
        throw new SsoError(
          `An account with this email exists, but ${p.name} did not confirm the email; ask your administrator`,
        );
      if (existing && existing.importKey) throw new SsoError("This account cannot sign in");
      if (existing) user = existing;
      else {
        const name = (claimText(claims, p.nameClaim) ?? email.split("@")[0]).slice(0, 120);
        [user] = await tx
          .insert(users)
          .values({ id: randomUUID(), email, name, role: mappedRole ?? "member", passwordHash: null, createdAt: now })
          .returning();
        await recordAudit(tx, {
          actorId: null,
          action: "sso.account_create",
          subjectType: "person",
          subjectId: user.id,
          detail: `${email} as ${user.role}, at ${p.name}`,
          at: now,
        });
      }
      await tx
        .insert(ssoIdentities)
        .values({ providerId: p.id, subject, userId: user.id, createdAt: now, lastSignInAt: now });
    } else {
      await tx
        .update(ssoIdentities)
        .set({ lastSignInAt: now })
        .where(and(eq(ssoIdentities.providerId, p.id), eq(ssoIdentities.subject, subject)));
    }
    if (user.deactivatedAt) throw new SsoError("This account is deactivated; ask your administrator");
    user = await applyClaims(tx, ctx, p, user, claims, mappedRole);
    await applySpaceMappings(tx, ctx, p, user, groups);
    await recordAudit(tx, {
      actorId: user.id,
      action: "sso.sign_in",
      subjectType: "person",
      subjectId: user.id,
      detail: p.name,
      at: now,
    });
    const session = await createSession(tx, user.id, now, ctx.config.sessionTtlDays);
    return { user, session };
  });
}

/** Brings name, department, manager and role up to date from the claims (what the provider says wins). */
async function applyClaims(
  tx: Executor,
  ctx: AppContext,
  p: ProviderRow,
  user: UserRow,
  claims: Claims,
  mappedRole: SsoRoleMapping["role"] | undefined,
): Promise<UserRow> {
  const set: Partial<typeof users.$inferInsert> = {};
  const name = claimText(claims, p.nameClaim)?.slice(0, 120);
  if (name && name !== user.name) set.name = name;
  const department = claimText(claims, p.departmentClaim)?.slice(0, 120);
  if (department !== undefined && department !== user.department) set.department = department;
  const managerEmail = claimText(claims, p.managerEmailClaim);
  if (managerEmail) {
    const manager = await findUserByEmail(tx, managerEmail);
    if (
      manager &&
      manager.id !== user.id &&
      manager.id !== user.managerId &&
      !(await managesUp(tx, manager.id, user.id))
    )
      set.managerId = manager.id;
  }
  // With role mappings, the groups decide the role at every sign-in (no match: member), except that
  // the last active admin is never demoted (nobody could administer the instance any more).
  if (p.roleMappings.length) {
    const role = mappedRole ?? "member";
    if (role !== user.role && !(user.role === "admin" && (await activeAdmins(tx)) <= 1)) {
      set.role = role;
      await recordAudit(tx, {
        actorId: null,
        action: "sso.role_change",
        subjectType: "person",
        subjectId: user.id,
        detail: `role: ${user.role} → ${role} (groups at ${p.name})`,
        at: ctx.now(),
      });
    }
  }
  if (Object.keys(set).length === 0) return user;
  const [updated] = await tx
    .update(users)
    .set({ ...set, version: sql`${users.version} + 1` })
    .where(eq(users.id, user.id))
    .returning();
  return updated;
}

/** Whether `personId` is above `managerId` in the management chain (making them the manager would be a cycle). */
async function managesUp(tx: Executor, managerId: string, personId: string): Promise<boolean> {
  let current: string | null = managerId;
  for (let hops = 0; current && hops < 1000; hops++) {
    if (current === personId) return true;
    current = (await findUserById(tx, current))?.managerId ?? null;
  }
  return false;
}

async function activeAdmins(tx: Executor): Promise<number> {
  const [r] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(sql`${users.role} = 'admin' and ${users.deactivatedAt} is null`);
  return Number(r?.n ?? 0);
}

const SPACE_RANK = { viewer: 1, editor: 2, owner: 3 } as const;

/** Adds the person to the spaces their groups map to (or raises a viewer to editor); never lowers a role. */
async function applySpaceMappings(tx: Executor, ctx: AppContext, p: ProviderRow, user: UserRow, groups: string[]) {
  const wanted = new Map<string, "viewer" | "editor">();
  for (const m of p.spaceMappings) {
    if (!groups.includes(m.group)) continue;
    // Guests only ever read.
    const role = user.role === "guest" ? "viewer" : m.role;
    if (SPACE_RANK[role] > SPACE_RANK[wanted.get(m.spaceId) ?? "viewer"] || !wanted.has(m.spaceId))
      wanted.set(m.spaceId, role);
  }
  for (const [spaceId, role] of wanted) {
    const [space] = await tx.select({ id: spaces.id }).from(spaces).where(eq(spaces.id, spaceId));
    if (!space) continue;
    const [current] = await tx
      .select({ role: spaceMembers.role })
      .from(spaceMembers)
      .where(and(eq(spaceMembers.spaceId, spaceId), eq(spaceMembers.userId, user.id)));
    if (current && SPACE_RANK[current.role] >= SPACE_RANK[role]) continue;
    await tx
      .insert(spaceMembers)
      .values({ spaceId, userId: user.id, role })
      .onConflictDoUpdate({ target: [spaceMembers.spaceId, spaceMembers.userId], set: { role } });
    await recordAudit(tx, {
      actorId: null,
      action: "space.member",
      subjectType: "space",
      subjectId: spaceId,
      detail: `${user.name}: ${role} (groups at ${p.name})`,
      at: ctx.now(),
    });
  }
}
