import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

type Tree = { items: { id: string; title: string; parentId: string | null }[] };

/** The space's tree as the API gives it (titles under their parent's title, in order). */
async function treeOf(page: Page, spaceId: string): Promise<string[]> {
  const tree = await page.evaluate(async (id) => {
    const res = await fetch(`/api/spaces/${id}/tree`, { credentials: "same-origin" });
    return (await res.json()) as Tree;
  }, spaceId);
  const title = new Map(tree.items.map((i) => [i.id, i.title]));
  return tree.items.map((i) => `${i.parentId ? title.get(i.parentId) : "(top)"} > ${i.title}`);
}

const announced = (page: Page) => page.getByTestId("tree-announcer").textContent();

describe.skipIf(!browserAvailable())("the page tree in Chromium", () => {
  const app = useAppInBrowser({ editor: "markdown" });
  const child = `Empty location escalation ${Date.now() % 100000}`;
  let spaceId = "";

  it("expands the tree, opens a page with breadcrumbs, creates a child page and moves it by keyboard", async () => {
    const page = await app.signIn(app.server.adminEmail);
    await page.getByRole("link", { name: "Spaces", exact: true }).click();
    await page
      .getByRole("link", { name: /Warehouse Operations/ })
      .first()
      .click();
    const tree = page.getByRole("tree", { name: "Pages of Warehouse Operations" });
    await tree.waitFor();
    spaceId = page.url().split("/spaces/")[1];
    const packing = tree.getByRole("treeitem", { name: /^Packing station standard/ });
    expect(await packing.getAttribute("aria-expanded")).toBe("false");
    const shortPicks = tree.getByRole("treeitem", { name: /^Short picks/ });
    expect(await shortPicks.count()).toBe(0);
    // Keyboard: focus the tree, walk to the page and open it with the right arrow.
    await packing.locator(".twisty").first().click();
    expect(await packing.getAttribute("aria-expanded")).toBe("true");
    await shortPicks.waitFor();
    await shortPicks.focus();
    await page.keyboard.press("ArrowRight");
    await tree.getByRole("treeitem", { name: /^Cycle counting/ }).waitFor();
    expect(await shortPicks.getAttribute("aria-expanded")).toBe("true");
    await page.keyboard.press("ArrowLeft");
    expect(await shortPicks.getAttribute("aria-expanded")).toBe("false");
    await snap(page, "page-tree-01-space");

    await shortPicks.getByRole("link").first().click();
    await page.getByRole("heading", { name: /^Short picks/ }).waitFor();
    const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
    expect(await crumbs.textContent()).toContain("Packing station standard");
    // The article page shows the tree with the current page marked.
    const current = page.getByRole("treeitem", { name: /^Short picks/ });
    expect(await current.getAttribute("aria-selected")).toBe("true");
    expect(await current.getByRole("link").first().getAttribute("aria-current")).toBe("page");

    await page.getByRole("link", { name: "New child page" }).click();
    await page.getByText(/A sub-page of “Short picks/).waitFor();
    await page.getByLabel("Title").fill(child);
    await page.getByLabel("Markdown").fill("When a location is empty twice in a shift, call the inventory controller.");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: child }).waitFor();
    expect(await page.getByRole("navigation", { name: "Breadcrumb" }).textContent()).toMatch(
      /Packing station standard \/ Short picks.* \//,
    );
    expect(await treeOf(page, spaceId)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Short picks.* > Cycle counting/)]),
    );
    const order = await treeOf(page, spaceId);
    const under = order.filter((l) => l.startsWith("Short picks"));
    expect(under.at(-1)).toContain(child);

    // Keyboard move: Alt+Up puts it first under Short picks; Alt+Left moves it out a level, after Short picks.
    const mine = page.getByRole("treeitem", { name: new RegExp(`^${child}`) });
    await mine.focus();
    await page.keyboard.press("Alt+ArrowUp");
    await page
      .getByTestId("tree-announcer")
      .getByText(/position 1 of 2/)
      .waitFor();
    expect(await announced(page)).toMatch(new RegExp(`Moved “${child}” under “Short picks.*”, position 1 of 2`));
    expect((await treeOf(page, spaceId)).filter((l) => l.startsWith("Short picks"))[0]).toContain(child);
    await page.keyboard.press("Alt+ArrowLeft");
    await page
      .getByTestId("tree-announcer")
      .getByText(/under “Packing station standard”/)
      .waitFor();
    const now = (await treeOf(page, spaceId)).filter((l) => l.startsWith("Packing station standard"));
    expect(now.map((l) => l.split(" > ")[1])).toEqual([
      expect.stringMatching(/^Short picks/),
      child,
      expect.stringMatching(/^Returns grading/),
    ]);
    // Focus stays on the moved page, so the next key press acts on it.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("role"))).toBe("treeitem");
    await snap(page, "page-tree-02-moved-by-keyboard");
    await page.context().close();
  });

  it("moves a page by drag and drop onto another page", async () => {
    const page = await app.signIn(app.server.adminEmail);
    await page.goto(`${app.server.url}/spaces/${spaceId}`);
    const tree = page.getByRole("tree", { name: "Pages of Warehouse Operations" });
    await tree.waitFor();
    const source = tree
      .getByRole("treeitem", { name: /^Incident review/ })
      .locator(".tree-row")
      .first();
    const target = tree
      .getByRole("treeitem", { name: /^Handling a damaged pallet/ })
      .locator(".tree-row")
      .first();
    await source.dragTo(target);
    await page
      .getByTestId("tree-announcer")
      .getByText(/under “Handling a damaged pallet/)
      .waitFor();
    const lines = await treeOf(page, spaceId);
    expect(lines).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Handling a damaged pallet.* > Incident review/)]),
    );
    // "Move…" on the article page: back to the top level with the form.
    await tree
      .getByRole("treeitem", { name: /^Incident review/ })
      .getByRole("link")
      .first()
      .click();
    const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
    await crumbs.getByText(/Handling a damaged pallet/).waitFor();
    await page.getByRole("button", { name: "Move…" }).click();
    const form = page.getByRole("form", { name: "Move page" });
    await form.getByLabel("Under").selectOption({ label: "(top level)" });
    await form.getByRole("button", { name: "Move here" }).click();
    await form.waitFor({ state: "detached" });
    await crumbs.getByText(/Handling a damaged pallet/).waitFor({ state: "detached" });
    expect(await treeOf(page, spaceId)).toEqual(expect.arrayContaining([expect.stringMatching(/^\(top\) > Incident/)]));
    await page.context().close();
  });

  it("moves a page with the move buttons on a phone", async () => {
    const page = await app.signIn(app.server.adminEmail, { width: 390, height: 844 });
    await page.goto(`${app.server.url}/spaces/${spaceId}`);
    const tree = page.getByRole("tree", { name: "Pages of Warehouse Operations" });
    await tree.waitFor();
    await page.getByRole("button", { name: "Move pages" }).click();
    const before = (await treeOf(page, spaceId)).filter((l) => l.startsWith("(top)")).map((l) => l.split(" > ")[1]);
    const first = before[0];
    await page.getByRole("button", { name: `Move “${first}” down` }).click();
    await page
      .getByTestId("tree-announcer")
      .getByText(/position 2 of/)
      .waitFor();
    const after = (await treeOf(page, spaceId)).filter((l) => l.startsWith("(top)")).map((l) => l.split(" > ")[1]);
    expect(after.slice(0, 2)).toEqual([before[1], first]);
    // Nothing is wider than the phone's screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await snap(page, "page-tree-03-phone");
    await page.context().close();
  });
});
