import { randomUUID } from "node:crypto";
import Fastify, { LogController, type FastifyError, type FastifyInstance } from "fastify";
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import multipart from "@fastify/multipart";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import fastifyStatic from "@fastify/static";
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AppError, isConcurrentChange, statusOf } from "./platform/errors";
import type { AppContext } from "./context";
import { registerAuth } from "./platform/auth";
import { loggedUrl, loggerOptions } from "./platform/logging";
import { inRequestOrder, nextArrival } from "./platform/prepared";
import { cachedSessionResolver } from "./modules/accounts/sessions";
import { rejectNulCharacters } from "./platform/validation";
import { collectRouteContracts, responseSerializer } from "./platform/responses";
import { accountsRoutes } from "./modules/accounts/accounts.routes";
import { peopleRoutes } from "./modules/accounts/people.routes";
import { spacesRoutes } from "./modules/spaces/spaces.routes";
import { articlesRoutes } from "./modules/knowledge/articles.routes";
import { articleCommentsRoutes } from "./modules/knowledge/comments.routes";
import { mentionsRoutes } from "./modules/mentions/mentions.routes";
import { attachmentsRoutes } from "./modules/knowledge/attachments.routes";
import { pageTreeRoutes } from "./modules/knowledge/tree.routes";
import { personProfileRoutes } from "./modules/knowledge/profile.routes";
import { searchRoutes } from "./modules/search/search.routes";
import { healthRoutes } from "./modules/health/health.routes";
import { networkRoutes } from "./modules/network/network.routes";
import { qaRoutes } from "./modules/qa/qa.routes";
import { routingRoutes } from "./modules/routing/routing.routes";
import { expertiseRoutes } from "./modules/expertise/expertise.routes";
import { sidekickRoutes } from "./modules/sidekick/sidekick.routes";
import { verificationRoutes } from "./modules/verification/verification.routes";
import { lessonsRoutes } from "./modules/lessons/lessons.routes";
import { workingOutLoudRoutes } from "./modules/lessons/wol.routes";
import { auditRoutes } from "./modules/audit/audit.routes";
import { communitiesRoutes } from "./modules/communities/communities.routes";
import { sessionsRoutes } from "./modules/sessions/sessions.routes";
import { mentoringRoutes } from "./modules/mentoring/mentoring.routes";
import { workgroupsRoutes } from "./modules/workgroups/workgroups.routes";
import { pathsRoutes } from "./modules/paths/paths.routes";
import { cohortsRoutes } from "./modules/paths/cohorts.routes";
import { templatesRoutes } from "./modules/knowledge/templates.routes";
import { settingsRoutes } from "./modules/settings/settings.routes";
import { tokensRoutes } from "./modules/tokens/tokens.routes";
import { auditTokenUse, resolveToken } from "./modules/tokens/tokens.service";
import { webhooksRoutes } from "./modules/webhooks/webhooks.routes";
import { webhookJobHandlers } from "./modules/webhooks/webhooks.service";
import { runDueJobs, startJobWorker } from "./platform/jobs";
import { ssoRoutes } from "./modules/sso/sso.routes";
import { UPLOAD_LIMIT_CEILING_MB } from "./modules/settings/settings.schema";
import { uploadsRoutes } from "./modules/knowledge/uploads.routes";
import { createResumableUploads } from "./modules/knowledge/uploads.service";
import { startCollab, type Collab } from "./modules/collab/collab";

declare module "fastify" {
  interface FastifyInstance {
    collab: Collab;
    /** Runs the background jobs due now, in this process (tests; the worker does it on its own). */
    jobs: { runDue: () => Promise<{ done: number; failed: number }> };
  }
}
import { xapiRoutes } from "./modules/xapi/xapi.routes";
import { lrsRoutes } from "./modules/xapi/lrs.routes";
import { feedbackRoutes } from "./modules/feedback/feedback.routes";

export type App = FastifyInstance;

declare module "fastify" {
  interface FastifyRequest {
    /** The request's place in line for the embedded database (platform/prepared.ts). */
    arrival: number;
  }
}
const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../web/dist");

const CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob: https: http:",
  // blob: for what the camera just took, shown before it is uploaded.
  "media-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

function trustProxyOption(
  v: AppContext["config"]["trustProxy"],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  // A hop count: trust that many proxies nearest to us (Fastify's types take it as a function).
  return typeof v === "number" ? (_address, hop) => hop < v : v;
}

/** One registered route (for tests that walk the whole route table). */
export type RouteEntry = { method: string; url: string };

/**
 * Builds the HTTP app: plugins, error mapping, security headers, every module's routes, the web
 * app. `routes`, when given, receives every route as it is registered; `strictResponses` (tests)
 * makes a response field its schema does not name fail the request instead of vanishing.
 */
export async function buildApp(
  ctx: AppContext,
  options: {
    logger?: boolean;
    /** Where log lines go instead of stdout (JSON lines; tests read what a route logs). */
    logStream?: { write: (line: string) => void };
    routes?: RouteEntry[];
    strictResponses?: boolean;
    /** Run background jobs (webhook deliveries) in this process: the server and the browser tests do. */
    backgroundJobs?: boolean;
  } = {},
): Promise<App> {
  const app = Fastify({
    logger: options.logger
      ? options.logStream
        ? { level: ctx.config.logLevel, stream: options.logStream }
        : loggerOptions(ctx.config)
      : false,
    // One line per request (the onResponse hook below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 2 * 1024 * 1024,
    // X-Forwarded-For / -Proto are believed only from the proxies named in TRUST_PROXY (none by default).
    trustProxy: trustProxyOption(ctx.config.trustProxy),
  }).withTypeProvider<ZodTypeProvider>();
  const table = options.routes;
  if (table)
    app.addHook("onRoute", (r) => {
      for (const method of [r.method].flat()) table.push({ method, url: r.url });
    });
  app.setValidatorCompiler(validatorCompiler);
  // Responses go through each route's zod response schema; tests run strict (a dropped field fails).
  app.setSerializerCompiler(responseSerializer({ strict: options.strictResponses ?? false }));
  collectRouteContracts(app);
  // Only JSON (and multipart for uploads) is accepted, so a cross-site form post cannot reach a handler.
  app.removeContentTypeParser("text/plain");

  await app.register(cookie, { secret: ctx.config.sessionSecret });
  await app.register(multipart, { limits: { fileSize: UPLOAD_LIMIT_CEILING_MB * 1024 * 1024, files: 1, fields: 10 } });
  await app.register(rateLimit, {
    global: true,
    max: ctx.config.writeRatePerMinute,
    timeWindow: 60_000,
    allowList: (req) => req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS",
    keyGenerator: (req) => req.cookies?.kh_session ?? req.ip,
    errorResponseBuilder: (_req, context) => {
      const err = new AppError("rate_limited", `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} s`);
      (err as unknown as { statusCode: number }).statusCode = 429;
      return err;
    },
  });
  await app.register(swagger, {
    openapi: { info: { title: "Knowhow API", version: "1" } },
    transform: jsonSchemaTransform,
  });
  const resolveSession = cachedSessionResolver(ctx.db, ctx.accessEpoch, ctx.now);
  registerAuth(app, resolveSession, (token) => resolveToken(ctx.db, token, ctx.now()));
  // Every use of an API token is audited (after the answer, so it costs the caller nothing).
  app.addHook("onResponse", async (req, reply) => {
    if (!req.apiToken || !req.actor) return;
    await auditTokenUse(ctx.db, {
      tokenId: req.apiToken.id,
      actorId: req.actor.id,
      method: req.method,
      route: req.routeOptions.url ?? req.url.split("?")[0],
      status: reply.statusCode,
      at: ctx.now(),
    }).catch((e: unknown) => app.log.error(e, "auditing a token use failed"));
  });
  // The API reference is for people who use it: signed-in only, under its own CSP (hashes for
  // Swagger UI's inline code; no outside validator, no framing).
  await app.register(swaggerUi, {
    routePrefix: "/api/docs",
    uiConfig: { validatorUrl: null },
    staticCSP: true,
    transformStaticCSP: (header) =>
      header
        .replace(" validator.swagger.io", "")
        .replace("frame-ancestors 'self'", "frame-ancestors 'none'")
        .replace(/\s*upgrade-insecure-requests;/, ""),
    uiHooks: {
      preHandler: async (req, reply) => {
        // Answered here: the plugin's routes do not reach the app's error handler.
        if (!req.actor)
          return reply
            .status(401)
            .send({ error: { code: "unauthenticated", message: "Sign in to read the API reference" } });
      },
    },
  });

  // Every request's statements carry its arrival order: on PGlite the oldest request is served first.
  // Set again before the handlers: a body is parsed in the socket's events, outside the first run.
  app.decorateRequest("arrival", 0);
  app.addHook("onRequest", (req, _reply, done) => {
    req.arrival = nextArrival();
    inRequestOrder(req.arrival, done);
  });
  app.addHook("preValidation", (req, _reply, done) => inRequestOrder(req.arrival, done));
  app.addHook("onResponse", async (req, reply) => {
    const url = loggedUrl(req.url);
    req.log.info(
      { method: req.method, url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      `${req.method} ${url} ${reply.statusCode} ${Math.round(reply.elapsedTime)} ms`,
    );
  });

  app.addHook("onSend", async (req, reply) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "same-origin");
    if (!req.url.startsWith("/api/docs")) reply.header("content-security-policy", CSP);
  });

  app.setErrorHandler((error: FastifyError | AppError, req, reply) => {
    if (error instanceof AppError) {
      const body: Record<string, unknown> = {
        error: { code: error.code, message: error.message, fields: error.fields },
      };
      if (error.details) Object.assign(body, error.details);
      return reply.status(statusOf[error.code]).send(body);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields = error.validation.map((v) => ({
        path: v.instancePath.replace(/^\//, "").replace(/\//g, "."),
        message: v.message ?? "invalid",
      }));
      const where = error.validationContext === "querystring" ? "query" : error.validationContext;
      const message = fields.map((f) => `${f.path || where}: ${f.message}`).join("; ");
      return reply.status(400).send({ error: { code: "invalid", message, fields } });
    }
    const status = error.statusCode ?? 500;
    if (status === 429) return reply.status(429).send({ error: { code: "rate_limited", message: error.message } });
    if (status === 413 || error.code === "FST_REQ_FILE_TOO_LARGE")
      return reply.status(413).send({ error: { code: "too_large", message: "The upload is too large" } });
    if (status === 415)
      return reply
        .status(415)
        .send({ error: { code: "unsupported_type", message: "Send JSON (content-type: application/json)" } });
    if (status === 400) return reply.status(400).send({ error: { code: "invalid", message: error.message } });
    // A race the service did not turn into its own answer: somebody else changed the same thing at the same moment.
    if (isConcurrentChange(error)) {
      req.log.warn(error);
      return reply.status(409).send({
        error: { code: "conflict", message: "Somebody else changed this at the same moment; reload and try again" },
      });
    }
    req.log.error(error);
    return reply.status(500).send({ error: { code: "internal", message: "Something went wrong on our side" } });
  });

  // PostgreSQL cannot store U+0000: a NUL in any body, query or path value is a 400 naming the field.
  app.addHook("preValidation", rejectNulCharacters);
  app.addHook("onClose", async () => {
    await ctx.events.close();
    await ctx.accessEpoch.close();
  });
  await app.register(healthRoutes(ctx), { prefix: "/api" });
  await app.register(accountsRoutes(ctx), { prefix: "/api" });
  await app.register(peopleRoutes(ctx), { prefix: "/api" });
  await app.register(personProfileRoutes(ctx), { prefix: "/api" });
  await app.register(spacesRoutes(ctx), { prefix: "/api" });
  await app.register(articlesRoutes(ctx), { prefix: "/api" });
  await app.register(attachmentsRoutes(ctx), { prefix: "/api" });
  await app.register(articleCommentsRoutes(ctx), { prefix: "/api" });
  await app.register(mentionsRoutes(ctx), { prefix: "/api" });
  await app.register(pageTreeRoutes(ctx), { prefix: "/api" });
  await app.register(searchRoutes(ctx), { prefix: "/api" });
  await app.register(networkRoutes(ctx), { prefix: "/api" });
  await app.register(qaRoutes(ctx), { prefix: "/api" });
  await app.register(routingRoutes(ctx), { prefix: "/api" });
  await app.register(expertiseRoutes(ctx), { prefix: "/api" });
  await app.register(sidekickRoutes(ctx), { prefix: "/api" });
  await app.register(verificationRoutes(ctx), { prefix: "/api" });
  await app.register(lessonsRoutes(ctx), { prefix: "/api" });
  await app.register(workingOutLoudRoutes(ctx), { prefix: "/api" });
  await app.register(auditRoutes(ctx), { prefix: "/api" });
  await app.register(communitiesRoutes(ctx), { prefix: "/api" });
  await app.register(sessionsRoutes(ctx), { prefix: "/api" });
  await app.register(mentoringRoutes(ctx), { prefix: "/api" });
  await app.register(feedbackRoutes(ctx), { prefix: "/api" });
  await app.register(workgroupsRoutes(ctx), { prefix: "/api" });
  await app.register(pathsRoutes(ctx), { prefix: "/api" });
  await app.register(cohortsRoutes(ctx), { prefix: "/api" });
  await app.register(templatesRoutes(ctx), { prefix: "/api" });
  await app.register(settingsRoutes(ctx), { prefix: "/api" });
  await app.register(tokensRoutes(ctx), { prefix: "/api" });
  await app.register(ssoRoutes(ctx), { prefix: "/api" });
  const resumable = createResumableUploads(ctx);
  app.decorate("resumableUploads", resumable);
  await app.register(uploadsRoutes(resumable), { prefix: "/api" });
  await app.register(lrsRoutes(ctx), { prefix: "/api" });
  await app.register(
    webhooksRoutes(ctx, () => ctx.jobs.kick()),
    { prefix: "/api" },
  );

  // Background deliveries: one durable queue (platform/jobs.ts); any instance may run it.
  const jobHandlers = { ...webhookJobHandlers(ctx) };
  const jobsInstance = `jobs-${randomUUID()}`;
  app.decorate("jobs", {
    runDue: () => runDueJobs(ctx.db, jobHandlers, { instanceId: jobsInstance, now: ctx.now() }),
  });
  if (options.backgroundJobs) {
    const worker = startJobWorker(ctx.db, jobHandlers, {
      instanceId: jobsInstance,
      now: ctx.now,
      intervalMs: 2_000,
      onError: (e) => app.log.error(e, "background jobs failed"),
    });
    ctx.jobs.kick = worker.kick;
    app.addHook("preClose", async () => worker.stop());
  }
  await app.register(xapiRoutes(ctx), { prefix: "/xapi" });

  // Real-time co-editing over a WebSocket (/api/collab); its open documents are written down on close.
  const collab = await startCollab(ctx, app, resolveSession);
  app.decorate("collab", collab);
  app.addHook("preClose", async () => collab.close());

  await mountWebApp(app);
  return app;
}

/**
 * Cache policy of the web app's files: the build names everything under /assets/ by its content
 * hash, so those never change and are cached for a year; index.html (which names them) is
 * revalidated on every visit.
 */
function webCacheControl(file: string): string {
  return /[\\/]assets[\\/]/.test(file) ? "public, max-age=31536000, immutable" : "no-cache";
}

/**
 * Serves the built React app with a fallback to index.html for client-side routes. Files are sent
 * as compressed at build time (.br, else .gz, else plain, by the request's Accept-Encoding).
 */
async function mountWebApp(app: FastifyInstance): Promise<void> {
  const hasBuild = existsSync(path.join(webDist, "index.html"));
  if (hasBuild)
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: false,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, file) => {
        res.setHeader("cache-control", webCacheControl(file));
        res.setHeader("vary", "accept-encoding");
      },
    });
  app.setNotFoundHandler((req, reply) => {
    // A missing hashed file (say, a chunk of an older build) is a 404, not the page.
    if (req.url.startsWith("/api/") || req.url.startsWith("/assets/") || req.method !== "GET") {
      return reply
        .status(404)
        .send({ error: { code: "not_found", message: `No route ${req.method} ${req.url.split("?")[0]}` } });
    }
    if (!hasBuild) {
      return reply
        .type("text/plain")
        .send(
          "The web app is not built yet. Run `npm run build:web` (npm start does this), then reload.\nThe API is at /api (docs at /api/docs).",
        );
    }
    return reply.sendFile("index.html");
  });
}
