import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rows } from "../src/platform/db";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

describe.skipIf(!browserAvailable())("ask for help: routed live to an expert, in two browsers", () => {
  const app = useAppInBrowser();
  beforeAll(async () => {
    // The journey must not depend on the hour CI runs at: everyone works any time, any day.
    await app.server.ctx.db.execute(
      sql`update users set work_start = 0, work_end = 0, work_days = '{1,2,3,4,5,6,7}', daily_cap = 100, availability = 'available'`,
    );
  });
  it("asker uses the sidekick; the expert sees the request appear live, answers; the asker accepts; search and the expert's profile show it", async () => {
    const problem =
      "The label printer at packing station 3 prints blank labels after the driver update. What fixes it?";
    // Who the router will ask first (the asker is the admin, who is left out).
    const [admin] = await rows<{ id: string }>(
      app.server.ctx.db,
      sql`select id from users where email = ${app.server.adminEmail}`,
    );
    const ranked = await app.server.ctx.expertise.rank(
      { text: problem, tags: ["printers"], at: new Date() },
      { readableAudiences: "all", limit: 1, exclude: new Set([admin.id]) },
    );
    const [expert] = await rows<{ id: string; email: string; name: string }>(
      app.server.ctx.db,
      sql`select id, email, name from users where id = ${ranked[0].personId}`,
    );

    // The expert has the inbox open before anything is asked.
    const e = await app.signIn(expert.email);
    await e.getByRole("link", { name: /^Inbox/ }).click();
    await e.getByRole("heading", { name: "Inbox" }).waitFor();
    await e.getByTestId("live-status").getByText("Live").waitFor();
    // Nothing waits for them yet (the demo's earlier requests, answered or declined, may be listed).
    await e
      .getByTestId("request")
      .first()
      .waitFor({ state: "attached", timeout: 5_000 })
      .catch(() => undefined);
    expect(await e.getByTestId("inbox-count").count()).toBe(0);

    // The asker describes the problem to the sidekick and asks in one click.
    const asker = await app.signIn(app.server.adminEmail);
    await asker.getByRole("button", { name: /Sidekick/ }).click();
    const drawer = asker.getByRole("dialog", { name: "Sidekick" });
    await drawer.getByLabel(/What are you stuck on/).fill(problem);
    await drawer.getByRole("button", { name: "Find help" }).click();
    await drawer.getByRole("heading", { name: "People who know" }).waitFor();
    await drawer.getByRole("link", { name: expert.name }).waitFor();
    await snap(asker, "20-sidekick");
    await drawer.getByRole("button", { name: "Ask the people who know" }).click();
    const routing = asker.getByTestId("routing");
    await routing.getByRole("link", { name: expert.name }).waitFor();
    await routing
      .getByText(/asked — no reply yet/)
      .first()
      .waitFor();
    const questionUrl = asker.url();
    const title = (await asker.getByRole("heading", { level: 1 }).textContent())!;

    // The request appears in the expert's inbox without a refresh, with why they were asked.
    const card = e.getByTestId("request").filter({ hasText: title });
    await card.waitFor({ timeout: 60_000 });
    await e.getByTestId("inbox-count").getByText("1").waitFor();
    await card.getByText("Why you").waitFor();
    await snap(e, "21-inbox-live");
    await card.getByRole("link", { name: "Answer" }).click();
    await e
      .getByLabel("Your answer (Markdown)")
      .fill("Roll the driver back to 5.2 and set the media type to **thermal transfer**, then calibrate.");
    await e.getByRole("button", { name: "Post answer" }).click();
    await e
      .getByTestId("answer")
      .getByText(/Roll the driver back to 5.2/)
      .waitFor();

    // The asker's open page shows the answer live and who answered; they accept it.
    await asker
      .getByTestId("answer")
      .getByText(/Roll the driver back to 5.2/)
      .waitFor({ timeout: 60_000 });
    expect(asker.url()).toBe(questionUrl);
    await routing.getByText("answered", { exact: false }).first().waitFor();
    await asker.getByRole("button", { name: "Accept this answer" }).click();
    await asker.getByText("✓ Accepted answer").waitFor();
    await snap(asker, "22-accepted");

    // The exchange is now knowledge: search finds it as an answered question.
    await asker.getByRole("combobox", { name: "Search Knowhow" }).fill("blank labels driver update");
    await asker.locator("#search-suggestions").getByText(title).first().waitFor();

    // The expert's profile shows the new evidence.
    await asker.goto(`${app.server.url}/people/${expert.id}`);
    const expertise = asker.getByRole("region", { name: "Expertise" });
    await expertise.getByTestId("topic").first().waitFor();
    for (const summary of await expertise.locator("summary").all()) await summary.click();
    await expertise.getByRole("link", { name: title }).first().waitFor();
    await snap(asker, "23-expert-profile");

    // The inbox works on a phone without sideways scrolling.
    await e.setViewportSize({ width: 390, height: 844 });
    await e.goto(`${app.server.url}/inbox`);
    await e.getByTestId("request").first().waitFor();
    expect(await e.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await asker.context().close();
    await e.context().close();
  });
  it("directory, availability, deflection, and declining or forwarding a request in the inbox", async () => {
    const [admin] = await rows<{ id: string }>(
      app.server.ctx.db,
      sql`select id from users where email = ${app.server.adminEmail}`,
    );
    const ranked = await app.server.ctx.expertise.rank(
      { text: "forklift battery charging", tags: ["forklift"], at: new Date() },
      { readableAudiences: "all", limit: 3, exclude: new Set([admin.id]) },
    );
    const [expert] = await rows<{ id: string; email: string; name: string }>(
      app.server.ctx.db,
      sql`select id, email, name from users where id = ${ranked[0].personId}`,
    );
    const page = await app.signIn(app.server.adminEmail);

    // Who knows…: the people directory ranks colleagues with the evidence for each.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "People", exact: true }).click();
    const who = page.getByRole("region", { name: "Who knows" });
    await who.getByLabel("A topic, a tool or a problem").fill("forklift battery charging");
    await who.getByTestId("expert").first().getByRole("link", { name: expert.name }).waitFor();
    await who.getByTestId("expert").first().getByRole("list", { name: "Why this person" }).waitFor();
    await snap(page, "24-who-knows");

    // Asking something already answered: the suggestion answers it, and that is counted.
    await page.goto(`${app.server.url}/questions/ask`);
    await page.getByLabel("Your question in one sentence").fill("Label printer skips labels at packing station");
    const similar = page.getByTestId("similar");
    await similar.getByRole("button", { name: "This answers my question" }).first().click();
    await similar
      .getByRole("status")
      .getByText(/no need to ask/)
      .waitFor();
    await page.goto(`${app.server.url}/questions`);
    await page
      .getByTestId("deflections")
      .getByText(/1 answered by existing knowledge/)
      .waitFor();

    // Two questions routed: one of the people asked declines the first as not their area, another (or the same)
    // forwards the second, in the inbox.
    const { routeQuestion } = await import("../src/modules/routing/routing.service");
    const [q1] = await rows<{ id: string }>(
      app.server.ctx.db,
      sql`insert into questions (title, body, tags, author_id) values ('Forklift charger shows error F3', 'The charger blinks F3.', '{forklift}', ${admin.id}) returning id`,
    );
    await routeQuestion(app.server.ctx, q1.id);
    const [q2] = await rows<{ id: string }>(
      app.server.ctx.db,
      sql`insert into questions (title, body, tags, author_id) values ('Forklift battery water level check', 'How often?', '{forklift}', ${admin.id}) returning id`,
    );
    await routeQuestion(app.server.ctx, q2.id);
    const firstAsked = async (questionId: string) =>
      (
        await rows<{ id: string; email: string; name: string }>(
          app.server.ctx.db,
          sql`select u.id, u.email, u.name from routing_requests r join users u on u.id = r.expert_id
              where r.question_id = ${questionId} order by u.name limit 1`,
        )
      )[0];
    const asked = await firstAsked(q1.id);
    const askedToo = await firstAsked(q2.id);
    const e = await app.signIn(asked.email);
    const e2 = askedToo.id === asked.id ? e : await app.signIn(askedToo.email);
    await e.goto(`${app.server.url}/inbox`);
    const card = e.getByTestId("request").filter({ hasText: "Forklift charger shows error F3" });
    await card.getByRole("button", { name: "Not my area" }).click();
    await card.getByText("Declined").waitFor();
    // Another one they forward to a colleague with a note.
    const [colleague] = await rows<{ id: string; name: string }>(
      app.server.ctx.db,
      sql`select id, name from users where id <> ${askedToo.id} and id <> ${admin.id} and role = 'member' and availability <> 'away'
          and id not in (select expert_id from routing_requests where question_id = ${q2.id}) order by name limit 1`,
    );
    await e2.goto(`${app.server.url}/inbox`);
    const card2 = e2.getByTestId("request").filter({ hasText: "Forklift battery water level check" });
    await card2.getByRole("button", { name: "Forward…" }).click();
    await card2.getByLabel("Forward to", { exact: true }).fill(colleague.name.split(" ")[0]);
    await card2.getByRole("option", { name: new RegExp(colleague.name) }).click();
    await card2.getByLabel("Note (optional)").fill("You did the battery training");
    await card2.getByRole("button", { name: "Forward", exact: true }).click();
    await card2.getByText("Forwarded").waitFor();

    // Going away: the profile shows it and the router leaves them out.
    await e.goto(`${app.server.url}/me/availability`);
    await e.getByLabel("Away").check();
    await e.getByLabel("Away until").fill("2099-01-31");
    await e.getByRole("button", { name: "Save" }).click();
    await e.getByRole("status").getByText("Saved.").waitFor();
    await e
      .getByText(/Away until 31 Jan/)
      .first()
      .waitFor();
    await snap(e, "25-availability");
    const [q3] = await rows<{ id: string }>(
      app.server.ctx.db,
      sql`insert into questions (title, body, tags, author_id) values ('Forklift battery swap procedure', 'Steps?', '{forklift}', ${admin.id}) returning id`,
    );
    const routed = await routeQuestion(app.server.ctx, q3.id);
    expect(routed.asked.map((a) => a.personId)).not.toContain(asked.id);
    expect(routed.skipped).toContainEqual({ personId: asked.id, reason: "away" });
    await page.context().close();
    await e.context().close();
    if (e2 !== e) await e2.context().close();
  });
});
