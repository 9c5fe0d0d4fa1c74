import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMarkdown } from "../src/domain/markdown/render";
import { XSS_PAYLOADS } from "../src/domain/markdown/xss-corpus";
import { browserAvailable, launchBrowser } from "./harness";

// The sanitiser alone is under test: these pages are served WITHOUT the app's Content-Security-Policy.
const DETECTOR = `<script>
  window.__pwned = [];
  for (const name of ["alert", "confirm", "prompt"]) window[name] = (...a) => { window.__pwned.push(name + ":" + a.join(",")); };
</script>`;

function page(html: string): string {
  return `<!doctype html><html><head><meta charset="utf-8">${DETECTOR}</head><body><div id="content">${html}</div></body></html>`;
}

describe.skipIf(!browserAvailable())("rendered Markdown in real Chromium", () => {
  let browser: Browser;
  let server: Server;
  let base = "";
  const pages = new Map<string, string>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const body = pages.get(req.url ?? "");
      if (body === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => server?.close(() => r()));
  });

  /** Loads the HTML, hovers, focuses and clicks everything in it, and returns what executed. */
  async function exercise(html: string, key: string): Promise<string[]> {
    pages.set(`/${key}`, page(html));
    const p: Page = await browser.newPage();
    const dialogs: string[] = [];
    p.on("dialog", (d) => {
      dialogs.push(`dialog:${d.message()}`);
      void d.dismiss();
    });
    await p.goto(`${base}/${key}`);
    await p.waitForTimeout(50);
    for (const el of await p.$$("#content *")) {
      await el.hover({ timeout: 300, force: true }).catch(() => undefined);
      await el.focus().catch(() => undefined);
      const href = await el.getAttribute("href");
      // Clicking a real link navigates away; only click those that would stay on the page.
      if (!href || href.startsWith("#")) await el.click({ timeout: 300, force: true, noWaitAfter: true }).catch(() => undefined);
    }
    await p.waitForTimeout(100);
    const pwned = await p.evaluate(() => (window as unknown as { __pwned: string[] }).__pwned ?? ["detector missing"]).catch(() => ["page navigated away"]);
    const links = await p.$$eval("a[href]", (as) => as.map((a) => (a as HTMLAnchorElement).protocol)).catch(() => []);
    await p.close();
    return [...pwned, ...dialogs, ...links.filter((proto) => proto === "javascript:" || proto === "data:" || proto === "vbscript:").map((p) => `link:${p}`)];
  }

  it("the detector works: unsanitised HTML does execute in this setup", async () => {
    expect(await exercise('<img src="x" onerror="alert(1)">', "control")).toContain("alert:1");
    expect(await exercise('<a href="javascript:alert(2)">x</a>', "control-link")).not.toEqual([]);
  });

  it(`none of ${XSS_PAYLOADS.length} payloads executes after rendering`, async () => {
    const failures: string[] = [];
    for (const [i, payload] of XSS_PAYLOADS.entries()) {
      const fired = await exercise(renderMarkdown(payload), `p${i}`);
      if (fired.length > 0) failures.push(`#${i} ${JSON.stringify(payload)} → ${fired.join(" ")}`);
    }
    expect(failures).toEqual([]);
  });
});
