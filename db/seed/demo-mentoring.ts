import { sql } from "drizzle-orm";
import { mentorProgrammes, mentorshipMeetings, mentorships, programmeParticipants } from "../schema";
import { rows, type Executor } from "../../src/platform/db";
import type { DemoOrg, DemoPerson } from "./demo-org";

const DAY = 86_400_000;
const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * A mentor programme that is running: experienced colleagues (longest in the organisation, from several
 * departments) mentor the newest. Topics come from what each person actually answered or asked in the
 * demo; nobody is paired within their reporting line. Two pairs are running (with notes and meetings),
 * one has closed with its goal reached, one proposal waits for an answer, and two mentees have no mentor
 * yet, so "Run the matching" has work to do on the first start.
 */
export async function loadDemoMentoring(
  tx: Executor,
  org: DemoOrg,
  ids: Map<string, string>,
  now: Date,
): Promise<void> {
  const members = org.people.filter((p) => p.role === "member");
  const admin = org.people.find((p) => p.email === org.adminEmail)!;
  const topicsOf = async (p: DemoPerson, kind: "answered" | "asked") => {
    const found = await rows<{ tag: string }>(
      tx,
      kind === "answered"
        ? sql`select t.tag from answers a join questions q on q.id = a.question_id, unnest(q.tags) t(tag)
              where a.author_id = ${ids.get(p.key)!} group by t.tag order by count(*) desc, t.tag limit 3`
        : sql`select t.tag from questions q, unnest(q.tags) t(tag)
              where q.author_id = ${ids.get(p.key)!} group by t.tag order by count(*) desc, t.tag limit 3`,
    );
    return found.map((f) => f.tag);
  };
  // Mentors: the longest-serving member of each of five departments who has answered something.
  const mentors: { person: DemoPerson; topics: string[] }[] = [];
  for (const p of [...members].sort((a, b) => b.joinedDaysAgo - a.joinedDaysAgo)) {
    if (mentors.length === 5) break;
    if (mentors.some((m) => m.person.department === p.department)) continue;
    const topics = await topicsOf(p, "answered");
    if (topics.length) mentors.push({ person: p, topics });
  }
  // Mentees: the six newest members who are not mentors.
  const mentees: { person: DemoPerson; topics: string[] }[] = [];
  for (const p of [...members].sort((a, b) => a.joinedDaysAgo - b.joinedDaysAgo)) {
    if (mentees.length === 6) break;
    if (mentors.some((m) => m.person.key === p.key)) continue;
    const asked = await topicsOf(p, "asked");
    mentees.push({
      person: p,
      topics: asked.length ? asked : mentors[mentees.length % mentors.length].topics.slice(0, 2),
    });
  }
  if (mentors.length < 3 || mentees.length < 6) return;

  const [programme] = await tx
    .insert(mentorProgrammes)
    .values({
      name: "Newcomer mentoring, winter",
      purpose:
        "Everyone who joined in the last months gets an experienced colleague from **another department** to ask " +
        "the questions nobody writes down. Meet every two weeks; agree one goal you can check.",
      startsOn: day(new Date(now.getTime() - 60 * DAY)),
      endsOn: day(new Date(now.getTime() + 120 * DAY)),
      mode: "matched",
      defaultCapacity: 2,
      crossDepartmentWeight: 0.5,
      acceptDays: 7,
      createdBy: ids.get(admin.key)!,
      createdAt: new Date(now.getTime() - 62 * DAY),
      lastMatchedAt: new Date(now.getTime() - 55 * DAY),
    })
    .returning({ id: mentorProgrammes.id });
  await tx.insert(programmeParticipants).values([
    ...mentors.map((m) => ({
      programmeId: programme.id,
      userId: ids.get(m.person.key)!,
      role: "mentor" as const,
      capacity: 2,
      topics: m.topics,
    })),
    ...mentees.map((m) => ({
      programmeId: programme.id,
      userId: ids.get(m.person.key)!,
      role: "mentee" as const,
      topics: m.topics,
      goalText: `Find my way around ${m.topics[0] ?? "the job"} without asking the same thing twice.`,
    })),
  ]);

  // A mentor for each of the first four mentees: another department, not in the reporting line.
  const inLine = (a: DemoPerson, b: DemoPerson) => a.managerKey === b.key || b.managerKey === a.key;
  const pick = (mentee: DemoPerson, k: number) =>
    mentors
      .map((m, i) => mentors[(i + k) % mentors.length])
      .find((m) => m.person.department !== mentee.department && !inLine(m.person, mentee))!;
  const plans = [
    { status: "active" as const, startedDaysAgo: 50, meetings: 3 },
    { status: "active" as const, startedDaysAgo: 40, meetings: 2 },
    { status: "closed" as const, startedDaysAgo: 55, meetings: 4 },
    { status: "proposed" as const, startedDaysAgo: 0, meetings: 0 },
  ];
  for (const [k, plan] of plans.entries()) {
    const mentee = mentees[k];
    const mentor = pick(mentee.person, k);
    if (!mentor) continue;
    const shared = mentee.topics.filter((t) => mentor.topics.includes(t));
    const reasons = [
      ...shared.map((t) => ({ kind: "evidence", text: `Shown knowledge of ${t}` })),
      { kind: "offers", text: `Offers to mentor on ${mentor.topics.join(", ")}` },
      { kind: "department", text: `Across departments: ${mentee.person.department} and ${mentor.person.department}` },
    ];
    const started = new Date(now.getTime() - plan.startedDaysAgo * DAY);
    const [row] = await tx
      .insert(mentorships)
      .values({
        programmeId: programme.id,
        mentorId: ids.get(mentor.person.key)!,
        menteeId: ids.get(mentee.person.key)!,
        status: plan.status,
        origin: "matched",
        quality: 0.4 + 0.1 * shared.length,
        reasons,
        mentorAcceptedAt: plan.status === "proposed" ? null : started,
        menteeAcceptedAt: plan.status === "proposed" ? new Date(now.getTime() - DAY) : started,
        expiresAt: new Date((plan.status === "proposed" ? now.getTime() : started.getTime()) + 6 * DAY),
        goals: plan.status === "proposed" ? "" : `Handle ${mentee.topics[0] ?? "the first weeks"} questions on my own.`,
        notes:
          plan.status === "proposed"
            ? ""
            : `- Who to ask about ${mentor.topics[0]}: start with the team channel, then ${mentor.person.name}.\n` +
              "- Write down the answer the first time; it becomes an article by the third.",
        goalReached: plan.status === "closed" ? true : null,
        evaluation:
          plan.status === "closed" ? "We met four times; I now answer these questions for the new starters." : "",
        createdAt: new Date(started.getTime() - 2 * DAY),
        startedAt: plan.status === "proposed" ? null : started,
        closedAt: plan.status === "closed" ? new Date(now.getTime() - 5 * DAY) : null,
      })
      .returning({ id: mentorships.id });
    for (let g = 0; g < plan.meetings; g++)
      await tx.insert(mentorshipMeetings).values({
        mentorshipId: row.id,
        heldOn: day(new Date(started.getTime() + (g * 14 + 2) * DAY)),
        minutes: 30 + 15 * (g % 2),
        summary: g === 0 ? "Introductions; agreed a goal we can check." : "Went through this fortnight's questions.",
        loggedBy: ids.get((g % 2 ? mentee : mentor).person.key)!,
      });
  }
}
