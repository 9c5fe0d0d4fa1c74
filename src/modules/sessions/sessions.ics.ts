import ical, { ICalAlarmType, ICalCalendarMethod, ICalEventStatus } from "ical-generator";

export type CalendarSession = {
  id: string;
  title: string;
  abstract: string;
  startsAt: Date;
  /** DTSTAMP: when it was announced, so the same session always gives the same file. */
  announcedAt: Date;
  durationMinutes: number;
  timeZone: string;
  place: string;
  link: string;
  presenters: string[];
  /** Cancelled for everyone, or for this person (they answered "no"): sent as cancelled so calendars drop it. */
  cancelled: boolean;
};

/** Minutes before the start at which calendars remind (two VALARMs). */
const REMINDERS = [24 * 60, 15];

/**
 * Sessions as an RFC 5545 calendar, written by ical-generator. Times are written in UTC (the
 * instant is stored; the announcer's zone goes into X-KNOWHOW-TIMEZONE and the description), so no
 * VTIMEZONE is needed and a daylight-saving change cannot shift an event.
 */
export function sessionsCalendar(publicUrl: string | undefined, name: string, sessions: CalendarSession[]): string {
  const cal = ical({
    name,
    prodId: { company: "Knowhow", product: "sessions", language: "EN" },
    method: ICalCalendarMethod.PUBLISH,
  });
  for (const s of sessions) {
    const url = publicUrl ? `${publicUrl.replace(/\/$/, "")}/sessions/${s.id}` : null;
    const lines = [
      s.abstract,
      s.presenters.length ? `Presented by ${s.presenters.join(", ")}` : "",
      s.link ? `Join: ${s.link}` : "",
      url ? `Details: ${url}` : "",
    ].filter((l) => l !== "");
    cal.createEvent({
      id: `${s.id}@knowhow`,
      start: s.startsAt,
      stamp: s.announcedAt,
      end: new Date(s.startsAt.getTime() + s.durationMinutes * 60_000),
      summary: s.title,
      description: lines.join("\n\n"),
      location: s.place || s.link || null,
      url: s.link || url,
      status: s.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      alarms: REMINDERS.map((m) => ({ type: ICalAlarmType.display, triggerBefore: m * 60, description: s.title })),
      x: [["X-KNOWHOW-TIMEZONE", s.timeZone]],
    });
  }
  return cal.toString();
}
