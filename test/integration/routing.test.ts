import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";
import { connectSse } from "../support/sse";
import { users } from "../../db/schema";
import { escalateDue } from "../../src/modules/routing/routing.service";

afterAll(closeTemplates);

type Routing = {
  round: number;
  asked: {
    person: { id: string; name: string };
    status: string;
    round: number;
    askedAt: string;
    forwardedBy: string | null;
  }[];
} | null;
type Question = { id: string; routing: Routing; answers: { id: string }[] };
type InboxItem = {
  id: string;
  status: string;
  reasons: { kind: string; title: string; url: string }[];
  forwardedBy: string | null;
  question: { id: string; title: string };
};
type Err = { error: { code: string; fields?: { path: string; message: string }[] } };

const MINUTE = 60_000;

describe.each(testBackends())("routing questions to available experts on %s", (backend) => {
  let t: TestApp;
  const who: Record<string, { id: string; email: string; client: Client }> = {};
  const advance = (ms: number) => (t.clock.now = new Date(t.clock.now.getTime() + ms));

  async function person(key: string, department = "Operations") {
    const u = await t.newUser({ name: key[0].toUpperCase() + key.slice(1), department });
    who[key] = { id: u.id, email: u.email, client: await t.login(u.email) };
    return who[key];
  }

  /** Someone asks (unrouted), an expert answers and it is accepted: evidence for the expert. */
  async function evidence(expert: string, title: string, body: string, tags: string[]) {
    const q = await who.seeder.client.json<Question>("POST", "/api/questions", {
      title,
      body: `${title}?`,
      tags,
      route: false,
    });
    advance(MINUTE);
    const a = await who[expert].client.json<Question>("POST", `/api/questions/${q.body.id}/answers`, { body });
    await who.seeder.client.json("POST", `/api/questions/${q.body.id}/accept`, { answerId: a.body.answers[0].id });
    advance(MINUTE);
  }

  const ask = async (title: string, tags: string[], by = "asker") =>
    (
      await who[by].client.json<Question>("POST", "/api/questions", {
        title,
        body: `${title} — can anyone help?`,
        tags,
      })
    ).body;

  beforeAll(async () => {
    t = await createTestApp(backend, { routing: { notify: 3, escalateMinutes: 60, maxRounds: 2 } });
    for (const k of ["seeder", "asker", "ana", "ben", "cy", "dee", "eve", "fay", "gus"]) await person(k);
    await evidence(
      "ana",
      "Customs declaration for pallets to Norway",
      "File the T1 customs declaration with the broker before the pallets leave; customs needs the EORI number.",
      ["customs"],
    );
    await evidence(
      "ana",
      "Customs broker paperwork for Swiss exports",
      "The customs broker needs the commercial invoice and the EORI number for Swiss customs.",
      ["customs"],
    );
    await evidence(
      "ben",
      "Customs tariff codes for spare parts",
      "Look up the customs tariff code in TARIC; spare parts use chapter 84 for customs.",
      ["customs"],
    );
    await evidence(
      "cy",
      "Customs hold on a container in Rotterdam",
      "Call the customs desk in Rotterdam with the container number; a customs hold needs the invoice.",
      ["customs"],
    );
    await evidence("dee", "Forklift battery charging routine", "Charge forklift batteries only when below 30 %.", [
      "forklifts",
    ]);
    // Customs experts who cannot be asked right now: away, off hours (Auckland night), at their daily cap.
    await evidence(
      "eve",
      "Customs duties on returned goods",
      "Returned goods get customs duty relief with the right customs procedure code.",
      ["customs"],
    );
    await evidence(
      "fay",
      "Customs valuation of free samples",
      "Free samples still need a customs value on the customs declaration.",
      ["customs"],
    );
    await evidence(
      "gus",
      "Customs EORI number registration",
      "Register the EORI number before the first customs declaration.",
      ["customs"],
    );
    await t.ctx.db
      .update(users)
      .set({ availability: "away", awayUntil: new Date(t.clock.now.getTime() + 7 * 86_400_000) })
      .where(eq(users.id, who.eve.id));
    await t.ctx.db.update(users).set({ timeZone: "Pacific/Auckland" }).where(eq(users.id, who.fay.id));
    await t.ctx.db.update(users).set({ dailyCap: 0 }).where(eq(users.id, who.gus.id));
    for (const k of ["ana", "ben", "cy", "dee"])
      await t.ctx.db.update(users).set({ dailyCap: 100 }).where(eq(users.id, who[k].id));
  });
  afterAll(async () => t.close());

  it("asks the best three reachable experts at once, never the asker, the away, the off-hours or the capped", async () => {
    const q = await ask("Customs declaration for a pallet to Norway", ["customs"]);
    const asked = askedIds(q);
    expect(asked).toHaveLength(3);
    expect(asked).toEqual(expect.arrayContaining([who.ana.id, who.ben.id, who.cy.id]));
    for (const k of ["asker", "eve", "fay", "gus", "dee"]) expect(asked).not.toContain(who[k].id);
    expect(q.routing!.asked.every((a) => a.status === "pending" && a.round === 1 && a.askedAt)).toBe(true);
    // The expert sees the request with the evidence that made them the right person.
    const inbox = await who.ana.client.json<{ pending: number; items: InboxItem[] }>("GET", "/api/inbox?status=open");
    const item = inbox.body.items.find((i) => i.question.id === q.id)!;
    expect(item.status).toBe("pending");
    expect(item.reasons.map((r) => r.title)).toContain("Customs declaration for pallets to Norway");
    // Others who were not asked and did not ask see no routing details.
    expect((await who.dee.client.json<Question>("GET", `/api/questions/${q.id}`)).body.routing).toBeNull();
    // Answering closes the expert's request; accepting closes the others.
    await who.ben.client.json("POST", `/api/questions/${q.id}/answers`, { body: "Use the T1 declaration." });
    const afterAnswer = (await who.asker.client.json<Question>("GET", `/api/questions/${q.id}`)).body;
    expect(afterAnswer.routing!.asked.find((a) => a.person.id === who.ben.id)!.status).toBe("answered");
    await who.asker.client.json("POST", `/api/questions/${q.id}/accept`, { answerId: afterAnswer.answers[0].id });
    const done = (await who.asker.client.json<Question>("GET", `/api/questions/${q.id}`)).body;
    expect(done.routing!.asked.filter((a) => a.person.id !== who.ben.id).map((a) => a.status)).toEqual([
      "closed",
      "closed",
    ]);
  });

  it("spreads load: with one person per question, the same top expert is not asked every time", async () => {
    const first: string[] = [];
    for (const title of [
      "Customs paperwork for pallets to Oslo",
      "Customs paperwork for pallets to Bergen",
      "Customs paperwork for pallets to Trondheim",
    ]) {
      const q = (
        await who.asker.client.json<Question>("POST", "/api/questions", {
          title,
          body: "Which customs declaration do we need?",
          tags: ["customs"],
          route: false,
        })
      ).body;
      const { routeQuestion } = await import("../../src/modules/routing/routing.service");
      const r = await routeQuestion(t.ctx, q.id, { count: 1 });
      first.push(r.asked[0].personId);
    }
    // The clear top expert (two accepted answers on pallets) may be asked twice, never every time.
    expect(new Set(first).size).toBeGreaterThanOrEqual(2);
    expect(Math.max(...[...new Set(first)].map((id) => first.filter((x) => x === id).length))).toBeLessThanOrEqual(2);
  });

  it("declining as 'not my area' asks the next person at once and lowers the decliner for the topic", async () => {
    const before = (
      await who.dee.client.json<{ items: { id: string; score: number }[] }>(
        "GET",
        "/api/experts?q=customs%20declaration",
      )
    ).body.items;
    const q = await ask("Customs declaration for a spare part to Iceland", ["customs"]);
    const mine = (await who.cy.client.json<{ items: InboxItem[] }>("GET", "/api/inbox?status=open")).body.items.find(
      (i) => i.question.id === q.id,
    );
    expect(mine).toBeDefined();
    const declined = await who.cy.client.json<{ status: string; replacedBy: { id: string }[] }>(
      "POST",
      `/api/routing/requests/${mine!.id}/decline`,
      { reason: "not_my_area", note: "I only did one container" },
    );
    expect(declined.status).toBe(200);
    const again = await who.cy.client.json<Err>("POST", `/api/routing/requests/${mine!.id}/decline`, {
      reason: "no_time",
    });
    expect(again.status).toBe(409);
    const routing = (await who.asker.client.json<Question>("GET", `/api/questions/${q.id}`)).body.routing!;
    expect(routing.asked.find((a) => a.person.id === who.cy.id)!.status).toBe("declined");
    // The replacement is someone not asked before, and never the asker.
    expect(routing.asked.filter((a) => a.status === "pending").length).toBeGreaterThanOrEqual(2);
    const after = (
      await who.dee.client.json<{ items: { id: string; score: number }[] }>(
        "GET",
        "/api/experts?q=customs%20declaration",
      )
    ).body.items;
    const score = (list: { id: string; score: number }[]) => list.find((p) => p.id === who.cy.id)?.score ?? 0;
    expect(score(after)).toBeLessThan(score(before) * 0.75);
    // Someone else's request cannot be declined (it does not exist for them).
    expect(
      (await who.dee.client.json("POST", `/api/routing/requests/${mine!.id}/decline`, { reason: "no_time" })).status,
    ).toBe(404);
    const bad = await who.ana.client.json<Err>("POST", `/api/routing/requests/${mine!.id}/decline`, {
      reason: "bored",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields![0].path).toBe("reason");
  });

  it("forwards to a colleague, who sees who sent it; not to the asker, an away person or someone already asked", async () => {
    const q = await ask("Customs value for a sample shipment", ["customs"]);
    const req = (await who.ana.client.json<{ items: InboxItem[] }>("GET", "/api/inbox?status=open")).body.items.find(
      (i) => i.question.id === q.id,
    )!;
    const toAsker = await who.ana.client.json<Err>("POST", `/api/routing/requests/${req.id}/forward`, {
      toUserId: who.asker.id,
    });
    expect(toAsker.status).toBe(400);
    expect(toAsker.body.error.fields![0]).toMatchObject({ path: "toUserId", message: "asked the question" });
    const toAway = await who.ana.client.json<Err>("POST", `/api/routing/requests/${req.id}/forward`, {
      toUserId: who.eve.id,
    });
    expect(toAway.body.error.fields![0].message).toMatch(/^is away until/);
    const already = askedIds(q).find((id) => id !== who.ana.id)!;
    expect(
      (await who.ana.client.json<Err>("POST", `/api/routing/requests/${req.id}/forward`, { toUserId: already })).body
        .error.fields![0].message,
    ).toBe("was already asked about this question");
    const fwd = await who.ana.client.json<{ status: string; to: { id: string } }>(
      "POST",
      `/api/routing/requests/${req.id}/forward`,
      { toUserId: who.dee.id, note: "Dee handled the last sample run" },
    );
    expect(fwd.body).toMatchObject({ status: "forwarded", to: { id: who.dee.id } });
    const deeInbox = (
      await who.dee.client.json<{ items: InboxItem[] }>("GET", "/api/inbox?status=open")
    ).body.items.find((i) => i.question.id === q.id)!;
    expect(deeInbox.forwardedBy).toBe("Ana");
    const routing = (await who.asker.client.json<Question>("GET", `/api/questions/${q.id}`)).body.routing!;
    expect(routing.asked.find((a) => a.person.id === who.ana.id)!.status).toBe("forwarded");
    expect(routing.asked.find((a) => a.person.id === who.dee.id)!.forwardedBy).toBe("Ana");
  });

  it("escalates unanswered questions to the next people after the configured time, then stops", async () => {
    // Two more colleagues who know customs, so a second round has someone to ask.
    for (const k of ["hal", "ivy"]) {
      await person(k);
      await t.ctx.db.update(users).set({ dailyCap: 100 }).where(eq(users.id, who[k].id));
    }
    await evidence(
      "hal",
      "Customs paperwork for exports to Iceland",
      "Iceland needs the customs export declaration and the EORI number.",
      ["customs"],
    );
    await evidence(
      "ivy",
      "Customs broker for Swiss pallets",
      "Our customs broker in Basel files the pallet declarations.",
      ["customs"],
    );
    const q = await ask("Customs broker for a pallet to Switzerland", ["customs"]);
    const round1 = askedIds(q);
    advance(59 * MINUTE);
    expect((await escalateDue(t.ctx)).escalated).not.toContain(q.id);
    advance(2 * MINUTE);
    expect((await escalateDue(t.ctx)).escalated).toContain(q.id);
    const routing = (await who.asker.client.json<Question>("GET", `/api/questions/${q.id}`)).body.routing!;
    expect(routing.round).toBe(2);
    expect(routing.asked.filter((a) => round1.includes(a.person.id)).every((a) => a.status === "expired")).toBe(true);
    const round2 = routing.asked.filter((a) => a.round === 2).map((a) => a.person.id);
    expect(round2.length).toBeGreaterThan(0);
    expect(round2.some((id) => round1.includes(id))).toBe(false);
    advance(61 * MINUTE);
    expect((await escalateDue(t.ctx)).gaveUp).toContain(q.id);
    expect((await escalateDue(t.ctx)).escalated).not.toContain(q.id);
  });

  it("routes a private space's question only to its members, from evidence the asker may read", async () => {
    const space = await t.newSpace(who.asker.id, { visibility: "private" });
    await t.addMember(space.id, who.ben.id, "editor");
    const q = (
      await who.asker.client.json<Question>("POST", "/api/questions", {
        title: "Customs declaration for the secret prototype",
        body: "Which customs declaration?",
        tags: ["customs"],
        spaceId: space.id,
      })
    ).body;
    expect(askedIds(q)).toEqual([who.ben.id]);
  });

  it("lets people set availability, with clear errors for bad input", async () => {
    const bad = await who.dee.client.json<Err>("PUT", "/api/me/availability", {
      availability: "away",
      awayUntil: "2020-01-01T00:00:00Z",
      timeZone: "Mars/Base",
      workStart: 540,
      workEnd: 2000,
      workDays: [8],
      dailyCap: -1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields!.map((f) => f.path).sort()).toEqual(["dailyCap", "timeZone", "workDays.0", "workEnd"]);
    const past = await who.dee.client.json<Err>("PUT", "/api/me/availability", {
      availability: "away",
      awayUntil: "2020-01-01T00:00:00Z",
      timeZone: "Europe/Oslo",
      workStart: 480,
      workEnd: 960,
      workDays: [1, 2, 3],
      dailyCap: 2,
    });
    expect(past.body.error.fields![0]).toMatchObject({ path: "awayUntil", message: "must be in the future" });
    const ok = await who.dee.client.json<{ status: string; timeZone: string; reachable: boolean; localTime: string }>(
      "PUT",
      "/api/me/availability",
      {
        availability: "busy",
        awayUntil: null,
        timeZone: "Europe/Oslo",
        workStart: 480,
        workEnd: 960,
        workDays: [1, 2, 3],
        dailyCap: 2,
      },
    );
    expect(ok.body).toMatchObject({ status: "busy", timeZone: "Europe/Oslo", reachable: false });
    expect(ok.body.localTime).toMatch(/^\d\d:\d\d$/);
    const reachable = await who.asker.client.json<{ items: { id: string }[] }>(
      "GET",
      "/api/experts?q=forklift&availability=reachable",
    );
    expect(reachable.body.items.map((p) => p.id)).not.toContain(who.dee.id);
    await who.dee.client.json("PUT", "/api/me/availability", {
      availability: "available",
      awayUntil: null,
      timeZone: "UTC",
      workStart: 540,
      workEnd: 1020,
      workDays: [1, 2, 3, 4, 5],
      dailyCap: 5,
    });
  });

  it("delivers routed requests live to the expert's open page (server-sent events)", async () => {
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as AddressInfo;
    const stream = await connectSse(`http://127.0.0.1:${port}/api/events`, who.ana.client.cookie);
    const other = await connectSse(`http://127.0.0.1:${port}/api/events`, who.dee.client.cookie);
    try {
      const q = await ask("Customs form for pallets to Denmark", ["customs"]);
      expect(askedIds(q)).toContain(who.ana.id);
      expect(await stream.waitFor("routing.request", (d) => d.questionId === q.id)).toEqual({ questionId: q.id });
      // Events are addressed: a colleague who was not asked hears nothing about it.
      expect(other.events.some((e) => e.data.questionId === q.id)).toBe(false);
    } finally {
      stream.close();
      other.close();
    }
    const anonymous = await fetch(`http://127.0.0.1:${port}/api/events`);
    expect(anonymous.status).toBe(401);
  });
});

describe.runIf(testBackends().includes("postgres"))(
  "real time across two app instances on one PostgreSQL database",
  () => {
    it("delivers a request raised on instance A to a browser connected to instance B (LISTEN/NOTIFY)", async () => {
      const a = await createTestApp("postgres");
      const { openPostgres } = await import("../../src/platform/db");
      const { createContext } = await import("../../src/context");
      const { buildApp } = await import("../../src/app");
      const databaseB = await openPostgres(a.ctx.database.url!, 2);
      const ctxB = createContext({ ...a.ctx.config }, databaseB, () => new Date(a.clock.now));
      const appB = await buildApp(ctxB);
      try {
        const seeder = await a.newUser({ name: "Seeder" });
        const expert = await a.newUser({ name: "Expert" });
        const asker = await a.newUser({ name: "Asker" });
        const seederA = await a.login(seeder.email);
        const expertA = await a.login(expert.email);
        const q0 = await seederA.json<Question>("POST", "/api/questions", {
          title: "Pallet wrapping machine jams",
          body: "It jams.",
          tags: ["wrapping"],
          route: false,
        });
        a.clock.now = new Date(a.clock.now.getTime() + MINUTE);
        await expertA.json("POST", `/api/questions/${q0.body.id}/answers`, {
          body: "Clean the film carriage of the wrapping machine.",
        });
        a.clock.now = new Date(a.clock.now.getTime() + MINUTE);
        await appB.listen({ port: 0, host: "127.0.0.1" });
        const { port } = appB.server.address() as AddressInfo;
        // The expert's browser is connected to instance B (sessions live in the shared database).
        const stream = await connectSse(`http://127.0.0.1:${port}/api/events`, expertA.cookie);
        try {
          const askerA = await a.login(asker.email);
          const q = await askerA.json<Question>("POST", "/api/questions", {
            title: "Wrapping machine jams on every pallet",
            body: "Film tears.",
            tags: ["wrapping"],
          });
          expect(askedIds(q.body)).toEqual([expert.id]);
          expect(await stream.waitFor("routing.request", (d) => d.questionId === q.body.id)).toEqual({
            questionId: q.body.id,
          });
        } finally {
          stream.close();
        }
      } finally {
        await appB.close();
        await databaseB.close();
        await a.close();
      }
    });
  },
);

function askedIds(q: Question): string[] {
  return (q.routing?.asked ?? []).map((x) => x.person.id);
}
