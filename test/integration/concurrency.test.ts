import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LightMyRequestResponse } from "fastify";
import { sql } from "drizzle-orm";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, type Backend } from "../support/databases";
import { rows } from "../../src/platform/db";
import { isConcurrentChange, isUniqueViolation } from "../../src/platform/errors";
import { follows, routingRequests } from "../../db/schema";

afterAll(closeTemplates);

/*
 * Many requests at once must leave derived counts equal to their rows, make "once only" actions
 * happen once, and answer conflicts with 409, never 500. PGlite runs one statement at a time, so
 * the races only show on the PostgreSQL server; the same file runs on both.
 */

type Question = { id: string; score: number; answers: { id: string; score: number }[] };
type Post = { id: string; reactions: { emoji: string; count: number; mine: boolean }[] };
type Retro = { id: string; items: { id: string; lessonId?: string }[] };
type Space = { id: string; slug: string };

const pgEnabled = process.env.KNOWHOW_TEST_PG === "1";
const backends: { kind: Backend; run: boolean; label: string }[] = [
  { kind: "pglite", run: true, label: "pglite" },
  {
    kind: "postgres",
    run: pgEnabled,
    label: pgEnabled ? "postgres" : "postgres — SKIPPED: no PostgreSQL server (KNOWHOW_TEST_PG is not 1)",
  },
];

/** The statuses of responses, as "status × count", for readable failures. */
const tally = (list: LightMyRequestResponse[]) => {
  const m = new Map<number, number>();
  for (const r of list) m.set(r.statusCode, (m.get(r.statusCode) ?? 0) + 1);
  return Object.fromEntries([...m].sort((a, b) => a[0] - b[0]));
};
const serverErrors = (list: LightMyRequestResponse[]) =>
  list.filter((r) => r.statusCode >= 500).map((r) => `${r.statusCode} ${r.body.slice(0, 200)}`);

for (const backend of backends) {
  describe.skipIf(!backend.run)(`concurrent requests on ${backend.label}`, () => {
    let t: TestApp;
    let asker: Client, answerer: Client, owner: Client;
    const voters: Client[] = [];
    let ownerId: string, answererId: string;
    let spaceId: string;

    /** Fires the requests together (one event-loop turn) and waits for all. */
    const all = (requests: (() => Promise<LightMyRequestResponse>)[]) => Promise.all(requests.map((r) => r()));
    const n = (count: number, f: (i: number) => Promise<LightMyRequestResponse>) =>
      all(Array.from({ length: count }, (_, i) => () => f(i)));
    const count = async (query: ReturnType<typeof sql>) => Number((await rows<{ n: number }>(t.ctx.db, query))[0].n);

    beforeAll(async () => {
      // A pool as large as the bursts, so the server really runs the requests side by side.
      t = await createTestApp(backend.kind, {}, { poolMax: 20 });
      const a = await t.newUser({ name: "Asker" });
      const b = await t.newUser({ name: "Answerer" });
      const o = await t.newUser({ name: "Owner" });
      answererId = b.id;
      ownerId = o.id;
      asker = await t.login(a.email);
      answerer = await t.login(b.email);
      owner = await t.login(o.email);
      for (let i = 0; i < 4; i++) voters.push(await t.login((await t.newUser({ name: `Voter ${i}` })).email));
      spaceId = (await t.newSpace(o.id, { name: "Race track" })).id;
    });
    afterAll(async () => t?.close());

    async function questionWithAnswer(title: string) {
      const q = await asker.json<Question>("POST", "/api/questions", {
        title,
        body: `${title}?`,
        tags: ["races"],
        route: false,
      });
      const a = await answerer.json<Question>("POST", `/api/questions/${q.body.id}/answers`, { body: "Like this." });
      return { questionId: q.body.id, answerId: a.body.answers[0].id };
    }
    const storedScore = async (table: "questions" | "answers", id: string) =>
      count(sql`select score as n from ${sql.raw(table)} where id = ${id}`);
    const sumOfVotes = async (id: string) =>
      count(sql`select coalesce(sum(value), 0)::int as n from votes where post_id = ${id}`);

    it("20 simultaneous +1 votes by one person raise an answer's and a question's score by exactly 1 (10 trials)", async () => {
      for (let trial = 0; trial < 10; trial++) {
        const { questionId, answerId } = await questionWithAnswer(`Same vote twenty times, trial ${trial}`);
        const res = await all([
          ...Array.from(
            { length: 20 },
            () => () => voters[0].request("POST", `/api/answers/${answerId}/vote`, { value: 1 }),
          ),
          ...Array.from(
            { length: 20 },
            () => () => voters[0].request("POST", `/api/questions/${questionId}/vote`, { value: 1 }),
          ),
        ]);
        expect(serverErrors(res), `trial ${trial}: ${JSON.stringify(tally(res))}`).toEqual([]);
        expect(
          res.every((r) => r.statusCode === 200),
          `trial ${trial}: ${JSON.stringify(tally(res))}`,
        ).toBe(true);
        expect(await storedScore("answers", answerId), `answer score, trial ${trial}`).toBe(1);
        expect(await storedScore("questions", questionId), `question score, trial ${trial}`).toBe(1);
        expect(
          await count(sql`select count(*)::int as n from votes where post_id in (${answerId}, ${questionId})`),
        ).toBe(2);
      }
    }, 300_000);

    it("votes flipped (+1/-1/0) by several people at once leave each score equal to the sum of the stored votes (5 trials)", async () => {
      for (let trial = 0; trial < 5; trial++) {
        const { questionId, answerId } = await questionWithAnswer(`Flipping votes, trial ${trial}`);
        const values = [1, -1, 0] as const;
        const res = await all(
          Array.from({ length: 40 }, (_, i) => () => {
            const voter = voters[i % voters.length];
            const value = values[(i * 7 + trial) % 3];
            return i % 2
              ? voter.request("POST", `/api/answers/${answerId}/vote`, { value })
              : voter.request("POST", `/api/questions/${questionId}/vote`, { value });
          }),
        );
        expect(serverErrors(res), `trial ${trial}: ${JSON.stringify(tally(res))}`).toEqual([]);
        expect(await storedScore("answers", answerId), `answer, trial ${trial}`).toBe(await sumOfVotes(answerId));
        expect(await storedScore("questions", questionId), `question, trial ${trial}`).toBe(
          await sumOfVotes(questionId),
        );
        // What the page shows agrees with the rows too.
        const page = (await asker.json<Question>("GET", `/api/questions/${questionId}`)).body;
        expect(page.score).toBe(await sumOfVotes(questionId));
        expect(page.answers[0].score).toBe(await sumOfVotes(answerId));
      }
    }, 300_000);

    it("answers posted at once are all counted (answer_count equals the answers; 3 trials)", async () => {
      for (let trial = 0; trial < 3; trial++) {
        const q = await asker.json<Question>("POST", "/api/questions", {
          title: `Many answers at once, trial ${trial}`,
          body: "Who knows?",
          route: false,
        });
        const res = await n(10, (i) =>
          voters[i % voters.length].request("POST", `/api/questions/${q.body.id}/answers`, { body: `Answer ${i}` }),
        );
        expect(tally(res)).toEqual({ 201: 10 });
        expect(await count(sql`select answer_count as n from questions where id = ${q.body.id}`)).toBe(
          await count(
            sql`select count(*)::int as n from answers where question_id = ${q.body.id} and deleted_at is null`,
          ),
        );
      }
    });

    it("20 simultaneous reaction toggles by one person: no errors, each toggle counts, the count equals the rows (5 trials)", async () => {
      for (let trial = 0; trial < 5; trial++) {
        const post = await asker.json<Post>("POST", "/api/posts", {
          kind: "working_on",
          body: `Racing reactions, trial ${trial}`,
          tags: [],
        });
        // An odd number of toggles on one emoji leaves it on, an even number on another leaves it off.
        const res = await all([
          ...Array.from(
            { length: 21 },
            () => () => voters[0].request("POST", `/api/posts/${post.body.id}/reactions`, { emoji: "👍" }),
          ),
          ...Array.from(
            { length: 20 },
            () => () => voters[0].request("POST", `/api/posts/${post.body.id}/reactions`, { emoji: "💡" }),
          ),
          ...voters
            .slice(1)
            .map((v) => () => v.request("POST", `/api/posts/${post.body.id}/reactions`, { emoji: "👍" })),
        ]);
        expect(serverErrors(res), `trial ${trial}: ${JSON.stringify(tally(res))}`).toEqual([]);
        expect(tally(res)).toEqual({ 200: 44 });
        const reactionRows = async (emoji: string) =>
          count(
            sql`select count(*)::int as n from post_reactions where post_id = ${post.body.id} and emoji = ${emoji}`,
          );
        expect(await reactionRows("👍")).toBe(4);
        expect(await reactionRows("💡")).toBe(0);
        const shown = (await asker.json<Post>("GET", `/api/posts/${post.body.id}`)).body.reactions;
        expect(shown.find((r) => r.emoji === "👍")!.count).toBe(4);
        expect(shown.find((r) => r.emoji === "💡")!.count).toBe(0);
      }
    }, 300_000);

    it("one retrospective item made a lesson 10 times at once gives exactly one lesson; the others get 409 (5 trials)", async () => {
      for (let trial = 0; trial < 5; trial++) {
        const retro = await owner.json<Retro>("POST", "/api/retrospectives", {
          title: `Race retro ${trial}`,
          spaceId,
          items: [{ column: "less", text: `We raced, trial ${trial}` }],
        });
        expect(retro.status).toBe(201);
        const item = retro.body.items[0];
        const res = await n(10, () =>
          owner.request("POST", `/api/retrospectives/${retro.body.id}/items/${item.id}/lesson`, {
            learned: "Take turns, one at a time.",
          }),
        );
        expect(tally(res), `trial ${trial}`).toEqual({ 201: 1, 409: 9 });
        const made = await rows<{ id: string }>(
          t.ctx.db,
          sql`select id from lessons where retrospective_id = ${retro.body.id}`,
        );
        expect(made).toHaveLength(1);
        const after = (await owner.json<Retro>("GET", `/api/retrospectives/${retro.body.id}`)).body;
        expect(after.items[0].lessonId).toBe(made[0].id);
        for (const r of res.filter((x) => x.statusCode === 409))
          expect(r.json()).toMatchObject({ error: { code: "conflict" }, lessonId: made[0].id });
      }
      expect((await t.app.inject({ method: "GET", url: "/api/health" })).statusCode).toBe(200);
    });

    it("10 spaces created with the same name at once all succeed with distinct slugs (3 trials)", async () => {
      for (let trial = 0; trial < 3; trial++) {
        const res = await n(10, () => owner.request("POST", "/api/spaces", { name: `Same Name ${trial}` }));
        expect(serverErrors(res), `trial ${trial}: ${JSON.stringify(tally(res))}`).toEqual([]);
        expect(tally(res)).toEqual({ 200: 10 });
        const slugs = res.map((r) => (r.json() as Space).slug).sort();
        expect(new Set(slugs).size).toBe(10);
        const base = `same-name-${trial}`;
        expect(slugs).toEqual([base, ...Array.from({ length: 9 }, (_, i) => `${base}-${i + 2}`)].sort());
      }
    });

    it("a journal entry shared or made a lesson several times at once is shared once and made a lesson once", async () => {
      for (let trial = 0; trial < 3; trial++) {
        await owner.json("POST", "/api/journal", { practice: "reflection", body: `Reflecting on races ${trial}` });
        const journal = (await owner.json<{ items: { id: string; body: string }[] }>("GET", "/api/journal")).body;
        const entry = journal.items.find((e) => e.body === `Reflecting on races ${trial}`)!;
        const shared = await n(6, () => owner.request("POST", `/api/journal/${entry.id}/share`, { tags: [] }));
        expect(serverErrors(shared)).toEqual([]);
        expect(shared.filter((r) => r.statusCode === 201)).toHaveLength(1);
        expect(
          await count(sql`select count(*)::int as n from posts where body = ${`Reflecting on races ${trial}`}`),
        ).toBe(1);
        const lessoned = await n(6, () =>
          owner.request("POST", `/api/journal/${entry.id}/lesson`, { title: `Races lesson ${trial}`, tags: [] }),
        );
        expect(serverErrors(lessoned)).toEqual([]);
        expect(lessoned.filter((r) => r.statusCode === 201)).toHaveLength(1);
        expect(await count(sql`select count(*)::int as n from lessons where title = ${`Races lesson ${trial}`}`)).toBe(
          1,
        );
      }
    });

    it("a challenge resolved several times at once is resolved once; the others get 409", async () => {
      const article = (
        await owner.json<{ id: string }>("POST", "/api/articles", {
          spaceId,
          title: "Pit stop procedure",
          body: "Change all four tyres.",
          tags: [],
        })
      ).body;
      for (let trial = 0; trial < 3; trial++) {
        const c = await voters[0].json<{ id: string }>("POST", "/api/challenges", {
          subjectType: "article",
          subjectId: article.id,
          claim: `Only two tyres now, trial ${trial}`,
        });
        expect(c.status).toBe(201);
        const res = await n(8, () =>
          owner.request("POST", `/api/challenges/${c.body.id}/resolve`, {
            outcome: "dismissed",
            response: "Still four.",
          }),
        );
        expect(tally(res), `trial ${trial}`).toEqual({ 200: 1, 409: 7 });
      }
    });

    it("a routed request declined several times at once is declined once (one decline as evidence); the others get 409", async () => {
      for (let trial = 0; trial < 3; trial++) {
        const { questionId } = await questionWithAnswer(`Declined at once, trial ${trial}`);
        const [req] = await t.ctx.db
          .insert(routingRequests)
          .values({ questionId, expertId: ownerId, createdAt: t.ctx.now() })
          .returning({ id: routingRequests.id });
        const before = await count(
          sql`select count(*)::int as n from expertise_events where kind = 'decline' and ref = ${req.id}`,
        );
        const res = await n(6, () =>
          owner.request("POST", `/api/routing/requests/${req.id}/decline`, { reason: "not_my_area" }),
        );
        expect(tally(res), `trial ${trial}`).toEqual({ 200: 1, 409: 5 });
        expect(
          await count(sql`select count(*)::int as n from expertise_events where kind = 'decline' and ref = ${req.id}`),
        ).toBe(before + 1);
      }
    });

    it("a unique violation is recognised through the driver's and Drizzle's wrappers (the HTTP layer answers it with 409)", async () => {
      const row = { userId: ownerId, targetType: "tag" as const, target: "duplicate-key", createdAt: t.ctx.now() };
      await t.ctx.db.insert(follows).values(row);
      const error = await t.ctx.db
        .insert(follows)
        .values(row)
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(isUniqueViolation(error)).toBe(true);
      expect(isConcurrentChange(error)).toBe(true);
      expect(isConcurrentChange(new Error("something else"))).toBe(false);
    });

    it("two invitations for one email accepted at once make one account; the other gets 409, not 500", async () => {
      const admin = await t.login((await t.newUser({ name: "Admin", role: "admin" })).email);
      for (let trial = 0; trial < 2; trial++) {
        const email = `twice-${trial}@example.test`;
        const tokens: string[] = [];
        for (let i = 0; i < 3; i++) {
          const inv = await admin.json<{ url: string }>("POST", "/api/invitations", { email, role: "member" });
          tokens.push(inv.body.url.split("/").pop()!);
        }
        const res = await all(
          tokens.map(
            (token) => () =>
              t.app.inject({
                method: "POST",
                url: `/api/invitations/token/${token}/accept`,
                payload: { name: "Twice", password: "correct horse battery" },
              }),
          ),
        );
        expect(tally(res), `trial ${trial}`).toEqual({ 200: 1, 409: 2 });
        expect(await count(sql`select count(*)::int as n from users where lower(email) = ${email}`)).toBe(1);
      }
    });

    it("endorsements, follows, skills and space memberships changed at once stay single rows and keep an owner", async () => {
      const endorse = await n(10, (i) =>
        voters[i % 2].request("POST", `/api/people/${answererId}/endorsements`, {
          tag: "pit-stops",
          note: `note ${i}`,
        }),
      );
      expect(tally(endorse)).toEqual({ 201: 10 });
      expect(
        await count(
          sql`select count(*)::int as n from endorsements where user_id = ${answererId} and tag = 'pit-stops'`,
        ),
      ).toBe(2);
      const follow = await n(10, () =>
        voters[0].request("PUT", "/api/me/follows", { type: "tag", target: "races", follow: true }),
      );
      expect(tally(follow)).toEqual({ 200: 10 });
      const skills = await n(10, (i) =>
        voters[1].request("PUT", "/api/me/skills", { skills: i % 2 ? ["tyres", "fuel"] : ["fuel", "brakes"] }),
      );
      expect(serverErrors(skills)).toEqual([]);
      expect(tally(skills)).toEqual({ 200: 10 });
      const kept = await rows<{ tag: string }>(
        t.ctx.db,
        sql`select tag from skills s join users u on u.id = s.user_id where u.name = 'Voter 1' order by tag`,
      );
      expect([
        ["brakes", "fuel"],
        ["fuel", "tyres"],
      ]).toContainEqual(kept.map((k) => k.tag));
      // Two owners demote each other at the same moment: the space must keep one owner.
      for (let trial = 0; trial < 3; trial++) {
        const s = await t.newSpace(ownerId, { name: `Two owners ${trial}` });
        const other = await t.newUser({ name: `Co-owner ${trial}` });
        await t.addMember(s.id, other.id, "owner");
        const coOwner = await t.login(other.email);
        const res = await all([
          () => owner.request("PUT", `/api/spaces/${s.id}/members/${other.id}`, { role: "editor" }),
          () => coOwner.request("PUT", `/api/spaces/${s.id}/members/${ownerId}`, { role: "editor" }),
        ]);
        expect(serverErrors(res)).toEqual([]);
        expect(
          await count(sql`select count(*)::int as n from space_members where space_id = ${s.id} and role = 'owner'`),
          `trial ${trial}: ${JSON.stringify(tally(res))}`,
        ).toBeGreaterThanOrEqual(1);
      }
    });
  });
}
