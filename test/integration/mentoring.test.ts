import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

type Card = {
  id: string;
  mentor: { id: string; name: string };
  mentee: { id: string; name: string };
  status: string;
  reasons: { kind: string; text: string }[];
  mentorAccepted: boolean;
  menteeAccepted: boolean;
};
type Page = {
  id: string;
  mentors: number;
  mentees: number;
  suggestions: {
    mentor: { id: string; name: string };
    quality: number;
    reasons: { text: string }[];
    seatsLeft: number;
  }[];
  mine: Card[];
  review: null | {
    mentorships: Card[];
    mentors: { person: { id: string }; capacity: number; taken: number }[];
    rules: { mentorId: string; menteeId: string; rule: string }[];
    health: {
      mentees: number;
      matchedShare: number | null;
      acceptedShare: number | null;
      meetingsPerPair: number | null;
      goalsReached: { reached: number; closed: number };
      crossDepartmentShare: number | null;
    };
  };
  can: { manage: boolean; request: boolean };
  run?: { proposed: number; unmatched: number };
};
type Mentorship = Card & {
  goals: string;
  notes: string;
  version: number;
  meetings: { minutes: number }[];
  can: { accept: boolean; edit: boolean; close: boolean };
};
type Err = { error: { code: string; fields?: { path: string; message: string }[] } };

const PROGRAMME = {
  name: "Drivers and warehouse, spring",
  purpose: "New colleagues learn from **experienced** ones.",
  startsOn: "2026-03-01",
  endsOn: "2026-06-30",
  crossDepartmentWeight: 0.5,
};

describe.each(testBackends())("mentor programmes on %s", (backend) => {
  let t: TestApp;
  const who: Record<string, { id: string; client: Client }> = {};

  beforeAll(async () => {
    t = await createTestApp(backend);
    const people: [string, string, "member" | "admin" | "guest"][] = [
      ["kim", "People", "member"], // knowledge manager
      ["tess", "Transport", "member"], // tachograph expert, mentor
      ["omar", "Transport", "member"], // some tachograph evidence, mentor
      ["wanda", "Warehouse", "member"], // the mentee's manager, mentor
      ["mia", "Warehouse", "member"], // mentee, reports to wanda
      ["nils", "Warehouse", "member"], // mentee
      ["ada", "IT", "admin"],
      ["gus", "Guests", "guest"],
    ];
    for (const [name, department, role] of people) {
      const u = await t.newUser({ name, department, role });
      who[name] = { id: u.id, client: await t.login(u.email) };
    }
    await t.ctx.db.execute(sql`update users set knowledge_manager = true where id = ${who.kim.id}`);
    await t.ctx.db.execute(sql`update users set manager_id = ${who.wanda.id} where id = ${who.mia.id}`);
    // Evidence: Tess answered three tachograph questions, Omar one, Wanda one (she knows it too).
    const ask = async (title: string) =>
      (
        await who.nils.client.json<{ id: string }>("POST", "/api/questions", {
          title,
          body: "How does this work with the tachograph?",
          tags: ["tachograph"],
          route: false,
        })
      ).body.id;
    for (const [answerer, n] of [
      ["tess", 3],
      ["omar", 1],
      ["wanda", 1],
    ] as const)
      for (let k = 0; k < n; k++) {
        const q = await ask(`Tachograph download ${answerer} ${k}`);
        const a = await who[answerer].client.json("POST", `/api/questions/${q}/answers`, {
          body: "Download the card every 28 days and the unit every 90 days.",
        });
        expect(a.status).toBe(201);
      }
    await t.ctx.expertise.refresh();
  });
  afterAll(async () => t.close());

  let programme: string;

  it("lets knowledge managers create a programme, with clear errors; members and guests cannot", async () => {
    expect((await who.tess.client.json("POST", "/api/mentoring/programmes", PROGRAMME)).status).toBe(403);
    expect((await who.gus.client.json("GET", "/api/mentoring/programmes")).status).toBe(404);
    const bad = await who.kim.client.json<Err>("POST", "/api/mentoring/programmes", {
      ...PROGRAMME,
      endsOn: "2026-01-01",
      crossDepartmentWeight: 2,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields!.map((f) => f.path).sort()).toEqual(["crossDepartmentWeight", "endsOn"]);
    const ok = await who.kim.client.json<Page>("POST", "/api/mentoring/programmes", PROGRAMME);
    expect(ok.status).toBe(201);
    expect(ok.body.can.manage).toBe(true);
    programme = ok.body.id;
  });

  it("matches optimally within the rules: never in the reporting line, capacities kept, with reasons", async () => {
    for (const m of ["tess", "omar", "wanda"])
      expect(
        (
          await who[m].client.json("PUT", `/api/mentoring/programmes/${programme}/participation`, {
            role: "mentor",
            capacity: 1,
            topics: ["tachograph"],
          })
        ).status,
      ).toBe(200);
    const bad = await who.mia.client.json<Err>("PUT", `/api/mentoring/programmes/${programme}/participation`, {
      role: "mentee",
      topics: [],
      preferences: [who.kim.id],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields![0].path).toBe("topics");
    const mia = await who.mia.client.json<Page>("PUT", `/api/mentoring/programmes/${programme}/participation`, {
      role: "mentee",
      topics: ["tachograph"],
      goalText: "Plan my first long-distance tours legally.",
    });
    expect(mia.status).toBe(200);
    // Suggested mentors for Mia: Tess first (most evidence); never Wanda, her manager.
    expect(mia.body.suggestions.map((s) => s.mentor.name)).toEqual(["tess", "omar"]);
    expect(mia.body.suggestions[0].reasons.map((r) => r.text).join(" ")).toContain("tachograph");
    await who.nils.client.json("PUT", `/api/mentoring/programmes/${programme}/participation`, {
      role: "mentee",
      topics: ["tachograph"],
    });
    expect((await who.mia.client.json("POST", `/api/mentoring/programmes/${programme}/match`)).status).toBe(403);
    const run = await who.kim.client.json<Page>("POST", `/api/mentoring/programmes/${programme}/match`);
    expect(run.status).toBe(200);
    expect(run.body.run).toMatchObject({ proposed: 2, unmatched: 0 });
    const pairs = Object.fromEntries(run.body.review!.mentorships.map((m) => [m.mentee.name, m.mentor.name]));
    // Optimal under the rules: Mia cannot have Wanda, so Mia gets Tess and Nils gets Wanda (another department
    // weight aside, Wanda's evidence equals Omar's); every mentor within one seat.
    expect(pairs.mia).toBe("tess");
    expect(pairs.mia).not.toBe("wanda");
    for (const m of run.body.review!.mentors) expect(m.taken).toBeLessThanOrEqual(m.capacity);
    expect(run.body.review!.mentorships.every((m) => m.reasons.length > 0)).toBe(true);
  });

  it("forbidding a pair and re-running moves the mentee; both accepting at once starts the mentorship", async () => {
    const before = (await who.kim.client.json<Page>("GET", `/api/mentoring/programmes/${programme}`)).body;
    const nils = before.review!.mentorships.find((m) => m.mentee.name === "nils")!;
    expect(
      (
        await who.kim.client.json("PUT", `/api/mentoring/programmes/${programme}/rules`, {
          mentorId: nils.mentor.id,
          menteeId: who.nils.id,
          rule: "forbid",
        })
      ).status,
    ).toBe(200);
    const again = await who.kim.client.json<Page>("POST", `/api/mentoring/programmes/${programme}/match`);
    const moved = again.body.review!.mentorships.find((m) => m.mentee.name === "nils" && m.status === "proposed")!;
    expect(moved.mentor.id).not.toBe(nils.mentor.id);

    const miaCard = again.body.review!.mentorships.find((m) => m.mentee.name === "mia")!;
    const [a, b] = await Promise.all([
      who.mia.client.json<Mentorship>("POST", `/api/mentorships/${miaCard.id}/accept`),
      who[miaCard.mentor.name].client.json<Mentorship>("POST", `/api/mentorships/${miaCard.id}/accept`),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const m = (await who.mia.client.json<Mentorship>("GET", `/api/mentorships/${miaCard.id}`)).body;
    expect(m.status).toBe("active");
    expect((await who.mia.client.json("POST", `/api/mentorships/${miaCard.id}/accept`)).status).toBe(403);
  });

  it("keeps the pair's goals, notes and meetings to the pair; stale edits get 409", async () => {
    const card = (await who.mia.client.json<Page>("GET", `/api/mentoring/programmes/${programme}`)).body.mine[0];
    const mentor = who[card.mentor.name].client;
    for (const outsider of ["kim", "ada", "nils", "wanda"])
      expect((await who[outsider].client.json("GET", `/api/mentorships/${card.id}`)).status).toBe(404);
    const m = (await who.mia.client.json<Mentorship>("GET", `/api/mentorships/${card.id}`)).body;
    const saved = await who.mia.client.json<Mentorship>("PATCH", `/api/mentorships/${card.id}`, {
      version: m.version,
      goals: "Plan a legal 2-day tour alone by May.",
      notes: "Rest rules: 45 min after 4.5 h.",
    });
    expect(saved.status).toBe(200);
    const stale = await mentor.json<Err>("PATCH", `/api/mentorships/${card.id}`, {
      version: m.version,
      notes: "overwrites",
    });
    expect(stale.status).toBe(409);
    expect((await mentor.json<Mentorship>("GET", `/api/mentorships/${card.id}`)).body.notes).toContain("45 min");
    const meeting = await mentor.json<Mentorship>("POST", `/api/mentorships/${card.id}/meetings`, {
      heldOn: "2026-03-02",
      minutes: 45,
      summary: "Walked through a real tour plan.",
    });
    expect(meeting.status, JSON.stringify(meeting.body)).toBe(201);
    expect(meeting.body.meetings).toHaveLength(1);
    const future = await mentor.json<Err>("POST", `/api/mentorships/${card.id}/meetings`, {
      heldOn: "2027-01-01",
      minutes: 45,
    });
    expect(future.body.error.fields![0].path).toBe("heldOn");
    // Tess answered three tachograph questions and wrote no article on it: as a mentor she is prompted.
    const tessCard = (await who.tess.client.json<Page>("GET", `/api/mentoring/programmes/${programme}`)).body.mine;
    for (const c of tessCard.filter((x) => x.status === "active")) {
      const page = (
        await who.tess.client.json<Mentorship & { writeItDown: unknown[] }>("GET", `/api/mentorships/${c.id}`)
      ).body;
      expect(page.writeItDown).toEqual([{ topic: "tachograph", answers: 3 }]);
    }
    expect(
      (await who.mia.client.json<Mentorship & { writeItDown: unknown[] }>("GET", `/api/mentorships/${card.id}`)).body
        .writeItDown,
    ).toEqual([]);
    // Mentoring counts on the pair's own learning pages (mentee: social, mentor: experience), for nobody else.
    type Learning = { byKind: Record<string, number> };
    const learning = async (c: Client, id: string) =>
      (await c.json<Learning>("GET", `/api/people/${id}/learning?months=3`)).body.byKind;
    expect((await learning(who.mia.client, who.mia.id)).mentoring_received).toBe(1);
    expect((await learning(mentor, card.mentor.id)).mentoring_given).toBe(1);
    expect((await learning(who.kim.client, who.mia.id)).mentoring_received).toBeUndefined();
    // Reflections: Mia shares one journal entry with the pair; the rest of her journal stays hers.
    const entry = await who.mia.client.json<{ items: { id: string }[] }>("POST", "/api/journal", {
      practice: "reflection",
      body: "Planning the rest stops first made the tour calm.",
    });
    expect(entry.status).toBe(201);
    const entryId = entry.body.items[0].id;
    const omarsEntry = await who.omar.client.json<{ items: { id: string }[] }>("POST", "/api/journal", {
      practice: "reflection",
      body: "Omar's private thought.",
    });
    const notHers = await who.mia.client.json<Err>("POST", `/api/mentorships/${card.id}/reflections`, {
      entryId: omarsEntry.body.items[0].id,
    });
    expect(notHers.status).toBe(400);
    expect(notHers.body.error.fields![0].path).toBe("entryId");
    expect((await who.mia.client.json("POST", `/api/mentorships/${card.id}/reflections`, { entryId })).status).toBe(
      201,
    );
    type WithReflections = { reflections: { entryId: string; html: string; mine: boolean }[] };
    const seen = (await mentor.json<WithReflections>("GET", `/api/mentorships/${card.id}`)).body.reflections;
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ entryId, mine: false });
    expect(seen[0].html).toContain("rest stops");
    expect((await mentor.json("DELETE", `/api/mentorships/${card.id}/reflections/${entryId}`)).status).toBe(404);
    const back = await who.mia.client.json<WithReflections>(
      "DELETE",
      `/api/mentorships/${card.id}/reflections/${entryId}`,
    );
    expect(back.body.reflections).toEqual([]);
    await who.mia.client.json("POST", `/api/mentorships/${card.id}/reflections`, { entryId });
    // The knowledge manager's review shows the status, never the notes.
    const review = await who.kim.client.request("GET", `/api/mentoring/programmes/${programme}`);
    expect(review.body).not.toContain("45 min after");
    expect(review.body).not.toContain("2-day tour");
    expect(review.body).not.toContain("rest stops");
  });

  it("a decline frees the seat and re-matches that mentee; health shows the programme", async () => {
    const page = (await who.nils.client.json<Page>("GET", `/api/mentoring/programmes/${programme}`)).body;
    const open = page.mine.find((m) => m.status === "proposed")!;
    expect((await who.nils.client.json("POST", `/api/mentorships/${open.id}/decline`)).status).toBe(200);
    const after = (await who.kim.client.json<Page>("GET", `/api/mentoring/programmes/${programme}`)).body;
    const nils = after.review!.mentorships.filter((m) => m.mentee.name === "nils");
    // The declined mentor and the forbidden one are out; Nils is proposed the one mentor left with a seat.
    const forbidden = after.review!.rules.find((r) => r.menteeId === who.nils.id)!.mentorId;
    const next = nils.filter((m) => m.status === "proposed");
    expect(next).toHaveLength(1);
    expect([open.mentor.id, forbidden]).not.toContain(next[0].mentor.id);
    const card = after.review!.mentorships.find((m) => m.mentee.name === "mia" && m.status === "active")!;
    expect(
      (
        await who.mia.client.json("POST", `/api/mentorships/${card.id}/close`, {
          goalReached: true,
          evaluation: "I plan tours alone now.",
        })
      ).status,
    ).toBe(200);
    const health = (await who.kim.client.json<Page>("GET", `/api/mentoring/programmes/${programme}`)).body.review!
      .health;
    expect(health).toMatchObject({
      mentees: 2,
      matchedShare: 1,
      meetingsPerPair: 1,
      goalsReached: { reached: 1, closed: 1 },
    });
    // Mia's mentor is in Transport; Nils's new one is in his own department.
    expect(health.crossDepartmentShare).toBe(0.5);
    expect(health.acceptedShare).toBeGreaterThan(0);
  });

  it("self-service: a mentee requests a mentor with a free seat; one request at a time", async () => {
    const p = await who.kim.client.json<Page>("POST", "/api/mentoring/programmes", {
      ...PROGRAMME,
      name: "Ask a driver",
      mode: "self_service",
    });
    const id = p.body.id;
    await who.omar.client.json("PUT", `/api/mentoring/programmes/${id}/participation`, {
      role: "mentor",
      capacity: 1,
      topics: ["tachograph"],
    });
    await who.wanda.client.json("PUT", `/api/mentoring/programmes/${id}/participation`, {
      role: "mentor",
      topics: ["tachograph"],
    });
    for (const m of ["mia", "nils"])
      await who[m].client.json("PUT", `/api/mentoring/programmes/${id}/participation`, {
        role: "mentee",
        topics: ["tachograph"],
      });
    // Mia may not ask her own manager.
    const own = await who.mia.client.json<Err>("POST", `/api/mentoring/programmes/${id}/requests`, {
      mentorId: who.wanda.id,
    });
    expect(own.status).toBe(400);
    expect(own.body.error.fields![0].path).toBe("mentorId");
    const req = await who.mia.client.json<Mentorship>("POST", `/api/mentoring/programmes/${id}/requests`, {
      mentorId: who.omar.id,
    });
    expect(req.status).toBe(201);
    expect(req.body).toMatchObject({ status: "proposed", menteeAccepted: true, mentorAccepted: false });
    expect(
      (await who.mia.client.json("POST", `/api/mentoring/programmes/${id}/requests`, { mentorId: who.omar.id })).status,
    ).toBe(409);
    // Omar's one seat is held by Mia's request.
    expect(
      (await who.nils.client.json("POST", `/api/mentoring/programmes/${id}/requests`, { mentorId: who.omar.id }))
        .status,
    ).toBe(409);
    const accepted = await who.omar.client.json<Mentorship>("POST", `/api/mentorships/${req.body.id}/accept`);
    expect(accepted.body.status).toBe("active");
  });
});
