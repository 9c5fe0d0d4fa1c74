import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { users } from "../../db/schema";
import { buildApp } from "../../src/app";
import { rows } from "../../src/platform/db";
import { createTestApp, deactivate, makeClient, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";
import { loadDemo } from "../../db/seed/load-demo";
import { buildDemoOrg } from "../../db/seed/demo-org";

afterAll(closeTemplates);

type Summary = {
  id: string;
  title: string;
  anonymous: boolean;
  standing: boolean;
  deadline: string | null;
  open: boolean;
  dueSoon: boolean;
  answered: number | null;
  released: number | null;
  recipientCount: number | null;
  myAnswered: boolean | null;
  thanks: string | null;
};
type Feedback = Summary & {
  subject: { article: { id: string; title: string } | null; articleHidden: boolean };
  recipients: { id: string; name: string; answered: boolean | null }[];
  results: {
    questions: {
      kind: string;
      scale: { count: number; mean: number | null; distribution: number[] } | null;
      texts: string[];
    }[];
    named: { person: { id: string; name: string }; answeredAt: string; values: (number | string)[] }[];
  } | null;
  can: Record<string, boolean>;
};
type List = { asked: Summary[]; received: Summary[] };

const QUESTIONS = [
  { kind: "scale", prompt: "How clear is the proposal?" },
  { kind: "text", prompt: "What would you change?" },
];

describe.each(testBackends())("feedback on %s", (backend) => {
  let t: TestApp;
  const who: Record<string, { id: string; email: string; name: string; client: Client }> = {};
  const logLines: string[] = [];
  let logged: Client[] = [];
  let loggedApp: Awaited<ReturnType<typeof buildApp>>;

  async function person(key: string, department: string, role: "member" | "guest" | "admin" = "member") {
    const u = await t.newUser({ name: `${key} Person`, department, role });
    who[key] = { ...u, client: await t.login(u.email) };
  }
  const ask = (c: Client, body: Record<string, unknown>) =>
    c.json<Feedback>("POST", "/api/feedback", {
      subject: { kind: "text", title: "The new on-call rota", description: "Draft in **the doc**." },
      questions: QUESTIONS,
      deadline: new Date(t.clock.now.getTime() + 7 * 86_400_000).toISOString(),
      ...body,
    });
  const answer = (c: Client, id: string, values: (number | string)[]) =>
    c.json("POST", `/api/feedback/${id}/answers`, { answers: values.map((value) => ({ value })) });

  beforeAll(async () => {
    t = await createTestApp(backend);
    await person("asker", "Ops");
    for (const k of ["r1", "r2", "r3", "r4", "r5", "r6", "r7"]) await person(k, "Ops");
    await person("outsider", "Sales");
    await person("admin", "IT", "admin");
    await person("guest", "Ops", "guest");
    await person("gone", "Ops");
    await deactivate(t, who.gone.id);
    // A second app on the same database that logs every line (JSON) into logLines.
    loggedApp = await buildApp(
      { ...t.ctx, config: { ...t.ctx.config, logLevel: "trace" } },
      { logger: true, logStream: { write: (line) => void logLines.push(line) } },
    );
    logged = [];
    for (const k of ["r1", "r2", "r3"]) logged.push(makeClient(loggedApp, who[k].client.cookie, who[k].client.csrf));
  });
  afterAll(async () => {
    await loggedApp?.close();
    await t?.close();
  });

  it("checks what is asked and of whom", async () => {
    const base = { recipients: { kind: "people", userIds: [who.r1.id, who.r2.id, who.r3.id] } };
    let res = await ask(who.asker.client, { ...base, deadline: null });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain("deadline");
    res = await ask(who.asker.client, { ...base, deadline: "2020-01-01T00:00:00Z" });
    expect(res.status).toBe(400);
    res = await ask(who.asker.client, { ...base, questions: [] });
    expect(res.status).toBe(400);
    res = await ask(who.asker.client, { ...base, questions: Array(11).fill(QUESTIONS[0]) });
    expect(res.status).toBe(400);
    res = await ask(who.asker.client, { ...base, questions: [{ kind: "stars", prompt: "How many?" }] });
    expect(res.status).toBe(400);
    // Anonymous needs three people; guests and deactivated people are not asked.
    res = await ask(who.asker.client, { recipients: { kind: "people", userIds: [who.r1.id, who.r2.id] } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain("at least 3");
    res = await ask(who.asker.client, {
      recipients: { kind: "people", userIds: [who.r1.id, who.r2.id, who.guest.id] },
    });
    expect(res.status).toBe(400);
    res = await ask(who.asker.client, { recipients: { kind: "people", userIds: [who.r1.id, who.r2.id, who.gone.id] } });
    expect(res.status).toBe(400);
    res = await ask(who.asker.client, {
      recipients: { kind: "people", userIds: [who.r1.id, who.asker.id, who.r2.id] },
    });
    expect(res.status).toBe(400);
    // A guest does not ask.
    res = await ask(who.guest.client, base);
    expect(res.status).toBe(403);
    // A department: active members of it, not the asker, guests or deactivated people.
    res = await ask(who.asker.client, { recipients: { kind: "department", department: "Ops" } });
    expect(res.status).toBe(201);
    expect(res.body.recipients.map((r) => r.id).sort()).toEqual(
      ["r1", "r2", "r3", "r4", "r5", "r6", "r7"].map((k) => who[k].id).sort(),
    );
    expect(res.body.recipients.every((r) => r.answered === null)).toBe(true);
    await who.asker.client.json("POST", `/api/feedback/${res.body.id}/close`);
  });

  it("keeps anonymous answers anonymous and releases them in rounds of three", async () => {
    const created = await ask(who.asker.client, {
      recipients: { kind: "people", userIds: ["r1", "r2", "r3", "r4", "r5", "r6", "r7"].map((k) => who[k].id) },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const auditBefore = await rows<{ n: number | string }>(t.ctx.db, sql`select count(*) as n from audit_log`);

    // The answers table has no author and no time.
    const columns = await rows<{ column_name: string }>(
      t.ctx.db,
      sql`select column_name from information_schema.columns where table_name = 'feedback_answers' order by column_name`,
    );
    expect(columns.map((c) => c.column_name)).toEqual(["answer", "id", "request_id", "round"]);

    // Bad answers name their field.
    let res = await answer(who.r1.client, id, [6, "x"]);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain("answers.0.value");
    res = await answer(who.r1.client, id, [3, "x".repeat(5001)]);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain("answers.1.value");
    res = await answer(who.r1.client, id, [3]);
    expect(res.status).toBe(400);

    // Three answer through the app that logs.
    const texts = ["Shorter shifts alpha", "More handover bravo", "Pay for nights charlie"];
    expect((await answer(logged[0], id, [5, texts[0]])).status).toBe(200);
    expect((await answer(logged[1], id, [4, texts[1]])).status).toBe(200);
    let view = (await who.asker.client.json<Feedback>("GET", `/api/feedback/${id}`)).body;
    expect(view.answered).toBe(2);
    expect(view.released).toBe(0);
    expect(view.results!.questions[0].scale).toEqual({ count: 0, mean: null, distribution: [0, 0, 0, 0, 0] });
    expect(view.results!.questions[1].texts).toEqual([]);
    const heldBack = await rows<{ id: string }>(
      t.ctx.db,
      sql`select id from feedback_answers where request_id = ${id} and round is null`,
    );
    expect(heldBack).toHaveLength(2);
    expect((await answer(logged[2], id, [2, texts[2]])).status).toBe(200);
    // One-time: a second answer is refused.
    expect((await answer(who.r1.client, id, [1, "again"])).status).toBe(409);

    view = (await who.asker.client.json<Feedback>("GET", `/api/feedback/${id}`)).body;
    expect(view.answered).toBe(3);
    expect(view.released).toBe(3);
    expect(view.results!.questions[0].scale).toEqual({ count: 3, mean: 3.7, distribution: [0, 1, 0, 1, 1] });
    expect(view.results!.questions[1].texts).toEqual([...texts].sort());
    // The asker sees whom they asked, never who answered; no time on any answer.
    expect(view.recipients.every((r) => r.answered === null)).toBe(true);
    expect(view.results!.named).toEqual([]);
    const authors = ["r1", "r2", "r3"].flatMap((k) => [who[k].id, who[k].email, who[k].name]);
    const resultsText = JSON.stringify(view.results);
    for (const a of authors) expect(resultsText).not.toContain(a);
    expect(resultsText).not.toMatch(/\d{4}-\d{2}-\d{2}T/);

    // The database: no answer row names its author, no recipient row holds an answer, tickets are spent.
    const answerRows = await rows<{ row: string }>(
      t.ctx.db,
      sql`select f::text as row from feedback_answers f where f.request_id = ${id}`,
    );
    expect(answerRows).toHaveLength(3);
    // The released group was written anew in one transaction: no row keeps the transaction of its answer.
    const xmins = await rows<{ n: number | string }>(
      t.ctx.db,
      sql`select count(distinct xmin::text) as n from feedback_answers where request_id = ${id}`,
    );
    expect(Number(xmins[0].n)).toBe(1);
    // … shuffled, with new ids: nothing of the rows as they arrived is left.
    const ids = (
      await rows<{ id: string }>(t.ctx.db, sql`select id from feedback_answers where request_id = ${id}`)
    ).map((r) => r.id);
    for (const h of heldBack) expect(ids).not.toContain(h.id);
    for (const r of answerRows) for (const a of authors) expect(r.row).not.toContain(a);
    const recipients = await rows<{
      user_id: string;
      answered: boolean;
      token_hash: string | null;
      answer: unknown;
      answered_at: unknown;
    }>(
      t.ctx.db,
      sql`select user_id, answered, token_hash, answer, answered_at from feedback_recipients where request_id = ${id}`,
    );
    for (const r of recipients) {
      expect(r.answer).toBeNull();
      expect(r.answered_at).toBeNull();
      expect(r.token_hash === null).toBe(r.answered);
    }
    // Nothing in the audit log (no row written by answering, so none naming an author).
    const auditAfter = await rows<{ n: number | string }>(t.ctx.db, sql`select count(*) as n from audit_log`);
    expect(Number(auditAfter[0].n)).toBe(Number(auditBefore[0].n));
    // (Sign-ins are audited with the person who signed in; they say nothing about feedback.)
    const auditText = await rows<{ row: string }>(
      t.ctx.db,
      sql`select a::text as row from audit_log a where action not like 'auth.%'`,
    );
    for (const r of auditText) for (const k of ["r1", "r2", "r3"]) expect(r.row).not.toContain(who[k].id);
    // The log lines of the answers carry neither the body nor the author.
    const answerLines = logLines.filter((l) => l.includes(`/api/feedback/${id}/answers`));
    expect(answerLines.length).toBeGreaterThanOrEqual(3);
    const allLogs = logLines.join("\n");
    for (const x of [...texts, ...authors]) expect(allLogs).not.toContain(x);

    // An admin gets the same 404 as for a request that does not exist; the answers are the asker's alone.
    const adminView = await who.admin.client.json("GET", `/api/feedback/${id}`);
    const ghost = await who.admin.client.json("GET", `/api/feedback/${crypto.randomUUID()}`);
    expect(adminView.status).toBe(404);
    expect(adminView.body).toEqual(ghost.body);
    // A recipient sees the request and their own state, not the answers or the other people asked.
    const mine = (await who.r1.client.json<Feedback>("GET", `/api/feedback/${id}`)).body;
    expect(mine.myAnswered).toBe(true);
    expect(mine.results).toBeNull();
    expect(mine.recipients).toEqual([]);
    expect(mine.answered).toBeNull();

    // A fourth and fifth answer stay hidden until a sixth makes a group of three.
    await answer(who.r4.client, id, [1, "fourth delta"]);
    view = (await who.asker.client.json<Feedback>("GET", `/api/feedback/${id}`)).body;
    expect([view.answered, view.released]).toEqual([4, 3]);
    expect(view.results!.questions[1].texts).not.toContain("fourth delta");
    expect(view.results!.questions[0].scale!.count).toBe(3);
    await answer(who.r5.client, id, [1, "fifth echo"]);
    view = (await who.asker.client.json<Feedback>("GET", `/api/feedback/${id}`)).body;
    expect([view.answered, view.released]).toEqual([5, 3]);
    await answer(who.r6.client, id, [1, "sixth foxtrot"]);
    view = (await who.asker.client.json<Feedback>("GET", `/api/feedback/${id}`)).body;
    expect([view.answered, view.released]).toEqual([6, 6]);
    expect(view.results!.questions[1].texts).toContain("fourth delta");
    // A seventh answer and the request closes: a group of one is never shown.
    await answer(who.r7.client, id, [5, "seventh golf"]);
    view = (await who.asker.client.json<Feedback>("POST", `/api/feedback/${id}/close`)).body;
    expect([view.answered, view.released, view.open]).toEqual([7, 6, false]);
    expect(view.results!.questions[1].texts).not.toContain("seventh golf");
  });

  it("takes concurrent answers one at a time: a double answer is refused, the round is released once", async () => {
    const created = await ask(who.asker.client, {
      recipients: { kind: "people", userIds: [who.r1.id, who.r2.id, who.r3.id, who.r4.id] },
    });
    const id = created.body.id;
    // Without the CSRF header nothing is stored.
    const forged = await who.r4.client.request(
      "POST",
      `/api/feedback/${id}/answers`,
      { answers: [{ value: 1 }, { value: "forged" }] },
      { "x-csrf-token": "nope" },
    );
    expect(forged.statusCode).toBe(403);
    const statuses = await Promise.all([
      answer(who.r1.client, id, [3, "one"]),
      answer(who.r1.client, id, [3, "one again"]),
      answer(who.r2.client, id, [4, "two"]),
      answer(who.r3.client, id, [5, "three"]),
    ]).then((all) => all.map((r) => r.status));
    expect(statuses.slice(0, 2).sort()).toEqual([200, 409]);
    expect(statuses.slice(2)).toEqual([200, 200]);
    const view = (await who.asker.client.json<Feedback>("GET", `/api/feedback/${id}`)).body;
    expect([view.answered, view.released]).toEqual([3, 3]);
    const stored = await rows<{ n: number | string; rounds: number | string }>(
      t.ctx.db,
      sql`select count(*) as n, count(distinct round) as rounds from feedback_answers where request_id = ${id}`,
    );
    expect([Number(stored[0].n), Number(stored[0].rounds)]).toEqual([3, 1]);
    await who.asker.client.json("POST", `/api/feedback/${id}/close`);
  });

  it("shows named answers as they come, with their author", async () => {
    const created = await ask(who.asker.client, {
      anonymous: false,
      recipients: { kind: "people", userIds: [who.r1.id] },
    });
    expect(created.status).toBe(201);
    expect((await answer(who.r1.client, created.body.id, [4, "Looks good"])).status).toBe(200);
    const view = (await who.asker.client.json<Feedback>("GET", `/api/feedback/${created.body.id}`)).body;
    expect([view.answered, view.released]).toEqual([1, 1]);
    expect(view.recipients).toEqual([{ id: who.r1.id, name: who.r1.name, answered: true }]);
    expect(view.results!.named).toMatchObject([
      { person: { id: who.r1.id }, answeredAt: t.clock.now.toISOString(), values: [4, "Looks good"] },
    ]);
  });

  it("is seen by the asker and the people asked only: 404, not in lists or search", async () => {
    const created = await ask(who.asker.client, {
      anonymous: false,
      subject: { kind: "decision", title: "Zebracorn migration plan", description: "" },
      recipients: { kind: "people", userIds: [who.r2.id] },
    });
    const id = created.body.id;
    for (const c of [who.outsider.client, who.admin.client, who.guest.client]) {
      expect((await c.json("GET", `/api/feedback/${id}`)).status).toBe(404);
      expect((await answer(c, id, [3, "x"])).status).toBe(404);
      expect((await c.json("POST", `/api/feedback/${id}/thanks`, { message: "hi" })).status).toBe(404);
      expect((await c.json("POST", `/api/feedback/${id}/close`)).status).toBe(404);
      const list = (await c.json<List>("GET", "/api/feedback")).body;
      expect(JSON.stringify(list)).not.toContain(id);
    }
    // The person asked may answer, not act as the asker.
    expect((await who.r2.client.json("POST", `/api/feedback/${id}/close`)).status).toBe(403);
    expect((await who.r2.client.json("POST", `/api/feedback/${id}/thanks`, { message: "hi" })).status).toBe(403);
    expect((await who.r2.client.json("POST", `/api/feedback/${id}/post`, { body: "x" })).status).toBe(403);
    const search = await who.admin.client.request("GET", `/api/search?q=Zebracorn`);
    expect(search.body).not.toContain(id);
    expect(search.body).not.toContain("Zebracorn");
  });

  it("hides an article the person asked may not read, and reminds of requests due soon", async () => {
    const vault = await t.newSpace(who.asker.id, { name: "Vault", visibility: "private" });
    const art = await who.asker.client.json<{ id: string }>("POST", "/api/articles", {
      spaceId: vault.id,
      title: "Secret pricing",
      body: "Numbers",
      tags: [],
    });
    expect(art.status).toBe(201);
    // The outsider cannot ask about it (cannot read it).
    const refused = await ask(who.outsider.client, {
      anonymous: false,
      subject: { kind: "article", articleId: art.body.id, title: "About the article" },
      recipients: { kind: "people", userIds: [who.r3.id] },
    });
    expect(refused.status).toBe(400);
    const created = await ask(who.asker.client, {
      anonymous: false,
      subject: { kind: "article", articleId: art.body.id, title: "About the article" },
      recipients: { kind: "people", userIds: [who.r3.id] },
      deadline: new Date(t.clock.now.getTime() + 36 * 3_600_000).toISOString(),
    });
    expect(created.status).toBe(201);
    expect(created.body.subject.article).toEqual({ id: art.body.id, title: "Secret pricing" });
    const seen = (await who.r3.client.json<Feedback>("GET", `/api/feedback/${created.body.id}`)).body;
    expect(seen.subject.article).toBeNull();
    expect(seen.subject.articleHidden).toBe(true);
    expect(JSON.stringify(seen)).not.toContain("Secret pricing");
    const inbox = (await who.r3.client.json<List>("GET", "/api/feedback")).body;
    const item = inbox.received.find((r) => r.id === created.body.id)!;
    expect(item).toMatchObject({ open: true, myAnswered: false, dueSoon: true });
    // Past the deadline it takes no answers.
    const saved = t.clock.now;
    t.clock.now = new Date(saved.getTime() + 2 * 86_400_000);
    expect((await answer(who.r3.client, created.body.id, [3, "late"])).status).toBe(403);
    t.clock.now = saved;
  });

  it("runs a manager's standing request in rounds, thanks, shares a summary and makes a lesson", async () => {
    await person("boss", "Ops");
    const team = ["m1", "m2", "m3"];
    for (const k of team) {
      await person(k, "Ops");
      await t.ctx.db.update(users).set({ managerId: who.boss.id }).where(eq(users.id, who[k].id));
    }
    // Someone without reports cannot open one; a standing request has no deadline.
    expect((await ask(who.r1.client, { standing: true, deadline: null, recipients: { kind: "team" } })).status).toBe(
      400,
    );
    expect((await ask(who.boss.client, { standing: true, recipients: { kind: "team" } })).status).toBe(400);
    const created = await ask(who.boss.client, {
      standing: true,
      deadline: null,
      subject: { kind: "text", title: "What should I hear?", description: "" },
      questions: [{ kind: "text", prompt: "What should I hear?" }],
      recipients: { kind: "team" },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({ standing: true, anonymous: true, deadline: null, recipientCount: 3 });
    for (const k of team) expect((await answer(who[k].client, id, [`Said by ${k}`])).status).toBe(200);
    let view = (await who.boss.client.json<Feedback>("GET", `/api/feedback/${id}`)).body;
    expect([view.answered, view.released]).toEqual([3, 3]);
    // After a round the team may speak again.
    const again = (await who.m1.client.json<Feedback>("GET", `/api/feedback/${id}`)).body;
    expect(again.myAnswered).toBe(false);
    expect((await answer(who.m1.client, id, ["Second round"])).status).toBe(200);
    view = (await who.boss.client.json<Feedback>("GET", `/api/feedback/${id}`)).body;
    expect([view.answered, view.released]).toEqual([4, 3]);

    // Thanks reach those who answered; the others do not see them.
    view = (await who.boss.client.json<Feedback>("POST", `/api/feedback/${id}/thanks`, { message: "Thank you all" }))
      .body;
    expect(view.thanks).toBe("Thank you all");
    for (const k of team) {
      const list = (await who[k].client.json<List>("GET", "/api/feedback")).body;
      expect(list.received.find((r) => r.id === id)!.thanks).toBe("Thank you all");
    }

    const post = await who.boss.client.json<{ postId: string }>("POST", `/api/feedback/${id}/post`, {
      body: "My team told me to share the roadmap earlier.",
      tags: ["leadership"],
    });
    expect(post.status).toBe(200);
    const shown = await who.outsider.client.json<{ body: string }>("GET", `/api/posts/${post.body.postId}`);
    expect(shown.body.body).toContain("roadmap earlier");
    const lesson = await who.boss.client.json<{ lessonId: string }>("POST", `/api/feedback/${id}/lesson`, {
      title: "Share the roadmap early",
      learned: "People plan better when they see it a month ahead.",
    });
    expect(lesson.status).toBe(200);
    const l = await who.outsider.client.json<{ title: string; author: { id: string } | null }>(
      "GET",
      `/api/lessons/${lesson.body.lessonId}`,
    );
    expect(l.body.title).toBe("Share the roadmap early");
  });

  it("logs neither the answer nor the person when storing an anonymous answer fails, and spends no ticket", async () => {
    const created = await ask(who.asker.client, {
      recipients: { kind: "people", userIds: [who.r1.id, who.r2.id, who.r3.id] },
    });
    const id = created.body.id;
    const from = logLines.length;
    await t.ctx.db.execute(sql`alter table feedback_answers rename column answer to answer_broken`);
    let res;
    try {
      res = await answer(logged[0], id, [2, "Broken hotel secret"]);
    } finally {
      await t.ctx.db.execute(sql`alter table feedback_answers rename column answer_broken to answer`);
    }
    expect(res.status).toBe(500);
    const lines = logLines.slice(from).join("\n");
    expect(lines).toContain(`/api/feedback/${id}/answers`);
    for (const x of ["Broken hotel secret", who.r1.id, who.r1.email, who.r1.name]) expect(lines).not.toContain(x);
    // Rolled back: the ticket is still there and the answer can be given.
    expect((await answer(who.r1.client, id, [2, "Works now"])).status).toBe(200);
    await who.asker.client.json("POST", `/api/feedback/${id}/close`);
  });
});

// The demo shows each kind of request (PGlite: the seed is the same on both databases).
describe("demo feedback", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp("pglite");
    await loadDemo(t.ctx.db, t.ctx.now());
  });
  afterAll(async () => t?.close());

  it("has a released anonymous request, a named one, a standing one and one waiting for the admin", async () => {
    const org = buildDemoOrg();
    const admin = await t.login(org.adminEmail, org.password);
    const inbox = (await admin.json<List>("GET", "/api/feedback")).body;
    const waiting = inbox.received.filter((r) => r.open && r.myAnswered === false);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ anonymous: true, dueSoon: true });
    // The admin's role opens no one else's request.
    const all = await rows<{ id: string; asker_id: string; anonymous: boolean; standing: boolean }>(
      t.ctx.db,
      sql`select id, asker_id, anonymous, standing from feedback_requests`,
    );
    expect(all).toHaveLength(4);
    for (const r of all.filter((x) => x.id !== waiting[0].id))
      expect((await admin.json("GET", `/api/feedback/${r.id}`)).status).toBe(404);
    const emailOf = async (userId: string) =>
      (await rows<{ email: string }>(t.ctx.db, sql`select email from users where id = ${userId}`))[0].email;
    const views: Feedback[] = [];
    for (const r of all.filter((x) => x.id !== waiting[0].id)) {
      const asker = await t.login(await emailOf(r.asker_id), org.password);
      const v = await asker.json<Feedback>("GET", `/api/feedback/${r.id}`);
      expect(v.status).toBe(200);
      views.push(v.body);
    }
    const anon = views.find((v) => v.anonymous && !v.standing)!;
    expect([anon.answered, anon.released]).toEqual([4, 3]);
    expect(anon.results!.questions[0].scale).toMatchObject({ count: 3, mean: 4 });
    expect(anon.results!.questions[1].texts).toHaveLength(2);
    const named = views.find((v) => !v.anonymous)!;
    expect(named.results!.named).toHaveLength(1);
    const standing = views.find((v) => v.standing)!;
    expect([standing.answered, standing.released, standing.deadline]).toEqual([3, 3, null]);
    expect(standing.results!.questions[0].texts).toHaveLength(3);
  });
});
