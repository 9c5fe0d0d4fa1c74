/**
 * The cold-start evaluation of expert routing: loads the demo organisation, asks the expertise
 * ranking each judged question as its asker (as `routeQuestion()` ranks: title and body as text,
 * the question's tags, only evidence the asker may read, the asker left out, only active people
 * with evidence on the question), and scores the rankings against the people who truly should be
 * asked (test/fixtures/routing-cold-start). Availability, daily caps and load spreading are left
 * out: they decide who is asked *now*, not who knows. A word-overlap baseline runs on the same data.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../context";
import { rows } from "../../platform/db";
import { readableAudiences } from "../../authz/audience";
import { loadDemo } from "../../../db/seed/load-demo";
import { scoreJudged, wordOverlapRanking, type JudgedCase, type JudgedMetrics } from "../../domain/expertise/judged";
import { loadPeople } from "../accounts/users";

export type Judgement = {
  id: string;
  title: string;
  body: string;
  tags: string[];
  /** E-mail of the demo person asking. */
  asker: string;
  /** E-mails of the people who truly should be asked, best first. */
  experts: string[];
  why: string;
};

export const JUDGEMENTS_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../test/fixtures/routing-cold-start/judgements.json",
);

export function readJudgements(file = JUDGEMENTS_FILE): Judgement[] {
  return JSON.parse(readFileSync(file, "utf8")) as Judgement[];
}

export type SystemResult = { name: string; metrics: JudgedMetrics; cases: JudgedCase[] };
export type ColdStartResult = {
  knowhow: SystemResult;
  baseline: SystemResult;
  judgements: Judgement[];
  /** Person id → "Name (Title)". */
  label: Map<string, string>;
};

/** Loads the demo into the context's (fresh, migrated) database and evaluates every judgement. */
export async function evaluateColdStart(
  ctx: AppContext,
  judgements: Judgement[] = readJudgements(),
): Promise<ColdStartResult> {
  await loadDemo(ctx.db, ctx.now());
  await ctx.expertise.refresh();
  const now = ctx.now();
  const people = await rows<{ id: string; email: string; name: string; title: string }>(
    ctx.db,
    sql`select id, email, name, title from users`,
  );
  const byEmail = new Map(people.map((p) => [p.email, p.id]));
  const label = new Map(people.map((p) => [p.id, `${p.name} (${p.title})`]));
  const idOf = (email: string, where: string) => {
    const id = byEmail.get(email);
    if (!id) throw new Error(`judgement ${where}: no demo person ${email}`);
    return id;
  };
  const writings = await writingsBySpace(ctx);
  const knowhow: JudgedCase[] = [];
  const baseline: JudgedCase[] = [];
  for (const j of judgements) {
    const askerId = idOf(j.asker, j.id);
    const expected = j.experts.map((e) => idOf(e, j.id));
    const asker = (await loadPeople(ctx.db, [askerId])).get(askerId)!;
    const actor = { id: asker.id, role: asker.role, name: asker.name, knowledgeManager: asker.knowledge_manager };
    const visible =
      actor.role === "admin" ? ("all" as const) : new Set((await readableAudiences(ctx.db, actor)).keys());
    const ranked = await ctx.expertise.rank(
      { text: `${j.title}\n${j.body}`, tags: j.tags, at: now, askerId },
      { readableAudiences: visible, limit: 60, exclude: new Set([askerId]), reasons: 3 },
    );
    const found = await loadPeople(
      ctx.db,
      ranked.map((r) => r.personId),
    );
    const ranking = ranked
      .filter((r) => {
        const p = found.get(r.personId);
        return p && p.deactivated_at === null && p.can_sign_in && r.reasons.length > 0;
      })
      .map((r) => r.personId);
    knowhow.push({ id: j.id, expected, ranking });
    const readable = new Map<string, string[]>();
    for (const w of writings)
      if (w.spaceId === null || visible === "all" || visible.has(w.spaceId))
        readable.set(w.personId, [...(readable.get(w.personId) ?? []), w.text]);
    baseline.push({
      id: j.id,
      expected,
      ranking: wordOverlapRanking(`${j.title}\n${j.body}\n${j.tags.join(" ")}`, readable, new Set([askerId])),
    });
  }
  return {
    knowhow: { name: "Knowhow", metrics: scoreJudged(knowhow), cases: knowhow },
    baseline: {
      name: "Baseline: shared words with own articles/answers",
      metrics: scoreJudged(baseline),
      cases: baseline,
    },
    judgements,
    label,
  };
}

/** What each person wrote: published articles they own or revised, and their answers. */
async function writingsBySpace(ctx: AppContext): Promise<{ personId: string; spaceId: string | null; text: string }[]> {
  const articleRows = await rows<{ person_id: string; space_id: string; text: string }>(
    ctx.db,
    sql`select distinct r.author_id as person_id, a.space_id,
               a.title || E'\n' || a.body || E'\n' || array_to_string(a.tags, ' ') as text
        from articles a join article_revisions r on r.article_id = a.id where a.status = 'published'`,
  );
  const answerRows = await rows<{ person_id: string; text: string }>(
    ctx.db,
    sql`select a.author_id as person_id, a.body as text from answers a`,
  );
  return [
    ...articleRows.map((r) => ({ personId: r.person_id, spaceId: r.space_id, text: r.text })),
    ...answerRows.map((r) => ({ personId: r.person_id, spaceId: null, text: r.text })),
  ];
}

const pct = (x: number) => x.toFixed(3);

/** The figures of both systems, one line each. */
export function formatFigures(r: ColdStartResult): string {
  const line = (s: SystemResult) =>
    `${s.name.padEnd(50)} P@1 ${pct(s.metrics.pAt1)}   Top-3 ${pct(s.metrics.top3)}   MRR ${pct(s.metrics.mrr)}`;
  return [
    `${r.judgements.length} judged questions (demo organisation, cold start)`,
    line(r.knowhow),
    line(r.baseline),
  ].join("\n");
}

/** The questions whose top person is not expected: question, expected people, first expected rank, got top 3. */
export function formatMisses(r: ColdStartResult, s: SystemResult = r.knowhow): string {
  const byId = new Map(r.judgements.map((j) => [j.id, j]));
  const casesById = new Map(s.cases.map((c) => [c.id, c]));
  const name = (id: string) => r.label.get(id) ?? id;
  const out = [`${s.name}: ${s.metrics.misses.length} misses at rank 1`];
  for (const m of s.metrics.misses) {
    const j = byId.get(m.id)!;
    const c = casesById.get(m.id)!;
    out.push(
      `- ${m.id}: "${j.title}"`,
      `    expected: ${c.expected.map(name).join("; ")}`,
      `    first expected at: ${m.firstHit || "not ranked"}`,
      `    got: ${c.ranking.slice(0, 3).map(name).join("; ") || "(nobody)"}`,
    );
  }
  return out.join("\n");
}
