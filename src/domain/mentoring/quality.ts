/**
 * How good a mentor is for a mentee, with the reasons, under a programme's rules. Pure: the caller
 * brings the evidence (from the expertise model) and the reporting lines.
 *
 * quality = 0.6 · evidence on the mentee's goals (mean over goals of the mentor's strength, 0–1)
 *         + 0.1 · share of the goals the mentor offers
 *         + 0.2 · the mentee's preference (first choice 1, then falling; none 0)
 *         + 0.1 · crossDepartmentWeight when the departments differ
 * so it lies in [0, 1]. Forbidden: the same person, a mentor in the mentee's reporting line (either
 * way: a manager above the mentee, or someone who reports to the mentee), or farther apart in time zone
 * than the programme allows.
 */

export type MentorProfile = {
  id: string;
  name?: string;
  department: string;
  /** Minutes east of UTC. */
  utcOffset: number;
  /** Evidence strength per topic, 0–1. */
  evidence: ReadonlyMap<string, number>;
  /** Topics the mentor offers to mentor on. */
  offers: readonly string[];
  /** The mentor's managers, nearest first. */
  managers: readonly string[];
};

export type MenteeProfile = {
  id: string;
  department: string;
  utcOffset: number;
  goals: readonly string[];
  /** Mentor ids, most wanted first. */
  preferences: readonly string[];
  /** The mentee's managers, nearest first. */
  managers: readonly string[];
};

export type ProgrammeRules = {
  /** 0–1: how much another department counts. */
  crossDepartmentWeight: number;
  /** The largest time-zone difference allowed, in hours (null: any). */
  maxTimeZoneHours: number | null;
};

export type Reason =
  | { kind: "evidence"; topic: string; strength: number }
  | { kind: "offers"; topics: string[] }
  | { kind: "preference"; rank: number }
  | { kind: "department"; mentee: string; mentor: string };

export type PairQuality = { allowed: true; quality: number; reasons: Reason[] } | { allowed: false; why: string };

export const WEIGHTS = { evidence: 0.6, offers: 0.1, preference: 0.2, department: 0.1 } as const;

export function pairQuality(mentee: MenteeProfile, mentor: MentorProfile, rules: ProgrammeRules): PairQuality {
  if (mentee.id === mentor.id) return { allowed: false, why: "the same person" };
  if (mentee.managers.includes(mentor.id))
    return { allowed: false, why: "the mentor is in the mentee's reporting line" };
  if (mentor.managers.includes(mentee.id)) return { allowed: false, why: "the mentor reports to the mentee" };
  if (rules.maxTimeZoneHours !== null && Math.abs(mentee.utcOffset - mentor.utcOffset) > rules.maxTimeZoneHours * 60)
    return { allowed: false, why: `more than ${rules.maxTimeZoneHours} hours apart` };

  const reasons: Reason[] = [];
  const goals = [...new Set(mentee.goals)];
  let strength = 0;
  for (const g of goals) {
    const s = Math.min(1, Math.max(0, mentor.evidence.get(g) ?? 0));
    strength += s;
    if (s > 0) reasons.push({ kind: "evidence", topic: g, strength: Math.round(s * 100) / 100 });
  }
  reasons.sort((a, b) => (a.kind === "evidence" && b.kind === "evidence" ? b.strength - a.strength : 0));
  const evidence = goals.length ? strength / goals.length : 0;
  const offered = goals.filter((g) => mentor.offers.includes(g));
  if (offered.length) reasons.push({ kind: "offers", topics: offered });
  const offers = goals.length ? offered.length / goals.length : 0;
  const rank = mentee.preferences.indexOf(mentor.id);
  const preference = rank < 0 ? 0 : 1 / (rank + 1);
  if (rank >= 0) reasons.push({ kind: "preference", rank: rank + 1 });
  const crossDepartment =
    mentee.department !== "" && mentor.department !== "" && mentee.department !== mentor.department;
  const weight = Math.min(1, Math.max(0, rules.crossDepartmentWeight));
  if (crossDepartment && weight > 0)
    reasons.push({ kind: "department", mentee: mentee.department, mentor: mentor.department });
  const quality =
    WEIGHTS.evidence * evidence +
    WEIGHTS.offers * offers +
    WEIGHTS.preference * preference +
    WEIGHTS.department * (crossDepartment ? weight : 0);
  return { allowed: true, quality: Math.min(1, quality), reasons };
}

/** The quality matrix the matcher takes (NaN for a forbidden pair). */
export function qualityMatrix(
  mentees: readonly MenteeProfile[],
  mentors: readonly MentorProfile[],
  rules: ProgrammeRules,
): Float64Array {
  const out = new Float64Array(mentees.length * mentors.length);
  mentees.forEach((e, i) =>
    mentors.forEach((o, j) => {
      const q = pairQuality(e, o, rules);
      out[i * mentors.length + j] = q.allowed ? q.quality : NaN;
    }),
  );
  return out;
}
