import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "../src/platform/db";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

describe.skipIf(!browserAvailable())("communities of practice in Chromium", () => {
  const app = useAppInBrowser();

  it("a colleague finds a community, joins it, asks it a question; members-only stays hidden; phone layout", async () => {
    // A member in no community yet (so the members-only one is hidden from them).
    const [person] = await rows<{ email: string }>(
      app.server.ctx.db,
      sql`select u.email from users u where u.role = 'member'
            and not exists (select 1 from community_members m where m.user_id = u.id)
          order by u.email limit 1`,
    );
    const page = await app.signIn(person.email);
    await page.getByRole("link", { name: "Communities", exact: true }).first().click();
    await page.getByRole("heading", { name: "Communities of practice" }).waitFor();
    await page
      .getByRole("link", { name: /WMS & scanners/ })
      .first()
      .waitFor();
    expect(await page.getByText("Pricing & tenders circle").count()).toBe(0);
    await snap(page, "60-communities");

    await page
      .getByRole("link", { name: /WMS & scanners/ })
      .first()
      .click();
    await page.getByRole("heading", { level: 1, name: /WMS & scanners/ }).waitFor();
    const open = page.getByRole("region", { name: "Open questions" });
    await open.getByRole("link", { name: "Scanner drops off the Wi-Fi in the freezer aisle" }).waitFor();
    await page.getByRole("region", { name: "Health" }).getByText("Active members per month").waitFor();
    await page.getByRole("button", { name: "Join" }).click();
    await page.getByRole("button", { name: "Leave" }).waitFor();
    await page.getByRole("button", { name: "Follow questions in my inbox" }).click();
    await page.getByRole("button", { name: "Following questions in my inbox" }).waitFor();
    await page.goto(`${app.server.url}/inbox`);
    await page
      .getByRole("region", { name: "Open questions in communities you follow" })
      .getByRole("link", { name: "Scanner drops off the Wi-Fi in the freezer aisle" })
      .waitFor();
    await page.goBack();
    await page.getByRole("heading", { level: 1, name: /WMS & scanners/ }).waitFor();

    await page.getByRole("button", { name: "Ask this community" }).click();
    await page.getByLabel("Question", { exact: true }).fill("Label printer 2 skips every other label");
    await page.getByLabel("Details").fill("Since the new queue the printer at packing skips labels. Anyone seen this?");
    await page.getByRole("button", { name: "Ask", exact: true }).click();
    await page.getByRole("heading", { name: "Label printer 2 skips every other label" }).waitFor();
    await snap(page, "61-asked-community");

    // The ask page offers the communities the person may ask, beside everyone and their spaces.
    await page.goto(`${app.server.url}/questions/ask`);
    await page.getByLabel("Your question in one sentence").fill("Which scanner battery lasts a freezer shift?");
    await page.getByLabel(/^Details/).fill("The old ones die after two hours at minus 20.");
    await page.getByLabel("Who it goes to").selectOption({ label: "WMS & scanners" });
    await page.getByRole("button", { name: "Post question" }).click();
    await page.getByRole("heading", { name: "Which scanner battery lasts a freezer shift?" }).waitFor();
    await page.context().close();

    // On a phone the page is one column and still shows open questions, members and the health charts.
    const phone = await app.signIn(person.email, { width: 390, height: 844 });
    await phone.goto(`${app.server.url}/communities`);
    await phone
      .getByRole("link", { name: /WMS & scanners/ })
      .first()
      .click();
    await phone
      .getByRole("region", { name: "Open questions" })
      .getByText("Label printer 2 skips every other label")
      .waitFor();
    await phone
      .getByRole("region", { name: "Open questions" })
      .getByText("Which scanner battery lasts a freezer shift?")
      .waitFor();
    await phone.getByRole("region", { name: "Members" }).waitFor();
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await snap(phone, "62-community-phone");
    await phone.context().close();
  });

  it("a lead pins an open question and approves a request to join", async () => {
    const [lead] = await rows<{ email: string }>(
      app.server.ctx.db,
      sql`select u.email from users u join community_members m on m.user_id = u.id
            join communities c on c.id = m.community_id
          where c.slug = 'carriers-and-same-day' and m.role = 'lead' limit 1`,
    );
    const page = await app.signIn(lead.email);
    await page.goto(`${app.server.url}/communities`);
    await page
      .getByRole("link", { name: /Carriers & same-day/ })
      .first()
      .click();
    const title = "Which carrier for same-day pallets to Stavanger on Fridays?";
    await page
      .getByRole("button", { name: `Pin ${title}` })
      .first()
      .click();
    await page.getByRole("region", { name: "Pinned by the leads" }).getByRole("link", { name: title }).waitFor();
    const requests = page.getByRole("region", { name: "Requests to join" });
    const approve = requests.getByRole("button", { name: /^Approve / }).first();
    await approve.click();
    await page.getByRole("region", { name: "Requests to join" }).waitFor({ state: "detached" });
    await snap(page, "63-community-lead");
    await page.context().close();
  });
});
