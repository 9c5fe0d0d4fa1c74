import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { setSessionCookie } from "../../platform/auth";
import { on } from "../../platform/route";
import { ssoEndpoints as e } from "./sso.schema";
import * as svc from "./sso.service";

/** The cookie that carries a sign-in's state, nonce and PKCE verifier from the start to the callback. */
const FLOW_COOKIE = "kh_sso";
const FLOW_PATH = "/api/auth/sso";

/** Where a failed sign-in lands: the sign-in page with a short message (a fixed path: no open redirect). */
function failed(reply: FastifyReply, message: string) {
  return reply.redirect(`/login?sso_error=${encodeURIComponent(message)}`, 302);
}

function keptState(req: FastifyRequest): svc.FlowState | null {
  const raw = req.cookies[FLOW_COOKIE];
  if (!raw) return null;
  const unsigned = req.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  try {
    const v = JSON.parse(unsigned.value) as Partial<svc.FlowState>;
    const ok = ["p", "s", "n", "v"].every((k) => typeof v[k as keyof svc.FlowState] === "string");
    return ok && typeof v.e === "number" ? (v as svc.FlowState) : null;
  } catch {
    return null;
  }
}

/** Single sign-on: the sign-in page's options, the code flow's start and callback, and the admin's set-up. */
export const ssoRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const secure = (req: FastifyRequest) =>
      ctx.config.publicUrl?.startsWith("https:") === true || req.protocol === "https";

    on(app, e.getAuthSso, async () => svc.signInOptions(ctx), { config: { csrfExempt: true } });

    on(
      app,
      e.getAuthSsoByIdStart,
      async (req, reply) => {
        try {
          const { url, state } = await svc.startSignIn(ctx, req.params.id, (detail, message) =>
            req.log.warn(detail, message),
          );
          reply.setCookie(FLOW_COOKIE, JSON.stringify(state), {
            path: FLOW_PATH,
            httpOnly: true,
            // Lax: the provider's redirect back is a top-level GET, which carries it.
            sameSite: "lax",
            secure: secure(req),
            signed: true,
            maxAge: svc.FLOW_TTL_MS / 1000,
          });
          reply.header("cache-control", "no-store");
          return reply.redirect(url, 302);
        } catch (err) {
          if (err instanceof svc.SsoError) return failed(reply, err.message);
          throw err;
        }
      },
      { config: { csrfExempt: true } },
    );

    on(
      app,
      e.getAuthSsoByIdCallback,
      async (req, reply) => {
        const kept = keptState(req);
        reply.clearCookie(FLOW_COOKIE, { path: FLOW_PATH });
        reply.header("cache-control", "no-store");
        const search = req.url.includes("?") ? req.url.slice(req.url.indexOf("?")) : "";
        try {
          const { session } = await svc.finishSignIn(ctx, req.params.id, search, kept, (detail, message) =>
            req.log.warn(detail, message),
          );
          setSessionCookie(req, reply, session.token, session.expiresAt, ctx.config.publicUrl);
          return reply.redirect("/", 302);
        } catch (err) {
          if (err instanceof svc.SsoError) return failed(reply, err.message);
          req.log.error(err);
          return failed(reply, "Something went wrong on our side; try again");
        }
      },
      { config: { csrfExempt: true } },
    );

    on(app, e.getSsoProviders, async (req) => svc.listProviders(ctx, requireActor(req.actor)));
    on(app, e.postSsoProviders, async (req, reply) =>
      reply.status(201).send(await svc.createProvider(ctx, requireActor(req.actor), req.body)),
    );
    on(app, e.patchSsoProvidersById, async (req) =>
      svc.updateProvider(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    on(app, e.deleteSsoProvidersById, async (req) => {
      await svc.deleteProvider(ctx, requireActor(req.actor), req.params.id);
      return { ok: true as const };
    });
    on(app, e.getSsoSettings, async (req) => svc.getSettings(ctx, requireActor(req.actor)));
    on(app, e.patchSsoSettings, async (req) => svc.updateSettings(ctx, requireActor(req.actor), req.body));
  };
