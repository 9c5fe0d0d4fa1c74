import { eq, sql } from "drizzle-orm";
import { users } from "../../../db/schema";
import { rows, type Executor } from "../../platform/db";
import type { Actor } from "../../authz/policy";
import { reachability, type AvailabilitySettings, type Reachability } from "../../domain/availability/availability";
import type { UserOut } from "./accounts.schema";

export type UserRow = typeof users.$inferSelect;

/** The public shape of a person (never the password hash). */
export function presentUser(u: UserRow): UserOut {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    title: u.title,
    department: u.department,
    managerId: u.managerId,
    location: u.location,
    timeZone: u.timeZone,
    bio: u.bio,
    knowledgeManager: u.knowledgeManager,
    version: u.version,
    createdAt: u.createdAt.toISOString(),
  };
}

/** Finds a person by email, case-insensitively. */
export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  const found = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
    .limit(1);
  return found[0];
}

/** Finds a person by id. */
export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  const found = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return found[0];
}

/** Number of people (the first-run setup is only open while there are none). */
export async function countUsers(db: Executor): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return Number(r?.n ?? 0);
}

/**
 * A person as other features show them beside their content: id, name, title and, for imported people, where they came
 * from.
 */
type PersonCard = { id: string; name: string; title: string; sourceUrl: string | null };

/** People by id, in one query — the one place features get names for ids (unknown ids are absent). */
export async function peopleByIds(
  db: Executor,
  ids: readonly (string | null | undefined)[],
): Promise<Map<string, PersonCard>> {
  const wanted = [...new Set(ids.filter((i): i is string => typeof i === "string" && i !== ""))];
  if (wanted.length === 0) return new Map();
  const found = await db
    .select({ id: users.id, name: users.name, title: users.title, sourceUrl: users.sourceUrl })
    .from(users)
    .where(
      sql`${users.id} in (${sql.join(
        wanted.map((i) => sql`${i}::uuid`),
        sql`, `,
      )})`,
    );
  return new Map(found.map((p) => [p.id, p]));
}

/** Names by id (a convenience over peopleByIds). */
export async function namesByIds(
  db: Executor,
  ids: readonly (string | null | undefined)[],
): Promise<Map<string, string>> {
  return new Map([...(await peopleByIds(db, ids))].map(([id, p]) => [id, p.name]));
}

/** A person with their availability settings, as routing and the availability pages need them. */
export type PersonRow = {
  id: string;
  name: string;
  role: Actor["role"];
  department: string;
  title: string;
  availability: AvailabilitySettings["availability"];
  away_until: Date | string | null;
  time_zone: string;
  work_start: number;
  work_end: number;
  work_days: number[];
  daily_cap: number;
  deactivated_at: Date | string | null;
  can_sign_in: boolean;
  knowledge_manager: boolean;
};

const PERSON_COLUMNS = sql`id, name, role, department, title, availability, away_until, time_zone, work_start, work_end, work_days, daily_cap, deactivated_at, password_hash is not null as can_sign_in, knowledge_manager`;

/** A person's availability settings for the reachability rules. */
export function settingsOf(p: PersonRow): AvailabilitySettings {
  return {
    availability: p.availability,
    awayUntil: p.away_until ? new Date(p.away_until) : null,
    timeZone: p.time_zone,
    workStart: p.work_start,
    workEnd: p.work_end,
    workDays: p.work_days,
    dailyCap: p.daily_cap,
  };
}

/** Whether the router may ask this person now, and why not. */
export function reachabilityOf(p: PersonRow, now: Date, today: number): Reachability {
  return reachability(settingsOf(p), now, today);
}

/** People with their availability by id, in one query (unknown ids are absent). */
export async function loadPeople(db: Executor, ids: string[]): Promise<Map<string, PersonRow>> {
  if (ids.length === 0) return new Map();
  const found = await rows<PersonRow>(
    db,
    sql`select ${PERSON_COLUMNS} from users where id in (${sql.join(
      [...new Set(ids)].map((i) => sql`${i}::uuid`),
      sql`, `,
    )})`,
  );
  return new Map(found.map((p) => [p.id, p]));
}
