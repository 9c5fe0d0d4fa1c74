import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";
import { createExpertiseService, pruneExpertiseEvents } from "../../src/modules/expertise/expertise.service";

afterAll(closeTemplates);

type Topic = {
  tag: string;
  level: number;
  selfDeclared: boolean;
  counts: { answers: number; accepted: number; endorsements: number };
  evidence: { kind: string; title: string; url: string }[];
  endorsedBy: { name: string }[];
  endorsedByMe: boolean;
};
type Expertise = {
  topics: Topic[];
  unbackedSkills: { tag: string }[];
  skills: string[];
  availability: { status: string; reachable: boolean };
};
type Experts = {
  items: { id: string; name: string; reasons: { title: string; url: string }[]; availability: { status: string } }[];
};
type Sidekick = {
  knowledge: { type: string; title: string; url: string }[];
  people: { id: string; reasons: { title: string }[] }[];
  draft: { title: string; tags: string[] };
  canAsk: boolean;
};

describe.each(testBackends())("expertise directory, profiles, sidekick and deflections on %s", (backend) => {
  let t: TestApp;
  let ana: Client, ben: Client, outsider: Client, asker: Client;
  let anaId: string, benId: string;
  let secretQuestion: string;
  let publicQuestion: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const a = await t.newUser({ name: "Ana", department: "Customs" });
    const b = await t.newUser({ name: "Ben", department: "Warehouse" });
    const o = await t.newUser({ name: "Outsider" });
    const s = await t.newUser({ name: "Asker" });
    anaId = a.id;
    benId = b.id;
    ana = await t.login(a.email);
    ben = await t.login(b.email);
    outsider = await t.login(o.email);
    asker = await t.login(s.email);
    const q = await asker.json<{ id: string; answers: { id: string }[] }>("POST", "/api/questions", {
      title: "Which customs form for pallets to Norway?",
      body: "Pallets to Oslo.",
      tags: ["customs"],
      route: false,
    });
    publicQuestion = q.body.id;
    const answered = await ana.json<{ answers: { id: string }[] }>("POST", `/api/questions/${q.body.id}/answers`, {
      body: "The T1 customs declaration, filed by the broker.",
    });
    await asker.json("POST", `/api/questions/${q.body.id}/accept`, { answerId: answered.body.answers[0].id });
    // Ben's only expertise on "hazmat" is in a private space the outsider cannot read.
    const space = await t.newSpace(s.id, { visibility: "private", name: "Dangerous goods" });
    await t.addMember(space.id, b.id, "editor");
    const secret = await asker.json<{ id: string }>("POST", "/api/questions", {
      title: "Hazmat labels for lithium batteries",
      body: "Which hazmat label?",
      tags: ["hazmat"],
      spaceId: space.id,
      route: false,
    });
    secretQuestion = secret.body.id;
    await ben.json("POST", `/api/questions/${secret.body.id}/answers`, {
      body: "Use the class 9 hazmat label for lithium batteries.",
    });
  });
  afterAll(async () => t.close());

  it("answers 'who knows X' with the evidence for each person and their availability", async () => {
    const res = await outsider.json<Experts>("GET", "/api/experts?q=customs%20declaration");
    expect(res.body.items[0]).toMatchObject({ id: anaId, availability: { status: "available" } });
    expect(res.body.items[0].reasons[0]).toMatchObject({
      title: "Which customs form for pallets to Norway?",
      url: expect.stringContaining(`/questions/${publicQuestion}`),
    });
    expect((await outsider.json<Experts>("GET", "/api/experts?q=customs&department=Warehouse")).body.items).toEqual([]);
    // Being active elsewhere is not knowing the topic: Ben (hazmat only) is not listed for customs.
    expect(
      (await asker.json<Experts>("GET", "/api/experts?q=customs%20declaration")).body.items.map((p) => p.id),
    ).toEqual([anaId]);
    const tooShort = await outsider.json<{ error: { fields: { path: string }[] } }>("GET", "/api/experts?q=x");
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.error.fields[0].path).toBe("q");
  });

  it("never lets private evidence show through the directory, profiles or the sidekick", async () => {
    expect(
      (await outsider.json<Experts>("GET", "/api/experts?q=hazmat%20label%20lithium")).body.items.map((p) => p.id),
    ).not.toContain(benId);
    const member = await asker.json<Experts>("GET", "/api/experts?q=hazmat%20label%20lithium");
    expect(member.body.items[0].id).toBe(benId);
    expect(
      (await outsider.json<Expertise>("GET", `/api/people/${benId}/expertise`)).body.topics.map((t) => t.tag),
    ).not.toContain("hazmat");
    expect(
      (await asker.json<Expertise>("GET", `/api/people/${benId}/expertise`)).body.topics.map((t) => t.tag),
    ).toContain("hazmat");
    const side = await outsider.json<Sidekick>("POST", "/api/sidekick", {
      text: "Which hazmat label do lithium batteries need?",
    });
    expect(side.body.knowledge.map((k) => k.url)).not.toContain(`/questions/${secretQuestion}`);
    expect(side.body.people.map((p) => p.id)).not.toContain(benId);
    expect(JSON.stringify(side.body)).not.toContain("class 9");
  });

  it("shows expertise per topic with evidence; self-declared skills apart until evidence backs them; endorsements", async () => {
    const profile = (await outsider.json<Expertise>("GET", `/api/people/${anaId}/expertise`)).body;
    expect(profile.topics[0]).toMatchObject({ tag: "customs", level: 1, counts: { answers: 1, accepted: 1 } });
    expect(profile.topics[0].evidence[0]).toMatchObject({
      kind: "accepted_answer",
      title: "Which customs form for pallets to Norway?",
    });
    const declared = await ana.json<Expertise>("PUT", "/api/me/skills", { skills: ["Customs", "SAP"] });
    expect(declared.body.skills).toEqual(["customs", "sap"]);
    expect(declared.body.unbackedSkills.map((s) => s.tag)).toEqual(["sap"]);
    expect(declared.body.topics.find((t) => t.tag === "customs")!.selfDeclared).toBe(true);
    expect((await ana.json("POST", `/api/people/${anaId}/endorsements`, { tag: "sap" })).status).toBe(400);
    const endorsed = await ben.json<Expertise>("POST", `/api/people/${anaId}/endorsements`, {
      tag: "SAP",
      note: "She fixed our SAP export",
    });
    expect(endorsed.status).toBe(201);
    // An endorsement alone does not back a declared skill, but it shows beside it.
    expect(endorsed.body.unbackedSkills.find((s) => s.tag === "sap")).toMatchObject({ endorsedByMe: true });
    const sap = endorsed.body.topics.find((t) => t.tag === "sap")!;
    expect(sap.endorsedBy.map((e) => e.name)).toEqual(["Ben"]);
    // Evidence backs it: an answer on SAP moves it out of the unbacked list.
    const q = await asker.json<{ id: string }>("POST", "/api/questions", {
      title: "SAP export of delivery notes fails",
      body: "Error 42.",
      tags: ["sap"],
      route: false,
    });
    await ana.json("POST", `/api/questions/${q.body.id}/answers`, {
      body: "Rerun the SAP export job with the plant filter.",
    });
    const backed = (await outsider.json<Expertise>("GET", `/api/people/${anaId}/expertise`)).body;
    expect(backed.unbackedSkills).toEqual([]);
    expect(backed.topics.find((t) => t.tag === "sap")).toMatchObject({
      selfDeclared: true,
      counts: { answers: 1, endorsements: 1 },
    });
    // Endorsements are evidence for routing too, and can be withdrawn.
    const withdrawn = await ben.json<Expertise>("DELETE", `/api/people/${anaId}/endorsements/sap`);
    expect(withdrawn.body.topics.find((t) => t.tag === "sap")!.endorsedBy).toEqual([]);
  });

  it("the sidekick returns knowledge, people with evidence, and a ready question", async () => {
    const side = await outsider.json<Sidekick>("POST", "/api/sidekick", {
      text: "Which customs declaration do I need for pallets going to Norway? The truck leaves tomorrow.",
    });
    expect(side.body.knowledge[0]).toMatchObject({ type: "question", url: `/questions/${publicQuestion}` });
    expect(side.body.people[0]).toMatchObject({ id: anaId });
    expect(side.body.people[0].reasons.length).toBeGreaterThan(0);
    expect(side.body.draft).toMatchObject({
      title: "Which customs declaration do I need for pallets going to Norway?",
      tags: ["customs"],
    });
    expect(side.body.canAsk).toBe(true);
    expect((await outsider.json("POST", "/api/sidekick", { text: "" })).status).toBe(400);
  });

  it("counts deflected questions, only for content the viewer may read", async () => {
    const rec = await outsider.json("POST", "/api/deflections", {
      query: "customs pallets norway",
      targetType: "question",
      targetId: publicQuestion,
      source: "ask",
    });
    expect(rec.status).toBe(201);
    expect(
      (
        await outsider.json("POST", "/api/deflections", {
          query: "hazmat",
          targetType: "question",
          targetId: secretQuestion,
          source: "sidekick",
        })
      ).status,
    ).toBe(404);
    await asker.json("POST", "/api/deflections", {
      query: "hazmat",
      targetType: "question",
      targetId: secretQuestion,
      source: "sidekick",
    });
    const seenByOutsider = (
      await outsider.json<{ deflected: number; top: { id: string; count: number }[] }>(
        "GET",
        "/api/deflections/summary",
      )
    ).body;
    expect(seenByOutsider.deflected).toBe(1);
    expect(seenByOutsider.top.map((x) => x.id)).toEqual([publicQuestion]);
    const seenByMember = (
      await asker.json<{ deflected: number; byDay: { count: number }[] }>("GET", "/api/deflections/summary")
    ).body;
    expect(seenByMember.deflected).toBe(2);
    expect(seenByMember.byDay.reduce((s, d) => s + d.count, 0)).toBe(2);
  });

  it("keeps the live model current: new answers, a first acceptance, votes and endorsements are appended, edits and withdrawals rebuild, and both agree with a fresh build", async () => {
    const live = t.ctx.expertise;
    await live.refresh();
    const before = live.stats();
    const rank = (service: typeof live) =>
      service.rank(
        { text: "forklift battery charging", tags: ["forklifts"], at: t.clock.now },
        { readableAudiences: "all", limit: 5, reasons: 2 },
      );
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const q = await asker.json<{ id: string; version: number }>("POST", "/api/questions", {
      title: "Forklift battery charging overnight?",
      body: "May we charge forklift batteries overnight?",
      tags: ["forklifts"],
      route: false,
    });
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    await ana.json("POST", `/api/questions/${q.body.id}/answers`, {
      body: "Only in the charging bay with the forklift battery vents open.",
    });
    const withBen = await ben.json<{ answers: { id: string; author: { id: string } }[] }>(
      "POST",
      `/api/questions/${q.body.id}/answers`,
      { body: "Yes: forklift battery charging overnight is fine in the bay." },
    );
    const bensAnswer = withBen.body.answers.find((a) => a.author.id === benId)!.id;
    await asker.json("POST", `/api/questions/${q.body.id}/accept`, { answerId: bensAnswer });

    // The first request after the change appends (no rebuild) and already counts the new evidence.
    const appended = await rank(live);
    expect(live.stats().builds).toBe(before.builds);
    expect(live.stats().appends).toBeGreaterThan(before.appends);
    expect(live.stats().docs).toBe(before.docs + 3);
    expect(
      appended
        .map((p) => p.personId)
        .slice(0, 2)
        .sort(),
    ).toEqual([anaId, benId].sort());
    expect(appended.find((p) => p.personId === benId)!.reasons[0]).toMatchObject({
      kind: "accepted_answer",
      title: "Forklift battery charging overnight?",
    });
    // Same ranking and scores as a model built from scratch on the same database.
    const fresh = createExpertiseService(t.ctx.db);
    const rebuilt = await rank(fresh);
    expect(appended.map((p) => p.personId)).toEqual(rebuilt.map((p) => p.personId));
    appended.forEach((p, i) => expect(p.score).toBeCloseTo(rebuilt[i].score, 6));
    expect(appended.map((p) => p.reasons)).toEqual(rebuilt.map((p) => p.reasons));

    // Votes and a new endorsement are appended too, and still agree with a fresh build.
    const anasAnswer = withBen.body.answers.find((a) => a.author.id === anaId)!.id;
    await ben.json("POST", `/api/answers/${anasAnswer}/vote`, { value: 1 });
    await outsider.json("POST", `/api/answers/${anasAnswer}/vote`, { value: 1 });
    await outsider.json("POST", `/api/answers/${bensAnswer}/vote`, { value: -1 });
    expect(
      (await outsider.json("POST", `/api/people/${anaId}/endorsements`, { tag: "forklifts", note: "charging bays" }))
        .status,
    ).toBe(201);
    const voted = await rank(live);
    expect(live.stats().builds).toBe(before.builds);
    expect(voted.find((p) => p.personId === anaId)!.reasons.map((r) => r.kind)).toContain("endorsement");
    const rebuiltAgain = await rank(createExpertiseService(t.ctx.db));
    expect(voted.map((p) => p.personId)).toEqual(rebuiltAgain.map((p) => p.personId));
    voted.forEach((p, i) => expect(p.score).toBeCloseTo(rebuiltAgain[i].score, 6));
    // The votes moved the scores: Ana's answer is up two, Ben's down one.
    expect(voted.find((p) => p.personId === anaId)!.score).not.toBeCloseTo(
      appended.find((p) => p.personId === anaId)!.score,
      6,
    );
    // Withdrawing an endorsement is not an append: a rebuild.
    await outsider.json("DELETE", `/api/people/${anaId}/endorsements/forklifts`);
    await rank(live);
    expect(live.stats().builds).toBe(before.builds + 1);

    // An edit changes evidence already in the model: that rebuilds, and the new title shows.
    const current = await asker.json<{ version: number }>("GET", `/api/questions/${q.body.id}`);
    await asker.json("PUT", `/api/questions/${q.body.id}`, {
      version: current.body.version,
      title: "Charging forklift batteries overnight: allowed?",
      body: "May we charge forklift batteries overnight?",
      tags: ["forklifts"],
    });
    const edited = await rank(live);
    expect(live.stats().builds).toBe(before.builds + 2);
    expect(edited.find((p) => p.personId === benId)!.reasons[0].title).toBe(
      "Charging forklift batteries overnight: allowed?",
    );
    // Withdrawing the acceptance is not an append either.
    await asker.json("POST", `/api/questions/${q.body.id}/accept`, { answerId: null });
    const withdrawn = await rank(live);
    expect(live.stats().builds).toBe(before.builds + 3);
    expect(withdrawn.find((p) => p.personId === benId)!.reasons[0].kind).toBe("answer");

    // Old events can be pruned; a model that has not caught up with them meets a gap and rebuilds.
    const lagging = createExpertiseService(t.ctx.db);
    await lagging.refresh();
    await ben.json("POST", `/api/answers/${anasAnswer}/vote`, { value: 0 });
    expect(await pruneExpertiseEvents(t.ctx.db, new Date(Date.now() + 60_000))).toBeGreaterThan(0);
    await outsider.json("POST", `/api/answers/${anasAnswer}/vote`, { value: 0 });
    const lagBuilds = lagging.stats().builds;
    await rank(lagging);
    expect(lagging.stats().builds).toBe(lagBuilds + 1);
    expect(lagging.stats().appends).toBe(0);
  });
});
