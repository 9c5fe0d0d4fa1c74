import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { MemberIn, MembersOut, SpaceIn, SpaceListOut, SpaceOut, SpacePatch } from "./spaces.schema";
import { OkOut } from "../../platform/contracts";
import * as spacesService from "./spaces.service";

const Id = z.object({ id: z.string().uuid() });
const Member = z.object({ id: z.string().uuid(), userId: z.string().uuid() });

/** Spaces and their members. */
export const spacesRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get("/spaces", { schema: { response: { 200: SpaceListOut } } }, async (req) => ({
      items: await spacesService.listSpaces(ctx, requireActor(req.actor)),
    }));
    app.post("/spaces", { schema: { body: SpaceIn, response: { 200: SpaceOut } } }, async (req) =>
      spacesService.createSpace(ctx, requireActor(req.actor), req.body),
    );
    app.get("/spaces/:id", { schema: { params: Id, response: { 200: SpaceOut } } }, async (req) =>
      spacesService.getSpace(ctx, requireActor(req.actor), req.params.id),
    );
    app.patch("/spaces/:id", { schema: { params: Id, body: SpacePatch, response: { 200: SpaceOut } } }, async (req) =>
      spacesService.updateSpace(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    app.get("/spaces/:id/members", { schema: { params: Id, response: { 200: MembersOut } } }, async (req) => ({
      items: await spacesService.listMembers(ctx, requireActor(req.actor), req.params.id),
    }));
    app.put(
      "/spaces/:id/members/:userId",
      { schema: { params: Member, body: MemberIn, response: { 200: OkOut } } },
      async (req) => {
        await spacesService.setMember(ctx, requireActor(req.actor), req.params.id, req.params.userId, req.body);
        return { ok: true as const };
      },
    );
    app.delete("/spaces/:id/members/:userId", { schema: { params: Member, response: { 200: OkOut } } }, async (req) => {
      await spacesService.removeMember(ctx, requireActor(req.actor), req.params.id, req.params.userId);
      return { ok: true as const };
    });
  };
