import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "../src/platform/db";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

describe.skipIf(!browserAvailable())("questions and answers in Chromium", () => {
  const app = useAppInBrowser();

  it("asking shows what may already answer it; an expert answers; the asker accepts", async () => {
    const asker = await app.signIn(app.server.adminEmail);
    await asker.getByRole("link", { name: "Questions" }).click();
    await asker.getByRole("link", { name: "Ask a question" }).click();
    await asker.getByLabel("Your question in one sentence").fill("How do I reset a frozen handheld scanner?");
    const similar = asker.getByTestId("similar");
    await similar.getByRole("link", { name: /Resetting a handheld scanner/ }).waitFor();
    await asker
      .getByLabel("Details (Markdown): what you tried, what you expected")
      .fill("The screen is **frozen** on the login page.");
    await asker.getByLabel("Tags (comma separated)").fill("scanners");
    await snap(asker, "10-ask");
    await asker.getByRole("button", { name: "Post question" }).click();
    await asker.getByRole("heading", { name: "How do I reset a frozen handheld scanner?" }).waitFor();
    const url = asker.url();

    const [expert] = await rows<{ email: string }>(
      app.server.ctx.db,
      sql`select email from users where title = 'IT Support Technician' order by email limit 1`,
    );
    const e = await app.signIn(expert.email);
    await e.goto(url);
    await e.getByLabel("Your answer (Markdown)").fill("Hold power and volume-down for 12 seconds.");
    await e.getByRole("button", { name: "Post answer" }).click();
    await e.getByTestId("answer").getByText("Hold power and volume-down for 12 seconds.").waitFor();
    await e.getByRole("button", { name: "Up-vote question" }).click();
    await e.getByRole("button", { name: "Up-vote question", pressed: true }).waitFor();

    await asker.reload();
    await asker.getByRole("button", { name: "Accept this answer" }).click();
    await asker.getByText("✓ Accepted answer").waitFor();
    // An accepted answer is knowledge with an owner: it shows its verification and can be challenged.
    await asker
      .getByTestId("answer")
      .getByTestId("verification-badge")
      .getByText(/Verified|Due|Expired/)
      .waitFor();
    await asker
      .getByTestId("answer")
      .getByRole("region", { name: "Challenges" })
      .getByRole("button", { name: "Challenge this" })
      .waitFor();
    expect(await asker.getByTestId("answer").count()).toBe(1);
    await snap(asker, "11-accepted");
    await asker.goto(`${app.server.url}/questions`);
    await asker.getByRole("link", { name: "How do I reset a frozen handheld scanner?" }).waitFor();
    await asker.context().close();
    await e.context().close();
  });
});
