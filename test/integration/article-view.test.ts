import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

/** Counts the statements the app sends through the database handle while `fn` runs. */
async function countQueries(t: TestApp, fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const stop = t.ctx.database.observe((text) => seen.push(text.replace(/\s+/g, " ").slice(0, 80)));
  try {
    await fn();
  } finally {
    stop();
  }
  return seen;
}

describe.each(testBackends())("an article view, on %s", (backend) => {
  let t: TestApp;
  let owner: Client;
  let reader: Client;
  let id: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const o = await t.newUser({ name: "Olga" });
    const r = await t.newUser({ name: "Rafael" });
    owner = await t.login(o.email);
    reader = await t.login(r.email);
    const space = await t.newSpace(o.id, { name: "Ops" });
    const a = await owner.json<{ id: string }>("POST", "/api/articles", {
      spaceId: space.id,
      title: "Forklift checks",
      body: "Check the **brakes** daily.",
    });
    id = a.body.id;
    await owner.json("POST", `/api/verification/article/${id}/verify`, { note: "Walked the floor" });
  });
  afterAll(async () => t.close());

  it("costs at most 3 queries, the session included, and still records the read", async () => {
    let body: {
      verification: { state: string; verifiedBy: { name: string } };
      openChallenges: number;
      notices: unknown[];
      canEdit: boolean;
    } | null = null;
    const queries = await countQueries(t, async () => {
      const res = await reader.request("GET", `/api/articles/${id}`);
      expect(res.statusCode).toBe(200);
      body = res.json();
    });
    expect(body!).toMatchObject({
      verification: { state: "verified", verifiedBy: { name: "Olga" } },
      openChallenges: 0,
      notices: [],
      canEdit: true,
    });
    expect(queries.length, queries.join("\n")).toBeGreaterThan(0);
    expect(queries.length, queries.join("\n")).toBeLessThanOrEqual(3);
    console.log(`article view: ${queries.length} queries`);
    // The read is written after the answer; the reading record shows it.
    const reads = await reader.json<{ items: { articleId: string; version: number }[] }>("GET", "/api/me/reads");
    expect(reads.body.items).toEqual([expect.objectContaining({ articleId: id, version: 1 })]);
  });
});
