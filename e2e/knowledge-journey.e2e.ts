import { describe, expect, it } from "vitest";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

describe.skipIf(!browserAvailable())("knowledge base journey in Chromium", () => {
  const app = useAppInBrowser({ editor: "markdown", greeting: /Good (morning|afternoon|evening)/ });
  const unique = `zebrafinch${Date.now() % 100000}`;
  let articleUrl = "";

  it("signs in, creates a space, writes and edits an article, sees the diff and restores", async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await app.signInOn(context, app.server.adminEmail);
    await expect(page.getByRole("heading", { name: "Recently updated" }).isVisible()).resolves.toBe(true);
    await snap(page, "01-home");

    await page.getByRole("link", { name: "Spaces", exact: true }).click();
    await page.getByRole("button", { name: "New space" }).click();
    await page.getByLabel("Name").fill("Night shift");
    await page.getByLabel("Description").fill("How the night shift works");
    await page.getByRole("button", { name: "Create space" }).click();
    await page.getByRole("heading", { name: "Night shift" }).waitFor();

    await page.getByRole("link", { name: "New article" }).click();
    // Pages load their code on demand: wait for the editor, or "Title" finds the space's sort menu.
    await page.getByRole("heading", { name: "New article in Night shift" }).waitFor();
    await page.getByLabel("Title", { exact: true }).fill("Closing the dock at night");
    await page.getByLabel("Tags (comma separated)").fill("dock, night");
    await page.getByLabel("Markdown").fill(`## Steps\n\nLock door one.\nCheck the ${unique} sensor.\nSet the alarm.\n`);
    await expect(page.getByTestId("preview").locator("h2").textContent()).resolves.toBe("Steps");
    await snap(page, "02-editor");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "Closing the dock at night" }).waitFor();
    articleUrl = page.url();
    expect(await page.getByTestId("article-body").textContent()).toContain("Lock door one.");

    await page.getByRole("link", { name: "Edit" }).click();
    await page
      .getByLabel("Markdown")
      .fill(`## Steps\n\nLock doors one and two.\nCheck the ${unique} sensor.\nSet the alarm.\n`);
    await page.getByLabel("What did you change? (optional, shown in the history)").fill("Door two too");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByTestId("article-body").getByText("Lock doors one and two.").waitFor();

    await page.getByRole("link", { name: "History" }).click();
    await page.getByRole("table", { name: "Differences" }).waitFor();
    const removed = await page.locator(".diff-del .text").allTextContents();
    const added = await page.locator(".diff-add .text").allTextContents();
    expect(removed).toEqual(["Lock door one."]);
    expect(added).toEqual(["Lock doors one and two."]);
    await snap(page, "03-history");

    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Restore v1" }).click();
    await page.getByText("v3").first().waitFor();
    await page.goto(articleUrl);
    await page.getByTestId("article-body").getByText("Lock door one.").waitFor();
    await context.close();
  });

  it("finds the article as you type and opens it", async () => {
    const context = await app.browser.newContext();
    const page = await app.signInOn(context, app.server.adminEmail);
    const box = page.getByRole("combobox", { name: "Search Knowhow" });
    await box.fill(unique.slice(0, 7));
    const option = page.getByRole("option").filter({ hasText: "Closing the dock at night" });
    await option.waitFor();
    expect(await option.locator("mark").first().textContent()).toBeTruthy();
    await snap(page, "04-search-as-you-type");
    await box.press("ArrowDown");
    await box.press("Enter");
    await page.getByRole("heading", { name: "Closing the dock at night" }).waitFor();
    // Full results page with facets.
    await box.fill(unique);
    await box.press("Enter");
    await page.getByText(/1 results? for/).waitFor();
    await context.close();
  });

  it("two editors: the second sees the conflict, merges, and nothing is lost", async () => {
    const a = await app.browser.newContext();
    const b = await app.browser.newContext();
    const pa = await app.signInOn(a, app.server.adminEmail);
    const pb = await app.signInOn(b, app.server.adminEmail);
    await pa.goto(`${articleUrl}/edit`);
    await pb.goto(`${articleUrl}/edit`);
    await pa.getByLabel("Markdown").waitFor();
    await pb.getByLabel("Markdown").waitFor();
    await pa.getByLabel("Markdown").fill("## Steps\n\nA's version of the steps.\n");
    await pa.getByRole("button", { name: "Save" }).click();
    await pa.getByTestId("article-body").getByText("A's version of the steps.").waitFor();

    await pb.getByLabel("Markdown").fill("## Steps\n\nB's careful rewrite.\n");
    await pb.getByRole("button", { name: "Save" }).click();
    await pb.getByRole("heading", { name: "Someone saved a newer version" }).waitFor();
    expect(await pb.getByTestId("theirs").textContent()).toContain("A's version of the steps.");
    expect(await pb.getByTestId("mine").textContent()).toContain("B's careful rewrite.");
    await snap(pb, "05-conflict");
    await pb.getByRole("button", { name: "Keep both" }).click();
    await pb.getByRole("button", { name: "Save merged text" }).click();
    await pb.getByTestId("article-body").getByText("B's careful rewrite.").waitFor();
    expect(await pb.getByTestId("article-body").textContent()).toContain("A's version of the steps.");
    await a.close();
    await b.close();
  });

  it("works on a phone-sized screen without horizontal scrolling", async () => {
    const context = await app.browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await app.signInOn(context, app.server.adminEmail);
    await page.goto(articleUrl);
    await page.getByTestId("article-body").waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("link", { name: "People" }).click();
    await page.getByRole("heading", { name: "People" }).waitFor();
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBeLessThanOrEqual(0);
    await snap(page, "06-phone-people");
    await context.close();
  });
});
