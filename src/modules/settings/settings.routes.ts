import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { on } from "../../platform/route";
import { settingsEndpoints as e } from "./settings.schema";
import * as svc from "./settings.service";

/** The organisation's settings: read by everyone signed in, changed by admins. */
export const settingsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, e.getSettings, async (req) => svc.getSettings(ctx, requireActor(req.actor)));
    on(app, e.patchSettings, async (req) => svc.updateSettings(ctx, requireActor(req.actor), req.body));
  };
