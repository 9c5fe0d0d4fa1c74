import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { importStackExchange } from "../../src/modules/qa/import/stackexchange";
import { htmlToMarkdown } from "../../src/modules/qa/import/html-to-markdown";
import { rows } from "../../src/platform/db";
import { createTestDatabase, closeTemplates, testBackends } from "../support/databases";
import type { Database } from "../../src/platform/db";

afterAll(closeTemplates);
const FIXTURE = path.resolve(__dirname, "../fixtures/se-cardano-excerpt");

describe("htmlToMarkdown", () => {
  it("turns Stack Exchange HTML into Markdown the app can render", () => {
    const md = htmlToMarkdown(
      '<p>Use <code>cardano-cli</code> and <a href="https://x.io">docs</a>.</p>\n<pre><code>a &lt; b\n</code></pre>\n<ul><li>one</li><li><strong>two</strong></li></ul><script>x</script>',
    );
    expect(md).toContain("Use `cardano-cli` and [docs](https://x.io).");
    expect(md).toContain("```\na < b\n```");
    expect(md).toContain("- one\n- **two**");
    expect(md).not.toMatch(/<\/?(p|ul|li|script|strong|a)\b/);
  });
});

describe.each(testBackends())("Stack Exchange import on %s", (backend) => {
  let database: Database;
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "kh-se-")), "cardano");
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    cpSync(FIXTURE, dir, { recursive: true });
    // Mark one question a duplicate of another (the excerpt has no LinkTypeId 3 row).
    const links = readFileSync(path.join(dir, "PostLinks.xml"), "utf8").replace(
      "</postlinks>",
      '  <row Id="999" CreationDate="2021-05-01T00:00:00.000" PostId="5" RelatedPostId="3" LinkTypeId="3" />\n</postlinks>',
    );
    writeFileSync(path.join(dir, "PostLinks.xml"), links);
  });
  afterAll(async () => {
    await database.close();
    rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it("imports people, questions, answers, comments, accepted answers and duplicates with attribution; a re-run adds nothing", async () => {
    const progress: number[] = [];
    const r = await importStackExchange(database.db, dir, { onProgress: (d) => progress.push(d) });
    expect(r).toMatchObject({
      site: "cardano",
      questions: 40,
      answers: 85,
      duplicates: 1,
      interrupted: false,
      skippedAnswers: 0,
    });
    expect(r.comments).toBeGreaterThan(50);
    expect(r.acceptedAnswers).toBeGreaterThan(10);
    expect(progress.length).toBeGreaterThan(0);
    const [q1] = await rows<{
      title: string;
      source_url: string;
      score: number;
      created_at: Date;
      accepted: string | null;
      author: string;
      tags: string[];
    }>(
      database.db,
      sql`select q.title, q.source_url, q.score, q.created_at, q.accepted_answer_id as accepted, u.name as author, q.tags from questions q join users u on u.id = q.author_id where q.import_key = 'se:cardano:1'`,
    );
    expect(q1).toMatchObject({
      title: "How Cardano is different from Ethereum (2.0)?",
      source_url: "https://cardano.stackexchange.com/q/1",
      score: 36,
      tags: ["proof-of-work", "governance", "ethereum"],
    });
    expect(new Date(q1.created_at).toISOString()).toBe("2021-04-27T15:06:44.553Z");
    expect(q1.accepted).not.toBeNull();
    const [dup] = await rows<{ dup: string | null }>(
      database.db,
      sql`select duplicate_of_id as dup from questions where import_key = 'se:cardano:5'`,
    );
    expect(dup.dup).not.toBeNull();
    const [noLogin] = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from users where import_key is not null and password_hash is not null`,
    );
    expect(Number(noLogin.n)).toBe(0);

    const again = await importStackExchange(database.db, dir);
    expect(again).toMatchObject({ people: 0, questions: 0, answers: 0, comments: 0 });
    const [counts] = await rows<{ q: number; a: number }>(
      database.db,
      sql`select (select count(*)::int from questions) as q, (select count(*)::int from answers) as a`,
    );
    expect([Number(counts.q), Number(counts.a)]).toEqual([40, 85]);
  });

  it("works without the optional files and names the file and line of malformed XML", async () => {
    const only = path.join(mkdtempSync(path.join(tmpdir(), "kh-se2-")), "tiny");
    cpSync(dir, only, { recursive: true });
    for (const f of ["Users.xml", "Comments.xml", "Votes.xml", "PostLinks.xml"]) unlinkSync(path.join(only, f));
    const db2 = await createTestDatabase(backend);
    try {
      const r = await importStackExchange(db2.db, only);
      expect(r.missingFiles).toEqual(["Users.xml", "Comments.xml", "PostLinks.xml"]);
      expect(r.questions).toBe(40);
      writeFileSync(
        path.join(only, "Posts.xml"),
        '<?xml version="1.0"?>\n<posts>\n  <row Id="1" PostTypeId="1" Title="ok" />\n  <row Id="2" Title="broken />\n</posts>\n',
      );
      await expect(importStackExchange(db2.db, only)).rejects.toThrow(/Posts\.xml:\d+:\d+/);
      await expect(importStackExchange(db2.db, path.join(only, "nope"))).rejects.toThrow("Posts.xml is required");
    } finally {
      await db2.close();
      rmSync(path.dirname(only), { recursive: true, force: true });
    }
  });
});
