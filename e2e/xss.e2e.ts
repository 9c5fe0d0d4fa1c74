import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Dialog, Page } from "playwright-core";
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
  let tab: Page | undefined;

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

  /**
   * Loads the HTML and, with no fixed waits, checks it completely: every element is scanned for
   * event-handler attributes and script URLs, and every event a payload could hang on is fired at
   * every element (mouse, pointer, keyboard, focus, clipboard, drag, animation, media, load/error),
   * then focus and click (links that would navigate are checked, not followed). Returns what ran.
   */
  async function exercise(html: string, key: string): Promise<string[]> {
    pages.set(`/${key}`, page(html));
    // One tab for all payloads (a new tab per payload costs a second on a busy machine).
    tab ??= await browser.newPage();
    const p: Page = tab;
    const dialogs: string[] = [];
    const onDialog = (d: Dialog) => {
      dialogs.push(`dialog:${d.message()}`);
      void d.dismiss();
    };
    p.on("dialog", onDialog);
    await p.goto(`${base}/${key}`, { waitUntil: "load" });
    const found = await p.evaluate(() => {
      const out: string[] = [];
      const events = [
        "mouseover",
        "mouseenter",
        "mousemove",
        "mousedown",
        "mouseup",
        "mouseout",
        "mouseleave",
        "pointerover",
        "pointerdown",
        "pointerup",
        "pointerenter",
        "keydown",
        "keypress",
        "keyup",
        "focus",
        "focusin",
        "blur",
        "focusout",
        "input",
        "change",
        "select",
        "copy",
        "cut",
        "paste",
        "dragstart",
        "drag",
        "drop",
        "animationstart",
        "animationend",
        "transitionend",
        "load",
        "error",
        "play",
        "playing",
        "canplay",
        "loadstart",
        "toggle",
        "wheel",
        "scroll",
        "contextmenu",
        "dblclick",
        "beforeinput",
      ];
      for (const el of Array.from(document.querySelectorAll("#content *"))) {
        for (const attr of Array.from(el.attributes)) {
          if (/^on/i.test(attr.name)) out.push(`handler:${el.tagName.toLowerCase()}[${attr.name}]`);
          if (
            /^(href|src|action|formaction|xlink:href|data|srcdoc)$/i.test(attr.name) &&
            /^\s*(javascript|vbscript|data):/i.test(attr.value) &&
            !/^data:image\/(png|gif|jpe?g|webp);/i.test(attr.value)
          )
            out.push(`url:${attr.name}=${attr.value.slice(0, 40)}`);
        }
        if (/^(script|iframe|object|embed|frame|frameset|base|meta|link|form|svg|math)$/i.test(el.tagName))
          out.push(`element:${el.tagName.toLowerCase()}`);
        for (const type of events) el.dispatchEvent(new Event(type, { bubbles: true }));
        if (el instanceof HTMLElement) {
          el.focus();
          const href = el.getAttribute("href");
          if (!href || href.startsWith("#")) el.click();
        }
      }
      return out;
    });
    const pwned = await p
      .evaluate(() => (window as unknown as { __pwned: string[] }).__pwned ?? ["detector missing"])
      .catch(() => ["page navigated away"]);
    const links = await p.$$eval("a[href]", (as) => as.map((a) => (a as HTMLAnchorElement).protocol)).catch(() => []);
    p.off("dialog", onDialog);
    return [
      ...found,
      ...pwned,
      ...dialogs,
      ...links
        .filter((proto) => proto === "javascript:" || proto === "data:" || proto === "vbscript:")
        .map((p) => `link:${p}`),
    ];
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
