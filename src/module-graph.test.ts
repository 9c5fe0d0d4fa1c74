import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// The shape of src/ as imports: modules depend on each other one way (no cycle between two
// src/modules/<feature> folders), the platform and the authorization layer know no feature, and
// domain/ is pure (imports only domain/). Tests are left out: a test may reach across.

const SRC = path.dirname(new URL(import.meta.url).pathname);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

/** The src/ files a file imports (type-only imports and re-exports included). */
function importsOf(file: string): string[] {
  const found = ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles;
  return found
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith("."))
    .map((spec) => {
      const base = path.resolve(path.dirname(file), spec);
      return [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")].find((p) => {
        try {
          return statSync(p).isFile();
        } catch {
          return false;
        }
      });
    })
    .filter((p): p is string => p !== undefined);
}

const rel = (f: string) => path.relative(SRC, f);
const moduleOf = (f: string) => /^modules\/([^/]+)\//.exec(rel(f))?.[1];

const edges = sourceFiles(SRC).flatMap((from) => importsOf(from).map((to) => ({ from, to })));

/** Feature → features it imports, each with one file-level import as the example. */
function moduleGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const { from, to } of edges) {
    const a = moduleOf(from);
    const b = moduleOf(to);
    if (!a || !b || a === b) continue;
    if (!graph.has(a)) graph.set(a, new Map());
    if (!graph.get(a)!.has(b)) graph.get(a)!.set(b, `${rel(from)} → ${rel(to)}`);
  }
  return graph;
}

/** Strongly connected components with more than one module (Tarjan). */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe("import graph of src/", () => {
  it("has no cycle between modules", () => {
    const graph = moduleGraph();
    const found = cycles(graph).map((scc) =>
      scc.flatMap((a) => scc.filter((b) => graph.get(a)?.has(b)).map((b) => `${a} → ${b} (${graph.get(a)!.get(b)})`)),
    );
    expect(found).toEqual([]);
  });

  it("keeps the platform and authz free of features, and domain pure", () => {
    const wrong = edges
      .filter(({ from, to }) => {
        const f = rel(from);
        const t = rel(to);
        if (/^(platform|authz)\//.test(f)) return t.startsWith("modules/") || t === "context.ts";
        if (f.startsWith("domain/")) return !t.startsWith("domain/");
        return false;
      })
      .map(({ from, to }) => `${rel(from)} → ${rel(to)}`);
    expect(wrong).toEqual([]);
  });

  it("leaves SQL out of routes (they call services)", () => {
    const wrong = sourceFiles(path.join(SRC, "modules"))
      .filter((f) => f.endsWith(".routes.ts"))
      .filter((f) => /from "drizzle-orm"|\/db\/schema"|\/platform\/db"|\bctx\.db\b/.test(readFileSync(f, "utf8")))
      .map(rel);
    expect(wrong).toEqual([]);
  });
});
