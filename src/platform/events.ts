import { EventEmitter } from "node:events";
import pg from "pg";
import { sql } from "drizzle-orm";
import type { Database, Executor } from "./db";

export type AppEvent = { type: string; userIds?: string[]; data?: Record<string, unknown> };
type Handler = (event: AppEvent) => void;

export type EventBus = {
  /** Publishes an event; inside a transaction it is delivered only if and when that commits (PostgreSQL). */
  publish: (event: AppEvent, executor?: Executor) => Promise<void>;
  subscribe: (handler: Handler) => () => void;
  /** Resolves when the bus is listening (on PostgreSQL: the LISTEN connection is up). */
  ready: () => Promise<void>;
  close: () => Promise<void>;
};

const CHANNEL = "knowhow_events";
// pg_notify payloads are limited to 8000 bytes; events carry ids, receivers load the rest.
const MAX_PAYLOAD = 7900;

/**
 * Real-time events across processes. On PostgreSQL every instance LISTENs on one channel and
 * events are sent with pg_notify, so a browser connected to instance B hears what happened on
 * instance A. PGlite is one process by construction, so an in-process emitter is enough.
 */
export function createEventBus(database: Database): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const deliver = (event: AppEvent) => emitter.emit("event", event);
  const subscribe = (handler: Handler) => {
    emitter.on("event", handler);
    return () => emitter.off("event", handler);
  };
  if (database.kind !== "postgres" || !database.url) {
    return {
      publish: async (event) => {
        queueMicrotask(() => deliver(event));
      },
      subscribe,
      ready: async () => undefined,
      close: async () => {
        emitter.removeAllListeners();
      },
    };
  }
  let closed = false;
  let listener: pg.Client | null = null;
  // One dedicated connection LISTENs; if it drops (server restart), it reconnects with backoff.
  const connect = async (attempt = 0): Promise<void> => {
    if (closed) return;
    const client = new pg.Client({ connectionString: database.url });
    client.on("notification", (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      try {
        deliver(JSON.parse(msg.payload) as AppEvent);
      } catch {
        // A malformed payload is not ours to handle; ignore it.
      }
    });
    client.on("error", () => {
      if (listener === client) listener = null;
      void client.end().catch(() => undefined);
      setTimeout(() => void connect(0).catch(() => undefined), 1000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (closed) {
        await client.end();
        return;
      }
      listener = client;
    } catch (e) {
      await client.end().catch(() => undefined);
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      return connect(attempt + 1);
    }
  };
  // Connected on first use, so a CLI command that only publishes never holds a connection open.
  let started: Promise<void> | null = null;
  const start = () => {
    started ??= connect();
    started.catch(() => undefined);
    return started;
  };
  return {
    async publish(event, executor) {
      const payload = JSON.stringify(event);
      if (payload.length > MAX_PAYLOAD)
        throw new Error(`event ${event.type} is too large for pg_notify (${payload.length} bytes)`);
      await (executor ?? database.db).execute(sql`select pg_notify(${CHANNEL}, ${payload})`);
    },
    subscribe(handler) {
      void start();
      return subscribe(handler);
    },
    ready: () => start(),
    async close() {
      closed = true;
      emitter.removeAllListeners();
      await started?.catch(() => undefined);
      await listener?.end().catch(() => undefined);
    },
  };
}
