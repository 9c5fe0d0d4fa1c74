import { sql } from "drizzle-orm";
import { answers, articleRevisions, articles, endorsements, networkDatasets, networkEdges, networkNodes, postRevisions, questions, settings, skills, spaceMembers, spaces, users } from "../schema";
import type { Db } from "../../src/platform/db";
import { hashPassword } from "../../src/modules/accounts/passwords";
import { slugify } from "../../src/modules/spaces/spaces.service";
import { buildDemoOrg, type DemoOrg } from "./demo-org";

const DAY = 86_400_000;

/** Loads the demo organisation in one transaction; returns the login to print. */
export async function loadDemo(db: Db, now: Date, org: DemoOrg = buildDemoOrg()): Promise<{ email: string; password: string; people: number; articles: number }> {
  const passwordHash = await hashPassword(org.password);
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  await db.transaction(async (tx) => {
    const ids = new Map<string, string>();
    for (const p of org.people) {
      const [u] = await tx
        .insert(users)
        .values({ email: p.email, name: p.name, role: p.role, passwordHash, title: p.title, department: p.department, location: p.location, timeZone: p.timeZone, bio: p.bio, createdAt: ago(p.joinedDaysAgo) })
        .returning({ id: users.id });
      ids.set(p.key, u.id);
    }
    for (const p of org.people) {
      if (p.managerKey) await tx.update(users).set({ managerId: ids.get(p.managerKey)! }).where(sql`${users.id} = ${ids.get(p.key)!}`);
    }
    const spaceIds = new Map<string, string>();
    for (const s of org.spaces) {
      const [row] = await tx
        .insert(spaces)
        .values({ name: s.name, slug: slugify(s.name), description: s.description, visibility: s.visibility, createdBy: ids.get(s.ownerKey)!, createdAt: ago(400), updatedAt: ago(400) })
        .returning({ id: spaces.id });
      spaceIds.set(s.key, row.id);
      const members = new Map<string, "owner" | "editor" | "viewer">([[s.ownerKey, "owner"]]);
      for (const m of s.members) if (!members.has(m.personKey)) members.set(m.personKey, m.role);
      for (const [key, role] of members) await tx.insert(spaceMembers).values({ spaceId: row.id, userId: ids.get(key)!, role });
    }
    for (const a of org.articles) {
      // `body` is the first version; each revision carries a later full text.
      const history = [{ authorKey: a.ownerKey, daysAgo: a.createdDaysAgo, body: a.body, title: a.title, note: "Created" }, ...a.revisions];
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
      let version = 0;
      let title = a.title;
      for (const h of history) {
        version++;
        title = h.title ?? title;
        await tx.insert(articleRevisions).values({ articleId: row.id, version, title, body: h.body, tags: a.tags, authorId: ids.get(h.authorKey)!, note: h.note, createdAt: ago(h.daysAgo) });
      }
    }
    for (const q of org.questions) {
      const askedAt = ago(q.daysAgo);
      const lastAt = new Date(askedAt.getTime() + Math.max(0, ...q.answers.map((a) => a.afterHours)) * 3_600_000);
      const [row] = await tx
        .insert(questions)
        .values({ title: q.title, body: q.body, tags: q.tags, authorId: ids.get(q.askerKey)!, answerCount: q.answers.length, score: q.answers.length, createdAt: askedAt, updatedAt: askedAt, lastActivityAt: lastAt })
        .returning({ id: questions.id });
      await tx.insert(postRevisions).values({ postType: "question", postId: row.id, version: 1, title: q.title, body: q.body, tags: q.tags, authorId: ids.get(q.askerKey)!, note: "Asked", createdAt: askedAt });
      for (const a of q.answers) {
        const at = new Date(askedAt.getTime() + a.afterHours * 3_600_000);
        const [ans] = await tx.insert(answers).values({ questionId: row.id, body: a.body, authorId: ids.get(a.authorKey)!, score: a.score, createdAt: at, updatedAt: at }).returning({ id: answers.id });
        await tx.insert(postRevisions).values({ postType: "answer", postId: ans.id, version: 1, body: a.body, authorId: ids.get(a.authorKey)!, note: "Answered", createdAt: at });
        if (a.accepted) await tx.update(questions).set({ acceptedAnswerId: ans.id }).where(sql`${questions.id} = ${row.id}`);
      }
    }
    // Availability, declared skills and endorsements, derived deterministically from the people and their articles.
    const extraSkills = ["excel", "sql", "german", "first-aid", "presenting", "power-bi"];
    const ownTags = new Map<string, string[]>();
    for (const a of org.articles) ownTags.set(a.ownerKey, [...new Set([...(ownTags.get(a.ownerKey) ?? []), ...a.tags])]);
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
      const declared = [...(ownTags.get(p.key) ?? []).slice(0, 2), ...(i % 3 === 0 ? [extraSkills[i % extraSkills.length]] : [])];
      if (declared.length) await tx.insert(skills).values(declared.map((tag) => ({ userId: ids.get(p.key)!, tag, createdAt: ago(30) }))).onConflictDoNothing();
    }
    for (const [i, a] of org.articles.entries()) {
      const owner = byKeyOf(org, a.ownerKey);
      const colleague = org.people.find((p, j) => p.department === owner.department && p.key !== a.ownerKey && p.role !== "guest" && j % 3 === i % 3);
      if (!colleague || a.tags.length === 0) continue;
      await tx
        .insert(endorsements)
        .values({ userId: ids.get(a.ownerKey)!, endorserId: ids.get(colleague.key)!, tag: a.tags[0], note: "", createdAt: ago(Math.max(1, a.createdDaysAgo - 3)) })
        .onConflictDoNothing();
    }
    await tx.insert(settings).values({ key: "organisation", value: org.organisation }).onConflictDoNothing();
    // The demo network names people by name (an imported network has its own ids).
    const byKey = new Map(org.people.map((p) => [p.key, p]));
    const [ds] = await tx.insert(networkDatasets).values({ name: org.network.name, weighted: true, importedBy: ids.get(org.people.find((p) => p.email === org.adminEmail)!.key)! }).returning({ id: networkDatasets.id });
    await tx.insert(networkNodes).values(org.people.filter((p) => p.role !== "guest").map((p) => ({ datasetId: ds.id, externalId: p.name, department: p.department })));
    await tx.insert(networkEdges).values(org.network.edges.map((e) => ({ datasetId: ds.id, source: byKey.get(e.sourceKey)!.name, target: byKey.get(e.targetKey)!.name, weight: e.weight })));
  });
  return { email: org.adminEmail, password: org.password, people: org.people.length, articles: org.articles.length };
}

function byKeyOf(org: DemoOrg, key: string) {
  return org.people.find((p) => p.key === key)!;
}
