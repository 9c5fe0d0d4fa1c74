import { sql } from "drizzle-orm";
import { posts, retrospectives, spaceMembers, spaces, workgroups } from "../schema";
import { rows, type Executor } from "../../src/platform/db";
import { slugify } from "../../src/modules/spaces/spaces.service";
import type { DemoOrg } from "./demo-org";

const DAY = 86_400_000;

type Plan = {
  title: string;
  description: string;
  /** Which of the organisation's most answered tags the group needs (offsets into that list). */
  skillRange: [number, number];
  formedDaysAgo: number;
  closedDaysAgo: number | null;
  retro: { column: "well" | "less" | "try"; text: string }[];
};

const PLANS: Plan[] = [
  {
    title: "Peak season 2026 readiness",
    description:
      "Peak starts in eight weeks. Get ready **together** rather than team by team: " +
      "one plan, one list of open risks in the systems and the paperwork, and a dry run in week 6.",
    skillRange: [0, 3],
    formedDaysAgo: 12,
    closedDaysAgo: null,
    retro: [],
  },
  {
    title: "Carrier onboarding clean-up",
    description:
      "New carriers took three weeks to onboard and every team had its own checklist. " +
      "Write one checklist and try it on the next two carriers.",
    skillRange: [3, 6],
    formedDaysAgo: 90,
    closedDaysAgo: 20,
    retro: [
      { column: "well", text: "One shared checklist: the second carrier was onboarded in four days" },
      { column: "less", text: "Finance joined late, so the invoicing steps were added in week 3" },
      { column: "try", text: "Invite every department to the kick-off, even if their part comes later" },
    ],
  },
];

/**
 * Two workgroups in the demo organisation, as confirming and closing them through the API would leave them:
 * each has a private space (the leader owns it, the members edit it) and a kick-off post there; the second is
 * closed with a retrospective in its space. Skills are the organisation-wide tags most people answered on;
 * members are the people who answered on them, from several departments; the demo admin takes part in both
 * (so both show on first start). Re-running skips a workgroup whose title already exists.
 */
export async function loadDemoWorkgroups(
  tx: Executor,
  org: DemoOrg,
  ids: Map<string, string>,
  now: Date,
): Promise<void> {
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const adminId = ids.get(org.people.find((p) => p.email === org.adminEmail)!.key)!;
  const tags = await rows<{ tag: string }>(
    tx,
    sql`select t.tag from answers a join questions q on q.id = a.question_id, unnest(q.tags) t(tag)
        where q.space_id is null and q.community_id is null
        group by t.tag order by count(distinct a.author_id) desc, t.tag limit 6`,
  );
  if (tags.length < 6) return;
  for (const plan of PLANS) {
    const [existing] = await rows<{ id: string }>(tx, sql`select id from workgroups where title = ${plan.title}`);
    if (existing) continue;
    const skills = tags.slice(...plan.skillRange).map((t) => t.tag);
    // The people who answered most on each skill (members, not the admin), one per department first.
    const holders = await rows<{ id: string; department: string; skill: string }>(
      tx,
      sql`select u.id, u.department, t.tag as skill
          from answers a join questions q on q.id = a.question_id join users u on u.id = a.author_id,
            unnest(q.tags) t(tag)
          where q.space_id is null and q.community_id is null and u.role = 'member' and u.id <> ${adminId}
            and t.tag in (${sql.join(
              skills.map((s) => sql`${s}`),
              sql`, `,
            )})
          group by u.id, u.department, t.tag order by count(*) desc, u.id`,
    );
    const chosen: string[] = [];
    const departments = new Set<string>();
    for (const skill of skills) {
      const h =
        holders.find((x) => x.skill === skill && !chosen.includes(x.id) && !departments.has(x.department)) ??
        holders.find((x) => x.skill === skill && !chosen.includes(x.id));
      if (h) {
        chosen.push(h.id);
        departments.add(h.department);
      }
    }
    if (chosen.length < 2) continue;
    const [leaderId, ...others] = chosen;
    const memberIds = [...others, adminId];
    const formed = ago(plan.formedDaysAgo);
    let slug = slugify(plan.title);
    const [taken] = await rows<{ id: string }>(tx, sql`select id from spaces where slug = ${slug}`);
    if (taken) slug = `${slug}-${formed.getTime().toString(36)}`;
    const [space] = await tx
      .insert(spaces)
      .values({
        name: plan.title,
        slug,
        description: `Workgroup space: ${plan.title}`,
        visibility: "private",
        memberAccess: "editor",
        createdBy: leaderId,
        createdAt: formed,
        updatedAt: formed,
      })
      .returning({ id: spaces.id });
    await tx
      .insert(spaceMembers)
      .values([
        { spaceId: space.id, userId: leaderId, role: "owner" as const },
        ...memberIds.map((userId) => ({ spaceId: space.id, userId, role: "editor" as const })),
      ])
      .onConflictDoNothing();
    const names = await rows<{ id: string; name: string }>(
      tx,
      sql`select id, name from users where id in (${sql.join(
        chosen.concat(adminId).map((id) => sql`${id}`),
        sql`, `,
      )})`,
    );
    const nameOf = (id: string) => names.find((n) => n.id === id)?.name ?? "";
    const [post] = await tx
      .insert(posts)
      .values({
        authorId: leaderId,
        kind: "working_on",
        body: [
          `Kick-off: **${plan.title}**`,
          `\n${plan.description}\n`,
          `Skills: ${skills.join(", ")}`,
          `Members: ${[`${nameOf(leaderId)} (lead)`, ...memberIds.map(nameOf)].join(", ")}`,
        ].join("\n"),
        tags: skills,
        spaceId: space.id,
        createdAt: formed,
      })
      .returning({ id: posts.id });
    let retrospectiveId: string | null = null;
    if (plan.closedDaysAgo !== null) {
      const [retro] = await tx
        .insert(retrospectives)
        .values({
          title: `Retrospective: ${plan.title}`,
          spaceId: space.id,
          authorId: leaderId,
          participantIds: [leaderId, ...memberIds],
          items: plan.retro.map((item, i) => ({ id: `7a1d0c2e-0000-4000-8000-00000000000${i + 1}`, ...item })),
          createdAt: ago(plan.closedDaysAgo),
          updatedAt: ago(plan.closedDaysAgo),
        })
        .returning({ id: retrospectives.id });
      retrospectiveId = retro.id;
    }
    await tx.insert(workgroups).values({
      title: plan.title,
      description: plan.description,
      skills,
      leaderId,
      memberIds,
      spaceId: space.id,
      kickoffPostId: post.id,
      retrospectiveId,
      status: plan.closedDaysAgo === null ? "active" : "closed",
      createdAt: formed,
      closedAt: plan.closedDaysAgo === null ? null : ago(plan.closedDaysAgo),
    });
  }
}
