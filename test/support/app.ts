import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { LightMyRequestResponse } from "fastify";
import { eq } from "drizzle-orm";
import { loadConfig, type Config } from "../../src/platform/config";
import { createContext } from "../../src/context";
import type { AppContext } from "../../src/context";
import { buildApp, type App, type RouteEntry } from "../../src/app";
import { hashPassword } from "../../src/modules/accounts/passwords";
import { spaceMembers, spaces, users } from "../../db/schema";
import { createTestDatabase, type Backend, type TestDatabaseOptions } from "./databases";

export const PASSWORD = "correct horse battery";
let passwordHash: Promise<string> | null = null;

export type TestApp = {
  ctx: AppContext;
  app: App;
  /** Every route the app registered (method and URL), in registration order. */
  routes: RouteEntry[];
  clock: { now: Date };
  close: () => Promise<void>;
  newUser: (
    input?: Partial<{ name: string; email: string; role: "admin" | "member" | "guest"; department: string }>,
  ) => Promise<{ id: string; email: string; name: string }>;
  newSpace: (
    ownerId: string,
    input?: Partial<{ name: string; visibility: "public" | "private"; memberAccess: "editor" | "viewer" }>,
  ) => Promise<{ id: string; name: string }>;
  addMember: (spaceId: string, userId: string, role: "owner" | "editor" | "viewer") => Promise<void>;
  login: (email: string, password?: string) => Promise<Client>;
};

export type Client = {
  csrf: string;
  cookie: string;
  request: (
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<LightMyRequestResponse>;
  json: <T = Record<string, unknown>>(
    method: string,
    url: string,
    body?: unknown,
  ) => Promise<{ status: number; body: T }>;
};

let counter = 0;

/** A full app on a fresh database of the given kind, with factories (Immich-style) and a movable clock. */
export async function createTestApp(
  kind: Backend,
  overrides: Partial<Config> = {},
  options: TestDatabaseOptions = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "knowhow-test-"));
  const database = await createTestDatabase(kind, options);
  const config = loadConfig({ LOG_LEVEL: "silent" } as NodeJS.ProcessEnv, {
    dataDir,
    demo: false,
    writeRatePerMinute: 100_000,
    loginRatePerMinute: 1000,
    ...overrides,
  });
  const clock = { now: new Date("2026-03-02T09:00:00Z") };
  const ctx = createContext(config, database, () => new Date(clock.now));
  const routes: RouteEntry[] = [];
  // Strict responses: a field the route's response schema does not name fails the request instead of vanishing.
  const app = await buildApp(ctx, { routes, strictResponses: true });
  const t: TestApp = {
    ctx,
    app,
    routes,
    clock,
    async close() {
      await app.close();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
    async newUser(input = {}) {
      passwordHash ??= hashPassword(PASSWORD);
      const n = ++counter;
      const [u] = await ctx.db
        .insert(users)
        .values({
          email: input.email ?? `person${n}@example.test`,
          name: input.name ?? `Person ${n}`,
          role: input.role ?? "member",
          department: input.department ?? "",
          passwordHash: await passwordHash,
        })
        .returning();
      return { id: u.id, email: u.email, name: u.name };
    },
    async newSpace(ownerId, input = {}) {
      const n = ++counter;
      const [s] = await ctx.db
        .insert(spaces)
        .values({
          name: input.name ?? `Space ${n}`,
          slug: `space-${n}-${Math.random().toString(36).slice(2, 8)}`,
          visibility: input.visibility ?? "public",
          memberAccess: input.memberAccess ?? "editor",
          createdBy: ownerId,
        })
        .returning();
      await ctx.db.insert(spaceMembers).values({ spaceId: s.id, userId: ownerId, role: "owner" });
      return { id: s.id, name: s.name };
    },
    async addMember(spaceId, userId, role) {
      await ctx.db
        .insert(spaceMembers)
        .values({ spaceId, userId, role })
        .onConflictDoUpdate({ target: [spaceMembers.spaceId, spaceMembers.userId], set: { role } });
    },
    async login(email, password = PASSWORD) {
      const res = await app.inject({ method: "POST", url: "/api/auth/login", payload: { email, password } });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === "kh_session")!;
      return makeClient(app, `kh_session=${cookie.value}`, (res.json() as { csrfToken: string }).csrfToken);
    },
  };
  return t;
}

/** A client that sends the session cookie and the CSRF header like the web app does. */
export function makeClient(app: App, cookie: string, csrf: string): Client {
  const request: Client["request"] = (method, url, body, headers = {}) =>
    app.inject({
      method: method as "GET",
      url,
      payload: body === undefined ? undefined : (body as object),
      headers: { cookie, ...(method === "GET" ? {} : { "x-csrf-token": csrf }), ...headers },
    });
  return {
    csrf,
    cookie,
    request,
    async json(method, url, body) {
      const res = await request(method, url, body);
      return { status: res.statusCode, body: res.body ? res.json() : ({} as never) };
    },
  };
}

/** Marks a user as deactivated. */
export async function deactivate(t: TestApp, id: string): Promise<void> {
  await t.ctx.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, id));
}
