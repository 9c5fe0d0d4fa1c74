/**
 * `npm run bench -- xapi [--count 1000000] [--batch 100] [--concurrency 4] [--queries 200]
 *   [--pg postgres://postgres@127.0.0.1:5432/postgres]`
 *
 * The LRS at scale, on the PostgreSQL server: a Knowhow server in its own process on a fresh database;
 * an LRS client posts batches of `--batch` generated statements (2,000 actors, 40 verbs, 5,000
 * activities, a registration on one in four, context activities) with `--concurrency` requests in
 * flight until `--count` are stored, printing statements per second as it goes. Then GET queries with
 * the common filters (agent, verb, activity, since; limit 100), p50 and p95 over `--queries` each, and
 * the storage per statement (table and indexes). The ceiling in the same run: a plain `COPY … FROM`
 * of the same rows into a table with the same columns and indexes.
 */
import { createHash, randomUUID } from "node:crypto";
import path from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import pg from "pg";
import { mulberry32 } from "../src/domain/random";
import { freePort, root, start, stop, waitFor } from "./_server";

let args: string[] = [];
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};

const rand = mulberry32(42);
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
const actors = Array.from({ length: 2000 }, (_, i) => ({
  objectType: "Agent",
  name: `Learner ${i}`,
  mbox: `mailto:learner${i}@example.org`,
}));
const verbs = Array.from({ length: 40 }, (_, i) => ({
  id: `http://example.org/verbs/v${i}`,
  display: { "en-US": `verb ${i}` },
}));
const activities = Array.from({ length: 5000 }, (_, i) => ({
  objectType: "Activity",
  id: `http://example.org/activities/a${i}`,
  definition: { name: { "en-US": `Activity ${i}` }, type: "http://adlnet.gov/expapi/activities/module" },
}));
const courses = Array.from({ length: 50 }, (_, i) => ({ id: `http://example.org/courses/c${i}` }));

function statement() {
  return {
    actor: pick(actors),
    verb: pick(verbs),
    object: pick(activities),
    result: rand() < 0.5 ? { success: rand() < 0.7, score: { scaled: Math.round(rand() * 100) / 100 } } : undefined,
    context: {
      ...(rand() < 0.25 ? { registration: randomUUID() } : {}),
      contextActivities: { parent: [pick(courses)] },
    },
    timestamp: new Date(Date.UTC(2026, 0, 1) + Math.floor(rand() * 300 * 86_400_000)).toISOString(),
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

export async function run(argv: string[]): Promise<number> {
  args = argv;
  const COUNT = Number(arg("count", "1000000"));
  const BATCH = Number(arg("batch", "100"));
  const CONCURRENCY = Number(arg("concurrency", "4"));
  const QUERIES = Number(arg("queries", "200"));
  const PG = arg("pg", "postgres://postgres@127.0.0.1:5432/postgres");
  const dbName = `knowhow_bench_xapi_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = new URL(PG);
  url.pathname = `/${dbName}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), "knowhow-bench-xapi-"));
  const port = await freePort();
  const server = start([path.join(root, "bin/knowhow.mjs"), "serve"], {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: url.toString(),
    KNOWHOW_DEMO: "false",
    LOG_LEVEL: "warn",
  });
  const db = new pg.Client({ connectionString: url.toString() });
  try {
    await waitFor(`http://127.0.0.1:${port}/xapi/about`, server.child, server.output);
    await db.connect();
    const secret = "bench-secret";
    await db.query(
      `insert into users (email, name, role, password_hash) values ('bench@example.org', 'Bench', 'admin', 'x')`,
    );
    await db.query(
      `insert into lrs_clients (name, key, secret_hash, scopes, created_by) select 'bench', 'bench', $1, '{all}', id from users where email = 'bench@example.org'`,
      [createHash("sha256").update(secret).digest("hex")],
    );
    const headers = {
      authorization: `Basic ${Buffer.from(`bench:${secret}`).toString("base64")}`,
      "x-experience-api-version": "1.0.3",
      "content-type": "application/json",
    };
    const base = `http://127.0.0.1:${port}/xapi`;

    // Storing: batches with a few requests in flight.
    let posted = 0;
    const t0 = performance.now();
    let lastReport = t0;
    const worker = async () => {
      while (posted < COUNT) {
        const n = Math.min(BATCH, COUNT - posted);
        posted += n;
        const body = JSON.stringify(Array.from({ length: n }, statement));
        const res = await fetch(`${base}/statements`, { method: "POST", headers, body });
        if (res.status !== 200) throw new Error(`POST ${res.status}: ${await res.text()}`);
        const now = performance.now();
        if (now - lastReport > 5000) {
          lastReport = now;
          process.stderr.write(
            `  ${posted.toLocaleString("en")} / ${COUNT.toLocaleString("en")} stored, ${Math.round(posted / ((now - t0) / 1000)).toLocaleString("en")} statements/s\n`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const storeSeconds = (performance.now() - t0) / 1000;
    const rate = COUNT / storeSeconds;

    // Queries with the common filters.
    const since = new Date(Date.now() - 60_000).toISOString();
    const filters: [string, () => string][] = [
      ["agent", () => `agent=${encodeURIComponent(JSON.stringify({ mbox: pick(actors).mbox }))}`],
      ["verb", () => `verb=${encodeURIComponent(pick(verbs).id)}`],
      ["activity", () => `activity=${encodeURIComponent(pick(activities).id)}`],
      ["since", () => `since=${encodeURIComponent(since)}`],
      [
        "agent + verb",
        () =>
          `agent=${encodeURIComponent(JSON.stringify({ mbox: pick(actors).mbox }))}&verb=${encodeURIComponent(pick(verbs).id)}`,
      ],
      ["related activity", () => `activity=${encodeURIComponent(pick(courses).id)}&related_activities=true`],
    ];
    const query: { name: string; p50: number; p95: number; rows: number }[] = [];
    for (const [name, q] of filters) {
      const times: number[] = [];
      let rowsSeen = 0;
      for (let i = 0; i < QUERIES; i++) {
        const s = performance.now();
        const res = await fetch(`${base}/statements?${q()}&limit=100`, { headers });
        const body = (await res.json()) as { statements: unknown[] };
        if (res.status !== 200) throw new Error(`GET ${res.status}`);
        times.push(performance.now() - s);
        rowsSeen += body.statements.length;
      }
      query.push({ name, p50: pct(times, 50), p95: pct(times, 95), rows: Math.round(rowsSeen / QUERIES) });
    }

    // Storage, and the ceiling: COPY of the same rows into a table with the same columns and indexes.
    const size = await db.query<{ total: string; n: string }>(
      `select pg_total_relation_size('xapi_statements') as total, (select count(*) from xapi_statements) as n`,
    );
    const stored = Number(size.rows[0].n);
    const bytesPer = Number(size.rows[0].total) / stored;
    const file = path.join("/tmp", `knowhow-bench-xapi-${process.pid}.copy`);
    await db.query(`copy xapi_statements to '${file}'`);
    await db.query(`create table copy_ceiling (like xapi_statements including defaults including indexes)`);
    await db.query(`alter table copy_ceiling alter column seq drop identity if exists`);
    const c0 = performance.now();
    await db.query(`copy copy_ceiling from '${file}'`);
    const copySeconds = (performance.now() - c0) / 1000;
    await db.query(`drop table copy_ceiling`);
    rmSync(file, { force: true });

    console.log(
      `\nxAPI LRS on PostgreSQL: ${stored.toLocaleString("en")} statements, batches of ${BATCH}, ${CONCURRENCY} in flight\n`,
    );
    console.log(`| | statements/s | time | ratio to COPY |`);
    console.log(`|---|---|---|---|`);
    console.log(
      `| Knowhow (HTTP, validated, indexed) | ${Math.round(rate).toLocaleString("en")} | ${storeSeconds.toFixed(1)} s | ${(rate / (stored / copySeconds)).toFixed(3)} |`,
    );
    console.log(
      `| COPY of the same rows (ceiling) | ${Math.round(stored / copySeconds).toLocaleString("en")} | ${copySeconds.toFixed(1)} s | 1 |`,
    );
    console.log(
      `\nStorage: ${Math.round(bytesPer).toLocaleString("en")} bytes per statement (table, TOAST and indexes)\n`,
    );
    console.log(`| GET /statements filter (limit 100) | p50 | p95 | statements returned (mean) |`);
    console.log(`|---|---|---|---|`);
    for (const q of query) console.log(`| ${q.name} | ${q.p50.toFixed(1)} ms | ${q.p95.toFixed(1)} ms | ${q.rows} |`);
  } finally {
    await db.end().catch(() => undefined);
    await stop(server.child);
    rmSync(dataDir, { recursive: true, force: true });
    await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
    await admin.end();
  }
  return 0;
}
