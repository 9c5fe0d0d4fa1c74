// Regression tests for what an outside probe found (security issue): each failed before its fix.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestApp, makeClient, PASSWORD, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";
import { OuterHandleInTransactionError } from "../../src/platform/db";
import { routingRequests, spaceMembers } from "../../db/schema";
import { and, eq } from "drizzle-orm";

afterAll(closeTemplates);

type Space = { id: string; visibility: string; memberAccess: string; description: string };
type Err = { error: { code: string; message: string; fields?: { path: string }[] } };
const SECRET = "marzipan";

/** The error a promise rejects with, unwrapped from the driver's "Failed query" wrapper. */
async function causeOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e instanceof Error && e.cause instanceof Error ? e.cause : e;
  }
  throw new Error("expected a rejection");
}

describe.each(testBackends())("security fixes, on %s", (backend) => {
  let t: TestApp;
  let owner: Client;
  let outsider: Client;
  let admin: Client;
  let ownerId: string;
  let outsiderId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const o = await t.newUser({ name: "Olga Owner" });
    const x = await t.newUser({ name: "Xavier Outsider", department: "Sales" });
    const a = await t.newUser({ name: "Ada Admin", role: "admin" });
    ownerId = o.id;
    outsiderId = x.id;
    owner = await t.login(o.email);
    outsider = await t.login(x.email);
    admin = await t.login(a.email);
  });
  afterAll(async () => t.close());

  it("editing a private space keeps it private, and a read-only space keeps read-only", async () => {
    const created = await owner.json<Space>("POST", "/api/spaces", {
      name: "Board",
      visibility: "private",
      memberAccess: "viewer",
    });
    expect(created.status).toBe(200);
    const patched = await owner.json<Space>("PATCH", `/api/spaces/${created.body.id}`, { description: "x" });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ visibility: "private", memberAccess: "viewer", description: "x" });
    expect((await outsider.json("GET", `/api/spaces/${created.body.id}`)).status).toBe(404);

    const readOnly = await owner.json<Space>("POST", "/api/spaces", {
      name: "Policies",
      visibility: "public",
      memberAccess: "viewer",
    });
    const renamed = await owner.json<Space>("PATCH", `/api/spaces/${readOnly.body.id}`, { name: "Policies 2026" });
    expect(renamed.body).toMatchObject({ visibility: "public", memberAccess: "viewer" });
    const write = await outsider.json("POST", "/api/articles", {
      spaceId: readOnly.body.id,
      title: "Mine now",
      body: "x",
    });
    expect(write.status).toBe(403);
    // Unknown fields are refused rather than silently ignored.
    expect((await owner.json<Err>("PATCH", `/api/spaces/${readOnly.body.id}`, { visiblity: "private" })).status).toBe(
      400,
    );
  });

  it("a query on the outer handle inside a transaction fails at once instead of freezing the server", async () => {
    const attempt = t.ctx.db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      await t.ctx.db.execute(sql`select 1`);
    });
    expect(await causeOf(attempt)).toBeInstanceOf(OuterHandleInTransactionError);
    const nested = t.ctx.db.transaction(async () => t.ctx.db.transaction(async (tx) => tx.execute(sql`select 1`)));
    expect(await causeOf(nested)).toBeInstanceOf(OuterHandleInTransactionError);
    // The handle works again afterwards, and so does the server.
    await t.ctx.db.execute(sql`select 1`);
    expect((await t.app.inject({ method: "GET", url: "/api/health" })).statusCode).toBe(200);
  });

  it("a duplicate's original in a private space: readers see that a link exists, never its title or id", async () => {
    const priv = await t.newSpace(ownerId, { name: "Legal", visibility: "private" });
    const original = await owner.json<{ id: string }>("POST", "/api/questions", {
      title: `How do we handle ${SECRET} disputes?`,
      body: "Details.",
      spaceId: priv.id,
      route: false,
    });
    expect(original.status).toBe(201);
    const open = await owner.json<{ id: string }>("POST", "/api/questions", {
      title: "How are disputes handled here?",
      body: "Asking for everyone.",
      route: false,
    });
    expect(
      (await owner.json("POST", `/api/questions/${open.body.id}/duplicate`, { duplicateOfId: original.body.id }))
        .status,
    ).toBe(200);

    const seen = await outsider.request("GET", `/api/questions/${open.body.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().duplicateOf).toEqual({ id: null, title: null, hidden: true });
    expect(seen.body).not.toContain(SECRET);
    expect(seen.body).not.toContain(original.body.id);
    const list = await outsider.request("GET", "/api/questions?sort=newest");
    const item = (
      list.json() as { items: { id: string; duplicate: boolean; duplicateOfId: string | null }[] }
    ).items.find((q) => q.id === open.body.id)!;
    expect(item).toMatchObject({ duplicate: true, duplicateOfId: null });
    expect(list.body).not.toContain(original.body.id);

    // A member of the space sees the link whole.
    expect(
      (await owner.json<{ duplicateOf: unknown }>("GET", `/api/questions/${open.body.id}`)).body.duplicateOf,
    ).toEqual({ id: original.body.id, title: `How do we handle ${SECRET} disputes?`, hidden: false });
  });

  it("superseded by a private article: the article, its verification, challenges and notices hide the title", async () => {
    const pub = await t.newSpace(ownerId, { name: "Handbook" });
    const priv = await t.newSpace(ownerId, { name: "Finance internal", visibility: "private" });
    const old = await owner.json<{ id: string }>("POST", "/api/articles", {
      spaceId: pub.id,
      title: "Travel policy",
      body: "Book economy.",
    });
    const replacement = await owner.json<{ id: string }>("POST", "/api/articles", {
      spaceId: priv.id,
      title: `Travel policy ${SECRET}`,
      body: "New rules.",
    });
    expect((await outsider.json("GET", `/api/articles/${old.body.id}`)).status).toBe(200); // a read: they get a notice later
    const ch = await outsider.json<{ id: string }>("POST", "/api/challenges", {
      subjectType: "article",
      subjectId: old.body.id,
      claim: "This was replaced last month",
    });
    expect(ch.status).toBe(201);
    const resolved = await owner.json("POST", `/api/challenges/${ch.body.id}/resolve`, {
      outcome: "superseded",
      supersededById: replacement.body.id,
      response: "See the new one",
    });
    expect(resolved.status).toBe(200);

    const hidden = { id: null, title: null, hidden: true };
    const urls = [
      `/api/articles/${old.body.id}`,
      `/api/verification/article/${old.body.id}`,
      `/api/challenges?subjectType=article&subjectId=${old.body.id}`,
      "/api/me/notices",
    ];
    for (const url of urls) {
      const res = await outsider.request("GET", url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toContain(SECRET);
      expect(res.body, url).not.toContain(replacement.body.id);
    }
    const article = (
      await outsider.json<{ verification: { superseded: boolean; supersededBy: unknown } }>(
        "GET",
        `/api/articles/${old.body.id}`,
      )
    ).body;
    expect(article.verification).toMatchObject({ superseded: true, supersededBy: hidden });
    const notices = (
      await outsider.json<{ items: { kind: string; supersededBy: unknown }[] }>("GET", "/api/me/notices")
    ).body.items;
    expect(notices[0]).toMatchObject({ kind: "superseded", supersededBy: hidden });
    // The owner, who may read the replacement, gets the link.
    const mine = (await owner.json<{ verification: { supersededBy: unknown } }>("GET", `/api/articles/${old.body.id}`))
      .body;
    expect(mine.verification.supersededBy).toEqual({
      id: replacement.body.id,
      title: `Travel policy ${SECRET}`,
      hidden: false,
    });
  });

  it("the reading record forgets titles the reader lost access to", async () => {
    const space = await t.newSpace(ownerId, { name: "Project Falcon", visibility: "private" });
    await t.addMember(space.id, outsiderId, "viewer");
    const a = await owner.json<{ id: string }>("POST", "/api/articles", {
      spaceId: space.id,
      title: `Falcon ${SECRET} plan`,
      body: "Plan.",
    });
    expect((await outsider.json("GET", `/api/articles/${a.body.id}`)).status).toBe(200);
    expect((await outsider.request("GET", "/api/me/reads")).body).toContain(a.body.id);
    await t.ctx.db
      .delete(spaceMembers)
      .where(and(eq(spaceMembers.spaceId, space.id), eq(spaceMembers.userId, outsiderId)));
    const reads = await outsider.request("GET", "/api/me/reads");
    expect(reads.body).not.toContain(a.body.id);
    expect(reads.body).not.toContain(SECRET);
  });

  it("someone else's draft stays theirs in the trash", async () => {
    const space = await t.newSpace(ownerId, { name: "Shared drafts" });
    await t.addMember(space.id, outsiderId, "editor");
    const draft = await owner.json<{ id: string }>("POST", "/api/articles", {
      spaceId: space.id,
      title: `Unfinished ${SECRET} idea`,
      body: "Half a thought.",
      status: "draft",
    });
    expect((await outsider.json("GET", `/api/articles/${draft.body.id}`)).status).toBe(404);
    expect((await owner.json("DELETE", `/api/articles/${draft.body.id}`)).status).toBe(200);
    expect((await outsider.json("GET", `/api/articles/${draft.body.id}`)).status).toBe(404);
    const trash = await outsider.request("GET", "/api/trash");
    expect(trash.statusCode).toBe(200);
    expect(trash.body).not.toContain(draft.body.id);
    expect((await outsider.json("POST", `/api/articles/${draft.body.id}/restore`)).status).toBe(404);
    // Its owner still finds it in the trash and can bring it back.
    expect((await owner.request("GET", "/api/trash")).body).toContain(draft.body.id);
  });

  it("a member cannot move themselves into another department (or change title or manager); an admin can", async () => {
    const me = await outsider.json<{ version: number; department: string }>("GET", `/api/people/${outsiderId}`);
    const attempt = await outsider.json<Err>("PATCH", `/api/people/${outsiderId}`, {
      version: me.body.version,
      department: "Finance",
    });
    expect(attempt.status).toBe(403);
    expect(
      (await outsider.json<Err>("PATCH", `/api/people/${outsiderId}`, { version: me.body.version, title: "Chief" }))
        .status,
    ).toBe(403);
    expect(
      (await outsider.json<Err>("PATCH", `/api/people/${outsiderId}`, { version: me.body.version, managerId: ownerId }))
        .status,
    ).toBe(403);
    // Saving the profile form with the same department, and changing one's own bio, still work.
    const ok = await outsider.json<{ version: number; department: string; bio: string }>(
      "PATCH",
      `/api/people/${outsiderId}`,
      { version: me.body.version, department: "Sales", bio: "Hi" },
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ department: "Sales", bio: "Hi" });
    const moved = await admin.json<{ department: string }>("PATCH", `/api/people/${outsiderId}`, {
      version: ok.body.version,
      department: "Finance",
    });
    expect(moved.status).toBe(200);
    expect(moved.body.department).toBe("Finance");
  });

  it("counts leave out private activity: deflections summary and the inbox's pending", async () => {
    const before = (await outsider.json<{ asked: number; deflected: number }>("GET", "/api/deflections/summary")).body;
    const priv = await t.newSpace(ownerId, { name: "Exec", visibility: "private" });
    const q = await owner.json<{ id: string }>("POST", "/api/questions", {
      title: "A question only the exec may see",
      body: "Hidden.",
      spaceId: priv.id,
      route: false,
    });
    expect(
      (
        await owner.json("POST", "/api/deflections", {
          query: "exec",
          targetType: "question",
          targetId: q.body.id,
          source: "sidekick",
        })
      ).status,
    ).toBe(201);
    expect((await outsider.json("GET", "/api/deflections/summary")).body).toEqual(before);

    // An expert asked while a member, who then leaves the space: the request no longer counts.
    const expert = await t.newUser({ name: "Eve Expert" });
    await t.addMember(priv.id, expert.id, "viewer");
    await t.ctx.db.insert(routingRequests).values({ questionId: q.body.id, expertId: expert.id });
    const eve = await t.login(expert.email);
    expect((await eve.json<{ pending: number }>("GET", "/api/inbox")).body.pending).toBe(1);
    await t.ctx.db
      .delete(spaceMembers)
      .where(and(eq(spaceMembers.spaceId, priv.id), eq(spaceMembers.userId, expert.id)));
    const inbox = await eve.request("GET", "/api/inbox");
    expect(inbox.json()).toMatchObject({ pending: 0, items: [] });
  });

  it("/api/docs is for signed-in people and carries a Content-Security-Policy", async () => {
    const anonymous = await t.app.inject({ method: "GET", url: "/api/docs" });
    expect(anonymous.statusCode).toBe(401);
    const page = await outsider.request("GET", "/api/docs");
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers["content-security-policy"] ?? "");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect((await outsider.request("GET", "/api/docs/json")).statusCode).toBe(200);
  });

  it("does not trust X-Forwarded-* by default: rotating addresses does not escape the sign-in limit, nor does a spoofed proto set Secure", async () => {
    const limited = await createTestApp(backend, { loginRatePerMinute: 5, loginFailuresPerAddressPerMinute: 8 });
    try {
      const victim = await limited.newUser();
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await limited.app.inject({
          method: "POST",
          url: "/api/auth/login",
          payload: { email: victim.email, password: "wrong password" },
          headers: { "x-forwarded-for": `203.0.113.${i}` },
        });
        statuses.push(res.statusCode);
      }
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);

      // Many accounts from one address: failures per address are limited too.
      const spray: number[] = [];
      for (let i = 0; i < 10; i++) {
        const someone = await limited.newUser();
        const res = await limited.app.inject({
          method: "POST",
          url: "/api/auth/login",
          payload: { email: someone.email, password: "Spring2026!" },
          remoteAddress: "192.0.2.50",
        });
        spray.push(res.statusCode);
      }
      expect(spray.filter((s) => s === 401)).toHaveLength(8);
      expect(spray.slice(8)).toEqual([429, 429]);

      // A person signing in correctly from another address is not affected.
      const fresh = await limited.newUser();
      const good = await limited.app.inject({
        method: "POST",
        url: "/api/auth/login",
        payload: { email: fresh.email, password: PASSWORD },
        remoteAddress: "198.51.100.7",
        headers: { "x-forwarded-proto": "https" },
      });
      expect(good.statusCode).toBe(200);
      expect(String(good.headers["set-cookie"])).not.toMatch(/;\s*Secure/i);
    } finally {
      await limited.close();
    }
  });

  it("behind a configured proxy, X-Forwarded-Proto https makes the cookie Secure", async () => {
    const proxied = await createTestApp(backend, { trustProxy: ["127.0.0.1"] });
    try {
      const u = await proxied.newUser();
      const res = await proxied.app.inject({
        method: "POST",
        url: "/api/auth/login",
        payload: { email: u.email, password: PASSWORD },
        headers: { "x-forwarded-proto": "https" },
      });
      expect(res.statusCode).toBe(200);
      expect(String(res.headers["set-cookie"])).toMatch(/;\s*Secure/i);
      const cookie = res.cookies.find((c) => c.name === "kh_session")!;
      const client = makeClient(
        proxied.app,
        `kh_session=${cookie.value}`,
        (res.json() as { csrfToken: string }).csrfToken,
      );
      expect((await client.json("GET", "/api/auth/me")).status).toBe(200);
    } finally {
      await proxied.close();
    }
  });
});
