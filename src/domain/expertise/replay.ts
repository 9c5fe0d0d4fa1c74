import { Bm25ProfileRanker, MostActiveRanker, TagOverlapRanker } from "./baselines";
import { routingMetrics, type RoutingCase, type RoutingMetrics } from "./metrics";
import { ExpertiseModel, type ModelParams } from "./model";
import type { Evidence, ExpertRanker } from "./types";

export type ReplayQuestion = {
  id: string;
  at: number;
  asker?: string;
  title: string;
  body: string;
  tags: string[];
  acceptedAnswerId?: string;
};
export type ReplayAnswer = { id: string; at: number; author?: string; questionId: string; body: string };

type ReplayResult = {
  rankings: { questionId: string; people: string[] }[];
  metrics: { name: string; test: RoutingMetrics }[];
  testQuestions: number;
};

/**
 * The routing-quality protocol: answered questions in order of creation; for the last
 * `testFraction`, every ranker is asked for experts knowing only what was created strictly
 * before the question (its own answers included in what it may NOT see). Evidence is fed in
 * time order, so nothing later can leak in.
 */
export function replayRouting(
  questions: ReplayQuestion[],
  answers: ReplayAnswer[],
  options: {
    testFraction: number;
    limit?: number;
    onProgress?: (done: number, total: number) => void;
    /** Parameters of Knowhow's model (default: the defaults every site gets). */
    model?: Partial<ModelParams>;
    /** Only Knowhow's ranking, without the baselines (experiments). */
    knowhowOnly?: boolean;
  },
): ReplayResult {
  const limit = options.limit ?? 20;
  const byId = new Map(questions.map((q) => [q.id, q]));
  const evidence: Evidence[] = [];
  for (const q of questions)
    if (q.asker)
      evidence.push({
        id: q.id,
        personId: q.asker,
        kind: "question",
        at: q.at,
        text: q.body,
        title: q.title,
        tags: q.tags,
      });
  const answersOf = new Map<string, ReplayAnswer[]>();
  for (const a of answers) {
    const q = byId.get(a.questionId);
    if (!q || !a.author) continue;
    evidence.push({
      id: a.id,
      personId: a.author,
      kind: "answer",
      at: a.at,
      text: a.body,
      title: q.title,
      tags: q.tags,
      questionId: q.id,
      votes: 0,
    });
    answersOf.set(q.id, [...(answersOf.get(q.id) ?? []), a]);
  }
  evidence.sort((a, b) => a.at - b.at);
  const targets = questions
    .filter((q) => (answersOf.get(q.id) ?? []).length > 0)
    .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  const split = Math.floor(targets.length * (1 - options.testFraction));
  const rankers: [string, ExpertRanker][] = [["knowhow", new ExpertiseModel(options.model)]];
  if (!options.knowhowOnly)
    rankers.push(
      ["most-active", new MostActiveRanker()],
      ["tag-overlap", new TagOverlapRanker()],
      ["bm25-profile", new Bm25ProfileRanker()],
    );
  const cases = rankers.map(() => [] as RoutingCase[]);
  const rankings: { questionId: string; people: string[] }[] = [];
  let next = 0;
  for (let i = split; i < targets.length; i++) {
    const q = targets[i];
    for (; next < evidence.length && evidence[next].at < q.at; next++)
      for (const [, r] of rankers) r.add(evidence[next]);
    const exclude = new Set(q.asker ? [q.asker] : []);
    const question = { text: `${q.title}\n${q.body}`, tags: q.tags, at: q.at, askerId: q.asker };
    const as = answersOf.get(q.id)!;
    const answerers = [...new Set(as.map((a) => a.author).filter((p): p is string => !!p && p !== q.asker))];
    const acc = as.find((a) => a.id === q.acceptedAnswerId)?.author;
    rankers.forEach(([name, r], k) => {
      const people = r.rank(question, { limit, exclude }).map((x) => x.personId);
      if (name === "knowhow") rankings.push({ questionId: q.id, people });
      cases[k].push({ ranking: people, accepted: acc && acc !== q.asker ? acc : undefined, answerers });
    });
    options.onProgress?.(i - split + 1, targets.length - split);
  }
  return {
    rankings,
    metrics: rankers.map(([name], k) => ({ name, test: routingMetrics(cases[k]) })),
    testQuestions: targets.length - split,
  };
}
