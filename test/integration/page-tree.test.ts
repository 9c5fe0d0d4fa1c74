import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

type Tree = {
  spaceId: string;
  canEdit: boolean;
  items: { id: string; title: string; parentId: string | null; depth: number; status: string }[];
};
type ErrorBody = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

describe.each(testBackends())("the page tree on %s", (backend) => {
  let t: TestApp;
  let ana: Client;
  let ben: Client;
  let vic: Client;
  let admin: Client;
  let spaceId: string;
  let otherSpace: string;
  let privateSpace: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const a = await t.newUser({ name: "Ana" });
    const b = await t.newUser({ name: "Ben" });
    const v = await t.newUser({ name: "Vic", role: "guest" });
    const ad = await t.newUser({ name: "Ada", role: "admin" });
    spaceId = (await t.newSpace(a.id, { name: "Operations" })).id;
    otherSpace = (await t.newSpace(b.id, { name: "Handbook" })).id;
    privateSpace = (await t.newSpace(a.id, { name: "Board", visibility: "private" })).id;
    ana = await t.login(a.email);
    ben = await t.login(b.email);
    vic = await t.login(v.email);
    admin = await t.login(ad.email);
  });
  afterAll(async () => t.close());

  async function page(c: Client, title: string, parentId: string | null = null, extra: object = {}, space = spaceId) {
    const res = await c.json<{ id: string } & ErrorBody>("POST", "/api/articles", {
      spaceId: space,
      title,
      body: `About ${title}`,
      parentId,
      ...extra,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }
  const tree = async (c: Client, space = spaceId) => {
    const res = await c.json<Tree>("GET", `/api/spaces/${space}/tree`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const shape = (tr: Tree) => tr.items.map((i) => `${"  ".repeat(i.depth)}${i.title}`);
  const move = (c: Client, id: string, body: object) =>
    c.json<ErrorBody & { tree: Tree }>("POST", `/api/articles/${id}/move`, body);

  it("creates child pages in order and shows the tree depth first", async () => {
    const root = await page(ana, "Warehouse");
    const a = await page(ana, "Receiving", root);
    await page(ana, "Pallets", a);
    await page(ana, "Shipping", root);
    const tr = await tree(ana);
    expect(shape(tr)).toEqual(["Warehouse", "  Receiving", "    Pallets", "  Shipping"]);
    expect(tr.canEdit).toBe(true);
    expect(tr.items[1]).toMatchObject({ parentId: root, depth: 1 });
    expect((await tree(vic)).canEdit).toBe(false);
  });

  it("refuses a parent that is not a readable page of the space, naming the field, and writes nothing", async () => {
    const before = (await tree(ana)).items.length;
    const elsewhere = await page(ben, "Travel", null, {}, otherSpace);
    const draft = await page(ben, "Ben's secret draft", null, { status: "draft" });
    for (const parentId of [elsewhere, draft, "00000000-0000-4000-8000-000000000001"]) {
      const res = await ana.json<ErrorBody>("POST", "/api/articles", { spaceId, title: "Child", parentId });
      expect(res.status).toBe(400);
      expect(res.body.error.fields?.[0].path).toBe("parentId");
    }
    const bad = await ana.json<ErrorBody>("POST", "/api/articles", { spaceId, title: "Child", parentId: "nope" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.[0].path).toBe("parentId");
    expect((await tree(ana)).items.length).toBe(before);
  });

  it("hides a draft of someone else without a trace and lifts its children into its place", async () => {
    const root = await page(ana, "Safety");
    await page(ana, "Helmets", root);
    const hidden = await page(ben, "Ben draft plan", root, { status: "draft" });
    await page(ben, "Fire drill", hidden);
    await page(ana, "Ladders", root);
    const mine = shape(await tree(ana)).slice(-4);
    expect(mine).toEqual(["Safety", "  Helmets", "  Fire drill", "  Ladders"]);
    const asAna = await ana.json("GET", `/api/spaces/${spaceId}/tree`);
    expect(JSON.stringify(asAna.body)).not.toContain("Ben draft plan");
    expect(JSON.stringify(asAna.body)).not.toContain(hidden);
    // Its owner and admins see it where it is.
    expect(shape(await tree(ben)).slice(-5)).toEqual([
      "Safety",
      "  Helmets",
      "  Ben draft plan",
      "    Fire drill",
      "  Ladders",
    ]);
    expect(shape(await tree(admin))).toContain("  Ben draft plan");
    // The trashed page disappears for everyone; its children stay in the tree.
    const trashRoot = await page(ana, "Old binder");
    await page(ana, "Still useful", trashRoot);
    expect((await ana.json("DELETE", `/api/articles/${trashRoot}`)).status).toBe(200);
    const after = shape(await tree(ana));
    expect(after).not.toContain("Old binder");
    expect(after).toContain("Still useful");
  });

  it("answers 404 for the tree of a space the reader may not see, exactly like a missing space", async () => {
    await page(ana, "Board minutes", null, {}, privateSpace);
    const hidden = await ben.json<ErrorBody>("GET", `/api/spaces/${privateSpace}/tree`);
    const missing = await ben.json<ErrorBody>("GET", `/api/spaces/00000000-0000-4000-8000-000000000002/tree`);
    expect(hidden).toEqual(missing);
    expect(hidden.status).toBe(404);
  });

  it("gives breadcrumbs of the ancestors the reader may read, top first", async () => {
    const top = await page(ana, "Fleet");
    const hidden = await page(ana, "Fleet budget draft", top, { status: "draft" });
    const leaf = await page(ana, "Tyre pressure", hidden);
    type View = { breadcrumbs: { id: string; title: string }[] };
    const own = await ana.json<View>("GET", `/api/articles/${leaf}`);
    expect(own.body.breadcrumbs.map((b) => b.title)).toEqual(["Fleet", "Fleet budget draft"]);
    const other = await ben.json<View>("GET", `/api/articles/${leaf}`);
    expect(other.body.breadcrumbs).toEqual([{ id: top, title: "Fleet" }]);
    expect(JSON.stringify(other.body)).not.toContain("Fleet budget draft");
    expect(JSON.stringify(other.body)).not.toContain(hidden);
    const topView = await ben.json<View>("GET", `/api/articles/${top}`);
    expect(topView.body.breadcrumbs).toEqual([]);
  });

  it("reorders among siblings and moves under another parent", async () => {
    const root = await page(ana, "Docks");
    const a = await page(ana, "Dock A", root);
    const b = await page(ana, "Dock B", root);
    const c = await page(ana, "Dock C", root);
    const from = { spaceId, parentId: root };
    // C first, then B after A's child position: order C, A, B → move A after B: C, B, A
    expect((await move(ana, c, { parentId: root, afterId: null, from })).status).toBe(200);
    const res = await move(ana, a, { parentId: root, afterId: b, from });
    expect(res.status).toBe(200);
    const docks = (t: Tree) => shape(t).filter((l) => l.includes("Dock"));
    expect(docks(res.body.tree)).toEqual(["Docks", "  Dock C", "  Dock B", "  Dock A"]);
    // B under C (indent), then back out after C (outdent).
    const under = await move(ana, b, { parentId: c, afterId: null, from });
    expect(docks(under.body.tree)).toEqual(["Docks", "  Dock C", "    Dock B", "  Dock A"]);
    const out = await move(ana, b, { parentId: root, afterId: c, from: { spaceId, parentId: c } });
    expect(docks(out.body.tree)).toEqual(["Docks", "  Dock C", "  Dock B", "  Dock A"]);
    // To the top level, after the Docks page.
    const top = await move(ana, a, { parentId: null, afterId: root, from });
    expect(top.status).toBe(200);
    const after = shape(top.body.tree);
    expect(after[after.indexOf("Docks") + 3]).toBe("Dock A");
  });

  it("places a page after a child lifted out of a hidden page", async () => {
    const root = await page(ana, "Cranes");
    const hidden = await page(ben, "Crane draft", root, { status: "draft" });
    const lifted = await page(ben, "Crane inspection", hidden);
    const last = await page(ana, "Crane hire", root);
    const moved = await move(ana, last, { parentId: root, afterId: null, from: { spaceId, parentId: root } });
    expect(moved.status).toBe(200);
    const res = await move(ana, last, { parentId: root, afterId: lifted, from: { spaceId, parentId: root } });
    expect(res.status).toBe(200);
    const lines = shape(res.body.tree);
    expect(lines.slice(lines.indexOf("Cranes"), lines.indexOf("Cranes") + 3)).toEqual([
      "Cranes",
      "  Crane inspection",
      "  Crane hire",
    ]);
  });

  it("refuses to move a page under itself or its own sub-pages (also through a hidden page) and changes nothing", async () => {
    const root = await page(ana, "Power");
    const child = await page(ana, "Generators", root);
    const hidden = await page(ben, "Power draft", child, { status: "draft" });
    const deep = await page(ben, "Fuel", hidden);
    const before = await tree(ana);
    for (const parentId of [root, child, deep]) {
      const res = await move(ana, root, { parentId, afterId: null, from: { spaceId, parentId: null } });
      expect(res.status, parentId).toBe(400);
      expect(res.body.error.fields?.[0].path).toBe("parentId");
      expect(res.body.error.message).toMatch(/itself|own sub-pages/);
    }
    expect(await tree(ana)).toEqual(before);
  });

  it("answers 409 to a move planned on a tree somebody else changed, and keeps their move", async () => {
    const root = await page(ana, "Cleaning");
    const x = await page(ana, "Floors", root);
    const y = await page(ana, "Windows", root);
    const z = await page(ana, "Bins", root);
    // Ben moves Bins under Windows; Ana, still seeing it under Cleaning, moves it first.
    expect((await move(ben, z, { parentId: y, afterId: null, from: { spaceId, parentId: root } })).status).toBe(200);
    const stale = await move(ana, z, { parentId: root, afterId: null, from: { spaceId, parentId: root } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/moved this page/);
    // A neighbour that is no longer there: 409 too.
    const gone = await move(ana, x, { parentId: root, afterId: z, from: { spaceId, parentId: root } });
    expect(gone.status).toBe(409);
    const lines = shape(await tree(ana));
    expect(lines.slice(lines.indexOf("Cleaning"), lines.indexOf("Cleaning") + 4)).toEqual([
      "Cleaning",
      "  Floors",
      "  Windows",
      "    Bins",
    ]);
  });

  it("moves a page with its sub-pages to another space the mover may write to; others' drafts stay", async () => {
    const root = await page(ana, "Onboarding");
    const child = await page(ana, "First day", root);
    const draft = await page(ben, "Ben onboarding draft", child, { status: "draft" });
    await page(ben, "Badge", draft);
    // Vic (a guest) may not write; Ana may not write into a private space she is not in.
    const guest = await move(vic, root, { spaceId: otherSpace, parentId: null, from: { spaceId, parentId: null } });
    expect(guest.status).toBe(403);
    const bensPrivate = (await t.newSpace((await t.newUser()).id, { visibility: "private" })).id;
    const hiddenSpace = await move(ana, root, {
      spaceId: bensPrivate,
      parentId: null,
      from: { spaceId, parentId: null },
    });
    const missingSpace = await move(ana, root, {
      spaceId: "00000000-0000-4000-8000-000000000003",
      parentId: null,
      from: { spaceId, parentId: null },
    });
    expect(hiddenSpace).toEqual(missingSpace);
    expect(hiddenSpace.status).toBe(404);
    const res = await move(ana, root, { spaceId: otherSpace, parentId: null, from: { spaceId, parentId: null } });
    expect(res.status).toBe(200);
    const there = shape(res.body.tree);
    expect(there).toEqual(expect.arrayContaining(["Onboarding", "  First day", "    Badge"]));
    const here = shape(await tree(ana));
    expect(here).not.toContain("Onboarding");
    // Ben's draft stayed in the old space, at the top level where the moved page was.
    const bens = await tree(ben);
    expect(bens.items.find((i) => i.id === draft)).toMatchObject({ parentId: null, depth: 0 });
    const article = await ana.json<{ spaceId: string; breadcrumbs: { title: string }[] }>(
      "GET",
      `/api/articles/${child}`,
    );
    expect(article.body.spaceId).toBe(otherSpace);
    expect(article.body.breadcrumbs.map((b) => b.title)).toEqual(["Onboarding"]);
    const found = await ben.json<{ items: { id: string }[] }>("GET", `/api/articles?spaceId=${otherSpace}&limit=200`);
    expect(found.body.items.map((i) => i.id)).toContain(child);
  });

  it("does not let a reader who may not see a page move it, nor put a page under a hidden one", async () => {
    const mine = await page(ana, "Keys");
    const bensDraft = await page(ben, "Ben keys draft", null, { status: "draft" });
    const hidden = await move(ana, bensDraft, { parentId: mine, afterId: null, from: { spaceId, parentId: null } });
    const missing = await move(ana, "00000000-0000-4000-8000-000000000004", {
      parentId: mine,
      afterId: null,
      from: { spaceId, parentId: null },
    });
    expect(hidden).toEqual(missing);
    expect(hidden.status).toBe(404);
    const under = await move(ana, mine, { parentId: bensDraft, afterId: null, from: { spaceId, parentId: null } });
    const underMissing = await move(ana, mine, {
      parentId: "00000000-0000-4000-8000-000000000005",
      afterId: null,
      from: { spaceId, parentId: null },
    });
    expect(under).toEqual(underMissing);
    expect(under.status).toBe(400);
    const after = await move(ana, mine, { parentId: null, afterId: bensDraft, from: { spaceId, parentId: null } });
    const afterMissing = await move(ana, mine, {
      parentId: null,
      afterId: "00000000-0000-4000-8000-000000000006",
      from: { spaceId, parentId: null },
    });
    expect(after).toEqual(afterMissing);
    expect(after.status).toBe(409);
  });
});
