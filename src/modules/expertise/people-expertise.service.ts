import { and, eq, sql } from "drizzle-orm";
import { endorsements, skills, users } from "../../../db/schema";
import { rows } from "../../platform/db";
import type { AppContext } from "../../context";
import { invalidField, notFound } from "../../platform/errors";
import { authorize, type Actor } from "../../authz/policy";
import { readableAudiences, readableSql } from "../../authz/audience";
import { isBacked, topicProfile, type ProfileItem } from "../../domain/expertise/profile";
import { normaliseTags } from "../knowledge/articles.schema";
import { bumpExpertise } from "./expertise.service";
import { loadPeople } from "../accounts/users";
import { loadCounts, presentAvailability } from "./availability.service";

/** A person's expertise per topic, from evidence the viewer may read, with self-declared skills and endorsements. */
export async function personExpertise(ctx: AppContext, actor: Actor, personId: string) {
  authorize(actor, "read", { kind: "person", id: personId });
  const person = (await loadPeople(ctx.db, [personId])).get(personId);
  if (!person) throw notFound("Person not found");
  const readableQ = readableSql(actor, "question", "q");
  const answers = await rows<{
    id: string;
    question_id: string;
    title: string;
    tags: string[];
    score: number;
    created_at: Date | string;
    accepted: boolean;
  }>(
    ctx.db,
    sql`select a.id, q.id as question_id, q.title, q.tags, a.score, a.created_at, coalesce(q.accepted_answer_id = a.id, false) as accepted
        from answers a join questions q on q.id = a.question_id
        where a.author_id = ${personId} and a.deleted_at is null and ${readableQ}`,
  );
  const articles = await rows<{
    id: string;
    title: string;
    tags: string[];
    at: Date | string;
    kind: "article" | "article_update";
  }>(
    ctx.db,
    sql`select a.id, a.title, a.tags, a.created_at as at, 'article' as kind from articles a
          where a.owner_id = ${personId} and a.status = 'published' and ${readableSql(actor, "article", "a")}
        union all
        select a.id, a.title, a.tags, max(r.created_at) as at, 'article_update' as kind from article_revisions r join articles a on a.id = r.article_id
          where r.author_id = ${personId} and a.owner_id <> ${personId} and a.status = 'published' and ${readableSql(actor, "article", "a")}
          group by a.id, a.title, a.tags`,
  );
  const endorsed = await rows<{
    tag: string;
    note: string;
    endorser_id: string;
    endorser_name: string;
    created_at: Date | string;
  }>(
    ctx.db,
    sql`select e.tag, e.note, e.endorser_id, u.name as endorser_name, e.created_at from endorsements e join users u on u.id = e.endorser_id where e.user_id = ${personId} order by e.created_at`,
  );
  const declared = await rows<{ tag: string }>(
    ctx.db,
    sql`select tag from skills where user_id = ${personId} order by tag`,
  );
  const items: ProfileItem[] = [
    ...answers.map((a) => ({
      kind: a.accepted ? ("accepted_answer" as const) : ("answer" as const),
      tags: a.tags,
      at: new Date(a.created_at),
      votes: a.score,
      title: a.title,
      url: `/questions/${a.question_id}#answer-${a.id}`,
    })),
    ...articles.map((a) => ({
      kind: a.kind,
      tags: a.tags,
      at: new Date(a.at),
      title: a.title,
      url: `/articles/${a.id}`,
    })),
    ...endorsed.map((e) => ({
      kind: "endorsement" as const,
      tags: [e.tag],
      at: new Date(e.created_at),
      title: `Endorsed by ${e.endorser_name}`,
      url: `/people/${e.endorser_id}`,
    })),
  ];
  const now = ctx.now();
  const topics = topicProfile(items, now, { topics: 15, evidence: 3 });
  const allTopics = topicProfile(items, now, { topics: 10_000, evidence: 0 });
  const byTag = new Map(allTopics.map((t) => [t.tag, t]));
  const declaredTags = new Set(declared.map((d) => d.tag));
  const counts = await loadCounts(ctx.db, [person], now, actor);
  return {
    personId,
    topics: topics.map((t) => ({
      ...t,
      selfDeclared: declaredTags.has(t.tag),
      endorsedBy: endorsed
        .filter((e) => e.tag === t.tag)
        .map((e) => ({ id: e.endorser_id, name: e.endorser_name, note: e.note })),
      endorsedByMe: endorsed.some((e) => e.tag === t.tag && e.endorser_id === actor.id),
    })),
    // Said, not (yet) shown: listed apart from the evidence-backed topics.
    unbackedSkills: declared
      .filter((d) => !isBacked(byTag.get(d.tag)))
      .map((d) => ({
        tag: d.tag,
        endorsedBy: endorsed
          .filter((e) => e.tag === d.tag)
          .map((e) => ({ id: e.endorser_id, name: e.endorser_name, note: e.note })),
        endorsedByMe: endorsed.some((e) => e.tag === d.tag && e.endorser_id === actor.id),
      })),
    skills: declared.map((d) => d.tag),
    totals: {
      answers: answers.length,
      accepted: answers.filter((a) => a.accepted).length,
      articles: articles.filter((a) => a.kind === "article").length,
      endorsements: endorsed.length,
    },
    availability: presentAvailability(
      person,
      now,
      counts.get(personId)?.today ?? 0,
      counts.get(personId)?.todayShown ?? 0,
    ),
  };
}

/** "Who knows X": people ranked by expertise on the words, with availability and the evidence for each. */
export async function whoKnows(
  ctx: AppContext,
  actor: Actor,
  input: { q: string; department?: string; availability?: "available" | "reachable"; limit: number },
) {
  authorize(actor, "readPeople", { kind: "instance" });
  const audiences =
    actor.role === "admin" ? ("all" as const) : new Set((await readableAudiences(ctx.db, actor)).keys());
  const words = input.q.toLowerCase().match(/[\p{L}\p{N}#+.-]{2,}/gu) ?? [];
  const tags = normaliseTags([input.q, ...words]);
  const now = ctx.now();
  const ranked = await ctx.expertise.rank(
    { text: input.q, tags, at: now, askerId: actor.id },
    { readableAudiences: audiences, limit: 200, reasons: 3 },
  );
  const people = await loadPeople(
    ctx.db,
    ranked.map((r) => r.personId),
  );
  const kept = ranked.filter((r) => {
    const p = people.get(r.personId);
    // Only people with evidence on the topic itself: being active in general is not knowing X.
    return (
      p && p.deactivated_at === null && r.reasons.length > 0 && (!input.department || p.department === input.department)
    );
  });
  const counts = await loadCounts(
    ctx.db,
    kept.map((r) => people.get(r.personId)!),
    now,
    actor,
  );
  const items = kept
    .map((r) => {
      const p = people.get(r.personId)!;
      return {
        id: p.id,
        name: p.name,
        title: p.title,
        department: p.department,
        score: Math.round(r.score * 1000) / 1000,
        reasons: r.reasons,
        availability: presentAvailability(p, now, counts.get(p.id)?.today ?? 0, counts.get(p.id)?.todayShown ?? 0),
      };
    })
    .filter((x) =>
      input.availability === "available"
        ? x.availability.status === "available"
        : input.availability === "reachable"
          ? x.availability.reachable
          : true,
    )
    .slice(0, input.limit);
  return { total: items.length, items };
}

/**
 * Replaces the actor's self-declared skills. The person's row is locked first, so two saves at
 * once take turns (the last one wins) instead of both inserting into the same (person, tag) keys.
 */
export async function setSkills(ctx: AppContext, actor: Actor, tags: string[]) {
  const clean = normaliseTags(tags);
  await ctx.db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, actor.id)).for("no key update");
    await tx.delete(skills).where(eq(skills.userId, actor.id));
    if (clean.length)
      await tx.insert(skills).values(clean.map((tag) => ({ userId: actor.id, tag, createdAt: ctx.now() })));
  });
  return personExpertise(ctx, actor, actor.id);
}

export async function endorse(ctx: AppContext, actor: Actor, personId: string, input: { tag: string; note: string }) {
  if (personId === actor.id) throw invalidField("personId", "you cannot endorse yourself");
  authorize(actor, "endorse", { kind: "person", id: personId });
  const [tag] = normaliseTags([input.tag]);
  if (!tag) throw invalidField("tag", "is required");
  const [target] = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, personId), sql`${users.deactivatedAt} is null`));
  if (!target) throw notFound("Person not found");
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(endorsements)
      .values({ userId: personId, endorserId: actor.id, tag, note: input.note, createdAt: ctx.now() })
      .onConflictDoUpdate({
        target: [endorsements.userId, endorsements.endorserId, endorsements.tag],
        set: { note: input.note },
      })
      .returning({ id: endorsements.id });
    await bumpExpertise(tx, "endorse", row.id);
  });
  return personExpertise(ctx, actor, personId);
}

export async function withdrawEndorsement(ctx: AppContext, actor: Actor, personId: string, tag: string) {
  await ctx.db.transaction(async (tx) => {
    const gone = await tx
      .delete(endorsements)
      .where(and(eq(endorsements.userId, personId), eq(endorsements.endorserId, actor.id), eq(endorsements.tag, tag)))
      .returning({ id: endorsements.id });
    for (const g of gone) await bumpExpertise(tx, "unendorse", g.id);
  });
  return personExpertise(ctx, actor, personId);
}
