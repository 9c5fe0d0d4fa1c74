import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli/eval-routing";
import { runInProcess } from "../support/cli";

const root = path.resolve(__dirname, "../..");
const knowhow = (args: string[]) =>
  spawnSync(process.execPath, [path.join(root, "bin/knowhow.mjs"), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
  });

describe("knowhow eval routing", () => {
  it("imports the dump, replays it and prints rankings and metrics for Knowhow and three baselines", () => {
    const r = knowhow([
      "eval",
      "routing",
      "--stackexchange",
      path.join(root, "test/fixtures/se-cardano-excerpt"),
      "--test-fraction",
      "0.3",
    ]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) expect(l).toMatch(/^\d+\t(-?\d+(,-?\d+){0,19})?$/);
    for (const m of ["knowhow", "most-active", "tag-overlap", "bm25-profile"])
      expect(r.stderr).toMatch(new RegExp(`${m}\\s+\\d\\.\\d{3}\\s+\\d\\.\\d{3}\\s+\\d\\.\\d{3}`));
    expect(r.stderr).toContain("MRR Knowhow / best baseline");
  });

  it("explains bad arguments", async () => {
    expect((await runInProcess(run, [])).stderr).toContain("--stackexchange");
    expect((await runInProcess(run, ["--stackexchange", ".", "--test-fraction", "2"])).status).toBe(2);
    const missing = await runInProcess(run, ["--stackexchange", path.join(root, "nope")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("Posts.xml is required");
  });
});
