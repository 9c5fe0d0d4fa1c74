import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "../src/platform/db";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

describe.skipIf(!browserAvailable())("knowledge that stays true: challenge, revise, tell the readers", () => {
  const app = useAppInBrowser({ editor: "markdown" });

  it("a reader reads; a colleague challenges; the owner revises and answers; the earlier reader sees what changed", async () => {
    // An article of a public space, its owner, and two other members.
    const [article] = await rows<{ id: string; title: string; owner_email: string; owner_id: string }>(
      app.server.ctx.db,
      sql`select a.id, a.title, u.email as owner_email, u.id as owner_id from articles a join spaces s on s.id = a.space_id join users u on u.id = a.owner_id
          where s.visibility = 'public' and a.status = 'published' and a.deleted_at is null and u.role = 'member' order by a.title limit 1`,
    );
    const others = await rows<{ email: string }>(
      app.server.ctx.db,
      sql`select email from users where role = 'member' and id <> ${article.owner_id} order by email limit 2`,
    );
    const url = `${app.server.url}/articles/${article.id}`;

    const reader = await app.signIn(others[0].email);
    await reader.goto(url);
    await reader.getByRole("heading", { name: article.title }).waitFor();
    await reader.getByTestId("verification-badge").waitFor();

    const challenger = await app.signIn(others[1].email);
    await challenger.goto(url);
    const panel = challenger.getByRole("region", { name: "Challenges" });
    await panel.getByRole("button", { name: "Challenge this" }).click();
    await panel.getByLabel("What is wrong or outdated?").fill("The second step changed: we now scan before we print.");
    await panel.getByLabel(/Your evidence/).fill("Ops bulletin 14, last Monday");
    await panel.getByRole("button", { name: "Send challenge" }).click();
    await panel.getByTestId("challenge").getByText("The second step changed").waitFor();
    await panel.getByText("Open", { exact: true }).waitFor();
    await snap(challenger, "30-challenged");

    // The owner sees it in the inbox, revises the article, and answers the challenge as upheld.
    const owner = await app.signIn(article.owner_email);
    await owner.getByRole("link", { name: /^Inbox/ }).click();
    const waiting = owner.getByRole("region", { name: "Challenges waiting for you" });
    await waiting.getByRole("link", { name: article.title }).click();
    await owner.getByRole("link", { name: "Edit" }).click();
    const editor = owner.getByLabel("Markdown");
    await editor.waitFor();
    await editor.fill(`${await editor.inputValue()}\n\nUpdate: scan the parcel before printing the label.\n`);
    await owner.getByLabel("What did you change? (optional, shown in the history)").fill("Scan before print");
    await owner.getByRole("button", { name: /^Save/ }).first().click();
    await owner.getByRole("heading", { name: article.title }).waitFor();
    const ownerPanel = owner.getByRole("region", { name: "Challenges" });
    await ownerPanel.getByRole("button", { name: "Answer this challenge" }).click();
    await ownerPanel.getByLabel(/Upheld — I revised the article/).check();
    await ownerPanel.getByLabel(/What changed/).fill("Step 2 now says scan before print.");
    await ownerPanel.getByRole("button", { name: "Send answer" }).click();
    await ownerPanel.getByText("Upheld", { exact: true }).waitFor();
    await owner
      .getByTestId("verification-badge")
      .getByText(/Verified by/)
      .waitFor();

    // The earlier reader is told what changed, with a link to the changes.
    await reader.reload();
    const changed = reader.getByTestId("what-changed");
    await changed.getByText(/What changed since you read it/).waitFor();
    await changed.getByText(/Step 2 now says scan before print/).waitFor();
    await snap(reader, "31-what-changed");
    await changed.getByRole("link", { name: "see the changes" }).click();
    await reader
      .getByText(/Update: scan the parcel before printing the label/)
      .first()
      .waitFor();
    await reader.goBack();
    await reader.getByTestId("what-changed").getByRole("button", { name: "Got it" }).click();
    await reader.getByTestId("what-changed").waitFor({ state: "detached" });
    expect(await reader.getByTestId("what-changed").count()).toBe(0);

    // The knowledge review page shows the state of everything, with bulk actions.
    await owner.goto(`${app.server.url}/verification`);
    await owner.getByRole("heading", { name: "Knowledge review" }).waitFor();
    await owner.getByTestId("report-row").first().waitFor();
    await snap(owner, "32-review");
    for (const p of [reader, challenger, owner]) await p.context().close();
  });
});
