import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { clearSessionCookie, setSessionCookie } from "../../platform/auth";
import { abilities, requireActor } from "../../authz/policy";
import { AppError } from "../../platform/errors";
import * as accounts from "./accounts.service";
import { LoginThrottle } from "./login-throttle";
import { presentUser, type UserRow } from "./users";
import { on } from "../../platform/route";
import { accountsEndpoints } from "./accounts.schema";

function presentSession(user: UserRow, csrfToken: string) {
  const actor = { id: user.id, role: user.role, name: user.name, knowledgeManager: user.knowledgeManager };
  return { user: presentUser(user), csrfToken, can: abilities(actor, { kind: "instance" }) };
}

/** Sign-in, sign-out, first-run setup, password change and invitations. */
export const accountsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const throttle = new LoginThrottle(ctx.config.loginFailuresPerAddressPerMinute);
    on(app, accountsEndpoints.getSetup, async () => ({
      needsSetup: await accounts.needsSetup(ctx),
    }));

    on(
      app,
      accountsEndpoints.postSetup,
      async (req, reply) => {
        const { user, session } = await accounts.setupFirstAdmin(ctx, req.body);
        setSessionCookie(req, reply, session.token, session.expiresAt, ctx.config.publicUrl);
        return presentSession(user, session.csrfToken);
      },
      { config: { csrfExempt: true } },
    );

    on(
      app,
      accountsEndpoints.postAuthLogin,
      async (req, reply) => {
        throttle.check(req.ip);
        const { user, session } = await accounts
          .login(ctx, req.body.email, req.body.password, req.ip)
          .catch((e: unknown) => {
            if (e instanceof AppError && e.code === "unauthenticated") throttle.fail(req.ip);
            throw e;
          });
        setSessionCookie(req, reply, session.token, session.expiresAt, ctx.config.publicUrl);
        return presentSession(user, session.csrfToken);
      },
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
      },
    );

    on(app, accountsEndpoints.postAuthLogout, async (req, reply) => {
      if (req.session) await accounts.logout(ctx, req.session.tokenHash);
      clearSessionCookie(reply);
      return { ok: true as const };
    });

    on(app, accountsEndpoints.getAuthMe, async (req) => {
      const actor = requireActor(req.actor);
      const user = await accounts.currentUser(ctx, actor);
      if (!user || !req.session) throw new AppError("unauthenticated", "Sign in to continue");
      return presentSession(user, req.session.csrfToken);
    });

    on(
      app,
      accountsEndpoints.postAuthPassword,
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
      { config: { rateLimit: { max: ctx.config.loginRatePerMinute, timeWindow: 60_000 } } },
    );

    on(app, accountsEndpoints.postInvitations, async (req) =>
      accounts.createInvitation(ctx, requireActor(req.actor), req.body),
    );
    on(app, accountsEndpoints.getInvitations, async (req) => ({
      items: await accounts.listInvitations(ctx, requireActor(req.actor)),
    }));
    on(app, accountsEndpoints.deleteInvitationsById, async (req) => {
      await accounts.revokeInvitation(ctx, requireActor(req.actor), req.params.id);
      return { ok: true as const };
    });
    on(app, accountsEndpoints.getInvitationsTokenByToken, async (req) =>
      accounts.describeInvitation(ctx, req.params.token),
    );
    on(
      app,
      accountsEndpoints.postInvitationsTokenAccept,
      async (req, reply) => {
        const { user, session } = await accounts.acceptInvitation(ctx, req.params.token, req.body);
        setSessionCookie(req, reply, session.token, session.expiresAt, ctx.config.publicUrl);
        return presentSession(user, session.csrfToken);
      },
      { config: { csrfExempt: true, rateLimit: { max: ctx.config.loginRatePerMinute, timeWindow: 60_000 } } },
    );
  };
