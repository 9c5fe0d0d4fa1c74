import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import pg from "pg";
import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as schema from "../../db/schema";
import { lockDataDir } from "./data-lock";
import { namePgQuery, pglitePreparedQuery } from "./prepared";

type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Anything that runs statements: the database or an open transaction. */
export type Executor = Db | Tx;

export type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  /** The raw PGlite instance (embedded) — for cloning in tests and LISTEN-less setups. */
  pglite?: PGlite;
  /** The pg pool (server). */
  pool?: pg.Pool;
  /** The server URL, for the dedicated LISTEN connection of the event bus. */
  url?: string;
  close: () => Promise<void>;
  /**
   * Calls `fn` with the text and duration of every statement sent through the database handle
   * (not inside transactions) until the returned function is called — for query-count tests and
   * the queries bench.
   */
  observe: (fn: StatementObserver) => () => void;
};

export type StatementObserver = (text: string, ms: number) => void;

const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../db/migrations");

/**
 * Opens an embedded PGlite database in `dir` (or in memory when dir is undefined). A folder is
 * locked for this process first: a second process gets DataDirInUseError naming the first
 * (`command` says what this process is, for that message).
 */
export async function openPglite(dir?: string, command = "serve"): Promise<Database> {
  if (!dir) return wrapPglite(await PGlite.create());
  mkdirSync(dir, { recursive: true });
  const release = lockDataDir(dir, command);
  try {
    const database = wrapPglite(await PGlite.create(dir));
    const close = database.close;
    return { ...database, close: async () => (await close(), release()) };
  } catch (e) {
    release();
    throw e;
  }
}

// ---------- No query on the outer handle inside a transaction ----------
// PGlite has one connection: a query on the database handle while a transaction of the same
// request is open waits for that transaction, which waits for the query — the whole server hangs.
// On a server it reads outside the transaction (missing its own writes, taking another connection).
// So every transaction marks its async context, and the outer handle refuses to run in it: the
// mistake fails at once, in tests on either database, instead of freezing production.
const openTransaction = new AsyncLocalStorage<{ open: boolean }>();

export class OuterHandleInTransactionError extends Error {
  constructor(what: string) {
    super(`${what} on the database handle inside an open transaction: pass the transaction (tx) down instead`);
    this.name = "OuterHandleInTransactionError";
  }
}

function assertNoOpenTransaction(what: string): void {
  if (openTransaction.getStore()?.open) throw new OuterHandleInTransactionError(what);
}

/**
 * The driver client, with its query methods refusing to run inside a transaction's async context;
 * `query` runs as a named prepared statement (src/platform/prepared.ts).
 */
function guardClient<T extends object>(
  client: T,
  queryMethods: readonly string[],
  prepared: (target: T, args: unknown[]) => Promise<unknown>,
  observers: Set<StatementObserver>,
): T {
  const observed = async (args: unknown[], run: Promise<unknown>) => {
    const t0 = performance.now();
    try {
      return await run;
    } finally {
      const first = args[0] as string | { text?: string };
      const text = typeof first === "string" ? first : String(first?.text ?? "");
      for (const fn of observers) fn(text, performance.now() - t0);
    }
  };
  return new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function") return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (typeof prop === "string" && queryMethods.includes(prop)) {
        return (...args: unknown[]) => {
          assertNoOpenTransaction(`A query (${prop})`);
          if (prop !== "query") return fn.apply(target, args);
          return observers.size ? observed(args, prepared(target, args)) : prepared(target, args);
        };
      }
      return fn.bind(target);
    },
  });
}

/** Marks the async context of every transaction; a transaction opened inside another on the outer handle fails too. */
function guardTransactions(db: Db): Db {
  const original = db.transaction.bind(db);
  const guarded = async (...args: Parameters<Db["transaction"]>) => {
    assertNoOpenTransaction("A new transaction");
    const marker = { open: true };
    try {
      return await openTransaction.run(marker, () => original(...args));
    } finally {
      // Work started inside and still running later (a background task) may use the handle again.
      marker.open = false;
    }
  };
  db.transaction = guarded as Db["transaction"];
  return db;
}

function observeWith(observers: Set<StatementObserver>): Database["observe"] {
  return (fn) => {
    observers.add(fn);
    return () => void observers.delete(fn);
  };
}

/** Wraps an existing PGlite instance (a clone in tests). */
export function wrapPglite(client: PGlite): Database {
  const observers = new Set<StatementObserver>();
  const db = guardTransactions(
    drizzlePglite(
      guardClient(
        client,
        ["query", "exec"],
        (c, args) => pglitePreparedQuery(c, args[0] as string, args[1] as unknown[], args[2] as never),
        observers,
      ),
      { schema },
    ) as unknown as Db,
  );
  return { db, kind: "pglite", pglite: client, close: () => client.close(), observe: observeWith(observers) };
}

/** Connects to a PostgreSQL server. */
export async function openPostgres(url: string, max = 10): Promise<Database> {
  // Dates come back as timestamptz strings and bigint counts as numbers where safe.
  pg.types.setTypeParser(20, (v) => Number(v));
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection the server drops (a restart, a terminated backend) is replaced by the pool;
  // without a listener its error would be thrown and end the process.
  pool.on("error", (err) => console.error(`PostgreSQL connection lost (the pool opens a new one): ${err.message}`));
  // pool.end() resolves once every connection is asked to close; close() waits until they have,
  // so nothing of this pool is left when the caller goes on (drops the database, exits).
  let open = 0;
  let allClosed: (() => void) | null = null;
  pool.on("connect", () => open++);
  pool.on("remove", () => {
    if (--open === 0) allClosed?.();
  });
  const close = async () => {
    const closed = open > 0 ? new Promise<void>((resolve) => (allClosed = resolve)) : Promise.resolve();
    await pool.end();
    await closed;
  };
  const observers = new Set<StatementObserver>();
  const probe = await pool.connect();
  probe.release();
  const db = guardTransactions(
    drizzlePg(
      guardClient(
        pool,
        ["query"],
        (p, args) => (p.query as (...a: unknown[]) => Promise<unknown>).apply(p, namePgQuery(p, args)),
        observers,
      ),
      { schema },
    ) as unknown as Db,
  );
  return { db, kind: "postgres", pool, url, close, observe: observeWith(observers) };
}

/** Applies pending migrations (forward-only, one history for both backends). */
export async function migrate(database: Database): Promise<void> {
  if (database.kind === "pglite") {
    await migratePglite(database.db as never, { migrationsFolder });
  } else {
    // Two app instances starting together must not both migrate.
    const client = await database.pool!.connect();
    try {
      await client.query("select pg_advisory_lock(727001)");
      // The migrator runs on the locked connection itself (a pool of one would otherwise deadlock).
      await migratePg(drizzlePg(client), { migrationsFolder });
    } finally {
      await client.query("select pg_advisory_unlock(727001)").catch(() => undefined);
      client.release();
    }
  }
}

/** Opens the configured database: PostgreSQL when a URL is given, else PGlite under dataDir/db. */
export async function openDatabase(
  options: { databaseUrl?: string; dataDir: string },
  command = "serve",
): Promise<Database> {
  const database = options.databaseUrl
    ? await openPostgres(options.databaseUrl)
    : await openPglite(path.join(options.dataDir, "db"), command);
  await migrate(database);
  return database;
}

/** Rows of a raw statement, the same shape on both drivers. */
export async function rows<T>(executor: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown as { rows: T[] } | T[];
  return Array.isArray(result) ? result : result.rows;
}

/** Fails when the database does not answer (the health check). */
export async function ping(executor: Executor): Promise<void> {
  await executor.execute(sql`select 1`);
}
