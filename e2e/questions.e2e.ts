import { sql } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app-server";
import { browserAvailable, launchBrowser, snap } from "./harness";

describe.skipIf(!browserAvailable())("questions and answers in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(email: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(server.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: /Good/ }).waitFor();
    return page;
  }

  it("asking shows what may already answer it; an expert answers; the asker accepts", async () => {
    const asker = await signIn(server.adminEmail);
    await asker.getByRole("link", { name: "Questions" }).click();
    await asker.getByRole("link", { name: "Ask a question" }).click();
    await asker.getByLabel("Your question in one sentence").fill("How do I reset a frozen handheld scanner?");
    const similar = asker.getByTestId("similar");
    await similar.getByRole("link", { name: /Resetting a handheld scanner/ }).waitFor();
    await asker.getByLabel("Details (Markdown): what you tried, what you expected").fill("The screen is **frozen** on the login page.");
    await asker.getByLabel("Tags (comma separated)").fill("scanners");
    await snap(asker, "10-ask");
    await asker.getByRole("button", { name: "Post question" }).click();
    await asker.getByRole("heading", { name: "How do I reset a frozen handheld scanner?" }).waitFor();
    const url = asker.url();

    const [expert] = await rows<{ email: string }>(server.ctx.db, sql`select email from users where title = 'IT Support Technician' order by email limit 1`);
    const e = await signIn(expert.email);
    await e.goto(url);
    await e.getByLabel("Your answer (Markdown)").fill("Hold power and volume-down for 12 seconds.");
    await e.getByRole("button", { name: "Post answer" }).click();
    await e.getByTestId("answer").getByText("Hold power and volume-down for 12 seconds.").waitFor();
    await e.getByRole("button", { name: "Up-vote question" }).click();
    await e.getByRole("button", { name: "Up-vote question", pressed: true }).waitFor();

    await asker.reload();
    await asker.getByRole("button", { name: "Accept this answer" }).click();
    await asker.getByText("✓ Accepted answer").waitFor();
    // An accepted answer is knowledge with an owner: it shows its verification and can be challenged.
    await asker.getByTestId("answer").getByTestId("verification-badge").getByText(/Verified|Due|Expired/).waitFor();
    await asker.getByTestId("answer").getByRole("region", { name: "Challenges" }).getByRole("button", { name: "Challenge this" }).waitFor();
    expect(await asker.getByTestId("answer").count()).toBe(1);
    await snap(asker, "11-accepted");
    await asker.goto(`${server.url}/questions`);
    await asker.getByRole("link", { name: "How do I reset a frozen handheld scanner?" }).waitFor();
    await asker.context().close();
    await e.context().close();
  });
});
