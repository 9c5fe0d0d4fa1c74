import type { AppContext } from "../../context";
import { can, type Actor } from "../../authz/policy";
import { ping } from "../../platform/db";

const started = Date.now();

/** Liveness: the database answers; which database, version and uptime (public: nothing about content). */
export async function health(ctx: AppContext, actor: Actor | null) {
  await ping(ctx.db);
  return {
    status: "ok" as const,
    database: ctx.database.kind,
    version: process.env.npm_package_version ?? "0.1.0",
    uptimeSeconds: Math.round((Date.now() - started) / 1000),
    // The index counts private documents too: only administrators see its size.
    ...(can(actor, "administer", { kind: "instance" }) ? { searchIndexSize: ctx.search.size() } : {}),
  };
}
