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

  it("the ask page suggests a community; asked there, a member's answer appears on the asker's open page live", async () => {
    const db = app.server.ctx.db;
    // The asker: a member in no community; the answerer: a member of WMS & scanners.
    const [asker] = await rows<{ email: string }>(
      db,
      sql`select u.email from users u where u.role = 'member'
            and not exists (select 1 from community_members m where m.user_id = u.id)
          order by u.email desc limit 1`,
    );
    const [member] = await rows<{ email: string }>(
      db,
      sql`select u.email from users u join community_members m on m.user_id = u.id
            join communities c on c.id = m.community_id
          where c.slug = 'wms-and-scanners' and m.role = 'member' and u.role = 'member'
            and u.email <> ${asker.email}
          order by u.email limit 1`,
    );
    const page = await app.signIn(asker.email);
    await page.goto(`${app.server.url}/questions/ask`);
    const title = "Scanner screen freezes after the night shift";
    await page.getByLabel("Your question in one sentence").fill(title);
    await page.getByLabel(/^Details/).fill("The handheld scanners in aisle F freeze after about eight hours. Reboot?");
    const suggested = page.getByRole("complementary", { name: "Communities to ask" });
    await suggested.getByRole("link", { name: "WMS & scanners" }).waitFor();
    await suggested.getByText(/topics: .*scanners/).waitFor();
    await snap(page, "64-ask-communities");
    await suggested.getByRole("button", { name: "Ask this community WMS & scanners" }).click();
    await suggested.getByText("Goes to this community").waitFor();
    expect(await page.getByLabel("Who it goes to").inputValue()).toMatch(/^community:/);
    await page.getByRole("button", { name: "Post question" }).click();
    await page.getByRole("heading", { name: title }).waitFor();
    const questionUrl = page.url();

    // A member of the community answers it in their own browser, from the community page.
    const them = await app.signIn(member.email);
    await them.goto(`${app.server.url}/communities`);
    await them
      .getByRole("link", { name: /WMS & scanners/ })
      .first()
      .click();
    await them.getByRole("region", { name: "Open questions" }).getByRole("link", { name: title }).click();
    await them
      .getByLabel("Your answer (Markdown)")
      .fill("Turn off **battery saver** in the scanner settings; it freezes.");
    await them.getByRole("button", { name: "Post answer" }).click();
    await them
      .getByTestId("answer")
      .getByText(/battery saver/)
      .waitFor();

    // The asker's page, never reloaded, shows it.
    await page
      .getByTestId("answer")
      .getByText(/battery saver/)
      .waitFor({ timeout: 60_000 });
    expect(page.url()).toBe(questionUrl);
    await snap(page, "65-live-answer");

    // The sidekick lists the communities to ask too.
    await page.getByRole("button", { name: /Sidekick/ }).click();
    const drawer = page.getByRole("dialog", { name: "Sidekick" });
    await drawer.getByLabel(/What are you stuck on/).fill("Our scanners lose Wi-Fi in the freezer aisle");
    await drawer.getByRole("button", { name: "Find help" }).click();
    await drawer.getByRole("heading", { name: "Communities to ask" }).waitFor();
    await drawer.getByRole("link", { name: "WMS & scanners", exact: true }).waitFor();
    await page.context().close();
    await them.context().close();
  });

  it("a knowledge manager creates a community that should exist; an invited colleague accepts in the inbox", async () => {
    const db = app.server.ctx.db;
    const [km] = await rows<{ id: string; email: string }>(
      db,
      sql`select u.id, u.email from users u where u.role = 'member' and u.department = 'People & Culture'
          order by u.email limit 1`,
    );
    await rows(db, sql`update users set knowledge_manager = true where id = ${km.id}`);
    const page = await app.signIn(km.email, { width: 390, height: 844 });
    await page.goto(`${app.server.url}/communities`);
    const panel = page.getByRole("region", { name: "Communities that should exist" });
    await panel.getByText(/across departments/).waitFor();
    await panel.getByText("Would invite:").waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await snap(page, "66-candidates-phone");
    await panel.getByRole("button", { name: "Create and invite customs" }).click();
    await page.getByRole("heading", { level: 1, name: /Customs/ }).waitFor();
    const invited = page.getByRole("region", { name: "Invited" });
    await invited.getByRole("link").first().waitFor();
    const firstInvited = (await invited.getByRole("link").first().textContent())!.trim();
    // The lead edits the purpose in the settings form.
    await page.getByRole("button", { name: "Settings" }).click();
    const form = page.getByRole("form", { name: "Community settings" });
    await form.getByLabel("Purpose (Markdown)").fill("Customs papers, brokers and border holds: **ask here first**.");
    await form.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("ask here first").waitFor();
    await page.context().close();

    const [seed] = await rows<{ id: string; email: string }>(
      db,
      sql`select id, email from users where name = ${firstInvited}`,
    );
    const them = await app.signIn(seed.email);
    await them.goto(`${app.server.url}/inbox`);
    const invitations = them.getByRole("region", { name: "Invitations to communities" });
    await invitations.getByRole("link", { name: "Customs", exact: true }).waitFor();
    await snap(them, "67-invitation-inbox");
    await invitations.getByRole("button", { name: "Accept Customs" }).click();
    await invitations.getByRole("link", { name: "Customs", exact: true }).waitFor({ state: "detached" });
    await them.goto(`${app.server.url}/people/${seed.id}`);
    await them
      .getByRole("region", { name: "Communities", exact: true })
      .getByRole("link", { name: "Customs", exact: true })
      .waitFor();
    await them.context().close();
  });
});
