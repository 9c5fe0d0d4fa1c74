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
export async function createEventBus(database: Database): Promise<EventBus> {
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
      close: async () => {
        emitter.removeAllListeners();
      },
    };
  }
  const listener = new pg.Client({ connectionString: database.url });
  await listener.connect();
  listener.on("notification", (msg) => {
    if (msg.channel !== CHANNEL || !msg.payload) return;
    try {
      deliver(JSON.parse(msg.payload) as AppEvent);
    } catch {
      // A malformed payload is not ours to handle; ignore it.
    }
  });
  await listener.query(`LISTEN ${CHANNEL}`);
  return {
    async publish(event, executor) {
      const payload = JSON.stringify(event);
      if (payload.length > MAX_PAYLOAD) throw new Error(`event ${event.type} is too large for pg_notify (${payload.length} bytes)`);
      await (executor ?? database.db).execute(sql`select pg_notify(${CHANNEL}, ${payload})`);
    },
    subscribe,
    async close() {
      emitter.removeAllListeners();
      await listener.end().catch(() => undefined);
    },
  };
}
