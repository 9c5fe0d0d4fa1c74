import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

type Answer = {
  id: string;
  score: number;
  accepted: boolean;
  version: number;
  myVote: number;
  comments: { body: string }[];
};
type Question = {
  id: string;
  title: string;
  version: number;
  score: number;
  html: string;
  acceptedAnswerId: string | null;
  closed: boolean;
  answers: Answer[];
  can: Record<string, boolean>;
  duplicateOf: { id: string } | null;
};

describe.each(testBackends())("questions and answers on %s", (backend) => {
  let t: TestApp;
  let asker: Client;
  let expert: Client;
  let other: Client;
  let guest: Client;
  let privateSpace: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const a = await t.newUser({ name: "Asker" });
    const e = await t.newUser({ name: "Expert" });
    const o = await t.newUser({ name: "Other" });
    const g = await t.newUser({ name: "Guest", role: "guest" });
    asker = await t.login(a.email);
    expert = await t.login(e.email);
    other = await t.login(o.email);
    guest = await t.login(g.email);
    privateSpace = (await t.newSpace(a.id, { visibility: "private" })).id;
    await t.addMember(privateSpace, e.id, "viewer");
  });
  afterAll(async () => t.close());

  it("asks, answers, votes, accepts and comments", async () => {
    const q = await asker.json<Question>("POST", "/api/questions", {
      title: "How do I reset a frozen scanner?",
      body: "It shows **E42** and <script>x</script>",
      tags: ["Scanners"],
    });
    expect(q.status).toBe(201);
    expect(q.body.html).toContain("<strong>E42</strong>");
    expect(q.body.html).not.toContain("<script>");
    const answered = await expert.json<Question>("POST", `/api/questions/${q.body.id}/answers`, {
      body: "Hold power and trigger for 10 s.",
    });
    expect(answered.status).toBe(201);
    const answerId = answered.body.answers[0].id;
    expect(
      (await asker.json<Question>("POST", `/api/answers/${answerId}/vote`, { value: 1 })).body.answers[0].score,
    ).toBe(1);
    expect(
      (await asker.json<Question>("POST", `/api/answers/${answerId}/vote`, { value: 1 })).body.answers[0].score,
    ).toBe(1);
    expect(
      (await other.json<Question>("POST", `/api/answers/${answerId}/vote`, { value: -1 })).body.answers[0].score,
    ).toBe(0);
    expect((await expert.json("POST", `/api/answers/${answerId}/vote`, { value: 1 })).status).toBe(403);
    expect((await other.json("POST", `/api/questions/${q.body.id}/accept`, { answerId })).status).toBe(403);
    const accepted = await asker.json<Question>("POST", `/api/questions/${q.body.id}/accept`, { answerId });
    expect(accepted.body.acceptedAnswerId).toBe(answerId);
    expect(accepted.body.answers[0].accepted).toBe(true);
    const commented = await other.json<Question>("POST", `/api/answers/${answerId}/comments`, {
      body: "Worked for me too.",
    });
    expect(commented.body.answers[0].comments.map((c) => c.body)).toEqual(["Worked for me too."]);
    expect(
      (await guest.json("POST", `/api/questions/${q.body.id}/answers`, { body: "Guests only read." })).status,
    ).toBe(403);
    const list = await other.json<{ total: number; items: { id: string; answered: boolean; tags: string[] }[] }>(
      "GET",
      "/api/questions?sort=newest",
    );
    expect(list.body.items.find((i) => i.id === q.body.id)).toMatchObject({ answered: true, tags: ["scanners"] });
  });

  it("keeps both edits apart: a stale edit gets 409 with the newer version", async () => {
    const q = (
      await asker.json<Question>("POST", "/api/questions", { title: "Which carrier for same-day?", body: "Draft" })
    ).body;
    expect(
      (await asker.json<Question>("PUT", `/api/questions/${q.id}`, { version: 1, title: q.title, body: "First edit" }))
        .body.version,
    ).toBe(2);
    const stale = await asker.json<{ error: { code: string }; current: Question }>("PUT", `/api/questions/${q.id}`, {
      version: 1,
      title: q.title,
      body: "Stale edit",
    });
    expect(stale.status).toBe(409);
    expect(stale.body.current.version).toBe(2);
    expect(
      (await other.json("PUT", `/api/questions/${q.id}`, { version: 2, title: q.title, body: "Not mine" })).status,
    ).toBe(403);
  });

  it("closes as a duplicate with a link and refuses new answers", async () => {
    const a = (
      await asker.json<Question>("POST", "/api/questions", { title: "Printer prints blank labels", body: "Why?" })
    ).body;
    const b = (
      await other.json<Question>("POST", "/api/questions", { title: "Blank labels from the printer", body: "Again" })
    ).body;
    const closed = await other.json<Question>("POST", `/api/questions/${b.id}/duplicate`, { duplicateOfId: a.id });
    expect(closed.body.duplicateOf?.id).toBe(a.id);
    expect(closed.body.closed).toBe(true);
    expect((await expert.json("POST", `/api/questions/${b.id}/answers`, { body: "Late" })).status).toBe(403);
    const self = await other.json<{ error: { fields: { path: string }[] } }>(
      "POST",
      `/api/questions/${a.id}/duplicate`,
      { duplicateOfId: a.id },
    );
    expect(self.status).toBe(403);
  });

  it("keeps questions of a private space private", async () => {
    const q = await asker.json<Question>("POST", "/api/questions", {
      title: "Confidential restructuring question",
      body: "Secret",
      spaceId: privateSpace,
    });
    expect(q.status).toBe(201);
    expect((await other.json("GET", `/api/questions/${q.body.id}`)).status).toBe(404);
    expect((await other.json("POST", `/api/questions/${q.body.id}/answers`, { body: "x" })).status).toBe(404);
    const list = await other.json<{ items: { title: string }[] }>("GET", "/api/questions?q=Confidential");
    expect(list.body.items).toEqual([]);
    expect((await expert.json("GET", `/api/questions/${q.body.id}`)).status).toBe(200);
    expect(
      (
        await other.json("POST", "/api/questions", {
          title: "Sneak into a private space",
          body: "x",
          spaceId: privateSpace,
        })
      ).status,
    ).toBe(404);
  });

  it("names the field of invalid input", async () => {
    const r = await asker.json<{ error: { fields: { path: string }[] } }>("POST", "/api/questions", {
      title: "Hi",
      body: "",
    });
    expect(r.status).toBe(400);
    expect(r.body.error.fields.map((f) => f.path).sort()).toEqual(["body", "title"]);
  });
});

describe.each(testBackends())("answered questions in the one search on %s", (backend) => {
  let t: TestApp;
  let asker: Client;
  let expert: Client;
  let outsider: Client;
  beforeAll(async () => {
    t = await createTestApp(backend);
    const a = await t.newUser();
    const e = await t.newUser();
    const o = await t.newUser();
    asker = await t.login(a.email);
    expert = await t.login(e.email);
    outsider = await t.login(o.email);
    const secret = (await t.newSpace(a.id, { visibility: "private" })).id;
    await t.addMember(secret, e.id, "editor");
    const open = (
      await asker.json<Question>("POST", "/api/questions", {
        title: "Pallet wrapper keeps tearing the film",
        body: "The stretch film tears at the corners.",
      })
    ).body;
    await asker.json<Question>("POST", "/api/questions", {
      title: "Unanswered pallet wrapper question",
      body: "Nobody knows yet.",
    });
    const hidden = (
      await asker.json<Question>("POST", "/api/questions", {
        title: "Private pallet wrapper budget",
        body: "Secret numbers.",
        spaceId: secret,
      })
    ).body;
    await expert.json("POST", `/api/questions/${open.id}/answers`, {
      body: "Lower the pre-stretch to 200 % and check the roller for burrs.",
    });
    await expert.json("POST", `/api/questions/${hidden.id}/answers`, { body: "The budget is 40k." });
  });
  afterAll(async () => t.close());

  type Result = { total: number; items: { type: string; id: string; title: string; snippet: string }[] };

  it("finds answered questions beside articles, by the words of their answers too", async () => {
    const r = (await outsider.json<Result>("GET", "/api/search?q=roller%20burrs")).body;
    expect(r.items.map((i) => [i.type, i.title])).toEqual([["question", "Pallet wrapper keeps tearing the film"]]);
    expect(r.items[0].snippet).toContain("<mark>burrs</mark>");
    const all = (await outsider.json<Result>("GET", "/api/search?q=pallet%20wrapper")).body;
    expect(all.items.map((i) => i.title)).toEqual(["Pallet wrapper keeps tearing the film"]);
    expect(all.total).toBe(1);
  });

  it("keeps a private space's questions out of other people's results and counts", async () => {
    expect((await expert.json<Result>("GET", "/api/search?q=budget")).body.total).toBe(1);
    const r = (await outsider.json<Result>("GET", "/api/search?q=budget")).body;
    expect(r.total).toBe(0);
    expect(r.items).toEqual([]);
  });
});
