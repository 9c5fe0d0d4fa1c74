import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { BrowserContext, Page, ViewportSize } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, useAppInBrowser } from "./harness";

/**
 * axe-core (WCAG 2.0/2.1 A and AA) on every page of the app with the demo organisation: signed out,
 * as a member and as an admin, on a desktop and a phone. No critical and no serious violation may remain.
 */
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const SIZES: Record<string, ViewportSize> = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 },
};

type Finding = { where: string; rule: string; impact: string; help: string; targets: string[] };

/** Waits for the page to settle (heading shown, nothing loading), runs axe, returns serious and critical findings. */
async function axeFindings(page: Page, where: string): Promise<Finding[]> {
  // A11Y_DEBUG=1 names each page as it is checked (a page that never shows a heading times out without saying which).
  if (process.env.A11Y_DEBUG) process.stderr.write(`axe: ${where}\n`);
  await page.locator("h1, h2").first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll(".loading").length === 0, null, { timeout: 30_000 });
  await page.waitForTimeout(200);
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<AxeResult> } }).axe;
    type AxeResult = {
      violations: { id: string; impact: string; help: string; nodes: { target: string[]; failureSummary: string }[] }[];
    };
    const r = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes
        .slice(0, 4)
        .map((n) => `${n.target.join(" ")} — ${n.failureSummary.split("\n").slice(1, 2).join("")}`),
    }));
  });
  return violations
    .filter((v) => v.impact === "critical" || v.impact === "serious")
    .map((v) => ({ where, rule: v.id, impact: v.impact, help: v.help, targets: v.targets }));
}

describe.skipIf(!browserAvailable())("accessibility (axe-core, WCAG 2.1 AA) on every page", () => {
  const app = useAppInBrowser();
  let memberEmail = "";
  const member: string[] = [];
  let inviteUrl = "";
  const adminPages = ["/admin", "/", "/network"];
  const workgroupSkills: string[] = [];

  beforeAll(async () => {
    const context = await app.browser.newContext();
    const base = app.server.url;
    const req = context.request;
    const login = await req.post(`${base}/api/auth/login`, {
      data: { email: app.server.adminEmail, password: app.server.adminPassword },
    });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const json = async <T>(p: string) => (await (await req.get(base + p)).json()) as T;
    const people = await json<{ items: { id: string; email: string; role: string }[] }>("/api/people?limit=100");
    const m = people.items.find((p) => p.role === "member")!;
    memberEmail = m.email;
    // A space the member may open too (the admin also sees the demo workgroups' private spaces).
    const spaces = await json<{ items: { id: string; visibility: string }[] }>("/api/spaces");
    const openSpace = spaces.items.find((s) => s.visibility === "public")!.id;
    const articles = await json<{ items: { id: string }[] }>("/api/articles");
    // The admin reads every question; the member's page needs one they may read too (not in a members-only community).
    const questions = await json<{ items: { id: string; communityId: string | null }[] }>("/api/questions");
    const lessons = await json<{ items: { id: string }[] }>("/api/lessons");
    const retros = await json<{ items: { id: string; spaceId: string | null }[] }>("/api/retrospectives");
    const communities = await json<{ items: { id: string; visibility: string }[] }>("/api/communities");
    const sessions = await json<{ items: { id: string; community: { visibility: string } | null }[] }>(
      "/api/sessions?when=past",
    );
    // The demo admin is asked for feedback (the answer form with its 1–5 scale).
    const feedback = await json<{ received: { id: string }[] }>("/api/feedback");
    adminPages.push(...feedback.received.map((f) => `/feedback/${f.id}`), "/feedback");
    // The mentor programme as those who run it see it (the review with its health chart).
    const programmes = await json<{ items: { id: string }[] }>("/api/mentoring/programmes");
    adminPages.push("/mentoring", `/mentoring/${programmes.items[0]!.id}`);
    // Learning paths: the published one with its analytics (the owner's view), and the list.
    const paths = await json<{ items: { id: string; status: string }[] }>("/api/paths");
    const publishedPath = paths.items.find((p) => p.status === "published")!.id;
    adminPages.push("/paths", `/paths/${publishedPath}`);
    const cohorts = await json<{ items: { id: string }[] }>("/api/cohorts");
    adminPages.push("/cohorts", `/cohorts/${cohorts.items[0]!.id}`);
    // The demo admin takes part in the demo's workgroups (an active one and a closed one).
    const workgroups = await json<{ items: { id: string; skills: string[] }[] }>("/api/workgroups");
    adminPages.push(
      "/workgroups",
      "/workgroups/new",
      "/templates",
      ...workgroups.items.map((w) => `/workgroups/${w.id}`),
    );
    workgroupSkills.push(...workgroups.items[0]!.skills);
    const invite = await (
      await req.post(`${base}/api/invitations`, {
        data: { email: "new.person@example.org", role: "member" },
        headers: { "x-csrf-token": csrfToken },
      })
    ).json();
    inviteUrl = new URL((invite as { url: string }).url, base).pathname;
    if (!inviteUrl.startsWith("/invite/")) throw new Error(`no invitation link: ${JSON.stringify(invite)}`);
    const article = articles.items[0]!.id;
    // The handbook page with comment threads (open ones, a highlighted passage, a resolved one folded away).
    const commented = (await json<{ items: { id: string; title: string }[] }>("/api/articles?limit=200")).items.find(
      (a) => a.title === "How we use Knowhow",
    )!.id;
    member.push(
      `/articles/${commented}#comments`,
      "/",
      "/spaces",
      `/spaces/${openSpace}`,
      `/spaces/${openSpace}/new`,
      `/articles/${article}`,
      `/articles/${article}/edit`,
      `/articles/${article}/history`,
      `/articles/${article}/capture`,
      "/trash",
      "/search",
      "/search?q=scanner",
      "/people",
      "/communities",
      `/communities/${communities.items.find((c) => c.visibility === "everyone")!.id}`,
      "/sessions",
      "/sessions?when=past",
      "/feedback",
      "/feedback/new",
      "/feedback/new?standing=1",
      "/mentoring",
      `/mentoring/${programmes.items[0]!.id}`,
      "/paths",
      `/paths/${publishedPath}`,
      "/cohorts",
      "/workgroups",
      "/workgroups/new",
      "/templates",
      `/sessions/${sessions.items.find((x) => x.community?.visibility !== "members")!.id}`,
      `/people/${m.id}`,
      `/people/${people.items[0]!.id}`,
      "/network",
      "/questions",
      "/questions/ask",
      `/questions/${questions.items.find((q) => q.communityId === null)!.id}`,
      "/inbox",
      "/verification",
      "/lessons",
      "/lessons/new",
      `/lessons/${lessons.items[0]!.id}`,
      "/retrospectives",
      // One the member may read too (a closed workgroup's retrospective lives in its private space).
      ...retros.items
        .filter((r) => r.spaceId === null)
        .slice(0, 1)
        .map((r) => `/retrospectives/${r.id}`),
      "/feed",
      "/journal",
      "/me/availability",
      "/no-such-page",
    );
    await context.close();
  });

  async function check(context: BrowserContext, paths: string[], label: string): Promise<Finding[]> {
    const page = await context.newPage();
    const found: Finding[] = [];
    for (const p of paths) {
      await page.goto(app.server.url + p);
      found.push(...(await axeFindings(page, `${label} ${p}`)));
    }
    await page.close();
    return found;
  }

  for (const [size, viewport] of Object.entries(SIZES)) {
    it(`signed out, ${size}: sign-in, setup, invitation`, async () => {
      const context = await app.browser.newContext({ viewport, bypassCSP: true });
      const found = await check(context, ["/login", "/setup", inviteUrl, "/questions"], `signed out ${size}`);
      await context.close();
      expect(found).toEqual([]);
    });

    it(`member, ${size}: every page, and the sidekick open`, async () => {
      const page = await app.signInOn(await app.browser.newContext({ viewport, bypassCSP: true }), memberEmail);
      const found = await check(page.context(), member, `member ${size}`);
      await page.goto(app.server.url + "/");
      await page.getByRole("heading", { level: 1 }).waitFor();
      await page.keyboard.press("Control+k");
      await page.getByRole("dialog", { name: "Sidekick" }).waitFor();
      await page.keyboard.type("scanner frozen on the login page");
      await page.getByRole("button", { name: "Find help" }).click();
      await page.getByRole("heading", { name: "People who know" }).waitFor();
      found.push(...(await axeFindings(page, `member ${size} sidekick`)));
      await page.context().close();
      expect(found).toEqual([]);
    });

    it(`admin, ${size}: admin pages`, async () => {
      const page = await app.signInOn(
        await app.browser.newContext({ viewport, bypassCSP: true }),
        app.server.adminEmail,
      );
      const found = await check(page.context(), adminPages, `admin ${size}`);
      await page.context().close();
      expect(found).toEqual([]);
    });

    it(`admin, ${size}: a proposed workgroup with a seat's alternatives open`, async () => {
      const page = await app.signInOn(
        await app.browser.newContext({ viewport, bypassCSP: true }),
        app.server.adminEmail,
      );
      await page.goto(`${app.server.url}/workgroups/new`);
      const form = page.getByRole("form", { name: "Describe the challenge" });
      await form.getByLabel("Title").fill("Accessibility check");
      for (const skill of workgroupSkills) {
        await form.getByLabel("Skills needed (up to 8)").fill(skill);
        await form.getByRole("button", { name: "Add skill", exact: true }).click();
      }
      await form.getByRole("button", { name: "Propose a group" }).click();
      await page.getByRole("region", { name: "Proposed group" }).getByTestId("wg-member").first().waitFor();
      await page
        .getByRole("button", { name: /^Swap / })
        .first()
        .click();
      const found = await axeFindings(page, `admin ${size} workgroup proposal`);
      await page.context().close();
      expect(found).toEqual([]);
    });
  }
});
