/**
 * `npm run bench -- routing-cold-start [--misses] [--baseline-misses]`
 *
 * Expert routing on a cold start: the demo organisation loaded into a fresh PGlite database and
 * the judged questions of test/fixtures/routing-cold-start (the people who truly should be asked,
 * written from the demo content). Prints P@1, Top-3 and MRR for Knowhow's ranking (as routing
 * ranks a question, without availability and load) and for a simple baseline: people whose
 * articles and answers share the most words with the question. `--misses` lists Knowhow's misses.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrate, openPglite } from "../src/platform/db";
import { loadConfig } from "../src/platform/config";
import { createContext } from "../src/context";
import { evaluateColdStart, formatFigures, formatMisses } from "../src/modules/expertise/cold-start-eval";

export async function run(args: string[]): Promise<number> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "knowhow-bench-cold-start-"));
  const database = await openPglite();
  try {
    await migrate(database);
    const config = loadConfig({ LOG_LEVEL: "silent" } as NodeJS.ProcessEnv, { dataDir, demo: false });
    const ctx = createContext(config, database);
    const result = await evaluateColdStart(ctx);
    console.log(formatFigures(result));
    if (args.includes("--misses")) console.log("\n" + formatMisses(result));
    if (args.includes("--baseline-misses")) console.log("\n" + formatMisses(result, result.baseline));
    return 0;
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
