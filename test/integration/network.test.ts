import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import {
  answers,
  articleRevisions,
  articles,
  communities,
  communityMembers,
  mentorProgrammes,
  mentorships,
  questions,
  sessionPresenters,
  sessionRsvps,
  sharingSessions,
} from "../../db/schema";
import { importNetwork } from "../../src/modules/network/network.service";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

type View = {
  level: string;
  departments: { name: string; people: number; silo: number }[];
  people?: { id: string; label: string; inDegree: number }[];
  edges?: unknown[];
};

describe.each(testBackends())("network map data on %s", (backend) => {
  let t: TestApp;
  let admin: Client;
  let member: Client;
  let km: Client;
  let ids: Record<string, string>;
  let datasetId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const a = await t.newUser({ role: "admin", department: "Ops" });
    const ana = await t.newUser({ name: "Ana", department: "Ops" });
    const ben = await t.newUser({ name: "Ben", department: "Sales" });
    const kim = await t.newUser({ name: "Kim", department: "Sales" });
    const newbie = await t.newUser({ name: "Newbie", department: "Sales" });
    await t.ctx.db.execute(sql`update users set created_at = '2026-01-05T09:00:00Z' where id = ${newbie.id}`);
    await t.ctx.db.execute(sql`update users set knowledge_manager = true where id = ${kim.id}`);
    ids = { admin: a.id, ana: ana.id, ben: ben.id, kim: kim.id };
    admin = await t.login(a.email);
    member = await t.login(ana.email);
    km = await t.login(kim.email);
    // Ben answers Ana's org-wide question (accepted); Ana edits Ben's article in a private space Ana cannot see.
    const [q] = await t.ctx.db
      .insert(questions)
      .values({ title: "How do I reset a scanner?", body: "It froze.", tags: ["scanners"], authorId: ana.id })
      .returning();
    const [ans] = await t.ctx.db
      .insert(answers)
      .values({ questionId: q.id, body: "Hold power.", authorId: ben.id })
      .returning();
    await t.ctx.db.execute(sql`update questions set accepted_answer_id = ${ans.id} where id = ${q.id}`);
    const secret = await t.newSpace(ben.id, { visibility: "private" });
    const [art] = await t.ctx.db
      .insert(articles)
      .values({ spaceId: secret.id, title: "Secret", body: "x", ownerId: ben.id, updatedBy: kim.id, version: 2 })
      .returning();
    await t.ctx.db.insert(articleRevisions).values([
      { articleId: art.id, version: 1, title: "Secret", body: "x", tags: [], authorId: ben.id },
      { articleId: art.id, version: 2, title: "Secret", body: "y", tags: [], authorId: kim.id },
    ]);
    const actor = { id: a.id, role: "admin" as const, name: "Admin" };
    const people = new Map([
      ["1", "A"],
      ["2", "A"],
      ["3", "B"],
    ]);
    const edges = [
      { source: "1", target: "2" },
      { source: "2", target: "3" },
      { source: "1", target: "2" },
    ];
    datasetId = (await importNetwork(t.ctx, actor, { name: "survey", edges, weighted: false, people })).id;
    const again = await importNetwork(t.ctx, actor, { name: "survey", edges, weighted: false, people });
    expect(again.id).toBe(datasetId);
  });
  afterAll(async () => t.close());

  it("re-importing a network replaces it without duplicates", async () => {
    const r = await admin.json<{ items: { id: string; name: string; nodes: number; edges: number }[] }>(
      "GET",
      "/api/network/datasets",
    );
    expect(r.body.items).toEqual([expect.objectContaining({ id: datasetId, name: "survey", nodes: 3, edges: 2 })]);
  });

  it("shows individuals to admins and knowledge managers only", async () => {
    const adminView = await admin.json<View>("GET", "/api/network?level=person&from=2000-01-01&to=2100-01-01");
    expect(adminView.status).toBe(200);
    const ana = adminView.body.people!.find((p) => p.id === ids.ana)!;
    expect(ana.inDegree).toBe(3); // Ben's accepted answer
    expect((await km.json<View>("GET", "/api/network?level=person&from=2000-01-01&to=2100-01-01")).status).toBe(200);
    const newcomers = (adminView.body as View & { newcomers: { label: string }[] }).newcomers.map((n) => n.label);
    expect(newcomers).toEqual(["Newbie"]);
    const denied = await member.json("GET", "/api/network?level=person&from=2000-01-01&to=2100-01-01");
    expect(denied.status).toBe(403);
    const csv = await member.request("GET", "/api/network/export.csv?level=person");
    expect(csv.statusCode).toBe(403);
  });

  it("gives everyone the department level without naming anybody", async () => {
    const r = await member.request("GET", `/api/network?source=${datasetId}`);
    expect(r.statusCode).toBe(200);
    const body = r.json() as View;
    expect(body.people).toBeUndefined();
    expect(body.edges).toBeUndefined();
    expect(body.departments.map((d) => d.name)).toEqual(["A", "B"]);
    expect(r.body).not.toContain('"1"');
    const csv = await member.request("GET", `/api/network/export.csv?source=${datasetId}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split("\n")[0]).toBe("department,people,silo,internal_flow,outgoing_flow,incoming_flow");
  });

  it("builds the in-app network only from content the viewer may read", async () => {
    const asMember = (await member.json<View>("GET", "/api/network?from=2000-01-01&to=2100-01-01")).body;
    const sales = asMember.departments.find((d) => d.name === "Sales")!;
    // Kim's edit of Ben's private article is invisible to Ana: Sales has no internal flow for her.
    expect(sales.silo).toBe(0);
    expect((asMember as View & { newcomersByDepartment: Record<string, number> }).newcomersByDepartment).toEqual({
      Sales: 1,
    });
    expect(JSON.stringify(asMember)).not.toContain("Newbie");
    const asAdmin = (await admin.json<View>("GET", "/api/network?from=2000-01-01&to=2100-01-01")).body;
    expect(asAdmin.departments.find((d) => d.name === "Sales")!.silo).toBeGreaterThan(0);
  });

  it("counts the kinds of tie asked for: community answers apart, sessions attended only when chosen, members-only ones for members", async () => {
    type Flow = View & { edgeTypes: string[]; flow: { departments: string[]; matrix: number[][] } };
    const between = (v: Flow, from: string, to: string) =>
      v.flow.matrix[v.flow.departments.indexOf(from)]?.[v.flow.departments.indexOf(to)] ?? 0;
    const range = "from=2000-01-01&to=2100-01-01";
    // Kim (Sales) answers Ana's (Ops) question asked to an open community.
    const [guild] = await t.ctx.db
      .insert(communities)
      .values({ name: "Scanner guild", slug: "scanner-guild", topics: ["scanners"], createdBy: ids.kim })
      .returning();
    const [cq] = await t.ctx.db
      .insert(questions)
      .values({
        title: "Which scanner battery?",
        body: "?",
        tags: ["scanners"],
        authorId: ids.ana,
        communityId: guild.id,
      })
      .returning();
    await t.ctx.db.insert(answers).values({ questionId: cq.id, body: "The long one.", authorId: ids.kim });
    // Ana (Ops) presents an open session Ben (Sales) attended; Kim presents a members-only community's session
    // that Ben attended.
    const [closed] = await t.ctx.db
      .insert(communities)
      .values({
        name: "Pricing circle",
        slug: "pricing-circle",
        topics: ["pricing"],
        visibility: "members",
        createdBy: ids.kim,
      })
      .returning();
    await t.ctx.db.insert(communityMembers).values([
      { communityId: closed.id, userId: ids.kim, role: "lead" },
      { communityId: closed.id, userId: ids.ben, role: "member" },
    ]);
    const at = new Date("2026-02-10T10:00:00Z");
    const session = (title: string, by: string, communityId: string | null) => ({
      title,
      startsAt: at,
      timeZone: "UTC",
      durationMinutes: 60,
      place: "Room 1",
      topics: ["scanners"],
      communityId,
      createdBy: by,
    });
    const [open, secret] = await t.ctx.db
      .insert(sharingSessions)
      .values([session("Scanner tips", ids.ana, null), session("Price review", ids.kim, closed.id)])
      .returning();
    await t.ctx.db.insert(sessionPresenters).values([
      { sessionId: open.id, userId: ids.ana },
      { sessionId: secret.id, userId: ids.kim },
    ]);
    await t.ctx.db.insert(sessionRsvps).values([
      { sessionId: open.id, userId: ids.ben, status: "going", checkedInAt: at },
      { sessionId: secret.id, userId: ids.ben, status: "going", checkedInAt: at },
    ]);

    const byDefault = (await member.json<Flow>("GET", `/api/network?${range}`)).body;
    expect(byDefault.edgeTypes).toEqual(["answers", "community", "comments", "edits"]);
    expect(between(byDefault, "Sales", "Ops")).toBe(5); // Ben's accepted answer (3) and Kim's community answer (2)
    expect(between(byDefault, "Ops", "Sales")).toBe(0); // sessions are off unless asked for
    const answersOnly = (await member.json<Flow>("GET", `/api/network?${range}&edges=answers`)).body;
    expect(answersOnly.edgeTypes).toEqual(["answers"]);
    expect(between(answersOnly, "Sales", "Ops")).toBe(3);
    expect(
      between((await member.json<Flow>("GET", `/api/network?${range}&edges=community`)).body, "Sales", "Ops"),
    ).toBe(2);
    const sessions = (await member.json<Flow>("GET", `/api/network?${range}&edges=sessions`)).body;
    expect(between(sessions, "Ops", "Sales")).toBe(1);
    // Ana is not in the pricing circle: Kim's session to Ben is not a tie she can see; Kim (a member) can.
    expect(between(sessions, "Sales", "Sales")).toBe(0);
    expect(between((await km.json<Flow>("GET", `/api/network?${range}&edges=sessions`)).body, "Sales", "Sales")).toBe(
      1,
    );

    // Mentoring ties are private to the pair: only those who run programmes may ask for them.
    expect((await member.json("GET", `/api/network?${range}&edges=mentoring`)).status).toBe(403);
    const [programme] = await t.ctx.db
      .insert(mentorProgrammes)
      .values({ name: "Mentoring", startsOn: "2026-01-01", endsOn: "2026-12-31", createdBy: ids.kim })
      .returning();
    await t.ctx.db.insert(mentorships).values({
      programmeId: programme.id,
      mentorId: ids.ana,
      menteeId: ids.ben,
      status: "active",
      origin: "matched",
      expiresAt: at,
      startedAt: at,
    });
    const mentoring = (await km.json<Flow>("GET", `/api/network?${range}&edges=mentoring`)).body;
    expect(mentoring.edgeTypes).toEqual(["mentoring"]);
    expect(between(mentoring, "Ops", "Sales")).toBe(1);
    const bad = await member.json<{ error: { fields: { path: string; message: string }[] } }>(
      "GET",
      `/api/network?${range}&edges=answers,gossip`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe("edges");
  });

  it("validates the query", async () => {
    const r = await admin.json<{ error: { fields: { path: string }[] } }>("GET", "/api/network?source=nope");
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0].path).toBe("source");
    expect((await admin.json("GET", "/api/network?from=yesterday")).status).toBe(400);
  });
});
