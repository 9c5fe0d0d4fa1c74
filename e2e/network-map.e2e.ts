import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "../src/platform/db";
import { importNetwork } from "../src/modules/network/network.service";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

describe.skipIf(!browserAvailable())("network map in Chromium", () => {
  const app = useAppInBrowser({ viewport: { width: 1400, height: 950 }, greeting: /Good (morning|afternoon|evening)/ });

  it("shows the people map to an admin; focusing a person highlights their ties", async () => {
    const page = await app.signIn(app.server.adminEmail);
    await page.getByRole("link", { name: "Network map" }).click();
    await page.getByTestId("draw-time").waitFor();
    expect(await page.locator(".map-canvas canvas").count()).toBeGreaterThan(0);
    const silos = await page.getByTestId("silos").locator("li").count();
    expect(silos).toBeGreaterThanOrEqual(6);
    const [someone] = await rows<{ name: string }>(
      app.server.ctx.db,
      sql`select name from users where title like 'Team Lead%' or title like '%Lead' order by name limit 1`,
    );
    await page.getByLabel("Find a person").fill(someone.name);
    const panel = page.getByTestId("selected-person");
    await panel.waitFor();
    expect(await panel.getByRole("heading", { level: 2 }).textContent()).toBe(someone.name);
    expect(await page.getByTestId("ties").locator("li").count()).toBeGreaterThan(0);
    await snap(page, "07-network-focus");
    await page.context().close();
  });

  it("gives other people the department view only", async () => {
    const [member] = await rows<{ email: string }>(
      app.server.ctx.db,
      sql`select email from users where role = 'member' and knowledge_manager = false order by email limit 1`,
    );
    const page = await app.signIn(member.email);
    await page.goto(`${app.server.url}/network`);
    await page.getByTestId("draw-time").waitFor();
    expect(await page.getByLabel("Level").inputValue()).toBe("department");
    expect(await page.locator('option[value="person"]').isDisabled()).toBe(true);
    expect(await page.getByLabel("Find a person").count()).toBe(0);
    const response = await page.request.get(`${app.server.url}/api/network?level=person`);
    expect(response.status()).toBe(403);
    await snap(page, "08-network-departments");
    await page.context().close();
  });

  it("draws a 5,000-person network", async () => {
    const [admin] = await rows<{ id: string }>(
      app.server.ctx.db,
      sql`select id from users where role = 'admin' limit 1`,
    );
    const people = new Map<string, string>();
    for (let i = 0; i < 5000; i++) people.set(`n${i}`, `D${i % 40}`);
    const edges = [];
    let seed = 1;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 25000; i++) {
      const s = Math.floor(rnd() * 5000);
      const t = rnd() < 0.7 ? (Math.floor(s / 40) * 40 + Math.floor(rnd() * 40)) % 5000 : Math.floor(rnd() * 5000);
      edges.push({ source: `n${s}`, target: `n${t}` });
    }
    const ds = await importNetwork(
      app.server.ctx,
      { id: admin.id, role: "admin", name: "Admin" },
      { name: "Big generated", edges, weighted: false, people },
    );
    const page = await app.signIn(app.server.adminEmail);
    await page.goto(`${app.server.url}/network`);
    // Generous waits: a busy machine is slow, not wrong (speed is for bench/, not for tests).
    await page.getByTestId("draw-time").waitFor({ timeout: 120_000 });
    const started = Date.now();
    await page.locator(".map-toolbar select").first().selectOption(ds.id);
    await page.waitForFunction(() => document.querySelector(".stats strong")?.textContent === "5000", undefined, {
      timeout: 120_000,
    });
    const total = Date.now() - started;
    const drawn = await page.getByTestId("draw-time").textContent();
    console.log(`5,000-person map: ${drawn} (layout + first frame in the page); request + compute + draw ${total} ms`);
    // Still interactive: the camera responds to a zoom within a frame or two.
    const frameMs = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const t = performance.now();
          requestAnimationFrame(() => requestAnimationFrame(() => resolve((performance.now() - t) / 2)));
        }),
    );
    console.log(`5,000-person map: ${frameMs.toFixed(1)} ms per frame when idle`);
    // Behaviour, not speed: the page keeps rendering frames with the whole network drawn.
    expect(Number.isFinite(frameMs)).toBe(true);
    expect(await page.getByTestId("draw-time").textContent()).not.toBe("");
    await page.context().close();
  });
});
