import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConfigError, loadConfig } from "./config";

const dir = () => mkdtempSync(path.join(tmpdir(), "kh-config-"));

describe("configuration", () => {
  it("has working defaults and generates a session secret that survives restarts", () => {
    const dataDir = dir();
    const a = loadConfig({ DATA_DIR: dataDir } as NodeJS.ProcessEnv);
    expect(a.port).toBe(3000);
    expect(a.demo).toBe(true);
    expect(a.databaseUrl).toBeUndefined();
    expect(a.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(path.join(dataDir, "session-secret"), "utf8").trim()).toBe(a.sessionSecret);
    expect(loadConfig({ DATA_DIR: dataDir } as NodeJS.ProcessEnv).sessionSecret).toBe(a.sessionSecret);
  });

  it("names every bad variable", () => {
    try {
      loadConfig({
        DATA_DIR: dir(),
        PORT: "eighty",
        DATABASE_URL: "mysql://x",
        SESSION_SECRET: "short",
        KNOWHOW_DEMO: "maybe",
      } as NodeJS.ProcessEnv);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      for (const name of ["PORT", "DATABASE_URL", "SESSION_SECRET", "KNOWHOW_DEMO"]) expect(msg).toContain(name);
    }
  });

  it("reads PostgreSQL and demo switches", () => {
    const c = loadConfig({
      DATA_DIR: dir(),
      DATABASE_URL: "postgres://u@h/db",
      KNOWHOW_DEMO: "0",
      PORT: "8080",
    } as NodeJS.ProcessEnv);
    expect(c).toMatchObject({ databaseUrl: "postgres://u@h/db", demo: false, port: 8080 });
  });

  it("trusts no proxy unless told which", () => {
    expect(loadConfig({ DATA_DIR: dir() } as NodeJS.ProcessEnv).trustProxy).toBe(false);
    expect(loadConfig({ DATA_DIR: dir(), TRUST_PROXY: "1" } as NodeJS.ProcessEnv).trustProxy).toBe(1);
    expect(
      loadConfig({ DATA_DIR: dir(), TRUST_PROXY: "10.0.0.0/8, 127.0.0.1" } as NodeJS.ProcessEnv).trustProxy,
    ).toEqual(["10.0.0.0/8", "127.0.0.1"]);
    expect(() => loadConfig({ DATA_DIR: dir(), TRUST_PROXY: "everyone" } as NodeJS.ProcessEnv)).toThrow(/TRUST_PROXY/);
  });
});
