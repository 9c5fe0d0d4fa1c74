import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

type Unit = {
  number: number;
  lead: { id: string } | null;
  members: { id: string; department: string; evidence: boolean }[];
  departments: number;
  reasons: string[];
  progress: number;
};
type Phase = {
  number: number;
  status: string;
  units: Unit[];
  explanation: { newPairs: number; repeatedPairs: number } | null;
  sync: { step: number; by: string } | null;
};
type Cohort = {
  id: string;
  phases: Phase[];
  currentPhase: number;
  warnings: { kind: string; unit: number | null }[];
  dashboard: { tiesBefore: number; tiesSince: number; pairsMet: number; participation: number };
  space: { id: string } | null;
  can: { manage: boolean };
};
type Err = { error: { code: string; fields?: { path: string; message: string }[] } };

describe.each(testBackends())("cohorts on %s", (backend) => {
  let t: TestApp;
  let kim: Client;
  const people: { id: string; client: Client; department: string }[] = [];
  let outsider: Client;
  let pathId: string;
  let cohort: Cohort;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const km = await t.newUser({ name: "Kim", department: "People" });
    await t.ctx.db.execute(sql`update users set knowledge_manager = true where id = ${km.id}`);
    kim = await t.login(km.email);
    const departments = ["Warehouse", "Fleet", "Finance"];
    for (let i = 0; i < 12; i++) {
      const department = departments[i % 3];
      const u = await t.newUser({ name: `P${String(i).padStart(2, "0")}`, department });
      people.push({ id: u.id, client: await t.login(u.email), department });
    }
    outsider = await t.login((await t.newUser({ name: "Olga" })).email);
    // Three people have shown the topic (an answer tagged with it); one in each future unit, ideally.
    for (const i of [0, 3, 6, 9]) {
      const q = await people[(i + 1) % 12].client.json<{ id: string }>("POST", "/api/questions", {
        title: `How do I plan a safety walk ${i}?`,
        body: "Asking for the first week.",
        tags: ["safety"],
        route: false,
      });
      await people[i].client.json("POST", `/api/questions/${q.body.id}/answers`, { body: "Start at the docks." });
    }
    const space = await t.newSpace(km.id, { name: "Safety" });
    const p = await kim.json<{ id: string; version: number }>("POST", "/api/paths", {
      title: "Safety basics",
      topics: ["safety"],
    });
    let version = p.body.version;
    for (let k = 0; k < 4; k++) {
      const a = await kim.json<{ id: string }>("POST", "/api/articles", {
        spaceId: space.id,
        title: `Safety article ${k}`,
        body: "Body.",
        tags: ["safety"],
      });
      const r = await kim.json<{ version: number }>("POST", `/api/paths/${p.body.id}/steps`, {
        version,
        kind: "article",
        targetId: a.body.id,
      });
      version = r.body.version;
    }
    await kim.json("PATCH", `/api/paths/${p.body.id}`, { version, status: "published" });
    pathId = p.body.id;
  });
  afterAll(async () => t?.close());

  const phases = [
    { fromStep: 1, toStep: 2, startsOn: "2026-03-02", endsOn: "2026-03-13" },
    { fromStep: 3, toStep: 3, startsOn: "2026-03-16", endsOn: "2026-03-27" },
    { fromStep: 4, toStep: 4, startsOn: "2026-03-30", endsOn: "2026-04-10" },
  ];

  it("knowledge managers create a cohort; bad plans are refused field by field", async () => {
    const body = {
      name: "Spring safety cohort",
      pathId,
      unitSize: 3,
      minDepartments: 2,
      memberIds: people.map((p) => p.id),
      phases,
    };
    expect((await people[0].client.json("POST", "/api/cohorts", body)).status).toBe(403);
    const bad = await kim.json<Err>("POST", "/api/cohorts", { ...body, phases: [{ ...phases[0], toStep: 9 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.[0].path).toBe("phases.0.toStep");
    const overlap = await kim.json<Err>("POST", "/api/cohorts", {
      ...body,
      phases: [phases[0], { ...phases[1], startsOn: "2026-03-05" }],
    });
    expect(overlap.body.error.fields?.[0].path).toBe("phases.1.startsOn");
    const created = await kim.json<Cohort>("POST", "/api/cohorts", body);
    expect(created.status).toBe(201);
    cohort = created.body;
    const first = cohort.phases[0];
    expect(first.status).toBe("proposed");
    expect(first.units).toHaveLength(4);
    // Every unit mixes departments and has someone who has shown the topic.
    for (const u of first.units) {
      expect(u.departments).toBeGreaterThanOrEqual(2);
      expect(u.members.some((m) => m.evidence)).toBe(true);
      expect(u.reasons.join(" ")).toMatch(/pairings are new/);
    }
    // Everyone is enrolled in the path and in the cohort's private space.
    const mine = await people[5].client.json<{ mine: { dueOn: string } | null }>("GET", `/api/paths/${pathId}`);
    expect(mine.body.mine?.dueOn).toBe("2026-04-10");
    expect((await people[5].client.json("GET", `/api/spaces/${cohort.space!.id}`)).status).toBe(200);
    expect((await outsider.json("GET", `/api/spaces/${cohort.space!.id}`)).status).toBe(404);
  });

  it("members read their cohort, outsiders get 404, only knowledge managers run it", async () => {
    const asMember = await people[3].client.json<Cohort>("GET", `/api/cohorts/${cohort.id}`);
    expect(asMember.status).toBe(200);
    expect(asMember.body.can.manage).toBe(false);
    expect((await outsider.json("GET", `/api/cohorts/${cohort.id}`)).status).toBe(404);
    expect((await people[3].client.json("POST", `/api/cohorts/${cohort.id}/start-phase`)).status).toBe(403);
    const listed = await outsider.json<{ items: unknown[] }>("GET", "/api/cohorts");
    expect(listed.body.items).toHaveLength(0);
  });

  it("between phases, units reshuffle with no repeated pairing, new leads, and pins honoured", async () => {
    let r = await kim.json<Cohort>("POST", `/api/cohorts/${cohort.id}/start-phase`);
    expect(r.body.currentPhase).toBe(1);
    const p1 = r.body.phases[0];
    const unitOf = (ph: Phase, id: string) => ph.units.find((u) => u.members.some((m) => m.id === id))!.number;
    // Pin two who met in phase 1 apart, and two who did not meet together.
    const a = p1.units[0].members[0].id;
    const b = p1.units[0].members[1].id;
    const c = p1.units[1].members[0].id;
    const d = p1.units[2].members[0].id;
    await kim.json("PUT", `/api/cohorts/${cohort.id}/pins`, { aId: a, bId: b, kind: "apart" });
    r = await kim.json<Cohort>("PUT", `/api/cohorts/${cohort.id}/pins`, { aId: c, bId: d, kind: "together" });
    expect(r.status).toBe(200);
    r = await kim.json<Cohort>("POST", `/api/cohorts/${cohort.id}/propose`);
    const p2 = r.body.phases[1];
    expect(p2.status).toBe("proposed");
    expect(p2.explanation?.repeatedPairs).toBe(0);
    expect(unitOf(p2, a)).not.toBe(unitOf(p2, b));
    expect(unitOf(p2, c)).toBe(unitOf(p2, d));
    // Leads rotate: never the lead of the phase before while someone else in the unit can lead.
    const leads1 = new Set(p1.units.map((u) => u.lead!.id));
    for (const u of p2.units) if (u.members.some((m) => !leads1.has(m.id))) expect(leads1.has(u.lead!.id)).toBe(false);
    r = await kim.json<Cohort>("POST", `/api/cohorts/${cohort.id}/start-phase`);
    expect(r.body.currentPhase).toBe(2);
    expect(r.body.phases[0].status).toBe("done");
    expect(r.body.dashboard.pairsMet).toBeGreaterThan(p1.units.length * 5);
  });

  it("watches the risks: units ahead of one another get a sync point; drop-outs get a rebalance", async () => {
    const cur = (await kim.json<Cohort>("GET", `/api/cohorts/${cohort.id}`)).body;
    const phase = cur.phases[1];
    // Unit 1 completes the phase's step; the others do not.
    const path = (await kim.json<{ steps: { id: string }[] }>("GET", `/api/paths/${pathId}`)).body;
    for (const m of phase.units[0].members) {
      const who = people.find((p) => p.id === m.id)!;
      for (const s of path.steps.slice(0, 3))
        expect((await who.client.json("POST", `/api/paths/${pathId}/steps/${s.id}/complete`, {})).status).toBe(200);
    }
    const ahead = (await kim.json<Cohort>("GET", `/api/cohorts/${cohort.id}`)).body;
    expect(ahead.phases[1].units[0].progress).toBe(1);
    expect(ahead.warnings.map((w) => w.kind)).not.toContain("spread");
    // A threshold of 1 step: the spread shows.
    await t.ctx.db.execute(sql`update cohorts set spread_threshold = 1 where id = ${cohort.id}`);
    const spread = (await kim.json<Cohort>("GET", `/api/cohorts/${cohort.id}`)).body;
    expect(spread.warnings).toContainEqual(expect.objectContaining({ kind: "spread", unit: 1 }));
    const badSync = await kim.json<Err>("POST", `/api/cohorts/${cohort.id}/sync`, { step: 1, by: "2026-03-20" });
    expect(badSync.body.error.fields?.[0].path).toBe("step");
    const synced = await kim.json<Cohort>("POST", `/api/cohorts/${cohort.id}/sync`, { step: 3, by: "2026-03-20" });
    expect(synced.body.phases[1].sync).toEqual({ step: 3, by: "2026-03-20" });

    // Two of unit 3 drop out: it is too small, and rebalancing spreads the rest.
    const victims = phase.units[2].members.slice(0, 2);
    for (const v of victims) await kim.json("POST", `/api/cohorts/${cohort.id}/members/${v.id}/drop`);
    const small = (await kim.json<Cohort>("GET", `/api/cohorts/${cohort.id}`)).body;
    expect(small.warnings.some((w) => w.kind === "small")).toBe(true);
    const rebalanced = (await kim.json<Cohort>("POST", `/api/cohorts/${cohort.id}/rebalance`)).body;
    expect(rebalanced.warnings.some((w) => w.kind === "small")).toBe(false);
    const placed = rebalanced.phases[1].units.flatMap((u) => u.members.map((m) => m.id));
    expect(placed.sort()).toEqual(
      people
        .map((p) => p.id)
        .filter((id) => !victims.some((v) => v.id === id))
        .sort(),
    );
    for (const u of rebalanced.phases[1].units) expect(u.members.map((m) => m.id)).toContain(u.lead!.id);
  });

  it("counts new help ties formed between cohort members", async () => {
    const before = (await kim.json<Cohort>("GET", `/api/cohorts/${cohort.id}`)).body.dashboard;
    t.clock.now = new Date("2026-03-18T09:00:00Z");
    const q = await people[2].client.json<{ id: string }>("POST", "/api/questions", {
      title: "Where are the wheel chocks kept?",
      body: "Cannot find them.",
      tags: ["safety"],
      route: false,
    });
    await people[7].client.json("POST", `/api/questions/${q.body.id}/answers`, { body: "Bay 4, blue box." });
    const after = (await kim.json<Cohort>("GET", `/api/cohorts/${cohort.id}`)).body.dashboard;
    expect(after.tiesSince).toBe(before.tiesSince + 1);
    expect(after.tiesBefore).toBe(before.tiesBefore);
  });
});
