import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import type { AppEvent } from "../../platform/events";
import { declineRequest, forwardRequest, inbox } from "./routing.service";
import { on } from "../../platform/route";
import { routingEndpoints } from "./routing.schema";
const HEARTBEAT_MS = 25_000;

/** Routed requests: the expert's inbox, decline, forward, and the live event stream (server-sent events). */
export const routingRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const streams = new Set<() => void>();
    // Open streams would keep the server from closing: end them first.
    app.addHook("preClose", async () => {
      for (const end of [...streams]) end();
    });
    on(app, routingEndpoints.getInbox, async (req) => inbox(ctx, requireActor(req.actor), req.query));
    on(app, routingEndpoints.postRoutingRequestsDecline, async (req) =>
      declineRequest(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    on(app, routingEndpoints.postRoutingRequestsForward, async (req) =>
      forwardRequest(ctx, requireActor(req.actor), req.params.id, req.body),
    );

    // One stream per open page. Only events addressed to the signed-in person are sent; they carry
    // ids only, and the page loads the rest through the normal (authorised) API.
    // The stream is not JSON: documented as text/event-stream (the handler writes to the raw response).
    on(app, routingEndpoints.getEvents, async (req, reply) => {
      const actor = requireActor(req.actor);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
        "x-content-type-options": "nosniff",
      });
      res.write(`retry: 3000\n: connected\n\n`);
      const send = (event: AppEvent) => {
        if (!event.userIds?.includes(actor.id)) return;
        res.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data ?? {})}\n\n`);
      };
      const unsubscribe = ctx.events.subscribe(send);
      await ctx.events.ready().catch(() => undefined);
      res.write(`event: ready\ndata: {}\n\n`);
      const heartbeat = setInterval(() => res.write(`: keep-alive\n\n`), HEARTBEAT_MS);
      heartbeat.unref();
      const stop = () => {
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(end);
      };
      const end = () => {
        stop();
        res.end();
      };
      streams.add(end);
      req.raw.on("close", stop);
    });
  };
