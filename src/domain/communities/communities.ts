/**
 * Communities of practice: the pure parts — how routing prefers a community's members, the health
 * panel's figures and suggestions with reasons. No database, no clock (`now` is passed in).
 */

/**
 * How much more a member of the community a question is addressed to weighs in routing, before load
 * spreading (so a busy member still gives way to a free colleague with clearly better evidence).
 */
export const COMMUNITY_MEMBER_BONUS = 0.5;

/** The routing strength of a candidate: members of the addressed community count `1 + bonus` times. */
export function communityWeighted(strength: number, isMember: boolean): number {
  return isMember ? strength * (1 + COMMUNITY_MEMBER_BONUS) : strength;
}

/** "2026-03" for a date (UTC). */
export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** The last `count` months ending with `now`'s, oldest first. */
export function lastMonths(now: Date, count: number): string[] {
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    out.push(monthOf(d));
  }
  return out;
}

/** Distinct active people per month (an activity = someone did something at a time), for the given months. */
export function activeMembersPerMonth(
  activity: { personId: string; at: Date }[],
  months: string[],
): { month: string; active: number }[] {
  const byMonth = new Map<string, Set<string>>(months.map((m) => [m, new Set()]));
  for (const a of activity) byMonth.get(monthOf(a.at))?.add(a.personId);
  return months.map((month) => ({ month, active: byMonth.get(month)!.size }));
}

/** The median of a list of numbers (null when empty). */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

type AskedQuestion = { askedAt: Date; firstAnswerAt: Date | null };

/** Questions asked per month and the median hours to a first answer of those asked that month (null: none answered). */
export function questionsPerMonth(
  list: AskedQuestion[],
  months: string[],
): { month: string; asked: number; medianHoursToFirstAnswer: number | null }[] {
  return months.map((month) => {
    const inMonth = list.filter((q) => monthOf(q.askedAt) === month);
    const hours = inMonth
      .filter((q) => q.firstAnswerAt !== null)
      .map((q) => (q.firstAnswerAt!.getTime() - q.askedAt.getTime()) / 3_600_000);
    const m = median(hours);
    return { month, asked: inMonth.length, medianHoursToFirstAnswer: m === null ? null : Math.round(m * 10) / 10 };
  });
}

/**
 * The share of answers that crossed a department boundary: the answerer's department differs from
 * the asker's. Answers where either department is unknown are left out (null when none remain).
 */
export function crossDepartmentShare(
  answers: { askerDepartment: string | null; answererDepartment: string | null }[],
): {
  crossed: number;
  counted: number;
  share: number | null;
} {
  const known = answers.filter((a) => a.askerDepartment && a.answererDepartment);
  const crossed = known.filter((a) => a.askerDepartment !== a.answererDepartment).length;
  return { crossed, counted: known.length, share: known.length ? crossed / known.length : null };
}

export type CommunityCandidate = { id: string; name: string; topics: string[] };
export type PersonSignals = {
  /** Topics the person has evidence on (answers, articles, …) with a strength (e.g. a count). */
  evidence: Map<string, number>;
  /** Tags the person follows. */
  follows: Set<string>;
  /** Tags of the questions they asked, with how often. */
  asked: Map<string, number>;
};
export type CommunitySuggestion = { id: string; name: string; score: number; reasons: string[] };

/**
 * Communities to suggest to a person, with the reasons in words: topics they have evidence on weigh
 * most (they can help), then topics they follow, then topics they asked about (they can learn).
 */
export function suggestCommunities(
  candidates: CommunityCandidate[],
  signals: PersonSignals,
  limit = 5,
): CommunitySuggestion[] {
  const out: CommunitySuggestion[] = [];
  for (const c of candidates) {
    let score = 0;
    const known: string[] = [];
    const followed: string[] = [];
    const askedAbout: string[] = [];
    for (const topic of c.topics) {
      const e = signals.evidence.get(topic) ?? 0;
      if (e > 0) {
        score += 2 * Math.log1p(e);
        known.push(topic);
      }
      if (signals.follows.has(topic)) {
        score += 1;
        followed.push(topic);
      }
      const a = signals.asked.get(topic) ?? 0;
      if (a > 0) {
        score += 0.75 * Math.log1p(a);
        askedAbout.push(topic);
      }
    }
    if (score <= 0) continue;
    const reasons: string[] = [];
    if (known.length) reasons.push(`You have shared knowledge on ${known.join(", ")}`);
    if (followed.length) reasons.push(`You follow ${followed.join(", ")}`);
    if (askedAbout.length) reasons.push(`You asked about ${askedAbout.join(", ")}`);
    out.push({ id: c.id, name: c.name, score: Math.round(score * 1000) / 1000, reasons });
  }
  return out.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name)).slice(0, limit);
}
