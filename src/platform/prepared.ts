import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import { parse, protocol, type PGlite, type QueryOptions, type Results } from "@electric-sql/pglite";
import type pg from "pg";

// Named prepared statements on both drivers: PostgreSQL plans a statement once per connection
// instead of on every request. The app's hot statements are large (an article view joins nine
// tables); on PGlite planning one cost 5–10 ms against ~1 ms to execute it (docs/ARCHITECTURE.md,
// "Under load"). Statements are named by a hash of their text, so the same text is the same
// statement; at most MAX_STATEMENTS per connection are kept, later ones run unnamed as before.

const MAX_STATEMENTS = 2000;

/** Switched off only by the queries bench, to measure the unnamed baseline in the same run. */
export const preparedStatements = { enabled: true };

/** A statement's name: a hash of its text (the same text always maps to the same name). */
function statementName(text: string): string {
  return `kh_${createHash("sha1").update(text).digest("base64url").slice(0, 20)}`;
}

// ---------- node-postgres ----------
type PgQueryConfig = { text: string; name?: string; values?: unknown[]; rowMode?: string; types?: unknown };
const pgNamed = new WeakMap<pg.Pool, Set<string>>();

/**
 * The arguments of a `pool.query` call with a statement name added (pg prepares a named statement
 * once per connection and then only binds and executes it).
 */
export function namePgQuery(pool: pg.Pool, args: unknown[]): unknown[] {
  const [first, second, ...rest] = args;
  if (typeof second === "function" || !preparedStatements.enabled) return args; // callback style: left alone
  const config: PgQueryConfig | null =
    typeof first === "string"
      ? { text: first }
      : first && typeof first === "object"
        ? { ...(first as PgQueryConfig) }
        : null;
  if (!config || config.name || typeof config.text !== "string") return args;
  let names = pgNamed.get(pool);
  if (!names) pgNamed.set(pool, (names = new Set()));
  const name = statementName(config.text);
  if (!names.has(name)) {
    if (names.size >= MAX_STATEMENTS) return args;
    names.add(name);
  }
  config.name = name;
  return [config, second, ...rest];
}

// ---------- PGlite ----------
type Prepared = {
  name: string;
  paramTypes: number[];
  /** The statement's row description (absent for statements returning no rows). */
  rowDescription: unknown;
};
const pgliteStatements = new WeakMap<PGlite, Map<string, Prepared>>();
type Parsers = NonNullable<QueryOptions["parsers"]>;

/**
 * The default parsers with the query's own on top. parseResults would spread both into a new
 * object on every call (some hundred entries); a prototype chain costs only the query's own
 * entries (drizzle passes four).
 */
function withParsers(client: PGlite, own: Parsers): Parsers {
  return Object.assign(Object.create(client.parsers) as Parsers, own);
}

// ---------- Oldest request first (PGlite) ----------
// PGlite runs one statement at a time. Queued first come, first served, a request of four
// statements queues four times behind every newer request's first statement, so under load every
// request takes about as long as the slowest and the tail grows to seconds. Statements of the
// database handle are served oldest request first instead: a request that has started finishes
// before newer ones start, the way a connection pool would keep it. (Transactions take PGlite's
// own lock and are not reordered.)
const requestStart = new AsyncLocalStorage<number>();
let arrivals = 0;

/** A new request's place in line. */
export function nextArrival(): number {
  return ++arrivals;
}

/** Runs `fn` (the rest of a request) with its place in line. */
export function inRequestOrder(order: number, fn: () => void): void {
  requestStart.run(order, fn);
}

type Waiter = { order: number; go: () => void };
type Line = { busy: boolean; waiting: Waiter[] };
const lines = new WeakMap<PGlite, Line>();

async function takeTurn(client: PGlite): Promise<() => void> {
  let line = lines.get(client);
  if (!line) lines.set(client, (line = { busy: false, waiting: [] }));
  const l = line;
  const release = () => {
    const next = l.waiting.shift();
    if (next) next.go();
    else l.busy = false;
  };
  if (!l.busy) {
    l.busy = true;
    return release;
  }
  // Outside a request (timers, start-up work): behind every request already waiting.
  const order = requestStart.getStore() ?? ++arrivals;
  await new Promise<void>((go) => {
    let at = l.waiting.length;
    while (at > 0 && l.waiting[at - 1].order > order) at--;
    l.waiting.splice(at, 0, { order, go });
  });
  return release;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

type Message = { name: string; dataTypeIDs?: number[] };

async function prepare(client: PGlite, text: string, name: string, options?: QueryOptions): Promise<Prepared> {
  const messages = (await client.execProtocolStream(
    concat([
      protocol.serialize.parse({ name, text, types: options?.paramTypes }),
      protocol.serialize.describe({ type: "S", name }),
      protocol.serialize.sync(),
    ]),
    { syncToFs: false },
  )) as unknown as Message[];
  const params = messages.find((m) => m.name === "parameterDescription");
  return {
    name,
    paramTypes: params?.dataTypeIDs ?? [],
    rowDescription: messages.find((m) => m.name === "rowDescription"),
  };
}

/**
 * `PGlite.query` through a named prepared statement: parsed and described once, then each call is
 * one Bind + Execute + Sync round trip into the engine (PGlite's own `query` makes six: parse,
 * describe, bind, describe, execute, sync — and plans the statement each time). Same locks, same
 * parsers and serializers, same result shape. Only for the database handle outside transactions.
 */
export async function pglitePreparedQuery<T>(
  client: PGlite,
  text: string,
  params: unknown[] = [],
  options?: QueryOptions,
): Promise<Results<T>> {
  if (options?.blob || !preparedStatements.enabled) return client.query<T>(text, params, options);
  let cache = pgliteStatements.get(client);
  if (!cache) pgliteStatements.set(client, (cache = new Map()));
  if (!cache.has(text) && cache.size >= MAX_STATEMENTS) return client.query<T>(text, params, options);
  await client.waitReady;
  const release = await takeTurn(client);
  try {
    return await runPrepared<T>(client, cache, text, params, options);
  } finally {
    release();
  }
}

async function runPrepared<T>(
  client: PGlite,
  cache: Map<string, Prepared>,
  text: string,
  params: unknown[],
  options: QueryOptions | undefined,
): Promise<Results<T>> {
  return client._runExclusiveTransaction(() =>
    client._runExclusiveQuery(async () => {
      let statement = cache.get(text);
      if (!statement) {
        statement = await prepare(client, text, statementName(text), options);
        cache.set(text, statement);
      }
      const values = params.map((value, i) => {
        if (value === null || value === undefined) return null;
        const type = statement.paramTypes[i];
        const serialize = options?.serializers?.[type] ?? client.serializers[type];
        return serialize ? serialize(value) : String(value as string);
      });
      const messages = (await client.execProtocolStream(
        concat([
          protocol.serialize.bind({ statement: statement.name, values }),
          protocol.serialize.execute({}),
          protocol.serialize.sync(),
        ]),
        { syncToFs: false },
      )) as unknown as Message[];
      if (!client.isInTransaction()) await client.syncToFs();
      const described = statement.rowDescription ? [statement.rowDescription, ...messages] : messages;
      const parsers = options?.parsers ? withParsers(client, options.parsers) : client.parsers;
      const rest = options?.parsers ? { ...options, parsers: undefined } : options;
      return parse.parseResults(described as never, parsers as never, rest)[0] as Results<T>;
    }),
  );
}
