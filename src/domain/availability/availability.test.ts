import { describe, expect, it } from "vitest";
import {
  effectiveStatus,
  inWorkingHours,
  isValidTimeZone,
  localTime,
  reachability,
  type AvailabilitySettings,
} from "./availability";

const base: AvailabilitySettings = {
  availability: "available",
  awayUntil: null,
  timeZone: "Europe/Oslo",
  workStart: 9 * 60,
  workEnd: 17 * 60,
  workDays: [1, 2, 3, 4, 5],
  dailyCap: 3,
};
// Monday 2 March 2026, 09:30 UTC = 10:30 in Oslo (CET, UTC+1).
const monday = new Date("2026-03-02T09:30:00Z");

describe("availability", () => {
  it("reads local time in the person's zone, including across the date line", () => {
    expect(localTime(monday, "Europe/Oslo")).toEqual({ weekday: 1, minutes: 10 * 60 + 30, day: "2026-03-02" });
    expect(localTime(monday, "Pacific/Auckland")).toMatchObject({
      weekday: 1,
      day: "2026-03-02",
      minutes: 22 * 60 + 30,
    });
    expect(localTime(monday, "America/Los_Angeles")).toMatchObject({ weekday: 1, minutes: 1 * 60 + 30 });
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });

  it("applies working hours and days in the person's time zone", () => {
    expect(inWorkingHours(base, monday).ok).toBe(true);
    expect(inWorkingHours({ ...base, timeZone: "America/Los_Angeles" }, monday)).toEqual({
      ok: false,
      reason: "off_hours",
    });
    expect(inWorkingHours(base, new Date("2026-03-07T10:00:00Z"))).toEqual({ ok: false, reason: "off_day" });
    // Night shift 22:00–06:00, Monday to Friday: Saturday 03:00 still belongs to Friday's shift.
    const night = { ...base, timeZone: "UTC", workStart: 22 * 60, workEnd: 6 * 60 };
    expect(inWorkingHours(night, new Date("2026-03-07T03:00:00Z")).ok).toBe(true);
    expect(inWorkingHours(night, new Date("2026-03-02T03:00:00Z"))).toEqual({ ok: false, reason: "off_day" });
    expect(inWorkingHours(night, new Date("2026-03-02T12:00:00Z"))).toEqual({ ok: false, reason: "off_hours" });
  });

  it("leaves out people who are away (until the date passes), busy or at their daily cap", () => {
    const away = { ...base, availability: "away" as const, awayUntil: new Date("2026-03-05T00:00:00Z") };
    expect(reachability(away, monday, 0)).toMatchObject({ reachable: false, reason: "away" });
    expect(effectiveStatus(away, new Date("2026-03-05T00:00:01Z"))).toBe("available");
    expect(reachability(away, new Date("2026-03-05T09:00:00Z"), 0)).toEqual({ reachable: true });
    expect(reachability({ ...base, availability: "busy" }, monday, 0)).toEqual({ reachable: false, reason: "busy" });
    expect(reachability(base, monday, 2)).toEqual({ reachable: true });
    expect(reachability(base, monday, 3)).toEqual({ reachable: false, reason: "at_cap" });
  });
});
