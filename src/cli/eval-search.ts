import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { z } from "zod";
import { buildSearchHarness, type HarnessDoc } from "../modules/search/search-harness";
import { parseArgs, requireFlag, UsageError } from "./args";

const USAGE = "usage: knowhow eval search --docs DOCS.jsonl --queries QUERIES.jsonl [--depth 100]";
const Doc = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  title: z.string().default(""),
  body: z.string().default(""),
  tags: z.array(z.string()).optional(),
});
const Query = z.object({ id: z.union([z.string(), z.number()]).transform(String), text: z.string() });

/** Reads a JSON-lines file, validating each line; errors name the file and line. */
async function* readJsonl<T>(file: string, schema: z.ZodType<T>): AsyncGenerator<T> {
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new UsageError(`${file}:${n}: not valid JSON (${(e as Error).message})`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      throw new UsageError(
        `${file}:${n}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "line"} ${i.message}`).join("; ")}`,
      );
    yield parsed.data;
  }
}

/** `knowhow eval search`: indexes documents into a fresh embedded database and prints a TREC run. */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  let docsFile: string;
  let queriesFile: string;
  let depth = 100;
  try {
    docsFile = requireFlag(args, "docs");
    queriesFile = requireFlag(args, "queries");
    for (const f of [docsFile, queriesFile]) if (!existsSync(f)) throw new UsageError(`${f}: no such file`);
    if (args.flags.has("depth")) depth = Math.max(1, Math.min(1000, Number(args.flags.get("depth")) || 100));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  let harness;
  try {
    // Both files are checked before a database is opened: a malformed line is named at once,
    // not after minutes of indexing.
    for (const [file, schema] of [
      [docsFile, Doc],
      [queriesFile, Query],
    ] as const)
      for await (const _ of readJsonl<unknown>(file, schema));
    harness = await buildSearchHarness(readJsonl<HarnessDoc>(docsFile, Doc), {
      onProgress: (n) => process.stderr.write(`\rindexed ${n} documents`),
    });
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`\n${e.message}\n`);
      return 2;
    }
    throw e;
  }
  process.stderr.write(`\nindex ready: ${harness.search.size()} documents\n`);
  try {
    let queries = 0;
    const out: string[] = [];
    for await (const q of readJsonl(queriesFile, Query)) {
      const result = await harness.search.search(harness.actor, { q: q.text, limit: depth, offset: 0 });
      result.items.forEach((hit, i) =>
        out.push(`${q.id} Q0 ${harness.externalId(hit.id)} ${i + 1} ${hit.score.toFixed(6)} knowhow`),
      );
      if (out.length > 5000) process.stdout.write(out.splice(0).join("\n") + "\n");
      queries++;
    }
    if (out.length) process.stdout.write(out.join("\n") + "\n");
    process.stderr.write(`ran ${queries} queries\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    await harness.close();
  }
}
