import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { rows } from "../src/platform/db";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

describe.skipIf(!browserAvailable())("knowledge-sharing sessions in Chromium", () => {
  const app = useAppInBrowser();

  it("a presenter announces a session; a colleague answers going and downloads the invitation; phone layout", async () => {
    const people = await rows<{ email: string }>(
      app.server.ctx.db,
      sql`select email from users where role = 'member' and deactivated_at is null order by email limit 2`,
    );
    const presenter = await app.signIn(people[0].email);
    await presenter.getByRole("link", { name: "Sessions", exact: true }).first().click();
    await presenter.getByRole("heading", { name: "Knowledge-sharing sessions" }).waitFor();
    await presenter.getByRole("button", { name: "Announce a session" }).click();
    const form = presenter.getByRole("form", { name: "Announce a session" });
    await form.getByLabel("Title").fill("Pallet wrapping without waste");
    await form.getByLabel("Abstract (Markdown)").fill("Less film, same **stability**.");
    await form.getByLabel("Starts").fill("2030-11-05T10:00");
    await form.getByLabel("Time zone").fill("Europe/Berlin");
    await form.getByLabel("Place").fill("Dock 3");
    await form.getByLabel("Capacity (empty: no limit)").fill("12");
    await form.getByLabel("Topics (comma-separated tags)").fill("packaging");
    await form.getByRole("button", { name: "Announce" }).click();
    await presenter.getByRole("heading", { level: 1, name: "Pallet wrapping without waste" }).waitFor();
    const url = presenter.url();
    await presenter.context().close();

    const colleague = await app.signIn(people[1].email);
    await colleague.goto(`${app.server.url}/sessions`);
    await colleague.getByRole("link", { name: "Pallet wrapping without waste" }).click();
    expect(colleague.url()).toBe(url);
    await colleague.getByRole("button", { name: "Going", exact: true }).click();
    await colleague.getByRole("status").filter({ hasText: "Going" }).waitFor();
    await colleague.getByText("1 going of 12 seats").first().waitFor();
    const [download] = await Promise.all([
      colleague.waitForEvent("download"),
      colleague.getByRole("link", { name: "Download invitation (.ics)" }).click(),
    ]);
    const text = readFileSync((await download.path())!, "utf8");
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent("vevent")!);
    expect(event.summary).toBe("Pallet wrapping without waste");
    // 10:00 in Berlin after the late-October change is 09:00 UTC.
    expect(event.startDate.toJSDate().toISOString()).toBe("2030-11-05T09:00:00.000Z");
    await snap(colleague, "70-session");
    await colleague.context().close();

    const phone = await app.signIn(people[1].email, { width: 390, height: 844 });
    await phone.goto(`${app.server.url}/sessions`);
    await phone.getByRole("link", { name: "Pallet wrapping without waste" }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.goto(url);
    await phone.getByRole("button", { name: "Going", exact: true }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await snap(phone, "71-session-phone");
    await phone.context().close();
  });

  it("a presenter edits the notes and turns the session into knowledge shown on their profile; a colleague raises a question", async () => {
    // A presenter who may write in a space (to create the article) and a colleague from elsewhere.
    const [writer] = await rows<{ id: string; email: string }>(
      app.server.ctx.db,
      sql`select u.id, u.email from users u join space_members m on m.user_id = u.id
          where u.role = 'member' and u.deactivated_at is null and m.role in ('owner', 'editor')
          order by u.email limit 1`,
    );
    const [colleague] = await rows<{ email: string }>(
      app.server.ctx.db,
      sql`select email from users where role = 'member' and deactivated_at is null and id <> ${writer.id}
          order by email desc limit 1`,
    );
    const title = "Cold-chain handover checklist";
    const presenter = await app.signIn(writer.email);
    await presenter.goto(`${app.server.url}/sessions`);
    await presenter.getByRole("button", { name: "Announce a session" }).click();
    const form = presenter.getByRole("form", { name: "Announce a session" });
    await form.getByLabel("Title").fill(title);
    await form.getByLabel("Starts").fill("2030-11-06T14:00");
    await form.getByLabel("Time zone").fill("Europe/Berlin");
    await form.getByLabel("Place").fill("Cold store office");
    await form.getByLabel("Topics (comma-separated tags)").fill("coldchainhandover");
    await form.getByRole("button", { name: "Announce" }).click();
    await presenter.getByRole("heading", { level: 1, name: title }).waitFor();
    const url = presenter.url();

    // The edit form comes prefilled; a change of place is saved.
    await presenter.getByRole("button", { name: "Edit details" }).click();
    const edit = presenter.getByRole("form", { name: "Edit the session" });
    expect(await edit.getByLabel("Title").inputValue()).toBe(title);
    await edit.getByLabel("Place").fill("Cold store office, door 2");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await presenter.getByText("Place: Cold store office, door 2").waitFor();

    await presenter.getByRole("button", { name: "Write notes" }).click();
    await presenter
      .getByRole("form", { name: "Edit the notes" })
      .getByLabel("Notes (Markdown)")
      .fill("## Checklist\n\n- Read the **logger** before signing the handover.");
    await presenter.getByRole("button", { name: "Save notes" }).click();
    await presenter.locator(".markdown strong", { hasText: "logger" }).waitFor();

    await presenter.getByRole("button", { name: "Create the article" }).click();
    await presenter.getByRole("heading", { level: 1, name: title }).waitFor();
    expect(presenter.url()).toContain("/articles/");
    await presenter.getByText("before signing the handover").first().waitFor();

    await presenter.goto(`${app.server.url}/people/${writer.id}`);
    const topic = presenter.getByTestId("topic").filter({ hasText: "#coldchainhandover" });
    await topic.getByText("Why").click();
    await topic.getByRole("link", { name: title }).waitFor();
    await snap(presenter, "72-session-evidence");
    await presenter.context().close();

    const asker = await app.signIn(colleague.email, { width: 390, height: 844 });
    await asker.goto(url);
    await asker.getByRole("heading", { level: 1, name: title }).waitFor();
    await asker.getByRole("button", { name: "Raise a question" }).click();
    const raise = asker.getByRole("form", { name: "Raise a question" });
    await raise.getByLabel("Question").fill("Who keeps the logger readings after the handover?");
    await raise.getByLabel("Details").fill("Asked at the session: do we archive them, and for how long?");
    await raise.getByRole("button", { name: "Ask it in Knowhow" }).click();
    const raised = asker.getByRole("link", { name: "Who keeps the logger readings after the handover?" });
    await raised.waitFor();
    await asker.getByText("Unanswered").waitFor();
    expect(await asker.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await snap(asker, "73-session-question-phone");
    await raised.click();
    await asker.getByRole("heading", { level: 1, name: "Who keeps the logger readings after the handover?" }).waitFor();
    expect(asker.url()).toContain("/questions/");
    await asker.context().close();
  });

  it("the demo shows a past session's notes, slides and raised question, and a cancelled session", async () => {
    const [member] = await rows<{ email: string }>(
      app.server.ctx.db,
      sql`select email from users where role = 'member' and deactivated_at is null order by email limit 1`,
    );
    const page = await app.signIn(member.email);
    await page.goto(`${app.server.url}/sessions?when=past`);
    await page.getByRole("link", { name: "Same-day cut-offs explained" }).click();
    await page.getByRole("heading", { level: 1, name: "Same-day cut-offs explained" }).waitFor();
    await page.locator(".markdown strong", { hasText: "DHL Express" }).waitFor();
    const slides = page.getByRole("link", { name: "same-day-cut-offs.md" });
    const [download] = await Promise.all([page.waitForEvent("download"), slides.click()]);
    expect(readFileSync((await download.path())!, "utf8")).toContain("| DHL Express | 15:30 |");
    await page.getByRole("link", { name: "Can the web shop hide same-day delivery after the last cut-off?" }).waitFor();
    await page.goto(`${app.server.url}/sessions`);
    // The demo's past sessions had attendees: the monthly chart's table alternative names them.
    await page.getByRole("table", { name: "Attendance across departments by month" }).waitFor();
    const cancelled = page.locator(".session-card").filter({ hasText: "Returns triage walkthrough" });
    await cancelled.getByText("Cancelled").waitFor();
    await cancelled.getByRole("link", { name: "Returns triage walkthrough" }).click();
    await page.getByText("This session was cancelled.").waitFor();
    expect(await page.getByRole("button", { name: "Going", exact: true }).count()).toBe(0);
    await page.context().close();
  });
});
