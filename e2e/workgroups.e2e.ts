import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "../src/platform/db";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

describe.skipIf(!browserAvailable())("forming a workgroup in Chromium", () => {
  const app = useAppInBrowser();

  it("from a challenge to a confirmed group, its space and its retrospective; phone layout", async () => {
    // The three organisation-wide tags answered by the most people: skills the demo holds, with several holders.
    const tags = await rows<{ tag: string }>(
      app.server.ctx.db,
      sql`select t.tag from answers a join questions q on q.id = a.question_id, unnest(q.tags) t(tag)
          where q.space_id is null and q.community_id is null
          group by t.tag order by count(distinct a.author_id) desc, t.tag limit 3`,
    );
    expect(tags).toHaveLength(3);
    const skills = tags.map((t) => t.tag);

    const admin = await app.signIn(app.server.adminEmail);
    await admin.getByRole("link", { name: "Workgroups", exact: true }).first().click();
    await admin.getByRole("heading", { level: 1, name: "Workgroups" }).waitFor();
    await admin.getByRole("link", { name: "Form a workgroup" }).click();
    await admin.getByRole("heading", { level: 1, name: "Form a workgroup" }).waitFor();
    const form = admin.getByRole("form", { name: "Describe the challenge" });

    // Bad input: the API's field error shows beside the field.
    await form.getByRole("button", { name: "Propose a group" }).click();
    await form.getByText("must be at least 3 characters").waitFor();

    await form.getByLabel("Title").fill("Peak readiness task force");
    await form
      .getByLabel("The challenge (Markdown)")
      .fill(`Get ready for peak: we need people who know ${skills.join(", ")} and can start next week.`);
    await expect.poll(() => form.getByLabel("Title").inputValue()).toBe("Peak readiness task force");
    await form.getByRole("button", { name: "Suggest skills" }).click();
    const chips = form.getByRole("group", { name: "Skills needed" });
    await chips
      .getByRole("button", { name: /^Remove skill / })
      .first()
      .waitFor();
    const suggested = (await chips.getByRole("button").allTextContents()).map((t) => t.replace(/ ×$/, ""));
    expect(suggested.some((s) => skills.includes(s))).toBe(true);
    // Keep the three named skills only: remove the others, add any the suggestion left out.
    for (const skill of suggested)
      if (!skills.includes(skill)) await chips.getByRole("button", { name: `Remove skill ${skill}` }).click();
    for (const skill of skills)
      if (!suggested.includes(skill)) {
        await form.getByLabel("Skills needed (up to 8)").fill(skill);
        await form.getByRole("button", { name: "Add skill", exact: true }).click();
      }
    for (const skill of skills) await chips.getByRole("button", { name: `Remove skill ${skill}` }).waitFor();
    expect(await chips.getByRole("button").count()).toBe(3);
    await form.getByLabel("Group size").fill("4");
    await form.getByRole("button", { name: "Propose a group" }).click();

    const proposed = admin.getByRole("region", { name: "Proposed group" });
    await proposed.getByTestId("wg-member").first().waitFor();
    const members = proposed.getByTestId("wg-member");
    expect(await members.count()).toBe(4);
    await admin.getByRole("region", { name: "Coverage" }).getByRole("table").waitFor();
    const costWords = admin.getByTestId("wg-cost-words");
    await costWords.getByText(/RarestFirst/).waitFor();
    await snap(admin, "90-workgroup-proposal");
    await admin.getByRole("region", { name: "How well they know each other" }).scrollIntoViewIfNeeded();
    await snap(admin, "90b-workgroup-cost");

    // Swap a seat for one of its alternatives: the group, coverage and cost follow.
    const swap = proposed.getByRole("button", { name: /^Swap / }).first();
    const seatName = (await swap.getAttribute("aria-label"))!.replace(/^Swap /, "");
    await swap.click();
    const take = proposed.getByRole("button", { name: /^Choose .* instead of / }).first();
    const label = (await take.getAttribute("aria-label"))!;
    const newcomer = /^Choose (.*) instead of /.exec(label)![1];
    const costBefore = await costWords.textContent();
    await take.click();
    await admin
      .getByRole("status")
      .filter({ hasText: `${newcomer} takes the seat` })
      .waitFor();
    await proposed.getByRole("link", { name: newcomer }).first().waitFor();
    expect(await proposed.getByRole("link", { name: seatName, exact: true }).count()).toBe(0);
    expect(typeof costBefore).toBe("string");
    await costWords.waitFor();

    await admin.getByRole("button", { name: "Confirm workgroup" }).click();
    await admin.getByRole("heading", { level: 1, name: "Peak readiness task force" }).waitFor();
    expect(admin.url()).toMatch(/\/workgroups\/[0-9a-f-]{36}$/);
    const groupUrl = admin.url();
    await admin.getByRole("region", { name: "People" }).getByRole("link", { name: newcomer }).waitFor();
    await admin.getByRole("region", { name: "Coverage" }).waitFor();
    await snap(admin, "91-workgroup-page");

    // Its private space, then back to close it with a retrospective.
    await admin.getByRole("region", { name: "Where the group works" }).getByRole("link").first().click();
    await admin.getByRole("heading", { level: 1, name: "Peak readiness task force" }).waitFor();
    expect(admin.url()).toMatch(/\/spaces\//);
    await admin.goto(groupUrl);
    await admin.getByRole("button", { name: "Close with a retrospective" }).click();
    await admin.getByRole("link", { name: "Open the retrospective" }).click();
    await admin.getByRole("heading", { level: 1, name: "Retrospective: Peak readiness task force" }).waitFor();
    await admin.goto(`${app.server.url}/workgroups`);
    await admin
      .getByRole("region", { name: "Closed" })
      .getByRole("link", { name: "Peak readiness task force" })
      .waitFor();
    await snap(admin, "93-workgroups-list");
    await admin.context().close();

    const phone = await app.signIn(app.server.adminEmail, { width: 390, height: 844 });
    await phone.goto(groupUrl);
    await phone.getByRole("region", { name: "Coverage" }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.goto(`${app.server.url}/workgroups/new`);
    const phoneForm = phone.getByRole("form", { name: "Describe the challenge" });
    await phoneForm.getByLabel("Title").fill("Phone check");
    for (const s of skills) {
      await phoneForm.getByLabel("Skills needed (up to 8)").fill(s);
      await phoneForm.getByRole("button", { name: "Add skill", exact: true }).click();
    }
    await phoneForm.getByRole("button", { name: "Propose a group" }).click();
    await phone.getByRole("region", { name: "Proposed group" }).getByTestId("wg-member").first().waitFor();
    await phone
      .getByRole("button", { name: /^Swap / })
      .first()
      .click();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await snap(phone, "92-workgroup-phone");
    await phone.context().close();
  });
});
