import { dropPostgresTemplate, preparePostgresTemplate } from "./databases";

/** Vitest global setup: decides whether the PostgreSQL half runs, and prepares its template. */
export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env.KNOWHOW_TEST_PG === "0") return;
  process.env.KNOWHOW_TEST_TEMPLATE_DB ??= `knowhow_test_template_${process.pid}`;
  const ok = await preparePostgresTemplate();
  process.env.KNOWHOW_TEST_PG = ok ? "1" : "0";
  if (!ok) {
    if (process.env.KNOWHOW_REQUIRE_PG === "1")
      throw new Error("PostgreSQL is required (KNOWHOW_REQUIRE_PG=1) but did not answer at 127.0.0.1:5432");
    console.warn(
      "\n*** PostgreSQL server not reachable: the PostgreSQL half of the database tests is SKIPPED (PGlite half runs). ***\n",
    );
  }
  return ok ? dropPostgresTemplate : undefined;
}
