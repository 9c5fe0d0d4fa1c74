import { describe, expect, it } from "vitest";
import { crossDepartmentShare, promoteFromWaitlist, utcToZoned, zonedToUtc } from "./sessions";

describe("session times", () => {
  it("reads a wall-clock time in its zone across the daylight-saving change", () => {
    expect(zonedToUtc("2026-11-05T10:00", "Europe/Berlin").toISOString()).toBe("2026-11-05T09:00:00.000Z");
    expect(zonedToUtc("2026-10-20T10:00", "Europe/Berlin").toISOString()).toBe("2026-10-20T08:00:00.000Z");
    expect(zonedToUtc("2026-07-01T10:00", "America/New_York").toISOString()).toBe("2026-07-01T14:00:00.000Z");
    expect(zonedToUtc("2026-07-01T10:00", "UTC").toISOString()).toBe("2026-07-01T10:00:00.000Z");
  });
  it("shows an instant in its zone", () => {
    expect(utcToZoned(new Date("2026-11-05T09:00:00Z"), "Europe/Berlin")).toBe("2026-11-05T10:00");
  });
});

describe("waiting list", () => {
  it("promotes the earliest queued", () => {
    const seats = [
      { userId: "c", status: "waitlisted" as const, queuedAt: 3 },
      { userId: "a", status: "going" as const, queuedAt: null },
      { userId: "b", status: "waitlisted" as const, queuedAt: 2 },
    ];
    expect(promoteFromWaitlist(seats, 1)).toEqual(["b"]);
    expect(promoteFromWaitlist(seats, 5)).toEqual(["b", "c"]);
    expect(promoteFromWaitlist(seats, 0)).toEqual([]);
  });
  it("counts attendees from other departments", () => {
    expect(crossDepartmentShare(["Sales", "Eng", "Sales", "Eng"], ["Eng"])).toBe(0.5);
    expect(crossDepartmentShare([], ["Eng"])).toBeNull();
  });
});
