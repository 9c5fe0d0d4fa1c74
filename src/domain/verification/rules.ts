const DAY = 86_400_000;

export type VerificationState = "verified" | "due" | "expired";

/** Default review interval of a piece of knowledge, in days. */
export const DEFAULT_INTERVAL_DAYS = 180;

/**
 * How long before the end of its verification a piece of knowledge counts as due: 14 days, or a fifth of a short
 * interval.
 */
export function dueWindowDays(intervalDays: number): number {
  return Math.min(14, Math.max(1, Math.floor(intervalDays / 5)));
}

/** Verified (until a date), due (inside the window before that date) or expired (past it). */
export function verificationState(verifiedUntil: Date, intervalDays: number, now: Date): VerificationState {
  const left = verifiedUntil.getTime() - now.getTime();
  if (left <= 0) return "expired";
  return left <= dueWindowDays(intervalDays) * DAY ? "due" : "verified";
}

/** Until when a verification made at `at` holds. */
export function verifiedUntil(at: Date, intervalDays: number): Date {
  return new Date(at.getTime() + intervalDays * DAY);
}

/**
 * Search and the sidekick rank expired knowledge below verified knowledge of equal relevance:
 * a gentle factor, so a much better match still wins.
 */
export function rankFactor(state: VerificationState): number {
  return state === "expired" ? 0.8 : state === "due" ? 0.95 : 1;
}

type ChallengeState = "open" | "overdue" | "upheld" | "dismissed";

/** Default number of days an owner has to respond to a challenge. */
export const CHALLENGE_RESPONSE_DAYS = 7;

/** An open challenge past its deadline is overdue (and escalates to the space owners). */
export function challengeState(
  c: { status: "open" | "upheld" | "dismissed"; deadline: Date },
  now: Date,
): ChallengeState {
  if (c.status !== "open") return c.status;
  return now.getTime() >= c.deadline.getTime() ? "overdue" : "open";
}
