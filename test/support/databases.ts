import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { randomBytes } from "node:crypto";
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

let pgliteTemplate: Promise<PGlite> | null = null;

async function migratedPglite(): Promise<PGlite> {
  const db = await openPglite();
  await migrate(db);
  return db.pglite!;
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

/** A fresh, migrated database of the given kind; PGlite is cloned from a migrated template (faster than creating). */
export async function createTestDatabase(kind: Backend, options: TestDatabaseOptions = {}): Promise<Database> {
  if (kind === "pglite") {
    pgliteTemplate ??= migratedPglite();
    const clone = await (await pgliteTemplate).clone();
    return wrapPglite(clone as PGlite);
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

/** Closes the shared PGlite template of this test file. */
export async function closeTemplates(): Promise<void> {
  if (pgliteTemplate) await (await pgliteTemplate).close();
  pgliteTemplate = null;
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
