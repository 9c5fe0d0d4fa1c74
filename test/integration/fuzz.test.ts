import { allReadsSettled } from "../../src/modules/verification/verification.service";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { createTestApp, PASSWORD, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";
import {
  InputGenerator,
  RawBody,
  describeValue,
  queryString,
  routesOf,
  urlEncode,
  type JsonSchema,
  type OpenApiDocument,
  type RouteSpec,
} from "../support/fuzz";
import { rows } from "../../src/platform/db";
import { networkDatasets, networkEdges, networkNodes, routingRequests, users } from "../../db/schema";

afterAll(closeTemplates);

/**
 * Property-based fuzzing of every route's input schema. The routes come from the app itself (its
 * OpenAPI document, which @fastify/swagger builds from each route's zod schemas), and inputs are
 * generated from those schemas: mostly valid values (with real ids, so handlers are reached) and
 * mutated ones (NUL characters, int4 overflow, floats, wrong types, missing and extra fields, huge
 * strings, unicode, invalid ids, non-JSON bodies). Each is sent as a signed-in member and as an
 * admin. Properties: no 5xx, ever; and a 4xx stores nothing (the row count of every table is the
 * same before and after the request).
 *
 * Reproduce: the seed is fixed (KNOWHOW_FUZZ_SEED to change it); a failure prints the route, its
 * seed and fast-check path, and the request. KNOWHOW_FUZZ_ROUTE="PUT /api/articles/{id}" runs one
 * route (with KNOWHOW_FUZZ_PATH to replay one counterexample); KNOWHOW_FUZZ_RUNS sets runs per route;
 * KNOWHOW_FUZZ_VERBOSE=1 prints the statuses each route answered (how often the handlers were reached).
 */
const SEED = Number(process.env.KNOWHOW_FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.KNOWHOW_FUZZ_RUNS ?? 25);
const ONLY = process.env.KNOWHOW_FUZZ_ROUTE;
const REPLAY_PATH = process.env.KNOWHOW_FUZZ_PATH;
const VERBOSE = process.env.KNOWHOW_FUZZ_VERBOSE === "1";

/** Routes the fuzzer leaves out, and why. */
const SKIPPED: Record<string, string> = {
  "POST /api/attachments":
    "multipart upload: the body is a file stream, not a JSON schema (attachments.test.ts covers it)",
  "GET /api/events": "server-sent events: the response never ends",
  "POST /api/auth/logout": "would end the session the fuzzer signs in with",
};

/** Path segment before an `{id}` → the table whose ids are real values for it. */
const SEGMENT_TABLE: Record<string, string> = {
  people: "users",
  spaces: "spaces",
  articles: "articles",
  questions: "questions",
  answers: "answers",
  invitations: "invitations",
  requests: "routing_requests",
  challenges: "challenges",
  notices: "notices",
  lessons: "lessons",
  retrospectives: "retrospectives",
  posts: "posts",
  journal: "journal_entries",
  attachments: "attachments",
};

/** Field name → the tables whose ids are real values for it. */
const FIELD_TABLES: Record<string, string[]> = {
  spaceId: ["spaces"],
  userId: ["users"],
  ownerId: ["users"],
  managerId: ["users"],
  authorId: ["users"],
  toUserId: ["users"],
  participantIds: ["users"],
  articleId: ["articles"],
  supersededById: ["articles"],
  answerId: ["answers"],
  duplicateOfId: ["questions"],
  itemId: ["retro_items"],
  subjectId: ["articles", "answers"],
  targetId: ["articles", "questions"],
  source: ["network_datasets"],
  id: ["retro_items", "articles", "answers"],
  "{type}": ["articles", "answers"],
};

const METHOD_ORDER = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** FNV-1a: a stable per-route seed, so adding a route does not change the inputs of the others. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

type Input = { as: "member" | "admin"; params: Record<string, unknown>; query: unknown; body: unknown };

describe.each(testBackends())("fuzzing every route's input on %s", (backend) => {
  let t: TestApp;
  let member: Client;
  let admin: Client;
  const pools = new Map<string, string[]>();
  const roles = new Map<string, "admin" | "member" | "guest">();
  let countSql = "";

  const add = (table: string, ...ids: (string | undefined)[]) => {
    for (const id of ids) {
      expect(id, `fixture id for ${table}`).toMatch(/^[0-9a-f-]{36}$/);
      pools.set(table, [...(pools.get(table) ?? []), id!]);
    }
  };

  beforeAll(async () => {
    t = await createTestApp(backend);
    const ad = await t.newUser({ name: "Admin", role: "admin" });
    const ana = await t.newUser({ name: "Ana", department: "Field Service" });
    const ben = await t.newUser({ name: "Ben", department: "Logistics" });
    const gus = await t.newUser({ name: "Gus", role: "guest" });
    for (const [u, role] of [
      [ad, "admin"],
      [ana, "member"],
      [ben, "member"],
      [gus, "guest"],
    ] as const)
      roles.set(u.id, role);
    add("users", ad.id, ana.id, ben.id, gus.id);
    admin = await t.login(ad.email);
    member = await t.login(ana.email);
    const benC = await t.login(ben.email);

    // Real objects of every kind, so that generated ids reach the handlers.
    const ok = async <T = { id: string }>(c: Client, method: string, url: string, body?: unknown): Promise<T> => {
      const res = await c.json<T>(method, url, body);
      expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      return res.body;
    };
    const pub = await t.newSpace(ana.id, { name: "Runbooks" });
    const priv = await t.newSpace(ana.id, { name: "Falcon", visibility: "private" });
    const benPriv = await t.newSpace(ben.id, { name: "Ben's notes", visibility: "private" });
    await t.addMember(pub.id, ben.id, "editor");
    add("spaces", pub.id, priv.id, benPriv.id);
    const a1 = await ok<{ id: string; version: number }>(member, "POST", "/api/articles", {
      spaceId: pub.id,
      title: "Battery swap",
      body: "Power off first.",
      tags: ["batteries"],
    });
    await ok(benC, "GET", `/api/articles/${a1.id}`);
    await ok(member, "PUT", `/api/articles/${a1.id}`, {
      version: 1,
      title: "Battery swap",
      body: "Power off first. Then swap.",
      tags: ["batteries"],
      note: "more steps",
    });
    const a2 = await ok(benC, "POST", "/api/articles", {
      spaceId: benPriv.id,
      title: "Ben's private notes",
      body: "Nothing to see.",
    });
    const a3 = await ok(member, "POST", "/api/articles", {
      spaceId: priv.id,
      title: "Falcon plan",
      body: "Draft.",
      status: "draft",
    });
    add("articles", a1.id, a2.id, a3.id);
    const q1 = await ok(member, "POST", "/api/questions", {
      title: "How do I swap a battery?",
      body: "Which driver?",
      tags: ["batteries"],
      route: false,
    });
    const q2 = await ok(benC, "POST", "/api/questions", {
      title: "Where is dock 4 these days?",
      body: "It moved.",
      spaceId: pub.id,
      route: false,
    });
    add("questions", q1.id, q2.id);
    type Answered = { answers: { id: string }[] };
    const ans1 = (
      await ok<Answered>(benC, "POST", `/api/questions/${q1.id}/answers`, { body: "Use the T10 driver." })
    ).answers.at(-1);
    const ans2 = (
      await ok<Answered>(member, "POST", `/api/questions/${q2.id}/answers`, { body: "Next to dock 3." })
    ).answers.at(-1);
    add("answers", ans1?.id, ans2?.id);
    await ok(member, "POST", `/api/questions/${q1.id}/accept`, { answerId: ans1?.id }); // accepted answers can be verified
    const q3 = await ok(benC, "POST", "/api/questions", {
      title: "Who knows the Falcon supplier?",
      body: "Nobody answered yet.",
      tags: ["suppliers"],
      route: false,
    });
    add("questions", q3.id);
    await ok(benC, "POST", `/api/questions/${q1.id}/comments`, { body: "Thanks!" });
    const l1 = await ok(member, "POST", "/api/lessons", {
      title: "Shipped to the wrong dock",
      learned: "Read the dock number back.",
      tags: ["docks"],
    });
    const l2 = await ok(benC, "POST", "/api/lessons", {
      title: "Ben's private lesson",
      learned: "Keep notes private.",
      spaceId: benPriv.id,
    });
    add("lessons", l1.id, l2.id);
    const r1 = await ok<{ id: string; items: { id: string }[] }>(member, "POST", "/api/retrospectives", {
      title: "Falcon launch",
      participantIds: [ben.id],
      items: [
        { column: "well", text: "Parts arrived early" },
        { column: "less", text: "Late sign-off" },
      ],
    });
    add("retrospectives", r1.id);
    add("retro_items", ...r1.items.map((i) => i.id));
    const p1 = await ok(member, "POST", "/api/posts", {
      kind: "learned",
      body: "Dock boards matter.",
      tags: ["docks"],
    });
    const p2 = await ok(benC, "POST", "/api/posts", { kind: "working_on", body: "Planning Falcon." });
    add("posts", p1.id, p2.id);
    const j1 = await ok<{ items: { id: string }[] }>(member, "POST", "/api/journal", {
      practice: "reflection",
      body: "Today I learned about docks.",
    });
    const j2 = await ok<{ items: { id: string }[] }>(benC, "POST", "/api/journal", {
      practice: "practice",
      body: "Ben's private entry.",
    });
    add("journal_entries", j1.items[0].id, j2.items[0].id);
    const c1 = await ok(benC, "POST", "/api/challenges", {
      subjectType: "article",
      subjectId: a1.id,
      claim: "The driver size is outdated now.",
    });
    add("challenges", c1.id);
    const inv = await ok(admin, "POST", "/api/invitations", { email: "new.person@example.test" });
    add("invitations", inv.id);
    await ok(admin, "POST", `/api/people/${ana.id}/endorsements`, { tag: "batteries", note: "Knows them well" });
    await ok(member, "PUT", "/api/me/skills", { skills: ["batteries", "docks"] });
    const requests = await t.ctx.db
      .insert(routingRequests)
      .values([
        { questionId: q3.id, expertId: ana.id },
        { questionId: q3.id, expertId: ad.id },
        { questionId: q2.id, expertId: ana.id },
        { questionId: q1.id, expertId: ben.id },
      ])
      .returning();
    add("routing_requests", ...requests.map((r) => r.id));
    const [dataset] = await t.ctx.db
      .insert(networkDatasets)
      .values({ name: "fuzz network", importedBy: ad.id })
      .returning();
    await t.ctx.db.insert(networkNodes).values(
      ["a", "b", "c"].map((externalId) => ({
        datasetId: dataset.id,
        externalId,
        department: externalId === "c" ? "Ops" : "Sales",
      })),
    );
    await t.ctx.db.insert(networkEdges).values([
      { datasetId: dataset.id, source: "a", target: "b" },
      { datasetId: dataset.id, source: "b", target: "c", weight: 2 },
    ]);
    add("network_datasets", dataset.id);
    const boundary = "----fuzz";
    const file = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\nBattery notes\r\n--${boundary}--\r\n`;
    const uploaded = await member.request("POST", `/api/attachments?articleId=${a1.id}`, file, {
      "content-type": `multipart/form-data; boundary=${boundary}`,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(200);
    for (const table of ["notices", "attachments"]) {
      const found = await rows<{ id: string }>(t.ctx.db, sql.raw(`select id::text as id from "${table}" order by id`));
      if (found.length) add(table, ...found.map((r) => r.id));
    }

    // Every application table is counted; none is left out (a rejected request writes nothing at all,
    // sessions and audit rows included).
    const tables = await rows<{ name: string }>(
      t.ctx.db,
      sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    );
    expect(tables.length).toBeGreaterThan(20);
    countSql = `select ${tables.map((r) => `(select count(*) from "${r.name}")::int as "${r.name}"`).join(", ")}`;
  });
  afterAll(async () => t?.close());

  async function countRows(): Promise<Record<string, number>> {
    // Reads are recorded after an article view is answered: let the last one land before counting.
    await allReadsSettled();
    const [row] = await rows<Record<string, number>>(t.ctx.db, sql.raw(countSql));
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
  }

  function idsFor(field: string, segment?: string): string[] {
    const tables =
      field === "id" && segment && SEGMENT_TABLE[segment]
        ? [SEGMENT_TABLE[segment]]
        : segment === "{type}"
          ? FIELD_TABLES["{type}"]
          : FIELD_TABLES[field];
    return (tables ?? [...pools.keys()]).flatMap((name) => pools.get(name) ?? []);
  }

  /** Inputs for a route: all valid (real ids), or valid with hostile values in the path, the query or the body. */
  function inputs(route: RouteSpec, gen: InputGenerator): fc.Arbitrary<Input> {
    const parts = route.path.split("/");
    const segmentOf = (name: string) => parts[parts.indexOf(`{${name}}`) - 1];
    const validParams = fc.record(
      Object.fromEntries(route.params.map((p) => [p.name, gen.valid(p.schema, p.name, segmentOf(p.name))])),
    );
    const querySchema: JsonSchema = {
      type: "object",
      properties: Object.fromEntries(route.query.map((q) => [q.name, q.schema])),
      required: route.query.filter((q) => q.required).map((q) => q.name),
    };
    const validQuery = route.query.length ? gen.valid(querySchema) : fc.constant({});
    const validBody = route.body ? gen.valid(route.body) : fc.constant(undefined);
    const as = fc.constantFrom<Input["as"]>("member", "admin");
    const options: fc.WeightedArbitrary<Input>[] = [
      { weight: 4, arbitrary: fc.record({ as, params: validParams, query: validQuery, body: validBody }) },
    ];
    if (route.params.length) {
      const badParams = fc
        .tuple(validParams, fc.constantFrom(...route.params))
        .chain(([params, p]) =>
          gen.nasty(p.schema, p.name, segmentOf(p.name)).map((v) => ({ ...params, [p.name]: v })),
        );
      options.push({ weight: 2, arbitrary: fc.record({ as, params: badParams, query: validQuery, body: validBody }) });
    }
    if (route.query.length)
      options.push({
        weight: 3,
        arbitrary: fc.record({
          as,
          params: validParams,
          query: gen.mutated(querySchema, { keepShape: true }),
          body: validBody,
        }),
      });
    if (route.body)
      options.push({
        weight: 4,
        arbitrary: fc.record({ as, params: validParams, query: validQuery, body: gen.body(route.body) }),
      });
    return fc.oneof(...options);
  }

  function requestOf(route: RouteSpec, input: Input) {
    const client = input.as === "admin" ? admin : member;
    let url = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => urlEncode(input.params[name]));
    if (input.query !== null && typeof input.query === "object" && !Array.isArray(input.query))
      url += queryString(input.query as Record<string, unknown>);
    const headers: Record<string, string> = { cookie: client.cookie };
    if (route.method !== "GET") headers["x-csrf-token"] = client.csrf;
    let payload: string | undefined;
    if (input.body instanceof RawBody) {
      payload = input.body.payload;
      headers["content-type"] = input.body.contentType;
    } else if (input.body !== undefined) {
      payload = JSON.stringify(input.body);
      headers["content-type"] = "application/json";
    }
    return { method: route.method, url, headers, payload };
  }

  it("answers every generated input without a 5xx, and stores nothing from a rejected one", async () => {
    await t.app.ready();
    const all = routesOf(t.app.swagger() as unknown as OpenApiDocument);
    expect(all.length).toBeGreaterThan(80);
    const key = (r: RouteSpec) => `${r.method} ${r.path}`;
    const withInput = all.filter((r) => r.params.length || r.query.length || r.body);
    const routes = withInput
      .filter((r) => !SKIPPED[key(r)] && (!ONLY || key(r) === ONLY))
      .sort((a, b) => METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method)); // deletions last
    if (ONLY) expect(routes.map(key), `no route ${ONLY}`).toEqual([ONLY]);
    // currentPassword sometimes right, so a password change is reached (it keeps the current session).
    const gen = new InputGenerator(idsFor, [...pools.values()].flat(), {
      currentPassword: fc.constantFrom(PASSWORD, "wrong password"),
    });
    const statuses = new Map<number, number>();
    const perRoute: string[] = [];
    let routeStatuses = new Map<number, number>();
    const failures: string[] = [];
    let requests = 0;
    let counts = await countRows();
    const started = performance.now();

    for (const route of routes) {
      const seed = (SEED ^ hash(key(route))) | 0;
      const property = fc.asyncProperty(inputs(route, gen), async (input) => {
        const req = requestOf(route, input);
        const res = await t.app.inject({ ...req, method: req.method as "GET" });
        requests++;
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        routeStatuses.set(res.statusCode, (routeStatuses.get(res.statusCode) ?? 0) + 1);
        const before = counts;
        counts = await countRows();
        const what = () =>
          `${input.as} ${req.method} ${req.url.length > 300 ? req.url.slice(0, 300) + "…" : req.url}\n  body: ${describeValue(input.body)}\n  → ${res.statusCode} ${res.body.slice(0, 400)}`;
        if (res.statusCode >= 500) throw new Error(`server error: ${what()}`);
        if (res.statusCode >= 400) {
          // A refused sign-in is recorded on purpose (the audit trail of failed sign-ins): nothing else may be.
          const audited = req.url === "/api/auth/login" && res.statusCode === 401;
          const changed = Object.keys(counts).filter(
            (table) => counts[table] !== before[table] && !(audited && table === "audit_log"),
          );
          if (changed.length)
            throw new Error(
              `rejected input stored rows in ${changed.map((c) => `${c} (${before[c]} → ${counts[c]})`).join(", ")}: ${what()}`,
            );
        }
        if (res.statusCode === 400) {
          const err = (JSON.parse(res.body) as { error?: { code?: string; message?: string } }).error;
          if (err?.code !== "invalid" || !err.message)
            throw new Error(`a 400 without the invalid error shape: ${what()}`);
        }
        if (res.statusCode < 300 && route.method === "PATCH" && route.path === "/api/people/{id}") {
          // The fuzzer may have changed someone's role; put the cast back so later routes run as planned.
          for (const [id, role] of roles)
            await t.ctx.db.update(users).set({ role, knowledgeManager: false }).where(eq(users.id, id));
        }
      });
      routeStatuses = new Map();
      const result = await fc.check(property, {
        seed,
        numRuns: RUNS,
        endOnFailure: true,
        ...(ONLY && REPLAY_PATH ? { path: REPLAY_PATH } : {}),
      });
      perRoute.push(
        `${key(route)}: ${[...routeStatuses]
          .sort(([a], [b]) => a - b)
          .map(([st, n]) => `${st}×${n}`)
          .join(" ")}`,
      );
      if (result.failed) {
        const error =
          result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
        const replay = `KNOWHOW_FUZZ_SEED=${SEED} KNOWHOW_FUZZ_ROUTE="${key(route)}" KNOWHOW_FUZZ_PATH="${result.counterexamplePath}"`;
        failures.push(
          `${key(route)} (route seed ${result.seed}, path "${result.counterexamplePath}"; replay: ${replay}):\n  ${error}`,
        );
      }
    }

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const histogram = [...statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(" ");
    const skipped = all.filter((r) => SKIPPED[key(r)]).map(key);
    const noInput = all.filter((r) => !withInput.includes(r) && !SKIPPED[key(r)]).length;
    console.log(
      `fuzz on ${backend}: ${routes.length} of ${all.length} routes (${noInput} take no input; skipped ${skipped.join(", ")}), ` +
        `${RUNS} runs each, ${requests} requests in ${seconds} s, seed ${SEED}; statuses ${histogram}`,
    );
    if (VERBOSE) console.log(perRoute.join("\n"));
    expect(failures, failures.join("\n\n")).toEqual([]);
  }, 600_000);
});
