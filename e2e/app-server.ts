import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { loadConfig } from "../src/platform/config";
import { migrate, openPglite } from "../src/platform/db";
import { createContext } from "../src/context";
import { buildApp } from "../src/app";
import { loadDemo } from "../db/seed/load-demo";

import type { AppContext } from "../src/context";

export type TestServer = {
  url: string;
  adminEmail: string;
  adminPassword: string;
  ctx: AppContext;
  close(): Promise<void>;
};

/** Starts the real app on a free port with a fresh embedded database holding the demo organisation. */
export async function startTestServer(options: { demo?: boolean } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "knowhow-e2e-"));
  const database = await openPglite();
  await migrate(database);
  const config = loadConfig({ LOG_LEVEL: "silent" } as NodeJS.ProcessEnv, {
    dataDir,
    port: 0,
    demo: options.demo ?? true,
    writeRatePerMinute: 100_000,
    loginRatePerMinute: 1000,
  });
  const ctx = createContext(config, database);
  const login =
    options.demo === false ? { email: "", password: "" } : await loadDemo(ctx.db, new Date(), undefined, ctx.files);
  const app = await buildApp(ctx, { strictResponses: true, backgroundJobs: true });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    adminEmail: login.email,
    adminPassword: login.password,
    ctx,
    async close() {
      await app.close();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
