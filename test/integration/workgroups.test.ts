import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

type Person = { id: string; name: string; department: string };
type Proposal = {
  skills: string[];
  members: (Person & {
    covers: { topic: string; evidence: number }[];
    reasons: { kind: string; text: string }[];
    mustInclude: boolean;
    alternatives: (Person & { cost: number })[];
  })[];
  coverage: { topic: string; coveredBy: { id: string; evidence: number }[] }[];
  uncovered: string[];
  unheld: string[];
  departments: string[];
  cost: {
    sum: number;
    diameter: number;
    disconnected: number;
    directTies: number;
    rarestFirst: { sum: number } | null;
  };
  messages: string[];
};
type Workgroup = {
  id: string;
  title: string;
  status: string;
  skills: string[];
  leader: Person;
  members: Person[];
  space: { id: string; name: string };
  kickoffPostId: string | null;
  retrospectiveId: string | null;
  coverage: { topic: string; coveredBy: { id: string }[] }[];
  can: { close: boolean };
};
type Err = { error: { code: string; fields?: { path: string; message: string }[] } };

const SKILLS = ["postgres", "ux-research", "kubernetes"];

describe.each(testBackends())("workgroups on %s", (backend) => {
  let t: TestApp;
  const who: Record<string, { id: string; client: Client }> = {};

  beforeAll(async () => {
    t = await createTestApp(backend);
    const people: [string, string, "member" | "admin" | "guest"][] = [
      ["lena", "Operations", "member"], // the leader
      ["ana", "Data", "member"], // postgres expert
      ["ben", "Data", "member"], // some postgres
      ["cy", "Design", "member"], // ux-research expert
      ["eve", "Design", "member"], // some ux-research
      ["dan", "Operations", "member"], // kubernetes expert, away
      ["fay", "Operations", "member"], // some kubernetes
      ["hal", "Finance", "member"], // no evidence at all
      ["olga", "Legal", "member"], // outsider
      ["ada", "IT", "admin"],
      ["gus", "Guests", "guest"],
    ];
    for (const [name, department, role] of people) {
      const u = await t.newUser({ name, department, role });
      who[name] = { id: u.id, client: await t.login(u.email) };
    }
    await t.ctx.db.execute(sql`update users set availability = 'away' where id = ${who.dan.id}`);
    // Evidence and help ties: an answer ties the answerer to the asker.
    const qa = async (asker: string, answerer: string, tag: string, k: number, body: string) => {
      const q = await who[asker].client.json<{ id: string }>("POST", "/api/questions", {
        title: `${tag} question ${answerer} ${k}`,
        body,
        tags: [tag],
        route: false,
      });
      expect(q.status).toBe(201);
      const a = await who[answerer].client.json("POST", `/api/questions/${q.body.id}/answers`, {
        body: `${body} Here is how we do it.`,
      });
      expect(a.status).toBe(201);
    };
    for (let k = 0; k < 3; k++) await qa("cy", "ana", "postgres", k, "How do I tune postgres vacuum?");
    await qa("cy", "ben", "postgres", 0, "Which postgres index fits?");
    for (let k = 0; k < 3; k++) await qa("ana", "cy", "ux-research", k, "How do we run ux research interviews?");
    await qa("olga", "eve", "ux-research", 0, "How many users for ux research?");
    for (let k = 0; k < 3; k++) await qa("lena", "dan", "kubernetes", k, "How do I scale kubernetes pods?");
    await qa("ana", "fay", "kubernetes", 0, "Where are kubernetes logs?");
    await t.ctx.expertise.refresh();
  });
  afterAll(async () => t.close());

  const propose = (as: string, body: Record<string, unknown>) =>
    who[as].client.json<Proposal & Err>("POST", "/api/workgroups/propose", {
      title: "Faster reporting",
      description: "Rebuild the reporting pipeline",
      skills: SKILLS,
      size: 3,
      ...body,
    });
  const ids = (p: Proposal) => p.members.map((m) => m.id);

  it("suggests skills from the description, with the reason", async () => {
    const res = await who.lena.client.json<{ items: { topic: string; why: string }[] }>(
      "POST",
      "/api/workgroups/skills",
      { description: "We must tune postgres vacuum and scale our kubernetes pods" },
    );
    expect(res.status).toBe(200);
    const topics = res.body.items.map((i) => i.topic);
    expect(topics).toContain("postgres");
    expect(topics).toContain("kubernetes");
    expect(topics).not.toContain("ux-research");
    expect(res.body.items.length).toBeLessThanOrEqual(6);
    expect(res.body.items.find((i) => i.topic === "postgres")!.why).toMatch(/named in the description/i);
  });

  it("proposes a group that covers every skill with people who have evidence, with reasons and costs", async () => {
    const res = await propose("lena", {});
    expect(res.status).toBe(200);
    const p = res.body;
    expect(p.uncovered).toEqual([]);
    expect(p.members).toHaveLength(3);
    for (const c of p.coverage) expect(c.coveredBy.length).toBeGreaterThan(0);
    for (const m of p.members) expect(m.covers.length).toBeGreaterThan(0);
    expect(ids(p)).toContain(who.ana.id);
    expect(ids(p)).toContain(who.cy.id);
    const ana = p.members.find((m) => m.id === who.ana.id)!;
    expect(ana.reasons.map((r) => r.text)).toContain("Covers postgres (evidence 100 %), the only one in the group");
    expect(ana.reasons.some((r) => r.kind === "tie" && /cy/.test(r.text))).toBe(true);
    expect(p.cost.sum).toBeGreaterThan(0);
    expect(p.cost.rarestFirst).not.toBeNull();
    expect(p.cost.sum).toBeLessThanOrEqual(p.cost.rarestFirst!.sum);
    expect(p.members.some((m) => m.alternatives.length > 0)).toBe(true);
  });

  it("respects available-only, must-include and the department count", async () => {
    const available = (await propose("lena", { availableOnly: true })).body;
    expect(ids(available)).not.toContain(who.dan.id);
    expect(available.members.flatMap((m) => m.alternatives.map((a) => a.id))).not.toContain(who.dan.id);
    expect(ids(available)).toContain(who.fay.id);

    const withBen = (await propose("lena", { mustInclude: [who.ben.id] })).body;
    expect(ids(withBen)).toContain(who.ben.id);
    expect(withBen.members.find((m) => m.id === who.ben.id)!.mustInclude).toBe(true);
    expect(withBen.uncovered).toEqual([]);

    const two = await propose("lena", { skills: ["postgres", "ux-research"], size: 3, minDepartments: 3 });
    expect(two.status).toBe(200);
    expect(new Set(two.body.members.map((m) => m.department)).size).toBeGreaterThanOrEqual(3);
    expect(two.body.departments.length).toBeGreaterThanOrEqual(3);
  });

  it("reports uncovered skills and a cover that needs more seats, never cutting silently", async () => {
    const res = await propose("lena", { skills: [...SKILLS, "cobol"] });
    expect(res.status).toBe(200);
    expect(res.body.uncovered).toContain("cobol");
    expect(res.body.unheld).toEqual(["cobol"]);
    expect(res.body.messages.join(" ")).toMatch(/cobol/);

    const small = await propose("lena", { size: 2 });
    expect(small.status).toBe(200);
    expect(small.body.members.length).toBe(3);
    expect(small.body.messages.join(" ")).toMatch(/takes 3 people, more than the 2 seats/);

    const big = await propose("lena", { size: 6, availableOnly: true });
    // Five available people have evidence: the free seats are filled, and the missing one is said.
    expect(big.body.members).toHaveLength(5);
    expect(big.body.members.some((m) => m.reasons.some((r) => r.kind === "fill"))).toBe(true);
    expect(big.body.messages.join(" ")).toMatch(/5 of the 6 seats/);
  });

  it("evaluates a swapped group: coverage and cost follow the swap", async () => {
    const p = (await propose("lena", {})).body;
    const seat = p.members.find((m) => m.alternatives.length > 0)!;
    const alt = seat.alternatives[0];
    const swapped = ids(p).map((id) => (id === seat.id ? alt.id : id));
    const res = await who.lena.client.json<Proposal>("POST", "/api/workgroups/evaluate", {
      skills: SKILLS,
      memberIds: swapped,
    });
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual(swapped);
    expect(res.body.cost.sum).toBe(alt.cost);
    expect(res.body.uncovered).toEqual([]);
    // Dropping the only postgres holder leaves postgres uncovered.
    const without = await who.lena.client.json<Proposal>("POST", "/api/workgroups/evaluate", {
      skills: SKILLS,
      memberIds: [who.cy.id, who.dan.id, who.hal.id],
    });
    expect(without.body.uncovered).toEqual(["postgres"]);
    expect(without.body.coverage.find((c) => c.topic === "postgres")!.coveredBy).toEqual([]);
  });

  it("rejects bad input naming the field, and guests", async () => {
    const field = async (body: Record<string, unknown>) => {
      const res = await propose("lena", body);
      expect(res.status).toBe(400);
      return res.body.error.fields![0].path;
    };
    expect(await field({ size: 1 })).toBe("size");
    expect(await field({ size: 13 })).toBe("size");
    expect(await field({ skills: [] })).toBe("skills");
    expect(await field({ minDepartments: 7 })).toBe("minDepartments");
    expect(await field({ mustInclude: [who.gus.id] })).toBe("mustInclude");
    const confirm = await who.lena.client.json<Err>("POST", "/api/workgroups", {
      title: "x",
      skills: SKILLS,
      memberIds: [who.ana.id],
    });
    expect(confirm.status).toBe(400);
    expect(confirm.body.error.fields![0].path).toBe("title");
    const guest = await propose("gus", {});
    expect(guest.status).toBe(403);
    const guestSkills = await who.gus.client.json("POST", "/api/workgroups/skills", { description: "postgres" });
    expect(guestSkills.status).toBe(403);
  });

  let group: Workgroup;

  it("confirms a group: a private space with the leader owning it, members editing, and a kick-off post", async () => {
    const res = await who.lena.client.json<Workgroup>("POST", "/api/workgroups", {
      title: "Faster reporting",
      description: "Rebuild the reporting pipeline",
      skills: SKILLS,
      memberIds: [who.ana.id, who.cy.id, who.fay.id],
    });
    expect(res.status).toBe(201);
    group = res.body;
    expect(group.leader.id).toBe(who.lena.id);
    expect(group.members.map((m) => m.id)).toEqual([who.ana.id, who.cy.id, who.fay.id]);
    expect(group.status).toBe("active");
    expect(group.can.close).toBe(true);
    expect(group.coverage.every((c) => c.coveredBy.length > 0)).toBe(true);

    const space = await who.ana.client.json<{ visibility: string; myRole: string; canEdit: boolean }>(
      "GET",
      `/api/spaces/${group.space.id}`,
    );
    expect(space.status).toBe(200);
    expect(space.body.visibility).toBe("private");
    expect(space.body.myRole).toBe("editor");
    const own = await who.lena.client.json<{ myRole: string }>("GET", `/api/spaces/${group.space.id}`);
    expect(own.body.myRole).toBe("owner");

    const post = await who.cy.client.json<{ body: string; kind: string; space: { id: string } }>(
      "GET",
      `/api/posts/${group.kickoffPostId}`,
    );
    expect(post.status).toBe(200);
    expect(post.body.kind).toBe("working_on");
    expect(post.body.space.id).toBe(group.space.id);
    expect(post.body.body).toMatch(/ana/);
    expect(post.body.body).toMatch(/kubernetes/);

    const mine = await who.fay.client.json<{ items: { id: string }[] }>("GET", "/api/workgroups");
    expect(mine.body.items.map((i) => i.id)).toContain(group.id);
    const member = await who.fay.client.json<Workgroup>("GET", `/api/workgroups/${group.id}`);
    expect(member.status).toBe(200);
    expect(member.body.can.close).toBe(false);
  });

  it("keeps the workgroup, its space and its post from non-members (404)", async () => {
    const outsider = who.olga.client;
    expect((await outsider.json("GET", `/api/workgroups/${group.id}`)).status).toBe(404);
    expect((await outsider.json("GET", `/api/spaces/${group.space.id}`)).status).toBe(404);
    expect((await outsider.json("GET", `/api/posts/${group.kickoffPostId}`)).status).toBe(404);
    expect((await outsider.json("POST", `/api/workgroups/${group.id}/close`)).status).toBe(404);
    const list = await outsider.json<{ items: { id: string }[] }>("GET", "/api/workgroups");
    expect(list.body.items).toEqual([]);
    expect((await who.ada.client.json("GET", `/api/workgroups/${group.id}`)).status).toBe(200);
  });

  it("closes with a retrospective in its space, members taking part; only the leader closes", async () => {
    expect((await who.ana.client.json("POST", `/api/workgroups/${group.id}/close`)).status).toBe(403);
    const res = await who.lena.client.json<Workgroup>("POST", `/api/workgroups/${group.id}/close`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("closed");
    expect(res.body.retrospectiveId).not.toBeNull();
    expect(res.body.can.close).toBe(false);
    const retro = await who.cy.client.json<{ spaceId: string; participants: { id: string }[]; can: { edit: boolean } }>(
      "GET",
      `/api/retrospectives/${res.body.retrospectiveId}`,
    );
    expect(retro.status).toBe(200);
    expect(retro.body.spaceId).toBe(group.space.id);
    expect(retro.body.participants.map((p) => p.id).sort()).toEqual(
      [who.lena.id, who.ana.id, who.cy.id, who.fay.id].sort(),
    );
    expect(retro.body.can.edit).toBe(true);
    expect((await who.olga.client.json("GET", `/api/retrospectives/${res.body.retrospectiveId}`)).status).toBe(404);
    expect((await who.lena.client.json("POST", `/api/workgroups/${group.id}/close`)).status).toBe(403);
  });
});
