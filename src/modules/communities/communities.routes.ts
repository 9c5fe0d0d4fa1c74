import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { on } from "../../platform/route";
import { communitiesEndpoints as e } from "./communities.schema";
import * as svc from "./communities.service";

/**
 * Communities of practice: list, create, settings, the community page, membership and invitations,
 * pins, suggestions (for a person, for a problem) and communities that should exist.
 */
export const communitiesRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, e.getCommunities, async (req) => ({ items: await svc.listCommunities(ctx, requireActor(req.actor)) }));
    on(app, e.postCommunities, async (req) => svc.createCommunity(ctx, requireActor(req.actor), req.body));
    on(app, e.getCommunitiesSuggestions, async (req) => ({
      items: await svc.suggestionsFor(ctx, requireActor(req.actor)),
    }));
    on(app, e.getCommunitiesForProblem, async (req) => ({
      items: await svc.communitiesForProblemText(ctx, requireActor(req.actor), req.query.q, req.query.tags),
    }));
    on(app, e.getCommunitiesCandidates, async (req) => ({
      items: await svc.candidateCommunities(ctx, requireActor(req.actor)),
    }));
    on(app, e.postCommunitiesCandidates, async (req) =>
      svc.createFromCandidate(ctx, requireActor(req.actor), req.body),
    );
    on(app, e.getCommunitiesInvitations, async (req) => ({
      items: await svc.invitations(ctx, requireActor(req.actor)),
    }));
    on(app, e.getPeopleCommunities, async (req) => ({
      items: await svc.communitiesOfPerson(ctx, requireActor(req.actor), req.params.id),
    }));
    on(app, e.patchCommunitiesById, async (req) =>
      svc.updateCommunity(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    on(app, e.postCommunitiesAccept, async (req) => svc.acceptInvitation(ctx, requireActor(req.actor), req.params.id));
    on(app, e.postCommunitiesDecline, async (req) =>
      svc.declineInvitation(ctx, requireActor(req.actor), req.params.id),
    );
    on(app, e.getCommunitiesById, async (req) => svc.getCommunityPage(ctx, requireActor(req.actor), req.params.id));
    on(app, e.postCommunitiesJoin, async (req) => svc.joinCommunity(ctx, requireActor(req.actor), req.params.id));
    on(app, e.postCommunitiesLeave, async (req) => svc.leaveCommunity(ctx, requireActor(req.actor), req.params.id));
    on(app, e.putCommunitiesFollow, async (req) =>
      svc.followQuestions(ctx, requireActor(req.actor), req.params.id, req.body.follow),
    );
    on(app, e.putCommunitiesMembersByUserId, async (req) =>
      svc.setMember(ctx, requireActor(req.actor), req.params.id, req.params.userId, req.body),
    );
    on(app, e.deleteCommunitiesMembersByUserId, async (req) =>
      svc.removeMember(ctx, requireActor(req.actor), req.params.id, req.params.userId),
    );
    on(app, e.postCommunitiesPins, async (req) => svc.pin(ctx, requireActor(req.actor), req.params.id, req.body));
    on(app, e.deleteCommunitiesPinsByPinId, async (req) =>
      svc.unpin(ctx, requireActor(req.actor), req.params.id, req.params.pinId),
    );
  };
