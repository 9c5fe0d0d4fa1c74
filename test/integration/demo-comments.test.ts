import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestApp, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";
import { rows } from "../../src/platform/db";
import { loadDemo } from "../../db/seed/load-demo";
import { buildDemoOrg } from "../../db/seed/demo-org";
import { loadDemoComments } from "../../db/seed/demo-comments";

afterAll(closeTemplates);

type Threads = {
  open: number;
  resolved: number;
  threads: {
    anchor: { quote: string; found: boolean } | null;
    resolved: { by: { name: string } } | null;
    comments: { body: string; author: { name: string } }[];
  }[];
};

// The demo shows comment threads on the handbook (one on a passage, one resolved) and a mention for the
// admin on first start; re-running its seed adds nothing.
describe.each(testBackends())("demo comments on %s", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backend);
    await loadDemo(t.ctx.db, t.ctx.now());
  });
  afterAll(async () => t?.close());

  it("has threads on the handbook, one on a passage and one resolved, and a mention in the admin's inbox", async () => {
    const org = buildDemoOrg();
    const admin = await t.login(org.adminEmail, org.password);
    const [article] = await rows<{ id: string }>(
      t.ctx.db,
      sql`select id from articles where title = 'How we use Knowhow'`,
    );
    const list = (await admin.json<Threads>("GET", `/api/articles/${article.id}/comments`)).body;
    expect(list.open).toBe(2);
    expect(list.resolved).toBe(1);
    const onPassage = list.threads.find((x) => x.anchor !== null)!;
    expect(onPassage.anchor).toMatchObject({
      quote: "Search first: type the problem in your own words.",
      found: true,
    });
    expect(onPassage.comments).toHaveLength(2);
    expect(list.threads.find((x) => x.resolved)!.resolved!.by.name).toBe("Yusuf Horvat");
    const mentions = await admin.json<{ unseen: number; items: { url: string; by: { name: string } }[] }>(
      "GET",
      "/api/mentions",
    );
    expect(mentions.body.unseen).toBe(1);
    expect(mentions.body.items[0].by.name).toBe("Yusuf Horvat");
    expect(mentions.body.items[0].url).toMatch(new RegExp(`^/articles/${article.id}#comment-`));
  });

  it("re-running the seed adds no duplicate", async () => {
    const org = buildDemoOrg();
    const count = async () =>
      (
        await rows<{ comments: number; mentions: number }>(
          t.ctx.db,
          sql`select (select count(*)::int from article_comments) as comments, (select count(*)::int from mentions) as mentions`,
        )
      )[0];
    const before = await count();
    expect(before).toEqual({ comments: 5, mentions: 1 });
    const people = await rows<{ id: string; email: string }>(t.ctx.db, sql`select id, email from users`);
    const byEmail = new Map(people.map((p) => [p.email, p.id]));
    const ids = new Map(org.people.map((p) => [p.key, byEmail.get(p.email)!]));
    await t.ctx.db.transaction((tx) => loadDemoComments(tx, org, ids, t.ctx.now()));
    expect(await count()).toEqual(before);
  });
});
