import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app";
import {
  evaluateColdStart,
  formatFigures,
  formatMisses,
  readJudgements,
  type ColdStartResult,
} from "../../src/modules/expertise/cold-start-eval";
import { buildDemoOrg } from "../../db/seed/demo-org";

// Cold start: the demo organisation on a fresh database, judged questions with the people who truly
// should be asked (test/fixtures/routing-cold-start, written from the demo content; never edited to
// fit the ranking). PGlite only: the ranking is computed in process, the same on both databases.
describe("expert routing on a cold start (demo organisation, judged questions)", () => {
  let t: TestApp;
  let result: ColdStartResult;
  beforeAll(async () => {
    t = await createTestApp("pglite");
    result = await evaluateColdStart(t.ctx);
    process.stdout.write(`\n${formatFigures(result)}\n\n${formatMisses(result)}\n`);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("has at least 40 well-formed judgements, each asked by someone who is not one of its experts", () => {
    const judgements = readJudgements();
    const emails = new Set(buildDemoOrg().people.map((p) => p.email));
    expect(judgements.length).toBeGreaterThanOrEqual(40);
    expect(new Set(judgements.map((j) => j.id)).size).toBe(judgements.length);
    for (const j of judgements) {
      expect(j.title.length, j.id).toBeGreaterThan(5);
      expect(j.body.length, j.id).toBeGreaterThan(20);
      expect(j.tags.length, j.id).toBeGreaterThan(0);
      expect(j.experts.length, j.id).toBeGreaterThan(0);
      for (const e of [j.asker, ...j.experts]) expect(emails.has(e), `${j.id}: ${e}`).toBe(true);
      expect(j.experts, j.id).not.toContain(j.asker);
    }
    expect(judgements.map((j) => j.id)).toEqual(
      expect.arrayContaining(["tachograph-drivers-hours", "reach-truck-failed-check"]),
    );
  });

  it("puts a right person first for at least 70 % of the questions", () => {
    expect(result.knowhow.metrics.pAt1, formatMisses(result)).toBeGreaterThanOrEqual(0.7);
  });

  it("has a right person in the top 3 for at least 90 % of the questions", () => {
    expect(result.knowhow.metrics.top3, formatMisses(result)).toBeGreaterThanOrEqual(0.9);
  });
});
