import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import WebSocket from "ws";
import * as Y from "yjs";
import { buildApp, type App } from "../../src/app";
import { FIELD, yDocToMarkdown } from "../../src/modules/collab/markdown-doc";
import { rows } from "../../src/platform/db";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

type Article = { id: string; version: number; body: string; title: string; tags: string[] };

/** A co-editor: a Yjs document kept in sync with the server through the Hocuspocus provider. */
async function coEditor(url: string, articleId: string, cookie: string) {
  class CookieSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie } });
      // A reconnect attempt after the test closed a server is not a failure of the test.
      this.on("error", () => undefined);
    }
  }
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: CookieSocket, maxAttempts: 1 });
  let failed: string | null = null;
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: `article:${articleId}`,
    token: "cookie",
    onAuthenticationFailed: ({ reason }) => {
      failed = reason;
    },
  });
  const synced = new Promise<void>((resolve) => provider.on("synced", () => resolve()));
  provider.attach();
  await Promise.race([synced, until(() => failed !== null)]);
  const paragraph = () => {
    const fragment = provider.document.getXmlFragment(FIELD);
    return fragment.toArray().find((n) => n instanceof Y.XmlElement && n.nodeName === "paragraph") as Y.XmlElement;
  };
  return {
    provider,
    get failed() {
      return failed;
    },
    text: () => yDocToMarkdown(provider.document),
    /** Types into the first paragraph at `at` ("end" for its end). */
    type: (text: string, at: number | "end") => {
      const t = paragraph().get(0) as Y.XmlText;
      t.insert(at === "end" ? t.length : at, text);
    },
    acknowledged: () => until(() => !provider.hasUnsyncedChanges),
    close: () => {
      provider.destroy();
      socket.destroy();
    },
  };
}

async function until(ok: () => boolean, ms = 20_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(testBackends())("co-editing articles on %s", (backend) => {
  let t: TestApp;
  let url: string;
  const who: Record<string, { id: string; client: Client }> = {};
  let spaceId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const address = t.app.server.address() as { port: number };
    url = `ws://127.0.0.1:${address.port}/api/collab`;
    for (const name of ["ana", "ben", "cy", "vic", "olga"]) {
      const u = await t.newUser({ name });
      who[name] = { id: u.id, client: await t.login(u.email) };
    }
    const space = await t.newSpace(who.ana.id, { name: "Dock", visibility: "private" });
    spaceId = space.id;
    for (const name of ["ben", "cy"]) await t.addMember(spaceId, who[name].id, "editor");
    await t.addMember(spaceId, who.vic.id, "viewer");
  });
  afterAll(async () => t.close());

  const create = async (body: string) =>
    (
      await who.ana.client.json<Article>("POST", "/api/articles", {
        spaceId,
        title: `Dock doors ${Math.random().toString(36).slice(2, 7)}`,
        body,
        tags: ["dock"],
      })
    ).body;

  it("lets two people type into the same paragraph at once: both texts stay, a third sees the same", async () => {
    const a = await create("Close the doors.\n");
    const ana = await coEditor(url, a.id, who.ana.client.cookie);
    const ben = await coEditor(url, a.id, who.ben.client.cookie);
    expect(ana.text()).toBe("Close the doors.");
    ana.type("First, ", 0);
    ben.type(" Then lock them.", "end");
    await until(() => ana.text() === ben.text() && ana.text().includes("lock them") && ana.text().includes("First"));
    expect(ana.text()).toBe("First, Close the doors. Then lock them.");
    const cy = await coEditor(url, a.id, who.cy.client.cookie);
    expect(cy.text()).toBe(ana.text());
    // Idle: the text becomes a revision, with everyone who wrote it.
    await Promise.all([ana.acknowledged(), ben.acknowledged()]);
    await t.app.collab.flush();
    const saved = (await who.ana.client.json<Article>("GET", `/api/articles/${a.id}`)).body;
    expect(saved.body).toBe("First, Close the doors. Then lock them.");
    expect(saved.version).toBe(2);
    const [rev] = await rows<{ contributors: string[]; note: string }>(
      t.ctx.db,
      sql`select contributors, note from article_revisions where article_id = ${a.id} and version = 2`,
    );
    expect([...rev.contributors].sort()).toEqual([who.ana.id, who.ben.id].sort());
    expect(rev.note).toBe("Edited together: ana, ben");
    for (const e of [ana, ben, cy]) e.close();
  });

  it("keeps the version-and-409 rule for whole-article writers, and merges their save into the live text", async () => {
    const a = await create("Step one.\n\nStep two.\n");
    const ana = await coEditor(url, a.id, who.ana.client.cookie);
    ana.type(" Wear gloves.", "end");
    await ana.acknowledged();
    // A script saves the whole article meanwhile (version 1: accepted), another with a stale version: 409.
    const put = await who.ben.client.json<Article>("PUT", `/api/articles/${a.id}`, {
      version: 1,
      title: a.title,
      body: "Step one.\n\nStep two.\n\nStep three.\n",
      tags: a.tags,
    });
    expect(put.status).toBe(200);
    const stale = await who.ben.client.json("PUT", `/api/articles/${a.id}`, {
      version: 1,
      title: a.title,
      body: "Other.\n",
      tags: a.tags,
    });
    expect(stale.status).toBe(409);
    await t.app.collab.flush();
    const saved = (await who.ana.client.json<Article>("GET", `/api/articles/${a.id}`)).body;
    expect(saved.body.trimEnd()).toBe("Step one. Wear gloves.\n\nStep two.\n\nStep three.");
    await until(() => ana.text() === saved.body.trimEnd());
    ana.close();
  });

  it("loses nothing acknowledged: another instance (or a restarted one) opens the same text at once", async () => {
    const a = await create("Check the seals.\n");
    const ana = await coEditor(url, a.id, who.ana.client.cookie);
    ana.type(" Twice.", "end");
    await ana.acknowledged();
    // A second instance on the same database, before the first stored anything.
    const second: App = await buildApp(t.ctx);
    await second.listen({ port: 0, host: "127.0.0.1" });
    const url2 = `ws://127.0.0.1:${(second.server.address() as { port: number }).port}/api/collab`;
    const ben = await coEditor(url2, a.id, who.ben.client.cookie);
    expect(ben.text()).toBe("Check the seals. Twice.");
    if (backend === "postgres") {
      // Across instances, live: a change on one reaches a client of the other.
      ben.type("Now: ", 0);
      await until(() => ana.text() === "Now: Check the seals. Twice.");
      // And who is where: each sees the other's name and cursor, though they are on different instances.
      ana.provider.setAwarenessField("user", { name: "ana", color: "#2458d6" });
      ben.provider.setAwarenessField("user", { name: "ben", color: "#127a4a" });
      const names = (c: typeof ana) =>
        [...c.provider.awareness!.getStates().values()].map((st) => (st.user as { name?: string } | undefined)?.name);
      await until(() => names(ben).includes("ana") && names(ana).includes("ben"));
      // Someone who leaves one instance disappears from the other's list.
      ana.close();
      await until(() => !names(ben).includes("ana"));
    }
    if (backend !== "postgres") ana.close();
    ben.close();
    await second.close();
  });

  it("refuses people who may not edit, and other sites' pages", async () => {
    const a = await create("Private steps.\n");
    const viewer = await coEditor(url, a.id, who.vic.client.cookie);
    expect(viewer.failed).not.toBeNull();
    const outsider = await coEditor(url, a.id, who.olga.client.cookie);
    expect(outsider.failed).not.toBeNull();
    const nobody = await coEditor(url, a.id, "");
    expect(nobody.failed).not.toBeNull();
    for (const e of [viewer, outsider, nobody]) e.close();
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(url, { headers: { cookie: who.ana.client.cookie, origin: "https://evil.example" } });
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("open", () => resolve(101));
    });
    expect(refused).toBe(403);
  });
});
