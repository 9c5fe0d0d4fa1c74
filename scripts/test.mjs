#!/usr/bin/env node
// `npm test`: the whole suite — unit and integration tests (PGlite, and the PostgreSQL server
// when it answers), then the browser journeys in Debian's Chromium. Ends with one plain line
// "N passed, N failed, N skipped" summing every part.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, ".test-results");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const vitest = path.join(root, "node_modules/.bin/vitest");
const totals = { passed: 0, failed: 0, skipped: 0 };
const notes = [];
let failedStep = false;

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function count(file) {
  if (!existsSync(file)) return false;
  const report = JSON.parse(readFileSync(file, "utf8"));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  return true;
}

async function postgresAnswers() {
  const client = new pg.Client({
    connectionString: process.env.KNOWHOW_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const args = process.argv.slice(2);
const only = args.find((a) => a === "--unit" || a === "--e2e");

if (only !== "--e2e") {
  const hasPg = process.env.KNOWHOW_TEST_PG === "0" ? false : await postgresAnswers();
  if (!hasPg) {
    if (process.env.KNOWHOW_REQUIRE_PG === "1") {
      console.error("PostgreSQL is required here (KNOWHOW_REQUIRE_PG=1) but 127.0.0.1:5432 does not answer.");
      process.exit(1);
    }
    notes.push(
      "PostgreSQL server not reachable at 127.0.0.1:5432: the PostgreSQL half of the database tests was SKIPPED (the PGlite half ran).",
    );
  }
  const file = path.join(out, "unit.json");
  const status = run(vitest, ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${file}`], {
    KNOWHOW_TEST_PG: hasPg ? "1" : "0",
  });
  if (!count(file) || status !== 0) failedStep = true;
}

if (only !== "--unit") {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(chromium)) {
    const msg = `Browser tests SKIPPED: ${chromium} not found (install Debian's chromium: apt-get install chromium).`;
    if (process.env.KNOWHOW_REQUIRE_BROWSER === "1") {
      console.error(msg);
      failedStep = true;
    } else notes.push(msg);
  } else {
    if (run("npm", ["run", "--silent", "build:web"]) !== 0) failedStep = true;
    const file = path.join(out, "e2e.json");
    const status = run(vitest, [
      "run",
      "--config",
      "e2e/vitest.config.ts",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${file}`,
    ]);
    if (!count(file) || status !== 0) failedStep = true;
  }
}

for (const n of notes) console.log(`\nNOTE: ${n}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedStep || totals.failed > 0 ? 1 : 0);
