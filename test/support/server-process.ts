// The real server as a child process (`node bin/knowhow.mjs serve`), for tests about processes:
// crashes, restarts, and other commands run against the same data folder.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type ServerProcess = { child: ChildProcess; base: string; output: () => string };

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Environment for a child Knowhow process on this data folder (and database URL, if any). */
export function knowhowEnv(dataDir: string, databaseUrl?: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    KNOWHOW_DEMO: "0",
    LOG_LEVEL: "warn",
    WRITE_RATE_PER_MINUTE: "100000",
    LOGIN_RATE_PER_MINUTE: "1000",
    ...extra,
  };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  return env;
}

/** Starts `knowhow serve` and waits (generously) until /api/health answers; `children` tracks it for cleanup. */
export async function startServer(env: NodeJS.ProcessEnv, children: Set<ChildProcess>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, "bin/knowhow.mjs"), "serve"], {
    cwd: root,
    env: { ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let out = "";
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}):\n${out}`);
    try {
      const r = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(5_000) });
      if (r.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer /api/health within 180 s:\n${out}`);
    await sleep(200);
  }
  return { child, base, output: () => out };
}

/** Stops a server with a signal (SIGKILL: as a crash; SIGTERM: a normal shutdown) and waits for it to exit. */
export async function stopServer(s: ServerProcess, signal: "SIGKILL" | "SIGTERM"): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => s.child.once("exit", () => resolve()));
  s.child.kill(signal);
  await exited;
}

/** Kills whatever is still running (afterAll), so no server outlives a test. */
export async function killAll(children: Set<ChildProcess>): Promise<void> {
  await Promise.all(
    [...children].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once("exit", () => resolve());
          c.kill("SIGKILL");
        }),
    ),
  );
}

/** Runs another `knowhow` command to completion. */
export function runKnowhow(args: string[], env: NodeJS.ProcessEnv): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(root, "bin/knowhow.mjs"), ...args], {
    cwd: root,
    env,
    encoding: "utf8",
    timeout: 300_000,
  });
  return { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}
