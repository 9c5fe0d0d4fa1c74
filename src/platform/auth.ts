import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { timingSafeEqual } from "node:crypto";
import type { Actor } from "../authz/policy";
import { AppError } from "./errors";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
    session: ResolvedSession | null;
    /** Set when the request came with an API token (Authorization: Bearer) instead of a session. */
    apiToken: { id: string; scopes: string[] } | null;
  }
  interface FastifyContextConfig {
    /** Routes reachable without a CSRF token: sign-in, first-run setup, accepting an invitation. */
    csrfExempt?: boolean;
  }
}

const SESSION_COOKIE = "kh_session";

/** A signed-in session: who acts, the CSRF token their requests must carry, and the token's hash. */
export type ResolvedSession = { actor: Actor; csrfToken: string; tokenHash: string };
/** Looks up a session token (the accounts module provides it; the platform knows no feature). */
type SessionResolver = (token: string) => Promise<ResolvedSession | null>;
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Looks up an API token (the tokens module provides it): its actor and scopes, or null. */
type TokenResolver = (token: string) => Promise<{ actor: Actor; scopes: string[]; tokenId: string } | null>;

/**
 * Resolves the session cookie (or an API token in `Authorization: Bearer`) into `request.actor` and
 * enforces CSRF on state-changing requests made with a session. A token's scopes decide what it may
 * do: without `write`, only reading.
 */
export function registerAuth(
  app: FastifyInstance,
  resolveSession: SessionResolver,
  resolveToken?: TokenResolver,
): void {
  app.decorateRequest("actor", null);
  app.decorateRequest("session", null);
  app.decorateRequest("apiToken", null);
  app.addHook("preHandler", async (req) => {
    const raw = req.cookies[SESSION_COOKIE];
    if (raw) {
      const unsigned = req.unsignCookie(raw);
      if (unsigned.valid && unsigned.value) {
        req.session = await resolveSession(unsigned.value);
        req.actor = req.session?.actor ?? null;
      }
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    if (!req.session && bearer && resolveToken && !req.url.startsWith("/xapi")) {
      const found = await resolveToken(bearer);
      if (!found) throw new AppError("unauthenticated", "The API token is unknown, expired or revoked");
      // Known before the scope check, so a refused write is audited as the token's too.
      req.actor = found.actor;
      req.apiToken = { id: found.tokenId, scopes: found.scopes };
      if (UNSAFE.has(req.method) && !found.scopes.includes("write"))
        throw new AppError("forbidden", "This token may only read (it lacks the write scope)");
    }
    if (UNSAFE.has(req.method) && req.session && !req.routeOptions.config?.csrfExempt) {
      const header = req.headers["x-csrf-token"];
      if (typeof header !== "string" || !sameToken(header, req.session.csrfToken)) {
        throw new AppError("csrf", "Missing or invalid CSRF token (send the x-csrf-token header)");
      }
    }
  });
}

/**
 * Sets the session cookie: httpOnly, SameSite=Lax, Secure when the public URL is https or the
 * request came over https (X-Forwarded-Proto counts only from a trusted proxy: TRUST_PROXY).
 */
export function setSessionCookie(
  req: FastifyRequest,
  reply: FastifyReply,
  token: string,
  expiresAt: Date,
  publicUrl?: string,
): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: publicUrl?.startsWith("https:") === true || req.protocol === "https",
    signed: true,
    expires: expiresAt,
  });
}

/** Clears the session cookie. */
export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: "/" });
}
