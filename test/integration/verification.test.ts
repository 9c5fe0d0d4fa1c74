import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";
import { escalateChallenges } from "../../src/modules/verification/verification.service";

afterAll(closeTemplates);

const DAY = 86_400_000;
type Verification = {
  state: string;
  verifiedBy: { name: string } | null;
  verifiedUntil: string;
  intervalDays: number;
  owner: { type: string; name?: string; department?: string };
  canVerify: boolean;
  canManage: boolean;
  superseded: boolean;
  supersededBy: { id: string } | null;
};
type Article = {
  id: string;
  version: number;
  title: string;
  body: string;
  verification: Verification;
  openChallenges: number;
  notices: { kind: string; fromVersion: number; toVersion: number; summary: string; claim: string }[];
};
type Challenge = { id: string; state: string; outcome: string | null; response: string; escalated: boolean };
type Err = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

describe.each(testBackends())("knowledge that stays true on %s", (backend) => {
  let t: TestApp;
  let owner: Client, reader: Client, challenger: Client, outsider: Client, colleague: Client;
  let ownerId: string;
  let spaceId: string, privateSpace: string;
  const advance = (ms: number) => (t.clock.now = new Date(t.clock.now.getTime() + ms));

  async function write(title: string, space = spaceId, by = owner): Promise<Article> {
    const r = await by.json<{ id: string }>("POST", "/api/articles", {
      spaceId: space,
      title,
      body: `${title}: the procedure.`,
      tags: ["ops"],
    });
    return (await by.json<Article>("GET", `/api/articles/${r.body.id}`)).body;
  }

  beforeAll(async () => {
    // The clock moves by months here: sessions must outlive it.
    t = await createTestApp(backend, { sessionTtlDays: 5000 });
    const o = await t.newUser({ name: "Olga Owner", department: "Warehouse" });
    const r = await t.newUser({ name: "Rita Reader" });
    const c = await t.newUser({ name: "Carl Challenger" });
    const x = await t.newUser({ name: "Xavier Outsider" });
    const w = await t.newUser({ name: "Wanda Warehouse", department: "Warehouse" });
    ownerId = o.id;
    owner = await t.login(o.email);
    reader = await t.login(r.email);
    challenger = await t.login(c.email);
    outsider = await t.login(x.email);
    colleague = await t.login(w.email);
    spaceId = (await t.newSpace(o.id, { name: "Operations" })).id;
    privateSpace = (await t.newSpace(o.id, { name: "Board", visibility: "private" })).id;
    await t.addMember(privateSpace, r.id, "viewer");
  });
  afterAll(async () => t.close());

  it("verifies new knowledge on writing; it becomes due, then expired; one click verifies again", async () => {
    const a = await write("Cycle counting");
    expect(a.verification).toMatchObject({
      state: "verified",
      verifiedBy: { name: "Olga Owner" },
      intervalDays: 180,
      owner: { type: "person", name: "Olga Owner" },
      canVerify: true,
    });
    advance(170 * DAY);
    expect((await reader.json<Article>("GET", `/api/articles/${a.id}`)).body.verification).toMatchObject({
      state: "due",
      canVerify: false,
    });
    advance(11 * DAY);
    expect((await owner.json<Article>("GET", `/api/articles/${a.id}`)).body.verification.state).toBe("expired");
    expect((await reader.json("POST", `/api/verification/article/${a.id}/verify`, {})).status).toBe(403);
    const v = await owner.json<Verification>("POST", `/api/verification/article/${a.id}/verify`, {
      note: "Checked with the team",
    });
    expect(v.body).toMatchObject({ state: "verified", verifiedBy: { name: "Olga Owner" } });
    expect(new Date(v.body.verifiedUntil).getTime()).toBe(t.clock.now.getTime() + 180 * DAY);
  });

  it("lets a department own knowledge, changes the interval, and reports due and expired with bulk actions", async () => {
    const a = await write("Returns grading");
    const b = await write("Dock booking");
    const bad = await owner.json<Err>("PUT", `/api/verification/article/${a.id}`, { intervalDays: 2 });
    expect(bad.body.error.fields![0].path).toBe("intervalDays");
    const grouped = await owner.json<Verification>("PUT", `/api/verification/article/${a.id}`, {
      ownerDepartment: "Warehouse",
      intervalDays: 30,
    });
    expect(grouped.body).toMatchObject({ owner: { type: "group", department: "Warehouse" }, intervalDays: 30 });
    // Any member of the department may verify it.
    expect(
      (await colleague.json<Verification>("POST", `/api/verification/article/${a.id}/verify`, {})).body.verifiedBy!
        .name,
    ).toBe("Wanda Warehouse");
    advance(200 * DAY);
    const report = await owner.json<{
      totals: { expired: number; total: number };
      byOwner: { label: string; expired: number }[];
      bySpace: { label: string }[];
      items: { id: string; state: string }[];
    }>("GET", "/api/verification/report?state=expired");
    expect(report.body.items.map((i) => i.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(report.body.byOwner.map((o) => o.label)).toEqual(
      expect.arrayContaining(["Olga Owner", "Warehouse (group)"]),
    );
    const bulk = await owner.json<{ done: number; skipped: unknown[] }>("POST", "/api/verification/bulk", {
      action: "verify",
      items: [
        { type: "article", id: a.id },
        { type: "article", id: b.id },
      ],
    });
    expect(bulk.body).toEqual({ done: 2, skipped: [] });
    // Someone who may not verify gets each item skipped with the reason, nothing written.
    const denied = await reader.json<{ done: number; skipped: { reason: string }[] }>(
      "POST",
      "/api/verification/bulk",
      { action: "verify", items: [{ type: "article", id: b.id }] },
    );
    expect(denied.body.done).toBe(0);
    expect(denied.body.skipped[0].reason).toMatch(/Only the owner/);
    const share = await reader.json<{ share: number; total: number }>("GET", `/api/spaces/${spaceId}/verification`);
    expect(share.body.total).toBeGreaterThanOrEqual(3);
  });

  it("challenge → owner revises → the earlier reader is told what changed; the reader can see and clear their reading record", async () => {
    const a = await write("Pallet labelling");
    await reader.json("GET", `/api/articles/${a.id}`);
    const short = await challenger.json<Err>("POST", "/api/challenges", {
      subjectType: "article",
      subjectId: a.id,
      claim: "wrong",
    });
    expect(short.body.error.fields![0].path).toBe("claim");
    const ch = await challenger.json<Challenge>("POST", "/api/challenges", {
      subjectType: "article",
      subjectId: a.id,
      claim: "Labels now go on two sides, not one",
      evidence: "New customer rule since March",
    });
    expect(ch.status).toBe(201);
    expect(ch.body.state).toBe("open");
    expect((await reader.json<Article>("GET", `/api/articles/${a.id}`)).body.openChallenges).toBe(1);
    const review = await owner.json<{ challenges: { id: string; subject: { title: string } }[] }>(
      "GET",
      "/api/me/review",
    );
    expect(review.body.challenges.find((c) => c.id === ch.body.id)!.subject.title).toBe("Pallet labelling");
    // Upheld as revised only after an edit.
    expect(
      (await owner.json<Err>("POST", `/api/challenges/${ch.body.id}/resolve`, { outcome: "revised" })).body.error
        .fields![0].path,
    ).toBe("outcome");
    expect(
      (await challenger.json("POST", `/api/challenges/${ch.body.id}/resolve`, { outcome: "dismissed", response: "no" }))
        .status,
    ).toBe(403);
    await owner.json("PUT", `/api/articles/${a.id}`, {
      version: a.version,
      title: a.title,
      body: "Labels go on two adjacent sides.",
      tags: ["ops"],
    });
    const resolved = await owner.json<Challenge>("POST", `/api/challenges/${ch.body.id}/resolve`, {
      outcome: "revised",
      response: "Updated to two sides.",
    });
    expect(resolved.body).toMatchObject({ state: "upheld", outcome: "revised" });
    const seen = (await reader.json<Article>("GET", `/api/articles/${a.id}`)).body;
    expect(seen.notices).toHaveLength(1);
    expect(seen.notices[0]).toMatchObject({
      kind: "revised",
      fromVersion: 1,
      toVersion: 2,
      summary: "Updated to two sides.",
      claim: "Labels now go on two sides, not one",
    });
    expect(seen.verification.state).toBe("verified");
    // The challenger never read it: no notice for them.
    expect((await challenger.json<{ items: unknown[] }>("GET", "/api/me/notices")).body.items).toEqual([]);
    const notices = await reader.json<{ items: { id: string }[] }>("GET", "/api/me/notices");
    expect(
      (await reader.json<{ items: unknown[] }>("POST", `/api/me/notices/${notices.body.items[0].id}/clear`)).body.items,
    ).toEqual([]);
    const myReads = await reader.json<{ items: { articleId: string; version: number }[] }>("GET", "/api/me/reads");
    expect(myReads.body.items.find((r) => r.articleId === a.id)!.version).toBe(2);
    expect((await reader.json<{ items: unknown[] }>("DELETE", "/api/me/reads")).body.items).toEqual([]);
  });

  it("supersedes with a link to what replaces it; dismisses with a reply; escalates to space owners after the deadline", async () => {
    const old = await write("Old returns policy");
    const replacement = await write("Returns policy 2026");
    await reader.json("GET", `/api/articles/${old.id}`);
    const ch = await challenger.json<Challenge>("POST", "/api/challenges", {
      subjectType: "article",
      subjectId: old.id,
      claim: "This policy was replaced in January",
    });
    const sup = await owner.json<Challenge>("POST", `/api/challenges/${ch.body.id}/resolve`, {
      outcome: "superseded",
      supersededById: replacement.id,
      response: "See the 2026 policy",
    });
    expect(sup.body.outcome).toBe("superseded");
    const seen = (await reader.json<Article>("GET", `/api/articles/${old.id}`)).body;
    expect(seen.verification).toMatchObject({
      state: "expired",
      superseded: true,
      supersededBy: { id: replacement.id },
    });
    expect(seen.notices[0].kind).toBe("superseded");
    const c2 = await challenger.json<Challenge>("POST", "/api/challenges", {
      subjectType: "article",
      subjectId: replacement.id,
      claim: "The refund window is 14 days, not 30",
    });
    expect(
      (await owner.json<Err>("POST", `/api/challenges/${c2.body.id}/resolve`, { outcome: "dismissed" })).body.error
        .fields![0].path,
    ).toBe("response");
    const c3 = await challenger.json<Challenge>("POST", "/api/challenges", {
      subjectType: "article",
      subjectId: replacement.id,
      claim: "The form link is broken today",
    });
    advance(8 * DAY);
    expect(
      (
        await challenger.json<{ items: Challenge[] }>(
          "GET",
          `/api/challenges?subjectType=article&subjectId=${replacement.id}`,
        )
      ).body.items.find((c) => c.id === c3.body.id)!.state,
    ).toBe("overdue");
    const escalated = await escalateChallenges(t.ctx);
    expect(escalated).toEqual(expect.arrayContaining([c2.body.id, c3.body.id]));
    expect(await escalateChallenges(t.ctx)).toEqual([]);
    const dismissed = await owner.json<Challenge>("POST", `/api/challenges/${c2.body.id}/resolve`, {
      outcome: "dismissed",
      response: "30 days is the contract",
    });
    expect(dismissed.body).toMatchObject({ state: "dismissed", response: "30 days is the contract", escalated: true });
  });

  it("asks the owner first; the space's owners see a challenge once its deadline passes", async () => {
    const byWanda = await write("Cold store door alarm", spaceId, colleague);
    const ch = await challenger.json<Challenge>("POST", "/api/challenges", {
      subjectType: "article",
      subjectId: byWanda.id,
      claim: "The alarm delay is now 60 seconds",
    });
    const waitingFor = async (c: Client) =>
      (await c.json<{ challenges: { id: string }[] }>("GET", "/api/me/review")).body.challenges.map((x) => x.id);
    expect(await waitingFor(colleague)).toContain(ch.body.id);
    expect(await waitingFor(owner)).not.toContain(ch.body.id);
    advance(8 * DAY);
    await escalateChallenges(t.ctx);
    expect(await waitingFor(owner)).toContain(ch.body.id);
  });

  it("treats an accepted answer as knowledge: owned by its author, verified, challenged", async () => {
    const q = await reader.json<{ id: string; answers: { id: string }[] }>("POST", "/api/questions", {
      title: "Which tape for cold-store cartons?",
      body: "It peels off.",
      route: false,
    });
    const answered = await owner.json<{ answers: { id: string }[] }>("POST", `/api/questions/${q.body.id}/answers`, {
      body: "Use the acrylic cold-store tape.",
    });
    const answerId = answered.body.answers[0].id;
    expect((await owner.json<Err>("GET", `/api/verification/answer/${answerId}`)).body.error.fields![0].path).toBe(
      "subjectId",
    );
    await reader.json("POST", `/api/questions/${q.body.id}/accept`, { answerId });
    const v = await reader.json<Verification>("GET", `/api/verification/answer/${answerId}`);
    expect(v.body).toMatchObject({ owner: { type: "person", name: "Olga Owner" }, canVerify: false });
    expect(
      (
        await owner.json<Verification>("POST", `/api/verification/answer/${answerId}/verify`, {
          note: "Still the tape we buy",
        })
      ).body.verifiedBy!.name,
    ).toBe("Olga Owner");
    const ch = await challenger.json<Challenge>("POST", "/api/challenges", {
      subjectType: "answer",
      subjectId: answerId,
      claim: "Purchasing switched to a rubber tape in May",
    });
    expect(ch.status).toBe(201);
    const dismissed = await owner.json<Challenge>("POST", `/api/challenges/${ch.body.id}/resolve`, {
      outcome: "dismissed",
      response: "Rubber tape fails below -10 °C; we still buy acrylic",
    });
    expect(dismissed.body.state).toBe("dismissed");
    const report = await owner.json<{ items: { type: string; id: string }[] }>(
      "GET",
      "/api/verification/report?state=all",
    );
    expect(report.body.items).toContainEqual(expect.objectContaining({ type: "answer", id: answerId }));
  });

  it("keeps a private space's verification and challenges private", async () => {
    const secret = await write("Board pay rules", privateSpace);
    expect((await outsider.json("GET", `/api/verification/article/${secret.id}`)).status).toBe(404);
    expect((await outsider.json("GET", `/api/challenges?subjectType=article&subjectId=${secret.id}`)).status).toBe(404);
    expect(
      (
        await outsider.json("POST", "/api/challenges", {
          subjectType: "article",
          subjectId: secret.id,
          claim: "This is outdated now",
        })
      ).status,
    ).toBe(404);
    const ch = await reader.json<Challenge>("POST", "/api/challenges", {
      subjectType: "article",
      subjectId: secret.id,
      claim: "This is outdated now",
    });
    expect(ch.status).toBe(201);
    const report = await outsider.json<{ items: { id: string }[]; totals: { total: number } }>(
      "GET",
      "/api/verification/report?state=all",
    );
    expect(report.body.items.map((i) => i.id)).not.toContain(secret.id);
    const insider = await owner.json<{ items: { id: string }[] }>("GET", "/api/verification/report?state=all");
    expect(insider.body.items.map((i) => i.id)).toContain(secret.id);
    expect(report.body.totals.total).toBeLessThan(
      (await owner.json<{ totals: { total: number } }>("GET", "/api/verification/report?state=all")).body.totals.total,
    );
    expect((await outsider.json("GET", `/api/spaces/${privateSpace}/verification`)).status).toBe(404);
    void ownerId;
  });

  it("shows the state in search and ranks expired knowledge below verified knowledge of equal relevance", async () => {
    const fresh = await write("Forklift inspection checklist");
    const stale = await write("Forklift inspection checklist");
    await owner.json("PUT", `/api/verification/article/${stale.id}`, { intervalDays: 7 });
    advance(8 * DAY);
    await owner.json("POST", `/api/verification/article/${fresh.id}/verify`, {});
    const res = await reader.json<{ items: { id: string; verification: { state: string } }[] }>(
      "GET",
      "/api/search?q=forklift%20inspection%20checklist",
    );
    const ids = res.body.items.map((i) => i.id);
    expect(ids.indexOf(fresh.id)).toBeLessThan(ids.indexOf(stale.id));
    expect(res.body.items.find((i) => i.id === stale.id)!.verification.state).toBe("expired");
    expect(res.body.items.find((i) => i.id === fresh.id)!.verification.state).toBe("verified");
  });
});
