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
});
