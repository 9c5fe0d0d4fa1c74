/**
 * `npm run bench -- routing [--people 10000] [--answers 100000] [--questions 300] [--se DIR]`
 *
 * (a) Routing speed: a generated organisation (N people with 2–4 topics each, answers spread
 *     over 300 topics with a Zipf-like popularity, realistic text) in the embedded database; then
 *     new questions are routed through the app's real path — routeQuestion(): expertise ranking
 *     from evidence the asker may read, availability, working hours, daily caps, load spreading,
 *     recording the requests and publishing the live events. p50/p95/max per question, next to
 *     a baseline measured in the same run: the obvious SQL router (people with the most answers
 *     on the question's tags, GROUP BY over the answers table).
 * (b) Import throughput of a Stack Exchange dump (default ../shared/data/se-cardano) in posts per
 *     second through `knowhow import stackexchange`'s code, next to the speed of only parsing its
 *     Posts.xml with the same streaming XML parser (the floor any importer pays).
 */
import { createReadStream, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { SaxesParser } from "saxes";
import { migrate, openPglite, rows } from "../src/platform/db";
import { loadConfig } from "../src/platform/config";
import { createContext } from "../src/context";
import { answers, questions, users } from "../db/schema";
import { routeQuestion } from "../src/modules/routing/routing.service";
import { createAnswer, updateQuestion, vote } from "../src/modules/qa/qa.service";
import { importStackExchange } from "../src/modules/qa/import/stackexchange";
import { mulberry32 } from "../src/domain/random";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const log = (s: string) => process.stderr.write(s + "\n");
const flag = (args: string[], name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** The longest time a 5 ms timer waited past its due time: how long other requests would have been held up. */
function stallMeter() {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 5);
    last = now;
  }, 5);
  return { max: () => worst, stop: () => clearInterval(timer) };
}

function progress(label: string, done: number, total: number) {
  if (!process.stderr.isTTY) return;
  const w = 30;
  const f = Math.round((done / total) * w);
  process.stderr.write(`\r${label} [${"#".repeat(f)}${".".repeat(w - f)}] ${done}/${total}`);
  if (done === total) process.stderr.write("\n");
}

const COMMON =
  "the a we our to of and in for is on it with that this when after before order shipment customer pallet system team please check thanks need issue".split(
    " ",
  );

function makeTopics(rand: () => number): { name: string; words: string[] }[] {
  const syll = [
    "ka",
    "lo",
    "mi",
    "ten",
    "ra",
    "vo",
    "sel",
    "dur",
    "pin",
    "qua",
    "ber",
    "tis",
    "mon",
    "fal",
    "gru",
    "nex",
  ];
  const word = () =>
    Array.from({ length: 2 + Math.floor(rand() * 2) }, () => syll[Math.floor(rand() * syll.length)]).join("");
  return Array.from({ length: 300 }, (_, i) => ({ name: `topic-${i}`, words: Array.from({ length: 25 }, word) }));
}

function text(rand: () => number, topic: { words: string[] }, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(
      rand() < 0.45
        ? topic.words[Math.floor(Math.pow(rand(), 1.5) * topic.words.length)]
        : COMMON[Math.floor(rand() * COMMON.length)],
    );
  return out.join(" ");
}

async function routingSpeed(args: string[]): Promise<void> {
  const nPeople = Number(flag(args, "people", "10000"));
  const nAnswers = Number(flag(args, "answers", "100000"));
  const nRoute = Number(flag(args, "questions", "300"));
  const rand = mulberry32(42);
  const topics = makeTopics(rand);
  // Zipf-like topic popularity.
  const pickTopic = () => Math.min(topics.length - 1, Math.floor(Math.pow(rand(), 2.2) * topics.length));
  const database = await openPglite();
  await migrate(database);
  const config = loadConfig({ LOG_LEVEL: "silent" } as NodeJS.ProcessEnv, {
    dataDir: path.join(root, "data", "bench-routing"),
    demo: false,
  });
  const ctx = createContext(config, database);
  const db = ctx.db;
  const t0 = performance.now();
  const personTopics: number[][] = [];
  const ids: string[] = [];
  for (let start = 0; start < nPeople; start += 1000) {
    const batch = [];
    for (let i = start; i < Math.min(nPeople, start + 1000); i++) {
      personTopics.push(Array.from({ length: 2 + Math.floor(rand() * 3) }, pickTopic));
      const r = rand();
      batch.push({
        email: `p${i}@bench.test`,
        name: `Person ${i}`,
        passwordHash: "bench",
        department: `Dept ${i % 40}`,
        // A realistic mix: most work any hour of the bench, some away or busy, everyone has a cap.
        availability: (r < 0.08 ? "away" : r < 0.15 ? "busy" : "available") as "away" | "busy" | "available",
        awayUntil: r < 0.08 ? new Date(Date.now() + 7 * 86_400_000) : null,
        workStart: 0,
        workEnd: 0,
        workDays: [1, 2, 3, 4, 5, 6, 7],
        dailyCap: 5 + Math.floor(rand() * 10),
      });
    }
    ids.push(...(await db.insert(users).values(batch).returning({ id: users.id })).map((u) => u.id));
    progress("people   ", Math.min(nPeople, start + 1000), nPeople);
  }
  const byTopic = topics.map(() => [] as number[]);
  personTopics.forEach((ts, p) => ts.forEach((t) => byTopic[t].push(p)));
  const nQuestions = Math.ceil(nAnswers / 5);
  const base = Date.now() - 400 * 86_400_000;
  const qIds: { id: string; topic: number }[] = [];
  for (let start = 0; start < nQuestions; start += 1000) {
    const batch = [];
    const topicsOf: number[] = [];
    for (let i = start; i < Math.min(nQuestions, start + 1000); i++) {
      const t = pickTopic();
      topicsOf.push(t);
      const at = new Date(base + (i / nQuestions) * 399 * 86_400_000);
      batch.push({
        title: text(rand, topics[t], 9),
        body: text(rand, topics[t], 40),
        tags: [topics[t].name],
        authorId: ids[Math.floor(rand() * nPeople)],
        createdAt: at,
        updatedAt: at,
        lastActivityAt: at,
        answerCount: 5,
      });
    }
    const got = await db.insert(questions).values(batch).returning({ id: questions.id });
    got.forEach((g, k) => qIds.push({ id: g.id, topic: topicsOf[k] }));
    progress("questions", Math.min(nQuestions, start + 1000), nQuestions);
  }
  for (let start = 0; start < nAnswers; start += 2000) {
    const batch = [];
    for (let i = start; i < Math.min(nAnswers, start + 2000); i++) {
      const q = qIds[i % qIds.length];
      const experts = byTopic[q.topic];
      const author =
        experts.length && rand() < 0.85 ? experts[Math.floor(rand() * experts.length)] : Math.floor(rand() * nPeople);
      const at = new Date(base + ((i % qIds.length) / qIds.length) * 399 * 86_400_000 + 3_600_000);
      batch.push({
        questionId: q.id,
        body: text(rand, topics[q.topic], 60),
        authorId: ids[author],
        score: Math.floor(rand() * 4),
        createdAt: at,
        updatedAt: at,
      });
    }
    await db.insert(answers).values(batch);
    progress("answers  ", Math.min(nAnswers, start + 2000), nAnswers);
  }
  log(
    `generated ${nPeople} people, ${nQuestions} questions, ${nAnswers} answers in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const tb = performance.now();
  await ctx.expertise.refresh();
  await ctx.expertise.settled();
  const stats = ctx.expertise.stats();
  log(
    `expertise model: ${stats.docs} pieces of evidence, ${stats.people} people, built in ${(stats.buildMs / 1000).toFixed(1)} s, weights learned in the background in ${(stats.fitMs / 1000).toFixed(1)} s (learned: ${stats.learned}); once per change, answers use the previous model meanwhile`,
  );
  void tb;

  const knowhow: number[] = [];
  const baseline: number[] = [];
  let asked = 0;
  for (let i = 0; i < nRoute; i++) {
    const t = pickTopic();
    const now = new Date();
    const [q] = await db
      .insert(questions)
      .values({
        title: text(rand, topics[t], 9),
        body: text(rand, topics[t], 40),
        tags: [topics[t].name],
        authorId: ids[Math.floor(rand() * nPeople)],
        createdAt: now,
        updatedAt: now,
        lastActivityAt: now,
      })
      .returning({ id: questions.id, tags: questions.tags });
    const s = performance.now();
    const r = await routeQuestion(ctx, q.id);
    knowhow.push(performance.now() - s);
    asked += r.asked.length;
    // Baseline: the obvious SQL router — most answers on the question's tags, then most answers overall.
    const b = performance.now();
    await rows(
      db,
      sql`select a.author_id, count(*) as n from answers a join questions q2 on q2.id = a.question_id
          where q2.tags && array[${sql.join(
            q.tags.map((t) => sql`${t}`),
            sql`, `,
          )}]::text[] and a.author_id <> (select author_id from questions where id = ${q.id})
          group by a.author_id order by n desc limit 3`,
    );
    baseline.push(performance.now() - b);
    progress("routing  ", i + 1, nRoute);
  }
  log("");
  log(`ROUTING  ${nRoute} new questions, ${nPeople} people, ${nAnswers} answers (PGlite, this machine)`);
  log(
    `  Knowhow routeQuestion (rank + availability + caps + load + record + notify): p50 ${ms(quantile(knowhow, 0.5))}  p95 ${ms(quantile(knowhow, 0.95))}  max ${ms(Math.max(...knowhow))}  (target p95 < 100 ms)`,
  );
  log(
    `  baseline SQL tag-count router (ranking only):                             p50 ${ms(quantile(baseline, 0.5))}  p95 ${ms(quantile(baseline, 0.95))}`,
  );
  log(
    `  ratio p95 Knowhow / baseline = ${(quantile(knowhow, 0.95) / quantile(baseline, 0.95)).toFixed(2)}   (people asked per question: ${(asked / nRoute).toFixed(2)})`,
  );

  // Live changes: answers keep arriving while people ask. How long until a new answer counts as
  // evidence, how long a question routed meanwhile takes, and how long the event loop (every
  // other request of this process) is held up at most.
  const nLive = Number(flag(args, "live", "10"));
  const stall = stallMeter();
  // Each request arrives as its own turn of the event loop, as HTTP requests do (in-process PGlite
  // answers through promises only, so without this one request would follow the other without
  // ever letting timers or background work run).
  const nextTurn = () => new Promise((r) => setTimeout(r, 1));
  const routeNew = async (topic: number) => {
    await nextTurn();
    const now = new Date();
    const [nq] = await db
      .insert(questions)
      .values({
        title: text(rand, topics[topic], 9),
        body: text(rand, topics[topic], 40),
        tags: [topics[topic].name],
        authorId: ids[Math.floor(rand() * nPeople)],
        createdAt: now,
        updatedAt: now,
        lastActivityAt: now,
      })
      .returning({ id: questions.id });
    const s = performance.now();
    await routeQuestion(ctx, nq.id);
    return performance.now() - s;
  };
  const fresh: number[] = [];
  const during: number[] = [];
  const answered: { id: string; author: string }[] = [];
  for (let i = 0; i < nLive; i++) {
    const q = qIds[Math.floor(rand() * qIds.length)];
    const docs = ctx.expertise.stats().docs;
    const t = performance.now();
    const author = ids[Math.floor(rand() * nPeople)];
    await nextTurn();
    await createAnswer(ctx, { id: author, role: "member", name: "bench" }, q.id, {
      body: text(rand, topics[q.topic], 60),
    });
    const [mine] = await rows<{ id: string }>(
      db,
      sql`select id from answers where question_id = ${q.id} and author_id = ${author} order by created_at desc limit 1`,
    );
    answered.push({ id: mine.id, author });
    during.push(await routeNew(q.topic));
    while (ctx.expertise.stats().docs <= docs) {
      await new Promise((r) => setTimeout(r, 5));
      await ctx.expertise.rank({ text: "x", tags: [], at: new Date() }, { readableAudiences: "all", limit: 1 });
    }
    fresh.push(performance.now() - t);
    progress("live     ", i + 1, nLive);
  }
  // Votes on answers are appended as well.
  const votesFresh: number[] = [];
  for (let i = 0; i < answered.length; i++) {
    const appends = ctx.expertise.stats().appends;
    await nextTurn();
    const voter = ids.find((p, k) => k >= (i * 7919) % nPeople && p !== answered[i].author)!;
    await vote(ctx, { id: voter, role: "member", name: "bench" }, "answer", answered[i].id, 1);
    const t = performance.now();
    while (ctx.expertise.stats().appends === appends) {
      await nextTurn();
      await ctx.expertise.rank({ text: "x", tags: [], at: new Date() }, { readableAudiences: "all", limit: 1 });
    }
    votesFresh.push(performance.now() - t);
  }
  const appendStall = stall.max();
  // An edit changes evidence already in the model: a full rebuild, in the background; questions
  // routed meanwhile use the previous model.
  const builds = ctx.expertise.stats().builds;
  const stall2 = stallMeter();
  const [edited] = await rows<{
    id: string;
    author_id: string;
    title: string;
    body: string;
    tags: string[];
    version: number;
  }>(db, sql`select id, author_id, title, body, tags, version from questions where id = ${qIds[0].id}`);
  await updateQuestion(ctx, { id: edited.author_id, role: "member", name: "bench" }, edited.id, {
    version: edited.version,
    title: `${edited.title} (edited)`,
    body: edited.body,
    tags: edited.tags,
    note: "",
  });
  const r0 = performance.now();
  const whileBuilding: number[] = [];
  while (ctx.expertise.stats().builds === builds && performance.now() - r0 < 300_000)
    whileBuilding.push(await routeNew(pickTopic()));
  const rebuildMs = performance.now() - r0;
  await ctx.expertise.settled();
  const rebuildStall = stall2.max();
  stall.stop();
  stall2.stop();
  log("");
  log(
    `LIVE     ${nLive} answers arriving one after another (createAnswer), a question routed right after each, then a vote on each answer`,
  );
  log(
    `  new answer counts as evidence after: p50 ${ms(quantile(fresh, 0.5))}  max ${ms(Math.max(...fresh))}   (appended, no rebuild: ${ctx.expertise.stats().appends} appends in all)`,
  );
  log(`  a vote counts after: p50 ${ms(quantile(votesFresh, 0.5))}  max ${ms(Math.max(...votesFresh))}`);
  log(
    `  routeQuestion right after a new answer: p50 ${ms(quantile(during, 0.5))}  max ${ms(Math.max(...during))}   (quiet model above: p95 ${ms(quantile(knowhow, 0.95))})`,
  );
  log(`  longest event-loop stall meanwhile: ${ms(appendStall)}`);
  log(
    `  an edited question (full rebuild in the background, ${(rebuildMs / 1000).toFixed(1)} s): ${whileBuilding.length} questions routed meanwhile, p50 ${ms(quantile(whileBuilding, 0.5))}  max ${ms(Math.max(...whileBuilding))}; longest event-loop stall ${ms(rebuildStall)} (including the background fit)`,
  );
  await database.close();
}

async function importSpeed(dir: string): Promise<void> {
  if (!existsSync(path.join(dir, "Posts.xml"))) {
    log(`IMPORT   skipped: ${dir}/Posts.xml not found (pass --se DIR)`);
    return;
  }
  let posts = 0;
  const p0 = performance.now();
  const parser = new SaxesParser();
  parser.on("opentag", (n) => {
    if (n.name === "row") posts++;
  });
  for await (const chunk of createReadStream(path.join(dir, "Posts.xml"), { encoding: "utf8" }))
    parser.write(chunk as string);
  parser.close();
  const parseS = (performance.now() - p0) / 1000;
  const database = await openPglite();
  await migrate(database);
  const i0 = performance.now();
  const report = await importStackExchange(database.db, dir);
  const importS = (performance.now() - i0) / 1000;
  await database.close();
  const imported = report.questions + report.answers;
  log(
    `IMPORT   ${path.basename(dir)}: ${report.questions} questions + ${report.answers} answers (+ ${report.people} people, ${report.comments} comments) in ${importS.toFixed(1)} s`,
  );
  log(
    `  Knowhow import: ${Math.round(imported / importS)} posts/s   baseline parse-only of Posts.xml (${posts} rows): ${Math.round(posts / parseS)} posts/s   ratio ${(imported / importS / (posts / parseS)).toFixed(2)}`,
  );
}

export async function run(args: string[]): Promise<number> {
  const se = flag(args, "se", path.resolve(root, "../shared/data/se-cardano"));
  if (!args.includes("--skip-routing")) await routingSpeed(args);
  if (!args.includes("--skip-import")) await importSpeed(se);
  return 0;
}
