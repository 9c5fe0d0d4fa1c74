import { projectKnowhowStatements } from "../modules/xapi/knowhow-statements";
import { forwardStatements } from "../modules/xapi/forwarding";
import { ConfigError, loadConfig } from "../platform/config";
import { openDatabase } from "../platform/db";
import { createContext } from "../context";
import { buildApp } from "../app";
import { countUsers } from "../modules/accounts/users";
import { loadDemo } from "../../db/seed/load-demo";
import { startEscalationTimer } from "../modules/routing/routing.service";
import { escalateChallenges } from "../modules/verification/verification.service";
import { pruneExpertiseEvents } from "../modules/expertise/expertise.service";
import { purgeExpiredSessions } from "../modules/accounts/sessions";
import { purgePendingUploads } from "../modules/knowledge/attachments.service";
import { purgeAudit } from "../modules/audit/audit.service";

/** `knowhow serve [--no-demo] [--port N]`: starts the web app and API. */
export async function run(args: string[]): Promise<number> {
  const started = performance.now();
  const since = () => Math.round(performance.now() - started);
  let config;
  try {
    const overrides: { demo?: boolean; port?: number } = {};
    if (args.includes("--no-demo")) overrides.demo = false;
    const portAt = args.indexOf("--port");
    if (portAt >= 0) overrides.port = Number(args[portAt + 1]);
    config = loadConfig(process.env, overrides);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const database = await openDatabase(config);
  const openedMs = since();
  const ctx = createContext(config, database);
  let demoLogin: { email: string; password: string } | null = null;
  if ((await countUsers(ctx.db)) === 0 && config.demo) {
    process.stdout.write("Empty database: loading the demo organisation…\n");
    demoLogin = await loadDemo(ctx.db, ctx.now(), undefined, ctx.files);
  }
  const app = await buildApp(ctx, { logger: true, backgroundJobs: true });
  ctx.search.setLog((message) => app.log.info(message));
  await ctx.search.catchUp();
  app.log.info(
    { documents: ctx.search.size(), ...ctx.search.startedFrom(), databaseOpenMs: openedMs, readyMs: since() },
    `search index ready (${ctx.search.startedFrom().from})`,
  );
  // Questions nobody answered in time go to the next people (every instance may run this; each question is claimed
  // once).
  const stopEscalation = startEscalationTimer(ctx);
  const challengeTimer = setInterval(() => void escalateChallenges(ctx).catch(() => undefined), 60_000);
  challengeTimer.unref();
  // Hourly housekeeping: expertise events only serve live models catching up (a week is plenty);
  // expired sessions and uploads for articles never created are deleted.
  const prune = async () => {
    await pruneExpertiseEvents(ctx.db, new Date(ctx.now().getTime() - 7 * 86_400_000));
    await purgeExpiredSessions(ctx.db, ctx.now());
    await purgePendingUploads(ctx);
    await app.resumableUploads.purge();
    await purgeAudit(ctx.db, ctx.now());
  };
  void prune().catch(() => undefined);
  const pruneTimer = setInterval(() => void prune().catch(() => undefined), 3_600_000);
  pruneTimer.unref();
  // Knowhow's own learning into its LRS (xAPI statements derived from what people did), every minute.
  const xapiTimer = setInterval(
    () => void projectKnowhowStatements(ctx).catch((e: unknown) => app.log.error(e, "xAPI projection failed")),
    60_000,
  );
  xapiTimer.unref();
  void projectKnowhowStatements(ctx).catch((e: unknown) => app.log.error(e, "xAPI projection failed"));
  // Statements forwarded to external LRSs (at least once, retried with backoff), every 30 seconds.
  const forwardTimer = setInterval(
    () => void forwardStatements(ctx).catch((e: unknown) => app.log.error(e, "xAPI forwarding failed")),
    30_000,
  );
  forwardTimer.unref();
  const shutdown = async () => {
    stopEscalation();
    clearInterval(challengeTimer);
    clearInterval(pruneTimer);
    clearInterval(xapiTimer);
    clearInterval(forwardTimer);
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  await app.listen({ port: config.port, host: config.host });
  // Build the expertise model now, in the background (the event loop stays free), so the first
  // question routed after a restart does not wait for it.
  void ctx.expertise.refresh().catch((e: unknown) => app.log.error(e, "expertise model build failed"));
  const url = config.publicUrl ?? `http://localhost:${config.port}`;
  const lines = [
    ``,
    `Knowhow is running at ${url}  (database: ${database.kind}${database.kind === "pglite" ? `, data in ${config.dataDir}` : ""})`,
  ];
  if (demoLogin) lines.push(`Demo organisation loaded. Sign in as ${demoLogin.email} / ${demoLogin.password}`);
  else if ((await countUsers(ctx.db)) === 0) lines.push(`Open ${url} to create the first admin account.`);
  process.stdout.write(lines.join("\n") + "\n\n");
  return new Promise<number>(() => undefined);
}
