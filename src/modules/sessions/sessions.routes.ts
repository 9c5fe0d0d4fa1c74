import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import { on } from "../../platform/route";
import { replyWithFile, uploadedFile } from "../knowledge/attachments.routes";
import { sessionsEndpoints as e } from "./sessions.schema";
import * as svc from "./sessions.service";

/** Knowledge-sharing sessions: announce, list, RSVP with a waiting list, attendance, .ics and the calendar feed. */
export const sessionsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    on(app, e.getSessions, async (req) => ({ items: await svc.listSessions(ctx, requireActor(req.actor), req.query) }));
    on(app, e.getSessionsSuggested, async (req) => ({
      items: await svc.suggestedSessions(ctx, requireActor(req.actor)),
    }));
    on(app, e.postSessions, async (req) => svc.createSession(ctx, requireActor(req.actor), req.body));
    on(app, e.getSessionsById, async (req) => svc.getSessionPage(ctx, requireActor(req.actor), req.params.id));
    on(app, e.putSessionsRsvp, async (req) => svc.rsvp(ctx, requireActor(req.actor), req.params.id, req.body));
    on(app, e.postSessionsCheckIn, async (req) => svc.checkIn(ctx, requireActor(req.actor), req.params.id, req.body));
    on(app, e.postSessionsKnowledge, async (req) =>
      svc.turnIntoKnowledge(ctx, requireActor(req.actor), req.params.id, req.body.spaceId),
    );
    on(app, e.getSessionsInviteIcs, async (req, reply) => {
      const ics = await svc.sessionIcs(ctx, requireActor(req.actor), req.params.id);
      return reply
        .header("content-type", "text/calendar; charset=utf-8")
        .header("content-disposition", `attachment; filename="session-${req.params.id}.ics"`)
        .send(ics);
    });
    on(app, e.getSessionsSoon, async (req) => ({ items: await svc.soonSessions(ctx, requireActor(req.actor)) }));
    on(app, e.getSessionsStats, async (req) => svc.sessionStats(ctx, requireActor(req.actor)));
    on(app, e.patchSessionsById, async (req) =>
      svc.updateSession(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    on(app, e.postSessionsCancel, async (req) => svc.cancelSession(ctx, requireActor(req.actor), req.params.id));
    on(app, e.postSessionsFiles, async (req) => {
      const actor = requireActor(req.actor);
      return svc.addSessionFile(ctx, actor, req.params.id, req.query, await uploadedFile(req, ctx));
    });
    // The file itself (200, or 206 for a byte range), served like article attachments.
    on(app, e.getSessionsFilesById, async (req, reply) => {
      const row = await svc.openSessionFile(ctx, requireActor(req.actor), req.params.id, req.params.fileId);
      const inline = /^(image|video)\//.test(row.mime) || row.mime === "application/pdf";
      return replyWithFile(ctx, reply, req.headers.range, { ...row, inline });
    });
    on(app, e.deleteSessionsFilesById, async (req) =>
      svc.deleteSessionFile(ctx, requireActor(req.actor), req.params.id, req.params.fileId),
    );
    on(app, e.postSessionsQuestions, async (req) =>
      svc.raiseQuestion(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    on(app, e.getCalendarSubscription, async (req) => svc.subscription(ctx, requireActor(req.actor)));
    on(app, e.postCalendarSubscription, async (req) => svc.newSubscription(ctx, requireActor(req.actor)));
    on(app, e.deleteCalendarSubscription, async (req) => svc.revokeSubscription(ctx, requireActor(req.actor)));
    // No cookie: calendar apps fetch it with the secret token alone.
    on(app, e.getCalendarSessionsIcs, async (req, reply) => {
      const ics = await svc.calendarFeed(ctx, req.params.token);
      return reply
        .header("content-type", "text/calendar; charset=utf-8")
        .header("cache-control", "private, no-store")
        .header("referrer-policy", "no-referrer")
        .send(ics);
    });
  };
