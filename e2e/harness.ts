import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page, type ViewportSize } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { startTestServer, type TestServer } from "./app-server";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = path.resolve(__dirname, "artifacts");

/**
 * Whether the browser tests can run. Without Chromium they are skipped with a message,
 * unless KNOWHOW_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.KNOWHOW_REQUIRE_BROWSER === "1")
    throw new Error(
      `${CHROMIUM} not found, and the browser tests are required (KNOWHOW_REQUIRE_BROWSER=1). Install Debian's chromium.`,
    );
  console.warn(`Browser tests SKIPPED: ${CHROMIUM} not found (apt-get install chromium).`);
  return false;
}

/** Debian's Chromium, headless, with the flags this closed network needs. Never downloads a browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // A camera and microphone that always answer (a moving test pattern and a beep), without asking:
      // what the capture journeys record.
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
    ],
  });
}

/** Saves a screenshot under e2e/artifacts (gitignored) for a human to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false });
}

/** The app and a browser shared by the tests of one describe block; see useAppInBrowser. */
export interface AppInBrowser {
  /** The running app (demo organisation); available from the tests and from later beforeAll hooks. */
  readonly server: TestServer;
  readonly browser: Browser;
  /** Opens a new browser context (its own cookies) with the viewport, signs `email` in and returns the home page. */
  signIn(email: string, viewport?: ViewportSize): Promise<Page>;
  /** Signs `email` in on a new page of an existing context and returns the home page. */
  signInOn(context: BrowserContext, email: string): Promise<Page>;
}

/**
 * Registers, in the calling describe block, a beforeAll that starts the app and Chromium and an afterAll
 * that closes both. Every demo account signs in with the demo admin's password.
 * Hooks the block registers after this call run once the app and the browser are up.
 */
export function useAppInBrowser(
  options: {
    viewport?: ViewportSize;
    greeting?: RegExp;
    /** The article editor's mode in every context: "markdown" for journeys that type Markdown source. */
    editor?: "rich" | "markdown";
  } = {},
): AppInBrowser {
  const defaultViewport = options.viewport ?? { width: 1280, height: 900 };
  const greeting = options.greeting ?? /Good/;
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const app: AppInBrowser = {
    get server() {
      if (!server)
        throw new Error("useAppInBrowser: the server is not started yet (use it in a test or a later beforeAll).");
      return server;
    },
    get browser() {
      if (!browser)
        throw new Error("useAppInBrowser: the browser is not launched yet (use it in a test or a later beforeAll).");
      return browser;
    },
    async signIn(email, viewport = defaultViewport) {
      return app.signInOn(await app.browser.newContext({ viewport }), email);
    },
    async signInOn(context, email) {
      // Waits end when the page is ready; the limit only guards against a hang, so it is generous
      // (a machine with both cores busy is slow, not broken).
      context.setDefaultTimeout(90_000);
      if (options.editor === "markdown")
        await context.addInitScript(() => localStorage.setItem("knowhow:editor-mode", "markdown"));
      const page = await context.newPage();
      await page.goto(`${app.server.url}/login`);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(app.server.adminPassword);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: greeting }).waitFor();
      return page;
    },
  };
  return app;
}
