// `npm run bench -- startup [--docs 100000] [--db pglite|postgres|both] [--keep DIR]`
//
// How long a new or restarted server with many articles takes before search answers, and how much
// memory it holds. A database with `--docs` generated articles (the corpus of `bench search`) is
// made once per database kind; then a real server (`knowhow serve`, its own process) is started
// three times on it: rebuilding the search index from the database (SEARCH_SNAPSHOT=0, the
// baseline), a first start that rebuilds and writes the snapshot, and a restart that reads it.
// Each start is timed from spawning the process to the first search answered for a signed-in
// person; RSS is read from /proc after that answer (and the peak, VmHWM).
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { migrate, openPglite, openPostgres, type Database } from "../src/platform/db";
import { hashPassword } from "../src/modules/accounts/passwords";
import { articles, spaces, users } from "../db/schema";
import { generatedArticles } from "./_corpus";
import { freePort, root, start, stop, waitFor } from "./_server";

const PG_URL = process.env.KNOWHOW_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const EMAIL = "bench@knowhow.invalid";
const PASSWORD = "bench startup password";

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

function progress(label: string, done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stdout.write(`\r  ${label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stdout.write("\n");
}

async function fill(database: Database, n: number): Promise<void> {
  await migrate(database);
  const [u] = await database.db
    .insert(users)
    .values({ email: EMAIL, name: "Bench", role: "admin", passwordHash: await hashPassword(PASSWORD) })
    .returning();
  const [space] = await database.db
    .insert(spaces)
    .values({ name: "Generated", slug: "generated", createdBy: u.id })
    .returning();
  const docs = generatedArticles(n);
  for (let i = 0; i < n; i += 500) {
    await database.db.insert(articles).values(
      docs.slice(i, i + 500).map((d) => ({
        spaceId: space.id,
        title: d.title,
        body: d.body,
        tags: d.tags,
        ownerId: u.id,
        updatedBy: u.id,
      })),
    );
    progress("inserting articles", Math.min(i + 500, n), n);
  }
}

function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

type Start = { label: string; seconds: number; rss: number; peak: number; log: string };

async function startOnce(label: string, env: NodeJS.ProcessEnv): Promise<Start> {
  const port = await freePort();
  const t0 = performance.now();
  const s = start([path.join(root, "bin/knowhow.mjs"), "serve", "--port", String(port)], {
    ...env,
    KNOWHOW_DEMO: "0",
    LOG_FORMAT: "json",
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/api/health`, s.child, s.output);
    const login = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const res = await fetch(`${base}/api/search?q=${encodeURIComponent("kalo stari")}`, { headers: { cookie } });
    if (!res.ok) throw new Error(`search: ${res.status} ${await res.text()}`);
    const seconds = (performance.now() - t0) / 1000;
    const { total } = (await res.json()) as { total: number };
    if (!total) throw new Error("the first search found nothing: the index is empty");
    return { label, seconds, ...memory(s.child.pid!), log: s.output() };
  } finally {
    await stop(s.child);
  }
}

const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;

async function measure(kind: "pglite" | "postgres", n: number, keep: string): Promise<void> {
  // --keep DIR (PGlite): the filled database stays in DIR, and a later run with the same DIR reuses it.
  const reuse = kind === "pglite" && keep !== "" && existsSync(path.join(keep, "db"));
  const dataDir = kind === "pglite" && keep ? keep : mkdtempSync(path.join(tmpdir(), "knowhow-startup-"));
  const dbName = `knowhow_bench_startup_${process.pid}`;
  const url = (() => {
    const u = new URL(PG_URL);
    u.pathname = `/${dbName}`;
    return u.toString();
  })();
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    console.log(`\n${kind === "pglite" ? "PGlite (embedded)" : "PostgreSQL 15 server"}: ${n} articles`);
    if (kind === "postgres") {
      await admin.connect();
      await admin.query(`drop database if exists ${dbName}`);
      await admin.query(`create database ${dbName}`);
    }
    if (reuse) console.log(`  reusing the database in ${dataDir}`);
    else {
      const database =
        kind === "pglite" ? await openPglite(path.join(dataDir, "db"), "bench") : await openPostgres(url);
      try {
        await fill(database, n);
      } finally {
        await database.close();
      }
    }
    rmSync(path.join(dataDir, "search"), { recursive: true, force: true });
    const env = { ...process.env, DATA_DIR: dataDir, ...(kind === "postgres" ? { DATABASE_URL: url } : {}) };
    const snapshotFile = path.join(dataDir, "search", "index.snapshot");
    const runs: Start[] = [];
    runs.push(await startOnce("rebuild from the database (baseline)", { ...env, SEARCH_SNAPSHOT: "0" }));
    runs.push(await startOnce("first start: rebuild, write the snapshot", { ...env, SEARCH_SNAPSHOT: "1" }));
    const written = /search snapshot written: [^"]*/.exec(runs[1].log)?.[0] ?? "(no snapshot written)";
    if (!existsSync(snapshotFile)) throw new Error(`no snapshot at ${snapshotFile}:\n${runs[1].log.slice(-2000)}`);
    runs.push(await startOnce("restart: read the snapshot", { ...env, SEARCH_SNAPSHOT: "1" }));
    if (!/"from":"snapshot"/.test(runs[2].log))
      throw new Error(`the restart did not use the snapshot:\n${runs[2].log}`);
    console.log(`  ${written}; file ${mb(statSync(snapshotFile).size)}`);
    console.log(
      `  ${"start".padEnd(72)} ${"to first answer".padStart(16)} ${"RSS".padStart(9)} ${"peak RSS".padStart(9)}`,
    );
    for (const r of runs) {
      const ready = /"databaseOpenMs":(\d+),"readyMs":(\d+)/.exec(r.log);
      if (ready) r.label += ` (db open ${(+ready[1] / 1000).toFixed(1)} s, index ${(+ready[2] / 1000).toFixed(1)} s)`;
    }
    for (const r of runs)
      console.log(
        `  ${r.label.padEnd(72)} ${`${r.seconds.toFixed(1)} s`.padStart(16)} ${mb(r.rss).padStart(9)} ${mb(r.peak).padStart(9)}`,
      );
    console.log(
      `  restart from the snapshot: ${(runs[0].seconds / runs[2].seconds).toFixed(1)}× faster than rebuilding`,
    );
  } finally {
    if (!(kind === "pglite" && keep)) rmSync(dataDir, { recursive: true, force: true });
    if (kind === "postgres") {
      await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
      await admin.end();
    }
  }
}

export async function run(args: string[]): Promise<number> {
  const n = Number(flag(args, "docs", "100000"));
  const which = flag(args, "db", "both");
  const kinds = which === "both" ? (["pglite", "postgres"] as const) : [which as "pglite" | "postgres"];
  for (const kind of kinds) await measure(kind, n, flag(args, "keep", ""));
  return 0;
}
