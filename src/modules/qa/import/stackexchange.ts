import { createReadStream, existsSync, statSync } from "node:fs";
import path from "node:path";
import { SaxesParser } from "saxes";
import { sql } from "drizzle-orm";
import { answers, comments, questions, users } from "../../../../db/schema";
import { rows, type Db } from "../../../platform/db";
import { htmlToMarkdown, decodeEntities } from "./html-to-markdown";

export class DumpError extends Error {}

type SeImportReport = {
  site: string;
  people: number;
  questions: number;
  answers: number;
  comments: number;
  acceptedAnswers: number;
  duplicates: number;
  skippedAnswers: number;
  interrupted: boolean;
  missingFiles: string[];
};

type Options = {
  site?: string;
  onProgress?: (doneBytes: number, totalBytes: number) => void;
  shouldStop?: () => boolean;
};
type Row = Record<string, string>;

const BATCH = 500;

/** Streams the <row …/> elements of one dump file; errors name the file and line. */
async function eachRow(
  file: string,
  onBatch: (batch: Row[]) => Promise<void>,
  progress: (bytes: number) => void,
  shouldStop: () => boolean,
): Promise<boolean> {
  const parser = new SaxesParser({ fileName: file });
  let batch: Row[] = [];
  const pending: Row[][] = [];
  let failure: Error | null = null;
  parser.on("error", (e) => {
    failure ??= new DumpError(e.message);
  });
  parser.on("opentag", (node) => {
    if (node.name !== "row") return;
    const attrs: Row = {};
    for (const [k, v] of Object.entries(node.attributes)) attrs[k] = typeof v === "string" ? v : v.value;
    batch.push(attrs);
    if (batch.length >= BATCH) {
      pending.push(batch);
      batch = [];
    }
  });
  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 });
  for await (const chunk of stream) {
    parser.write(chunk as string);
    if (failure) {
      stream.destroy();
      throw failure;
    }
    progress(Buffer.byteLength(chunk as string));
    while (pending.length) await onBatch(pending.shift()!);
    if (shouldStop()) {
      stream.destroy();
      return false;
    }
  }
  parser.close();
  if (failure) throw failure;
  if (batch.length) await onBatch(batch);
  return true;
}

const date = (s: string | undefined) => (s ? new Date(s.endsWith("Z") ? s : `${s}Z`) : new Date());
function parseTags(s: string | undefined): string[] {
  if (!s) return [];
  const raw = s.includes("<") ? [...s.matchAll(/<([^>]+)>/g)].map((m) => m[1]) : s.split("|");
  return [...new Set(raw.map((t) => t.trim().toLowerCase()).filter(Boolean))].slice(0, 10);
}

/**
 * Imports a Stack Exchange data dump as people, questions, answers, comments, accepted answers
 * and duplicate links, with the original dates, scores, authors and a link to each original
 * post (CC BY-SA attribution). Streams every file; each batch is keyed by the dump's ids
 * (`se:<site>:…`), so a repeated or interrupted run never duplicates.
 */
export async function importStackExchange(db: Db, dir: string, options: Options = {}): Promise<SeImportReport> {
  const posts = path.join(dir, "Posts.xml");
  if (!existsSync(posts)) throw new DumpError(`${posts}: not found (Posts.xml is required)`);
  const site =
    (
      options.site ??
      path
        .basename(path.resolve(dir))
        .replace(/^se-/, "")
        .replace(/\.stackexchange\.com$/, "")
    )
      .toLowerCase()
      .replace(/[^a-z0-9.-]/g, "") || "site";
  const base = `https://${site}.stackexchange.com`;
  const key = (k: string) => `se:${site}:${k}`;
  const files = ["Users.xml", "Posts.xml", "Comments.xml", "PostLinks.xml"];
  const missingFiles = files.filter((f) => !existsSync(path.join(dir, f)));
  // Posts.xml is read twice (questions, then answers).
  const totalBytes = files.reduce(
    (s, f) => s + (existsSync(path.join(dir, f)) ? statSync(path.join(dir, f)).size * (f === "Posts.xml" ? 2 : 1) : 0),
    0,
  );
  let doneBytes = 0;
  const progress = (n: number) => options.onProgress?.((doneBytes += n), totalBytes);
  const stop = () => options.shouldStop?.() ?? false;
  const report: SeImportReport = {
    site,
    people: 0,
    questions: 0,
    answers: 0,
    comments: 0,
    acceptedAnswers: 0,
    duplicates: 0,
    skippedAnswers: 0,
    interrupted: false,
    missingFiles,
  };

  // People. Imported people have no password and cannot sign in.
  const people = new Map<string, string>();
  const loadPeople = async () => {
    people.clear();
    for (const r of await rows<{ id: string; import_key: string }>(
      db,
      sql`select id, import_key from users where import_key like ${key("u") + "%"}`,
    ))
      people.set(r.import_key.slice(key("u").length), r.id);
  };
  const insertPeople = async (list: { seId: string; name: string; created?: string; about?: string }[]) => {
    const values = list
      .filter((p) => !people.has(p.seId))
      .map((p) => ({
        email: `se-${site}-${p.seId.replace(/[^0-9a-z-]/gi, "")}@import.invalid`,
        name: p.name.slice(0, 120) || `user${p.seId}`,
        role: "member" as const,
        importKey: key(`u${p.seId}`),
        sourceUrl: /^\d+$/.test(p.seId) ? `${base}/users/${p.seId}` : null,
        bio: p.about ? htmlToMarkdown(p.about).slice(0, 2000) : "",
        createdAt: date(p.created),
      }));
    if (values.length === 0) return;
    const inserted = await db
      .insert(users)
      .values(values)
      .onConflictDoNothing()
      .returning({ id: users.id, importKey: users.importKey });
    for (const r of inserted) people.set(r.importKey!.slice(key("u").length), r.id);
    if (inserted.length < values.length) await loadPeople();
    report.people += inserted.length;
  };
  await loadPeople();
  if (existsSync(path.join(dir, "Users.xml"))) {
    const complete = await eachRow(
      path.join(dir, "Users.xml"),
      (batch) =>
        insertPeople(
          batch.map((r) => ({
            seId: r.Id,
            name: decodeEntities(r.DisplayName ?? ""),
            created: r.CreationDate,
            about: r.AboutMe,
          })),
        ),
      progress,
      stop,
    );
    if (!complete) return { ...report, interrupted: true };
  }
  /** The person for a post: its owner, else its OwnerDisplayName, else "(deleted user)". */
  const authorFor = async (r: Row): Promise<string> => {
    const seId =
      r.OwnerUserId ??
      r.UserId ??
      (r.OwnerDisplayName || r.UserDisplayName
        ? `name-${(r.OwnerDisplayName ?? r.UserDisplayName).toLowerCase().replace(/[^a-z0-9]+/g, "-")}`
        : "deleted");
    if (!people.has(seId))
      await insertPeople([
        {
          seId,
          name: r.OwnerDisplayName ?? r.UserDisplayName ?? (seId === "deleted" ? "(deleted user)" : `user${seId}`),
        },
      ]);
    return people.get(seId)!;
  };

  // Questions.
  const questionIds = new Map<string, string>();
  const loadPosts = async () => {
    for (const r of await rows<{ id: string; import_key: string }>(
      db,
      sql`select id, import_key from questions where import_key like ${key("") + "%"}`,
    ))
      questionIds.set(r.import_key.slice(key("").length), r.id);
  };
  await loadPosts();
  const accepted = new Map<string, string>(); // question SE id → accepted answer SE id
  let complete = await eachRow(
    posts,
    async (batch) => {
      const values = [];
      for (const r of batch) {
        if (r.PostTypeId !== "1") continue;
        if (r.AcceptedAnswerId) accepted.set(r.Id, r.AcceptedAnswerId);
        if (questionIds.has(r.Id)) continue;
        values.push({
          title: decodeEntities(r.Title ?? "").slice(0, 300) || `Question ${r.Id}`,
          body: htmlToMarkdown(r.Body ?? ""),
          tags: parseTags(r.Tags),
          authorId: await authorFor(r),
          score: Number(r.Score ?? 0) || 0,
          answerCount: Number(r.AnswerCount ?? 0) || 0,
          importKey: key(r.Id),
          sourceUrl: `${base}/q/${r.Id}`,
          createdAt: date(r.CreationDate),
          updatedAt: date(r.LastEditDate ?? r.CreationDate),
          lastActivityAt: date(r.LastActivityDate ?? r.CreationDate),
          closedAt: r.ClosedDate ? date(r.ClosedDate) : null,
        });
      }
      if (values.length === 0) return;
      const inserted = await db
        .insert(questions)
        .values(values)
        .onConflictDoNothing()
        .returning({ id: questions.id, importKey: questions.importKey });
      for (const q of inserted) questionIds.set(q.importKey!.slice(key("").length), q.id);
      report.questions += inserted.length;
    },
    progress,
    stop,
  );
  if (!complete) return { ...report, interrupted: true };

  // Answers (a second pass, so an answer never arrives before its question).
  const answerIds = new Map<string, string>();
  for (const r of await rows<{ id: string; import_key: string }>(
    db,
    sql`select id, import_key from answers where import_key like ${key("a") + "%"}`,
  ))
    answerIds.set(r.import_key.slice(key("a").length), r.id);
  complete = await eachRow(
    posts,
    async (batch) => {
      const values = [];
      for (const r of batch) {
        if (r.PostTypeId !== "2" || answerIds.has(r.Id)) continue;
        const questionId = questionIds.get(r.ParentId ?? "");
        if (!questionId) {
          report.skippedAnswers++;
          continue;
        }
        values.push({
          questionId,
          body: htmlToMarkdown(r.Body ?? ""),
          authorId: await authorFor(r),
          score: Number(r.Score ?? 0) || 0,
          importKey: key(`a${r.Id}`),
          sourceUrl: `${base}/a/${r.Id}`,
          createdAt: date(r.CreationDate),
          updatedAt: date(r.LastEditDate ?? r.CreationDate),
        });
      }
      if (values.length === 0) return;
      const inserted = await db
        .insert(answers)
        .values(values)
        .onConflictDoNothing()
        .returning({ id: answers.id, importKey: answers.importKey });
      for (const a of inserted) answerIds.set(a.importKey!.slice(key("a").length), a.id);
      report.answers += inserted.length;
    },
    progress,
    stop,
  );
  if (!complete) return { ...report, interrupted: true };
  // Questions were indexed before their answers arrived: queue them for the search again.
  await db.execute(
    sql`update questions q set answer_count = (select count(*) from answers a where a.question_id = q.id and a.deleted_at is null), search_seq = nextval('search_seq')
        where q.import_key like ${key("") + "%"}`,
  );
  for (const [q, a] of accepted) {
    const qid = questionIds.get(q);
    const aid = answerIds.get(a);
    if (!qid || !aid) continue;
    await db.execute(
      sql`update questions set accepted_answer_id = ${aid} where id = ${qid} and accepted_answer_id is distinct from ${aid}`,
    );
    report.acceptedAnswers++;
  }

  // Comments.
  if (existsSync(path.join(dir, "Comments.xml"))) {
    const seen = new Set(
      (
        await rows<{ import_key: string }>(
          db,
          sql`select import_key from comments where import_key like ${key("c") + "%"}`,
        )
      ).map((r) => r.import_key),
    );
    complete = await eachRow(
      path.join(dir, "Comments.xml"),
      async (batch) => {
        const values = [];
        for (const r of batch) {
          if (seen.has(key(`c${r.Id}`))) continue;
          const q = questionIds.get(r.PostId);
          const a = answerIds.get(r.PostId);
          if (!q && !a) continue;
          values.push({
            postType: (q ? "question" : "answer") as "question" | "answer",
            postId: (q ?? a)!,
            body: decodeEntities(r.Text ?? "").slice(0, 5000),
            authorId: await authorFor(r),
            importKey: key(`c${r.Id}`),
            createdAt: date(r.CreationDate),
          });
        }
        if (values.length === 0) return;
        const inserted = await db.insert(comments).values(values).onConflictDoNothing().returning({ id: comments.id });
        report.comments += inserted.length;
      },
      progress,
      stop,
    );
    if (!complete) return { ...report, interrupted: true };
  }

  // Duplicate links (LinkTypeId 3: PostId is a duplicate of RelatedPostId).
  if (existsSync(path.join(dir, "PostLinks.xml"))) {
    complete = await eachRow(
      path.join(dir, "PostLinks.xml"),
      async (batch) => {
        for (const r of batch) {
          if (r.LinkTypeId !== "3") continue;
          const dup = questionIds.get(r.PostId);
          const original = questionIds.get(r.RelatedPostId);
          if (!dup || !original) continue;
          await db.execute(sql`update questions set duplicate_of_id = ${original} where id = ${dup}`);
          report.duplicates++;
        }
      },
      progress,
      stop,
    );
    if (!complete) return { ...report, interrupted: true };
  }
  return report;
}
