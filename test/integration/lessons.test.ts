import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

type Lesson = {
  id: string;
  title: string;
  author: { id: string; name: string } | null;
  anonymous: boolean;
  authorVisibleForAudit: boolean;
  version: number;
  retrospectiveId: string | null;
  can: { edit: boolean };
};
type Retro = {
  id: string;
  version: number;
  items: { id: string; column: string; text: string; lessonId?: string }[];
  can: { edit: boolean; makeLesson: boolean };
};
type Post = {
  id: string;
  kind: string;
  author: { id: string };
  reactions: { emoji: string; count: number; mine: boolean }[];
  comments: { body: string }[];
  can: { react: boolean };
};
type Err = { error: { code: string; fields?: { path: string; message: string }[] } };
type Search = { items: { type: string; id: string; owner: { id: string; name: string } }[]; total: number };

describe.each(testBackends())("lessons learned, working out loud and reflection on %s", (backend) => {
  let t: TestApp;
  let ana: Client, ben: Client, outsider: Client, admin: Client, guest: Client;
  let anaId: string, benId: string;
  let privateSpace: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const a = await t.newUser({ name: "Ana" });
    const b = await t.newUser({ name: "Ben" });
    const o = await t.newUser({ name: "Outsider" });
    const ad = await t.newUser({ name: "Admin", role: "admin" });
    const g = await t.newUser({ name: "Guest", role: "guest" });
    anaId = a.id;
    benId = b.id;
    ana = await t.login(a.email);
    ben = await t.login(b.email);
    outsider = await t.login(o.email);
    admin = await t.login(ad.email);
    guest = await t.login(g.email);
    privateSpace = (await t.newSpace(a.id, { visibility: "private", name: "Project Falcon" })).id;
    await t.addMember(privateSpace, b.id, "editor");
  });
  afterAll(async () => t.close());

  it("anonymous mistake reports never reveal their author to readers, search or filters — only to admins' audit", async () => {
    const bad = await ana.json<Err>("POST", "/api/lessons", { title: "x", learned: "" });
    expect(bad.body.error.fields!.map((f) => f.path).sort()).toEqual(["learned", "title"]);
    const created = await ana.json<Lesson>("POST", "/api/lessons", {
      title: "Shipped the pallets to the wrong dock",
      whatHappened: "Two trucks were loaded at dock 4 instead of dock 2.",
      impact: "A day's delay for one customer.",
      learned: "The dock board was not updated after the change of shift.",
      instead: "Read the dock number back to the driver before loading.",
      tags: ["docks", "loading"],
      anonymous: true,
    });
    expect(created.status).toBe(201);
    expect(created.body.author?.id).toBe(anaId); // the author sees their own report
    const asReader = await ben.json<Lesson>("GET", `/api/lessons/${created.body.id}`);
    expect(asReader.body.author).toBeNull();
    expect(JSON.stringify(asReader.body)).not.toContain(anaId);
    const audit = await admin.json<Lesson>("GET", `/api/lessons/${created.body.id}`);
    expect(audit.body).toMatchObject({ author: { id: anaId }, authorVisibleForAudit: true });
    const found = await ben.json<Search>("GET", "/api/search?q=wrong%20dock%20pallets");
    const hit = found.body.items.find((i) => i.id === created.body.id)!;
    expect(hit).toMatchObject({ type: "lesson", owner: { name: "Anonymous" } });
    expect(JSON.stringify(found.body)).not.toContain(anaId);
    // Filtering search by Ana as author must not surface her anonymous report.
    expect(
      (await ben.json<Search>("GET", `/api/search?q=dock&authorId=${anaId}`)).body.items.map((i) => i.id),
    ).not.toContain(created.body.id);
    const list = await ben.json<{ items: Lesson[] }>("GET", "/api/lessons");
    expect(list.body.items.find((l) => l.id === created.body.id)!.author).toBeNull();
    expect((await guest.json("POST", "/api/lessons", { title: "Guests cannot", learned: "Read only" })).status).toBe(
      403,
    );
  });

  it("keeps a private space's lessons private (URL, list, search, sidekick); edits are versioned", async () => {
    const secret = await ana.json<Lesson>("POST", "/api/lessons", {
      title: "Falcon supplier missed the deadline",
      learned: "Ask suppliers for a buffer of two weeks on Falcon parts.",
      tags: ["suppliers"],
      spaceId: privateSpace,
    });
    expect((await outsider.json("GET", `/api/lessons/${secret.body.id}`)).status).toBe(404);
    expect((await outsider.json<{ items: Lesson[] }>("GET", "/api/lessons")).body.items.map((l) => l.id)).not.toContain(
      secret.body.id,
    );
    expect(
      (await outsider.json<Search>("GET", "/api/search?q=falcon%20supplier%20buffer")).body.items.map((i) => i.id),
    ).not.toContain(secret.body.id);
    const side = await outsider.json<{ knowledge: { id: string }[] }>("POST", "/api/sidekick", {
      text: "Falcon supplier missed a deadline, what buffer?",
    });
    expect(side.body.knowledge.map((k) => k.id)).not.toContain(secret.body.id);
    expect(
      (await ben.json<Search>("GET", "/api/search?q=falcon%20supplier%20buffer")).body.items.map((i) => i.id),
    ).toContain(secret.body.id);
    const v1 = await ana.json<Lesson>("PUT", `/api/lessons/${secret.body.id}`, {
      version: 1,
      title: "Falcon supplier missed the deadline",
      learned: "Ask for three weeks of buffer.",
      spaceId: privateSpace,
    });
    expect(v1.body.version).toBe(2);
    const stale = await ana.json<Err>("PUT", `/api/lessons/${secret.body.id}`, {
      version: 1,
      title: "Falcon supplier missed the deadline",
      learned: "Stale",
      spaceId: privateSpace,
    });
    expect(stale.status).toBe(409);
    expect(
      (
        await ben.json("PUT", `/api/lessons/${secret.body.id}`, {
          version: 2,
          title: "Not mine to edit",
          learned: "Nope nope",
        })
      ).status,
    ).toBe(403);
  });

  it("turns retrospective items into lessons; participants may edit; a stale save gets 409", async () => {
    const retro = await ana.json<Retro>("POST", "/api/retrospectives", {
      title: "Peak season 2026",
      participantIds: [benId],
      items: [
        { column: "well", text: "Temporary staff were trained in two days" },
        { column: "less", text: "Returns piled up in week 3" },
        { column: "try", text: "A returns triage desk from week 1" },
      ],
    });
    expect(retro.status).toBe(201);
    expect((await ben.json<Retro>("GET", `/api/retrospectives/${retro.body.id}`)).body.can).toEqual({
      edit: true,
      makeLesson: true,
    });
    expect((await outsider.json<Retro>("GET", `/api/retrospectives/${retro.body.id}`)).body.can).toEqual({
      edit: false,
      makeLesson: false,
    });
    const item = retro.body.items.find((i) => i.column === "less")!;
    const lesson = await ben.json<Lesson>("POST", `/api/retrospectives/${retro.body.id}/items/${item.id}/lesson`, {
      learned: "Returns need their own desk at peak.",
      instead: "Open the triage desk in week 1.",
      tags: ["returns", "peak"],
    });
    expect(lesson.status).toBe(201);
    expect(lesson.body).toMatchObject({ title: "Returns piled up in week 3", retrospectiveId: retro.body.id });
    const again = await ben.json<Err>("POST", `/api/retrospectives/${retro.body.id}/items/${item.id}/lesson`, {
      learned: "Twice is not allowed",
    });
    expect(again.status).toBe(409);
    const after = (await ana.json<Retro>("GET", `/api/retrospectives/${retro.body.id}`)).body;
    expect(after.items.find((i) => i.id === item.id)!.lessonId).toBe(lesson.body.id);
    const edited = await ana.json<Retro>("PUT", `/api/retrospectives/${retro.body.id}`, {
      version: after.version,
      title: "Peak season 2026",
      participantIds: [benId],
      items: [...after.items, { column: "try", text: "Book extra vans early" }],
    });
    expect(edited.body.items).toHaveLength(4);
    expect(edited.body.items.find((i) => i.id === item.id)!.lessonId).toBe(lesson.body.id);
    expect(
      (
        await ben.json("PUT", `/api/retrospectives/${retro.body.id}`, {
          version: after.version,
          title: "Stale",
          items: [],
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await outsider.json("PUT", `/api/retrospectives/${retro.body.id}`, {
          version: edited.body.version,
          title: "Not a participant",
          items: [],
        })
      ).status,
    ).toBe(403);
    // The lesson is found when someone starts similar work.
    const similar = await outsider.json<Search>("GET", "/api/search?q=returns%20piled%20up%20peak");
    expect(similar.body.items.map((i) => i.id)).toContain(lesson.body.id);
  });

  it("turns an item of a retrospective in a space into a lesson without locking up the database", async () => {
    // Regression: the lesson's space was checked on the database handle while the transaction held
    // PGlite's only connection, so the request never answered and every later request hung.
    const within = <T>(what: string, p: Promise<T>) =>
      Promise.race([
        p,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`${what} did not answer within 120 s (a hang)`)), 120_000),
        ),
      ]);
    const retro = await ana.json<Retro>("POST", "/api/retrospectives", {
      title: "Falcon launch",
      spaceId: privateSpace,
      participantIds: [benId],
      items: [{ column: "less", text: "The launch checklist was out of date" }],
    });
    expect(retro.status).toBe(201);
    const item = retro.body.items[0];
    const lesson = await within(
      "making the lesson",
      ana.json<Lesson>("POST", `/api/retrospectives/${retro.body.id}/items/${item.id}/lesson`, {
        learned: "Review the checklist before each launch.",
        tags: ["launch"],
      }),
    );
    expect(lesson.status).toBe(201);
    expect(lesson.body).toMatchObject({
      title: "The launch checklist was out of date",
      retrospectiveId: retro.body.id,
    });
    expect((await within("health", t.app.inject({ method: "GET", url: "/api/health" }))).statusCode).toBe(200);
    const after = (
      await within("reading the retrospective", ana.json<Retro>("GET", `/api/retrospectives/${retro.body.id}`))
    ).body;
    expect(after.items[0].lessonId).toBe(lesson.body.id);
  });

  it("working out loud: posts, a feed of what you follow, reactions and comments; private-space posts stay in the space", async () => {
    const p1 = await ana.json<Post>("POST", "/api/posts", {
      kind: "working_on",
      body: "Rebuilding the **dock schedule** for winter",
      tags: ["docks"],
    });
    expect(p1.status).toBe(201);
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const p2 = await ana.json<Post>("POST", "/api/posts", {
      kind: "learned",
      body: "Falcon suppliers need two weeks of buffer",
      tags: ["suppliers"],
      spaceId: privateSpace,
    });
    await outsider.json<Post>("POST", "/api/posts", {
      kind: "learned",
      body: "Excel's XLOOKUP beats VLOOKUP",
      tags: ["excel"],
    });
    // Nothing followed yet: only your own posts in "following"; everything readable in "everyone".
    expect((await ben.json<{ items: Post[] }>("GET", "/api/feed")).body.items).toEqual([]);
    expect(
      (
        await ben.json<{ following: unknown[] }>("PUT", "/api/me/follows", {
          type: "person",
          target: anaId,
          follow: true,
        })
      ).body.following,
    ).toEqual([{ type: "person", target: anaId }]);
    const feed = (await ben.json<{ items: Post[] }>("GET", "/api/feed")).body.items.map((p) => p.id);
    expect(feed).toEqual([p2.body.id, p1.body.id]);
    await outsider.json("PUT", "/api/me/follows", { type: "person", target: anaId, follow: true });
    const outsiderFeed = (await outsider.json<{ items: Post[] }>("GET", "/api/feed")).body.items.map((p) => p.id);
    expect(outsiderFeed).toContain(p1.body.id);
    expect(outsiderFeed).not.toContain(p2.body.id);
    expect((await outsider.json("GET", `/api/posts/${p2.body.id}`)).status).toBe(404);
    await ben.json("PUT", "/api/me/follows", { type: "tag", target: "Excel", follow: true });
    expect(
      (await ben.json<{ items: Post[] }>("GET", "/api/feed")).body.items.some(
        (p) => p.kind === "learned" && p.author.id !== anaId,
      ),
    ).toBe(true);
    const reacted = await ben.json<Post>("POST", `/api/posts/${p1.body.id}/reactions`, { emoji: "💡" });
    expect(reacted.body.reactions.find((r) => r.emoji === "💡")).toEqual({ emoji: "💡", count: 1, mine: true });
    expect(
      (await ben.json<Post>("POST", `/api/posts/${p1.body.id}/reactions`, { emoji: "💡" })).body.reactions.find(
        (r) => r.emoji === "💡",
      )!.count,
    ).toBe(0);
    expect((await ben.json<Err>("POST", `/api/posts/${p1.body.id}/reactions`, { emoji: "🤡" })).status).toBe(400);
    expect(
      (
        await ben.json<Post>("POST", `/api/posts/${p1.body.id}/comments`, { body: "Share the draft?" })
      ).body.comments.map((c) => c.body),
    ).toEqual(["Share the draft?"]);
    expect((await guest.json("POST", `/api/posts/${p1.body.id}/reactions`, { emoji: "👍" })).status).toBe(403);
  });

  it("the reflection journal is private; an entry can be shared as a post or turned into a lesson", async () => {
    const j = await ana.json<{ prompts: { practice: string; prompt: string }[] }>("GET", "/api/journal");
    expect(j.body.prompts.map((p) => p.practice)).toEqual(["experience", "practice", "conversation", "reflection"]);
    const added = await ana.json<{ items: { id: string; practice: string }[] }>("POST", "/api/journal", {
      practice: "conversation",
      prompt: j.body.prompts[2].prompt,
      body: "Ben showed me how he reads the dock board: by colour first.",
    });
    expect(added.status).toBe(201);
    const entry = added.body.items[0];
    expect((await ben.json<{ items: unknown[] }>("GET", "/api/journal")).body.items).toEqual([]);
    expect((await ben.json("POST", `/api/journal/${entry.id}/share`, { tags: [] })).status).toBe(404);
    expect(
      (await admin.json("POST", `/api/journal/${entry.id}/lesson`, { title: "Admins cannot read journals" })).status,
    ).toBe(404);
    const shared = await ana.json<Post>("POST", `/api/journal/${entry.id}/share`, { tags: ["docks"] });
    expect(shared.body.kind).toBe("learned");
    const lesson = await ana.json<Lesson>("POST", `/api/journal/${entry.id}/lesson`, {
      title: "Read the dock board by colour",
      tags: ["docks"],
    });
    expect(lesson.status).toBe(201);
    expect(
      (await ana.json<{ items: { sharedPostId: string; lessonId: string }[] }>("GET", "/api/journal")).body.items[0],
    ).toMatchObject({ sharedPostId: shared.body.id, lessonId: lesson.body.id });
  });

  it("shows a person's learning experiences by month, split experience / social / formal, without leaking private work", async () => {
    const q = await ben.json<{ id: string }>("POST", "/api/questions", {
      title: "Falcon crate sizes for the prototype",
      body: "Which crate?",
      spaceId: privateSpace,
      route: false,
    });
    await ana.json("POST", `/api/questions/${q.body.id}/comments`, { body: "The blue crates fit." });
    // Keeping Ben's article in the private space up to date is experience too (for those who can read it).
    const article = await ben.json<{ id: string; version: number }>("POST", "/api/articles", {
      spaceId: privateSpace,
      title: "Falcon crate list",
      body: "Blue crates.",
    });
    expect(article.status).toBe(201);
    const updated = await ana.json("PUT", `/api/articles/${article.body.id}`, {
      version: article.body.version,
      title: "Falcon crate list",
      body: "Blue crates, and the green ones for spares.",
      tags: [],
    });
    expect(updated.status).toBe(200);
    const mine = (
      await ana.json<{
        months: { experience: number; social: number; formal: number }[];
        totals: { experience: number; social: number; formal: number };
        byKind: Record<string, number>;
      }>("GET", `/api/people/${anaId}/learning?months=3`)
    ).body;
    expect(mine.months).toHaveLength(3);
    expect(mine.totals.experience).toBeGreaterThan(0);
    expect(mine.byKind.journal).toBe(1);
    expect(mine.totals.formal).toBe(0);
    const seenByOutsider = (
      await outsider.json<{ byKind: Record<string, number> }>("GET", `/api/people/${anaId}/learning?months=3`)
    ).body;
    expect(seenByOutsider.byKind.journal).toBeUndefined();
    // Ana's anonymous lesson and her private-space lesson and post are not counted for the outsider.
    expect(seenByOutsider.byKind.lesson ?? 0).toBeLessThan(mine.byKind.lesson);
    expect(seenByOutsider.byKind.learned_post ?? 0).toBeLessThan(mine.byKind.learned_post);
    // A comment in a private space counts for those who can read it, not for the outsider.
    expect(mine.byKind.comment).toBe(1);
    expect(seenByOutsider.byKind.comment).toBeUndefined();
    expect(mine.byKind.article_update).toBe(1);
    expect(seenByOutsider.byKind.article_update).toBeUndefined();
  });

  it("counts presenting a session as experience and attending one as social learning, members-only ones only for members", async () => {
    type Learning = { totals: { experience: number; social: number }; byKind: Record<string, number> };
    const learning = async (who: Client, id: string) =>
      (await who.json<Learning>("GET", `/api/people/${id}/learning?months=3`)).body;
    const before = { ana: await learning(ana, anaId), ben: await learning(ben, benId) };
    const start = new Date(t.clock.now.getTime() - 30 * 60_000).toISOString().slice(0, 16);
    const base = { start, timeZone: "UTC", durationMinutes: 60, place: "Room 2", topics: ["falcon"] };
    const open = await ana.json<{ id: string }>("POST", "/api/sessions", { ...base, title: "Falcon lessons so far" });
    expect(open.status).toBe(200);
    const circle = await ana.json<{ id: string }>("POST", "/api/communities", {
      name: "Falcon circle",
      topics: ["falcon"],
      joining: "request",
      visibility: "members",
    });
    expect(circle.status).toBe(200);
    expect(
      (await ana.json("PUT", `/api/communities/${circle.body.id}/members/${benId}`, { role: "member" })).status,
    ).toBe(200);
    const closed = await ana.json<{ id: string }>("POST", "/api/sessions", {
      ...base,
      title: "Falcon circle review",
      communityId: circle.body.id,
    });
    expect(closed.status).toBe(200);
    // A session announced for later has not been presented yet.
    const later = new Date(t.clock.now.getTime() + 7 * 86_400_000).toISOString().slice(0, 16);
    expect(
      (await ana.json("POST", "/api/sessions", { ...base, start: later, title: "Falcon next steps" })).status,
    ).toBe(200);
    for (const id of [open.body.id, closed.body.id])
      expect((await ben.json("POST", `/api/sessions/${id}/check-in`, {})).status).toBe(200);

    const anaNow = await learning(ana, anaId);
    expect(anaNow.byKind.session_presented).toBe(2);
    expect(anaNow.totals.experience - before.ana.totals.experience).toBe(2);
    const benNow = await learning(ben, benId);
    expect(benNow.byKind.session_attended).toBe(2);
    expect(benNow.totals.social - before.ben.totals.social).toBe(2);
    // The outsider sees only the open session, on both sides.
    expect((await learning(outsider, anaId)).byKind.session_presented).toBe(1);
    expect((await learning(outsider, benId)).byKind.session_attended).toBe(1);
  });
});
