import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { run } from "../../src/cli/eval-search";
import { runInProcess } from "../support/cli";

const root = path.resolve(__dirname, "../..");
const fixtures = path.join(root, "test/fixtures/search");

function knowhow(args: string[]) {
  return spawnSync(process.execPath, [path.join(root, "bin/knowhow.mjs"), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
  });
}

function ndcgAt10(run: string, qrelsFile: string): number {
  const qrels = new Map<string, Map<string, number>>();
  for (const line of readFileSync(qrelsFile, "utf8").trim().split("\n")) {
    const [q, , d, g] = line.split("\t");
    if (!qrels.has(q)) qrels.set(q, new Map());
    qrels.get(q)!.set(d, Number(g));
  }
  const ranked = new Map<string, string[]>();
  for (const line of run.trim().split("\n")) {
    const [q, , d] = line.split(" ");
    if (!ranked.has(q)) ranked.set(q, []);
    ranked.get(q)!.push(d);
  }
  let sum = 0;
  let n = 0;
  for (const [q, rel] of qrels) {
    const ideal = [...rel.values()].filter((g) => g > 0).sort((a, b) => b - a);
    if (ideal.length === 0) continue;
    const dcg = (grades: number[]) => grades.slice(0, 10).reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
    sum += dcg((ranked.get(q) ?? []).map((d) => rel.get(d) ?? 0)) / dcg(ideal);
    n++;
  }
  return sum / n;
}

describe("knowhow eval search", () => {
  it("indexes the documents with the app's code and prints a TREC run that finds the answers", () => {
    const r = knowhow([
      "eval",
      "search",
      "--docs",
      path.join(fixtures, "docs.jsonl"),
      "--queries",
      path.join(fixtures, "queries.jsonl"),
    ]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^q\d+ Q0 a\d+ 1 -?\d+\.\d+ knowhow$/);
    const perQuery = new Map<string, number>();
    for (const l of lines) perQuery.set(l.split(" ")[0], (perQuery.get(l.split(" ")[0]) ?? 0) + 1);
    expect(perQuery.size).toBe(40);
    expect(Math.max(...perQuery.values())).toBeLessThanOrEqual(100);
    // A real bar: answers must come back for their questions (BM25 scores ~0.6 here).
    expect(ndcgAt10(r.stdout, path.join(fixtures, "qrels.tsv"))).toBeGreaterThan(0.5);
  });

  it("names the file and line of malformed input", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kh-eval-"));
    const docs = path.join(dir, "docs.jsonl");
    writeFileSync(docs, '{"id":"1","title":"ok","body":"fine"}\n{"id": 2, "title": \n');
    const r = await runInProcess(run, ["--docs", docs, "--queries", path.join(fixtures, "queries.jsonl")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${docs}:2`);
    const missing = await runInProcess(run, ["--docs", docs]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("--queries");
  });
});
