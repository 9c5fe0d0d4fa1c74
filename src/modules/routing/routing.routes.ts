import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context";
import { requireActor } from "../../authz/policy";
import type { AppEvent } from "../../platform/events";
import { rawResponse } from "../../platform/contracts";
import { declineRequest, forwardRequest, inbox } from "./routing.service";
import { DeclineIn, DeclineOut, ForwardIn, ForwardOut, InboxOut, InboxQuery } from "./routing.schema";

const Id = z.object({ id: z.string().uuid() });
const HEARTBEAT_MS = 25_000;
const EventStreamOut = rawResponse(
  "text/event-stream",
  "Server-sent events addressed to the signed-in person (ids only), a heartbeat every 25 s",
);

/** Routed requests: the expert's inbox, decline, forward, and the live event stream (server-sent events). */
export const routingRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const streams = new Set<() => void>();
    // Open streams would keep the server from closing: end them first.
    app.addHook("preClose", async () => {
      for (const end of [...streams]) end();
    });
    app.get("/inbox", { schema: { querystring: InboxQuery, response: { 200: InboxOut } } }, async (req) =>
      inbox(ctx, requireActor(req.actor), req.query),
    );
    app.post(
      "/routing/requests/:id/decline",
      { schema: { params: Id, body: DeclineIn, response: { 200: DeclineOut } } },
      async (req) => declineRequest(ctx, requireActor(req.actor), req.params.id, req.body),
    );
    app.post(
      "/routing/requests/:id/forward",
      { schema: { params: Id, body: ForwardIn, response: { 200: ForwardOut } } },
      async (req) => forwardRequest(ctx, requireActor(req.actor), req.params.id, req.body),
    );

    // One stream per open page. Only events addressed to the signed-in person are sent; they carry
    // ids only, and the page loads the rest through the normal (authorised) API.
    // The stream is not JSON: documented as text/event-stream (the handler writes to the raw response).
    app.get("/events", { schema: { response: { 200: EventStreamOut } } }, async (req, reply) => {
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
