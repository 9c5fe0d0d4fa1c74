import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./app-server";
import { browserAvailable, launchBrowser, snap } from "./harness";

describe.skipIf(!browserAvailable())("accounts in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it("walks the first visitor of a real installation through creating the admin account", async () => {
    const server: TestServer = await startTestServer({ demo: false });
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(server.url);
      await page.getByRole("heading", { name: "Welcome to Knowhow" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/setup");
      await page.getByLabel("Organisation").fill("Acme Freight");
      await page.getByLabel("Your name").fill("Ada Admin");
      await page.getByLabel("Email").fill("ada@acme.test");
      await page.getByLabel("Password (at least 10 characters)").fill("short");
      await page.getByRole("button", { name: "Create admin account" }).click();
      await page.getByText("must be at least 10 characters").waitFor();
      await page.getByLabel("Password (at least 10 characters)").fill("a long enough password");
      await page.getByRole("button", { name: "Create admin account" }).click();
      await page.getByRole("heading", { name: /Good (morning|afternoon|evening), Ada/ }).waitFor();
      await snap(page, "09-setup-done");
      // Setup is closed now.
      const again = await page.request.post(`${server.url}/api/setup`, {
        data: { name: "Eve", email: "eve@x.test", password: "another long password" },
      });
      expect(again.status()).toBe(409);
      await page.context().close();
    } finally {
      await server.close();
    }
  });

  it("an admin invites by link; the invitee joins and signs in", async () => {
    const server = await startTestServer();
    try {
      const admin = await (await browser.newContext()).newPage();
      await admin.goto(`${server.url}/login`);
      await admin.getByLabel("Email").fill(server.adminEmail);
      await admin.getByLabel("Password").fill(server.adminPassword);
      await admin.getByRole("button", { name: "Sign in" }).click();
      await admin.getByRole("heading", { name: /Good/ }).waitFor();
      await admin.getByRole("link", { name: "Admin" }).click();
      // The demo's access history is there on the first start: who added whom to the private space.
      const trail = admin.getByRole("region", { name: "Audit trail" });
      await trail
        .getByText(/changed the members of HR Casework/)
        .first()
        .waitFor();
      await trail.getByText(/invited .* — new\.starter@/).waitFor();
      await admin.getByRole("form", { name: "Invite" }).getByLabel("Email").fill("new.colleague@northwind-demo.test");
      await admin.getByRole("button", { name: "Create invitation link" }).click();
      const link = await admin.getByLabel("Invitation link").inputValue();
      expect(link).toMatch(/\/invite\/[\w-]+$/);
      await admin.getByText("new.colleague@northwind-demo.test").first().waitFor();
      await trail.getByText(/invited .* — new\.colleague@northwind-demo\.test as member/).waitFor();

      const guestPage = await (await browser.newContext()).newPage();
      await guestPage.goto(`${server.url}${new URL(link).pathname}`);
      await guestPage.getByText("You were invited as").waitFor();
      await guestPage.getByLabel("Your name").fill("Nia Colleague");
      await guestPage.getByLabel("Choose a password (at least 10 characters)").fill("my own good password");
      await guestPage.getByRole("button", { name: "Create my account" }).click();
      await guestPage.getByRole("heading", { name: /Good (morning|afternoon|evening), Nia/ }).waitFor();
      // The link works once.
      const reused = await (await browser.newContext()).newPage();
      await reused.goto(`${server.url}${new URL(link).pathname}`);
      await reused.getByRole("heading", { name: "Invitation not valid" }).waitFor();
      await admin.context().close();
      await guestPage.context().close();
      await reused.context().close();
    } finally {
      await server.close();
    }
  });
});
