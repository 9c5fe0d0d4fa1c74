import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import {
  cohortMembers,
  cohortPhases,
  cohortPins,
  cohortUnits,
  cohorts,
  learningPaths,
  pathEnrolments,
  spaceMembers,
} from "../../../db/schema";
import type { AppContext } from "../../context";
import { rows, type Executor } from "../../platform/db";
import { AppError, invalidField, notFound } from "../../platform/errors";
import { authorize, can, type Actor, type CohortSubject } from "../../authz/policy";
import { reshuffle } from "../../domain/cohorts/reshuffle";
import { insertSpace } from "../spaces/spaces.service";
import type { CohortIn, CohortOut, PinIn, SyncIn } from "./cohorts.schema";

const DAY = 86_400_000;
const iso = (d: Date | string) => new Date(d).toISOString();
type CohortRow = typeof cohorts.$inferSelect;
type PhaseRow = typeof cohortPhases.$inferSelect;
type UnitRow = typeof cohortUnits.$inferSelect;
type Person = { id: string; name: string; department: string; evidence: boolean; dropped: boolean };

const list = (ids: readonly string[]) =>
  sql.join(
    ids.map((i) => sql`${i}::uuid`),
    sql`, `,
  );

async function subjectFor(db: Executor, actor: Actor, id: string): Promise<{ row: CohortRow; subject: CohortSubject }> {
  const [row] = await db.select().from(cohorts).where(eq(cohorts.id, id));
  if (!row) throw notFound("Cohort not found");
  const [m] = await db
    .select({ userId: cohortMembers.userId })
    .from(cohortMembers)
    .where(and(eq(cohortMembers.cohortId, id), eq(cohortMembers.userId, actor.id)));
  const subject: CohortSubject = { kind: "cohort", id, member: Boolean(m) };
  authorize(actor, "read", subject);
  return { row, subject };
}

/** Members with their department and whether they have shown knowledge of the path's topics (open content). */
async function membersOf(db: Executor, cohort: CohortRow, topics: string[]): Promise<Person[]> {
  const tags = topics.length
    ? sql`array[${sql.join(
        topics.map((t) => sql`${t}`),
        sql`, `,
      )}]::text[]`
    : sql`'{}'::text[]`;
  const found = await rows<{ id: string; name: string; department: string; dropped: boolean; evidence: boolean }>(
    db,
    sql`select u.id, u.name, u.department, m.dropped_at is not null as dropped,
          (exists (select 1 from answers a join questions q on q.id = a.question_id
                   where a.author_id = u.id and a.deleted_at is null and q.deleted_at is null
                     and q.space_id is null and q.community_id is null and q.tags && ${tags})
           or exists (select 1 from articles ar join spaces s on s.id = ar.space_id
                      where ar.owner_id = u.id and ar.status = 'published' and ar.deleted_at is null
                        and s.visibility = 'public' and ar.tags && ${tags})
           or exists (select 1 from path_enrolments e where e.user_id = u.id and e.path_id = ${cohort.pathId}
                      and e.completed_at is not null and e.enrolled_at < ${iso(cohort.createdAt)}::timestamptz)) as evidence
        from cohort_members m join users u on u.id = m.user_id
        where m.cohort_id = ${cohort.id} order by u.name, u.id`,
  );
  return found.map((r) => ({ ...r, evidence: Boolean(r.evidence), dropped: Boolean(r.dropped) }));
}

async function phasesOf(db: Executor, cohortId: string): Promise<{ phase: PhaseRow; units: UnitRow[] }[]> {
  const phases = await db
    .select()
    .from(cohortPhases)
    .where(eq(cohortPhases.cohortId, cohortId))
    .orderBy(cohortPhases.number);
  const units = phases.length
    ? await rows<{ id: string; phase_id: string; number: number; lead_id: string | null; member_ids: string[] }>(
        db,
        sql`select id, phase_id, number, lead_id, member_ids from cohort_units
            where phase_id in (${list(phases.map((p) => p.id))}) order by number`,
      )
    : [];
  return phases.map((phase) => ({
    phase,
    units: units
      .filter((u) => u.phase_id === phase.id)
      .map((u) => ({ id: u.id, phaseId: u.phase_id, number: u.number, leadId: u.lead_id, memberIds: u.member_ids })),
  }));
}

async function pathOf(db: Executor, pathId: string) {
  const [p] = await db.select().from(learningPaths).where(eq(learningPaths.id, pathId));
  if (!p) throw notFound("Learning path not found");
  const steps = await rows<{ id: string; position: number }>(
    db,
    sql`select id, position from path_steps where path_id = ${pathId} order by position`,
  );
  return { path: p, steps };
}

// ---------- Presenting: units with reasons, the dashboard and the warnings ----------

export async function presentCohort(
  ctx: AppContext,
  actor: Actor,
  id: string,
  db: Executor = ctx.db,
): Promise<CohortOut> {
  const { row: c, subject } = await subjectFor(db, actor, id);
  const { path, steps } = await pathOf(db, c.pathId);
  const people = await membersOf(db, c, path.topics);
  const byId = new Map(people.map((p) => [p.id, p]));
  const phases = await phasesOf(db, c.id);
  const ids = people.map((p) => p.id);
  const now = ctx.now();
  // Progress per member: completed steps by position, with first-attempt check results and recency.
  const progress = ids.length
    ? await rows<{ user_id: string; position: number; first_passed: boolean | null; completed_at: Date | string }>(
        db,
        sql`select e.user_id, s.position, pr.first_passed, pr.completed_at
            from path_progress pr join path_enrolments e on e.id = pr.enrolment_id join path_steps s on s.id = pr.step_id
            where e.path_id = ${c.pathId} and e.user_id in (${list(ids)}) and pr.completed_at is not null`,
      )
    : [];
  // Help ties (answers and comments on questions) between colleagues, with when they formed.
  const ties = ids.length
    ? await rows<{ a: string; b: string; at: Date | string }>(
        db,
        sql`select a.author_id as a, q.author_id as b, a.created_at as at from answers a join questions q on q.id = a.question_id
            where a.deleted_at is null and (a.author_id in (${list(ids)}) or q.author_id in (${list(ids)})) and a.author_id <> q.author_id
            union all
            select cm.author_id, q.author_id, cm.created_at from comments cm join questions q on cm.post_type = 'question' and q.id = cm.post_id
            where cm.deleted_at is null and (cm.author_id in (${list(ids)}) or q.author_id in (${list(ids)})) and cm.author_id <> q.author_id`,
      )
    : [];
  const inCohort = new Set(ids);
  const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  const before = new Set<string>();
  const since = new Set<string>();
  for (const t of ties)
    if (inCohort.has(t.a) && inCohort.has(t.b)) (new Date(t.at) < c.createdAt ? before : since).add(pairKey(t.a, t.b));
  for (const k of before) since.delete(k);

  const started = phases.filter((p) => p.phase.status === "running" || p.phase.status === "done");
  const met = new Set<string>();
  for (const p of started)
    for (const u of p.units)
      for (let x = 0; x < u.memberIds.length; x++)
        for (let y = x + 1; y < u.memberIds.length; y++) met.add(pairKey(u.memberIds[x], u.memberIds[y]));
  const ledCount = new Map<string, number>();
  const current = phases.find((p) => p.phase.status === "running") ?? null;
  const active = people.filter((p) => !p.dropped);
  const recent = new Set(
    progress.filter((r) => new Date(r.completed_at).getTime() > now.getTime() - 14 * DAY).map((r) => r.user_id),
  );

  const presentUnits = (entry: { phase: PhaseRow; units: UnitRow[] }, metBefore: Set<string>) => {
    const { phase } = entry;
    const span = phase.toStep - phase.fromStep + 1;
    return entry.units.map((u) => {
      const members = u.memberIds.map((m) => byId.get(m)).filter((p): p is Person => p !== undefined && !p.dropped);
      const mine = progress.filter(
        (r) => u.memberIds.includes(r.user_id) && r.position >= phase.fromStep && r.position <= phase.toStep,
      );
      const checks = mine.filter((r) => r.first_passed !== null);
      const deps = new Set(members.map((m) => m.department));
      let pairs = 0;
      let fresh = 0;
      for (let x = 0; x < members.length; x++)
        for (let y = x + 1; y < members.length; y++) {
          pairs++;
          if (!metBefore.has(pairKey(members[x].id, members[y].id))) fresh++;
        }
      const inUnit = new Set(u.memberIds);
      const outsideTies = ties.filter(
        (t) => (inUnit.has(t.a) && !inUnit.has(t.b)) || (inUnit.has(t.b) && !inUnit.has(t.a)),
      ).length;
      const lead = u.leadId ? (byId.get(u.leadId) ?? null) : null;
      const experts = members.filter((m) => m.evidence).map((m) => m.name);
      const reasons = [
        `${fresh} of ${pairs} pairings are new`,
        `${deps.size} ${deps.size === 1 ? "department" : "departments"}: ${[...deps].join(", ")}`,
        experts.length
          ? `Knows the topics already: ${experts.join(", ")}`
          : "Nobody here has shown the path's topics yet",
      ];
      if (lead)
        reasons.push(
          `Lead: ${lead.name}, who has led ${ledCount.get(lead.id) ?? 0} ${(ledCount.get(lead.id) ?? 0) === 1 ? "time" : "times"} before`,
        );
      return {
        id: u.id,
        number: u.number,
        lead: lead ? { id: lead.id, name: lead.name } : null,
        members: members.map((m) => ({ id: m.id, name: m.name, department: m.department, evidence: m.evidence })),
        departments: deps.size,
        reasons,
        progress: members.length ? Math.round((mine.length / members.length) * 10) / 10 : 0,
        checkScore: checks.length ? checks.filter((r) => r.first_passed).length / checks.length : null,
        active: members.filter((m) => recent.has(m.id)).length,
        outsideTies,
        span,
      };
    });
  };

  const metSoFar = new Set<string>();
  const phasesOut = phases.map((entry) => {
    const units = presentUnits(entry, metSoFar);
    if (entry.phase.status === "running" || entry.phase.status === "done") {
      for (const u of entry.units) {
        if (u.leadId) ledCount.set(u.leadId, (ledCount.get(u.leadId) ?? 0) + 1);
        for (let x = 0; x < u.memberIds.length; x++)
          for (let y = x + 1; y < u.memberIds.length; y++) metSoFar.add(pairKey(u.memberIds[x], u.memberIds[y]));
      }
    }
    return {
      id: entry.phase.id,
      number: entry.phase.number,
      fromStep: entry.phase.fromStep,
      toStep: entry.phase.toStep,
      startsOn: entry.phase.startsOn,
      endsOn: entry.phase.endsOn,
      status: entry.phase.status,
      sync:
        entry.phase.syncStep !== null && entry.phase.syncOn !== null
          ? { step: entry.phase.syncStep, by: entry.phase.syncOn }
          : null,
      explanation: entry.phase.explanation ?? null,
      units: units.map(({ span: _span, ...u }) => u),
    };
  });

  const warnings: CohortOut["warnings"] = [];
  const cur = current ? phasesOut.find((p) => p.id === current.phase.id)! : null;
  if (cur && cur.units.length > 1) {
    const ps = cur.units.map((u) => u.progress);
    const spread = Math.max(...ps) - Math.min(...ps);
    if (spread >= c.spreadThreshold) {
      const ahead = cur.units.find((u) => u.progress === Math.max(...ps))!;
      const behind = cur.units.find((u) => u.progress === Math.min(...ps))!;
      warnings.push({
        kind: "spread",
        unit: ahead.number,
        text: `Unit ${ahead.number} is ${Math.round(spread * 10) / 10} steps ahead of unit ${behind.number}: set a sync point so the units meet again.`,
      });
    }
    for (const u of cur.units)
      if (u.outsideTies === 0)
        warnings.push({
          kind: "insular",
          unit: u.number,
          text: `Unit ${u.number} has no help ties outside itself: point it at the cohort feed or a session with another unit.`,
        });
    const small = Math.max(2, c.unitSize - 2);
    for (const u of cur.units)
      if (u.members.length < small)
        warnings.push({
          kind: "small",
          unit: u.number,
          text: `Unit ${u.number} has only ${u.members.length} active ${u.members.length === 1 ? "member" : "members"} after drop-outs: rebalance.`,
        });
  }
  const [space] = c.spaceId
    ? await rows<{ id: string; name: string }>(db, sql`select id, name from spaces where id = ${c.spaceId}`)
    : [];
  const pins = await rows<{ a: string; b: string; kind: "together" | "apart" }>(
    db,
    sql`select a_id as a, b_id as b, kind from cohort_pins where cohort_id = ${c.id}`,
  );
  const ref = (pid: string) => ({ id: pid, name: byId.get(pid)?.name ?? "Former colleague" });
  const n = active.length;
  return {
    id: c.id,
    name: c.name,
    path: { id: path.id, title: path.title, steps: steps.length },
    unitSize: c.unitSize,
    minDepartments: c.minDepartments,
    spreadThreshold: c.spreadThreshold,
    status: c.status,
    space: space ?? null,
    createdAt: iso(c.createdAt),
    members: people.map((p) => ({
      id: p.id,
      name: p.name,
      department: p.department,
      evidence: p.evidence,
      dropped: p.dropped,
    })),
    phases: phasesOut,
    currentPhase: current?.phase.number ?? 0,
    pins: pins.map((p) => ({ a: ref(p.a), b: ref(p.b), kind: p.kind })),
    warnings,
    dashboard: {
      participation: n ? active.filter((p) => recent.has(p.id)).length / n : 0,
      tiesBefore: before.size,
      tiesSince: since.size,
      pairsMet: met.size,
      pairsPossible: (n * (n - 1)) / 2,
    },
    can: { manage: can(actor, "manage", subject) },
  };
}

// ---------- Running a cohort ----------

export async function listCohorts(ctx: AppContext, actor: Actor) {
  const manager = can(actor, "createCohort", { kind: "instance" });
  const found = await rows<{
    id: string;
    name: string;
    path_title: string;
    members: number;
    current_phase: number | null;
    phases: number;
    status: "running" | "closed";
    my_unit: number | null;
  }>(
    ctx.db,
    sql`select c.id, c.name, p.title as path_title, c.status,
          (select count(*)::int from cohort_members m where m.cohort_id = c.id and m.dropped_at is null) as members,
          (select max(number) from cohort_phases ph where ph.cohort_id = c.id and ph.status = 'running') as current_phase,
          (select count(*)::int from cohort_phases ph where ph.cohort_id = c.id) as phases,
          (select u.number from cohort_units u join cohort_phases ph on ph.id = u.phase_id
            where ph.cohort_id = c.id and ph.status = 'running' and ${actor.id}::uuid = any(u.member_ids) limit 1) as my_unit
        from cohorts c join learning_paths p on p.id = c.path_id
        where ${manager} or exists (select 1 from cohort_members m where m.cohort_id = c.id and m.user_id = ${actor.id})
        order by c.created_at desc limit 200`,
  );
  return {
    items: found.map((r) => ({
      id: r.id,
      name: r.name,
      pathTitle: r.path_title,
      members: r.members,
      currentPhase: r.current_phase ?? 0,
      phases: r.phases,
      status: r.status,
      myUnit: r.my_unit,
    })),
    can: { create: manager },
  };
}

async function checkPeople(db: Executor, ids: string[], field: string): Promise<Map<string, string>> {
  const found = await rows<{ id: string; name: string }>(
    db,
    sql`select id, name from users where id in (${list(ids)}) and deactivated_at is null and role <> 'guest'`,
  );
  const known = new Map(found.map((r) => [r.id, r.name]));
  const bad = ids.findIndex((i) => !known.has(i));
  if (bad >= 0) throw invalidField(`${field}.${bad}`, "no such colleague (guests do not join cohorts)");
  return known;
}

export async function createCohort(ctx: AppContext, actor: Actor, input: z.infer<typeof CohortIn>) {
  authorize(actor, "createCohort", { kind: "instance" });
  const [p] = await ctx.db.select().from(learningPaths).where(eq(learningPaths.id, input.pathId));
  if (!p || p.status !== "published") throw invalidField("pathId", "choose a published learning path");
  const { steps } = await pathOf(ctx.db, p.id);
  input.phases.forEach((ph, i) => {
    if (ph.toStep < ph.fromStep) throw invalidField(`phases.${i}.toStep`, "must not be before the first step");
    if (ph.toStep > steps.length) throw invalidField(`phases.${i}.toStep`, `the path has ${steps.length} steps`);
    if (ph.endsOn < ph.startsOn) throw invalidField(`phases.${i}.endsOn`, "must not be before the start");
    if (i > 0 && ph.startsOn < input.phases[i - 1].endsOn)
      throw invalidField(`phases.${i}.startsOn`, "must not be before the previous phase ends");
  });
  const memberIds = [...new Set(input.memberIds)];
  if (memberIds.length < 4) throw invalidField("memberIds", "a cohort needs at least 4 different people");
  await checkPeople(ctx.db, memberIds, "memberIds");
  const now = ctx.now();
  const id = await ctx.db.transaction(async (tx) => {
    const spaceId = await insertSpace(
      tx,
      actor,
      {
        name: `Cohort: ${input.name}`.slice(0, 80),
        description: `The cohort-wide feed of ${input.name}, on the path ${p.title}.`.slice(0, 500),
        visibility: "private",
        memberAccess: "editor",
      },
      now,
    );
    await tx
      .insert(spaceMembers)
      .values(memberIds.map((userId) => ({ spaceId, userId, role: "editor" as const })))
      .onConflictDoNothing();
    const [c] = await tx
      .insert(cohorts)
      .values({
        name: input.name,
        pathId: p.id,
        unitSize: input.unitSize,
        minDepartments: input.minDepartments,
        spaceId,
        createdBy: actor.id,
        createdAt: now,
      })
      .returning({ id: cohorts.id });
    await tx.insert(cohortMembers).values(memberIds.map((userId) => ({ cohortId: c.id, userId, joinedAt: now })));
    await tx.insert(cohortPhases).values(
      input.phases.map((ph, i) => ({
        cohortId: c.id,
        number: i + 1,
        fromStep: ph.fromStep,
        toStep: ph.toStep,
        startsOn: ph.startsOn,
        endsOn: ph.endsOn,
      })),
    );
    // Everyone follows the path: enrolled (an existing enrolment is kept), due at the end of the last phase.
    await tx
      .insert(pathEnrolments)
      .values(
        memberIds.map((userId) => ({
          pathId: p.id,
          userId,
          assignedBy: actor.id,
          dueOn: input.phases[input.phases.length - 1].endsOn,
          enrolledAt: now,
        })),
      )
      .onConflictDoNothing();
    return c.id;
  });
  await proposeNext(ctx, actor, id);
  return presentCohort(ctx, actor, id);
}

async function managed(db: Executor, actor: Actor, id: string) {
  const { row, subject } = await subjectFor(db, actor, id);
  authorize(actor, "manage", subject);
  if (row.status !== "running") throw new AppError("conflict", "This cohort is closed");
  return row;
}

/**
 * Proposes the units of the next phase not started: the reshuffle keeps the phases already run as they
 * were (without those who dropped out), maximises new pairings, keeps the department mix and someone
 * with evidence in every unit, and honours pins. Leads rotate: least-led first, never the lead of the
 * phase before while anyone else in the unit can lead.
 */
export async function proposeNext(ctx: AppContext, actor: Actor, id: string) {
  await ctx.db.transaction(async (tx) => {
    const c = await managed(tx, actor, id);
    await tx.select().from(cohorts).where(eq(cohorts.id, id)).for("update");
    const { path } = await pathOf(tx, c.pathId);
    const people = (await membersOf(tx, c, path.topics)).filter((p) => !p.dropped);
    const phases = await phasesOf(tx, id);
    const next = phases.find((p) => p.phase.status === "planned" || p.phase.status === "proposed");
    if (!next) throw new AppError("conflict", "Every phase has started; there is nothing to propose");
    const index = new Map(people.map((p, i) => [p.id, i]));
    const past = phases.filter((p) => p.phase.number < next.phase.number && p.units.length);
    const fixed = past.map((p) =>
      p.units.map((u) => u.memberIds.map((m) => index.get(m)).filter((i): i is number => i !== undefined)),
    );
    const pins = await rows<{ a: string; b: string; kind: "together" | "apart" }>(
      tx,
      sql`select a_id as a, b_id as b, kind from cohort_pins where cohort_id = ${id}`,
    );
    const pair = (r: { a: string; b: string }) =>
      index.has(r.a) && index.has(r.b) ? ([index.get(r.a)!, index.get(r.b)!] as const) : null;
    const schedule = reshuffle({
      people: people.map((p) => ({ department: p.department, evidence: p.evidence })),
      unitSize: c.unitSize,
      phases: fixed.length + 1,
      minDepartments: c.minDepartments,
      requireEvidence: true,
      together: pins
        .filter((r) => r.kind === "together")
        .map(pair)
        .filter((x) => x !== null),
      apart: pins
        .filter((r) => r.kind === "apart")
        .map(pair)
        .filter((x) => x !== null),
      fixed,
      seed: next.phase.number,
      timeLimitMs: 1500,
    });
    const units = schedule.phases[schedule.phases.length - 1];
    // Leads: from the leads actually chosen in the phases run so far.
    const led = new Map<string, number>();
    for (const p of past) for (const u of p.units) if (u.leadId) led.set(u.leadId, (led.get(u.leadId) ?? 0) + 1);
    const previous = new Set(past.length ? past[past.length - 1].units.map((u) => u.leadId) : []);
    const metBefore = new Set<string>();
    for (const p of fixed)
      for (const u of p) for (const x of u) for (const y of u) if (x < y) metBefore.add(`${x}|${y}`);
    let newPairs = 0;
    let repeated = 0;
    for (const u of units)
      for (const x of u)
        for (const y of u)
          if (x < y) {
            if (metBefore.has(`${x}|${y}`)) repeated++;
            else newPairs++;
          }
    await tx.delete(cohortUnits).where(eq(cohortUnits.phaseId, next.phase.id));
    await tx.insert(cohortUnits).values(
      units.map((u, k) => {
        const ids = u.map((i) => people[i].id);
        const pool = ids.filter((m) => !previous.has(m));
        const lead = (pool.length ? pool : ids).reduce((best, m) =>
          (led.get(m) ?? 0) < (led.get(best) ?? 0) ? m : best,
        );
        return { phaseId: next.phase.id, number: k + 1, leadId: lead, memberIds: ids };
      }),
    );
    await tx
      .update(cohortPhases)
      .set({
        status: "proposed",
        explanation: {
          newPairs,
          repeatedPairs: repeated,
          totalPairs: newPairs + repeated,
          ms: Math.round(schedule.ms),
        },
      })
      .where(eq(cohortPhases.id, next.phase.id));
  });
  return presentCohort(ctx, actor, id);
}

/** Ends the running phase and starts the proposed one (proposing it first if needed). */
export async function startPhase(ctx: AppContext, actor: Actor, id: string) {
  const phases = await phasesOf(ctx.db, id);
  const next = phases.find((p) => p.phase.status === "planned" || p.phase.status === "proposed");
  if (next && next.phase.status === "planned") await proposeNext(ctx, actor, id);
  await ctx.db.transaction(async (tx) => {
    await managed(tx, actor, id);
    await tx.select().from(cohorts).where(eq(cohorts.id, id)).for("update");
    const fresh = await phasesOf(tx, id);
    const proposed = fresh.find((p) => p.phase.status === "proposed");
    if (!proposed) throw new AppError("conflict", "Every phase has started; the cohort is in its last phase");
    await tx
      .update(cohortPhases)
      .set({ status: "done" })
      .where(and(eq(cohortPhases.cohortId, id), eq(cohortPhases.status, "running")));
    await tx.update(cohortPhases).set({ status: "running" }).where(eq(cohortPhases.id, proposed.phase.id));
    await tx
      .update(cohorts)
      .set({ version: sql`${cohorts.version} + 1` })
      .where(eq(cohorts.id, id));
  });
  return presentCohort(ctx, actor, id);
}

export async function setPin(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof PinIn>) {
  await managed(ctx.db, actor, id);
  if (input.aId === input.bId) throw invalidField("bId", "choose two different people");
  const [a, b] = input.aId < input.bId ? [input.aId, input.bId] : [input.bId, input.aId];
  const members = await rows<{ user_id: string }>(
    ctx.db,
    sql`select user_id from cohort_members where cohort_id = ${id} and user_id in (${list([a, b])})`,
  );
  if (members.length !== 2) throw invalidField("aId", "both people must be in the cohort");
  await ctx.db.delete(cohortPins).where(and(eq(cohortPins.cohortId, id), eq(cohortPins.aId, a), eq(cohortPins.bId, b)));
  if (input.kind !== "none") await ctx.db.insert(cohortPins).values({ cohortId: id, aId: a, bId: b, kind: input.kind });
  return presentCohort(ctx, actor, id);
}

export async function addMembers(ctx: AppContext, actor: Actor, id: string, userIds: string[]) {
  const c = await managed(ctx.db, actor, id);
  const ids = [...new Set(userIds)];
  await checkPeople(ctx.db, ids, "userIds");
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(cohortMembers)
      .values(ids.map((userId) => ({ cohortId: id, userId, joinedAt: now })))
      .onConflictDoUpdate({ target: [cohortMembers.cohortId, cohortMembers.userId], set: { droppedAt: null } });
    if (c.spaceId)
      await tx
        .insert(spaceMembers)
        .values(ids.map((userId) => ({ spaceId: c.spaceId!, userId, role: "editor" as const })))
        .onConflictDoNothing();
    await tx
      .insert(pathEnrolments)
      .values(ids.map((userId) => ({ pathId: c.pathId, userId, assignedBy: actor.id, enrolledAt: now })))
      .onConflictDoNothing();
  });
  return presentCohort(ctx, actor, id);
}

export async function dropMember(ctx: AppContext, actor: Actor, id: string, userId: string) {
  await managed(ctx.db, actor, id);
  const done = await ctx.db
    .update(cohortMembers)
    .set({ droppedAt: ctx.now() })
    .where(and(eq(cohortMembers.cohortId, id), eq(cohortMembers.userId, userId)))
    .returning({ userId: cohortMembers.userId });
  if (!done.length) throw notFound("Not a member of this cohort");
  return presentCohort(ctx, actor, id);
}

/**
 * After drop-outs: units of the running phase that fell below the smallest workable size are dissolved
 * and their members spread over the smallest remaining units (preferring units where they meet the most
 * new people); a unit whose lead left gets the member who has led least.
 */
export async function rebalance(ctx: AppContext, actor: Actor, id: string) {
  await ctx.db.transaction(async (tx) => {
    const c = await managed(tx, actor, id);
    await tx.select().from(cohorts).where(eq(cohorts.id, id)).for("update");
    const phases = await phasesOf(tx, id);
    const running = phases.find((p) => p.phase.status === "running");
    if (!running) throw new AppError("conflict", "No phase is running");
    const dropped = new Set(
      (
        await rows<{ user_id: string }>(
          tx,
          sql`select user_id from cohort_members where cohort_id = ${id} and dropped_at is not null`,
        )
      ).map((r) => r.user_id),
    );
    const met = new Set<string>();
    for (const p of phases)
      if (p.phase.status === "done")
        for (const u of p.units) for (const x of u.memberIds) for (const y of u.memberIds) met.add(`${x}|${y}`);
    const led = new Map<string, number>();
    for (const p of phases)
      if (p.phase.status === "done")
        for (const u of p.units) if (u.leadId) led.set(u.leadId, (led.get(u.leadId) ?? 0) + 1);
    let units = running.units.map((u) => ({ ...u, memberIds: u.memberIds.filter((m) => !dropped.has(m)) }));
    const minimum = Math.max(2, c.unitSize - 2);
    for (;;) {
      units.sort((a, b) => a.memberIds.length - b.memberIds.length);
      if (units.length < 2 || units[0].memberIds.length >= minimum) break;
      const [gone, ...rest] = units;
      for (const m of gone.memberIds) {
        const target = rest
          .slice()
          .sort(
            (a, b) =>
              a.memberIds.length - b.memberIds.length ||
              a.memberIds.filter((x) => met.has(`${m}|${x}`)).length -
                b.memberIds.filter((x) => met.has(`${m}|${x}`)).length,
          )[0];
        target.memberIds = [...target.memberIds, m];
      }
      units = rest;
    }
    await tx.delete(cohortUnits).where(eq(cohortUnits.phaseId, running.phase.id));
    await tx.insert(cohortUnits).values(
      units
        .sort((a, b) => a.number - b.number)
        .map((u, k) => ({
          phaseId: running.phase.id,
          number: k + 1,
          leadId:
            u.leadId && u.memberIds.includes(u.leadId)
              ? u.leadId
              : u.memberIds.reduce((best, m) => ((led.get(m) ?? 0) < (led.get(best) ?? 0) ? m : best), u.memberIds[0]),
          memberIds: u.memberIds,
        })),
    );
  });
  return presentCohort(ctx, actor, id);
}

/** A sync point in one click: every unit should reach `step` by `by` (shown on the dashboard and to members). */
export async function setSync(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof SyncIn>) {
  await managed(ctx.db, actor, id);
  const phases = await phasesOf(ctx.db, id);
  const running = phases.find((p) => p.phase.status === "running");
  if (!running) throw new AppError("conflict", "No phase is running");
  if (input.step < running.phase.fromStep || input.step > running.phase.toStep)
    throw invalidField("step", `must be a step of this phase (${running.phase.fromStep}–${running.phase.toStep})`);
  await ctx.db
    .update(cohortPhases)
    .set({ syncStep: input.step, syncOn: input.by })
    .where(eq(cohortPhases.id, running.phase.id));
  return presentCohort(ctx, actor, id);
}
