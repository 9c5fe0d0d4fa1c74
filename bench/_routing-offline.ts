// Offline expert-routing benchmark on a Stack Exchange dump (no database): streams Posts.xml and
// Votes.xml, replays the site chronologically and, for each answered question, asks every ranker
// "who should answer this?" knowing only what existed strictly before the question was asked.
//   node --import tsx bench/_routing-offline.ts /work/shared/data/se-cardano [testFraction]
import { createReadStream } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { SaxesParser } from "saxes";
import { Bm25ProfileRanker, MostActiveRanker, TagOverlapRanker } from "../src/domain/expertise/baselines";
import { routingMetrics, quantile, type RoutingCase, type RoutingMetrics } from "../src/domain/expertise/metrics";
import { ExpertiseModel, type ModelParams } from "../src/domain/expertise/model";
import type { Evidence, ExpertRanker, Signal } from "../src/domain/expertise/types";

const DAY = 86_400_000;
const LIMIT = 20;

type Question = {
  id: string;
  at: number;
  owner?: string;
  title: string;
  body: string;
  tags: string[];
  accepted?: string;
};
type Answer = { id: string; at: number; owner?: string; parent: string; body: string };
type Vote = { postId: string; type: number; day: number };
export type Dump = { questions: Map<string, Question>; answers: Answer[]; votes: Vote[] };

async function streamRows(file: string, onRow: (a: Record<string, string>) => void): Promise<void> {
  const parser = new SaxesParser();
  parser.on("opentag", (node) => {
    if (node.name === "row") onRow(node.attributes as Record<string, string>);
  });
  for await (const chunk of createReadStream(file, { encoding: "utf8" })) parser.write(chunk as string);
  parser.close();
}

// Dump dates carry no zone; they are UTC.
const parseDate = (s: string): number => Date.parse(s.endsWith("Z") ? s : `${s}Z`);

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** Turns a post's HTML body into plain text (code kept: identifiers in code are topical). */
export function htmlToText(html: string): string {
  return html.replace(/<[^>]*>/g, " ").replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#")
      return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Reads the posts and votes of a Stack Exchange dump directory. */
export async function loadDump(dir: string): Promise<Dump> {
  const questions = new Map<string, Question>();
  const answers: Answer[] = [];
  const votes: Vote[] = [];
  await streamRows(join(dir, "Posts.xml"), (r) => {
    const base = {
      id: r.Id,
      at: parseDate(r.CreationDate),
      owner: r.OwnerUserId || undefined,
      body: htmlToText(r.Body ?? ""),
    };
    if (r.PostTypeId === "1") {
      const tags = (r.Tags ?? "").split(/[<>|]/).filter(Boolean);
      questions.set(r.Id, { ...base, title: r.Title ?? "", tags, accepted: r.AcceptedAnswerId || undefined });
    } else if (r.PostTypeId === "2" && r.ParentId) answers.push({ ...base, parent: r.ParentId });
  });
  await streamRows(join(dir, "Votes.xml"), (r) => {
    const type = Number(r.VoteTypeId);
    if (type === 1 || type === 2 || type === 3) votes.push({ postId: r.PostId, type, day: parseDate(r.CreationDate) });
  });
  return { questions, answers, votes };
}

type Event = { at: number; evidence?: Evidence; signal?: Signal };

// Everything that becomes knowable, dated when it became knowable. Votes have day resolution, so a
// vote counts only from the end of its day: using it earlier could leak a vote cast after the question.
export function events(d: Dump): Event[] {
  const out: Event[] = [];
  for (const q of d.questions.values()) {
    if (q.owner)
      out.push({
        at: q.at,
        evidence: {
          id: q.id,
          personId: q.owner,
          kind: "question",
          at: q.at,
          text: q.body,
          title: q.title,
          tags: q.tags,
        },
      });
  }
  const answerIds = new Set<string>();
  for (const a of d.answers) {
    const q = d.questions.get(a.parent);
    if (!q || !a.owner) continue;
    answerIds.add(a.id);
    out.push({
      at: a.at,
      evidence: {
        id: a.id,
        personId: a.owner,
        kind: "answer",
        at: a.at,
        text: a.body,
        title: q.title,
        tags: q.tags,
        questionId: q.id,
        votes: 0,
      },
    });
  }
  const kinds = { 1: "accepted", 2: "upvote", 3: "downvote" } as const;
  for (const v of d.votes) {
    if (!answerIds.has(v.postId)) continue;
    const at = v.day + DAY;
    out.push({ at, signal: { evidenceId: v.postId, kind: kinds[v.type as 1 | 2 | 3], at } });
  }
  // Stable: evidence before signals at the same instant, so a signal never precedes its evidence.
  return out.sort((a, b) => a.at - b.at || Number(!!a.signal) - Number(!!b.signal));
}

export type Target = { q: Question; accepted?: string; answerers: string[] };

export function targets(d: Dump): Target[] {
  const byQ = new Map<string, Answer[]>();
  for (const a of d.answers) byQ.set(a.parent, [...(byQ.get(a.parent) ?? []), a]);
  const out: Target[] = [];
  for (const q of d.questions.values()) {
    const as = byQ.get(q.id) ?? [];
    if (as.length === 0) continue;
    const answerers = [...new Set(as.map((a) => a.owner).filter((o): o is string => !!o && o !== q.owner))];
    const acc = as.find((a) => a.id === q.accepted)?.owner;
    out.push({ q, answerers, accepted: acc && acc !== q.owner ? acc : undefined });
  }
  return out.sort((a, b) => a.q.at - b.q.at || Number(a.q.id) - Number(b.q.id));
}

export type MethodResult = { name: string; dev: RoutingMetrics; test: RoutingMetrics; p50Ms: number; p95Ms: number };
export type RoutingReport = {
  dumpDir: string;
  testFraction: number;
  split: { dev: number; test: number; splitAt: string };
  methods: MethodResult[];
  ratio: number;
};

/** Replays the dump once, feeding all rankers, and scores each on the dev and test splits. */
export function replay(
  d: Dump,
  rankers: Record<string, () => ExpertRanker>,
  testFraction: number,
): MethodResult[] & { splitIndex: number; n: number } {
  const ts = targets(d);
  const ev = events(d);
  const splitIndex = Math.floor(ts.length * (1 - testFraction));
  const names = Object.keys(rankers);
  const inst = names.map((n) => rankers[n]());
  const cases = names.map(() => ({ dev: [] as RoutingCase[], test: [] as RoutingCase[], ms: [] as number[] }));
  let next = 0;
  ts.forEach((t, i) => {
    for (; next < ev.length && ev[next].at < t.q.at; next++) {
      const e = ev[next];
      for (const r of inst) {
        if (e.evidence) r.add(e.evidence);
        else if (e.signal && r.signal) r.signal(e.signal);
      }
    }
    const question = { text: `${t.q.title}\n${t.q.body}`, tags: t.q.tags, at: t.q.at };
    const exclude = new Set(t.q.owner ? [t.q.owner] : []);
    inst.forEach((r, k) => {
      const t0 = performance.now();
      const ranking = r.rank(question, { limit: LIMIT, exclude }).map((x) => x.personId);
      const c = { ranking, accepted: t.accepted, answerers: t.answerers };
      if (i < splitIndex) cases[k].dev.push(c);
      else {
        cases[k].test.push(c);
        cases[k].ms.push(performance.now() - t0);
      }
    });
  });
  const res = names.map((name, k) => ({
    name,
    dev: routingMetrics(cases[k].dev),
    test: routingMetrics(cases[k].test),
    p50Ms: quantile(cases[k].ms, 0.5),
    p95Ms: quantile(cases[k].ms, 0.95),
  }));
  return Object.assign(res, { splitIndex, n: ts.length });
}

/** The three protocol baselines and Knowhow with the given parameters. */
export function standardRankers(params?: Partial<ModelParams>): Record<string, () => ExpertRanker> {
  return {
    knowhow: () => new ExpertiseModel(params),
    "most-active": () => new MostActiveRanker(),
    "tag-overlap": () => new TagOverlapRanker(),
    "bm25-profile": () => new Bm25ProfileRanker(),
  };
}

/** Runs the whole protocol on one dump: baselines and Knowhow, dev and test splits. */
export async function offlineRoutingReport(dumpDir: string, testFraction = 0.3): Promise<RoutingReport> {
  const d = await loadDump(dumpDir);
  const res = replay(d, standardRankers(), testFraction);
  const ts = targets(d);
  const best = Math.max(...res.filter((m) => m.name !== "knowhow").map((m) => m.test.mrr));
  const kh = res.find((m) => m.name === "knowhow")?.test.mrr ?? 0;
  return {
    dumpDir,
    testFraction,
    split: {
      dev: res.splitIndex,
      test: res.n - res.splitIndex,
      splitAt: new Date(ts[res.splitIndex].q.at).toISOString(),
    },
    methods: [...res],
    ratio: best > 0 ? kh / best : 0,
  };
}

const f3 = (x: number): string => x.toFixed(3);

/** Formats a report as a plain-text table. */
export function formatReport(r: RoutingReport): string {
  const lines = [
    `dump ${r.dumpDir}: ${r.split.dev} dev + ${r.split.test} test answered questions (test from ${r.split.splitAt})`,
    "method        | test P@1  MRR    Hit@5  n(acc) n(ans) | dev P@1  MRR    Hit@5  n(acc) | rank ms p50   p95",
  ];
  for (const m of r.methods) {
    const t = m.test;
    const d = m.dev;
    lines.push(
      `${m.name.padEnd(13)} | ${f3(t.pAt1)}  ${f3(t.mrr)}  ${f3(t.hitAt5)}  ${String(t.nAccepted).padStart(6)} ${String(t.nAnswered).padStart(6)} | ` +
        `${f3(d.pAt1)}  ${f3(d.mrr)}  ${f3(d.hitAt5)}  ${String(d.nAccepted).padStart(6)} | ${m.p50Ms.toFixed(2).padStart(10)} ${m.p95Ms.toFixed(2).padStart(6)}`,
    );
  }
  lines.push(`MRR knowhow / best baseline (test) = ${r.ratio.toFixed(2)}`);
  return lines.join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dir = process.argv[2] ?? "/work/shared/data/se-cardano";
  const frac = process.argv[3] ? Number(process.argv[3]) : 0.3;
  console.log(formatReport(await offlineRoutingReport(dir, frac)));
}
