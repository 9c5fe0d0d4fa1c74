import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

type Err = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };
type Versioned = { id: string; version: number };

const NUL = "a\u0000b";
const INT4_OVERFLOW = 2147483648;

/**
 * Input PostgreSQL cannot store must be a 400 naming the field, never a 500: a NUL character in
 * any text (PostgreSQL rejects it in text columns and parameters), integers past int4.
 */
describe.each(testBackends())("bad input is a 400 naming the field on %s", (backend) => {
  let t: TestApp;
  let ana: Client;
  let admin: Client;
  let anaId: string;
  let spaceId: string;
  let article: Versioned;
  let question: Versioned;
  let answer: Versioned;
  let lesson: Versioned;
  let retro: Versioned & { items: { id: string }[] };
  let post: Versioned;
  let journal: Versioned;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const a = await t.newUser({ name: "Ana" });
    const ad = await t.newUser({ name: "Admin", role: "admin" });
    anaId = a.id;
    ana = await t.login(a.email);
    admin = await t.login(ad.email);
    spaceId = (await t.newSpace(a.id, { name: "Runbooks" })).id;
    article = (
      await ana.json<Versioned>("POST", "/api/articles", { spaceId, title: "Battery swap", body: "Power off first." })
    ).body;
    question = (
      await ana.json<Versioned>("POST", "/api/questions", {
        title: "How do I swap a battery?",
        body: "Which tool?",
        route: false,
      })
    ).body;
    answer = (
      await admin.json<Versioned>("POST", `/api/questions/${question.id}/answers`, { body: "Use the T10 driver." })
    ).body;
    lesson = (
      await ana.json<Versioned>("POST", "/api/lessons", {
        title: "Wrong dock again",
        learned: "Read the dock number back.",
      })
    ).body;
    retro = (
      await ana.json<Versioned & { items: { id: string }[] }>("POST", "/api/retrospectives", {
        title: "Falcon",
        items: [{ column: "less", text: "Late parts" }],
      })
    ).body;
    post = (await ana.json<Versioned>("POST", "/api/posts", { kind: "learned", body: "Dock boards matter." })).body;
    journal = (
      await ana.json<{ items: Versioned[] }>("POST", "/api/journal", {
        practice: "reflection",
        body: "Today I learned.",
      })
    ).body.items[0];
    for (const [name, made] of Object.entries({ article, question, answer, lesson, retro, post, journal }))
      expect(made.id, `${name}: ${JSON.stringify(made)}`).toBeTruthy();
  });
  afterAll(async () => t.close());

  async function expectFieldError(client: Client, method: string, url: string, body: unknown, path: string) {
    const res = await client.request(method, url, body);
    expect(res.statusCode, `${method} ${url} ${path}: ${res.body}`).toBe(400);
    const err = (res.json() as Err).error;
    expect(err.code).toBe("invalid");
    expect(err.fields?.map((f) => f.path)).toContain(path);
    expect(err.message).toContain(`${path}: `);
  }

  it("limits every search box the same way, with the same message", async () => {
    const long = "x".repeat(20_001);
    for (const url of ["/api/search", "/api/questions", "/api/people", "/api/experts"]) {
      const res = await ana.json<{ error: { fields: { path: string; message: string }[] } }>("GET", `${url}?q=${long}`);
      expect(res.status, url).toBe(400);
      expect(res.body.error.fields[0], url).toEqual({ path: "q", message: "must be at most 20,000 characters" });
      expect((await ana.json("GET", `${url}?q=${"x".repeat(20_000)}`)).status, url).toBe(200);
    }
  });

  it("rejects a NUL character in any text field of the write routes", async () => {
    const cases: [Client, string, string, Record<string, unknown>, string][] = [
      [ana, "PATCH", `/api/people/${anaId}`, { version: 1, bio: NUL }, "bio"],
      [ana, "PATCH", `/api/people/${anaId}`, { version: 1, name: NUL }, "name"],
      [ana, "POST", "/api/spaces", { name: NUL }, "name"],
      [ana, "PATCH", `/api/spaces/${spaceId}`, { description: NUL }, "description"],
      [ana, "POST", "/api/articles", { spaceId, title: "Fine", body: NUL }, "body"],
      [ana, "POST", "/api/articles", { spaceId, title: "Fine", tags: ["ok", NUL] }, "tags.1"],
      [
        ana,
        "PUT",
        `/api/articles/${article.id}`,
        { version: article.version, title: "Battery swap", body: "x", note: NUL },
        "note",
      ],
      [ana, "POST", "/api/questions", { title: "A question with NUL", body: NUL, route: false }, "body"],
      [
        ana,
        "PUT",
        `/api/questions/${question.id}`,
        { version: question.version, title: NUL + " title", body: "b" },
        "title",
      ],
      [ana, "POST", `/api/questions/${question.id}/answers`, { body: NUL }, "body"],
      [admin, "PUT", `/api/answers/${answer.id}`, { version: answer.version, body: NUL }, "body"],
      [ana, "POST", `/api/questions/${question.id}/comments`, { body: NUL }, "body"],
      [ana, "POST", `/api/answers/${answer.id}/comments`, { body: NUL }, "body"],
      [ana, "PUT", "/api/me/skills", { skills: ["batteries", NUL] }, "skills.1"],
      [admin, "POST", `/api/people/${anaId}/endorsements`, { tag: NUL }, "tag"],
      [
        ana,
        "POST",
        "/api/deflections",
        { query: NUL, targetType: "article", targetId: article.id, source: "ask" },
        "query",
      ],
      [ana, "POST", `/api/verification/article/${article.id}/verify`, { note: NUL }, "note"],
      [ana, "PUT", `/api/verification/article/${article.id}`, { ownerDepartment: NUL }, "ownerDepartment"],
      [
        ana,
        "POST",
        "/api/challenges",
        { subjectType: "article", subjectId: article.id, claim: `${NUL} is outdated now` },
        "claim",
      ],
      [
        ana,
        "POST",
        "/api/lessons",
        { title: "Wrong dock", learned: "Read it back", whatHappened: NUL },
        "whatHappened",
      ],
      [
        ana,
        "PUT",
        `/api/lessons/${lesson.id}`,
        { version: lesson.version, title: "Wrong dock again", learned: "Read it back", impact: NUL },
        "impact",
      ],
      [ana, "POST", "/api/retrospectives", { title: "Falcon", items: [{ column: "well", text: NUL }] }, "items.0.text"],
      [ana, "PUT", `/api/retrospectives/${retro.id}`, { version: retro.version, title: NUL, items: [] }, "title"],
      [
        ana,
        "POST",
        `/api/retrospectives/${retro.id}/items/${retro.items[0].id}/lesson`,
        { learned: `${NUL} learned` },
        "learned",
      ],
      [ana, "POST", "/api/posts", { kind: "learned", body: NUL }, "body"],
      [ana, "POST", `/api/posts/${post.id}/comments`, { body: NUL }, "body"],
      [ana, "PUT", "/api/me/follows", { type: "tag", target: NUL, follow: true }, "target"],
      [ana, "POST", "/api/journal", { practice: "reflection", body: NUL }, "body"],
      [ana, "POST", `/api/journal/${journal.id}/share`, { tags: [NUL] }, "tags.0"],
      [ana, "POST", `/api/journal/${journal.id}/lesson`, { title: `${NUL} title` }, "title"],
    ];
    for (const [client, method, url, body, path] of cases) await expectFieldError(client, method, url, body, path);
  });

  it("rejects a NUL character in the query string and in path parameters", async () => {
    await expectFieldError(ana, "GET", "/api/people?q=%00", undefined, "q");
    await expectFieldError(ana, "GET", "/api/people?department=x%00y", undefined, "department");
    await expectFieldError(ana, "GET", "/api/articles?tag=%00", undefined, "tag");
    await expectFieldError(ana, "GET", "/api/search?q=battery%00", undefined, "q");
    await expectFieldError(admin, "DELETE", `/api/people/${anaId}/endorsements/a%00b`, undefined, "tag");
  });

  it("keeps NUL out of uploads (the fuzzer skips multipart): a 400 for the query, a cleaned file name", async () => {
    const boundary = "----nul";
    const form = (filename: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\nBattery notes\r\n--${boundary}--\r\n`;
    const headers = { "content-type": `multipart/form-data; boundary=${boundary}` };
    await expectFieldError(ana, "POST", `/api/attachments?articleId=${article.id}%00`, undefined, "articleId");
    const res = await ana.request("POST", `/api/attachments?articleId=${article.id}`, form("notes\u0000.txt"), headers);
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { name: string }).name).toBe("notes_.txt");
  });

  it("rejects a version past the int4 range on every versioned update", async () => {
    const cases: [Client, string, string, Record<string, unknown>][] = [
      [ana, "PUT", `/api/articles/${article.id}`, { version: INT4_OVERFLOW, title: "Battery swap", body: "x" }],
      [ana, "POST", `/api/articles/${article.id}/revisions/1/restore`, { version: INT4_OVERFLOW }],
      [
        ana,
        "PUT",
        `/api/lessons/${lesson.id}`,
        { version: INT4_OVERFLOW, title: "Wrong dock again", learned: "Read it back" },
      ],
      [ana, "PUT", `/api/retrospectives/${retro.id}`, { version: INT4_OVERFLOW, title: "Falcon", items: [] }],
      [
        ana,
        "PUT",
        `/api/questions/${question.id}`,
        { version: INT4_OVERFLOW, title: "How do I swap a battery?", body: "b" },
      ],
      [admin, "PUT", `/api/answers/${answer.id}`, { version: INT4_OVERFLOW, body: "b" }],
      [ana, "PATCH", `/api/people/${anaId}`, { version: INT4_OVERFLOW, bio: "b" }],
    ];
    for (const [client, method, url, body] of cases) await expectFieldError(client, method, url, body, "version");
    await expectFieldError(ana, "GET", `/api/articles/${article.id}/revisions/${INT4_OVERFLOW}`, undefined, "version");
    await expectFieldError(
      ana,
      "POST",
      `/api/articles/${article.id}/revisions/${INT4_OVERFLOW}/restore`,
      { version: 1 },
      "version",
    );
    await expectFieldError(ana, "GET", `/api/articles/${article.id}/diff?from=1&to=${INT4_OVERFLOW}`, undefined, "to");
    // The largest int4 is valid input: a stale version, so a 409, not a 400 or a 500.
    expect(
      (
        await ana.request("PUT", `/api/articles/${article.id}`, {
          version: 2147483647,
          title: "Battery swap",
          body: "x",
        })
      ).statusCode,
    ).toBe(409);
  });
});
