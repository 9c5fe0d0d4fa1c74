import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

// An admin configures a webhook in the admin page, sends a test, and sees the delivery arrive at a
// receiving server run by the test; a question asked afterwards is delivered too.

describe.skipIf(!browserAvailable())("webhooks in Chromium", () => {
  const app = useAppInBrowser();
  const got: { event: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  let server: http.Server;
  let url = "";
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        got.push({ event: String(req.headers["knowhow-event"]), headers: req.headers, body: JSON.parse(body) });
        res.end("ok");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/knowhow`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("adds a webhook, sends a test and shows the delivery; a new question is delivered", async () => {
    const page = await app.signIn(app.server.adminEmail);
    await page.goto(`${app.server.url}/admin`);
    await page.getByRole("button", { name: "Add a webhook" }).click();
    const form = page.getByRole("form", { name: "New webhook" });
    await form.getByLabel("Name").fill("Ops receiver");
    await form.getByLabel("Address (URL)").fill(url);
    await form.getByLabel("Format").selectOption("json");
    await form.getByRole("button", { name: "Save webhook" }).click();
    const item = page.locator("li.webhook").filter({ hasText: "Ops receiver" });
    await item.waitFor();
    await item.getByRole("button", { name: "Send a test to Ops receiver" }).click();
    const log = page.getByRole("region", { name: "Deliveries of Ops receiver" });
    await log.getByText("delivered (HTTP 200)").waitFor({ timeout: 60_000 });
    expect(got.map((g) => g.event)).toContain("ping");
    expect(String(got[0].headers["knowhow-signature"])).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

    // A colleague's question in a space everyone may read reaches the receiver within seconds.
    await page.goto(`${app.server.url}/questions/ask`);
    await page.getByLabel("Your question in one sentence").fill("Where are the spare scanner batteries kept?");
    await page.getByLabel(/^Details/).fill("The charging shelf by dock 3 is empty.");
    await page.getByRole("button", { name: "Post question" }).click();
    await expect.poll(() => got.map((g) => g.event), { timeout: 60_000 }).toContain("question.created");
    const q = got.find((g) => g.event === "question.created")!;
    expect(q.body).toMatchObject({ item: { title: "Where are the spare scanner batteries kept?" } });
    await page.goto(`${app.server.url}/admin`);
    await page
      .locator("li.webhook")
      .filter({ hasText: "Ops receiver" })
      .getByRole("button", { name: "Deliveries of Ops receiver" })
      .click();
    await page
      .getByRole("region", { name: "Deliveries of Ops receiver" })
      .getByRole("cell", { name: "question.created", exact: true })
      .waitFor();
    await snap(page, "webhooks-admin");
  });
});
