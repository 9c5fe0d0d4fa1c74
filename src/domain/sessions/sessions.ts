// Pure rules of knowledge-sharing sessions: local wall-clock time in a time zone to an instant, and
// who gets a seat when someone drops.

/** Whether `tz` is an IANA time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC in minutes at the instant `at` (Berlin in winter: 60). */
export function offsetMinutes(at: Date, tz: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const n = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asUtc = Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant of a wall-clock time ("2026-11-05T10:00") in a time zone: 10:00 Europe/Berlin after
 * the late-October change is 09:00 UTC, before it 08:00 UTC. A time skipped by a spring-forward
 * change moves forward by the gap, as calendars do.
 */
export function zonedToUtc(local: string, tz: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) throw new Error(`not a local date and time: ${local}`);
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  let guess = wall - offsetMinutes(new Date(wall), tz) * 60_000;
  // A second pass settles instants near a change (the offset at the guess may differ).
  guess = wall - offsetMinutes(new Date(guess), tz) * 60_000;
  return new Date(guess);
}

/** The wall-clock time of an instant in a time zone, as "YYYY-MM-DDTHH:mm". */
export function utcToZoned(at: Date, tz: string): string {
  const local = new Date(at.getTime() + offsetMinutes(at, tz) * 60_000);
  return local.toISOString().slice(0, 16);
}

export type Seat = { userId: string; status: "going" | "maybe" | "no" | "waitlisted"; queuedAt: number | null };

/** The people the waiting list lets in when `free` seats open: the earliest queued first. */
export function promoteFromWaitlist(rsvps: readonly Seat[], free: number): string[] {
  if (free <= 0) return [];
  return rsvps
    .filter((r) => r.status === "waitlisted")
    .sort((a, b) => (a.queuedAt ?? 0) - (b.queuedAt ?? 0))
    .slice(0, free)
    .map((r) => r.userId);
}

/** Share of attendees from departments other than the presenters' (null when nobody attended). */
export function crossDepartmentShare(
  attendeeDepartments: readonly string[],
  presenterDepartments: readonly string[],
): number | null {
  if (attendeeDepartments.length === 0) return null;
  const home = new Set(presenterDepartments);
  return attendeeDepartments.filter((d) => !home.has(d)).length / attendeeDepartments.length;
}
