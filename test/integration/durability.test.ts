/**
 * No acknowledged write is lost when the server dies: the real server runs as a child process
 * (`node bin/knowhow.mjs serve`), several writers create articles, questions and posts over HTTP,
 * the process is killed with SIGKILL in the middle of the load, restarted on the same data
 * directory / database, and every write that was answered with 2xx must be there with its title.
 * No timing is asserted: the load lasts a few seconds and every wait has a generous deadline.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PG_URL, templateDb, testBackends } from "../support/databases";
import { killAll, knowhowEnv, startServer, stopServer, type ServerProcess } from "../support/server-process";

const RUN = randomBytes(3).toString("hex");
const ADMIN = { name: "Dana Durable", email: `dana.${RUN}@example.test`, password: "correct horse battery" };
const WRITERS = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Server = ServerProcess;
type Session = { cookie: string; csrf: string };
type Write = { kind: "article" | "question" | "post"; id: string; title: string };

describe.each(testBackends())("kill -9 under write load loses no acknowledged write, on %s", (backend) => {
  const children = new Set<ChildProcess>();
  let dataDir = "";
  let databaseUrl: string | undefined;
  let dbName: string | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "knowhow-durability-"));
    if (backend === "postgres") {
      dbName = `knowhow_test_durable_${randomBytes(6).toString("hex")}`;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      try {
        await admin.query(`create database ${dbName} template ${templateDb()}`);
      } finally {
        await admin.end();
      }
      const u = new URL(PG_URL);
      u.pathname = `/${dbName}`;
      databaseUrl = u.toString();
    }
  });

  afterAll(async () => {
    // Whatever happened, no server outlives the test.
    await killAll(children);
    if (dbName) {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
      await admin.end();
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 300_000);

  const start = () => startServer(knowhowEnv(dataDir, databaseUrl), children);
  const killHard = (s: Server) => stopServer(s, "SIGKILL");

  async function signIn(base: string, url: string, body: unknown): Promise<Session> {
    const r = await fetch(`${base}${url}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    if (!r.ok) throw new Error(`${url} → ${r.status} ${await r.text()}`);
    const cookie = r.headers
      .getSetCookie()
      .find((c) => c.startsWith("kh_session="))!
      .split(";")[0];
    return { cookie, csrf: ((await r.json()) as { csrfToken: string }).csrfToken };
  }

  const call = (base: string, s: Session, method: string, url: string, body?: unknown) =>
    fetch(`${base}${url}`, {
      method,
      headers: {
        cookie: s.cookie,
        ...(method === "GET" ? {} : { "x-csrf-token": s.csrf }),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });

  it("every write answered with 2xx before the kill is there after the restart", async () => {
    const t0 = Date.now();
    const first = await start();
    const startedIn = Date.now() - t0;
    const session = await signIn(first.base, "/api/setup", ADMIN);
    const space = (await (
      await call(first.base, session, "POST", "/api/spaces", { name: `Durable ${RUN}` })
    ).json()) as { id: string };
    expect(space.id).toBeTruthy();

    // Writers create articles, questions and posts until the process dies.
    const acked: Write[] = [];
    let next = 0;
    let inFlight = 0;
    let inFlightAtKill = 0;
    let refused = 0;
    let killed = false;
    const writer = async () => {
      while (!killed) {
        const n = next++;
        const kind = (["article", "question", "post"] as const)[n % 3];
        const title = `Durable ${kind} ${n} ${RUN}`;
        const [url, body] =
          kind === "article"
            ? ["/api/articles", { spaceId: space.id, title, body: `The text of ${title}.`, tags: ["durable"] }]
            : kind === "question"
              ? ["/api/questions", { title, body: `The text of ${title}.`, tags: ["durable"], route: false }]
              : ["/api/posts", { kind: "working_on", body: title, tags: ["durable"] }];
        inFlight++;
        try {
          const r = await call(first.base, session, "POST", url, body);
          const json = (await r.json()) as { id?: string };
          // Acknowledged: a 2xx answer with its id fully received.
          if (r.status >= 200 && r.status < 300 && json.id) acked.push({ kind, id: json.id, title });
          else refused++;
        } catch {
          // The connection died with the server: not acknowledged.
          if (killed) return;
          await sleep(20);
        } finally {
          inFlight--;
        }
      }
    };
    const loadStart = Date.now();
    const writers = Array.from({ length: WRITERS }, writer);
    // A few seconds of load (at least 60 acknowledged writes; at most 30 s on a very slow machine), then SIGKILL
    // mid-stream.
    while ((Date.now() - loadStart < 2_500 || acked.length < 60) && Date.now() - loadStart < 30_000) await sleep(50);
    inFlightAtKill = inFlight;
    const ackedAtKill = acked.length;
    killed = true;
    await killHard(first);
    const loadMs = Date.now() - loadStart;
    await Promise.allSettled(writers);
    // Answers already on their way when the kill landed count too: they were acknowledged.
    const lateAcks = acked.length - ackedAtKill;

    const t1 = Date.now();
    const second = await start();
    const restartedIn = Date.now() - t1;
    const again = await signIn(second.base, "/api/auth/login", { email: ADMIN.email, password: ADMIN.password });
    const missing: string[] = [];
    for (const w of acked) {
      const url =
        w.kind === "article"
          ? `/api/articles/${w.id}`
          : w.kind === "question"
            ? `/api/questions/${w.id}`
            : `/api/posts/${w.id}`;
      const r = await call(second.base, again, "GET", url);
      const json = r.status === 200 ? ((await r.json()) as { title?: string; body?: string }) : null;
      const got = w.kind === "post" ? json?.body : json?.title;
      if (r.status !== 200 || got !== w.title) missing.push(`${w.kind} ${w.id} "${w.title}": ${r.status} ${got ?? ""}`);
    }
    const count = async (url: string) =>
      ((await (await call(second.base, again, "GET", url)).json()) as { total: number }).total;
    const articles = await count(`/api/articles?spaceId=${space.id}&limit=1`);
    const questions = await count("/api/questions?limit=1");
    const byKind = (k: Write["kind"]) => acked.filter((w) => w.kind === k).length;
    console.log(
      `durability on ${backend}: ${WRITERS} writers for ${(loadMs / 1000).toFixed(1)} s, ${acked.length} writes acknowledged (${byKind("article")} articles, ${byKind("question")} questions, ${byKind("post")} posts; ${lateAcks} answered during the kill), ${refused} refused, ${inFlightAtKill} in flight at the kill; ` +
        `after restart ${acked.length - missing.length} of ${acked.length} present (the database holds ${articles} articles and ${questions} questions); first start ${(startedIn / 1000).toFixed(1)} s, restart ${(restartedIn / 1000).toFixed(1)} s`,
    );
    await killHard(second);
    expect(
      missing,
      `acknowledged writes lost after kill -9:\n${missing.join("\n")}\n--- server output ---\n${second.output()}`,
    ).toEqual([]);
    expect(acked.length).toBeGreaterThanOrEqual(10);
    expect(articles).toBeGreaterThanOrEqual(byKind("article"));
    expect(questions).toBeGreaterThanOrEqual(byKind("question"));
  }, 300_000);
});
