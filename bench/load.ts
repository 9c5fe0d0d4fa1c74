// `npm run bench -- load [--db pglite|postgres|both] [--duration 10] [--connections 50] [--only "search,inbox"]`
//
// A busy morning: 50 signed-in connections on each endpoint a person opens first, against a
// Knowhow server with the demo organisation, in its own process, on PGlite and on the PostgreSQL
// server. The ceiling is a bare Fastify hello-world measured in the same run on the same machine;
// every figure is printed with its ratio to it. autocannon generates the load from this process.
import autocannon from "autocannon";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { buildDemoOrg } from "../db/seed/demo-org";
import { freePort, start, stop, waitFor } from "./_server";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const PG_URL = process.env.KNOWHOW_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

type Result = {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
  /** Status codes other than 2xx, with their counts ("500×3 429×1"). */
  codes: string;
};

async function load(
  name: string,
  base: string,
  requests: autocannon.Request[],
  opts: { duration: number; connections: number; headers?: Record<string, string> },
): Promise<Result> {
  const r = await autocannon({
    url: base,
    connections: opts.connections,
    duration: opts.duration,
    headers: opts.headers,
    requests,
    timeout: 10,
  });
  return {
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    total: r.requests.total,
    codes: Object.entries(
      (r as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {},
    )
      .filter(([code]) => !code.startsWith("2"))
      .map(([code, v]) => `${code}×${v.count}`)
      .join(" "),
  };
}

async function helloCeiling(opts: { duration: number; connections: number }): Promise<Result> {
  const dir = mkdtempSync(path.join(tmpdir(), "knowhow-hello-"));
  const file = path.join(dir, "hello.mjs");
  writeFileSync(
    file,
    `import Fastify from ${JSON.stringify(path.join(root, "node_modules/fastify/fastify.js"))};
const app = Fastify();
app.get("/", async () => ({ hello: "world" }));
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
`,
  );
  const port = await freePort();
  const s = start([file], { ...process.env, PORT: String(port) });
  try {
    await waitFor(`http://127.0.0.1:${port}/`, s.child, s.output);
    return await load("hello-world (ceiling)", `http://127.0.0.1:${port}`, [{ method: "GET", path: "/" }], opts);
  } finally {
    await stop(s.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function knowhow(
  db: "pglite" | "postgres",
  opts: { duration: number; connections: number; only: string[] },
): Promise<{ results: Result[]; sse: SseResult | null }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "knowhow-load-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    LOG_FORMAT: "json",
    WRITE_RATE_PER_MINUTE: "1000000",
    LOGIN_RATE_PER_MINUTE: "1000",
  };
  let dbName: string | null = null;
  if (db === "postgres") {
    dbName = `knowhow_load_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const u = new URL(PG_URL);
    u.pathname = `/${dbName}`;
    env.DATABASE_URL = u.toString();
  }
  const port = await freePort();
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof": node flags for the server (to profile it).
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const s = start([...nodeArgs, path.join(root, "bin/knowhow.mjs"), "serve", "--port", String(port)], env);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${base}/api/health`, s.child, s.output);
    // Everyone of the demo who is not a guest signs in: each request goes out as one of them in turn.
    const org = buildDemoOrg();
    const sessions: { cookie: string; csrf: string; userId: string }[] = [];
    for (const p of org.people.filter((x) => x.role === "member").slice(0, opts.connections)) {
      const login = await fetch(`${base}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: p.email, password: org.password }),
      });
      if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
      const { csrfToken, user } = (await login.json()) as { csrfToken: string; user: { id: string } };
      sessions.push({ cookie: login.headers.get("set-cookie")!.split(";")[0], csrf: csrfToken, userId: user.id });
    }
    const cookie = sessions[0].cookie;
    let turn = 0;
    // autocannon calls this for every request: the next person's cookie (and CSRF token for writes).
    const asPersonOtherThan = (req: autocannon.Request, notAs: string | null) => {
      let s = sessions[turn++ % sessions.length];
      if (s.userId === notAs) s = sessions[turn++ % sessions.length];
      return {
        ...req,
        headers: { ...req.headers, cookie: s.cookie, ...(req.method === "GET" ? {} : { "x-csrf-token": s.csrf }) },
      };
    };
    const asNextPerson = (req: autocannon.Request) => asPersonOtherThan(req, null);
    const get = async <T>(p: string) => (await (await fetch(`${base}${p}`, { headers: { cookie } })).json()) as T;
    // Articles of public spaces: every signed-in member may read them (a private space's would be 404s).
    const publicSpaces = new Set(
      (await get<{ items: { id: string; visibility: string }[] }>("/api/spaces")).items
        .filter((x) => x.visibility === "public")
        .map((x) => x.id),
    );
    const articles = (await get<{ items: { id: string; spaceId: string }[] }>("/api/articles?limit=60")).items
      .filter((a) => publicSpaces.has(a.spaceId))
      .slice(0, 20);
    const questions = (await get<{ items: { id: string; author: { id: string } }[] }>("/api/questions?limit=20")).items;
    const people = (await get<{ items: { id: string }[] }>("/api/people?limit=20")).items;
    const spaces = [...new Set(articles.map((a) => a.spaceId))];
    const queries = ["forklift", "tachograph hours", "returns label", "customs export", "on-call rota", "pallet"];
    const writeHeaders = { "content-type": "application/json" };
    const paths = (ps: string[]): autocannon.Request[] =>
      ps.map((p) => ({ method: "GET", path: p, setupRequest: asNextPerson }));
    const results: Result[] = [];
    let sse: SseResult | null = null;
    const run = async (name: string, requests: autocannon.Request[]) => {
      if (opts.only.length && !opts.only.some((o) => name.startsWith(o))) return;
      results.push(await load(name, base, requests, opts));
    };
    await run("article view", paths(articles.map((a) => `/api/articles/${a.id}`)));
    await run("question view", paths(questions.map((q) => `/api/questions/${q.id}`)));
    await run("search", paths(queries.map((q) => `/api/search?q=${encodeURIComponent(q)}`)));
    await run("space's article list", paths(spaces.map((id) => `/api/articles?spaceId=${id}&limit=20`)));
    await run("inbox", paths(["/api/inbox"]));
    await run("person's profile", paths(people.map((p) => `/api/people/${p.id}`)));
    // 3 reads and 1 write, in turn on every connection: an answer or a vote (never by the question's
    // author: that is a 403 by design).
    const mix: autocannon.Request[] = [];
    questions.slice(0, 6).forEach((q, i) => {
      mix.push(...paths([`/api/articles/${articles[i % articles.length].id}`, `/api/questions/${q.id}`]));
      mix.push(...paths([`/api/search?q=${encodeURIComponent(queries[i % queries.length])}`]));
      mix.push(
        i % 2 === 0
          ? {
              method: "POST",
              path: `/api/questions/${q.id}/answers`,
              headers: writeHeaders,
              setupRequest: asNextPerson,
              body: JSON.stringify({ body: `Load test answer ${i}: check the pallet label first, then the WMS.` }),
            }
          : {
              method: "POST",
              path: `/api/questions/${q.id}/vote`,
              headers: writeHeaders,
              setupRequest: (req: autocannon.Request) => asPersonOtherThan(req, q.author.id),
              body: JSON.stringify({ value: 1 }),
            },
      );
    });
    await run("mix: 3 reads + 1 write", mix);
    if (!opts.only.length || opts.only.some((o) => "sse".startsWith(o)))
      sse = await ssePhase(base, org, opts, [
        ...paths(articles.map((a) => `/api/articles/${a.id}`)),
        ...paths(questions.map((q) => `/api/questions/${q.id}`)),
        ...paths(["/api/inbox"]),
      ]);
    // What the server said about failures (5xx are logged at error level).
    const failures = s
      .output()
      .split("\n")
      .filter((l) => /"level":(50|60)/.test(l))
      .slice(-3);
    for (const l of failures) console.log(`  server: ${l.slice(0, 300)}`);
    return { results, sse };
  } finally {
    await stop(s.child);
    rmSync(dataDir, { recursive: true, force: true });
    if (dbName) {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
  }
}

type SseResult = {
  connected: number;
  questions: number;
  delivered: number;
  missing: number;
  p50: number;
  p99: number;
  max: number;
  loadRps: number;
};

/**
 * 1,000 open inboxes (server-sent event streams, spread over every member of the demo) while the
 * read load runs; a question is asked every 500 ms and routed; each routed expert's open streams
 * must receive the request. Latency: from sending the question to the event on a stream.
 */
async function ssePhase(
  base: string,
  org: ReturnType<typeof buildDemoOrg>,
  opts: { duration: number; connections: number },
  reads: autocannon.Request[],
): Promise<SseResult> {
  const STREAMS = 1000;
  const members = org.people.filter((x) => x.role === "member");
  const people: { id: string; cookie: string; csrf: string }[] = [];
  for (const p of members) {
    const login = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: p.email, password: org.password }),
    });
    if (!login.ok) throw new Error(`login failed: ${login.status}`);
    const body = (await login.json()) as { csrfToken: string; user: { id: string } };
    people.push({ id: body.user.id, cookie: login.headers.get("set-cookie")!.split(";")[0], csrf: body.csrfToken });
  }
  const arrivals = new Map<string, number[]>(); // questionId|userId -> arrival times, one per stream
  const streamsOf = new Map<string, number>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const open: http.ClientRequest[] = [];
  let ready = 0;
  await new Promise<void>((resolve, reject) => {
    for (let i = 0; i < STREAMS; i++) {
      const who = people[i % people.length];
      streamsOf.set(who.id, (streamsOf.get(who.id) ?? 0) + 1);
      const req = http.get(`${base}/api/events`, { agent, headers: { cookie: who.cookie } }, (res) => {
        let buffer = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          buffer += chunk;
          let at: number;
          while ((at = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            const type = /^event: (.*)$/m.exec(block)?.[1];
            if (type === "ready" && ++ready === STREAMS) resolve();
            if (type === "routing.request") {
              const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "{}") as { questionId?: string };
              const key = `${data.questionId}|${who.id}`;
              arrivals.set(key, [...(arrivals.get(key) ?? []), performance.now()]);
            }
          }
        });
      });
      req.on("error", reject);
      open.push(req);
    }
    setTimeout(() => reject(new Error(`only ${ready} of ${STREAMS} streams ready after 60 s`)), 60_000).unref();
  });
  const asked: { id: string; t0: number; experts: string[] }[] = [];
  let asking = true;
  const askLoop = (async () => {
    for (let n = 0; asking; n++) {
      const asker = people[n % people.length];
      const t0 = performance.now();
      const res = await fetch(`${base}/api/questions`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: asker.cookie, "x-csrf-token": asker.csrf },
        body: JSON.stringify({
          title: `Load question ${n}: which forklift battery charger for the cold store?`,
          body: "The cold store chargers trip at night; who has set up chargers for -20 °C before?",
          tags: ["forklift", "warehouse"],
        }),
      });
      if (res.ok) {
        const q = (await res.json()) as { id: string; routing: { asked: { person: { id: string } }[] } | null };
        asked.push({ id: q.id, t0, experts: (q.routing?.asked ?? []).map((a) => a.person.id) });
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  const load = await autocannon({
    url: base,
    connections: opts.connections,
    duration: opts.duration,
    requests: reads,
    timeout: 10,
  });
  asking = false;
  await askLoop;
  await new Promise((r) => setTimeout(r, 2000));
  for (const r of open) r.destroy();
  agent.destroy();
  const latencies: number[] = [];
  let missing = 0;
  for (const q of asked)
    for (const expert of q.experts) {
      const times = arrivals.get(`${q.id}|${expert}`) ?? [];
      missing += Math.max(0, (streamsOf.get(expert) ?? 0) - times.length);
      for (const t of times) latencies.push(t - q.t0);
    }
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return {
    connected: ready,
    questions: asked.length,
    delivered: latencies.length,
    missing,
    p50: at(0.5),
    p99: at(0.99),
    max: latencies[latencies.length - 1] ?? NaN,
    loadRps: load.requests.average,
  };
}

async function pgAnswers(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

function flag(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
}

export async function run(args: string[]): Promise<number> {
  const duration = Number(flag(args, "duration", "10"));
  const connections = Number(flag(args, "connections", "50"));
  const which = flag(args, "db", "both");
  const dbs: ("pglite" | "postgres")[] = which === "both" ? ["pglite", "postgres"] : [which as "pglite"];
  if (dbs.includes("postgres") && !(await pgAnswers())) {
    console.error("PostgreSQL does not answer at 127.0.0.1:5432: measuring PGlite only.");
    dbs.splice(dbs.indexOf("postgres"), 1);
  }
  // --only "article view,search": just those endpoints (names as printed, by prefix).
  const only = flag(args, "only", "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  const opts = { duration, connections, only };
  console.log(
    `load: ${connections} connections, ${duration} s per endpoint, each request as the next of ${connections} signed-in members of the demo`,
  );
  const ceiling = await helloCeiling(opts);
  console.log(`ceiling: bare Fastify hello-world ${Math.round(ceiling.rps)} req/s, p99 ${ceiling.p99} ms`);
  for (const db of dbs) {
    const { results, sse } = await knowhow(db, opts);
    console.log(`\n${db === "pglite" ? "PGlite (embedded)" : "PostgreSQL 15 server"}`);
    console.log("  endpoint                   req/s   % ceiling   p50 ms   p99 ms   errors  non-2xx");
    for (const r of results)
      console.log(
        `  ${r.name.padEnd(24)} ${String(Math.round(r.rps)).padStart(7)}   ${((100 * r.rps) / ceiling.rps)
          .toFixed(2)
          .padStart(
            8,
          )} % ${String(r.p50).padStart(8)} ${String(r.p99).padStart(8)} ${String(r.errors).padStart(8)} ${String(
          r.non2xx,
        ).padStart(8)}${r.codes ? `  (${r.codes})` : ""}`,
      );
    if (sse)
      console.log(
        `  server-sent events: ${sse.connected} inboxes connected; ${sse.questions} questions routed during ${Math.round(
          sse.loadRps,
        )} req/s of reads; ${sse.delivered} deliveries to the asked experts' inboxes: p50 ${sse.p50.toFixed(
          0,
        )} ms, p99 ${sse.p99.toFixed(0)} ms, max ${sse.max.toFixed(0)} ms, ${sse.missing} missing`,
      );
  }
  return 0;
}
