import { createHash, timingSafeEqual } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { lrsClients } from "../../../db/schema";
import type { AppContext } from "../../context";
import { AppError, statusOf } from "../../platform/errors";
import type { Agent } from "./agents";

/**
 * The HTTP side of the LRS shared by every xAPI resource: the version header, Basic authentication
 * with LRS clients and their scopes, errors as xAPI clients expect them, raw bodies.
 */

/** The versions this LRS speaks, newest first: a request's major version picks the one answered. */
export const XAPI_VERSIONS = { "1": "1.0.3", "2": "2.0.0" } as const;

export type LrsClient = {
  id: string;
  name: string;
  key: string;
  scopes: string[];
  /** The statement authority this client stands for. */
  authority: Agent;
};

declare module "fastify" {
  interface FastifyRequest {
    lrsClient: LrsClient | null;
    /** The xAPI version this request speaks ("1.0.3" or "2.0.0"). */
    xapiVersion: string;
  }
}

/** An xAPI error: an HTTP status and a message naming the problem. */
export class XapiHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
export const bad = (message: string) => new XapiHttpError(400, message);

export const sha256 = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");

/** The homePage of the accounts this LRS gives its clients and Knowhow's people. */
export function homePage(ctx: AppContext): string {
  return ctx.config.publicUrl ?? "https://knowhow.invalid";
}

/** Does the client hold this scope (or one that includes it)? */
export function hasScope(client: LrsClient, scope: string): boolean {
  const s = new Set(client.scopes);
  if (s.has("all")) return true;
  if (scope === "statements/read/mine")
    return s.has("statements/read/mine") || s.has("statements/read") || s.has("all/read");
  if (scope.endsWith("/read") || scope === "all/read") return s.has(scope) || s.has("all/read");
  return s.has(scope);
}

export function requireScope(req: FastifyRequest, ...scopes: string[]): LrsClient {
  const c = req.lrsClient;
  if (!c) throw new XapiHttpError(401, "Authenticate with an LRS client's key and secret (HTTP Basic)");
  if (!scopes.some((s) => hasScope(c, s)))
    throw new XapiHttpError(403, `This client lacks the scope ${scopes.join(" or ")}`);
  return c;
}

async function authenticate(ctx: AppContext, header: string | undefined): Promise<LrsClient | null> {
  if (!header?.startsWith("Basic ")) return null;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  const key = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  const [c] = await ctx.db.select().from(lrsClients).where(eq(lrsClients.key, key));
  if (!c || c.revokedAt) return null;
  const given = Buffer.from(sha256(secret), "hex");
  const stored = Buffer.from(c.secretHash, "hex");
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) return null;
  // Recorded at most once a minute per client (a busy client does not write on every request).
  await ctx.db.execute(
    sql`update lrs_clients set last_used_at = ${ctx.now().toISOString()}::timestamptz
        where id = ${c.id} and (last_used_at is null or last_used_at < ${new Date(ctx.now().getTime() - 60_000).toISOString()}::timestamptz)`,
  );
  return {
    id: c.id,
    name: c.name,
    key: c.key,
    scopes: c.scopes,
    authority: { objectType: "Agent", name: c.name, account: { homePage: homePage(ctx), name: c.key } },
  };
}

/**
 * Sets up an xAPI scope (call inside the plugin registered at /xapi): raw bodies of any type, the
 * version header on every request and response, Basic auth, and errors as { error: { message } }.
 */
export function setUpXapi(app: FastifyInstance, ctx: AppContext): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: 50 * 1024 * 1024 }, (_req, body, done) =>
    done(null, body),
  );
  // The LRS authenticates by Basic credentials only (a browser session is ignored), so Knowhow's CSRF
  // check does not apply; its write rate limit neither (clients post batches by design).
  app.addHook("onRoute", (route) => {
    route.config = { ...(route.config ?? {}), csrfExempt: true, rateLimit: false } as typeof route.config;
  });
  app.decorateRequest("lrsClient", null);
  app.decorateRequest("xapiVersion", XAPI_VERSIONS["2"]);
  const alternates = new WeakSet<FastifyRequest>();
  app.addHook("onRequest", async (req, reply) => {
    const given = req.headers["x-experience-api-version"];
    const path = req.url.split("?")[0];
    // A request that names no version we speak is answered with the newest one.
    reply.header("X-Experience-API-Version", XAPI_VERSIONS["2"]);
    if (req.method === "POST" && Object.hasOwn((req.query as object | undefined) ?? {}, "method")) {
      if (typeof given === "string" && /^2\./.test(given.trim())) throw bad(ALTERNATE_NOT_IN_2);
      // Alternate Request Syntax (1.0.x): the headers may be in the form, checked when it is replayed.
      alternates.add(req);
      return;
    }
    if (typeof given !== "string") {
      if (path.endsWith("/about")) return;
      throw new XapiHttpError(400, "The X-Experience-API-Version header is required (1.0.x or 2.0.x)");
    }
    const m = /^([12])\.0(\.\d+)?$/.exec(given.trim());
    if (!m) throw new XapiHttpError(400, `X-Experience-API-Version ${given} is not supported (1.0.x or 2.0.x)`);
    req.xapiVersion = XAPI_VERSIONS[m[1] as "1" | "2"];
    reply.header("X-Experience-API-Version", req.xapiVersion);
    req.lrsClient = await authenticate(ctx, req.headers.authorization);
    if (!req.lrsClient && !path.endsWith("/about")) {
      reply.header("WWW-Authenticate", 'Basic realm="Knowhow LRS"');
      throw new XapiHttpError(401, "Authenticate with an LRS client's key and secret (HTTP Basic)");
    }
  });
  app.addHook("preHandler", async (req, reply) => {
    if (!alternates.has(req)) return;
    const { method, url, headers, payload } = alternateRequest(req);
    const res = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
    reply.status(res.statusCode);
    for (const [k, v] of Object.entries(res.headers))
      if (v !== undefined && !["content-length", "transfer-encoding", "connection", "date", "keep-alive"].includes(k))
        reply.header(k, v);
    return reply.send(res.rawPayload);
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, req, reply) => {
    if (error instanceof XapiHttpError) return reply.status(error.status).send({ error: { message: error.message } });
    if (error instanceof AppError)
      return reply.status(statusOf[error.code]).send({ error: { message: error.message } });
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.status(status).send({ error: { message: error.message } });
    req.log.error(error);
    return reply.status(500).send({ error: { message: "Something went wrong on our side" } });
  });
}

const ALTERNATE_NOT_IN_2 = "The Alternate Request Syntax (a method parameter) is not part of xAPI 2.0";
/** Form parameters of the Alternate Request Syntax that stand for headers. */
const FORM_HEADERS = [
  "authorization",
  "x-experience-api-version",
  "content-type",
  "content-length",
  "if-match",
  "if-none-match",
];

/**
 * The request an Alternate Request Syntax POST stands for (xAPI 1.0.3 Communication 1.3): the method
 * from the only query parameter, the headers from the form (over the request's own), the body from
 * its content parameter and the other form parameters as the query.
 */
function alternateRequest(req: FastifyRequest): {
  method: "GET" | "PUT" | "POST" | "DELETE";
  url: string;
  headers: Record<string, string>;
  payload: string | undefined;
} {
  const query = (req.query as Record<string, unknown> | undefined) ?? {};
  const extra = Object.keys(query).filter((k) => k !== "method");
  if (extra.length)
    throw bad(`With the Alternate Request Syntax, method is the only query parameter (not ${extra[0]})`);
  const method = String(query.method).toUpperCase();
  if (!["GET", "PUT", "POST", "DELETE"].includes(method)) throw bad("method must be GET, PUT, POST or DELETE");
  const type = String(req.headers["content-type"] ?? "");
  if (!/^application\/x-www-form-urlencoded/i.test(type))
    throw bad("The Alternate Request Syntax sends its parameters as application/x-www-form-urlencoded");
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (typeof v === "string" && !["content-type", "content-length", "transfer-encoding", "host"].includes(k))
      headers[k] = v;
  const params = new URLSearchParams();
  let payload: string | undefined;
  for (const [k, v] of new URLSearchParams(bodyText(req))) {
    const lower = k.toLowerCase();
    if (FORM_HEADERS.includes(lower)) headers[lower] = v;
    else if (k === "content") payload = v;
    else params.append(k, v);
  }
  delete headers["content-length"];
  if (payload !== undefined && !headers["content-type"]) headers["content-type"] = "application/json";
  if (/^2\./.test((headers["x-experience-api-version"] ?? "").trim())) throw bad(ALTERNATE_NOT_IN_2);
  const path = req.url.split("?")[0];
  const q = params.toString();
  return { method: method as "GET", url: q ? `${path}?${q}` : path, headers, payload };
}

/** The body as text (UTF-8), or a 400 when there is none. */
export function bodyText(req: FastifyRequest): string {
  const b = req.body;
  if (Buffer.isBuffer(b)) return b.toString("utf8");
  if (typeof b === "string") return b;
  return "";
}

/** Parses a JSON body; a 400 naming the problem otherwise. */
export function jsonBody(req: FastifyRequest): unknown {
  const text = bodyText(req);
  if (!text.trim()) throw bad("The body is empty; send JSON");
  try {
    return JSON.parse(text);
  } catch {
    throw bad("The body is not valid JSON");
  }
}

/** Query parameters as one string each (a repeated parameter is a 400). */
export function queryParams(req: FastifyRequest, allowed: readonly string[]): Record<string, string> {
  const q = req.query as Record<string, string | string[] | undefined>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q ?? {})) {
    if (!allowed.includes(k)) throw bad(`Unknown parameter ${k}`);
    if (Array.isArray(v)) throw bad(`Parameter ${k} is given more than once`);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export function noContent(reply: FastifyReply) {
  return reply.status(204).send();
}
