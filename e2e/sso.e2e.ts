import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { users } from "../db/schema";
import { startTestProvider, type TestProvider } from "../test/support/oidc-provider";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

// Single sign-on in Chromium, on a phone: the admin adds the organisation's OpenID provider (a real
// one, oidc-provider on 127.0.0.1) in the admin page, signs out, and a colleague signs in with the
// provider's button on the sign-in page, through the provider's own form, landing on the home page
// with an account made from the provider's claims.

const PHONE = { width: 390, height: 844 };
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** The serious and critical WCAG 2.1 AA findings of axe-core on the page as it is now (run outside the page's CSP). */
async function axeSerious(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type Result = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<Result> } }).axe;
    const r = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

describe.skipIf(!browserAvailable())("single sign-on in Chromium", () => {
  const app = useAppInBrowser({ viewport: PHONE });
  let op: TestProvider;

  beforeAll(async () => {
    // The operator's PUBLIC_URL: the redirect URI registered at the provider is built from it.
    app.server.ctx.config.publicUrl = app.server.url;
    op = await startTestProvider(`${app.server.url}/api/auth/sso`);
    op.people.set("rosa", { email: "rosa.rivera@northwind-demo.test", name: "Rosa Rivera", department: "Quality" });
  });
  afterAll(async () => op?.close());

  it("an admin adds the provider; a colleague signs in with it and lands on the home page", async () => {
    const page = await app.signIn(app.server.adminEmail, PHONE);
    await page.goto(`${app.server.url}/admin`);
    const card = page.locator("section", { has: page.getByRole("heading", { name: "Single sign-on" }) });
    await card.getByRole("button", { name: "Add a provider" }).click();
    const form = page.getByRole("form", { name: "New sign-in provider" });
    await form.getByLabel("Name on the sign-in button").fill("Northwind staff");
    await form.getByLabel("Issuer URL").fill("http://idp.example.com");
    await form.getByLabel("Client ID").fill(op.clientId);
    await form.getByLabel("Client secret").fill(op.clientSecret);
    await form.getByLabel("Department").fill("department");
    await form.getByRole("button", { name: "Add provider" }).click();
    // The server's field error, next to the field.
    await form.getByText("must start with https:// (http:// only for a provider on localhost)").waitFor();
    expect(await axeSerious(page)).toEqual([]);
    // The open form fits a phone too.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await form.getByRole("button", { name: "Add a role row" }).click();
    await form.getByLabel("Group", { exact: true }).fill("knowhow-admins");
    await form.getByLabel("Issuer URL").scrollIntoViewIfNeeded();
    await snap(page, "sso-form-phone");
    await form.getByLabel("Issuer URL").fill(op.issuer);
    await form.getByRole("button", { name: "Add provider" }).click();
    await card.getByText("Redirect URI to register").waitFor();
    expect(await card.locator("code").first().textContent()).toMatch(/\/api\/auth\/sso\/[0-9a-f-]{36}\/callback$/);
    // Nothing runs off the side of a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    // Password sign-in off for everyone but admins.
    const passwords = card.getByLabel("Everyone may also sign in with a password");
    await passwords.click();
    await expect.poll(() => passwords.isChecked()).toBe(false);
    await card.scrollIntoViewIfNeeded();
    await snap(page, "sso-admin-phone");

    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in to Knowhow" }).waitFor();
    const button = page.getByRole("link", { name: "Sign in with Northwind staff" });
    await button.waitFor();
    await snap(page, "sso-login-phone");
    expect(await axeSerious(page)).toEqual([]);
    // The password form is one click away (for admins).
    expect(await page.getByLabel("Email").count()).toBe(0);
    await page.getByRole("button", { name: "Administrator sign-in" }).click();
    await page.getByLabel("Email").waitFor();
    await button.click();

    // The provider's own sign-in form (any login name works there).
    await page.locator('input[name="login"]').fill("rosa");
    await page.locator('input[name="password"]').fill("any password");
    await page.getByRole("button", { name: "Sign-in" }).click();

    await page.getByRole("heading", { name: /Good \w+, Rosa/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
    const [rosa] = await app.server.ctx.db
      .select()
      .from(users)
      .where(eq(users.email, "rosa.rivera@northwind-demo.test"));
    expect(rosa).toMatchObject({ name: "Rosa Rivera", department: "Quality", role: "member", passwordHash: null });
  });
});
