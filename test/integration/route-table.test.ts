import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";
import { API_PREFIX, routes as table } from "../../src/api";
import type { EndpointSpec } from "../../src/platform/endpoints";
import { apiRoutesFile, renderApiRoutes } from "../../scripts/gen-api";
import { call, routes, setCsrf, upload, urlFor } from "../../web/src/api";

afterAll(closeTemplates);

/**
 * The route table (src/api.ts) is the API: every route Fastify serves is declared there and every
 * declaration is served, the web app's generated copy of it is current, the OpenAPI document carries
 * each declared response, and the typed web client (web/src/api.ts, run here against the real app)
 * gets answers its declared response schemas accept.
 */

const declared: { key: string; ep: EndpointSpec }[] = Object.values(table).flatMap((endpoints) =>
  Object.values(endpoints as Record<string, EndpointSpec>).map((ep) => ({
    key: `${ep.method} ${API_PREFIX}${ep.path}`,
    ep,
  })),
);
/** Routes that are not endpoints of the API: the reference's pages, the web app's files. */
const notApi = (url: string) => !url.startsWith(`${API_PREFIX}/`) || url.startsWith(`${API_PREFIX}/docs`);

describe("the generated web route list", () => {
  it("is current (run `npm run gen:api` after changing a route table)", async () => {
    expect(readFileSync(apiRoutesFile, "utf8")).toBe(await renderApiRoutes());
  });
});

describe.each(testBackends())("route table on %s", (backend) => {
  let t: TestApp;
  let admin: Client;
  let spaceId: string;
  const realFetch = globalThis.fetch;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const a = await t.newUser({ name: "Ada Admin", role: "admin" });
    admin = await t.login(a.email);
    spaceId = (await t.newSpace(a.id, { name: "Handbook" })).id;
    // The web client's fetch, answered by the app in memory, with the admin's session.
    setCsrf(admin.csrf);
    globalThis.fetch = async (input, init) => {
      const res = await admin.request(
        init?.method ?? "GET",
        String(input),
        typeof init?.body === "string" ? (JSON.parse(init.body) as unknown) : undefined,
      );
      return new Response(res.statusCode === 204 ? null : res.body, {
        status: res.statusCode,
        headers: { "content-type": String(res.headers["content-type"] ?? "") },
      });
    };
  });
  afterAll(async () => {
    globalThis.fetch = realFetch;
    await t?.close();
  });

  it("serves every declared endpoint, and nothing undeclared", () => {
    const served = new Set(
      t.routes.filter((r) => r.method !== "HEAD" && !notApi(r.url)).map((r) => `${r.method} ${r.url}`),
    );
    expect(served.size).toBeGreaterThan(100);
    const keys = declared.map((d) => d.key);
    expect(new Set(keys).size, "an endpoint is declared twice").toBe(keys.length);
    expect(
      [...served].filter((k) => !keys.includes(k)),
      "served but not in the route table",
    ).toEqual([]);
    expect(
      keys.filter((k) => !served.has(k)),
      "in the route table but not served",
    ).toEqual([]);
  });

  it("documents every declared response in the OpenAPI document", async () => {
    const doc = (
      await admin.json<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>(
        "GET",
        "/api/docs/json",
      )
    ).body;
    for (const { ep } of declared) {
      const openApiPath = `${API_PREFIX}${ep.path}`.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
      const op = doc.paths[openApiPath]?.[ep.method.toLowerCase()];
      expect(op, `${ep.method} ${openApiPath}`).toBeDefined();
      const codes = [String(ep.status ?? 200), ...Object.keys(ep.other ?? {})];
      for (const code of codes) expect(op.responses[code], `${ep.method} ${openApiPath} ${code}`).toBeDefined();
    }
  });

  it("the typed client's answers parse with the declared response schemas", async () => {
    const check = <T>(ep: EndpointSpec, body: T): T => {
      expect(ep.response).toBeInstanceOf(z.ZodType);
      (ep.response as z.ZodType).parse(body);
      return body;
    };
    const me = check(table.accounts.getAuthMe, await call(routes.accounts.getAuthMe));
    expect(me.user.name).toBe("Ada Admin");
    check(table.spaces.getSpaces, await call(routes.spaces.getSpaces));

    const created = check(
      table.articles.postArticles,
      await call(routes.articles.postArticles, { body: { spaceId, title: "On call", body: "Page the *owner*." } }),
    );
    expect(created.title).toBe("On call");
    const view = check(
      table.articles.getArticlesById,
      await call(routes.articles.getArticlesById, { params: { id: created.id } }),
    );
    expect(view.id).toBe(created.id);
    const edited = check(
      table.articles.putArticlesById,
      await call(routes.articles.putArticlesById, {
        params: { id: created.id },
        body: { title: "On call rota", body: "Page the *owner* first.", version: created.version },
      }),
    );
    check(table.articles.getArticles, await call(routes.articles.getArticles, { query: { spaceId, limit: 10 } }));
    check(
      table.articles.getArticlesRevisions,
      await call(routes.articles.getArticlesRevisions, { params: { id: created.id } }),
    );
    check(
      table.articles.getArticlesDiff,
      await call(routes.articles.getArticlesDiff, {
        params: { id: created.id },
        query: { from: 1, to: edited.version },
      }),
    );
    check(table.search.getSearch, await call(routes.search.getSearch, { query: { q: "rota" } }));
    check(table.audit.getAudit, await call(routes.audit.getAudit, { query: { limit: 5 } }));
    check(
      table.articles.deleteArticlesById,
      await call(routes.articles.deleteArticlesById, { params: { id: created.id } }),
    );
    check(table.articles.getTrash, await call(routes.articles.getTrash));
  });

  it("builds URLs from the declared paths: params encoded, query serialised", () => {
    expect(urlFor(routes.articles.getArticlesById, { params: { id: "a/b c" } })).toBe("/api/articles/a%2Fb%20c");
    expect(
      urlFor(routes.network.getNetworkExportCsv, { query: { source: "app", level: "person", topic: undefined } }),
    ).toBe("/api/network/export.csv?source=app&level=person");
    expect(urlFor(routes.routing.getEvents)).toBe("/api/events");
    expect(typeof upload).toBe("function");
  });
});
