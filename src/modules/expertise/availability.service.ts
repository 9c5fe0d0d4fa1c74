import { eq, sql } from "drizzle-orm";
import { users } from "../../../db/schema";
import { rows, type Executor } from "../../platform/db";
import type { AppContext } from "../../context";
import { invalidField, notFound } from "../../platform/errors";
import type { Actor } from "../../authz/policy";
import { readableSql } from "../../authz/audience";
import { effectiveStatus, localTime } from "../../domain/availability/availability";
import { loadPeople, reachabilityOf, type PersonRow } from "../accounts/users";

// Availability as the directory, profiles and routing see it: a person's settings (accounts) and
// their load, the routed requests they received today and still have open.

/**
 * Routed requests each person received since their local midnight, and how many they still have
 * open. With a viewer, `todayShown` counts only the requests on questions the viewer may read (what
 * pages may show); `today` always counts all of them (the daily cap).
 */
export async function loadCounts(
  db: Executor,
  people: PersonRow[],
  now: Date,
  viewer?: Actor,
): Promise<Map<string, { today: number; pending: number; todayShown: number }>> {
  const out = new Map(people.map((p) => [p.id, { today: 0, pending: 0, todayShown: 0 }]));
  if (people.length === 0) return out;
  const ids = sql.join(
    people.map((p) => sql`${p.id}::uuid`),
    sql`, `,
  );
  const since = new Date(now.getTime() - 50 * 3_600_000);
  const readable = viewer ? readableSql(viewer, "question", "q") : sql`true`;
  const recent = await rows<{ expert_id: string; created_at: Date | string; status: string; readable: boolean }>(
    db,
    sql`select r.expert_id, r.created_at, r.status, ${readable} as readable from routing_requests r join questions q on q.id = r.question_id
        where r.expert_id in (${ids}) and (r.created_at > ${since} or r.status = 'pending')`,
  );
  const tz = new Map(people.map((p) => [p.id, p.time_zone]));
  const today = new Map(people.map((p) => [p.id, localTime(now, p.time_zone).day]));
  for (const r of recent) {
    const c = out.get(r.expert_id)!;
    if (r.status === "pending") c.pending++;
    const at = new Date(r.created_at);
    if (at.getTime() > since.getTime() && localTime(at, tz.get(r.expert_id)!).day === today.get(r.expert_id)) {
      c.today++;
      if (r.readable) c.todayShown++;
    }
  }
  return out;
}

/**
 * What the directory and profiles show about someone's availability right now. `today` (all
 * requests received today) decides reachability; `shownToday` is the count the viewer may see:
 * requests on questions they can read.
 */
export function presentAvailability(p: PersonRow, now: Date, today: number, shownToday = today) {
  const reach = reachabilityOf(p, now, today);
  const local = localTime(now, p.time_zone);
  return {
    status: effectiveStatus(
      { availability: p.availability, awayUntil: p.away_until ? new Date(p.away_until) : null },
      now,
    ),
    awayUntil: p.away_until ? new Date(p.away_until).toISOString() : null,
    timeZone: p.time_zone,
    workStart: p.work_start,
    workEnd: p.work_end,
    workDays: p.work_days,
    dailyCap: p.daily_cap,
    localTime: `${String(Math.floor(local.minutes / 60)).padStart(2, "0")}:${String(local.minutes % 60).padStart(2, "0")}`,
    reachable: reach.reachable,
    notReachableBecause: reach.reachable ? null : reach.reason,
    requestsToday: shownToday,
  };
}

type AvailabilityInput = {
  availability: "available" | "busy" | "away";
  awayUntil: string | null;
  timeZone: string;
  workStart: number;
  workEnd: number;
  workDays: number[];
  dailyCap: number;
};

/** The actor's own availability, working hours and daily cap. */
export async function setAvailability(ctx: AppContext, actor: Actor, input: AvailabilityInput) {
  const awayUntil = input.awayUntil ? new Date(input.awayUntil) : null;
  if (input.availability === "away" && awayUntil && awayUntil.getTime() <= ctx.now().getTime())
    throw invalidField("awayUntil", "must be in the future");
  await ctx.db
    .update(users)
    .set({
      availability: input.availability,
      awayUntil: input.availability === "away" ? awayUntil : null,
      timeZone: input.timeZone,
      workStart: input.workStart,
      workEnd: input.workEnd,
      workDays: [...new Set(input.workDays)].sort(),
      dailyCap: input.dailyCap,
    })
    .where(eq(users.id, actor.id));
  const p = (await loadPeople(ctx.db, [actor.id])).get(actor.id)!;
  const counts = await loadCounts(ctx.db, [p], ctx.now(), actor);
  return presentAvailability(p, ctx.now(), counts.get(p.id)?.today ?? 0, counts.get(p.id)?.todayShown ?? 0);
}

export async function getAvailability(ctx: AppContext, actor: Actor) {
  const p = (await loadPeople(ctx.db, [actor.id])).get(actor.id);
  if (!p) throw notFound("Person not found");
  const counts = await loadCounts(ctx.db, [p], ctx.now(), actor);
  return presentAvailability(p, ctx.now(), counts.get(p.id)?.today ?? 0, counts.get(p.id)?.todayShown ?? 0);
}
