/**
 * Two processes never open the embedded database at once: a command run against the data folder
 * of a running server stops with an error naming it, and stores nothing; once the server is
 * stopped the same command works, and the restarted server shows what it imported.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataDirInUseError, lockDataDir } from "../../src/platform/data-lock";
import { killAll, knowhowEnv, root, runKnowhow, startServer, stopServer } from "../support/server-process";

const ADMIN = { name: "Lou Lock", email: "lou.lock@example.test", password: "correct horse battery" };
const files = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).length : 0);

describe("the embedded database is opened by one process at a time", () => {
  const children = new Set<ChildProcess>();
  const dirs: string[] = [];
  afterAll(async () => {
    await killAll(children);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("refuses a second lock and names its holder; takes over a lock whose process died", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "knowhow-lock-"));
    dirs.push(dir);
    const release = lockDataDir(dir, "serve");
    expect(() => lockDataDir(dir, "demo")).toThrow(DataDirInUseError);
    expect(() => lockDataDir(dir, "demo")).toThrow(new RegExp(`pid ${process.pid}, \`knowhow serve\``));
    release();
    // A lock left by a process that no longer exists (kill -9, power cut) does not block.
    writeFileSync(
      path.join(dir, "knowhow.lock"),
      JSON.stringify({ pid: 2_147_483_000, command: "serve", startedAt: "earlier" }),
    );
    const again = lockDataDir(dir, "import markdown");
    again();
    expect(existsSync(path.join(dir, "knowhow.lock"))).toBe(false);
  });

  it("an import against a running server's folder stops with a clear error and loses nothing either way", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "knowhow-lock-app-"));
    dirs.push(dataDir);
    const env = knowhowEnv(dataDir);
    const server = await startServer(env, children);
    const setup = await fetch(`${server.base}/api/setup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...ADMIN, organisation: "Lockfast" }),
    });
    expect(setup.status).toBe(200);
    const before = files(path.join(dataDir, "files"));

    const fixture = path.join(root, "test/fixtures/markdown-import/warehouse");
    const refused = runKnowhow(["import", "markdown", fixture, "--space", "Night shift live"], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`pid ${server.child.pid}`);
    expect(refused.stderr).toContain("knowhow serve");
    expect(refused.stderr).not.toMatch(/^\s+at /m); // a message, not a stack trace
    expect(files(path.join(dataDir, "files"))).toBe(before); // nothing orphaned

    await stopServer(server, "SIGTERM");
    const imported = runKnowhow(["import", "markdown", fixture, "--space", "Night shift live"], env);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/\d+ created/);

    const again = await startServer(env, children);
    const login = await fetch(`${again.base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const spaces = (await (await fetch(`${again.base}/api/spaces`, { headers: { cookie } })).json()) as {
      items: { name: string; articleCount: number }[];
    };
    const space = spaces.items.find((s) => s.name === "Night shift live");
    expect(space?.articleCount).toBeGreaterThan(0);
    await stopServer(again, "SIGTERM");
  }, 600_000);
});
