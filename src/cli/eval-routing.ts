import { existsSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { migrate, openPglite, rows } from "../platform/db";
import { DumpError, importStackExchange } from "../modules/qa/import/stackexchange";
import { replayRouting } from "../domain/expertise/replay";
import { markdownToPlainText } from "../domain/search/snippet";
import { parseArgs, requireFlag, UsageError } from "./args";
import { progressBar } from "./progress";

const seId = (importKey: string | null, prefix: string) =>
  importKey && importKey.startsWith(prefix) ? importKey.slice(prefix.length) : undefined;

/**
 * `knowhow eval routing --stackexchange <dir> [--test-fraction 0.3]`: imports the dump into a
 * fresh embedded database with the app's importer, replays the answered questions in time
 * order and asks the app's expertise ranking for the last part, knowing only the past.
 * stdout: `question_id<TAB>user_id,…` (Stack Exchange ids, best first, up to 20);
 * stderr: P@1, MRR (accepted answerer) and Hit@5 (any answerer) for Knowhow and three baselines.
 */
export async function run(argv: string[]): Promise<number> {
  let dir: string;
  let fraction: number;
  try {
    const args = parseArgs(argv);
    dir = requireFlag(args, "stackexchange");
    const f = args.flags.get("test-fraction");
    fraction = f === undefined ? 0.3 : Number(f);
    if (!Number.isFinite(fraction) || fraction <= 0 || fraction >= 1)
      throw new UsageError("--test-fraction must be a number between 0 and 1");
    // Checked before a database is opened: a wrong folder is answered at once.
    const posts = path.join(dir, "Posts.xml");
    if (!existsSync(posts)) throw new UsageError(`${posts}: not found (Posts.xml is required)`);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(
        `knowhow eval routing: ${e.message}\nusage: knowhow eval routing --stackexchange <dir> [--test-fraction 0.3]\n`,
      );
      return 2;
    }
    throw e;
  }
  const started = performance.now();
  const database = await openPglite();
  try {
    await migrate(database);
    const bars: { import?: ReturnType<typeof progressBar>; replay?: ReturnType<typeof progressBar> } = {};
    const report = await importStackExchange(database.db, dir, {
      onProgress: (done, total) => {
        bars.import ??= progressBar("Importing", total);
        bars.import.update(done);
      },
    });
    bars.import?.stop();
    const site = `se:${report.site}:`;
    process.stderr.write(
      `imported ${report.questions} questions, ${report.answers} answers, ${report.people} people (${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
    );
    const qs = await rows<{
      key: string;
      asker: string | null;
      at: Date | string;
      title: string;
      body: string;
      tags: string[];
      accepted: string | null;
    }>(
      database.db,
      sql`select q.import_key as key, u.import_key as asker, q.created_at as at, q.title, q.body, q.tags, a.import_key as accepted
          from questions q join users u on u.id = q.author_id left join answers a on a.id = q.accepted_answer_id
          where q.import_key like ${site + "%"}`,
    );
    const as = await rows<{ key: string; author: string | null; at: Date | string; question: string; body: string }>(
      database.db,
      sql`select a.import_key as key, u.import_key as author, a.created_at as at, q.import_key as question, a.body
          from answers a join users u on u.id = a.author_id join questions q on q.id = a.question_id
          where a.import_key like ${site + "a%"}`,
    );
    // Only real accounts count as people (not "(deleted user)" or display-name placeholders).
    const person = (key: string | null) => {
      const id = seId(key, `${site}u`);
      return id && /^-?\d+$/.test(id) ? id : undefined;
    };
    const result = replayRouting(
      qs.map((q) => ({
        id: seId(q.key, site)!,
        at: new Date(q.at).getTime(),
        asker: person(q.asker),
        title: q.title,
        body: markdownToPlainText(q.body),
        tags: q.tags,
        acceptedAnswerId: seId(q.accepted, `${site}a`),
      })),
      as.map((a) => ({
        id: seId(a.key, `${site}a`)!,
        at: new Date(a.at).getTime(),
        author: person(a.author),
        questionId: seId(a.question, site)!,
        body: markdownToPlainText(a.body),
      })),
      {
        testFraction: fraction,
        onProgress: (done, total) => {
          bars.replay ??= progressBar("Replaying", total);
          bars.replay.update(done);
        },
      },
    );
    bars.replay?.stop();
    for (const r of result.rankings) process.stdout.write(`${r.questionId}\t${r.people.join(",")}\n`);
    process.stderr.write(
      `\n${result.testQuestions} test questions (last ${Math.round(fraction * 100)} % of answered questions by creation date)\n`,
    );
    process.stderr.write(`method         P@1     MRR     Hit@5   (accepted n, answered n)\n`);
    for (const m of result.metrics)
      process.stderr.write(
        `${m.name.padEnd(14)} ${m.test.pAt1.toFixed(3)}   ${m.test.mrr.toFixed(3)}   ${m.test.hitAt5.toFixed(3)}   (${m.test.nAccepted}, ${m.test.nAnswered})\n`,
      );
    const best = Math.max(...result.metrics.filter((m) => m.name !== "knowhow").map((m) => m.test.mrr));
    const ours = result.metrics.find((m) => m.name === "knowhow")!.test.mrr;
    process.stderr.write(
      `MRR Knowhow / best baseline = ${best > 0 ? (ours / best).toFixed(2) : "n/a"}  (${((performance.now() - started) / 1000).toFixed(1)} s in all)\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof DumpError) {
      process.stderr.write(`knowhow eval routing: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    await database.close();
  }
}
