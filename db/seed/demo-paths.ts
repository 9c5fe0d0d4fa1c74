import { sql } from "drizzle-orm";
import {
  cohortMembers,
  cohortPhases,
  cohortUnits,
  cohorts,
  learningPaths,
  pathEnrolments,
  pathProgress,
  pathSteps,
  spaceMembers,
  spaces,
} from "../schema";
import { reshuffle } from "../../src/domain/cohorts/reshuffle";
import { rows, type Executor } from "../../src/platform/db";
import type { DemoOrg } from "./demo-org";

const DAY = 86_400_000;
const day = (d: Date) => d.toISOString().slice(0, 10);

type StepSeed = Omit<typeof pathSteps.$inferInsert, "pathId" | "position">;

/**
 * Learning paths alive on the first start:
 * - "Your first weeks in Operations": the operations space's published articles that newcomers ask
 *   about most (the ones with most reads by tag overlap), an answered question, a lesson and an outside
 *   link, with two checks and a reflection prompt. It is published and owned by the operations head. Its
 *   newest members are assigned it by their managers: one has completed it, one is half-way and due
 *   within the week, one is overdue. One step points at knowledge whose verification expired, so the
 *   owner sees a step to review.
 * - A draft made from the handbook space ("make a path from this space"), waiting for its owner.
 * - A running cohort on that path: twelve colleagues from several departments in units of three, the
 *   first phase done, the second running (reshuffled: nobody meets a unit-mate again, new leads), the
 *   third planned.
 */
export async function loadDemoPaths(tx: Executor, org: DemoOrg, ids: Map<string, string>, now: Date): Promise<void> {
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const admin = ids.get(org.people.find((p) => p.email === org.adminEmail)!.key)!;
  const [space] = await rows<{ id: string; name: string; owner: string }>(
    tx,
    sql`select s.id, s.name, s.created_by as owner from spaces s where s.visibility = 'public'
        order by (select count(*) from articles a where a.space_id = s.id and a.status = 'published') desc, s.name limit 1`,
  );
  if (!space) return;
  const arts = await rows<{ id: string; title: string; expired: boolean }>(
    tx,
    sql`select a.id, a.title, coalesce(v.verified_until < ${now}, false) as expired from articles a
        left join verifications v on v.subject_type = 'article' and v.subject_id = a.id
        where a.space_id = ${space.id} and a.status = 'published' and a.deleted_at is null
        order by a.created_at, a.id limit 40`,
  );
  const fresh = arts.filter((a) => !a.expired);
  const expired = arts.find((a) => a.expired);
  if (fresh.length < 3) return;
  const [question] = await rows<{ id: string; title: string }>(
    tx,
    sql`select q.id, q.title from questions q where q.accepted_answer_id is not null and q.space_id is null
          and q.community_id is null and q.deleted_at is null order by q.created_at, q.id limit 1`,
  );
  const [lesson] = await rows<{ id: string }>(
    tx,
    sql`select id from lessons where space_id is null and deleted_at is null order by created_at, id limit 1`,
  );
  const owner = space.owner;
  const created = ago(40);
  const [path] = await tx
    .insert(learningPaths)
    .values({
      title: `Your first weeks in ${space.name}`,
      goal: `What everyone new to **${space.name}** asks in the first weeks, from the knowledge colleagues keep up to date. Take a step a day.`,
      audience: "Newcomers",
      topics: ["onboarding"],
      ownerId: owner,
      status: "published",
      version: 9,
      createdAt: created,
      updatedAt: ago(20),
    })
    .returning({ id: learningPaths.id });
  const steps: StepSeed[] = [
    {
      kind: "article",
      targetId: fresh[0].id,
      note: "Start here: how the work is organised.",
      check: {
        type: "single",
        question: `Where do you find "${fresh[0].title}" when you need it again?`,
        options: ["Ask around", "In Knowhow, in this space", "In an old e-mail"],
        correct: [1],
      },
    },
    { kind: "article", targetId: fresh[1].id, reflectionPrompt: "What would you do differently tomorrow?" },
    ...(question
      ? [{ kind: "question" as const, targetId: question.id, note: "A question newcomers ask a lot." }]
      : []),
    ...(lesson ? [{ kind: "lesson" as const, targetId: lesson.id, note: "A lesson learned the hard way." }] : []),
    {
      kind: "article",
      targetId: fresh[2].id,
      check: {
        type: "short",
        question: "In one sentence: what is the first thing to check?",
        modelAnswer: "The current version in Knowhow, and who verified it.",
      },
    },
    ...(expired ? [{ kind: "article" as const, targetId: expired.id }] : []),
    {
      kind: "link",
      url: "https://www.hse.gov.uk/work-equipment-machinery/",
      title: "HSE: work equipment and machinery",
    },
  ];
  const stepIds = (
    await tx
      .insert(pathSteps)
      .values(
        steps.map((s, i) => ({
          ...s,
          pathId: path.id,
          position: i + 1,
          reviewedAt: ago(30),
          createdAt: ago(30),
        })),
      )
      .returning({ id: pathSteps.id, position: pathSteps.position })
  )
    .sort((a, b) => a.position - b.position)
    .map((s) => s.id);

  // The newest members with a manager: assigned by that manager, at different points.
  const learners = await rows<{ id: string; manager_id: string }>(
    tx,
    sql`select id, manager_id from users where role = 'member' and manager_id is not null
        order by created_at desc, email limit 4`,
  );
  const plans = [
    { done: stepIds.length, dueIn: -5, enrolled: 30 }, // completed
    { done: 3, dueIn: 4, enrolled: 12 }, // half-way, due within the week
    { done: 1, dueIn: -2, enrolled: 20 }, // overdue
    { done: 0, dueIn: 21, enrolled: 1 }, // just assigned
  ];
  for (const [i, l] of learners.entries()) {
    const plan = plans[i];
    const enrolledAt = ago(plan.enrolled);
    const [e] = await tx
      .insert(pathEnrolments)
      .values({
        pathId: path.id,
        userId: l.id,
        assignedBy: l.manager_id,
        dueOn: day(new Date(now.getTime() + plan.dueIn * DAY)),
        enrolledAt,
        lastStepId: plan.done ? stepIds[plan.done - 1] : null,
        completedAt: plan.done === stepIds.length ? ago(plan.enrolled - 9) : null,
      })
      .returning({ id: pathEnrolments.id });
    if (plan.done)
      await tx.insert(pathProgress).values(
        stepIds.slice(0, plan.done).map((stepId, k) => ({
          enrolmentId: e.id,
          stepId,
          attempts: steps[k].check ? (k === 0 && i === 2 ? 2 : 1) : 0,
          firstPassed: steps[k].check ? !(k === 0 && i === 2) : null,
          answer: null,
          startedAt: new Date(enrolledAt.getTime() + k * DAY),
          completedAt: new Date(enrolledAt.getTime() + k * DAY + 3_600_000),
        })),
      );
  }
  // A colleague who enrolled on their own and is on step 2.
  const [self] = await rows<{ id: string }>(
    tx,
    sql`select id from users where role = 'member'
          and id not in (select user_id from path_enrolments where path_id = ${path.id})
        order by created_at, email limit 1`,
  );
  if (self) {
    const [e] = await tx
      .insert(pathEnrolments)
      .values({ pathId: path.id, userId: self.id, enrolledAt: ago(6), lastStepId: stepIds[0] })
      .returning({ id: pathEnrolments.id });
    await tx.insert(pathProgress).values({
      enrolmentId: e.id,
      stepId: stepIds[0],
      attempts: 1,
      firstPassed: true,
      startedAt: ago(6),
      completedAt: ago(6),
    });
  }

  await loadDemoCohort(tx, path.id, stepIds, admin, now);

  // A draft the knowledge manager made from the handbook, to finish and publish.
  const [handbook] = await rows<{ id: string; name: string }>(
    tx,
    sql`select id, name from spaces where visibility = 'public' and id <> ${space.id} order by name limit 1`,
  );
  if (handbook) {
    const hbArticles = await rows<{ id: string }>(
      tx,
      sql`select id from articles where space_id = ${handbook.id} and status = 'published' and deleted_at is null
          order by position collate "C" nulls last, created_at, id limit 8`,
    );
    if (hbArticles.length) {
      const [draft] = await tx
        .insert(learningPaths)
        .values({
          title: `Onboarding: ${handbook.name}`,
          goal: `Find your way around ${handbook.name}.`,
          audience: "Newcomers",
          ownerId: admin,
          fromSpaceId: handbook.id,
          createdAt: ago(2),
          updatedAt: ago(2),
        })
        .returning({ id: learningPaths.id });
      await tx.insert(pathSteps).values(
        hbArticles.map((a, i) => ({
          pathId: draft.id,
          position: i + 1,
          kind: "article" as const,
          targetId: a.id,
          reviewedAt: ago(2),
          createdAt: ago(2),
        })),
      );
    }
  }
}

async function loadDemoCohort(tx: Executor, pathId: string, stepIds: string[], admin: string, now: Date) {
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  // Three members from each of four departments, not already on the path.
  const people = await rows<{ id: string; department: string }>(
    tx,
    sql`select id, department from (
          select id, department, row_number() over (partition by department order by created_at desc, email) as k
          from users where role = 'member' and department <> ''
            and id not in (select user_id from path_enrolments where path_id = ${pathId})) t
        where k <= 3 order by department, id limit 12`,
  );
  if (people.length < 8 || stepIds.length < 3) return;
  const created = ago(18);
  const [space] = await tx
    .insert(spaces)
    .values({
      name: "Cohort: Newcomers, autumn",
      slug: "cohort-newcomers-autumn",
      description: "The cohort-wide feed of Newcomers, autumn.",
      visibility: "private",
      createdBy: admin,
      createdAt: created,
      updatedAt: created,
    })
    .returning({ id: spaces.id });
  await tx
    .insert(spaceMembers)
    .values([
      { spaceId: space.id, userId: admin, role: "owner" as const },
      ...people.map((p) => ({ spaceId: space.id, userId: p.id, role: "editor" as const })),
    ]);
  const [c] = await tx
    .insert(cohorts)
    .values({
      name: "Newcomers, autumn",
      pathId,
      unitSize: 3,
      minDepartments: 2,
      spaceId: space.id,
      createdBy: admin,
      createdAt: created,
    })
    .returning({ id: cohorts.id });
  await tx.insert(cohortMembers).values(people.map((p) => ({ cohortId: c.id, userId: p.id, joinedAt: created })));
  const third = Math.max(1, Math.floor(stepIds.length / 3));
  const plan = [
    { from: 1, to: third, starts: 18, ends: 9, status: "done" as const },
    { from: third + 1, to: 2 * third, starts: 8, ends: -4, status: "running" as const },
    { from: 2 * third + 1, to: stepIds.length, starts: -5, ends: -16, status: "planned" as const },
  ];
  const schedule = reshuffle({
    people: people.map((p) => ({ department: p.department, evidence: false })),
    unitSize: 3,
    phases: 2,
    minDepartments: 2,
    seed: 7,
    timeLimitMs: 1000,
  });
  const led = new Map<number, number>();
  let previous = new Set<number>();
  for (const [k, ph] of plan.entries()) {
    const [row] = await tx
      .insert(cohortPhases)
      .values({
        cohortId: c.id,
        number: k + 1,
        fromStep: ph.from,
        toStep: ph.to,
        startsOn: day(ago(ph.starts)),
        endsOn: day(ago(ph.ends)),
        status: ph.status,
        explanation: k < 2 ? { newPairs: 12, repeatedPairs: 0, totalPairs: 12, ms: Math.round(schedule.ms) } : null,
      })
      .returning({ id: cohortPhases.id });
    if (k >= 2) continue;
    const units = schedule.phases[k];
    const leads: number[] = [];
    await tx.insert(cohortUnits).values(
      units.map((u, n) => {
        const pool = u.filter((i) => !previous.has(i));
        const lead = (pool.length ? pool : u).reduce((b, i) => ((led.get(i) ?? 0) < (led.get(b) ?? 0) ? i : b));
        leads.push(lead);
        led.set(lead, (led.get(lead) ?? 0) + 1);
        return { phaseId: row.id, number: n + 1, leadId: people[lead].id, memberIds: u.map((i) => people[i].id) };
      }),
    );
    previous = new Set(leads);
  }
  // Everyone finished phase 1; in phase 2 the first unit is ahead, the last has barely started.
  const unitsNow = schedule.phases[1];
  for (const [i, p] of people.entries()) {
    const unit = unitsNow.findIndex((u) => u.includes(i));
    const done = third + (unit === 0 ? third : unit === unitsNow.length - 1 ? 0 : Math.ceil(third / 2));
    const [e] = await tx
      .insert(pathEnrolments)
      .values({
        pathId,
        userId: p.id,
        assignedBy: admin,
        dueOn: day(ago(-16)),
        enrolledAt: created,
        lastStepId: stepIds[done - 1],
      })
      .returning({ id: pathEnrolments.id });
    await tx.insert(pathProgress).values(
      stepIds.slice(0, done).map((stepId, k) => ({
        enrolmentId: e.id,
        stepId,
        attempts: 0,
        firstPassed: null,
        startedAt: k < third ? ago(17 - k) : ago(Math.max(0, 6 - (k - third))),
        completedAt: k < third ? ago(17 - k) : ago(Math.max(0, 6 - (k - third))),
      })),
    );
  }
}
