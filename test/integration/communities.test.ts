import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";
import { users } from "../../db/schema";

afterAll(closeTemplates);

type Community = {
  id: string;
  name: string;
  slug: string;
  topics: string[];
  memberCount: number;
  myRole: string | null;
  followingQuestions: boolean;
  can: Record<string, boolean>;
};
type Page = Community & {
  pins: { id: string; type: string; itemId: string; title: string }[];
  openQuestions: { id: string; title: string; direct: boolean }[];
  feed: { type: string; id: string; title: string; author: { id: string } | null; direct: boolean }[];
  members: { id: string; role: string; evidence: { answers: number; accepted: number; articles: number } }[];
  requests: { id: string }[];
  health: {
    months: { month: string; activeMembers: number; questions: number; medianHoursToFirstAnswer: number | null }[];
    crossDepartment: { crossed: number; counted: number; share: number | null };
  };
};
type Question = {
  id: string;
  communityId: string | null;
  answers: { id: string }[];
  routing: { asked: { person: { id: string } }[] } | null;
};
type Err = { error: { code: string; fields?: { path: string; message: string }[] } };
type Inbox = { items: { question: { id: string }; reasons: { kind: string; title: string }[] }[] };

const HOUR = 3_600_000;

describe.each(testBackends())("communities of practice on %s", (backend) => {
  let t: TestApp;
  const who: Record<string, { id: string; client: Client }> = {};
  const advance = (ms: number) => (t.clock.now = new Date(t.clock.now.getTime() + ms));

  async function person(key: string, department: string, role: "member" | "guest" | "admin" = "member") {
    const u = await t.newUser({ name: key[0].toUpperCase() + key.slice(1), department, role });
    await t.ctx.db.update(users).set({ dailyCap: 100 }).where(eq(users.id, u.id));
    who[key] = { id: u.id, client: await t.login(u.email) };
  }

  beforeAll(async () => {
    t = await createTestApp(backend, { routing: { notify: 1, escalateMinutes: 60, maxRounds: 2 } });
    for (const [k, d] of [
      ["lead", "Engineering"],
      ["mia", "Engineering"],
      ["sam", "Sales"],
      ["olly", "Sales"],
      ["nora", "Finance"],
    ] as const)
      await person(k, d);
    await person("gus", "", "guest");
    await person("ada", "", "admin");
  });
  afterAll(async () => t.close());

  let open: Community;
  let secret: Community;

  it("creates communities with their creator as lead; bad input names the field", async () => {
    const bad = await who.lead.client.json<Err>("POST", "/api/communities", {
      name: "Kubernetes",
      topics: [],
      joining: "sometimes",
    });
    expect(bad.status).toBe(400);
    const fields = bad.body.error.fields!.map((f) => f.path);
    expect(fields).toContain("topics");
    expect(fields).toContain("joining");
    const c = await who.lead.client.json<Community>("POST", "/api/communities", {
      name: "Kubernetes",
      purpose: "Running **containers** well.",
      topics: ["Kubernetes", "helm"],
    });
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({
      slug: "kubernetes",
      topics: ["kubernetes", "helm"],
      myRole: "lead",
      memberCount: 1,
    });
    open = c.body;
    const s = await who.lead.client.json<Community>("POST", "/api/communities", {
      name: "Pricing council",
      topics: ["pricing"],
      joining: "request",
      visibility: "members",
    });
    secret = s.body;
    const again = await who.mia.client.json<Community>("POST", "/api/communities", {
      name: "Kubernetes",
      topics: ["k8s"],
    });
    expect(again.body.slug).toBe("kubernetes-2");
    const guest = await who.gus.client.json<Err>("POST", "/api/communities", { name: "Guests", topics: ["x"] });
    expect(guest.status).toBe(403);
  });

  it("joins an open community once, even twice at once; leaves it", async () => {
    const [a, b] = await Promise.all([
      who.mia.client.json<Community>("POST", `/api/communities/${open.id}/join`),
      who.mia.client.json<Community>("POST", `/api/communities/${open.id}/join`),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body.myRole).toBe("member");
    const page = await who.mia.client.json<Page>("GET", `/api/communities/${open.id}`);
    expect(page.body.members.filter((m) => m.id === who.mia.id)).toHaveLength(1);
    expect(page.body.memberCount).toBe(2);
    await who.olly.client.json("POST", `/api/communities/${open.id}/join`);
    expect((await who.olly.client.json("POST", `/api/communities/${open.id}/leave`)).status).toBe(200);
    const after = await who.olly.client.json<Community>("GET", `/api/communities/${open.id}`);
    expect(after.body.myRole).toBeNull();
    // The last lead does not leave while members remain.
    expect((await who.lead.client.json<Err>("POST", `/api/communities/${open.id}/leave`)).status).toBe(400);
  });

  it("hides a members-only community and everything in it from non-members", async () => {
    const list = await who.sam.client.json<{ items: Community[] }>("GET", "/api/communities");
    expect(list.body.items.map((c) => c.id)).not.toContain(secret.id);
    expect((await who.sam.client.json("GET", `/api/communities/${secret.id}`)).status).toBe(404);
    expect((await who.sam.client.json("POST", `/api/communities/${secret.id}/join`)).status).toBe(404);
    const q = await who.sam.client.json<Err>("POST", "/api/questions", {
      title: "Discount for a reseller?",
      body: "How much?",
      communityId: secret.id,
      route: false,
    });
    expect(q.status).toBe(404);
    // The lead adds Nora; she reads it and asks inside it.
    await who.lead.client.json("PUT", `/api/communities/${secret.id}/members/${who.nora.id}`, { role: "member" });
    const asked = await who.nora.client.json<Question>("POST", "/api/questions", {
      title: "Floor price for the zqxprice bundle",
      body: "What is the floor price for zqxprice?",
      tags: ["pricing"],
      communityId: secret.id,
      route: false,
    });
    expect(asked.status).toBe(201);
    expect(asked.body.communityId).toBe(secret.id);
    const post = await who.nora.client.json<{ id: string }>("POST", "/api/posts", {
      kind: "learned",
      body: "zqxprice margins are thin",
      tags: ["pricing"],
      communityId: secret.id,
    });
    expect(post.status).toBe(201);
    const answered = await who.lead.client.json("POST", `/api/questions/${asked.body.id}/answers`, {
      body: "The zqxprice floor is list minus 20 %.",
    });
    expect(answered.status).toBe(201);
    await t.ctx.search.catchUp();
    // Non-members see none of it: the question, lists, search, feeds, counts.
    expect((await who.sam.client.json("GET", `/api/questions/${asked.body.id}`)).status).toBe(404);
    expect((await who.sam.client.json("GET", `/api/posts/${post.body.id}`)).status).toBe(404);
    for (const url of ["/api/questions?q=zqxprice", "/api/search?q=zqxprice", "/api/feed", "/api/questions"]) {
      const r = await who.sam.client.json("GET", url);
      expect(JSON.stringify(r.body), url).not.toContain("zqxprice");
      const m = await who.nora.client.json("GET", url);
      if (url !== "/api/feed") expect(JSON.stringify(m.body), `${url} (member)`).toContain("zqxprice");
    }
    // Both kinds also say "not both".
    const both = await who.nora.client.json<Err>("POST", "/api/questions", {
      title: "Space and community?",
      body: "Both",
      spaceId: (await t.newSpace(who.nora.id)).id,
      communityId: secret.id,
      route: false,
    });
    expect(both.status).toBe(400);
    expect(both.body.error.fields![0].path).toBe("communityId");
    // Removed from it: she reads nothing of it any more (the access epoch moves).
    await who.lead.client.json("DELETE", `/api/communities/${secret.id}/members/${who.nora.id}`);
    expect((await who.nora.client.json("GET", `/api/questions/${asked.body.id}`)).status).toBe(404);
    const search = await who.nora.client.json("GET", "/api/search?q=zqxprice");
    expect(JSON.stringify(search.body)).not.toContain("zqxprice");
  });

  it("by request: a lead approves; only leads see requests and manage members", async () => {
    // A visible by-request community.
    const c = await who.lead.client.json<Community>("POST", "/api/communities", {
      name: "Sales engineering",
      topics: ["demos"],
      joining: "request",
    });
    const r = await who.sam.client.json<Community>("POST", `/api/communities/${c.body.id}/join`);
    expect(r.body.myRole).toBe("pending");
    expect(r.body.can.post).toBe(false);
    const forMember = await who.mia.client.json<Page>("GET", `/api/communities/${c.body.id}`);
    expect(forMember.body.requests).toEqual([]);
    expect(
      (await who.mia.client.json("PUT", `/api/communities/${c.body.id}/members/${who.sam.id}`, { role: "member" }))
        .status,
    ).toBe(403);
    const forLead = await who.lead.client.json<Page>("GET", `/api/communities/${c.body.id}`);
    expect(forLead.body.requests.map((x) => x.id)).toEqual([who.sam.id]);
    await who.lead.client.json("PUT", `/api/communities/${c.body.id}/members/${who.sam.id}`, { role: "member" });
    await who.lead.client.json("PUT", `/api/communities/${c.body.id}/members/${who.sam.id}`, { role: "lead" });
    const now = await who.sam.client.json<Page>("GET", `/api/communities/${c.body.id}`);
    expect(now.body.myRole).toBe("lead");
    expect(now.body.can.manageMembers).toBe(true);
    const guest = await who.lead.client.json<Err>("PUT", `/api/communities/${c.body.id}/members/${who.gus.id}`, {
      role: "lead",
    });
    expect(guest.status).toBe(400);
  });

  it("routes a question addressed to a community to its members first, with the reason", async () => {
    // Sam (not a member) has slightly more evidence on helm than Mia (a member).
    for (const [expert, n] of [
      ["sam", 3],
      ["mia", 2],
    ] as const)
      for (let i = 0; i < n; i++) {
        const q = await who.nora.client.json<Question>("POST", "/api/questions", {
          title: `Helm chart values override ${expert} ${i}`,
          body: "How do I override helm chart values per environment?",
          tags: ["helm"],
          route: false,
        });
        advance(HOUR);
        const a = await who[expert].client.json<Question>("POST", `/api/questions/${q.body.id}/answers`, {
          body: "Use a values file per environment with helm upgrade -f values-prod.yaml.",
        });
        await who.nora.client.json("POST", `/api/questions/${q.body.id}/accept`, { answerId: a.body.answers[0].id });
      }
    const plain = await who.olly.client.json<Question>("POST", "/api/questions", {
      title: "Helm chart values for staging",
      body: "How do I override helm values for staging?",
      tags: ["helm"],
    });
    expect(plain.body.routing!.asked.map((a) => a.person.id)).toEqual([who.sam.id]);
    const addressed = await who.olly.client.json<Question>("POST", "/api/questions", {
      title: "Helm chart values for production",
      body: "How do I override helm values for production?",
      tags: ["helm"],
      communityId: open.id,
    });
    expect(addressed.body.routing!.asked.map((a) => a.person.id)).toEqual([who.mia.id]);
    const inbox = await who.mia.client.json<Inbox>("GET", "/api/inbox");
    const item = inbox.body.items.find((i) => i.question.id === addressed.body.id)!;
    expect(item.reasons.map((r) => r.kind)).toContain("community");
  });

  it("shows the page: open questions oldest first, feed, members with evidence, pins, health", async () => {
    const first = await who.olly.client.json<Question>("POST", "/api/questions", {
      title: "Kubernetes pod evictions",
      body: "Why are pods evicted?",
      tags: ["kubernetes"],
      route: false,
    });
    advance(HOUR);
    await who.olly.client.json<Question>("POST", "/api/questions", {
      title: "Kubernetes ingress timeouts",
      body: "Why do ingresses time out?",
      tags: ["kubernetes"],
      route: false,
    });
    const notLead = await who.mia.client.json("POST", `/api/communities/${open.id}/pins`, {
      type: "question",
      id: first.body.id,
    });
    expect(notLead.status).toBe(403);
    expect(
      (await who.lead.client.json("POST", `/api/communities/${open.id}/pins`, { type: "question", id: first.body.id }))
        .status,
    ).toBe(200);
    await who.lead.client.json("POST", `/api/communities/${open.id}/pins`, { type: "question", id: first.body.id });
    const page = await who.olly.client.json<Page>("GET", `/api/communities/${open.id}`);
    expect(page.status).toBe(200);
    const openTitles = page.body.openQuestions.map((q) => q.title);
    expect(openTitles.indexOf("Kubernetes pod evictions")).toBeLessThan(
      openTitles.indexOf("Kubernetes ingress timeouts"),
    );
    expect(page.body.pins.map((p) => p.itemId)).toEqual([first.body.id]);
    expect(page.body.feed.length).toBeGreaterThan(0);
    const mia = page.body.members.find((m) => m.id === who.mia.id)!;
    expect(mia.evidence.accepted).toBe(2);
    expect(page.body.health.months).toHaveLength(6);
    expect(page.body.health.months.at(-1)!.questions).toBeGreaterThan(0);
    // Sam (Sales) answered Nora (Finance), Mia (Engineering) answered Nora: all crossed.
    expect(page.body.health.crossDepartment.share).toBe(1);
  });

  it("follows a community's questions in the inbox and suggests communities with reasons", async () => {
    expect((await who.olly.client.json("PUT", `/api/communities/${open.id}/follow`, { follow: true })).status).toBe(
      403,
    );
    const f = await who.mia.client.json<Community>("PUT", `/api/communities/${open.id}/follow`, { follow: true });
    expect(f.body.followingQuestions).toBe(true);
    const asked = await who.olly.client.json<Question>("POST", "/api/questions", {
      title: "Kubernetes namespaces per team?",
      body: "One namespace per team or per service?",
      tags: ["kubernetes"],
      communityId: open.id,
      route: false,
    });
    const inbox = await who.mia.client.json<{ communityQuestions: { question: { id: string } }[] }>(
      "GET",
      "/api/inbox",
    );
    expect(inbox.body.communityQuestions.map((c) => c.question.id)).toContain(asked.body.id);
    const other = await who.sam.client.json<{ communityQuestions: unknown[] }>("GET", "/api/inbox");
    expect(other.body.communityQuestions).toEqual([]);
    const s = await who.sam.client.json<{ items: { community: { id: string }; reasons: string[] }[] }>(
      "GET",
      "/api/communities/suggestions",
    );
    const k8s = s.body.items.find((i) => i.community.id === open.id)!;
    expect(k8s.reasons[0]).toContain("helm");
    expect(s.body.items.map((i) => i.community.id)).not.toContain(secret.id);
  });

  type Suggestions = { items: { community: Community & { etag: string }; reasons: string[] }[] };
  type Card = Community & { etag: string; visibility: string; joining: string; purpose: string };

  it("lets leads and admins change the settings, with a stale check and clear 400s", async () => {
    const before = await who.lead.client.json<Card>("GET", `/api/communities/${open.id}`);
    const changed = await who.lead.client.json<Card>("PATCH", `/api/communities/${open.id}`, {
      etag: before.body.etag,
      name: "Kubernetes & Helm",
      purpose: "Running **containers** and charts well.",
      topics: ["kubernetes", "Helm", "charts"],
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      name: "Kubernetes & Helm",
      slug: "kubernetes",
      topics: ["kubernetes", "helm", "charts"],
      purpose: "Running **containers** and charts well.",
    });
    expect(changed.body.etag).not.toBe(before.body.etag);
    // Someone who read it before the change sends the old etag: 409, nothing overwritten.
    const stale = await who.lead.client.json<Err>("PATCH", `/api/communities/${open.id}`, {
      etag: before.body.etag,
      name: "Containers",
    });
    expect(stale.status).toBe(409);
    expect((await who.olly.client.json<Card>("GET", `/api/communities/${open.id}`)).body.name).toBe(
      "Kubernetes & Helm",
    );
    // Members who do not lead it: 403; non-members of a members-only one: 404.
    expect(
      (await who.mia.client.json("PATCH", `/api/communities/${open.id}`, { etag: changed.body.etag, name: "Mine" }))
        .status,
    ).toBe(403);
    expect(
      (await who.sam.client.json("PATCH", `/api/communities/${secret.id}`, { etag: "x", name: "Ours now" })).status,
    ).toBe(404);
    const bad = await who.lead.client.json<Err>("PATCH", `/api/communities/${open.id}`, {
      etag: changed.body.etag,
      topics: [],
      joining: "sometimes",
      visibility: "secret",
      name: "K",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields!.map((f) => f.path).sort()).toEqual(["joining", "name", "topics", "visibility"]);
    const noEtag = await who.lead.client.json<Err>("PATCH", `/api/communities/${open.id}`, { name: "Kubernetes" });
    expect(noEtag.status).toBe(400);
    expect(noEtag.body.error.fields!.map((f) => f.path)).toEqual(["etag"]);
    // Another community's name, in any case, is refused on `name`.
    const dup = await who.lead.client.json<Err>("PATCH", `/api/communities/${open.id}`, {
      etag: changed.body.etag,
      name: "pricing COUNCIL",
    });
    expect(dup.status).toBe(400);
    expect(dup.body.error.fields![0].path).toBe("name");
    // Admins change any community's settings.
    const byAdmin = await who.ada.client.json<Card>("PATCH", `/api/communities/${open.id}`, {
      etag: changed.body.etag,
      joining: "request",
    });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.joining).toBe("request");
    const audit = await who.ada.client.json<{ items: { action: string }[] }>("GET", "/api/audit?limit=20");
    expect(audit.body.items.map((a) => a.action)).toContain("community.update");
    await who.lead.client.json("PATCH", `/api/communities/${open.id}`, { etag: byAdmin.body.etag, joining: "open" });
  });

  it("makes a community members-only (and back) at once everywhere", async () => {
    const c = await who.sam.client.json<Card>("POST", "/api/communities", {
      name: "Forecasting",
      topics: ["forecasts"],
    });
    const q = await who.sam.client.json<Question>("POST", "/api/questions", {
      title: "zqxforecast accuracy last quarter",
      body: "How accurate was the zqxforecast?",
      tags: ["forecasts"],
      communityId: c.body.id,
      route: false,
    });
    await who.lead.client.json("POST", `/api/questions/${q.body.id}/answers`, { body: "Within 4 % zqxforecast." });
    await t.ctx.search.catchUp();
    expect((await who.nora.client.json("GET", `/api/questions/${q.body.id}`)).status).toBe(200);
    expect(JSON.stringify((await who.nora.client.json("GET", "/api/search?q=zqxforecast")).body)).toContain(
      "zqxforecast",
    );
    const closed = await who.sam.client.json<Card>("PATCH", `/api/communities/${c.body.id}`, {
      etag: c.body.etag,
      visibility: "members",
    });
    expect(closed.body.visibility).toBe("members");
    expect((await who.nora.client.json("GET", `/api/questions/${q.body.id}`)).status).toBe(404);
    expect((await who.nora.client.json("GET", `/api/communities/${c.body.id}`)).status).toBe(404);
    for (const url of ["/api/search?q=zqxforecast", "/api/questions?q=zqxforecast", "/api/communities"])
      expect(JSON.stringify((await who.nora.client.json("GET", url)).body), url).not.toMatch(/zqxforecast|Forecasting/);
    expect(JSON.stringify((await who.sam.client.json("GET", "/api/search?q=zqxforecast")).body)).toContain(
      "zqxforecast",
    );
    await who.sam.client.json("PATCH", `/api/communities/${c.body.id}`, {
      etag: closed.body.etag,
      visibility: "everyone",
    });
    expect((await who.nora.client.json("GET", `/api/questions/${q.body.id}`)).status).toBe(200);
  });

  it("suggests communities to ask about a problem, with reasons, never a members-only one to others", async () => {
    const forSam = await who.sam.client.json<Suggestions>(
      "GET",
      `/api/communities/for-problem?q=${encodeURIComponent("How do I roll back a helm release?")}`,
    );
    expect(forSam.status).toBe(200);
    const k8s = forSam.body.items.find((i) => i.community.id === open.id)!;
    expect(k8s.reasons).toContain("topics: helm");
    expect(k8s.reasons).toContain("1 member answered questions on helm");
    // Sales engineering's topics say nothing of helm, but Sam (a lead there) answered helm questions.
    const salesEng = forSam.body.items.find((i) => i.community.name === "Sales engineering")!;
    expect(salesEng.reasons).toEqual(["1 member answered questions on helm"]);
    // Pricing: the members-only council only for its members; its answers count for nobody else.
    const pricing = "What is the floor price of a bundle? pricing";
    const forOlly = await who.olly.client.json<Suggestions>(
      "GET",
      `/api/communities/for-problem?q=${encodeURIComponent(pricing)}&tags=pricing`,
    );
    expect(forOlly.body.items.map((i) => i.community.id)).not.toContain(secret.id);
    expect(JSON.stringify(forOlly.body)).not.toContain("pricing:");
    expect(JSON.stringify(forOlly.body)).not.toContain("answered questions on pricing");
    const forLead = await who.lead.client.json<Suggestions>(
      "GET",
      `/api/communities/for-problem?q=${encodeURIComponent(pricing)}&tags=pricing`,
    );
    const council = forLead.body.items.find((i) => i.community.id === secret.id)!;
    expect(council.reasons).toEqual(["topics: pricing", "1 member answered questions on pricing"]);
    const short = await who.sam.client.json<Err>("GET", "/api/communities/for-problem?q=hi");
    expect(short.status).toBe(400);
    expect(short.body.error.fields![0].path).toBe("q");
    // The sidekick lists them, through the same matching.
    const kick = await who.sam.client.json<{ communities: { community: { id: string }; reasons: string[] }[] }>(
      "POST",
      "/api/sidekick",
      { text: "How do I roll back a helm release?" },
    );
    expect(kick.status).toBe(200);
    expect(kick.body.communities.find((c) => c.community.id === open.id)?.reasons).toContain("topics: helm");
    const kickPricing = await who.olly.client.json<{ communities: { community: { id: string } }[] }>(
      "POST",
      "/api/sidekick",
      { text: pricing },
    );
    expect(kickPricing.body.communities.map((c) => c.community.id)).not.toContain(secret.id);
  });

  it("lists a person's communities as far as the viewer may see them", async () => {
    type Of = { items: { community: { id: string }; role: string }[] };
    const bySam = await who.sam.client.json<Of>("GET", `/api/people/${who.lead.id}/communities`);
    expect(bySam.status).toBe(200);
    expect(bySam.body.items.map((i) => i.community.id)).toContain(open.id);
    expect(bySam.body.items.map((i) => i.community.id)).not.toContain(secret.id);
    const own = await who.lead.client.json<Of>("GET", `/api/people/${who.lead.id}/communities`);
    expect(own.body.items.find((i) => i.community.id === secret.id)?.role).toBe("lead");
    const pendingOnly = await who.lead.client.json<Of>("GET", `/api/people/${who.sam.id}/communities`);
    expect(pendingOnly.body.items.every((i) => i.role === "lead" || i.role === "member")).toBe(true);
  });

  it("finds communities that should exist for knowledge managers, creates one and invites its people", async () => {
    type Candidates = {
      items: { topic: string; exchanges: number; departments: string[]; seeds: { id: string; answers: number }[] }[];
    };
    await t.ctx.db.update(users).set({ knowledgeManager: true }).where(eq(users.id, who.nora.id));
    who.nora.client = await t.login((await t.ctx.db.select().from(users).where(eq(users.id, who.nora.id)))[0].email);
    const exchange = async (asker: string, answerer: string, tag: string, communityId: string | null = null) => {
      const q = await who[asker].client.json<Question>("POST", "/api/questions", {
        title: `A ${tag} question from ${asker} to ${answerer}`,
        body: `Who knows about ${tag}?`,
        tags: [tag],
        communityId,
        route: false,
      });
      expect(q.status).toBe(201);
      const a = await who[answerer].client.json("POST", `/api/questions/${q.body.id}/answers`, { body: "Like this." });
      expect(a.status).toBe(201);
    };
    // Customs: Finance answers Sales twice, Sales answers Engineering: three departments.
    await exchange("olly", "nora", "customs");
    await exchange("sam", "nora", "customs");
    await exchange("mia", "olly", "customs");
    // Rebates: the same inside the members-only council, which Nora (knowledge manager) cannot read.
    await who.lead.client.json("PUT", `/api/communities/${secret.id}/members/${who.sam.id}`, { role: "member" });
    await who.lead.client.json("PUT", `/api/communities/${secret.id}/members/${who.mia.id}`, { role: "member" });
    await exchange("mia", "sam", "rebates", secret.id);
    await exchange("sam", "lead", "rebates", secret.id);
    await exchange("sam", "mia", "rebates", secret.id);
    expect((await who.mia.client.json("GET", "/api/communities/candidates")).status).toBe(403);
    expect((await who.gus.client.json("GET", "/api/communities/candidates")).status).toBe(403);
    expect((await who.mia.client.json("POST", "/api/communities/candidates", { topic: "customs" })).status).toBe(403);
    const forNora = await who.nora.client.json<Candidates>("GET", "/api/communities/candidates");
    expect(forNora.status).toBe(200);
    const customs = forNora.body.items.find((c) => c.topic === "customs")!;
    expect(customs.exchanges).toBe(3);
    expect([...customs.departments].sort()).toEqual(["Engineering", "Finance", "Sales"]);
    expect(customs.seeds.map((s) => s.id)).toEqual([who.nora.id, who.olly.id]);
    // Topics a community has (helm, kubernetes) and what Nora may not read (rebates) are not candidates.
    expect(forNora.body.items.map((c) => c.topic)).not.toContain("helm");
    expect(JSON.stringify(forNora.body)).not.toContain("rebates");
    const forAdmin = await who.ada.client.json<Candidates>("GET", "/api/communities/candidates");
    expect(forAdmin.body.items.map((c) => c.topic)).toContain("rebates");

    const notCandidate = await who.nora.client.json<Err>("POST", "/api/communities/candidates", { topic: "rebates" });
    expect(notCandidate.status).toBe(400);
    expect(notCandidate.body.error.fields![0].path).toBe("topic");
    const empty = await who.nora.client.json<Err>("POST", "/api/communities/candidates", { topic: " " });
    expect(empty.body.error.fields![0].path).toBe("topic");
    const made = await who.nora.client.json<Card>("POST", "/api/communities/candidates", { topic: "Customs" });
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({ name: "Customs", topics: ["customs"], myRole: "lead", memberCount: 1 });
    const page = await who.nora.client.json<Page & { invited: { id: string }[] }>(
      "GET",
      `/api/communities/${made.body.id}`,
    );
    expect(page.body.invited.map((p) => p.id)).toEqual([who.olly.id]);
    expect(page.body.members.map((m) => m.id)).toEqual([who.nora.id]);
    expect(
      (await who.nora.client.json<Candidates>("GET", "/api/communities/candidates")).body.items.map((c) => c.topic),
    ).not.toContain("customs");
    // Olly sees the invitation, declines, and it is gone.
    type Invitations = { items: { community: Card }[] };
    const inv = await who.olly.client.json<Invitations>("GET", "/api/communities/invitations");
    expect(inv.body.items.map((i) => i.community.id)).toEqual([made.body.id]);
    expect(inv.body.items[0].community.can).toMatchObject({ accept: true, decline: true, join: false, leave: false });
    expect((await who.olly.client.json("POST", `/api/communities/${made.body.id}/decline`)).status).toBe(200);
    expect((await who.olly.client.json<Invitations>("GET", "/api/communities/invitations")).body.items).toEqual([]);
    expect((await who.olly.client.json("POST", `/api/communities/${made.body.id}/accept`)).status).toBe(403);
    const mine = await who.olly.client.json<Invitations>("GET", "/api/communities/invitations");
    expect(mine.body.items).toEqual([]);
  });

  it("an invitation to a members-only community reads nothing in it until accepted", async () => {
    // The admin (who reads the council) creates Rebates; Sam, Mia and the lead are invited.
    const made = await who.ada.client.json<Card>("POST", "/api/communities/candidates", {
      topic: "rebates",
      name: "Rebates circle",
    });
    expect(made.status).toBe(200);
    const closed = await who.ada.client.json<Card>("PATCH", `/api/communities/${made.body.id}`, {
      etag: made.body.etag,
      visibility: "members",
    });
    expect(closed.status).toBe(200);
    const q = await who.ada.client.json<Question>("POST", "/api/questions", {
      title: "zqxrebate thresholds for next year",
      body: "Which zqxrebate thresholds?",
      tags: ["rebates"],
      communityId: made.body.id,
      route: false,
    });
    const invited = await who.sam.client.json<{ items: { community: Card }[] }>("GET", "/api/communities/invitations");
    const card = invited.body.items.find((i) => i.community.id === made.body.id)!;
    expect(card.community).toMatchObject({ name: "Rebates circle", myRole: "invited", memberCount: 1 });
    expect(card.community.can).toMatchObject({ read: false, post: false, accept: true });
    expect((await who.sam.client.json("GET", `/api/communities/${made.body.id}`)).status).toBe(404);
    expect((await who.sam.client.json("GET", `/api/questions/${q.body.id}`)).status).toBe(404);
    expect((await who.sam.client.json("PUT", `/api/communities/${made.body.id}/follow`, { follow: true })).status).toBe(
      404,
    );
    const list = await who.sam.client.json<{ items: Community[] }>("GET", "/api/communities");
    expect(list.body.items.map((c) => c.id)).not.toContain(made.body.id);
    const ofAdmin = await who.sam.client.json<{ items: { community: { id: string } }[] }>(
      "GET",
      `/api/people/${who.ada.id}/communities`,
    );
    expect(ofAdmin.body.items.map((i) => i.community.id)).not.toContain(made.body.id);
    // Nobody else sees the invitation.
    expect(JSON.stringify((await who.olly.client.json("GET", "/api/communities/invitations")).body)).not.toContain(
      made.body.id,
    );
    const accepted = await who.sam.client.json<Card>("POST", `/api/communities/${made.body.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ myRole: "member", memberCount: 2 });
    expect((await who.sam.client.json("GET", `/api/questions/${q.body.id}`)).status).toBe(200);
  });
});
