import { sql, type SQL } from "drizzle-orm";
import type { Database } from "./db";
import { rows } from "./db";

/**
 * The access epoch (migration 20261202182954_access_epoch): a number that changes whenever a
 * session is opened or ended, a user's role, name, knowledge-manager flag or deactivation
 * changes, or a space, a community (migration 20261203062415_communities) or their members change —
 * moved by database triggers, so no write path can
 * forget it. A cache of anything derived from those (signed-in sessions) keeps the epoch it was
 * filled at and is refilled when `current()` differs: a permission change is seen by the very
 * next request, on every instance.
 *
 * - PGlite (one process): the trigger's NOTIFY reaches this process before the writing statement
 *   or transaction resolves, so a counter kept here is exact and reading it costs nothing.
 * - PostgreSQL (several instances): a notification from another instance arrives a moment after
 *   its commit, so every request reads the row itself — one primary-key lookup of a prepared
 *   statement (~0.06 ms), exact across instances.
 */
export type AccessEpoch = {
  current: () => Promise<number>;
  /**
   * On PostgreSQL: an SQL expression reading the epoch, so a cache miss can read it in the same
   * statement (and snapshot) as what it caches. Null where the epoch is kept in process.
   */
  column: SQL | null;
  close: () => Promise<void>;
};

export function createAccessEpoch(database: Database): AccessEpoch {
  if (database.kind === "pglite" && database.pglite) {
    const client = database.pglite;
    let counter = 0;
    let listening = false;
    let fresh = 0;
    let unlisten: (() => Promise<void>) | null = null;
    const ready = client
      .listen("knowhow_access", () => {
        counter++;
      })
      .then((stop) => {
        unlisten = stop;
        listening = true;
      })
      .catch(() => undefined);
    return {
      // Until the LISTEN is in place every call is a new epoch: nothing is served from a cache.
      current: async () => (listening ? counter : --fresh),
      column: null,
      close: async () => {
        await ready;
        await unlisten?.().catch(() => undefined);
      },
    };
  }
  return {
    current: async () => {
      const found = await rows<{ n: number }>(database.db, sql`select n from access_epoch where id = 1`);
      return Number(found[0]?.n ?? 0);
    },
    column: sql`(select n from access_epoch where id = 1)`,
    close: async () => undefined,
  };
}
