/**
 * `npm run bench -- pages [--runs 3] [--save before|after]`
 *
 * Page weight and load time of four pages of the built web app (npm run build:web first), served by
 * the real app with the demo organisation, in Debian's Chromium on a throttled phone profile
 * (390×844; CDP Network.emulateNetworkConditions 150 ms latency, 1.6 Mbit/s down, 750 kbit/s up;
 * Emulation.setCPUThrottlingRate 4). For home, a question, the network map and the editor:
 * bytes transferred (all and JavaScript only) and the time to the load event and to the page's
 * heading, on a cold visit (empty cache) and a warm one (the same page again, cache kept).
 * Medians of --runs. `--save NAME` keeps the figures in bench/results/pages-NAME.json; a run prints
 * them next to bench/results/pages-before.json when that file exists.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { startTestServer } from "../e2e/app-server";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const resultsDir = path.join(root, "bench", "results");
const log = (s: string) => process.stderr.write(s + "\n");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const PHONE = { width: 390, height: 844 };
const NETWORK = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

type Visit = { bytes: number; jsBytes: number; jsFiles: number; loadMs: number; readyMs: number };
type PageFigures = { cold: Visit; warm: Visit };
type Results = { when: string; commit: string; pages: Record<string, PageFigures> };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function medianVisit(vs: Visit[]): Visit {
  const pick = (k: keyof Visit) => median(vs.map((v) => v[k]));
  return {
    bytes: pick("bytes"),
    jsBytes: pick("jsBytes"),
    jsFiles: pick("jsFiles"),
    loadMs: pick("loadMs"),
    readyMs: pick("readyMs"),
  };
}

/** One visit on a throttled page of `context`: what crossed the network, and when load and the heading came. */
async function visit(context: BrowserContext, url: string): Promise<Visit> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", NETWORK);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  const types = new Map<string, string>();
  let bytes = 0;
  let jsBytes = 0;
  let jsFiles = 0;
  cdp.on("Network.responseReceived", (e) => types.set(e.requestId, e.type));
  cdp.on("Network.loadingFinished", (e) => {
    bytes += e.encodedDataLength;
    if (types.get(e.requestId) === "Script") {
      jsBytes += e.encodedDataLength;
      jsFiles++;
    }
  });
  const started = Date.now();
  await page.goto(url, { waitUntil: "load", timeout: 120_000 });
  await page.locator("h1").first().waitFor({ timeout: 120_000 });
  const readyMs = Date.now() - started;
  await page.waitForLoadState("networkidle", { timeout: 120_000 }).catch(() => undefined);
  const loadMs = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    return nav.loadEventEnd - nav.startTime;
  });
  await page.close();
  return { bytes, jsBytes, jsFiles, loadMs: Math.round(loadMs), readyMs };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const ms = (n: number) => `${Math.round(n)} ms`;

function table(now: Results, before: Results | null): string {
  const lines: string[] = [];
  const cols = ["page", "visit", "transferred", "JavaScript", "JS files", "load event", "heading shown"];
  lines.push(cols.join(" | "));
  lines.push(cols.map(() => "---").join(" | "));
  for (const [name, fig] of Object.entries(now.pages)) {
    for (const kind of ["cold", "warm"] as const) {
      const v = fig[kind];
      const b = before?.pages[name]?.[kind];
      const cell = (f: (x: Visit) => string) => (b ? `${f(b)} → ${f(v)}` : f(v));
      lines.push(
        [
          name,
          kind,
          cell((x) => kb(x.bytes)),
          cell((x) => kb(x.jsBytes)),
          cell((x) => String(x.jsFiles)),
          cell((x) => ms(x.loadMs)),
          cell((x) => ms(x.readyMs)),
        ].join(" | "),
      );
    }
  }
  return lines.join("\n");
}

export async function run(args: string[]): Promise<number> {
  const runs = Number(flag(args, "runs", "3"));
  const save = flag(args, "save", "");
  if (!existsSync(path.join(root, "web", "dist", "index.html"))) {
    log("Build the web app first: npm run build:web");
    return 2;
  }
  log("Starting the app with the demo organisation…");
  const server = await startTestServer();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const signedIn = async (): Promise<BrowserContext> => {
      const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
      const res = await context.request.post(`${server.url}/api/auth/login`, {
        data: { email: server.adminEmail, password: server.adminPassword },
      });
      if (!res.ok()) throw new Error(`sign-in failed: ${res.status()}`);
      return context;
    };
    const probe = await signedIn();
    const questions = (await (await probe.request.get(`${server.url}/api/questions`)).json()) as {
      items: { id: string }[];
    };
    const articles = (await (await probe.request.get(`${server.url}/api/articles`)).json()) as {
      items: { id: string }[];
    };
    await probe.close();
    const article = articles.items[0];
    if (!questions.items?.[0] || !article)
      throw new Error(`the demo organisation has no question or article: ${JSON.stringify(questions).slice(0, 200)}`);
    const pages: Record<string, string> = {
      home: "/",
      question: `/questions/${questions.items[0].id}`,
      "network map": "/network",
      editor: `/articles/${article.id}/edit`,
    };
    const result: Results = {
      when: new Date().toISOString(),
      commit: process.env.GIT_COMMIT ?? "",
      pages: {},
    };
    for (const [name, p] of Object.entries(pages)) {
      const cold: Visit[] = [];
      const warm: Visit[] = [];
      for (let i = 0; i < runs; i++) {
        const context = await signedIn();
        cold.push(await visit(context, server.url + p));
        warm.push(await visit(context, server.url + p));
        await context.close();
      }
      result.pages[name] = { cold: medianVisit(cold), warm: medianVisit(warm) };
      log(`${name}: cold ${kb(result.pages[name].cold.bytes)} in ${ms(result.pages[name].cold.loadMs)}`);
    }
    const beforeFile = path.join(resultsDir, "pages-before.json");
    const before =
      existsSync(beforeFile) && save !== "before" ? (JSON.parse(readFileSync(beforeFile, "utf8")) as Results) : null;
    console.log(
      `\nPages on a throttled phone (150 ms, 1.6 Mbit/s down, CPU ×4), median of ${runs}` +
        (before ? `; before (${before.when.slice(0, 10)}) → now` : "") +
        "\n",
    );
    console.log(table(result, before));
    if (save) {
      mkdirSync(resultsDir, { recursive: true });
      writeFileSync(path.join(resultsDir, `pages-${save}.json`), JSON.stringify(result, null, 2) + "\n");
      log(`saved bench/results/pages-${save}.json`);
    }
    return 0;
  } finally {
    await browser.close();
    await server.close();
  }
}
