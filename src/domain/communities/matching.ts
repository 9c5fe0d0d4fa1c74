/**
 * Communities for a problem (who to ask) and communities that should exist (where people already
 * help each other across departments). Pure: the callers load only what the reader may see.
 */

/** A community the reader may ask, with how many of its members answered questions per tag. */
export type AskableCommunity = {
  id: string;
  name: string;
  topics: string[];
  /** tag → members (leads and members) who answered questions carrying it. */
  membersAnswered: Map<string, number>;
};

/** What the problem is about. */
export type Problem = {
  /** Its text (title and details). */
  text: string;
  /** Tags the asker gave. */
  tags: string[];
  /** Tags of the knowledge found for it, with how often each came up. */
  relatedTags: Map<string, number>;
};

export type ProblemSuggestion = { id: string; name: string; score: number; reasons: string[] };

/** The words of a text, lower-case, letters and digits (any script) only. */
export function wordsOf(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

/**
 * Whether a text mentions a topic: every word of the tag ("cold-chain" → cold, chain) appears in it,
 * a plural "s" allowed on each word.
 */
export function mentions(words: Set<string>, topic: string): boolean {
  const parts = topic.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (!parts.length) return false;
  return parts.every((p) => words.has(p) || words.has(`${p}s`) || (p.endsWith("s") && words.has(p.slice(0, -1))));
}

/** The problem's topics: the asker's tags, tags the text mentions, and the tags of knowledge found for it. */
export function problemTopics(problem: Problem, vocabulary: Iterable<string>): Map<string, "tag" | "text" | "related"> {
  const out = new Map<string, "tag" | "text" | "related">();
  for (const t of problem.tags) out.set(t, "tag");
  const words = wordsOf(problem.text);
  for (const t of vocabulary) if (!out.has(t) && mentions(words, t)) out.set(t, "text");
  for (const t of problem.relatedTags.keys()) if (!out.has(t)) out.set(t, "related");
  return out;
}

const people = (n: number) => (n === 1 ? "1 member" : `${n} members`);

/**
 * Communities to ask about a problem, best first, each with its reasons in words: its topics the
 * problem is about (given as a tag or named in the text weigh most, tags of related knowledge less),
 * then its members who answered questions on the problem's topics.
 */
export function suggestCommunitiesForProblem(
  communities: AskableCommunity[],
  problem: Problem,
  limit = 5,
): ProblemSuggestion[] {
  const topics = problemTopics(
    problem,
    communities.flatMap((c) => [...c.topics, ...c.membersAnswered.keys()]),
  );
  const out: ProblemSuggestion[] = [];
  for (const c of communities) {
    let score = 0;
    const matched: string[] = [];
    for (const t of c.topics) {
      const how = topics.get(t);
      if (!how) continue;
      matched.push(t);
      score += how === "related" ? Math.min(1.5, 0.5 * (problem.relatedTags.get(t) ?? 1)) : 3;
    }
    const answered: { tag: string; n: number }[] = [];
    for (const [tag, n] of c.membersAnswered) if (n > 0 && topics.has(tag)) answered.push({ tag, n });
    answered.sort((a, b) => b.n - a.n || a.tag.localeCompare(b.tag));
    for (const a of answered) score += Math.log1p(a.n);
    if (score <= 0) continue;
    const reasons: string[] = [];
    if (matched.length) reasons.push(`topics: ${matched.join(", ")}`);
    for (const a of answered.slice(0, 2)) reasons.push(`${people(a.n)} answered questions on ${a.tag}`);
    out.push({ id: c.id, name: c.name, score: Math.round(score * 1000) / 1000, reasons });
  }
  return out.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name)).slice(0, limit);
}

/** One answer to a question on a tag, with the asker's and answerer's departments ("" unknown). */
export type TaggedAnswer = {
  tag: string;
  askerId: string;
  askerDepartment: string;
  answererId: string;
  answererName: string;
  answererDepartment: string;
  accepted: boolean;
  /** Whether the answerer can be invited (an active member, not a guest). */
  invitable: boolean;
};

export type CandidateCommunity = {
  topic: string;
  /** Answers that crossed a department boundary on the topic. */
  exchanges: number;
  /** The departments on either side of those answers, most involved first. */
  departments: string[];
  /** The most helpful people on the topic (answers, accepted ones weigh more), who would seed it. */
  seeds: { id: string; name: string; department: string; answers: number; accepted: number }[];
};

export type CandidateOptions = {
  /** Departments that must be involved (at least 2). */
  minDepartments?: number;
  /** Cross-department answers needed. */
  minExchanges?: number;
  /** People who would seed it. */
  seeds?: number;
  limit?: number;
};

/**
 * Topics that should have a community: people from at least `minDepartments` departments already
 * help each other on them (answers whose answerer's department differs from the asker's) and no
 * existing community has the topic. Topics where 3 or more departments meet rank first, then by
 * how many exchanges crossed a boundary. Answers to oneself and unknown departments do not count.
 */
export function findCandidateCommunities(
  answers: TaggedAnswer[],
  existingTopics: Set<string>,
  options: CandidateOptions = {},
): CandidateCommunity[] {
  const minDepartments = Math.max(2, options.minDepartments ?? 2);
  const minExchanges = options.minExchanges ?? 2;
  const seedCount = options.seeds ?? 8;
  const byTag = new Map<string, TaggedAnswer[]>();
  for (const a of answers) {
    if (existingTopics.has(a.tag) || a.answererId === a.askerId) continue;
    byTag.set(a.tag, [...(byTag.get(a.tag) ?? []), a]);
  }
  const out: CandidateCommunity[] = [];
  for (const [topic, list] of byTag) {
    const crossed = list.filter(
      (a) => a.askerDepartment && a.answererDepartment && a.askerDepartment !== a.answererDepartment,
    );
    const involvement = new Map<string, number>();
    for (const a of crossed)
      for (const d of [a.askerDepartment, a.answererDepartment]) involvement.set(d, (involvement.get(d) ?? 0) + 1);
    if (crossed.length < minExchanges || involvement.size < minDepartments) continue;
    const helpers = new Map<string, CandidateCommunity["seeds"][number] & { weight: number }>();
    for (const a of list) {
      if (!a.invitable) continue;
      const h = helpers.get(a.answererId) ?? {
        id: a.answererId,
        name: a.answererName,
        department: a.answererDepartment,
        answers: 0,
        accepted: 0,
        weight: 0,
      };
      h.answers++;
      if (a.accepted) h.accepted++;
      h.weight += a.accepted ? 3 : 2;
      helpers.set(a.answererId, h);
    }
    const seeds = [...helpers.values()]
      .sort((a, b) => b.weight - a.weight || a.name.localeCompare(b.name))
      .slice(0, seedCount)
      .map(({ weight: _weight, ...s }) => s);
    out.push({
      topic,
      exchanges: crossed.length,
      departments: [...involvement.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([d]) => d),
      seeds,
    });
  }
  return out
    .sort(
      (a, b) =>
        Number(b.departments.length >= 3) - Number(a.departments.length >= 3) ||
        b.exchanges - a.exchanges ||
        b.departments.length - a.departments.length ||
        a.topic.localeCompare(b.topic),
    )
    .slice(0, options.limit ?? 10);
}
