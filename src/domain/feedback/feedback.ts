// Feedback requests: the release-in-rounds rule for anonymous answers, the aggregation of 1–5
// scales and the check of an answer against the request's questions. Pure: no database, no clock.

/** The smallest group of anonymous answers that is ever shown (and every later group): three. */
export const MIN_GROUP = 3;
/** Open requests due within this many days are highlighted in the inbox as reminders. */
export const REMINDER_DAYS = 2;
export const TEXT_MAX = 5000;

export type QuestionKind = "text" | "scale";
export type Question = { kind: QuestionKind; prompt: string };
export type AnswerValue = number | string;

/**
 * How many anonymous answers are released once `answered` people have answered and `released` of
 * their answers are visible. Answers are released in whole groups of at least MIN_GROUP: nothing
 * until three have answered, then each further group only when it has three answers of its own.
 * A fourth answer alone never appears, so comparing two views over time never singles one out.
 */
export function releasedAfter(answered: number, released: number, minGroup = MIN_GROUP): number {
  if (answered < released) throw new Error("released answers cannot outnumber answers");
  return answered - released >= minGroup ? answered : released;
}

export type ScaleSummary = {
  count: number;
  /** Rounded to one decimal; null without answers. */
  mean: number | null;
  /** How many answered 1, 2, 3, 4, 5. */
  distribution: [number, number, number, number, number];
};

/** Count, mean and distribution of 1–5 answers (values outside 1–5 are ignored). */
export function summariseScale(values: readonly number[]): ScaleSummary {
  const distribution: ScaleSummary["distribution"] = [0, 0, 0, 0, 0];
  let sum = 0;
  let count = 0;
  for (const v of values) {
    if (!Number.isInteger(v) || v < 1 || v > 5) continue;
    distribution[v - 1] += 1;
    sum += v;
    count += 1;
  }
  return { count, mean: count === 0 ? null : Math.round((sum / count) * 10) / 10, distribution };
}

export type FieldProblem = { path: string; message: string };

/**
 * Checks answers against the questions, one value per question in order: a scale takes a whole
 * number 1–5, a text at most TEXT_MAX characters (trimmed; may be empty, but not every answer).
 * Returns the cleaned values, or the first problem naming its field (`answers.2.value`).
 */
export function checkAnswers(
  questions: readonly Question[],
  values: readonly AnswerValue[],
): { ok: true; values: AnswerValue[] } | { ok: false; problem: FieldProblem } {
  if (values.length !== questions.length)
    return {
      ok: false,
      problem: { path: "answers", message: `must answer each of the ${questions.length} questions in order` },
    };
  const out: AnswerValue[] = [];
  for (const [i, q] of questions.entries()) {
    const v = values[i];
    const path = `answers.${i}.value`;
    if (q.kind === "scale") {
      if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > 5)
        return { ok: false, problem: { path, message: "must be a whole number from 1 to 5" } };
      out.push(v);
    } else {
      if (typeof v !== "string") return { ok: false, problem: { path, message: "must be text" } };
      const text = v.trim();
      if (text.length > TEXT_MAX)
        return { ok: false, problem: { path, message: `must be at most ${TEXT_MAX.toLocaleString("en")} characters` } };
      out.push(text);
    }
  }
  if (out.every((v) => v === "")) return { ok: false, problem: { path: "answers", message: "say something" } };
  return { ok: true, values: out };
}

/** True while a request takes answers: not closed and its deadline (if any) not passed. */
export function isOpen(r: { closedAt: Date | null; deadline: Date | null }, now: Date): boolean {
  return r.closedAt === null && (r.deadline === null || r.deadline.getTime() > now.getTime());
}

/** An open request whose deadline is within REMINDER_DAYS: a reminder in the inbox. */
export function isDueSoon(r: { closedAt: Date | null; deadline: Date | null }, now: Date): boolean {
  return isOpen(r, now) && r.deadline !== null && r.deadline.getTime() - now.getTime() <= REMINDER_DAYS * 86_400_000;
}

/** A Fisher–Yates shuffle with the given source of integers in [0, n) (a cryptographic one in the app). */
export function shuffled<T>(items: readonly T[], randomBelow: (n: number) => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomBelow(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
