import { loadConfig } from "../platform/config";
import { openDatabase } from "../platform/db";
import { DumpError, importStackExchange } from "../modules/qa/import/stackexchange";
import { parseArgs, UsageError } from "./args";
import { interruptFlag, progressBar } from "./progress";

/**
 * `knowhow import stackexchange <dir> [--site <name>]`: a Stack Exchange data dump as people, questions and answers.
 */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const dir = args.positionals[0];
  if (!dir) {
    process.stderr.write(
      `knowhow import stackexchange: ${new UsageError("a dump directory is required").message}\nusage: knowhow import stackexchange <dir> [--site <name>]\n`,
    );
    return 2;
  }
  const site = args.flags.get("site");
  const config = loadConfig();
  const database = await openDatabase(config, "import stackexchange");
  const stop = interruptFlag();
  const progress: { bar: ReturnType<typeof progressBar> | null } = { bar: null };
  try {
    const report = await importStackExchange(database.db, dir, {
      site: typeof site === "string" ? site : undefined,
      shouldStop: () => stop.state.interrupted,
      onProgress: (done, total) => {
        progress.bar ??= progressBar("Importing", total);
        progress.bar.update(done);
      },
    });
    progress.bar?.stop();
    const missing = report.missingFiles.length ? ` (not in the dump: ${report.missingFiles.join(", ")})` : "";
    process.stdout.write(
      `${report.interrupted ? "Interrupted — run the same command again to finish. " : ""}Imported from ${report.site}: ${report.people} people, ${report.questions} questions, ${report.answers} answers, ${report.comments} comments, ${report.acceptedAnswers} accepted answers, ${report.duplicates} duplicate links${report.skippedAnswers ? `; ${report.skippedAnswers} answers without their question skipped` : ""}${missing}.\n`,
    );
    return report.interrupted ? 130 : 0;
  } catch (e) {
    progress.bar?.stop();
    if (e instanceof DumpError) {
      process.stderr.write(`knowhow import stackexchange: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    stop.dispose();
    await database.close();
  }
}
