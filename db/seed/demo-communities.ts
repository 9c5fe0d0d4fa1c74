import { sql } from "drizzle-orm";
import { answers, communities, communityMembers, communityPins, postRevisions, posts, questions } from "../schema";
import { rows, type Executor } from "../../src/platform/db";
import type { DemoOrg, DemoPerson } from "./demo-org";

const DAY = 86_400_000;

type DemoCommunity = {
  name: string;
  slug: string;
  purpose: string;
  topics: string[];
  joining: "open" | "request";
  visibility: "everyone" | "members";
  /** The department its first lead comes from; its members also include who answered on its topics. */
  leadDept: string;
  /** More members from these departments (the first few non-guests of each). */
  memberDepts: string[];
  /** Open questions addressed to it (asked by a member, unanswered: the page shows them first). */
  open: { title: string; body: string; tags: string[]; daysAgo: number }[];
  post?: { body: string; tags: string[]; daysAgo: number };
  /** Someone of this department is invited and has not answered yet (an invitation waiting in their inbox). */
  invite?: string;
};

const COMMUNITIES: DemoCommunity[] = [
  {
    name: "WMS & scanners",
    slug: "wms-and-scanners",
    purpose:
      "Everyone who lives in the **warehouse management system**: scanners, label printers, integrations.\n\n" +
      "- Ask here before you open a ticket\n- Share workarounds while a fix is coming",
    topics: ["wms", "scanners", "printers", "integration"],
    joining: "open",
    visibility: "everyone",
    leadDept: "Engineering & IT",
    memberDepts: ["Warehouse Operations", "Engineering & IT"],
    open: [
      {
        title: "Scanner drops off the Wi-Fi in the freezer aisle",
        body: "Our handheld scanners lose the connection in aisle F (the freezer). Is there a setting for roaming we should change?",
        tags: ["scanners", "wms"],
        daysAgo: 3,
      },
    ],
    post: {
      body: "Label printer 4 at packing now prints from the new queue — if a label comes out blank, re-send it from the WMS job list.",
      tags: ["printers", "wms"],
      daysAgo: 5,
    },
  },
  {
    name: "Carriers & same-day",
    slug: "carriers-and-same-day",
    purpose: "Planners, customer service and sales on **carrier choice**, cut-off times and same-day promises.",
    topics: ["carriers", "same-day", "planning"],
    joining: "request",
    visibility: "everyone",
    leadDept: "Fleet & Transport",
    memberDepts: ["Fleet & Transport", "Customer Service"],
    open: [
      {
        title: "Which carrier for same-day pallets to Stavanger on Fridays?",
        body: "Our usual carrier stops same-day pallets to Stavanger at 11:00 on Fridays. Who has a backup that works?",
        tags: ["carriers", "same-day"],
        daysAgo: 2,
      },
    ],
  },
  {
    name: "Pricing & tenders circle",
    slug: "pricing-and-tenders-circle",
    purpose:
      "Members only: sales and finance on **pricing decisions**, discounts and tender answers before they go out.",
    topics: ["pricing", "quotes", "tenders"],
    joining: "request",
    visibility: "members",
    leadDept: "Sales",
    memberDepts: ["Sales", "Finance"],
    open: [
      {
        title: "Floor price for the pharma distributor tender",
        body: "What is the lowest pallet rate we can offer the pharma distributor with the GDP audit trail included?",
        tags: ["pricing", "tenders"],
        daysAgo: 1,
      },
    ],
  },
  {
    name: "Safety first",
    slug: "safety-first",
    purpose: "Forklifts, racking, lifting and near misses: **how we keep each other safe** at every site.",
    topics: ["safety", "forklift", "training"],
    joining: "open",
    visibility: "everyone",
    leadDept: "Warehouse Operations",
    memberDepts: ["Warehouse Operations", "People & Culture"],
    open: [],
    invite: "Fleet & Transport",
  },
];

/**
 * Customs questions people of several departments already answer for each other, with no community
 * on the topic: the knowledge managers' "communities that should exist" panel finds "customs" from them.
 */
const CUSTOMS: {
  askerDept: string;
  title: string;
  body: string;
  daysAgo: number;
  answers: { dept: string; body: string; accepted?: boolean }[];
}[] = [
  {
    askerDept: "Sales",
    title: "Which customs papers does a pallet to Norway need?",
    body: "A customer in Bergen asks what we need from them for the **customs declaration**. What do I tell them?",
    daysAgo: 40,
    answers: [
      {
        dept: "Finance",
        body: "The commercial invoice with the EORI number and the HS codes; we file the export declaration.",
        accepted: true,
      },
      { dept: "Fleet & Transport", body: "And tell them the driver needs the MRN before leaving the dock." },
    ],
  },
  {
    askerDept: "Customer Service",
    title: "Customs hold at the Svinesund border: who calls the broker?",
    body: "A truck is held at Svinesund because the declaration does not match the load. Who talks to the broker?",
    daysAgo: 25,
    answers: [
      {
        dept: "Fleet & Transport",
        body: "Transport planning calls the broker; send them the corrected packing list.",
        accepted: true,
      },
    ],
  },
  {
    askerDept: "Warehouse Operations",
    title: "Do we print customs labels for the Oslo shipments?",
    body: "Since the new WMS release there is a customs label option. Do we need it for Norway?",
    daysAgo: 12,
    answers: [
      {
        dept: "Finance",
        body: "No label: customs needs the declaration number on the CMR, which the WMS prints already.",
      },
    ],
  },
];

/**
 * Communities of practice for the demo: four of them (one members-only), with leads, members (who
 * answered on their topics and colleagues of their departments), a pending request, open questions
 * addressed to them, a post, pins and a lead following its questions.
 */
export async function loadDemoCommunities(
  tx: Executor,
  org: DemoOrg,
  ids: Map<string, string>,
  now: Date,
): Promise<void> {
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const staff = (dept: string): DemoPerson[] => org.people.filter((p) => p.department === dept && p.role === "member");
  for (const [n, c] of COMMUNITIES.entries()) {
    const lead = staff(c.leadDept)[0];
    const [row] = await tx
      .insert(communities)
      .values({
        name: c.name,
        slug: c.slug,
        purpose: c.purpose,
        topics: c.topics,
        joining: c.joining,
        visibility: c.visibility,
        createdBy: ids.get(lead.key)!,
        createdAt: ago(200 - n * 20),
      })
      .returning({ id: communities.id });
    const topics = sql.join(
      c.topics.map((t) => sql`${t}`),
      sql`, `,
    );
    // Who answered on its topics (most answers first), so the members panel shows evidence.
    const answerers = await rows<{ author_id: string }>(
      tx,
      sql`select a.author_id from answers a join questions q on q.id = a.question_id
          where q.tags && array[${topics}]::text[] group by a.author_id order by count(*) desc, a.author_id limit 6`,
    );
    const members = new Map<string, "lead" | "member" | "pending" | "invited">([[ids.get(lead.key)!, "lead"]]);
    for (const a of answerers) if (!members.has(a.author_id)) members.set(a.author_id, "member");
    for (const d of c.memberDepts)
      for (const p of staff(d).slice(1, 4)) if (!members.has(ids.get(p.key)!)) members.set(ids.get(p.key)!, "member");
    // A request waiting for a lead (by-request communities): someone of another department.
    if (c.invite) {
      const invitee = staff(c.invite).find((p) => !members.has(ids.get(p.key)!));
      if (invitee) members.set(ids.get(invitee.key)!, "invited");
    }
    if (c.joining === "request") {
      const outsider = org.people.find(
        (p) => p.role === "member" && !c.memberDepts.includes(p.department) && !members.has(ids.get(p.key)!),
      );
      if (outsider) members.set(ids.get(outsider.key)!, "pending");
    }
    let i = 0;
    for (const [userId, role] of members)
      await tx.insert(communityMembers).values({
        communityId: row.id,
        userId,
        role,
        followQuestions: role === "lead",
        createdAt: ago(190 - n * 20 - i++ * 3),
      });
    const memberIds = [...members].filter(([, r]) => r === "lead" || r === "member").map(([id]) => id);
    for (const [k, q] of c.open.entries()) {
      const askedAt = ago(q.daysAgo);
      await tx.insert(questions).values({
        title: q.title,
        body: q.body,
        tags: q.tags,
        communityId: row.id,
        authorId: memberIds[(k + 1) % memberIds.length],
        createdAt: askedAt,
        updatedAt: askedAt,
        lastActivityAt: askedAt,
      });
    }
    if (c.post)
      await tx.insert(posts).values({
        authorId: ids.get(lead.key)!,
        kind: "learned",
        body: c.post.body,
        tags: c.post.tags,
        communityId: row.id,
        createdAt: ago(c.post.daysAgo),
      });
    // Pins: the best-voted answered question and the newest published article on its topics.
    const pinned = await rows<{ type: "question" | "article"; id: string }>(
      tx,
      sql`(select 'question' as type, q.id from questions q
             where q.tags && array[${topics}]::text[] and q.accepted_answer_id is not null and q.space_id is null
             order by q.score desc, q.created_at desc limit 1)
          union all
          (select 'article', a.id from articles a join spaces s on s.id = a.space_id
             where a.tags && array[${topics}]::text[] and a.status = 'published' and s.visibility = 'public'
             order by a.updated_at desc limit 1)`,
    );
    for (const p of pinned)
      await tx.insert(communityPins).values({
        communityId: row.id,
        itemType: p.type,
        itemId: p.id,
        pinnedBy: ids.get(lead.key)!,
        createdAt: ago(30),
      });
  }
}

/** The customs exchanges (see CUSTOMS): asked and answered across departments, outside any community. */
export async function loadDemoCustoms(tx: Executor, org: DemoOrg, ids: Map<string, string>, now: Date): Promise<void> {
  const HOUR = 3_600_000;
  const person = (dept: string) => {
    const p = org.people.find((x) => x.department === dept && x.role === "member");
    if (!p) throw new Error(`The demo has nobody in ${dept}`);
    return ids.get(p.key)!;
  };
  for (const q of CUSTOMS) {
    const askedAt = new Date(now.getTime() - q.daysAgo * DAY);
    const authorId = person(q.askerDept);
    const [row] = await tx
      .insert(questions)
      .values({
        title: q.title,
        body: q.body,
        tags: ["customs"],
        authorId,
        answerCount: q.answers.length,
        score: q.answers.length,
        createdAt: askedAt,
        updatedAt: askedAt,
        lastActivityAt: new Date(askedAt.getTime() + q.answers.length * 3 * HOUR),
      })
      .returning({ id: questions.id });
    await tx.insert(postRevisions).values({
      postType: "question",
      postId: row.id,
      version: 1,
      title: q.title,
      body: q.body,
      tags: ["customs"],
      authorId,
      note: "Asked",
      createdAt: askedAt,
    });
    for (const [i, a] of q.answers.entries()) {
      const at = new Date(askedAt.getTime() + (i + 1) * 3 * HOUR);
      const answerer = person(a.dept);
      const [ans] = await tx
        .insert(answers)
        .values({ questionId: row.id, body: a.body, authorId: answerer, score: 1, createdAt: at, updatedAt: at })
        .returning({ id: answers.id });
      await tx.insert(postRevisions).values({
        postType: "answer",
        postId: ans.id,
        version: 1,
        body: a.body,
        authorId: answerer,
        note: "Answered",
        createdAt: at,
      });
      if (a.accepted)
        await tx
          .update(questions)
          .set({ acceptedAnswerId: ans.id })
          .where(sql`${questions.id} = ${row.id}`);
    }
  }
}
