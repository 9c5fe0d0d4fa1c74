import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

type Step = {
  id: string;
  position: number;
  kind: string;
  accessible: boolean;
  targetId: string | null;
  title: string | null;
  check: { type: string; correct?: number[] | null; modelAnswer?: string | null } | null;
  state: string;
  needsReview: boolean;
  mine: { completedAt: string | null; attempts: number; passed: boolean | null } | null;
};
type Path = {
  id: string;
  title: string;
  status: string;
  version: number;
  steps: Step[];
  stepsToReview: number;
  learners: number;
  completions: number;
  mine: {
    done: number;
    total: number;
    completedAt: string | null;
    dueOn: string | null;
    nextStepId: string | null;
    overdue: boolean;
  } | null;
  can: { edit: boolean; enrol: boolean; assign: boolean; analytics: boolean };
};
type Err = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

describe.each(testBackends())("learning paths on %s", (backend) => {
  let t: TestApp;
  const who: Record<string, { id: string; client: Client }> = {};
  let openSpace: string;
  let vault: string;
  const art: Record<string, { id: string; version: number }> = {};
  let path: Path;

  const article = async (by: string, spaceId: string, title: string, body = `${title} explained.`) => {
    const r = await who[by].client.json<{ id: string; version: number }>("POST", "/api/articles", {
      spaceId,
      title,
      body,
      tags: ["onboarding"],
    });
    expect(r.status).toBe(201);
    return r.body;
  };

  beforeAll(async () => {
    t = await createTestApp(backend);
    for (const [name, role] of [
      ["olive", "member"], // owns the path
      ["max", "member"], // leo's manager
      ["leo", "member"], // learner
      ["lia", "member"], // another learner
      ["kim", "member"], // knowledge manager
      ["gus", "guest"],
    ] as const) {
      const u = await t.newUser({ name, role, department: name === "olive" ? "Quality" : "Warehouse" });
      who[name] = { id: u.id, client: await t.login(u.email) };
    }
    await t.ctx.db.execute(sql`update users set manager_id = ${who.max.id} where id = ${who.leo.id}`);
    await t.ctx.db.execute(sql`update users set knowledge_manager = true where id = ${who.kim.id}`);
    openSpace = (await t.newSpace(who.olive.id, { name: "Warehouse handbook" })).id;
    vault = (await t.newSpace(who.olive.id, { name: "Quality vault", visibility: "private" })).id;
    art.forklift = await article("olive", openSpace, "Forklift pre-use check");
    art.racking = await article("olive", openSpace, "Racking inspection");
    art.secret = await article("olive", vault, "Zqxaudit findings of the supplier");
  });
  afterAll(async () => t?.close());

  const step = (body: Record<string, unknown>) =>
    who.olive.client.json<Path>("POST", `/api/paths/${path.id}/steps`, { version: path.version, ...body });

  it("an owner builds a path from existing knowledge; stale edits get 409", async () => {
    const created = await who.olive.client.json<Path>("POST", "/api/paths", {
      title: "Forklift onboarding",
      goal: "Drive a reach truck **safely**.",
      audience: "New warehouse staff",
      topics: ["Forklift"],
    });
    expect(created.status).toBe(201);
    path = created.body;
    expect(path.status).toBe("draft");
    // Publishing an empty path is refused, naming the field.
    const empty = await who.olive.client.json<Err>("PATCH", `/api/paths/${path.id}`, {
      version: path.version,
      status: "published",
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields?.[0].path).toBe("status");

    let r = await step({
      kind: "article",
      targetId: art.forklift.id,
      check: {
        type: "single",
        question: "When do you check the forks?",
        options: ["Weekly", "Before every shift"],
        correct: [1],
      },
      reflectionPrompt: "What surprised you?",
    });
    expect(r.status).toBe(201);
    path = r.body;
    r = await step({ kind: "link", url: "https://example.org/hse-video", title: "HSE video" });
    path = r.body;
    r = await step({
      kind: "article",
      targetId: art.secret.id,
      check: { type: "short", question: "What did the audit find?", modelAnswer: "Missing calibration records" },
    });
    path = r.body;
    r = await step({ kind: "article", targetId: art.racking.id });
    path = r.body;
    expect(path.steps.map((s) => s.position)).toEqual([1, 2, 3, 4]);

    // Bad input: a link without an address, a correct option that does not exist, a target nobody can read.
    const noUrl = await step({ kind: "link", title: "x" });
    expect(noUrl.body as unknown as Err).toMatchObject({ error: { fields: [{ path: "url" }] } });
    const badCheck = await step({
      kind: "article",
      targetId: art.racking.id,
      check: { type: "single", question: "Which?", options: ["a", "b"], correct: [5] },
    });
    expect(badCheck.status).toBe(400);
    expect((badCheck.body as unknown as Err).error.fields?.[0].path).toBe("check.correct");
    const unreadable = await who.leo.client.json<Err>("POST", "/api/paths", { title: "Leo's path" });
    const leoPath = unreadable.body as unknown as Path;
    const sneaky = await who.leo.client.json<Err>("POST", `/api/paths/${leoPath.id}/steps`, {
      version: leoPath.version,
      kind: "article",
      targetId: art.secret.id,
    });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.error.fields?.[0].path).toBe("targetId");

    // Reorder: the racking inspection before the secret; a list that misses a step is refused.
    const ids = path.steps.map((s) => s.id);
    const bad = await who.olive.client.json<Err>("PUT", `/api/paths/${path.id}/steps/order`, {
      version: path.version,
      stepIds: ids.slice(1),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.[0].path).toBe("stepIds");
    const order = await who.olive.client.json<Path>("PUT", `/api/paths/${path.id}/steps/order`, {
      version: path.version,
      stepIds: [ids[0], ids[1], ids[3], ids[2]],
    });
    expect(order.status).toBe(200);
    expect(order.body.steps.map((s) => s.id)).toEqual([ids[0], ids[1], ids[3], ids[2]]);
    // An edit made on the version before the reorder is refused and changes nothing.
    const stale = await who.olive.client.json<Err>("PATCH", `/api/paths/${path.id}`, {
      version: path.version,
      title: "Lost edit",
    });
    expect(stale.status).toBe(409);
    path = order.body;
    expect(path.title).toBe("Forklift onboarding");

    // A draft is the owner's: others get 404.
    expect((await who.leo.client.json("GET", `/api/paths/${path.id}`)).status).toBe(404);
    const pub = await who.olive.client.json<Path>("PATCH", `/api/paths/${path.id}`, {
      version: path.version,
      status: "published",
    });
    expect(pub.status).toBe(200);
    path = pub.body;
  });

  it("private knowledge in a path is never shown to a learner who may not read it", async () => {
    const r = await who.leo.client.json<Path>("GET", `/api/paths/${path.id}`);
    expect(r.status).toBe(200);
    const raw = JSON.stringify(r.body);
    expect(raw).not.toContain("Zqxaudit");
    expect(raw).not.toContain(art.secret.id);
    expect(raw).not.toContain("Quality vault");
    expect(raw).not.toContain("Missing calibration records");
    const hidden = r.body.steps.find((s) => !s.accessible)!;
    expect(hidden).toMatchObject({ title: null, targetId: null, check: null });
    // The owner sees it.
    const own = await who.olive.client.json<Path>("GET", `/api/paths/${path.id}`);
    expect(JSON.stringify(own.body)).toContain("Zqxaudit");
    // Completing it is refused as if it did not exist; search for steps does not offer it either.
    const done = await who.leo.client.json<Err>("POST", `/api/paths/${path.id}/steps/${hidden.id}/complete`, {});
    expect(done.status).toBe(404);
    await t.ctx.search.catchUp();
    const cands = await who.leo.client.json("GET", "/api/paths/step-candidates?q=zqxaudit");
    expect(JSON.stringify(cands.body)).not.toContain("Zqxaudit");
    const mine = await who.olive.client.json<{ items: { id: string }[] }>(
      "GET",
      "/api/paths/step-candidates?q=zqxaudit",
    );
    expect(mine.body.items.map((i) => i.id)).toContain(art.secret.id);
  });

  it("a learner answers checks, completes the path and sees it as formal learning", async () => {
    const leo = who.leo.client;
    const p = (await leo.json<Path>("GET", `/api/paths/${path.id}`)).body;
    expect(p.can.enrol).toBe(true);
    const [first, link, racking] = p.steps;
    // A wrong answer does not complete the step and does not reveal the right one.
    const wrong = await leo.json<{ passed: boolean; completed: boolean; path: Path }>(
      "POST",
      `/api/paths/${path.id}/steps/${first.id}/complete`,
      { choices: [0] },
    );
    expect(wrong.status).toBe(200);
    expect(wrong.body).toMatchObject({ passed: false, completed: false });
    expect(wrong.body.path.steps[0].check?.correct).toBeNull();
    expect(wrong.body.path.mine).toMatchObject({ done: 0, total: 3, nextStepId: first.id });
    const noChoice = await leo.json<Err>("POST", `/api/paths/${path.id}/steps/${first.id}/complete`, {});
    expect(noChoice.body.error.fields?.[0].path).toBe("choices");
    const right = await leo.json<{ passed: boolean; completed: boolean; path: Path }>(
      "POST",
      `/api/paths/${path.id}/steps/${first.id}/complete`,
      { choices: [1] },
    );
    expect(right.body).toMatchObject({ passed: true, completed: true });
    expect(right.body.path.steps[0].mine).toMatchObject({ attempts: 2, passed: false });
    expect(right.body.path.mine?.nextStepId).toBe(link.id);
    await leo.json("POST", `/api/paths/${path.id}/steps/${link.id}/complete`, {});
    const last = await leo.json<{ path: Path }>("POST", `/api/paths/${path.id}/steps/${racking.id}/complete`, {});
    // Complete without the step Leo may not read.
    expect(last.body.path.mine).toMatchObject({ done: 3, total: 3, nextStepId: null });
    expect(last.body.path.mine?.completedAt).not.toBeNull();
    // The reflection goes into Leo's journal, which stays his.
    const refl = await leo.json<{ entryId: string }>("POST", `/api/paths/${path.id}/steps/${first.id}/reflection`, {
      body: "I never checked the chains.",
    });
    expect(refl.status).toBe(201);
    const journal = await leo.json<{ items: { body: string; prompt: string }[] }>("GET", "/api/journal");
    expect(journal.body.items[0]).toMatchObject({ body: "I never checked the chains." });
    expect(journal.body.items[0].prompt).toContain("What surprised you?");
    const learning = await leo.json<{ totals: { formal: number }; byKind: Record<string, number> }>(
      "GET",
      `/api/people/${who.leo.id}/learning`,
    );
    expect(learning.body.totals.formal).toBe(3);
    expect(learning.body.byKind.path_completed).toBe(1);
    const seen = await who.lia.client.json<{ totals: { formal: number } }>("GET", `/api/people/${who.leo.id}/learning`);
    expect(seen.body.totals.formal).toBe(0);
  });

  it("managers assign to their reports, knowledge managers to anyone; due dates reach the inbox", async () => {
    const toLia = await who.max.client.json<Err>("POST", `/api/paths/${path.id}/assign`, {
      userIds: [who.lia.id],
      dueOn: "2026-03-20",
    });
    expect(toLia.status).toBe(403);
    expect(toLia.body.error.fields?.[0]).toMatchObject({ path: "userIds.0", message: "does not report to you" });
    const toLeo = await who.max.client.json("POST", `/api/paths/${path.id}/assign`, {
      userIds: [who.leo.id],
      dueOn: "2026-03-20",
    });
    expect(toLeo.body).toEqual({ assigned: 0, updated: 1 });
    const past = await who.kim.client.json<Err>("POST", `/api/paths/${path.id}/assign`, {
      userIds: [who.lia.id],
      dueOn: "2026-01-01",
    });
    expect(past.body.error.fields?.[0].path).toBe("dueOn");
    const byKm = await who.kim.client.json("POST", `/api/paths/${path.id}/assign`, {
      userIds: [who.lia.id],
      dueOn: "2026-03-05",
    });
    expect(byKm.body).toEqual({ assigned: 1, updated: 0 });
    expect((await who.gus.client.json("POST", `/api/paths/${path.id}/enrol`)).status).toBe(403);
    // Lia cannot leave an assignment; it is in her inbox, overdue once the date passes.
    expect((await who.lia.client.json("DELETE", `/api/paths/${path.id}/enrol`)).status).toBe(403);
    const due = await who.lia.client.json<{ due: { pathId: string; overdue: boolean }[] }>("GET", "/api/paths/due");
    expect(due.body.due).toEqual([expect.objectContaining({ pathId: path.id, overdue: false })]);
    t.clock.now = new Date("2026-03-06T09:00:00Z");
    const later = await who.lia.client.json<{ due: { overdue: boolean }[] }>("GET", "/api/paths/due");
    expect(later.body.due[0].overdue).toBe(true);
    // The owner's analytics name overdue learners; a colleague's request is refused.
    const a = await who.olive.client.json<{
      learners: number;
      completed: number;
      funnel: { completed: number; passRate: number | null }[];
      overdue: { person: { name: string } }[];
    }>("GET", `/api/paths/${path.id}/analytics`);
    expect(a.body.learners).toBe(2);
    expect(a.body.completed).toBe(1);
    expect(a.body.funnel[0]).toMatchObject({ completed: 1, passRate: 0 });
    expect(a.body.overdue.map((o) => o.person.name)).toEqual(["lia"]);
    expect((await who.lia.client.json("GET", `/api/paths/${path.id}/analytics`)).status).toBe(403);
    t.clock.now = new Date("2026-03-02T09:00:00Z");
  });

  it("concurrent completions count each step once and complete the path once", async () => {
    const lia = who.lia.client;
    const p = (await lia.json<Path>("GET", `/api/paths/${path.id}`)).body;
    const [, link, racking] = p.steps;
    await lia.json("POST", `/api/paths/${path.id}/steps/${p.steps[0].id}/complete`, { choices: [1] });
    const all = await Promise.all(
      [link, racking, link, racking].map((s) => lia.json("POST", `/api/paths/${path.id}/steps/${s.id}/complete`, {})),
    );
    expect(all.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const [row] = await t.ctx.db
      .execute<{ n: number; done: number }>(
        sql`select (select count(*)::int from path_progress pr where pr.enrolment_id = e.id and pr.completed_at is not null) as n,
            (e.completed_at is not null)::int as done
          from path_enrolments e where e.path_id = ${path.id} and e.user_id = ${who.lia.id}`,
      )
      .then((r) => (Array.isArray(r) ? r : (r as { rows: { n: number; done: number }[] }).rows));
    expect(Number(row.n)).toBe(3);
    expect(Number(row.done)).toBe(1);
  });

  it("when a step's knowledge is revised after a challenge, learners are told and the owner reviews the step", async () => {
    const c = await who.lia.client.json<{ id: string }>("POST", "/api/challenges", {
      subjectType: "article",
      subjectId: art.forklift.id,
      claim: "Checks are now before every shift and after every battery change",
    });
    expect(c.status).toBe(201);
    const cur = await who.olive.client.json<{ version: number; title: string; body: string }>(
      "GET",
      `/api/articles/${art.forklift.id}`,
    );
    const upd = await who.olive.client.json("PUT", `/api/articles/${art.forklift.id}`, {
      version: cur.body.version,
      title: cur.body.title,
      body: "Check the forks before every shift and after every battery change.",
      tags: ["onboarding"],
    });
    expect(upd.status).toBe(200);
    t.clock.now = new Date("2026-03-02T10:00:00Z");
    const res = await who.olive.client.json("POST", `/api/challenges/${c.body.id}/resolve`, {
      outcome: "revised",
      response: "Added the battery change",
    });
    expect(res.status).toBe(200);
    // Leo completed the step: he has a "what changed" notice.
    const notices = await who.leo.client.json<{ items: { articleId: string }[] }>("GET", "/api/me/notices");
    expect(notices.body.items.map((n) => n.articleId)).toContain(art.forklift.id);
    const owner = (await who.olive.client.json<Path>("GET", `/api/paths/${path.id}`)).body;
    expect(owner.stepsToReview).toBe(1);
    expect(owner.steps[0]).toMatchObject({ state: "revised", needsReview: true });
    const due = await who.olive.client.json<{ toReview: { pathId: string; steps: number }[] }>("GET", "/api/paths/due");
    expect(due.body.toReview).toEqual([{ pathId: path.id, title: "Forklift onboarding", steps: 1 }]);
    const reviewed = await who.olive.client.json<Path>("PATCH", `/api/paths/${path.id}/steps/${owner.steps[0].id}`, {
      version: owner.version,
      reviewed: true,
    });
    expect(reviewed.body.stepsToReview).toBe(0);
    path = reviewed.body;
  });

  it("makes an onboarding path from a space in page-tree order", async () => {
    const space = (await t.newSpace(who.olive.id, { name: "Returns desk" })).id;
    const a1 = await article("olive", space, "Returns: start here");
    const a2 = await article("olive", space, "Grading returned goods");
    await t.ctx.db.execute(sql`update articles set parent_id = ${a1.id}, position = 'a0' where id = ${a2.id}`);
    await t.ctx.db.execute(sql`update articles set position = 'a0' where id = ${a1.id}`);
    const a3 = await article("olive", space, "Refund limits");
    await t.ctx.db.execute(sql`update articles set position = 'a1' where id = ${a3.id}`);
    const r = await who.olive.client.json<Path>("POST", "/api/paths/from-space", { spaceId: space });
    expect(r.status).toBe(201);
    expect(r.body.title).toBe("Onboarding: Returns desk");
    expect(r.body.steps.map((s) => s.title)).toEqual([
      "Returns: start here",
      "Grading returned goods",
      "Refund limits",
    ]);
    const priv = await who.leo.client.json("POST", "/api/paths/from-space", { spaceId: vault });
    expect(priv.status).toBe(404);
  });
});
