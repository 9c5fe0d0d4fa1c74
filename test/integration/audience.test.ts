import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestApp, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";
import { rows } from "../../src/platform/db";
import { ORG_AUDIENCE, readableAudiences, readableSql, type ItemKind } from "../../src/authz/audience";
import {
  can,
  type Actor,
  type ArticleSubject,
  type PostSubject,
  type QuestionSubject,
  type SpaceSubject,
} from "../../src/authz/policy";
import { loadCommunitySubject } from "../../src/authz/access";
import { loadArticle } from "../../src/modules/knowledge/articles.queries";
import { articles, communities, communityMembers, lessons, posts, questions, retrospectives } from "../../db/schema";

afterAll(closeTemplates);

const TABLE: Record<ItemKind, string> = {
  article: "articles",
  question: "questions",
  lesson: "lessons",
  post: "posts",
  retrospective: "retrospectives",
};

/** Which items of a kind the SQL rule lets the actor read. */
async function readable(t: TestApp, actor: Actor, kind: ItemKind): Promise<Set<string>> {
  const found = await rows<{ id: string }>(
    t.ctx.db,
    sql`select x.id from ${sql.raw(TABLE[kind])} x where ${readableSql(actor, kind, "x")}`,
  );
  return new Set(found.map((r) => r.id));
}

describe.each(testBackends())("the audience model, on %s", (backend) => {
  let t: TestApp;
  const actors: Record<string, Actor> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(backend);
    const owner = await t.newUser({ name: "Owner" });
    const insider = await t.newUser({ name: "Insider" });
    const outsider = await t.newUser({ name: "Outsider" });
    const guest = await t.newUser({ name: "Guest", role: "guest" });
    const admin = await t.newUser({ name: "Admin", role: "admin" });
    actors.owner = { id: owner.id, role: "member", name: "Owner" };
    actors.insider = { id: insider.id, role: "member", name: "Insider" };
    actors.outsider = { id: outsider.id, role: "member", name: "Outsider" };
    actors.guest = { id: guest.id, role: "guest", name: "Guest" };
    actors.admin = { id: admin.id, role: "admin", name: "Admin" };
    const pub = await t.newSpace(owner.id, { name: "Public" });
    const priv = await t.newSpace(owner.id, { name: "Private", visibility: "private" });
    await t.addMember(priv.id, insider.id, "viewer");
    ids.pub = pub.id;
    ids.priv = priv.id;
    const db = t.ctx.db;
    const article = async (key: string, spaceId: string, extra: Partial<typeof articles.$inferInsert> = {}) => {
      const [a] = await db
        .insert(articles)
        .values({ spaceId, title: key, body: key, ownerId: owner.id, updatedBy: owner.id, ...extra })
        .returning();
      ids[key] = a.id;
    };
    // Communities: one visible to everyone, one members-only (the insider is a member, the outsider's request waits).
    const [open] = await db
      .insert(communities)
      .values({ name: "Open", slug: "open", topics: ["x"] })
      .returning();
    const [closed] = await db
      .insert(communities)
      .values({ name: "Closed", slug: "closed", topics: ["x"], visibility: "members", joining: "request" })
      .returning();
    await db.insert(communityMembers).values([
      { communityId: closed.id, userId: owner.id, role: "lead" },
      { communityId: closed.id, userId: insider.id, role: "member" },
      { communityId: closed.id, userId: outsider.id, role: "pending" },
    ]);
    ids.open = open.id;
    ids.closed = closed.id;
    for (const [key, communityId] of [
      ["c-open", open.id],
      ["c-closed", closed.id],
    ] as const) {
      const [q] = await db
        .insert(questions)
        .values({ title: key, body: key, communityId, authorId: owner.id })
        .returning();
      ids[`q-${key}`] = q.id;
      const [p] = await db
        .insert(posts)
        .values({ kind: "working_on", body: key, communityId, authorId: owner.id })
        .returning();
      ids[`p-${key}`] = p.id;
    }
    await article("a-pub", pub.id);
    await article("a-priv", priv.id);
    await article("a-draft", pub.id, { status: "draft" });
    await article("a-trash", pub.id, { deletedAt: new Date(), deletedBy: owner.id });
    for (const [key, spaceId] of [
      ["q-org", null],
      ["q-pub", pub.id],
      ["q-priv", priv.id],
    ] as const) {
      const [q] = await db.insert(questions).values({ title: key, body: key, spaceId, authorId: owner.id }).returning();
      ids[key] = q.id;
      const [l] = await db
        .insert(lessons)
        .values({ kind: "mistake", title: key, whatHappened: key, learned: key, spaceId, authorId: owner.id })
        .returning();
      ids[key.replace("q-", "l-")] = l.id;
      const [p] = await db
        .insert(posts)
        .values({ kind: "working_on", body: key, spaceId, authorId: owner.id })
        .returning();
      ids[key.replace("q-", "p-")] = p.id;
      const [r] = await db.insert(retrospectives).values({ title: key, spaceId, authorId: owner.id }).returning();
      ids[key.replace("q-", "r-")] = r.id;
    }
  });
  afterAll(async () => t.close());

  it("puts every item in exactly one audience: its space, or the whole organisation", async () => {
    const found = await rows<{ id: string; audience_id: string }>(
      t.ctx.db,
      sql`select id, audience_id from questions union all select id, audience_id from lessons`,
    );
    const byId = new Map(found.map((r) => [r.id, r.audience_id]));
    expect(byId.get(ids["q-org"])).toBe(ORG_AUDIENCE);
    expect(byId.get(ids["q-priv"])).toBe(ids.priv);
    expect(byId.get(ids["l-pub"])).toBe(ids.pub);
    expect(byId.get(ids["q-c-closed"])).toBe(ids.closed);
    await expect(
      t.ctx.db.insert(questions).values({
        title: "both",
        body: "both",
        spaceId: ids.pub,
        communityId: ids.open,
        authorId: actors.owner.id,
      }),
    ).rejects.toThrow();
  });

  it("names the audiences each actor may read", async () => {
    const outsider = await readableAudiences(t.ctx.db, actors.outsider);
    expect([...outsider.keys()].sort()).toEqual([ORG_AUDIENCE, ids.pub, ids.open].sort());
    const insider = await readableAudiences(t.ctx.db, actors.insider);
    expect(insider.has(ids.priv)).toBe(true);
    expect(insider.has(ids.closed)).toBe(true);
    expect(await readableAudiences(t.ctx.db, null)).toEqual(new Map());
  });

  it("the SQL rule agrees with the policy for every kind, actor and item", async () => {
    const expected: Record<string, Record<ItemKind, string[]>> = {
      outsider: {
        article: ["a-pub"],
        question: ["q-org", "q-pub", "q-c-open"],
        lesson: ["l-org", "l-pub"],
        post: ["p-org", "p-pub", "p-c-open"],
        retrospective: ["r-org", "r-pub"],
      },
      guest: {
        article: ["a-pub"],
        question: ["q-org", "q-pub", "q-c-open"],
        lesson: ["l-org", "l-pub"],
        post: ["p-org", "p-pub", "p-c-open"],
        retrospective: ["r-org", "r-pub"],
      },
      insider: {
        article: ["a-pub", "a-priv"],
        question: ["q-org", "q-pub", "q-priv", "q-c-open", "q-c-closed"],
        lesson: ["l-org", "l-pub", "l-priv"],
        post: ["p-org", "p-pub", "p-priv", "p-c-open", "p-c-closed"],
        retrospective: ["r-org", "r-pub", "r-priv"],
      },
      owner: {
        article: ["a-pub", "a-priv", "a-draft"],
        question: ["q-org", "q-pub", "q-priv", "q-c-open", "q-c-closed"],
        lesson: ["l-org", "l-pub", "l-priv"],
        post: ["p-org", "p-pub", "p-priv", "p-c-open", "p-c-closed"],
        retrospective: ["r-org", "r-pub", "r-priv"],
      },
      admin: {
        article: ["a-pub", "a-priv", "a-draft"],
        question: ["q-org", "q-pub", "q-priv", "q-c-open", "q-c-closed"],
        lesson: ["l-org", "l-pub", "l-priv"],
        post: ["p-org", "p-pub", "p-priv", "p-c-open", "p-c-closed"],
        retrospective: ["r-org", "r-pub", "r-priv"],
      },
    };
    for (const [who, kinds] of Object.entries(expected)) {
      for (const [kind, keys] of Object.entries(kinds) as [ItemKind, string[]][]) {
        expect([...(await readable(t, actors[who], kind))].sort(), `${who} ${kind}`).toEqual(
          keys.map((k) => ids[k]).sort(),
        );
      }
      // Articles: the SQL rule gives exactly what the policy's read gives on each loaded subject (the trash aside:
      // lists never show it).
      for (const key of ["a-pub", "a-priv", "a-draft"]) {
        const { subject } = await loadArticle(t.ctx.db, actors[who], ids[key]);
        expect(can(actors[who], "read", subject as ArticleSubject), `${who} reads ${key}`).toBe(
          kinds.article.includes(key),
        );
      }
    }
    // Questions and posts in communities: the policy's read on each loaded subject gives what the SQL rule gives.
    for (const [who, kinds] of Object.entries(expected)) {
      for (const key of ["c-open", "c-closed"]) {
        const community = await loadCommunitySubject(t.ctx.db, actors[who], ids[key === "c-open" ? "open" : "closed"]);
        const question: QuestionSubject = {
          kind: "question",
          id: ids[`q-${key}`],
          space: null,
          community,
          authorId: actors.owner.id,
          deleted: false,
          closed: false,
        };
        expect(can(actors[who], "read", question), `${who} reads q-${key}`).toBe(kinds.question.includes(`q-${key}`));
        const post: PostSubject = {
          kind: "post",
          id: ids[`p-${key}`],
          space: null,
          community,
          authorId: actors.owner.id,
          deleted: false,
        };
        expect(can(actors[who], "read", post), `${who} reads p-${key}`).toBe(kinds.post.includes(`p-${key}`));
      }
    }
    const space = (await loadArticle(t.ctx.db, actors.outsider, ids["a-priv"])).subject.space as SpaceSubject;
    expect(can(actors.outsider, "read", space)).toBe(false);
  });
});
