import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context";
import { clearSessionCookie, setSessionCookie } from "../../platform/auth";
import { abilities, requireActor } from "../../authz/policy";
import { AppError } from "../../platform/errors";
import {
  AcceptIn,
  InvitationIn,
  InvitationInfoOut,
  InvitationListOut,
  InvitationOut,
  InvitationTokenParams,
  LoginIn,
  PasswordIn,
  SessionOut,
  SetupIn,
  SetupStateOut,
} from "./accounts.schema";
import { OkOut as Ok } from "../../platform/contracts";
import * as accounts from "./accounts.service";
import { LoginThrottle } from "./login-throttle";
import { presentUser, type UserRow } from "./users";

function presentSession(user: UserRow, csrfToken: string) {
  const actor = { id: user.id, role: user.role, name: user.name, knowledgeManager: user.knowledgeManager };
  return { user: presentUser(user), csrfToken, can: abilities(actor, { kind: "instance" }) };
}

/** Sign-in, sign-out, first-run setup, password change and invitations. */
export const accountsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const throttle = new LoginThrottle(ctx.config.loginFailuresPerAddressPerMinute);
    app.get("/setup", { schema: { response: { 200: SetupStateOut } } }, async () => ({
      needsSetup: await accounts.needsSetup(ctx),
    }));

    app.post(
      "/setup",
      { config: { csrfExempt: true }, schema: { body: SetupIn, response: { 200: SessionOut } } },
      async (req, reply) => {
        const { user, session } = await accounts.setupFirstAdmin(ctx, req.body);
        setSessionCookie(req, reply, session.token, session.expiresAt, ctx.config.publicUrl);
        return presentSession(user, session.csrfToken);
      },
    );

    app.post(
      "/auth/login",
      {
        config: {
          csrfExempt: true,
          rateLimit: {
            max: ctx.config.loginRatePerMinute,
            timeWindow: 60_000,
            // Per account, from any address (after body parsing, so the key can be the email).
            // Failures per address are limited by the throttle below.
            hook: "preHandler",
            keyGenerator: (req) =>
              `account|${String((req.body as { email?: unknown } | undefined)?.email ?? "")
                .trim()
                .toLowerCase()}`,
          },
        },
        schema: { body: LoginIn, response: { 200: SessionOut } },
      },
      async (req, reply) => {
        throttle.check(req.ip);
        const { user, session } = await accounts.login(ctx, req.body.email, req.body.password).catch((e: unknown) => {
          if (e instanceof AppError && e.code === "unauthenticated") throttle.fail(req.ip);
          throw e;
        });
        setSessionCookie(req, reply, session.token, session.expiresAt, ctx.config.publicUrl);
        return presentSession(user, session.csrfToken);
      },
    );

    app.post("/auth/logout", { schema: { response: { 200: Ok } } }, async (req, reply) => {
      if (req.session) await accounts.logout(ctx, req.session.tokenHash);
      clearSessionCookie(reply);
      return { ok: true as const };
    });

    app.get("/auth/me", { schema: { response: { 200: SessionOut } } }, async (req) => {
      const actor = requireActor(req.actor);
      const user = await accounts.currentUser(ctx, actor);
      if (!user || !req.session) throw new AppError("unauthenticated", "Sign in to continue");
      return presentSession(user, req.session.csrfToken);
    });

    app.post(
      "/auth/password",
      {
        config: { rateLimit: { max: ctx.config.loginRatePerMinute, timeWindow: 60_000 } },
        schema: { body: PasswordIn, response: { 200: Ok } },
      },
      async (req) => {
        const actor = requireActor(req.actor);
        await accounts.changePassword(
          ctx,
          actor,
          req.session!.tokenHash,
          req.body.currentPassword,
          req.body.newPassword,
        );
        return { ok: true as const };
      },
    );

    app.post("/invitations", { schema: { body: InvitationIn, response: { 200: InvitationOut } } }, async (req) =>
      accounts.createInvitation(ctx, requireActor(req.actor), req.body),
    );
    app.get("/invitations", { schema: { response: { 200: InvitationListOut } } }, async (req) => ({
      items: await accounts.listInvitations(ctx, requireActor(req.actor)),
    }));
    app.delete(
      "/invitations/:id",
      { schema: { params: z.object({ id: z.string().uuid() }), response: { 200: Ok } } },
      async (req) => {
        await accounts.revokeInvitation(ctx, requireActor(req.actor), req.params.id);
        return { ok: true as const };
      },
    );
    app.get(
      "/invitations/token/:token",
      { schema: { params: InvitationTokenParams, response: { 200: InvitationInfoOut } } },
      async (req) => accounts.describeInvitation(ctx, req.params.token),
    );
    app.post(
      "/invitations/token/:token/accept",
      {
        config: { csrfExempt: true, rateLimit: { max: ctx.config.loginRatePerMinute, timeWindow: 60_000 } },
        schema: { params: InvitationTokenParams, body: AcceptIn, response: { 200: SessionOut } },
      },
      async (req, reply) => {
        const { user, session } = await accounts.acceptInvitation(ctx, req.params.token, req.body);
        setSessionCookie(req, reply, session.token, session.expiresAt, ctx.config.publicUrl);
        return presentSession(user, session.csrfToken);
      },
    );
  };
