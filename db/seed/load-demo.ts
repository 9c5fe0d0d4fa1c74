import { sql } from "drizzle-orm";
import {
  answers,
  articleRevisions,
  articles,
  routingRequests,
  verifications,
  endorsements,
  follows,
  lessons,
  networkDatasets,
  postReactions,
  posts,
  retrospectives,
  networkEdges,
  networkNodes,
  postRevisions,
  questions,
  settings,
  skills,
  spaceMembers,
  spaces,
  users,
} from "../schema";
import type { Db, Executor } from "../../src/platform/db";
import type { FileStore } from "../../src/platform/files";
import { hashPassword } from "../../src/modules/accounts/passwords";
import { slugify } from "../../src/modules/spaces/spaces.service";
import { generateNKeysBetween } from "fractional-indexing";
import { buildDemoOrg, type DemoOrg } from "./demo-org";
import { loadDemoAccessHistory } from "./demo-audit";
import { loadDemoCommunities, loadDemoCustoms } from "./demo-communities";
import { loadDemoSessions } from "./demo-sessions";
import { loadDemoMentoring } from "./demo-mentoring";
import { loadDemoFeedback } from "./demo-feedback";
import { loadDemoPaths } from "./demo-paths";
import { loadDemoWorkgroups } from "./demo-workgroups";
import { loadDemoLrs } from "./demo-lrs";
import { loadDemoComments } from "./demo-comments";

const DAY = 86_400_000;

/** Loads the demo organisation in one transaction; returns the login to print. */
export async function loadDemo(
  db: Db,
  now: Date,
  org: DemoOrg = buildDemoOrg(),
  /** Where uploaded files live (a session's slides); without it the demo has no files. */
  files?: FileStore,
): Promise<{ email: string; password: string; people: number; articles: number }> {
  const passwordHash = await hashPassword(org.password);
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  let verifiedArticles = 0;
  await db.transaction(async (tx) => {
    const ids = new Map<string, string>();
    for (const p of org.people) {
      const [u] = await tx
        .insert(users)
        .values({
          email: p.email,
          name: p.name,
          role: p.role,
          passwordHash,
          title: p.title,
          department: p.department,
          location: p.location,
          timeZone: p.timeZone,
          bio: p.bio,
          createdAt: ago(p.joinedDaysAgo),
        })
        .returning({ id: users.id });
      ids.set(p.key, u.id);
    }
    for (const p of org.people) {
      if (p.managerKey)
        await tx
          .update(users)
          .set({ managerId: ids.get(p.managerKey)! })
          .where(sql`${users.id} = ${ids.get(p.key)!}`);
    }
    const spaceIds = new Map<string, string>();
    for (const s of org.spaces) {
      const [row] = await tx
        .insert(spaces)
        .values({
          name: s.name,
          slug: slugify(s.name),
          description: s.description,
          visibility: s.visibility,
          createdBy: ids.get(s.ownerKey)!,
          createdAt: ago(400),
          updatedAt: ago(400),
        })
        .returning({ id: spaces.id });
      spaceIds.set(s.key, row.id);
      const members = new Map<string, "owner" | "editor" | "viewer">([[s.ownerKey, "owner"]]);
      for (const m of s.members) if (!members.has(m.personKey)) members.set(m.personKey, m.role);
      for (const [key, role] of members)
        await tx.insert(spaceMembers).values({ spaceId: row.id, userId: ids.get(key)!, role });
    }
    for (const a of org.articles) {
      // `body` is the first version; each revision carries a later full text.
      const history = [
        { authorKey: a.ownerKey, daysAgo: a.createdDaysAgo, body: a.body, title: a.title, note: "Created" },
        ...a.revisions,
      ];
      const last = history[history.length - 1];
      const [row] = await tx
        .insert(articles)
        .values({
          spaceId: spaceIds.get(a.spaceKey)!,
          title: last.title ?? a.title,
          body: last.body,
          tags: a.tags,
          status: a.status,
          ownerId: ids.get(a.ownerKey)!,
          updatedBy: ids.get(last.authorKey)!,
          version: history.length,
          createdAt: ago(a.createdDaysAgo),
          updatedAt: ago(last.daysAgo),
        })
        .returning({ id: articles.id });
      if (a.status === "published") {
        // Alive on the day it is started: most knowledge verified recently by its owner, about one
        // in nine due within the fortnight and one in twelve expired — so review pages have work
        // and search is not a sea of red badges. Deterministic: chosen by position.
        const n = verifiedArticles++;
        const verifiedDaysAgo = n % 12 === 5 ? 200 + (n % 60) : n % 9 === 4 ? 170 + (n % 8) : 3 + ((n * 37) % 140);
        const verifiedAt = ago(Math.min(verifiedDaysAgo, a.createdDaysAgo));
        await tx.insert(verifications).values({
          subjectType: "article",
          subjectId: row.id,
          intervalDays: 180,
          verifiedAt,
          verifiedBy: ids.get(a.ownerKey)!,
          verifiedUntil: new Date(verifiedAt.getTime() + 180 * DAY),
          note: n % 3 === 0 ? "Checked against the current process" : "",
          updatedAt: verifiedAt,
        });
      }
      let version = 0;
      let title = a.title;
      for (const h of history) {
        version++;
        title = h.title ?? title;
        await tx.insert(articleRevisions).values({
          articleId: row.id,
          version,
          title,
          body: h.body,
          tags: a.tags,
          authorId: ids.get(h.authorKey)!,
          note: h.note,
          createdAt: ago(h.daysAgo),
        });
      }
    }
    await placeDemoTree(tx, org, spaceIds);
    let routedQuestions = 0;
    for (const q of org.questions) {
      const askedAt = ago(q.daysAgo);
      const lastAt = new Date(askedAt.getTime() + Math.max(0, ...q.answers.map((a) => a.afterHours)) * 3_600_000);
      const [row] = await tx
        .insert(questions)
        .values({
          title: q.title,
          body: q.body,
          tags: q.tags,
          authorId: ids.get(q.askerKey)!,
          answerCount: q.answers.length,
          score: q.answers.length,
          createdAt: askedAt,
          updatedAt: askedAt,
          lastActivityAt: lastAt,
        })
        .returning({ id: questions.id });
      await tx.insert(postRevisions).values({
        postType: "question",
        postId: row.id,
        version: 1,
        title: q.title,
        body: q.body,
        tags: q.tags,
        authorId: ids.get(q.askerKey)!,
        note: "Asked",
        createdAt: askedAt,
      });
      for (const a of q.answers) {
        const at = new Date(askedAt.getTime() + a.afterHours * 3_600_000);
        const [ans] = await tx
          .insert(answers)
          .values({
            questionId: row.id,
            body: a.body,
            authorId: ids.get(a.authorKey)!,
            score: a.score,
            createdAt: at,
            updatedAt: at,
          })
          .returning({ id: answers.id });
        await tx.insert(postRevisions).values({
          postType: "answer",
          postId: ans.id,
          version: 1,
          body: a.body,
          authorId: ids.get(a.authorKey)!,
          note: "Answered",
          createdAt: at,
        });
        if (a.accepted) {
          await tx
            .update(questions)
            .set({ acceptedAnswerId: ans.id })
            .where(sql`${questions.id} = ${row.id}`);
          await tx.insert(verifications).values({
            subjectType: "answer",
            subjectId: ans.id,
            intervalDays: 180,
            verifiedAt: at,
            verifiedBy: ids.get(a.authorKey)!,
            verifiedUntil: new Date(at.getTime() + 180 * DAY),
            updatedAt: at,
          });
        }
      }
      // Who was asked and who answered: each answerer was asked by the router a few minutes after
      // the question; on every other question one more colleague was asked and said "no time".
      const asked = new Map<string, { status: "answered" | "declined"; respondedAt: Date }>();
      for (const a of q.answers)
        asked.set(ids.get(a.authorKey)!, {
          status: "answered",
          respondedAt: new Date(askedAt.getTime() + a.afterHours * 3_600_000),
        });
      const declinerKey = org.people.find(
        (p, i) =>
          p.role !== "guest" && p.key !== q.askerKey && !asked.has(ids.get(p.key)!) && i % 7 === routedQuestions % 7,
      )?.key;
      if (routedQuestions % 2 === 0 && declinerKey)
        asked.set(ids.get(declinerKey)!, {
          status: "declined",
          respondedAt: new Date(askedAt.getTime() + 20 * 60_000),
        });
      routedQuestions++;
      for (const [expertId, r] of asked) {
        await tx.insert(routingRequests).values({
          questionId: row.id,
          expertId,
          round: 1,
          status: r.status,
          declineReason: r.status === "declined" ? "no_time" : null,
          score: 1,
          reasons: q.tags[0]
            ? [
                {
                  kind: "tag",
                  title: `Knows about ${q.tags[0]}`,
                  url: `/search?tag=${encodeURIComponent(q.tags[0])}`,
                  at: askedAt.toISOString(),
                  weight: 1,
                },
              ]
            : [],
          createdAt: new Date(askedAt.getTime() + 2 * 60_000),
          respondedAt: r.respondedAt,
        });
      }
      await tx
        .update(questions)
        .set({ routingRound: 1 })
        .where(sql`${questions.id} = ${row.id}`);
    }
    // Availability, declared skills and endorsements, derived deterministically from the people and their articles.
    const extraSkills = ["excel", "sql", "german", "first-aid", "presenting", "power-bi"];
    const ownTags = new Map<string, string[]>();
    for (const a of org.articles)
      ownTags.set(a.ownerKey, [...new Set([...(ownTags.get(a.ownerKey) ?? []), ...a.tags])]);
    for (const [i, p] of org.people.entries()) {
      if (p.role === "guest") continue;
      const away = i % 13 === 5;
      const busy = !away && i % 11 === 7;
      const office = i % 4 === 0;
      await tx
        .update(users)
        .set({
          availability: away ? "away" : busy ? "busy" : "available",
          awayUntil: away ? new Date(now.getTime() + (3 + (i % 5)) * DAY) : null,
          // A quarter keep office hours in their zone; the rest work flexible hours (any time).
          workStart: office ? 8 * 60 : 0,
          workEnd: office ? 16 * 60 : 0,
          workDays: office ? [1, 2, 3, 4, 5] : [1, 2, 3, 4, 5, 6, 7],
          dailyCap: 3 + (i % 4),
        })
        .where(sql`${users.id} = ${ids.get(p.key)!}`);
      const declared = [
        ...(ownTags.get(p.key) ?? []).slice(0, 2),
        ...(i % 3 === 0 ? [extraSkills[i % extraSkills.length]] : []),
      ];
      if (declared.length)
        await tx
          .insert(skills)
          .values(declared.map((tag) => ({ userId: ids.get(p.key)!, tag, createdAt: ago(30) })))
          .onConflictDoNothing();
    }
    for (const [i, a] of org.articles.entries()) {
      const owner = byKeyOf(org, a.ownerKey);
      const colleague = org.people.find(
        (p, j) => p.department === owner.department && p.key !== a.ownerKey && p.role !== "guest" && j % 3 === i % 3,
      );
      if (!colleague || a.tags.length === 0) continue;
      await tx
        .insert(endorsements)
        .values({
          userId: ids.get(a.ownerKey)!,
          endorserId: ids.get(colleague.key)!,
          tag: a.tags[0],
          note: "",
          createdAt: ago(Math.max(1, a.createdDaysAgo - 3)),
        })
        .onConflictDoNothing();
    }
    // Lessons learned, a retrospective and some working-out-loud posts, by people of the matching departments.
    const inDept = (name: string, n = 0) =>
      org.people.filter((p) => p.department === name && p.role !== "guest")[n] ?? org.people[1];
    const wh = "Warehouse Operations";
    const lessonRows = [
      {
        by: inDept(wh, 2),
        anonymous: true,
        title: "Reefer container left unplugged over the weekend",
        whatHappened:
          "A reefer container with chilled goods stood unplugged in the yard from Friday evening to Monday morning.",
        impact: "One pallet of dairy written off; the customer was refunded.",
        learned:
          "The Friday yard checklist had no line for reefer power, and the weekend guard did not know what a reefer was.",
        instead: "Reefer power is now on the Friday checklist; the weekend guard has a one-page guide with photos.",
        tags: ["reefer", "yard", "checklists"],
        days: 40,
      },
      {
        by: inDept("Fleet & Transport", 1),
        anonymous: false,
        title: "Driver hours exceeded on the Bergen run",
        whatHappened: "A planned route to Bergen assumed the ferry would leave on time; it was two hours late.",
        impact: "The driver exceeded daily driving time; we reported it to the authority.",
        learned: "Routes with a ferry need a buffer, and planners did not see ferry delays.",
        instead: "Add 2 h of buffer to ferry routes and check the ferry status before dispatch.",
        tags: ["drivers-hours", "compliance", "planning"],
        days: 75,
      },
      {
        by: inDept("Customer Service", 0),
        anonymous: false,
        title: "Redelivery promised for a Sunday",
        whatHappened: "Agents promised Sunday redeliveries that no carrier performs.",
        impact: "Twelve complaints in one week.",
        learned: "The redelivery article did not say which days carriers deliver.",
        instead: "The booking form now only offers days the carrier delivers.",
        tags: ["redelivery", "carriers"],
        days: 20,
      },
    ];
    for (const l of lessonRows)
      await tx.insert(lessons).values({
        kind: "mistake",
        title: l.title,
        whatHappened: l.whatHappened,
        impact: l.impact,
        learned: l.learned,
        instead: l.instead,
        tags: l.tags,
        authorId: ids.get(l.by.key)!,
        anonymous: l.anonymous,
        createdAt: ago(l.days),
        updatedAt: ago(l.days),
      });
    const retroItems = [
      {
        id: "8f0c5d1e-0000-4000-8000-000000000001",
        column: "well",
        text: "Temporary staff were productive after two days of training",
      },
      {
        id: "8f0c5d1e-0000-4000-8000-000000000002",
        column: "less",
        text: "Returns piled up in week 3 because nobody owned them",
      },
      {
        id: "8f0c5d1e-0000-4000-8000-000000000003",
        column: "try",
        text: "A returns triage desk from the first week of peak",
      },
    ];
    const [retro] = await tx
      .insert(retrospectives)
      .values({
        title: "Peak season 2025",
        authorId: ids.get(inDept(wh, 0).key)!,
        participantIds: [ids.get(inDept(wh, 1).key)!, ids.get(inDept(wh, 3).key)!],
        items: retroItems,
        createdAt: ago(300),
        updatedAt: ago(300),
      })
      .returning({ id: retrospectives.id });
    const [fromRetro] = await tx
      .insert(lessons)
      .values({
        kind: "retrospective",
        title: "Returns piled up in week 3 because nobody owned them",
        whatHappened: "From the retrospective “Peak season 2025” (went less well).",
        learned: "Returns need an owner and their own desk at peak.",
        instead: "Open a returns triage desk in week 1 of peak.",
        tags: ["returns", "peak"],
        authorId: ids.get(inDept(wh, 0).key)!,
        retrospectiveId: retro.id,
        createdAt: ago(299),
        updatedAt: ago(299),
      })
      .returning({ id: lessons.id });
    await tx
      .update(retrospectives)
      .set({ items: retroItems.map((i) => (i.column === "less" ? { ...i, lessonId: fromRetro.id } : i)) })
      .where(sql`${retrospectives.id} = ${retro.id}`);
    const postRows = [
      {
        by: inDept(wh, 1),
        kind: "working_on" as const,
        body: "Re-slotting the fast movers closer to the packing stations — first results next week.",
        tags: ["slotting", "packing"],
        hours: 5,
      },
      {
        by: inDept("Engineering & IT", 0),
        kind: "learned" as const,
        body: "TIL the handheld scanners cache the WMS address: after a server move, a **reboot** is not enough — re-enter the profile.",
        tags: ["scanners", "wms"],
        hours: 20,
      },
      {
        by: inDept("Finance", 0),
        kind: "working_on" as const,
        body: "Drafting the new month-end accrual checklist with the carrier team.",
        tags: ["month-end"],
        hours: 30,
      },
      {
        by: inDept("Customer Service", 1),
        kind: "learned" as const,
        body: "Customers read the first line of an apology email only: put the new delivery date there.",
        tags: ["templates", "customer-service"],
        hours: 50,
      },
      // Older posts, so feeds and learning pages have a history.
      {
        by: inDept("Fleet & Transport", 0),
        kind: "working_on" as const,
        body: "Comparing ferry delay data for the Bergen and Kristiansand routes to size the buffer per crossing.",
        tags: ["planning", "drivers-hours"],
        hours: 24 * 9,
      },
      {
        by: inDept(wh, 2),
        kind: "learned" as const,
        body: "A reefer's display shows the *set* temperature by default — press the arrow once to see the real one.",
        tags: ["reefer", "yard"],
        hours: 24 * 16,
      },
      {
        by: inDept("Sales", 0),
        kind: "working_on" as const,
        body: "Preparing the tender answer for the pharma distributor: cold chain and GDP audit trail are the key questions.",
        tags: ["tenders", "pharma"],
        hours: 24 * 23,
      },
      {
        by: inDept("Engineering & IT", 1),
        kind: "learned" as const,
        body: "The carrier rate API returns prices in the carrier's currency; always read `currency` before comparing quotes.",
        tags: ["carrier-api", "rates"],
        hours: 24 * 31,
      },
      {
        by: inDept("People & Culture", 0),
        kind: "working_on" as const,
        body: "Building the onboarding week for the new reach-truck drivers with the warehouse trainers.",
        tags: ["onboarding", "training"],
        hours: 24 * 38,
      },
      {
        by: inDept("Finance", 1),
        kind: "learned" as const,
        body: "Fuel surcharges follow the index of the *previous* month — the carriers' invoices were right after all.",
        tags: ["carriers", "invoicing"],
        hours: 24 * 47,
      },
      {
        by: inDept(wh, 3),
        kind: "working_on" as const,
        body: "Testing pick-by-light on two aisles of the fast movers; counting errors per thousand lines.",
        tags: ["picking", "slotting"],
        hours: 24 * 58,
      },
      {
        by: inDept("Customer Service", 2),
        kind: "learned" as const,
        body: "Calling back within the hour halves the number of second complaints about the same delivery.",
        tags: ["complaints", "customer-service"],
        hours: 24 * 66,
      },
      {
        by: inDept("Fleet & Transport", 2),
        kind: "learned" as const,
        body: "Low-emission zones in Gothenburg changed on 1 July: our Euro V trucks can no longer enter the centre.",
        tags: ["low-emission-zones", "planning"],
        hours: 24 * 79,
      },
      {
        by: inDept("Engineering & IT", 2),
        kind: "working_on" as const,
        body: "Moving the label printers to the new driver package, one packing station at a time.",
        tags: ["printers", "packing"],
        hours: 24 * 88,
      },
      {
        by: inDept(wh, 4),
        kind: "learned" as const,
        body: "Lithium battery parcels must not share a pallet with flammable liquids — the segregation table is on the hazmat wall.",
        tags: ["dangerous-goods", "batteries"],
        hours: 24 * 101,
      },
      {
        by: inDept("Sales", 1),
        kind: "learned" as const,
        body: "Customers compare our quotes per pallet place, not per kilo: quoting both won us the garden-centre chain.",
        tags: ["pricing", "tenders"],
        hours: 24 * 117,
      },
      {
        by: inDept("People & Culture", 1),
        kind: "learned" as const,
        body: "Feedback within a day of the event lands far better than at the monthly one-to-one.",
        tags: ["feedback"],
        hours: 24 * 129,
      },
      {
        by: inDept("Finance", 0),
        kind: "working_on" as const,
        body: "Reconciling the Q2 carrier invoices against delivered jobs before the audit.",
        tags: ["month-end", "carriers"],
        hours: 24 * 142,
      },
      {
        by: inDept(wh, 0),
        kind: "working_on" as const,
        body: "Drawing up the new racking plan for hall C with the safety officer: aisle widths first.",
        tags: ["racking", "safety"],
        hours: 24 * 155,
      },
      {
        by: inDept("Customer Service", 0),
        kind: "learned" as const,
        body: "The redelivery form now hides Sundays — complaints about broken promises dropped to zero in a week.",
        tags: ["redelivery", "carriers"],
        hours: 24 * 168,
      },
    ];
    for (const [i, p] of postRows.entries()) {
      const [row] = await tx
        .insert(posts)
        .values({
          authorId: ids.get(p.by.key)!,
          kind: p.kind,
          body: p.body,
          tags: p.tags,
          createdAt: new Date(now.getTime() - p.hours * 3_600_000),
        })
        .returning({ id: posts.id });
      const fan = org.people[(i * 7 + 3) % org.people.length];
      if (fan.key !== p.by.key && fan.role !== "guest")
        await tx
          .insert(postReactions)
          .values({ postId: row.id, userId: ids.get(fan.key)!, emoji: i % 2 ? "💡" : "👍" });
    }
    const adminKey = org.people.find((p) => p.email === org.adminEmail)!.key;
    for (const p of postRows.slice(0, 2))
      await tx
        .insert(follows)
        .values({ userId: ids.get(adminKey)!, targetType: "person", target: ids.get(p.by.key)! })
        .onConflictDoNothing();
    await tx.insert(settings).values({ key: "organisation", value: org.organisation }).onConflictDoNothing();
    await loadDemoAccessHistory(tx, org, ids, spaceIds, now);
    await loadDemoCommunities(tx, org, ids, now);
    await loadDemoCustoms(tx, org, ids, now);
    await loadDemoSessions(tx, org, ids, now, files);
    await loadDemoMentoring(tx, org, ids, now);
    await loadDemoFeedback(tx, org, ids, now);
    await loadDemoPaths(tx, org, ids, now);
    await loadDemoWorkgroups(tx, org, ids, now);
    await loadDemoLrs(tx, org, ids, now);
    await loadDemoComments(tx, org, ids, now);
    // New articles in Warehouse Operations start from the how-to template (the first thing people write there).
    await tx.execute(
      sql`update spaces set default_template_id = (select id from article_templates where key = 'how-to')
          where name = 'Warehouse Operations' and default_template_id is null`,
    );
    // The demo network names people by name (an imported network has its own ids).
    const byKey = new Map(org.people.map((p) => [p.key, p]));
    const [ds] = await tx
      .insert(networkDatasets)
      .values({
        name: org.network.name,
        weighted: true,
        importedBy: ids.get(org.people.find((p) => p.email === org.adminEmail)!.key)!,
      })
      .returning({ id: networkDatasets.id });
    await tx
      .insert(networkNodes)
      .values(
        org.people
          .filter((p) => p.role !== "guest")
          .map((p) => ({ datasetId: ds.id, externalId: p.name, department: p.department })),
      );
    await tx.insert(networkEdges).values(
      org.network.edges.map((e) => ({
        datasetId: ds.id,
        source: byKey.get(e.sourceKey)!.name,
        target: byKey.get(e.targetKey)!.name,
        weight: e.weight,
      })),
    );
  });
  return { email: org.adminEmail, password: org.password, people: org.people.length, articles: org.articles.length };
}

function byKeyOf(org: DemoOrg, key: string) {
  return org.people.find((p) => p.key === key)!;
}

/** The demo's page tree: each article under its parent (by title, in its space), siblings in the order of the list. */
async function placeDemoTree(tx: Executor, org: DemoOrg, spaceIds: Map<string, string>): Promise<void> {
  const found = await tx.select({ id: articles.id, spaceId: articles.spaceId, title: articles.title }).from(articles);
  const idOf = new Map(found.map((r) => [`${r.spaceId}:${r.title}`, r.id]));
  const groups = new Map<string, { id: string; parentId: string | null }[]>();
  for (const a of org.articles) {
    const spaceId = spaceIds.get(a.spaceKey)!;
    const title = a.revisions.at(-1)?.title ?? a.title;
    const id = idOf.get(`${spaceId}:${title}`);
    if (!id) continue;
    const parentId = a.parentTitle ? (idOf.get(`${spaceId}:${a.parentTitle}`) ?? null) : null;
    const key = `${spaceId}:${parentId}`;
    groups.set(key, [...(groups.get(key) ?? []), { id, parentId }]);
  }
  for (const list of groups.values()) {
    const keys = generateNKeysBetween(null, null, list.length);
    for (const [i, page] of list.entries())
      await tx
        .update(articles)
        .set({ parentId: page.parentId, position: keys[i] })
        .where(sql`${articles.id} = ${page.id}`);
  }
}
