import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import { gunzipSync, brotliDecompressSync } from "node:zlib";
import { statSync } from "node:fs";
import path from "node:path";
import { startTestServer, type TestServer } from "./app-server";
import { browserAvailable, launchBrowser } from "./harness";

/**
 * The built web app as the server sends it: compressed files (brotli, else gzip, else plain),
 * hashed assets cached for a year, index.html revalidated on each visit. Needs `npm run build:web`
 * (npm run test:e2e does it), so it lives with the browser tests.
 */
describe.skipIf(!browserAvailable())("static files: compression and caching", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  const raw = (path: string, encoding?: string) =>
    fetch(server.url + path, { headers: encoding ? { "accept-encoding": encoding } : {} });

  it("index.html: no-cache, and brotli or gzip as asked; client routes get the same page", async () => {
    for (const path of ["/", "/login", "/questions/123"]) {
      const res = await raw(path, "br");
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(res.headers.get("content-encoding")).toBe("br");
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    }
  });

  it("hashed scripts and styles: immutable for a year; br, gzip or plain by Accept-Encoding, same content", async () => {
    const html = await (await raw("/")).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const plain = await raw(asset, "identity");
      expect(plain.status).toBe(200);
      expect(plain.headers.get("content-encoding")).toBeNull();
      expect(plain.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(plain.headers.get("vary")).toMatch(/accept-encoding/i);
      const body = Buffer.from(await plain.arrayBuffer());

      // Node's fetch decodes what it receives; read the bytes through undecoded requests instead.
      const br = await getRaw(server.url + asset, "gzip, deflate, br");
      expect(br.headers["content-encoding"]).toBe("br");
      expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(br.headers["content-type"]).toMatch(asset.endsWith(".js") ? /javascript/ : /text\/css/);
      expect(brotliDecompressSync(br.body).equals(body)).toBe(true);
      expect(br.body.length).toBeLessThan(body.length);

      const gz = await getRaw(server.url + asset, "gzip");
      expect(gz.headers["content-encoding"]).toBe("gzip");
      expect(gunzipSync(gz.body).equals(body)).toBe(true);
    }
  });

  it("the first load of sign-in and of home stays under 150 KB of JavaScript gzipped", async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      context.setDefaultTimeout(90_000);
      const scripts = async (url: string, ready: string) => {
        const page = await context.newPage();
        const seen = new Set<string>();
        page.on("response", (r) => r.request().resourceType() === "script" && seen.add(new URL(r.url()).pathname));
        await page.goto(url);
        await page.getByRole("heading", { level: 1, name: new RegExp(ready) }).waitFor();
        await page.waitForLoadState("load");
        await page.close();
        // The gzip size of each (what a client without brotli receives; brotli is smaller still).
        const dist = path.resolve(__dirname, "../web/dist");
        return [...seen].reduce((sum, p) => sum + statSync(path.join(dist, `${p}.gz`)).size, 0);
      };
      const signIn = await scripts(`${server.url}/login`, "Sign in");
      await context.request.post(`${server.url}/api/auth/login`, {
        data: { email: server.adminEmail, password: server.adminPassword },
      });
      const home = await scripts(`${server.url}/`, "Good");
      expect(signIn).toBeLessThan(150 * 1024);
      expect(home).toBeLessThan(150 * 1024);
    } finally {
      await browser.close();
    }
  });

  it("an unknown asset is a 404, not the page", async () => {
    const res = await raw("/assets/nope-123.js", "br");
    expect(res.status).toBe(404);
  });
});

function getRaw(
  url: string,
  encoding: string,
): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { "accept-encoding": encoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}
