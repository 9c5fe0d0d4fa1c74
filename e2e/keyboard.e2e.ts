import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserAvailable, useAppInBrowser } from "./harness";

/** What the focused element is called: its aria-label, its label's text, or its own text. */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return "";
    const input = el as HTMLInputElement;
    const label = el.getAttribute("aria-label") ?? input.labels?.[0]?.textContent ?? el.textContent ?? "";
    return `${el.tagName.toLowerCase()}: ${label.replace(/\s+/g, " ").trim()}`;
  });
}

/** Presses Tab (or Shift+Tab) until the focused element's name matches (at most `max` presses). */
async function tabTo(page: Page, name: RegExp, key: "Tab" | "Shift+Tab" = "Tab", max = 150): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const now = await focusedName(page);
    if (name.test(now)) return;
    seen.push(now);
  }
  throw new Error(`Tab never reached ${name}; it went through:\n${seen.join("\n")}`);
}

const inDialog = (page: Page) => page.evaluate(() => !!document.activeElement?.closest("[role=dialog]"));

/**
 * A keyboard-only journey: no clicks, only keyboard.press and keyboard.type. Sign in, skip link,
 * menu, ask a question, answer it, and the sidekick (focus trapped inside, Escape returns focus).
 */
describe.skipIf(!browserAvailable())("keyboard only", () => {
  const app = useAppInBrowser();

  it("asks a question, answers it and uses the sidekick without a mouse", async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(90_000);
    const page = await context.newPage();
    await page.goto(`${app.server.url}/login`);
    await page.getByRole("heading", { name: "Sign in to Knowhow" }).waitFor();
    expect(await page.title()).toBe("Sign in to Knowhow · Knowhow");

    await tabTo(page, /^input: Email/);
    await page.keyboard.type(app.server.adminEmail);
    await page.keyboard.press("Tab");
    await page.keyboard.type(app.server.adminPassword);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: /Good/ }).waitFor();
    await expect.poll(() => page.title()).toBe("Home · Knowhow");

    // After signing in, focus is on the new page's heading.
    await expect.poll(() => focusedName(page)).toMatch(/^h1: Good/);

    // On a fresh load the skip link is the first stop, and it jumps past the top bar and the menu.
    await page.reload();
    await page.getByRole("heading", { level: 1, name: /Good/ }).waitFor();
    await page.keyboard.press("Tab");
    expect(await focusedName(page)).toBe("a: Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main-content");

    // Following a menu link moves focus to the new page's heading, and the title follows.
    await tabTo(page, /^a: Questions$/, "Shift+Tab");
    await page.keyboard.press("Enter");
    await expect.poll(() => focusedName(page)).toBe("h1: Questions");
    await expect.poll(() => page.title()).toBe("Questions · Knowhow");

    await tabTo(page, /^a: Ask a question/);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe("H1");
    const title = "How do I print a pallet label from the keyboard?";
    await tabTo(page, /^input: Your question in one sentence/);
    await page.keyboard.type(title);
    await tabTo(page, /^textarea: Details/);
    await page.keyboard.type("The label printer dialog needs a mouse, it seems.");
    await tabTo(page, /^button: Post question/);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await expect.poll(() => focusedName(page)).toBe(`h1: ${title}`);
    await expect.poll(() => page.title()).toBe(`${title} · Knowhow`);

    await tabTo(page, /^textarea: Your answer/);
    await page.keyboard.type("Press Ctrl+P in the label view, then Enter.");
    await tabTo(page, /^button: Post answer/);
    await page.keyboard.press("Enter");
    await page.getByTestId("answer").getByText("Press Ctrl+P in the label view, then Enter.").waitFor();

    // The sidekick, opened from its button: focus starts inside, Tab and Shift+Tab never leave it.
    await tabTo(page, /^button: ✦ Sidekick/, "Shift+Tab");
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Sidekick" });
    await dialog.waitFor();
    await expect.poll(() => focusedName(page)).toMatch(/^textarea: What are you stuck on/);
    await page.keyboard.type("pallet label printer needs a mouse");
    await page.keyboard.press("Control+Enter");
    await dialog.getByRole("heading", { name: "People who know" }).waitFor();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press("Tab");
      expect(await inDialog(page)).toBe(true);
    }
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press("Shift+Tab");
      expect(await inDialog(page)).toBe(true);
    }
    // Escape closes it and gives focus back to the button that opened it.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await expect.poll(() => focusedName(page)).toMatch(/^button: ✦ Sidekick/);

    // Ctrl+K from the page opens it too; Escape returns focus to where it was.
    await tabTo(page, /^textarea: Your answer/);
    await page.keyboard.press("Control+k");
    await dialog.waitFor();
    await expect.poll(() => inDialog(page)).toBe(true);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await expect.poll(() => focusedName(page)).toMatch(/^textarea: Your answer/);
    await context.close();
  });
});
