import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "../src/platform/db";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

describe.skipIf(!browserAvailable())("feedback in Chromium", () => {
  const app = useAppInBrowser();

  it("three colleagues answer anonymously from their inbox; the asker reads the released answers and shares a summary; phone layout", async () => {
    const people = await rows<{ email: string; name: string }>(
      app.server.ctx.db,
      sql`select email, name from users where role = 'member' and deactivated_at is null and import_key is null
          order by email limit 4`,
    );
    const [askerP, ...colleagues] = people;
    const title = "My draft of the packing guide";

    const asker = await app.signIn(askerP.email);
    await asker.getByRole("link", { name: "Feedback", exact: true }).first().click();
    await asker.getByRole("heading", { level: 1, name: "Feedback" }).waitFor();
    await asker.getByRole("link", { name: "Ask for feedback" }).click();
    const form = asker.getByRole("form", { name: "Ask for feedback" });
    await form.getByLabel("Title", { exact: true }).fill(title);
    await form.getByLabel("Description (Markdown)").fill("Draft for the new packing guide: **two pages**.");
    for (const c of colleagues) {
      await form.getByLabel("People to ask").fill(c.name);
      await form
        .getByRole("option", { name: new RegExp(c.name) })
        .first()
        .click();
      await form.getByRole("button", { name: `Remove ${c.name}` }).waitFor();
    }
    expect(await form.getByLabel(/Anonymous/).isChecked()).toBe(true);
    await form.getByRole("button", { name: "Ask", exact: true }).click();
    await asker.getByRole("heading", { level: 1, name: title }).waitFor();
    const url = asker.url();
    await asker.getByText("0 of 3 answered, 0 released").waitFor();

    const answers = [
      { scale: "5", text: "Put the checklist first." },
      { scale: "4", text: "Photos of each step would help." },
      { scale: "3", text: "Too long for the floor." },
    ];
    for (const [i, c] of colleagues.entries()) {
      const page = await app.signIn(c.email);
      await page.goto(`${app.server.url}/inbox`);
      const section = page.getByRole("region", { name: /Feedback asked of you/ });
      await section.getByRole("link", { name: title }).click();
      const answer = page.getByRole("form", { name: "Your answer" });
      await answer.getByRole("radio", { name: answers[i].scale, exact: true }).check();
      await answer.getByLabel("What should I change?").fill(answers[i].text);
      await answer.getByRole("button", { name: "Send anonymously" }).click();
      await page.getByRole("status").filter({ hasText: "your answer is in" }).waitFor();
      expect(page.url()).toBe(url);
      if (i === 2) await snap(page, "80-feedback-answered");
      await page.context().close();
    }

    await asker.reload();
    await asker.getByText("3 of 3 answered, 3 released").waitFor();
    expect(await asker.getByTestId("mean-0").innerText()).toContain("Mean 4 of 5");
    for (const a of answers) await asker.getByText(a.text).waitFor();
    await snap(asker, "81-feedback-results");
    await asker.getByRole("button", { name: "Share a summary as a post" }).click();
    const share = asker.getByRole("form", { name: "Share" });
    const draft = await share.getByRole("textbox").inputValue();
    expect(draft).toContain("4 / 5");
    await share.getByRole("textbox").fill(`${draft}Checklist first, and photos.`);
    await share.getByRole("button", { name: "Post" }).click();
    await asker.getByRole("status").filter({ hasText: "Shared as a post." }).waitFor();
    const posted = await rows<{ body: string }>(
      app.server.ctx.db,
      sql`select p.body from posts p join users u on u.id = p.author_id
          where u.email = ${askerP.email} and p.body like ${`%${title}%`}`,
    );
    expect(posted).toHaveLength(1);
    expect(posted[0].body).toContain("Checklist first, and photos.");
    // Nothing the answerers wrote is posted unless the asker wrote it.
    expect(posted[0].body).not.toContain("Too long for the floor");
    await asker.context().close();

    const phone = await app.signIn(askerP.email, { width: 390, height: 844 });
    await phone.goto(url);
    await phone.getByText("3 of 3 answered, 3 released").waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await snap(phone, "82-feedback-phone");
    await phone.goto(`${app.server.url}/feedback/new`);
    await phone.getByRole("form", { name: "Ask for feedback" }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.context().close();
  });
});
