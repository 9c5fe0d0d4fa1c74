import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { migrate, openPglite, openPostgres, wrapPglite, type Database } from "../../src/platform/db";

export type Backend = "pglite" | "postgres";

export const PG_URL = process.env.KNOWHOW_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
/**
 * The migrated template database of this test run. Each run (global setup) names its own, so two
 * runs on one server — a developer's and CI's — never drop each other's template.
 */
export function templateDb(): string {
  return process.env.KNOWHOW_TEST_TEMPLATE_DB ?? "knowhow_test_template";
}

/** The backends the database tests run on: PGlite always, the PostgreSQL server when it answers. */
export function testBackends(): Backend[] {
  return process.env.KNOWHOW_TEST_PG === "1" ? ["pglite", "postgres"] : ["pglite"];
}

/**
 * The migrated PGlite data directory of this test run, as a tarball written once by the global
 * setup (KNOWHOW_TEST_PGLITE_DUMP). Each test database starts from it, and each test process
 * compiles PGlite's WebAssembly once: starting from a dump skips initdb and the migrations, which
 * were most of a test file's setup.
 */
type PgliteStart = {
  loadDataDir: Blob;
  pgliteWasmModule: WebAssembly.Module;
  initdbWasmModule: WebAssembly.Module;
  fsBundle: Blob;
};
let pgliteStart: Promise<PgliteStart> | null = null;

const pgliteDist = () => path.dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite"));

async function startingPoint(): Promise<PgliteStart> {
  const dumpFile = process.env.KNOWHOW_TEST_PGLITE_DUMP;
  const loadDataDir = dumpFile && existsSync(dumpFile) ? new Blob([readFileSync(dumpFile)]) : await migratedDump();
  const dist = pgliteDist();
  return {
    loadDataDir,
    pgliteWasmModule: await WebAssembly.compile(readFileSync(path.join(dist, "pglite.wasm"))),
    initdbWasmModule: await WebAssembly.compile(readFileSync(path.join(dist, "initdb.wasm"))),
    fsBundle: new Blob([readFileSync(path.join(dist, "pglite.data"))]),
  };
}

/** A freshly migrated PGlite data directory as a tarball. */
async function migratedDump(): Promise<Blob> {
  const db = await openPglite();
  try {
    await migrate(db);
    return await db.pglite!.dumpDataDir("none");
  } finally {
    await db.close();
  }
}

/** Writes the migrated PGlite dump for every test process of this run (global setup); returns its path. */
export async function preparePgliteDump(file: string): Promise<string> {
  writeFileSync(file, Buffer.from(await (await migratedDump()).arrayBuffer()));
  return file;
}

function urlFor(name: string): string {
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export type TestDatabaseOptions = {
  /** Connections of the PostgreSQL pool (default 4); concurrency tests raise it for real parallelism. */
  poolMax?: number;
};

/** A fresh, migrated database of the given kind, started from this run's migrated template. */
export async function createTestDatabase(kind: Backend, options: TestDatabaseOptions = {}): Promise<Database> {
  if (kind === "pglite") {
    pgliteStart ??= startingPoint();
    return wrapPglite(await PGlite.create({ ...(await pgliteStart) }));
  }
  const name = `knowhow_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${templateDb()}`);
  } finally {
    await admin.end();
  }
  const database = await openPostgres(urlFor(name), options.poolMax ?? 4);
  return {
    ...database,
    close: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
      await c.end();
    },
  };
}

/** Lets go of this test file's PGlite starting point (each database is closed by its own test). */
export async function closeTemplates(): Promise<void> {
  pgliteStart = null;
}

/** Builds the migrated PostgreSQL template database once per test run (global setup). */
export async function preparePostgresTemplate(): Promise<boolean> {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    return false;
  }
  try {
    await admin.query(`drop database if exists ${templateDb()} with (force)`);
    await admin.query(`create database ${templateDb()}`);
  } finally {
    await admin.end();
  }
  const db = await openPostgres(urlFor(templateDb()), 1);
  await migrate(db);
  await db.close();
  return true;
}

/** Drops this run's template database (global teardown). */
export async function dropPostgresTemplate(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
    await admin.query(`drop database if exists ${templateDb()} with (force)`);
  } catch {
    // The server went away; nothing to clean.
  } finally {
    await admin.end().catch(() => undefined);
  }
}
