import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ICAL from "ical.js";
import { eq } from "drizzle-orm";
import { articles, follows, users } from "../../db/schema";
import { createTestApp, makeClient, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

type Session = {
  id: string;
  title: string;
  startsAt: string;
  localStart: string;
  going: number;
  waitlisted: number;
  myStatus: string | null;
  myWaitlistPosition: number | null;
  can: Record<string, boolean>;
  presenters: { id: string }[];
};
type Page = Session & {
  people: { id: string; status: string; checkedIn: boolean }[];
  attendance: { byDepartment: { department: string; count: number }[]; crossDepartmentShare: number | null };
};

/** Parses an iCalendar text with a real parser (ical.js) into its events. */
function events(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  return cal.getAllSubcomponents("vevent").map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      summary: e.summary,
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
      status: v.getFirstPropertyValue("status"),
      alarms: v.getAllSubcomponents("valarm").length,
    };
  });
}

const BASE = {
  abstract: "How we **run** it.",
  timeZone: "Europe/Berlin",
  durationMinutes: 60,
  place: "Room 4",
  topics: ["kubernetes"],
};

describe.each(testBackends())("knowledge-sharing sessions on %s", (backend) => {
  let t: TestApp;
  const who: Record<string, { id: string; client: Client }> = {};

  async function person(key: string, department: string, role: "member" | "guest" | "admin" = "member") {
    const u = await t.newUser({ name: key, department, role });
    who[key] = { id: u.id, client: await t.login(u.email) };
  }

  beforeAll(async () => {
    t = await createTestApp(backend);
    t.clock.now = new Date("2026-10-01T09:00:00Z");
    for (const [k, d] of [
      ["pia", "Engineering"],
      ["sam", "Sales"],
      ["fin", "Finance"],
      ["lead", "Engineering"],
    ] as const)
      await person(k, d);
    await person("gus", "", "guest");
  });
  afterAll(async () => t.close());

  let open: Session;
  let secret: Session;
  let secretCommunity: string;

  it("announces a session; its start is read in its time zone across the October change", async () => {
    const bad = await who.pia.client.json<{ error: { fields: { path: string }[] } }>("POST", "/api/sessions", {
      ...BASE,
      title: "K",
      start: "tomorrow",
      timeZone: "Mars/Olympus",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f) => f.path)).toEqual(expect.arrayContaining(["title", "start", "timeZone"]));
    const res = await who.pia.client.json<Session>("POST", "/api/sessions", {
      ...BASE,
      title: "Kubernetes in practice",
      start: "2026-11-05T10:00",
      capacity: 2,
    });
    expect(res.status).toBe(200);
    open = res.body;
    expect(open.startsAt).toBe("2026-11-05T09:00:00.000Z");
    expect(open.localStart).toBe("2026-11-05T10:00");
    expect(open.presenters.map((p) => p.id)).toEqual([who.pia.id]);
    expect(open.can.manage).toBe(true);
    expect(
      (await who.gus.client.json("POST", "/api/sessions", { ...BASE, title: "Guest talk", start: "2026-11-05T10:00" }))
        .status,
    ).toBe(403);
  });

  it("keeps a members-only community's session to its members", async () => {
    const c = await who.lead.client.json<{ id: string }>("POST", "/api/communities", {
      name: "Pricing council",
      topics: ["pricing"],
      joining: "request",
      visibility: "members",
    });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    secretCommunity = c.body.id;
    expect(
      (
        await who.sam.client.json("POST", "/api/sessions", {
          ...BASE,
          title: "Sneaky",
          start: "2026-11-06T10:00",
          communityId: secretCommunity,
        })
      ).status,
    ).toBe(404);
    const s = await who.lead.client.json<Session>("POST", "/api/sessions", {
      ...BASE,
      title: "Secret pricing review",
      start: "2026-11-06T10:00",
      communityId: secretCommunity,
    });
    expect(s.status).toBe(200);
    secret = s.body;
    await who.lead.client.json("PUT", `/api/sessions/${secret.id}/rsvp`, { status: "going" });

    const listed = await who.sam.client.json<{ items: Session[] }>("GET", "/api/sessions");
    expect(listed.body.items.map((i) => i.id)).toEqual([open.id]);
    const mine = await who.lead.client.json<{ items: Session[] }>("GET", "/api/sessions");
    expect(mine.body.items.map((i) => i.id)).toEqual([open.id, secret.id]);
    for (const [m, url, body] of [
      ["GET", `/api/sessions/${secret.id}`, undefined],
      ["GET", `/api/sessions/${secret.id}/invite.ics`, undefined],
      ["PUT", `/api/sessions/${secret.id}/rsvp`, { status: "going" }],
      ["POST", `/api/sessions/${secret.id}/check-in`, {}],
    ] as const) {
      const res = await who.sam.client.request(m, url, body);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain("Secret pricing");
    }
    const filtered = await who.lead.client.json<{ items: Session[] }>(
      "GET",
      `/api/sessions?communityId=${secretCommunity}`,
    );
    expect(filtered.body.items.map((i) => i.id)).toEqual([secret.id]);
    const byTopic = await who.sam.client.json<{ items: Session[] }>("GET", "/api/sessions?topic=pricing");
    expect(byTopic.body.items).toEqual([]);
  });

  it("RSVPs with a waiting list promoted in order when someone drops", async () => {
    const go = (k: string) => who[k].client.json<Session>("PUT", `/api/sessions/${open.id}/rsvp`, { status: "going" });
    expect((await go("sam")).body.myStatus).toBe("going");
    expect((await go("fin")).body.myStatus).toBe("going");
    const w1 = await go("lead");
    expect(w1.body).toMatchObject({ myStatus: "waitlisted", myWaitlistPosition: 1, going: 2 });
    expect((await go("gus")).status).toBe(403);
    // Going again keeps the place in the queue.
    expect((await go("lead")).body.myWaitlistPosition).toBe(1);
    const dropped = await who.sam.client.json<Session>("PUT", `/api/sessions/${open.id}/rsvp`, { status: "no" });
    expect(dropped.body.myStatus).toBe("no");
    const page = await who.pia.client.json<Page>("GET", `/api/sessions/${open.id}`);
    expect(page.body.people.find((p) => p.id === who.lead.id)!.status).toBe("going");
    expect(page.body.going).toBe(2);
    // Others do not see who answered.
    expect((await who.fin.client.json<Page>("GET", `/api/sessions/${open.id}`)).body.people).toEqual([]);
  });

  it("writes an .ics that a real parser reads, in UTC across the daylight-saving change", async () => {
    const res = await who.fin.client.request("GET", `/api/sessions/${open.id}/invite.ics`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/calendar");
    const [e] = events(res.body);
    expect(e).toMatchObject({
      uid: `${open.id}@knowhow`,
      summary: "Kubernetes in practice",
      start: "2026-11-05T09:00:00.000Z",
      end: "2026-11-05T10:00:00.000Z",
      alarms: 2,
    });
    const summer = await who.pia.client.json<Session>("POST", "/api/sessions", {
      ...BASE,
      title: "Summer session",
      start: "2026-10-20T10:00",
    });
    const [s] = events((await who.pia.client.request("GET", `/api/sessions/${summer.body.id}/invite.ics`)).body);
    expect(s.start).toBe("2026-10-20T08:00:00.000Z");
  });

  it("serves a per-person calendar feed by a secret, revocable token, never leaking", async () => {
    const anon = async (token: string) =>
      t.app.inject({ method: "GET", url: `/api/calendar/${encodeURIComponent(token)}/sessions.ics` });
    expect((await who.lead.client.json("GET", "/api/calendar/subscription")).body).toEqual({
      active: false,
      createdAt: null,
    });
    const lead = (await who.lead.client.json<{ token: string }>("POST", "/api/calendar/subscription")).body.token;
    const feed = await anon(lead);
    expect(feed.statusCode).toBe(200);
    expect(
      events(feed.body)
        .map((e) => e.summary)
        .sort(),
    ).toEqual(["Kubernetes in practice", "Secret pricing review"]);

    const sam = (await who.sam.client.json<{ token: string }>("POST", "/api/calendar/subscription")).body.token;
    // Sam said no: the event is there as cancelled; the members-only session never is.
    const samFeed = events((await anon(sam)).body);
    expect(samFeed.map((e) => [e.summary, e.status])).toEqual([["Kubernetes in practice", "CANCELLED"]]);
    expect((await anon(sam)).body).not.toContain("Secret");

    // Leaving the community takes the session out of the feed.
    await who.lead.client.json("PUT", `/api/communities/${secretCommunity}/members/${who.fin.id}`, { role: "member" });
    await who.fin.client.json("PUT", `/api/sessions/${secret.id}/rsvp`, { status: "going" });
    const fin = (await who.fin.client.json<{ token: string }>("POST", "/api/calendar/subscription")).body.token;
    expect((await anon(fin)).body).toContain("Secret pricing review");
    await who.fin.client.json("POST", `/api/communities/${secretCommunity}/leave`);
    expect((await anon(fin)).body).not.toContain("Secret");

    // A new token revokes the old; deleting revokes it too.
    const again = (await who.lead.client.json<{ token: string }>("POST", "/api/calendar/subscription")).body.token;
    expect((await anon(lead)).statusCode).toBe(404);
    expect((await anon(again)).statusCode).toBe(200);
    await who.lead.client.json("DELETE", "/api/calendar/subscription");
    expect((await anon(again)).statusCode).toBe(404);
    expect((await anon("not-a-real-token-at-all")).statusCode).toBe(404);
  });

  it("records attendance and the share of attendees from other departments", async () => {
    expect((await who.fin.client.json("POST", `/api/sessions/${open.id}/check-in`, {})).status).toBe(400);
    t.clock.now = new Date("2026-11-05T09:05:00Z");
    // A month later: the sign-in sessions have expired.
    for (const k of ["fin", "pia"]) {
      const [u] = await t.ctx.db.select().from(users).where(eq(users.id, who[k].id));
      who[k].client = await t.login(u.email);
    }
    expect((await who.fin.client.json("POST", `/api/sessions/${open.id}/check-in`, {})).status).toBe(200);
    expect(
      (await who.fin.client.json("POST", `/api/sessions/${open.id}/check-in`, { userId: who.sam.id })).status,
    ).toBe(403);
    expect(
      (await who.pia.client.json("POST", `/api/sessions/${open.id}/check-in`, { userId: who.lead.id })).status,
    ).toBe(200);
    const page = await who.pia.client.json<Page>("GET", `/api/sessions/${open.id}`);
    expect(page.body.attendance.crossDepartmentShare).toBe(0.5);
    expect(page.body.attendance.byDepartment).toEqual(
      expect.arrayContaining([
        { department: "Finance", count: 1 },
        { department: "Engineering", count: 1 },
      ]),
    );
    t.clock.now = new Date("2026-11-07T09:00:00Z");
    const past = await who.pia.client.json<{ items: Session[] }>("GET", "/api/sessions?when=past");
    expect(past.body.items.map((i) => i.title)).toEqual(["Kubernetes in practice", "Summer session"]);
    const dept = await who.pia.client.json<{ items: Session[] }>("GET", "/api/sessions?when=past&department=Sales");
    expect(dept.body.items).toEqual([]);
  });

  it("turns a session into an article owned by the presenter", async () => {
    const space = await t.newSpace(who.pia.id);
    const res = await who.pia.client.json<{ articleId: string }>("POST", `/api/sessions/${open.id}/knowledge`, {
      spaceId: space.id,
    });
    expect(res.status).toBe(200);
    const article = await who.pia.client.json<{ title: string; tags: string[]; owner: unknown; ownerId?: string }>(
      "GET",
      `/api/articles/${res.body.articleId}`,
    );
    expect(article.body).toMatchObject({ title: "Kubernetes in practice", tags: ["kubernetes"] });
    const [row] = await t.ctx.db.select().from(articles).where(eq(articles.id, res.body.articleId));
    expect(row.ownerId).toBe(who.pia.id);
    expect(
      (await who.fin.client.json("POST", `/api/sessions/${open.id}/knowledge`, { spaceId: space.id })).status,
    ).toBe(403);
  });

  it("suggests the announcement to people in other departments on its topics, never beyond its audience", async () => {
    for (const k of ["sam", "lead", "pia"]) {
      const [u] = await t.ctx.db.select().from(users).where(eq(users.id, who[k].id));
      who[k].client = await t.login(u.email);
    }
    await t.ctx.db.insert(follows).values([
      { userId: who.sam.id, targetType: "tag", target: "observability" },
      { userId: who.lead.id, targetType: "tag", target: "observability" },
      { userId: who.fin.id, targetType: "tag", target: "observability" },
      { userId: who.gus.id, targetType: "tag", target: "observability" },
    ]);
    const s = await who.pia.client.json<Session>("POST", "/api/sessions", {
      ...BASE,
      title: "Tracing in practice",
      start: "2026-12-01T10:00",
      topics: ["observability"],
    });
    const page = await who.pia.client.json<Page & { reach: { people: number; departments: number } }>(
      "GET",
      `/api/sessions/${s.body.id}`,
    );
    // Sam (Sales) and Fin (Finance); not Lead (the presenter's own department), not the guest.
    expect(page.body.reach).toMatchObject({ people: 2, departments: 2 });
    expect(
      (await who.sam.client.json<Page & { reach: unknown }>("GET", `/api/sessions/${s.body.id}`)).body.reach,
    ).toBeNull();
    const forSam = await who.sam.client.json<{ items: Session[] }>("GET", "/api/sessions/suggested");
    expect(forSam.body.items.map((i) => i.title)).toEqual(["Tracing in practice"]);
    expect((await who.lead.client.json<{ items: Session[] }>("GET", "/api/sessions/suggested")).body.items).toEqual([]);
    // A members-only community's session is suggested to its members only.
    const secretTalk = await who.lead.client.json<Session>("POST", "/api/sessions", {
      ...BASE,
      title: "Secret tracing",
      start: "2026-12-02T10:00",
      topics: ["observability"],
      communityId: secretCommunity,
    });
    const reach = await who.lead.client.json<{ reach: { people: number } }>(
      "GET",
      `/api/sessions/${secretTalk.body.id}`,
    );
    expect(reach.body.reach.people).toBe(0);
    const again = await who.sam.client.json<{ items: Session[] }>("GET", "/api/sessions/suggested");
    expect(again.body.items.map((i) => i.title)).toEqual(["Tracing in practice"]);
    // Answering takes it off the list.
    await who.sam.client.json("PUT", `/api/sessions/${s.body.id}/rsvp`, { status: "maybe" });
    expect((await who.sam.client.json<{ items: Session[] }>("GET", "/api/sessions/suggested")).body.items).toEqual([]);
  });
});

describe.each(testBackends())("the waiting list under concurrent RSVPs on %s", (backend) => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it("gives 20 concurrent RSVPs for 5 seats exactly 5 going, the rest waitlisted, promoted in order", async () => {
    t = await createTestApp(backend, {}, { poolMax: 20 });
    const presenter = await t.newUser({ name: "Presenter" });
    const host = await t.login(presenter.email);
    const s = await host.json<Session>("POST", "/api/sessions", {
      ...BASE,
      title: "Popular session",
      start: "2026-11-05T10:00",
      capacity: 5,
    });
    const people: { id: string; client: Client }[] = [];
    for (let i = 0; i < 20; i++) {
      const u = await t.newUser({ name: `Guest ${i}` });
      const c = await t.login(u.email);
      people.push({ id: u.id, client: makeClient(t.app, c.cookie, c.csrf) });
    }
    const answers = await Promise.all(
      people.map((p) => p.client.json<Session>("PUT", `/api/sessions/${s.body.id}/rsvp`, { status: "going" })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.filter((a) => a.body.myStatus === "going")).toHaveLength(5);
    expect(answers.filter((a) => a.body.myStatus === "waitlisted")).toHaveLength(15);
    const positions = answers.map((a) => a.body.myWaitlistPosition).filter((p) => p !== null);
    expect([...positions].sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));

    const byPosition = people
      .map((p, i) => ({ ...p, position: answers[i].body.myWaitlistPosition }))
      .filter((p) => p.position !== null)
      .sort((a, b) => a.position! - b.position!);
    const goingPeople = people.filter((_, i) => answers[i].body.myStatus === "going");
    await goingPeople[0].client.json("PUT", `/api/sessions/${s.body.id}/rsvp`, { status: "no" });
    await goingPeople[1].client.json("PUT", `/api/sessions/${s.body.id}/rsvp`, { status: "maybe" });
    const page = await host.json<Page>("GET", `/api/sessions/${s.body.id}`);
    expect(page.body.going).toBe(5);
    const going = new Set(page.body.people.filter((p) => p.status === "going").map((p) => p.id));
    expect(going.has(byPosition[0].id)).toBe(true);
    expect(going.has(byPosition[1].id)).toBe(true);
    expect(going.has(byPosition[2].id)).toBe(false);
    const third = await byPosition[2].client.json<Session>("GET", `/api/sessions/${s.body.id}`);
    expect(third.body.myWaitlistPosition).toBe(1);
  });
});
