import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import * as spacesService from "./spaces.service";
import { on } from "../../platform/route";
import { spacesEndpoints } from "./spaces.schema";

/** Spaces and their members. */
export const spacesRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, spacesEndpoints.getSpaces, async (req) => ({
      items: await spacesService.listSpaces(ctx, requireActor(req.actor)),
    }));
    on(app, spacesEndpoints.postSpaces, async (req) =>
      spacesService.createSpace(ctx, requireActor(req.actor), req.body),
    );
    on(app, spacesEndpoints.getSpacesById, async (req) =>
      spacesService.getSpace(ctx, requireActor(req.actor), req.params.id),
    );
    on(app, spacesEndpoints.patchSpacesById, async (req) =>
      spacesService.updateSpace(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    on(app, spacesEndpoints.getSpacesMembers, async (req) => ({
      items: await spacesService.listMembers(ctx, requireActor(req.actor), req.params.id),
    }));
    on(app, spacesEndpoints.putSpacesMembersByUserId, async (req) => {
      await spacesService.setMember(ctx, requireActor(req.actor), req.params.id, req.params.userId, req.body);
      return { ok: true as const };
    });
    on(app, spacesEndpoints.deleteSpacesMembersByUserId, async (req) => {
      await spacesService.removeMember(ctx, requireActor(req.actor), req.params.id, req.params.userId);
      return { ok: true as const };
    });
  };
