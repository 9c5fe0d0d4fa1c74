/** What a person controls about being asked for help. */
export type AvailabilitySettings = {
  availability: "available" | "busy" | "away";
  awayUntil: Date | null;
  timeZone: string;
  /** Minutes after local midnight. End before start means hours across midnight (night shift). */
  workStart: number;
  workEnd: number;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  workDays: number[];
  dailyCap: number;
};

export type Reachability =
  | { reachable: true }
  | { reachable: false; reason: "away" | "busy" | "off_hours" | "off_day" | "at_cap"; until?: Date };

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether a string is a time zone this runtime knows (IANA name such as Europe/Oslo, or UTC). */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Local weekday (1–7), minutes after midnight and calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function localTime(at: Date, timeZone: string): { weekday: number; minutes: number; day: string } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: isValidTimeZone(timeZone) ? timeZone : "UTC",
      hourCycle: "h23",
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    weekday: WEEKDAYS[parts.weekday] ?? 1,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    day: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

/** Whether the instant falls inside the person's working hours (in their time zone). */
export function inWorkingHours(
  s: Pick<AvailabilitySettings, "timeZone" | "workStart" | "workEnd" | "workDays">,
  at: Date,
): { ok: boolean; reason?: "off_hours" | "off_day" } {
  const { weekday, minutes } = localTime(at, s.timeZone);
  if (s.workStart === s.workEnd) return { ok: true }; // "any time"
  if (s.workStart < s.workEnd) {
    if (!s.workDays.includes(weekday)) return { ok: false, reason: "off_day" };
    return minutes >= s.workStart && minutes < s.workEnd ? { ok: true } : { ok: false, reason: "off_hours" };
  }
  // Overnight shift: the part after midnight belongs to the shift that started the day before.
  if (minutes >= s.workStart) return s.workDays.includes(weekday) ? { ok: true } : { ok: false, reason: "off_day" };
  if (minutes < s.workEnd)
    return s.workDays.includes(weekday === 1 ? 7 : weekday - 1) ? { ok: true } : { ok: false, reason: "off_day" };
  return { ok: false, reason: "off_hours" };
}

/** The status a person shows right now: an "away until" in the past no longer counts. */
export function effectiveStatus(
  s: Pick<AvailabilitySettings, "availability" | "awayUntil">,
  at: Date,
): AvailabilitySettings["availability"] {
  if (s.availability === "away" && s.awayUntil && s.awayUntil.getTime() <= at.getTime()) return "available";
  return s.availability;
}

/**
 * Whether the router may ask this person now. `requestsToday` is how many routed requests they
 * received since their local midnight. Busy people are not asked by the router (a colleague can
 * still forward to them).
 */
export function reachability(s: AvailabilitySettings, at: Date, requestsToday: number): Reachability {
  const status = effectiveStatus(s, at);
  if (status === "away") return { reachable: false, reason: "away", until: s.awayUntil ?? undefined };
  if (status === "busy") return { reachable: false, reason: "busy" };
  const hours = inWorkingHours(s, at);
  if (!hours.ok) return { reachable: false, reason: hours.reason ?? "off_hours" };
  if (requestsToday >= s.dailyCap) return { reachable: false, reason: "at_cap" };
  return { reachable: true };
}
