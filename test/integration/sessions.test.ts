import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ICAL from "ical.js";
import { eq } from "drizzle-orm";
import { articles, follows, posts, users } from "../../db/schema";
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

function form(name: string, content: Buffer) {
  const boundary = "----khsession";
  return {
    body: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

type Full = Page & {
  version: number;
  cancelled: boolean;
  capacity: number | null;
  notes: string;
  notesHtml: string;
  files: { id: string; kind: string; name: string; url: string; can: { delete: boolean } }[];
  questions: { id: string; title: string; answered: boolean; answerCount: number }[];
  reach: { people: number; departments: number } | null;
};

describe.each(testBackends())("editing, cancelling, files, raised questions, reminders and stats on %s", (backend) => {
  let t: TestApp;
  const who: Record<string, { id: string; client: Client }> = {};
  let open: Full;
  let secret: Full;
  let club: string;

  async function person(key: string, department: string, role: "member" | "guest" | "admin" = "member") {
    const u = await t.newUser({ name: key, department, role });
    who[key] = { id: u.id, client: await t.login(u.email) };
  }
  const page = (k: string, id: string) => who[k].client.json<Full>("GET", `/api/sessions/${id}`);

  beforeAll(async () => {
    t = await createTestApp(backend);
    t.clock.now = new Date("2026-10-01T09:00:00Z");
    for (const [k, d] of [
      ["pia", "Engineering"],
      ["sam", "Sales"],
      ["fin", "Finance"],
      ["lead", "Engineering"],
      ["ops", "Operations"],
    ] as const)
      await person(k, d);
    await person("gus", "", "guest");
    const c = await who.lead.client.json<{ id: string }>("POST", "/api/communities", {
      name: "Pricing council",
      topics: ["pricing"],
      joining: "request",
      visibility: "members",
    });
    club = c.body.id;
    await who.lead.client.json("PUT", `/api/communities/${club}/members/${who.ops.id}`, { role: "member" });
    open = (
      await who.pia.client.json<Full>("POST", "/api/sessions", {
        ...BASE,
        title: "Kubernetes in practice",
        start: "2026-10-01T15:00",
        capacity: 1,
      })
    ).body;
    secret = (
      await who.lead.client.json<Full>("POST", "/api/sessions", {
        ...BASE,
        title: "Secret pricing review",
        start: "2026-10-01T16:00",
        topics: ["pricing"],
        communityId: club,
      })
    ).body;
  });
  afterAll(async () => t.close());

  it("edits a session on its version: a stale edit is a 409 that loses nothing; more seats promote in order", async () => {
    for (const k of ["sam", "fin", "lead"])
      await who[k].client.json("PUT", `/api/sessions/${open.id}/rsvp`, { status: "going" });
    expect((await page("pia", open.id)).body).toMatchObject({ going: 1, waitlisted: 2, version: 1 });
    const patch = (k: string, body: unknown) => who[k].client.json<Full>("PATCH", `/api/sessions/${open.id}`, body);
    expect((await patch("fin", { version: 1, title: "Mine now" })).status).toBe(403);
    expect((await who.sam.client.json("PATCH", `/api/sessions/${secret.id}`, { version: 1, notes: "x" })).status).toBe(
      404,
    );
    const bad = await patch("pia", { version: 1, notes: "x".repeat(50_001), capacity: 0 });
    expect(bad.status).toBe(400);
    expect((bad.body as unknown as { error: { fields: { path: string }[] } }).error.fields.map((f) => f.path)).toEqual(
      expect.arrayContaining(["notes", "capacity"]),
    );
    expect((await patch("pia", { title: "No version" })).status).toBe(400);
    const noPlace = await patch("pia", { version: 1, place: "", link: "" });
    expect(noPlace.status).toBe(400);
    expect(JSON.stringify(noPlace.body)).toContain("place");

    const saved = await patch("pia", {
      version: 1,
      capacity: 2,
      notes: "## Takeaways\n\n**Requests** before limits.<script>alert(1)</script>",
      start: "2026-10-01T16:00",
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({
      version: 2,
      capacity: 2,
      going: 2,
      waitlisted: 1,
      localStart: "2026-10-01T16:00",
    });
    expect(saved.body.notesHtml).toContain("<strong>Requests</strong>");
    expect(saved.body.notesHtml).not.toContain("<script");
    // Fin queued first, so Fin got the new seat.
    expect(saved.body.people.find((p) => p.id === who.fin.id)!.status).toBe("going");
    expect(saved.body.people.find((p) => p.id === who.lead.id)!.status).toBe("waitlisted");

    const stale = await who.pia.client.json<{ error: { code: string }; current: Full }>(
      "PATCH",
      `/api/sessions/${open.id}`,
      { version: 1, title: "Overwritten title" },
    );
    expect(stale.status).toBe(409);
    expect(stale.body.current).toMatchObject({ version: 2, title: "Kubernetes in practice" });
    expect((await page("pia", open.id)).body.notes).toContain("Requests");

    // Fewer seats than going: allowed, nobody loses a seat.
    const fewer = await patch("pia", { version: 2, capacity: 1 });
    expect(fewer.body).toMatchObject({ version: 3, capacity: 1, going: 2, waitlisted: 1 });
  });

  it("cancels a session: still readable, no answers, cancelled in the .ics and the calendar feed", async () => {
    const extra = (
      await who.pia.client.json<Full>("POST", "/api/sessions", {
        ...BASE,
        title: "Helm charts",
        start: "2026-10-02T09:00",
      })
    ).body;
    await who.fin.client.json("PUT", `/api/sessions/${extra.id}/rsvp`, { status: "going" });
    expect((await who.fin.client.json("POST", `/api/sessions/${extra.id}/cancel`)).status).toBe(403);
    expect((await who.sam.client.json("POST", `/api/sessions/${secret.id}/cancel`)).status).toBe(404);
    const done = await who.pia.client.json<Full>("POST", `/api/sessions/${extra.id}/cancel`);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ cancelled: true, can: { rsvp: false, cancel: false } });
    expect((await who.pia.client.json("POST", `/api/sessions/${extra.id}/cancel`)).status).toBe(409);
    const read = await page("sam", extra.id);
    expect(read.body).toMatchObject({ cancelled: true, title: "Helm charts" });
    expect((await who.sam.client.json("PUT", `/api/sessions/${extra.id}/rsvp`, { status: "going" })).status).toBe(403);
    const [e] = events((await who.fin.client.request("GET", `/api/sessions/${extra.id}/invite.ics`)).body);
    expect(e.status).toBe("CANCELLED");
    const token = (await who.fin.client.json<{ token: string }>("POST", "/api/calendar/subscription")).body.token;
    const feed = events(
      (await t.app.inject({ method: "GET", url: `/api/calendar/${encodeURIComponent(token)}/sessions.ics` })).body,
    );
    expect(feed.find((x) => x.summary === "Helm charts")!.status).toBe("CANCELLED");
    expect(feed.find((x) => x.summary === "Kubernetes in practice")!.status).toBe("CONFIRMED");
  });

  it("keeps slides and recordings for the session's readers only; uploader or presenters delete", async () => {
    const upload = (k: string, id: string, name: string, content: Buffer, kind = "slides") => {
      const f = form(name, content);
      return who[k].client.request("POST", `/api/sessions/${id}/files?kind=${kind}`, f.body, f.headers);
    };
    const slides = await upload("pia", open.id, "slides.md", Buffer.from("# Kubernetes\n\nRequests first.\n"));
    expect(slides.statusCode, slides.body).toBe(200);
    expect(slides.json()).toMatchObject({ kind: "slides", name: "slides.md", can: { delete: true } });
    expect((await upload("fin", open.id, "mine.md", Buffer.from("# x\n"))).statusCode).toBe(403);
    expect((await upload("pia", open.id, "tool.exe", Buffer.from([0x4d, 0x5a, 0, 0, 1, 2]))).statusCode).toBe(415);
    expect((await upload("pia", open.id, "x.md", Buffer.from("x"), "poster")).statusCode).toBe(400);
    const url = slides.json<{ url: string }>().url;
    const got = await who.fin.client.request("GET", url);
    expect(got.statusCode).toBe(200);
    expect(got.body).toContain("Requests first.");
    expect(got.headers["content-disposition"]).toContain("attachment");
    const listed = (await page("fin", open.id)).body.files;
    expect(listed.map((f) => [f.name, f.kind, f.can.delete])).toEqual([["slides.md", "slides", false]]);
    expect((await who.fin.client.request("DELETE", url)).statusCode).toBe(403);

    // A members-only community's session: its files reach its members only.
    const hidden = await upload("lead", secret.id, "pricing.md", Buffer.from("# Secret margins\n"));
    expect(hidden.statusCode).toBe(200);
    const hiddenId = hidden.json<{ id: string }>().id;
    const hiddenUrl = hidden.json<{ url: string }>().url;
    for (const u of [hiddenUrl, `/api/sessions/${open.id}/files/${hiddenId}`]) {
      const res = await who.sam.client.request("GET", u);
      expect(res.statusCode, u).toBe(404);
      expect(res.body).not.toContain("Secret margins");
    }
    expect((await who.sam.client.request("DELETE", hiddenUrl)).statusCode).toBe(404);
    expect((await who.ops.client.request("GET", hiddenUrl)).body).toContain("Secret margins");

    expect((await who.pia.client.request("DELETE", url)).statusCode).toBe(200);
    expect((await who.fin.client.request("GET", url)).statusCode).toBe(404);
    expect((await page("fin", open.id)).body.files).toEqual([]);
  });

  it("turns a question raised at the session into a Knowhow question on its topics, linked to it", async () => {
    const raise = (k: string, id: string, body: unknown) =>
      who[k].client.json<{ id: string; answered: boolean }>("POST", `/api/sessions/${id}/questions`, body);
    const bad = await raise("fin", open.id, { title: "Hm", body: "" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("title");
    expect((await raise("gus", open.id, { title: "How do limits work?", body: "Asked" })).status).toBe(403);
    const q = await raise("fin", open.id, { title: "How do CPU limits throttle?", body: "Asked after the demo." });
    expect(q.status, JSON.stringify(q.body)).toBe(200);
    const asked = await who.sam.client.json<{ tags: string[]; title: string }>("GET", `/api/questions/${q.body.id}`);
    expect(asked.body).toMatchObject({ title: "How do CPU limits throttle?", tags: ["kubernetes"] });
    expect((await page("sam", open.id)).body.questions).toEqual([
      expect.objectContaining({ id: q.body.id, answered: false, answerCount: 0 }),
    ]);
    await who.pia.client.json("POST", `/api/questions/${q.body.id}/answers`, { body: "CFS quota per period." });
    expect((await page("sam", open.id)).body.questions[0]).toMatchObject({ answered: true, answerCount: 1 });

    // Raised at a members-only community's session: addressed to the community, hidden from others.
    const hidden = await raise("ops", secret.id, { title: "Which discount bands stay?", body: "Secret bands" });
    expect(hidden.status).toBe(200);
    expect((await who.sam.client.request("GET", `/api/questions/${hidden.body.id}`)).statusCode).toBe(404);
    expect((await raise("sam", secret.id, { title: "Let me in please", body: "x" })).status).toBe(404);
    expect((await page("lead", secret.id)).body.questions.map((x) => x.title)).toEqual(["Which discount bands stay?"]);

    // The article made from the session mentions its raised questions.
    const space = await t.newSpace(who.pia.id);
    const made = await who.pia.client.json<{ articleId: string }>("POST", `/api/sessions/${open.id}/knowledge`, {
      spaceId: space.id,
    });
    const [row] = await t.ctx.db.select().from(articles).where(eq(articles.id, made.body.articleId));
    expect(row.body).toContain("Requests");
    expect(row.body).toContain(`[How do CPU limits throttle?](/questions/${q.body.id})`);
  });

  it("lists sessions starting within 24 hours for those going or presenting, never beyond the audience", async () => {
    t.clock.now = new Date("2026-10-01T08:00:00Z");
    const soon = async (k: string) =>
      (await who[k].client.json<{ items: { title: string }[] }>("GET", "/api/sessions/soon")).body.items.map(
        (i) => i.title,
      );
    await who.pia.client.json("POST", "/api/sessions", { ...BASE, title: "Next week", start: "2026-10-08T10:00" });
    await who.lead.client.json("PUT", `/api/sessions/${secret.id}/rsvp`, { status: "going" });
    await who.ops.client.json("PUT", `/api/sessions/${secret.id}/rsvp`, { status: "maybe" });
    // Fin is going (promoted), Pia presents; Lead is waitlisted on the open one but going to the secret one.
    expect(await soon("fin")).toEqual(["Kubernetes in practice"]);
    expect(await soon("pia")).toEqual(["Kubernetes in practice"]);
    expect(await soon("lead")).toEqual(["Secret pricing review"]);
    expect(await soon("ops")).toEqual([]);
    expect(await soon("gus")).toEqual([]);
    // Once started, it is no longer "starting soon".
    t.clock.now = new Date("2026-10-01T14:01:00Z");
    expect(await soon("fin")).toEqual([]);
  });

  it("suggests a session to people learning its topics (posts in the last 180 days)", async () => {
    const s = (
      await who.lead.client.json<Full>("POST", "/api/sessions", {
        ...BASE,
        title: "Service meshes",
        start: "2026-11-10T10:00",
        topics: ["servicemesh"],
      })
    ).body;
    // (Fin is suggested other Kubernetes sessions too, having asked about Kubernetes.)
    const suggested = async (k: string) =>
      (await who[k].client.json<{ items: { title: string }[] }>("GET", "/api/sessions/suggested")).body.items
        .map((i) => i.title)
        .filter((title) => title.includes("meshes"));
    expect(await suggested("sam")).toEqual([]);
    const post = await who.sam.client.json<{ id: string }>("POST", "/api/posts", {
      kind: "working_on",
      body: "Reading about sidecars",
      tags: ["servicemesh"],
    });
    expect(post.status).toBe(201);
    await who.fin.client.json("POST", "/api/posts", { kind: "learned", body: "mTLS basics", tags: ["servicemesh"] });
    expect(await suggested("sam")).toEqual(["Service meshes"]);
    // An old post no longer counts.
    await t.ctx.db
      .update(posts)
      .set({ createdAt: new Date("2026-03-01T00:00:00Z") })
      .where(eq(posts.id, post.body.id));
    expect(await suggested("sam")).toEqual([]);
    expect(await suggested("fin")).toEqual(["Service meshes"]);
    expect((await page("lead", s.id)).body.reach).toMatchObject({ people: 1, departments: 1 });
    // A members-only community's session: learners outside it are not reached.
    const hidden = (
      await who.lead.client.json<Full>("POST", "/api/sessions", {
        ...BASE,
        title: "Secret meshes",
        start: "2026-11-11T10:00",
        topics: ["servicemesh"],
        communityId: club,
      })
    ).body;
    expect((await page("lead", hidden.id)).body.reach).toMatchObject({ people: 0 });
    expect(await suggested("fin")).toEqual(["Service meshes"]);
  });

  it("charts attendance across departments per month over the sessions the viewer may read", async () => {
    t.clock.now = new Date("2026-10-01T16:05:00Z");
    for (const k of ["fin", "sam", "pia"])
      expect((await who[k].client.json("POST", `/api/sessions/${open.id}/check-in`, {})).status).toBe(200);
    for (const k of ["lead", "ops"])
      expect((await who[k].client.json("POST", `/api/sessions/${secret.id}/check-in`, {})).status).toBe(200);
    t.clock.now = new Date("2026-10-20T09:00:00Z");
    type Stats = {
      months: {
        month: string;
        sessions: number;
        attended: number;
        crossDepartment: number;
        crossDepartmentShare: number | null;
      }[];
    };
    const stats = async (k: string) => (await who[k].client.json<Stats>("GET", "/api/sessions/stats")).body.months;
    const sam = await stats("sam");
    expect(sam.map((m) => m.month)).toEqual(["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]);
    // Sam reads the open sessions only (the cancelled one is left out): 3 attendees, 2 from other departments.
    expect(sam[5]).toEqual({
      month: "2026-10",
      sessions: 2,
      attended: 3,
      crossDepartment: 2,
      crossDepartmentShare: 2 / 3,
    });
    expect(sam.slice(0, 5).every((m) => m.attended === 0 && m.crossDepartmentShare === null)).toBe(true);
    // Ops reads both: Lead (Engineering, presenting) is home; Ops (Operations) is not.
    expect((await stats("ops"))[5]).toMatchObject({ sessions: 3, attended: 5, crossDepartment: 3 });
  });
});
