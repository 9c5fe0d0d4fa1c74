// `npm run bench -- queries [--db pglite|postgres|both] [--runs 30] [--show "question view"]`
//
// Where one request's time goes: for each endpoint of the load bench, the statements the app sends
// (count, and the time spent in the driver), the whole request's time (in process, no network), and
// the slowest statements with their share. The baseline in the same run is `select 1` through the
// same driver: the fixed cost of one round trip, so "n statements × that" is the floor a request
// with n statements cannot beat.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { sql } from "drizzle-orm";
import { buildApp } from "../src/app";
import { createContext } from "../src/context";
import { loadConfig } from "../src/platform/config";
import { openPglite, openPostgres, migrate, type Database } from "../src/platform/db";
import { preparedStatements } from "../src/platform/prepared";
import { loadDemo } from "../db/seed/load-demo";
import { buildDemoOrg } from "../db/seed/demo-org";

const PG_URL = process.env.KNOWHOW_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

type Seen = { text: string; ms: number };

/** Every statement's text and time, through the database's observer. */
function record(database: Database): { take: () => Seen[] } {
  let seen: Seen[] = [];
  database.observe((text, ms) => seen.push({ text: text.replace(/\s+/g, " ").trim(), ms }));
  return {
    take: () => {
      const s = seen;
      seen = [];
      return s;
    },
  };
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

async function profile(kind: "pglite" | "postgres", runs: number, show: string): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "knowhow-queries-"));
  let dbName: string | null = null;
  let database: Database;
  if (kind === "postgres") {
    dbName = `knowhow_queries_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const u = new URL(PG_URL);
    u.pathname = `/${dbName}`;
    database = await openPostgres(u.toString());
  } else {
    database = await openPglite(path.join(dataDir, "db"), "bench");
  }
  try {
    await migrate(database);
    const config = loadConfig({ ...process.env, DATA_DIR: dataDir, LOGIN_RATE_PER_MINUTE: "1000" });
    const ctx = createContext(config, database);
    await loadDemo(ctx.db, ctx.now());
    const app = await buildApp(ctx);
    await ctx.search.catchUp();
    const org = buildDemoOrg();
    const member = org.people.find((p) => p.role === "member")!;
    const login = await app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: member.email, password: org.password },
    });
    const cookie = String(login.headers["set-cookie"]).split(";")[0];
    const get = async <T>(url: string) => (await app.inject({ method: "GET", url, headers: { cookie } })).json<T>();
    const article = (await get<{ items: { id: string; spaceId: string }[] }>("/api/articles?limit=5")).items[0];
    const question = (await get<{ items: { id: string }[] }>("/api/questions?limit=5")).items[0];
    const person = (await get<{ items: { id: string }[] }>("/api/people?limit=5")).items[0];
    const endpoints: [string, string][] = [
      ["article view", `/api/articles/${article.id}`],
      ["question view", `/api/questions/${question.id}`],
      ["search", `/api/search?q=${encodeURIComponent("forklift battery")}`],
      ["space's article list", `/api/articles?spaceId=${article.spaceId}&limit=20`],
      ["inbox", "/api/inbox"],
      ["person's profile", `/api/people/${person.id}`],
      ["session (me)", "/api/auth/me"],
    ];
    const rec = record(database);
    // One trivial statement through the same driver: the fixed cost of a round trip.
    const selectOne = async () => {
      const base: number[] = [];
      for (let i = 0; i < runs * 5; i++) {
        const t0 = performance.now();
        await ctx.db.execute(sql`select 1`);
        base.push(performance.now() - t0);
      }
      rec.take();
      return pct(base, 0.5);
    };
    type Row = { count: number; wall: number; db: number };
    const slow = new Map<string, number[]>();
    const measure = async (name: string, url: string, keep: boolean): Promise<Row> => {
      const wall: number[] = [];
      const db: number[] = [];
      let count = 0;
      for (let i = 0; i < runs + 3; i++) {
        const t0 = performance.now();
        const res = await app.inject({ method: "GET", url, headers: { cookie } });
        const ms = performance.now() - t0;
        // Off-path writes (the reading record) finish after the response: let them land in this run.
        await new Promise((r) => setTimeout(r, 5));
        const seen = rec.take();
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        if (i < 3) continue; // warm-up
        wall.push(ms);
        db.push(seen.reduce((s, q) => s + q.ms, 0));
        count = seen.length;
        if (keep && show && name.startsWith(show) && i === runs + 2)
          console.log(`  statements of ${name}:\n${seen.map((q) => `    ${q.text.slice(0, 160)}`).join("\n")}`);
        if (keep)
          for (const q of seen) {
            const key = `${name}: ${q.text.slice(0, 110)}`;
            slow.set(key, [...(slow.get(key) ?? []), q.ms]);
          }
      }
      return { count, wall: pct(wall, 0.5), db: pct(db, 0.5) };
    };
    // Baseline in the same run: every statement sent unnamed (planned on every call).
    preparedStatements.enabled = false;
    const unnamedTrip = await selectOne();
    const baseline = new Map<string, Row>();
    for (const [name, url] of endpoints) baseline.set(name, await measure(name, url, false));
    preparedStatements.enabled = true;
    const roundTrip = await selectOne();
    console.log(`\n${kind === "pglite" ? "PGlite (embedded)" : "PostgreSQL 15 server"}`);
    console.log(`  select 1 p50: ${unnamedTrip.toFixed(2)} ms unnamed, ${roundTrip.toFixed(2)} ms prepared`);
    console.log(
      "  endpoint                stmts   unnamed p50 ms   prepared p50 ms   ratio   in driver p50 ms   floor (stmts × select 1)",
    );
    for (const [name, url] of endpoints) {
      const before = baseline.get(name)!;
      const r = await measure(name, url, true);
      console.log(
        `  ${name.padEnd(22)} ${String(r.count).padStart(6)} ${before.wall.toFixed(2).padStart(16)} ${r.wall
          .toFixed(2)
          .padStart(17)} ${(before.wall / r.wall).toFixed(2).padStart(6)}× ${r.db.toFixed(2).padStart(18)} ${(
          r.count * roundTrip
        )
          .toFixed(2)
          .padStart(24)}`,
      );
    }
    const top = [...slow.entries()]
      .map(([k, v]) => ({ k, ms: v.reduce((a, b) => a + b, 0) / runs }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 12);
    console.log("  slowest statements, prepared (mean ms per request):");
    for (const t of top) console.log(`    ${t.ms.toFixed(2).padStart(7)}  ${t.k}`);
    await app.close();
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (dbName) {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
  }
}

function flag(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
}

export async function run(args: string[]): Promise<number> {
  const runs = Number(flag(args, "runs", "30"));
  const which = flag(args, "db", "both");
  const dbs: ("pglite" | "postgres")[] = which === "both" ? ["pglite", "postgres"] : [which as "pglite"];
  // --show "question view": print that endpoint's statements.
  const show = flag(args, "show", "");
  for (const db of dbs) await profile(db, runs, show);
  return 0;
}
