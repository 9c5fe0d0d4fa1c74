import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { dropPostgresTemplate, preparePgliteDump, preparePostgresTemplate } from "./databases";

/**
 * Vitest global setup: migrates once per run — a PGlite data directory dumped to a file, and a
 * PostgreSQL template database when the server answers — so every test database starts migrated.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const dir = mkdtempSync(path.join(tmpdir(), "knowhow-test-run-"));
  process.env.KNOWHOW_TEST_PGLITE_DUMP = await preparePgliteDump(path.join(dir, "migrated.tar"));
  let pgReady = false;
  if (process.env.KNOWHOW_TEST_PG !== "0") {
    process.env.KNOWHOW_TEST_TEMPLATE_DB ??= `knowhow_test_template_${process.pid}`;
    pgReady = await preparePostgresTemplate();
    process.env.KNOWHOW_TEST_PG = pgReady ? "1" : "0";
    if (!pgReady) {
      if (process.env.KNOWHOW_REQUIRE_PG === "1")
        throw new Error("PostgreSQL is required (KNOWHOW_REQUIRE_PG=1) but did not answer at 127.0.0.1:5432");
      console.warn(
        "\n*** PostgreSQL server not reachable: the PostgreSQL half of the database tests is SKIPPED (PGlite half runs). ***\n",
      );
    }
  }
  return async () => {
    if (pgReady) await dropPostgresTemplate();
    rmSync(dir, { recursive: true, force: true });
  };
}
