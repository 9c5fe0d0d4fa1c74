import { z } from "zod";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";

const boolish = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off", ""])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  KNOWHOW_DEMO: boolish.default(true),
  SEARCH_SNAPSHOT: boolish.default(true),
  PUBLIC_URL: z.string().url().optional(),
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(
      /^(|true|false|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/,
      "must be empty, true, false, a hop count, or a comma-separated list of proxy addresses or CIDRs",
    )
    .default(""),
  WRITE_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  ROUTING_NOTIFY: z.coerce.number().int().min(1).max(20).default(3),
  ROUTING_ESCALATE_MINUTES: z.coerce.number().min(1).max(10_080).default(60),
  ROUTING_MAX_ROUNDS: z.coerce.number().int().min(1).max(20).default(3),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FORMAT: z.enum(["auto", "pretty", "json"], "must be auto, pretty or json").default("auto"),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  sessionSecret: string;
  demo: boolean;
  publicUrl?: string;
  sessionTtlDays: number;
  /** Sign-in attempts per account and minute (from any address). */
  loginRatePerMinute: number;
  /** Failed sign-ins per client address and minute, over all accounts; then that address waits. */
  loginFailuresPerAddressPerMinute: number;
  writeRatePerMinute: number;
  /**
   * Which proxies may set X-Forwarded-For / -Proto: none by default (the socket's address is the
   * client's), or a hop count, or a list of addresses / CIDRs; `true` trusts any (only behind a proxy that strips
   * them).
   */
  trustProxy: boolean | number | string[];
  logLevel: z.infer<typeof EnvSchema>["LOG_LEVEL"];
  /** Readable one-line logs (`pretty`), JSON lines (`json`), or pretty on a terminal and JSON otherwise (`auto`). */
  logFormat: "auto" | "pretty" | "json";
  /** Keep the search index on disk (DATA_DIR/search) so a restart does not rebuild it. */
  searchSnapshot: boolean;
  /** How many people a question is routed to at once, after how long it escalates, and how often. */
  routing: { notify: number; escalateMinutes: number; maxRounds: number };
};

export class ConfigError extends Error {}

/** Reads and validates the environment; a bad variable stops start-up with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(overrides.dataDir ?? e.DATA_DIR);
  const base: Config = {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    sessionSecret: e.SESSION_SECRET ?? "",
    demo: e.KNOWHOW_DEMO,
    publicUrl: e.PUBLIC_URL,
    sessionTtlDays: e.SESSION_TTL_DAYS,
    loginRatePerMinute: e.LOGIN_RATE_PER_MINUTE,
    loginFailuresPerAddressPerMinute: e.LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    writeRatePerMinute: e.WRITE_RATE_PER_MINUTE,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    searchSnapshot: e.SEARCH_SNAPSHOT,
    routing: { notify: e.ROUTING_NOTIFY, escalateMinutes: e.ROUTING_ESCALATE_MINUTES, maxRounds: e.ROUTING_MAX_ROUNDS },
  };
  const config = { ...base, ...overrides, dataDir };
  if (!config.sessionSecret) config.sessionSecret = readOrCreateSecret(dataDir);
  return config;
}

function parseTrustProxy(v: string): Config["trustProxy"] {
  if (v === "" || v === "false") return false;
  if (v === "true") return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(",").map((p) => p.trim());
}

/** The session secret lives in DATA_DIR so restarts keep sessions valid without configuration. */
function readOrCreateSecret(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "session-secret");
  if (existsSync(file)) {
    const secret = readFileSync(file, "utf8").trim();
    if (secret.length >= 32) return secret;
  }
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}
