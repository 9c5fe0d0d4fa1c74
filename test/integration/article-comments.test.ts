import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";
import { connectSse } from "../support/sse";

afterAll(closeTemplates);

type Comment = {
  id: string;
  body: string;
  html: string;
  author: { id: string; name: string };
  version: number;
  editedAt: string | null;
  deleted: boolean;
  can: { edit: boolean; delete: boolean };
};
type Thread = {
  id: string;
  anchor: { quote: string; prefix: string; suffix: string; found: boolean } | null;
  resolved: { at: string; by: { id: string; name: string } } | null;
  comments: Comment[];
  can: { reply: boolean; resolve: boolean; reopen: boolean };
};
type Threads = { articleId: string; open: number; resolved: number; canComment: boolean; threads: Thread[] };
type Mentions = {
  unseen: number;
  items: {
    id: string;
    by: { name: string };
    subjectType: string;
    title: string;
    url: string;
    excerpt: string;
    seenAt: string | null;
  }[];
};
type Err = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

const BODY =
  "Charge the **forklift** batteries below 30 %.\n\nNever charge near the loading dock. Charge the spare battery overnight.";
const mention = (p: { id: string; name: string }) => `[@${p.name}](/people/${p.id})`;

describe.each(testBackends())("article comments and mentions on %s", (backend) => {
  let t: TestApp;
  type Person = { id: string; name: string; email: string; c: Client };
  let olga: Person; // owns both spaces (an editor of the articles)
  let rita: Person; // a reader of the public space
  let carl: Person; // another reader
  let gina: Person; // a guest
  let paul: Person; // a viewer of the private space
  let otto: Person; // outside the private space
  let articleId: string;
  let privateArticleId: string;

  const threadsOf = async (who: Person, id = articleId) =>
    (await who.c.json<Threads>("GET", `/api/articles/${id}/comments`)).body;
  const mentionsOf = async (who: Person) => (await who.c.json<Mentions>("GET", "/api/mentions")).body;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const person = async (name: string, role: "member" | "guest" = "member"): Promise<Person> => {
      const u = await t.newUser({ name, role });
      return { ...u, c: await t.login(u.email) };
    };
    olga = await person("Olga Owner");
    rita = await person("Rita Reader");
    carl = await person("Carl Colleague");
    gina = await person("Gina Guest", "guest");
    paul = await person("Paul Private");
    otto = await person("Otto Outsider");
    const space = await t.newSpace(olga.id, { memberAccess: "viewer" });
    const secret = await t.newSpace(olga.id, { visibility: "private" });
    await t.addMember(secret.id, paul.id, "viewer");
    const a = await olga.c.json<{ id: string }>("POST", "/api/articles", {
      spaceId: space.id,
      title: "Forklift charging",
      body: BODY,
    });
    articleId = a.body.id;
    const b = await olga.c.json<{ id: string }>("POST", "/api/articles", {
      spaceId: secret.id,
      title: "Board decisions on the depot",
      body: "We will close the north depot in spring.",
    });
    privateArticleId = b.body.id;
  });
  afterAll(async () => t.close());

  it("starts threads on a passage and at the end, in the order of the article, with sanitised bodies", async () => {
    const end = await rita.c.json<Threads>("POST", `/api/articles/${articleId}/comments`, {
      body: "Is this still true for the **new** chargers? <script>alert(1)</script>",
    });
    expect(end.status).toBe(201);
    const onPassage = await carl.c.json<Threads>("POST", `/api/articles/${articleId}/comments`, {
      body: "Why not near the dock?",
      anchor: { quote: "Never charge near the loading dock.", prefix: "below 30 %. ", suffix: " Charge the spare" },
    });
    expect(onPassage.status).toBe(201);
    const list = onPassage.body;
    expect(list.open).toBe(2);
    expect(list.canComment).toBe(true);
    // The thread on a passage comes first (it is in the article), the one at the end after it.
    expect(list.threads.map((x) => x.anchor?.quote ?? null)).toEqual(["Never charge near the loading dock.", null]);
    expect(list.threads[0].anchor).toMatchObject({ found: true, prefix: "below 30 %. " });
    const endThread = list.threads[1];
    expect(endThread.comments[0].html).toContain("<strong>new</strong>");
    expect(endThread.comments[0].html).not.toContain("<script");
    expect(endThread.comments[0].can).toEqual({ edit: false, delete: false }); // Carl's view of Rita's comment
    expect((await threadsOf(rita)).threads[1].comments[0].can).toEqual({ edit: true, delete: true });
    // Bold in the Markdown is plain in the text a reader selects: the quote is found in the rendered text.
    const bold = await rita.c.json<Threads>("POST", `/api/articles/${articleId}/comments`, {
      body: "Which models?",
      anchor: { quote: "Charge the forklift batteries", prefix: "", suffix: " below" },
    });
    expect(bold.status).toBe(201);
    expect(bold.body.threads[0].anchor?.quote).toBe("Charge the forklift batteries");
  });

  it("answers 400 naming the field for bad input", async () => {
    const post = (body: unknown) => rita.c.json<Err>("POST", `/api/articles/${articleId}/comments`, body);
    const fieldsOf = (r: { body: Err }) => r.body.error.fields?.map((f) => f.path);
    const empty = await post({ body: "   " });
    expect(empty.status).toBe(400);
    expect(fieldsOf(empty)).toContain("body");
    const long = await post({ body: "x", anchor: { quote: "a".repeat(1001) } });
    expect(long.status).toBe(400);
    expect(fieldsOf(long)).toContain("anchor.quote");
    const longContext = await post({ body: "x", anchor: { quote: "Never", prefix: "p".repeat(201) } });
    expect(fieldsOf(longContext)).toContain("anchor.prefix");
    const missing = await post({ body: "x", anchor: { quote: "Not a sentence of this article" } });
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing)).toEqual(["anchor.quote"]);
    const reply = await rita.c.json<Err>("POST", `/api/article-comments/${randomUUID()}/replies`, { body: "" });
    expect(reply.status).toBe(400);
    expect(fieldsOf(reply)).toContain("body");
    const edit = await rita.c.json<Err>("PUT", `/api/article-comments/${randomUUID()}`, { body: "x" });
    expect(fieldsOf(edit)).toContain("version");
  });

  it("lets readers reply, guests read but not comment, and keeps resolving to editors and the thread's author", async () => {
    const dock = (await threadsOf(carl)).threads.find((x) => x.anchor?.quote.startsWith("Never"))!;
    expect(dock.can).toEqual({ reply: true, resolve: true, reopen: false }); // Carl started it
    const replied = await rita.c.json<Threads>("POST", `/api/article-comments/${dock.id}/replies`, {
      body: "Sparks near the fuel store.",
    });
    expect(replied.status).toBe(201);
    const ritaView = replied.body.threads.find((x) => x.id === dock.id)!;
    expect(ritaView.comments.map((c) => c.author.name)).toEqual(["Carl Colleague", "Rita Reader"]);
    expect(ritaView.can).toEqual({ reply: true, resolve: false, reopen: false });
    // Resolving by a reader who did not start the thread (replying does not make it theirs): 403.
    expect((await rita.c.json("POST", `/api/article-comments/${dock.id}/resolve`)).status).toBe(403);
    // A guest reads the threads but does not take part.
    const guestView = await threadsOf(gina);
    expect(guestView.canComment).toBe(false);
    expect(guestView.threads.length).toBe(3);
    expect((await gina.c.json("POST", `/api/articles/${articleId}/comments`, { body: "Guest here" })).status).toBe(403);
    expect((await gina.c.json("POST", `/api/article-comments/${dock.id}/replies`, { body: "Hi" })).status).toBe(403);

    // The thread's author resolves it (a reply id stands for its thread).
    const replyId = ritaView.comments[1].id;
    const resolved = await carl.c.json<Threads>("POST", `/api/article-comments/${replyId}/resolve`);
    expect(resolved.status).toBe(200);
    expect(resolved.body.open).toBe(2);
    expect(resolved.body.resolved).toBe(1);
    const last = resolved.body.threads.at(-1)!;
    expect(last.id).toBe(dock.id);
    expect(last.resolved?.by.name).toBe("Carl Colleague");
    expect(last.can).toEqual({ reply: false, resolve: false, reopen: true });
    // A resolved thread takes no replies until reopened; resolving twice is refused.
    expect((await rita.c.json("POST", `/api/article-comments/${dock.id}/replies`, { body: "More" })).status).toBe(403);
    expect((await carl.c.json("POST", `/api/article-comments/${dock.id}/resolve`)).status).toBe(403);
    // Reopen: not Rita; the article's editor may.
    expect((await rita.c.json("POST", `/api/article-comments/${dock.id}/reopen`)).status).toBe(403);
    const reopened = await olga.c.json<Threads>("POST", `/api/article-comments/${dock.id}/reopen`);
    expect(reopened.status).toBe(200);
    expect(reopened.body.resolved).toBe(0);
    const again = reopened.body.threads.find((x) => x.id === dock.id)!;
    expect(again.resolved).toBeNull();
    expect(again.can).toEqual({ reply: true, resolve: true, reopen: false });
    // The editor resolves a thread someone else started.
    const endThread = reopened.body.threads.find((x) => x.anchor === null)!;
    const byEditor = await olga.c.json<Threads>("POST", `/api/article-comments/${endThread.id}/resolve`);
    expect(byEditor.body.threads.find((x) => x.id === endThread.id)!.resolved?.by.name).toBe("Olga Owner");
    expect((await olga.c.json("POST", `/api/article-comments/${endThread.id}/reopen`)).status).toBe(200);
  });

  it("edits one's own comment on its version (a stale version is a 409 with the current threads)", async () => {
    const created = await rita.c.json<Threads>("POST", `/api/articles/${articleId}/comments`, {
      body: "First thought",
    });
    const thread = created.body.threads.find((x) => x.comments[0].body === "First thought")!;
    const c = thread.comments[0];
    expect(c.version).toBe(1);
    expect(c.editedAt).toBeNull();
    const edited = await rita.c.json<Threads>("PUT", `/api/article-comments/${c.id}`, {
      version: 1,
      body: "Second thought",
    });
    expect(edited.status).toBe(200);
    const after = edited.body.threads.find((x) => x.id === thread.id)!.comments[0];
    expect(after).toMatchObject({ body: "Second thought", version: 2 });
    expect(after.editedAt).not.toBeNull();
    const stale = await rita.c.json<Err & { current: Threads }>("PUT", `/api/article-comments/${c.id}`, {
      version: 1,
      body: "Third thought",
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe("conflict");
    expect(stale.body.current.threads.find((x) => x.id === thread.id)!.comments[0].body).toBe("Second thought");
    // Not someone else's comment, editor of the article or not.
    expect((await carl.c.json("PUT", `/api/article-comments/${c.id}`, { version: 2, body: "Mine now" })).status).toBe(
      403,
    );
    expect((await olga.c.json("PUT", `/api/article-comments/${c.id}`, { version: 2, body: "Mine now" })).status).toBe(
      403,
    );
    // Deleting: not someone else's; one's own root with a reply stays as "deleted", with the reply.
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    await carl.c.json("POST", `/api/article-comments/${c.id}/replies`, { body: "A reply" });
    expect((await carl.c.json("DELETE", `/api/article-comments/${c.id}`)).status).toBe(403);
    const deleted = await rita.c.json<Threads>("DELETE", `/api/article-comments/${c.id}`);
    expect(deleted.status).toBe(200);
    const kept = deleted.body.threads.find((x) => x.id === thread.id)!;
    expect(kept.comments[0]).toMatchObject({ deleted: true, body: "", html: "" });
    expect(kept.comments[1]).toMatchObject({ deleted: false, body: "A reply" });
    expect((await rita.c.json("PUT", `/api/article-comments/${c.id}`, { version: 2, body: "Back" })).status).toBe(404);
    // The last comment of the thread deleted: the thread is gone.
    const gone = await carl.c.json<Threads>("DELETE", `/api/article-comments/${kept.comments[1].id}`);
    expect(gone.body.threads.some((x) => x.id === thread.id)).toBe(false);
    expect((await carl.c.json("POST", `/api/article-comments/${thread.id}/replies`, { body: "?" })).status).toBe(404);
  });

  it("shows a thread whose passage changed with its quote", async () => {
    const a = (await olga.c.json<{ version: number }>("GET", `/api/articles/${articleId}`)).body;
    const saved = await olga.c.json("PUT", `/api/articles/${articleId}`, {
      version: a.version,
      title: "Forklift charging",
      body: "Charge the **forklift** batteries below 30 %.\n\nCharge only in the charging room. Charge the spare battery overnight.",
    });
    expect(saved.status).toBe(200);
    const dock = (await threadsOf(rita)).threads.find((x) => x.anchor?.quote.startsWith("Never"))!;
    expect(dock.anchor).toEqual({
      quote: "Never charge near the loading dock.",
      prefix: "below 30 %. ",
      suffix: " Charge the spare",
      found: false,
    });
  });

  it("keeps a private space's comments from outsiders: 404 like a missing article, and no mention reaches them", async () => {
    const posted = await olga.c.json<Threads>("POST", `/api/articles/${privateArticleId}/comments`, {
      body: `${mention(paul)} ${mention(otto)} please look at the north depot`,
      anchor: { quote: "close the north depot" },
    });
    expect(posted.status).toBe(201);
    const commentId = posted.body.threads[0].id;
    const missingArticle = await otto.c.json<Err>("GET", `/api/articles/${randomUUID()}/comments`);
    const refused = await otto.c.json<Err>("GET", `/api/articles/${privateArticleId}/comments`);
    expect(refused.status).toBe(404);
    expect(refused.body).toEqual(missingArticle.body);
    expect(
      (await otto.c.json("POST", `/api/articles/${privateArticleId}/comments`, { body: "Let me in" })).status,
    ).toBe(404);
    const missingComment = await otto.c.json<Err>("POST", `/api/article-comments/${randomUUID()}/resolve`);
    for (const [method, path, body] of [
      ["POST", `/api/article-comments/${commentId}/replies`, { body: "Hi" }],
      ["PUT", `/api/article-comments/${commentId}`, { version: 1, body: "Hi" }],
      ["DELETE", `/api/article-comments/${commentId}`, undefined],
      ["POST", `/api/article-comments/${commentId}/resolve`, undefined],
      ["POST", `/api/article-comments/${commentId}/reopen`, undefined],
    ] as const) {
      const r = await otto.c.json<Err>(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(JSON.stringify(r.body)).not.toContain("depot");
    }
    expect(missingComment.status).toBe(404);
    // Paul (a reader) is notified; Otto (not a reader) gets nothing, not even a count.
    const pauls = await mentionsOf(paul);
    expect(pauls.items.map((m) => [m.subjectType, m.title, m.by.name])).toEqual([
      ["article_comment", "Board decisions on the depot", "Olga Owner"],
    ]);
    expect(pauls.items[0].url).toBe(`/articles/${privateArticleId}#comment-${commentId}`);
    const ottos = await mentionsOf(otto);
    expect(ottos).toEqual({ unseen: 0, items: [] });
    // Paul reads the thread; Otto joining later would now be a reader, but was never notified of the past.
    expect((await threadsOf(paul, privateArticleId)).threads[0].comments[0].body).toContain("north depot");
    // Paul loses access: the mention is no longer listed (its content is out of reach).
    await t.ctx.db.execute((await import("drizzle-orm")).sql`delete from space_members where user_id = ${paul.id}`);
    expect(await mentionsOf(paul)).toEqual({ unseen: 0, items: [] });
  });

  it("notifies a mentioned reader once (live and in the inbox), never on a re-save and never oneself", async () => {
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as AddressInfo;
    const stream = await connectSse(`http://127.0.0.1:${port}/api/events`, carl.c.cookie);
    const before = (await mentionsOf(carl)).items.length;
    let commentId: string;
    try {
      const posted = await rita.c.json<Threads>("POST", `/api/articles/${articleId}/comments`, {
        body: `${mention(carl)} and ${mention(rita)}: can you check ${mention(carl)}?`,
      });
      expect(posted.status).toBe(201);
      commentId = posted.body.threads.find((x) => x.comments[0].body.includes("can you check"))!.id;
      await stream.waitFor("mention");
    } finally {
      stream.close();
    }
    const carls = await mentionsOf(carl);
    expect(carls.items.length).toBe(before + 1);
    expect(carls.items[0]).toMatchObject({ subjectType: "article_comment", title: "Forklift charging" });
    expect(carls.items[0].by.name).toBe("Rita Reader");
    expect(carls.items[0].excerpt).toContain("@Carl Colleague");
    expect(carls.unseen).toBe(before + 1);
    expect((await mentionsOf(rita)).items).toEqual([]);
    // Saving the comment again (Carl still mentioned) notifies nobody.
    const [c] = (await threadsOf(rita)).threads.find((x) => x.id === commentId)!.comments;
    const resaved = await rita.c.json("PUT", `/api/article-comments/${commentId}`, {
      version: c.version,
      body: `${mention(carl)} can you check, please?`,
    });
    expect(resaved.status).toBe(200);
    expect((await mentionsOf(carl)).items.length).toBe(before + 1);

    // An article edit notifies only the people newly mentioned in that revision.
    const edit = async (body: string) => {
      const a = (await olga.c.json<{ version: number }>("GET", `/api/articles/${articleId}`)).body;
      const r = await olga.c.json("PUT", `/api/articles/${articleId}`, {
        version: a.version,
        title: "Forklift charging",
        body,
      });
      expect(r.status).toBe(200);
    };
    await edit(`${BODY}\n\nAsk ${mention(carl)}.`);
    await edit(`${BODY}\n\nAsk ${mention(carl)} or ${mention(olga)}.`);
    await edit(`${BODY}\n\nAsk ${mention(carl)} or ${mention(olga)} — updated.`);
    const articleMentions = (await mentionsOf(carl)).items.filter((m) => m.subjectType === "article");
    expect(articleMentions.map((m) => m.url)).toEqual([`/articles/${articleId}`]);
    expect((await mentionsOf(olga)).items).toEqual([]);

    // A draft mentions nobody who may not read it; publishing it notifies them.
    const space = (await olga.c.json<{ spaceId: string }>("GET", `/api/articles/${articleId}`)).body.spaceId;
    const draft = await olga.c.json<{ id: string; version: number }>("POST", "/api/articles", {
      spaceId: space,
      title: "Draft on chargers",
      body: `Ask ${mention(carl)}`,
      status: "draft",
    });
    expect((await mentionsOf(carl)).items.some((m) => m.title === "Draft on chargers")).toBe(false);
    await olga.c.json("PUT", `/api/articles/${draft.body.id}`, {
      version: draft.body.version,
      title: "Draft on chargers",
      body: `Ask ${mention(carl)}`,
      status: "published",
    });
    expect((await mentionsOf(carl)).items.filter((m) => m.title === "Draft on chargers").length).toBe(1);

    // Questions, answers and comments on them.
    const q = await rita.c.json<{ id: string; version: number; answers: { id: string }[] }>("POST", "/api/questions", {
      title: "Who services the chargers?",
      body: `Maybe ${mention(carl)} knows`,
      route: false,
    });
    expect(q.status).toBe(201);
    const answered = await olga.c.json<{ answers: { id: string }[] }>("POST", `/api/questions/${q.body.id}/answers`, {
      body: `Not me, ask ${mention(carl)} or ${mention(rita)}`,
    });
    await olga.c.json("POST", `/api/answers/${answered.body.answers[0].id}/comments`, { body: `cc ${mention(carl)}` });
    const updated = await rita.c.json("PUT", `/api/questions/${q.body.id}`, {
      version: q.body.version,
      title: "Who services the chargers?",
      body: `Maybe ${mention(carl)} knows (edited)`,
    });
    expect(updated.status).toBe(200);
    const kinds = (await mentionsOf(carl)).items.filter((m) => m.title === "Who services the chargers?");
    expect(kinds.map((m) => m.subjectType).sort()).toEqual(["answer", "comment", "question"]);
    expect(kinds.find((m) => m.subjectType === "answer")!.url).toBe(
      `/questions/${q.body.id}#answer-${answered.body.answers[0].id}`,
    );
    expect((await mentionsOf(rita)).items.map((m) => m.subjectType)).toEqual(["answer"]);

    // Marking seen: one, then all; someone else's ids are ignored.
    const all = await mentionsOf(carl);
    const seenOne = await carl.c.json<{ unseen: number }>("POST", "/api/mentions/seen", { ids: [all.items[0].id] });
    expect(seenOne.body.unseen).toBe(all.unseen - 1);
    const ritasId = (await mentionsOf(rita)).items[0].id;
    await carl.c.json("POST", "/api/mentions/seen", { ids: [ritasId] });
    expect((await mentionsOf(rita)).unseen).toBe(1);
    expect((await carl.c.json<{ unseen: number }>("POST", "/api/mentions/seen", {})).body.unseen).toBe(0);
    expect((await mentionsOf(carl)).items.every((m) => m.seenAt !== null)).toBe(true);
    const bad = await carl.c.json<Err>("POST", "/api/mentions/seen", { ids: ["nope"] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.[0].path).toBe("ids.0");
  });
});
