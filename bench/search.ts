/**
 * `npm run bench -- search [--docs 100000] [--queries 500] [--skip-relevance] [--skip-speed] [--se DIR]`
 *
 * (a) Relevance: nDCG@10 on an answer-retrieval set built from a Stack Exchange dump
 *     (../shared/data/se-cardano): documents = answers, queries = question title + body,
 *     relevant = the accepted answer (grade 2) and answers with a positive score (grade 1).
 *     Knowhow's own search path against a plain BM25 reference (k1 0.9, b 0.4) on the same
 *     tokens, computed here in the same run.
 * (b) Speed: N generated articles of realistic length through the real search path (the app's
 *     search service over a migrated database), p50/p95 of the queries, next to PostgreSQL's
 *     built-in full-text search (GIN + websearch_to_tsquery + ts_rank_cd) on the same data.
 */
import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { analyze } from "../src/domain/search/analyze";
import { buildSearchHarness, type HarnessDoc } from "../src/modules/search/search-harness";
import { mulberry32 } from "../src/domain/random";
import { makeVocabulary, zipf } from "./_corpus";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const log = (s: string) => process.stderr.write(s + "\n");

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

// ---------- Stack Exchange parsing ----------

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#")
      return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}
function htmlToText(html: string): string {
  return decodeEntities(html.replace(/<[^>]+>/g, " "))
    .replace(/\s+/g, " ")
    .trim();
}
function attrs(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of line.matchAll(/(\w+)="([^"]*)"/g)) out[m[1]] = decodeEntities(m[2]);
  return out;
}

type Post = {
  id: string;
  type: string;
  parent?: string;
  accepted?: string;
  score: number;
  title: string;
  body: string;
};
async function readPosts(file: string): Promise<Post[]> {
  const posts: Post[] = [];
  const rl = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.includes("<row ")) continue;
    const a = attrs(line);
    posts.push({
      id: a.Id,
      type: a.PostTypeId,
      parent: a.ParentId,
      accepted: a.AcceptedAnswerId,
      score: Number(a.Score ?? 0),
      title: a.Title ?? "",
      body: htmlToText(a.Body ?? ""),
    });
  }
  return posts;
}

// ---------- metrics ----------

function ndcg10(ranked: string[], rel: Map<string, number>): number {
  const dcg = (grades: number[]) => grades.slice(0, 10).reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  const ideal = dcg([...rel.values()].sort((a, b) => b - a));
  return ideal === 0 ? 0 : dcg(ranked.map((d) => rel.get(d) ?? 0)) / ideal;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const ms = (x: number) => `${x.toFixed(1)} ms`;
const mb = (x: number) => `${(x / 1024 / 1024).toFixed(0)} MB`;

/** Plain BM25 (one field), the reference ranking. */
class PlainBm25 {
  private postings = new Map<string, { doc: number; tf: number }[]>();
  private lens: number[] = [];
  private ids: string[] = [];
  constructor(
    private k1: number,
    private b: number,
  ) {}
  add(id: string, tokens: string[]) {
    const d = this.ids.length;
    this.ids.push(id);
    this.lens.push(tokens.length);
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, n] of tf) {
      let list = this.postings.get(t);
      if (!list) this.postings.set(t, (list = []));
      list.push({ doc: d, tf: n });
    }
  }
  search(tokens: string[], k: number): string[] {
    const N = this.ids.length;
    const avg = this.lens.reduce((a, b) => a + b, 0) / Math.max(N, 1);
    const scores = new Map<number, number>();
    for (const t of new Set(tokens)) {
      const list = this.postings.get(t);
      if (!list) continue;
      const idf = Math.log(1 + (N - list.length + 0.5) / (list.length + 0.5));
      for (const p of list) {
        const norm = this.k1 * (1 - this.b + (this.b * this.lens[p.doc]) / avg);
        scores.set(p.doc, (scores.get(p.doc) ?? 0) + (idf * p.tf * (this.k1 + 1)) / (p.tf + norm));
      }
    }
    return [...scores]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([d]) => this.ids[d]);
  }
}

async function relevance(seDir: string): Promise<void> {
  const file = path.join(seDir, "Posts.xml");
  if (!existsSync(file)) {
    log(`relevance: SKIPPED — ${file} not found (pass --se <dump dir>)`);
    return;
  }
  log(`relevance: reading ${file}`);
  const posts = await readPosts(file);
  const questions = new Map(posts.filter((p) => p.type === "1").map((p) => [p.id, p]));
  const answers = posts.filter((p) => p.type === "2" && p.parent && questions.has(p.parent) && p.body.length > 0);
  const qrels = new Map<string, Map<string, number>>();
  for (const a of answers) {
    const q = questions.get(a.parent!)!;
    const grade = q.accepted === a.id ? 2 : a.score > 0 ? 1 : 0;
    if (grade === 0) continue;
    if (!qrels.has(q.id)) qrels.set(q.id, new Map());
    qrels.get(q.id)!.set(a.id, grade);
  }
  const queries = [...qrels.keys()].map((id) => ({
    id,
    text: `${questions.get(id)!.title} ${questions.get(id)!.body}`,
  }));
  log(`relevance: ${answers.length} answers as documents, ${queries.length} queries with judged answers`);

  const docs: HarnessDoc[] = answers.map((a) => ({ id: a.id, title: "", body: a.body }));
  const t0 = performance.now();
  const h = await buildSearchHarness(docs);
  log(`relevance: indexed through the app in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const reference = new PlainBm25(0.9, 0.4);
  for (const a of answers) reference.add(a.id, analyze(a.body));

  let ours = 0;
  let ref = 0;
  for (const q of queries) {
    const r = await h.search.search(h.actor, { q: q.text, limit: 10, offset: 0 });
    ours += ndcg10(
      r.items.map((i) => h.externalId(i.id)),
      qrels.get(q.id)!,
    );
    ref += ndcg10(reference.search(analyze(q.text), 10), qrels.get(q.id)!);
  }
  await h.close();
  ours /= queries.length;
  ref /= queries.length;
  console.log(
    `\n(a) Relevance — answer retrieval on ${path.basename(seDir)} (${answers.length} answers, ${queries.length} queries)`,
  );
  console.log(`    Knowhow search (BM25F, app path)   nDCG@10 = ${ours.toFixed(4)}`);
  console.log(`    Plain BM25 k1=0.9 b=0.4 (reference) nDCG@10 = ${ref.toFixed(4)}`);
  console.log(
    `    ratio Knowhow / reference = ${(ours / ref).toFixed(3)}  ${ours >= ref ? "(at least as good: OK)" : "(WORSE than the reference)"}`,
  );
  console.log(`    (same tokens for both: lowercase, diacritics folded, English stopwords removed, Porter-stemmed)`);
}

// ---------- generated corpus ----------

async function speed(n: number, queryCount: number): Promise<void> {
  const rand = mulberry32(42);
  const vocab = makeVocabulary(40_000, rand);
  const draw = zipf(vocab.length, rand);
  const tags = Array.from({ length: 200 }, (_, i) => `tag${i}`);
  const sentence = (words: number) => Array.from({ length: words }, () => vocab[draw()]).join(" ");
  const docs: HarnessDoc[] = [];
  for (let i = 0; i < n; i++) {
    const paras = 2 + Math.floor(rand() * 4);
    const body = Array.from(
      { length: paras },
      () => `## ${sentence(3)}\n\n${sentence(60 + Math.floor(rand() * 90))}.`,
    ).join("\n\n");
    docs.push({
      id: `g${i}`,
      title: sentence(3 + Math.floor(rand() * 5)),
      body,
      tags: [tags[Math.floor(rand() * tags.length)], tags[Math.floor(rand() * tags.length)]],
    });
  }
  const words = docs.reduce((s, d) => s + d.body.split(" ").length, 0) / n;
  const queries: string[] = [];
  for (let i = 0; i < queryCount; i++) {
    const kind = i % 10;
    if (kind < 6) queries.push(sentence(1 + (i % 4)));
    else if (kind < 8) {
      const w = vocab[50 + Math.floor(rand() * 3000)];
      const at = 1 + Math.floor(rand() * (w.length - 2));
      queries.push(w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2)); // a transposition typo
    } else queries.push(sentence(40 + Math.floor(rand() * 60))); // a pasted paragraph
  }
  log(`speed: ${n} generated articles (~${words.toFixed(0)} words each), ${queries.length} queries`);

  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const h = await buildSearchHarness(docs, { onProgress: (k) => k % 10_000 === 0 && log(`  inserted ${k}`) });
  const buildS = (performance.now() - t0) / 1000;
  const indexBytes = h.search.index.memoryEstimateBytes();
  const heapAfter = process.memoryUsage().heapUsed;
  const times: number[] = [];
  for (const q of queries.slice(0, 20)) await h.search.search(h.actor, { q, limit: 10, offset: 0 }); // warm-up
  for (const q of queries) {
    const t = performance.now();
    await h.search.search(h.actor, { q, limit: 10, offset: 0, prefix: false });
    times.push(performance.now() - t);
  }
  const asYouType: number[] = [];
  for (const q of queries.slice(0, 200)) {
    const prefix = q.split(" ")[0].slice(0, 4);
    const t = performance.now();
    await h.search.search(h.actor, { q: prefix, limit: 8, offset: 0, prefix: true });
    asYouType.push(performance.now() - t);
  }
  await h.close();

  console.log(
    `\n(b) Speed — ${n.toLocaleString("en")} articles, ${queries.length} queries (60% 1–4 words, 20% typos, 20% pasted paragraphs)`,
  );
  console.log(
    `    Knowhow: database load + index build ${buildS.toFixed(1)} s; index ≈ ${mb(indexBytes)}; heap growth ${mb(heapAfter - heapBefore)}; rss ${mb(process.memoryUsage().rss)}`,
  );
  console.log(
    `    Knowhow search path (permissions + index + hydrate + snippets): p50 ${ms(percentile(times, 50))}  p95 ${ms(percentile(times, 95))}  max ${ms(Math.max(...times))}`,
  );
  console.log(
    `    Knowhow as-you-type (prefix, 4 letters):                   p50 ${ms(percentile(asYouType, 50))}  p95 ${ms(percentile(asYouType, 95))}`,
  );
  console.log(`    target p95 < 50 ms: ${percentile(times, 95) < 50 ? "met" : "NOT met"}`);

  // Baseline: PostgreSQL full-text search on the same documents.
  const url = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 3000 });
  try {
    await pool.query("select 1");
  } catch {
    console.log(`    PostgreSQL baseline SKIPPED: no server at ${url}`);
    await pool.end();
    return;
  }
  const table = `bench_search_${process.pid}`;
  try {
    await pool.query(`create table ${table} (id text primary key, title text, body text, tsv tsvector)`);
    const t1 = performance.now();
    for (let i = 0; i < docs.length; i += 1000) {
      const chunk = docs.slice(i, i + 1000);
      await pool.query(
        `insert into ${table} (id, title, body) select * from unnest($1::text[], $2::text[], $3::text[])`,
        [chunk.map((d) => d.id), chunk.map((d) => d.title), chunk.map((d) => d.body)],
      );
    }
    await pool.query(
      `update ${table} set tsv = setweight(to_tsvector('english', title), 'A') || to_tsvector('english', body)`,
    );
    await pool.query(`create index on ${table} using gin (tsv)`);
    const buildPg = (performance.now() - t1) / 1000;
    const pgTimes: number[] = [];
    let failures = 0;
    for (const q of queries) {
      const t = performance.now();
      try {
        await pool.query(
          `select id, ts_rank_cd(tsv, query) as rank from ${table}, websearch_to_tsquery('english', $1) query where tsv @@ query order by rank desc limit 10`,
          [q],
        );
      } catch {
        failures++;
      }
      pgTimes.push(performance.now() - t);
    }
    console.log(
      `    PostgreSQL 15 server (GIN, websearch_to_tsquery + ts_rank_cd): build ${buildPg.toFixed(1)} s; p50 ${ms(percentile(pgTimes, 50))}  p95 ${ms(percentile(pgTimes, 95))}  max ${ms(Math.max(...pgTimes))}${failures ? `; ${failures} queries failed` : ""}`,
    );
    console.log(
      `    ratio p95 PostgreSQL / Knowhow = ${(percentile(pgTimes, 95) / percentile(times, 95)).toFixed(2)}×  (p50 ${(percentile(pgTimes, 50) / percentile(times, 50)).toFixed(2)}×)`,
    );
  } finally {
    await pool.query(`drop table if exists ${table}`).catch(() => undefined);
    await pool.end();
  }
}

export async function run(args: string[]): Promise<number> {
  const seDir = flag(args, "se", path.resolve(root, "../shared/data/se-cardano"));
  if (!args.includes("--skip-relevance")) await relevance(seDir);
  if (!args.includes("--skip-speed"))
    await speed(Number(flag(args, "docs", "100000")), Number(flag(args, "queries", "500")));
  return 0;
}
