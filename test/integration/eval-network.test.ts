import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const fixtures = path.join(root, "test/fixtures/network");
const knowhow = (args: string[]) =>
  spawnSync(process.execPath, [path.join(root, "bin/knowhow.mjs"), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
  });

describe("knowhow eval network", () => {
  it("prints every person's metrics, department silo scores and modularity as JSON", () => {
    const r = knowhow([
      "eval",
      "network",
      "--edges",
      path.join(fixtures, "small-edges.csv"),
      "--people",
      path.join(fixtures, "small-people.csv"),
    ]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      people: Record<string, Record<string, number | string>>;
      departments: Record<string, { silo: number }>;
      modularity: number;
    };
    expect(Object.keys(out.people)).toHaveLength(30);
    expect(Object.keys(out.people.p0).sort()).toEqual([
      "betweenness",
      "community",
      "department",
      "in_degree",
      "out_degree",
      "pagerank",
    ]);
    expect(out.people.p0.department).toBe("Ops");
    const expected = JSON.parse(readFileSync(path.join(fixtures, "small-expected.json"), "utf8")) as {
      pagerank: Record<string, number>;
    };
    expect(Math.abs((out.people.p7.pagerank as number) - expected.pagerank.p7)).toBeLessThan(1e-6);
    expect(Object.keys(out.departments).sort()).toEqual(["Fleet", "Ops", "Sales"]);
    expect(out.modularity).toBeGreaterThan(0);
  });

  it("explains bad input and missing flags", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kh-net-"));
    const bad = path.join(dir, "bad.txt");
    writeFileSync(bad, "1 2\n3\n");
    const r = knowhow(["eval", "network", "--edges", bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}:2`);
    expect(knowhow(["eval", "network"]).stderr).toContain("--edges");
  });
});
