import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = path.resolve(__dirname, "artifacts");

/**
 * Whether the browser tests can run. Without Chromium they are skipped with a message,
 * unless KNOWHOW_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.KNOWHOW_REQUIRE_BROWSER === "1") throw new Error(`${CHROMIUM} not found, and the browser tests are required (KNOWHOW_REQUIRE_BROWSER=1). Install Debian's chromium.`);
  console.warn(`Browser tests SKIPPED: ${CHROMIUM} not found (apt-get install chromium).`);
  return false;
}

/** Debian's Chromium, headless, with the flags this closed network needs. Never downloads a browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Saves a screenshot under e2e/artifacts (gitignored) for a human to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false });
}
