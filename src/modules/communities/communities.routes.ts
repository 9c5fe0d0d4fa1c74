import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { OkOut } from "../../platform/contracts";
import {
  CommunityIdParams,
  CommunityIn,
  CommunityListOut,
  CommunityOut,
  CommunityPageOut,
  FollowQuestionsIn,
  MemberIn,
  MemberParams,
  PinIn,
  PinParams,
  SuggestionsOut,
} from "./communities.schema";
import * as svc from "./communities.service";

/** Communities of practice: list, create, the community page, membership, pins and suggestions. */
export const communitiesRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get("/communities", { schema: { response: { 200: CommunityListOut } } }, async (req) => ({
      items: await svc.listCommunities(ctx, requireActor(req.actor)),
    }));
    app.post("/communities", { schema: { body: CommunityIn, response: { 200: CommunityOut } } }, async (req) =>
      svc.createCommunity(ctx, requireActor(req.actor), req.body),
    );
    app.get("/communities/suggestions", { schema: { response: { 200: SuggestionsOut } } }, async (req) => ({
      items: await svc.suggestionsFor(ctx, requireActor(req.actor)),
    }));
    app.get(
      "/communities/:id",
      { schema: { params: CommunityIdParams, response: { 200: CommunityPageOut } } },
      async (req) => svc.getCommunityPage(ctx, requireActor(req.actor), req.params.id),
    );
    app.post(
      "/communities/:id/join",
      { schema: { params: CommunityIdParams, response: { 200: CommunityOut } } },
      async (req) => svc.joinCommunity(ctx, requireActor(req.actor), req.params.id),
    );
    app.post(
      "/communities/:id/leave",
      { schema: { params: CommunityIdParams, response: { 200: OkOut } } },
      async (req) => svc.leaveCommunity(ctx, requireActor(req.actor), req.params.id),
    );
    app.put(
      "/communities/:id/follow",
      { schema: { params: CommunityIdParams, body: FollowQuestionsIn, response: { 200: CommunityOut } } },
      async (req) => svc.followQuestions(ctx, requireActor(req.actor), req.params.id, req.body.follow),
    );
    app.put(
      "/communities/:id/members/:userId",
      { schema: { params: MemberParams, body: MemberIn, response: { 200: OkOut } } },
      async (req) => svc.setMember(ctx, requireActor(req.actor), req.params.id, req.params.userId, req.body),
    );
    app.delete(
      "/communities/:id/members/:userId",
      { schema: { params: MemberParams, response: { 200: OkOut } } },
      async (req) => svc.removeMember(ctx, requireActor(req.actor), req.params.id, req.params.userId),
    );
    app.post(
      "/communities/:id/pins",
      { schema: { params: CommunityIdParams, body: PinIn, response: { 200: OkOut } } },
      async (req) => svc.pin(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    app.delete(
      "/communities/:id/pins/:pinId",
      { schema: { params: PinParams, response: { 200: OkOut } } },
      async (req) => svc.unpin(ctx, requireActor(req.actor), req.params.id, req.params.pinId),
    );
  };
