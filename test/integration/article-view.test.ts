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

describe.each(testBackends())("a question view, on %s", (backend) => {
  let t: TestApp;
  let asker: Client;
  let reader: Client;
  let qid: string;
  let answerIds: string[];

  beforeAll(async () => {
    t = await createTestApp(backend);
    const a = await t.newUser({ name: "Asha" });
    const b = await t.newUser({ name: "Bruno" });
    const c = await t.newUser({ name: "Chen" });
    asker = await t.login(a.email);
    const bruno = await t.login(b.email);
    reader = await t.login(c.email);
    qid = (
      await asker.json<{ id: string }>("POST", "/api/questions", {
        title: "Which label goes on a returned pallet?",
        body: "The old label is still on it.",
        tags: ["returns"],
      })
    ).body.id;
    // Answering returns the question view: the new answer is the one with this body.
    type View = { answers: { id: string; body: string }[] };
    const answerId = (v: View, body: string) => v.answers.find((x) => x.body === body)!.id;
    const first = answerId(
      (await bruno.json<View>("POST", `/api/questions/${qid}/answers`, { body: "The **R** label." })).body,
      "The **R** label.",
    );
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const second = answerId(
      (await reader.json<View>("POST", `/api/questions/${qid}/answers`, { body: "Ask the dock." })).body,
      "Ask the dock.",
    );
    answerIds = [first, second];
    await asker.json("POST", `/api/questions/${qid}/comments`, { body: "Thanks, which colour?" });
    await reader.json("POST", `/api/answers/${first}/comments`, { body: "Red, on the short side." });
    await reader.json("POST", `/api/answers/${first}/vote`, { value: 1 });
    await reader.json("POST", `/api/questions/${qid}/vote`, { value: 1 });
  });
  afterAll(async () => t.close());

  it("loads answers, comments, the reader's votes and the names in one statement", async () => {
    let body: {
      author: { name: string };
      myVote: number;
      comments: { body: string; author: { name: string } }[];
      answers: {
        id: string;
        html: string;
        score: number;
        myVote: number;
        author: { name: string };
        comments: { body: string; author: { name: string } }[];
      }[];
    } | null = null;
    const queries = await countQueries(t, async () => {
      const res = await reader.request("GET", `/api/questions/${qid}`);
      expect(res.statusCode).toBe(200);
      body = res.json();
    });
    expect(body!).toMatchObject({
      author: { name: "Asha" },
      myVote: 1,
      comments: [{ body: "Thanks, which colour?", author: { name: "Asha" } }],
      answers: [
        {
          id: answerIds[0],
          html: "<p>The <strong>R</strong> label.</p>\n",
          score: 1,
          myVote: 1,
          author: { name: "Bruno" },
          comments: [{ body: "Red, on the short side.", author: { name: "Chen" } }],
        },
        { id: answerIds[1], score: 0, myVote: 0, author: { name: "Chen" }, comments: [] },
      ],
    });
    // The question, its thread, who was asked (and on PostgreSQL the access epoch).
    expect(queries.length, queries.join("\n")).toBeLessThanOrEqual(4);
  });
});
