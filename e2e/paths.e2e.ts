import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "../src/platform/db";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

describe.skipIf(!browserAvailable())("learning paths in Chromium", () => {
  const app = useAppInBrowser();

  it("builds a path from search, assigns it, and a learner completes a step with a check; phone layout", async () => {
    // Two published articles in public spaces to build from, and a colleague to assign the path to.
    const picks = await rows<{ title: string }>(
      app.server.ctx.db,
      sql`select a.title from articles a join spaces s on s.id = a.space_id
          where a.status = 'published' and a.deleted_at is null and s.visibility = 'public'
          order by a.created_at, a.id limit 2`,
    );
    const [learner] = await rows<{ email: string; name: string }>(
      app.server.ctx.db,
      sql`select email, name from users where role = 'member' order by created_at desc, email limit 1`,
    );

    const admin = await app.signIn(app.server.adminEmail);
    await admin.getByRole("link", { name: "Learning paths", exact: true }).first().click();
    await admin.getByRole("heading", { level: 1, name: "Learning paths" }).waitFor();
    await admin.getByRole("button", { name: "New path" }).click();
    const form = admin.getByRole("form", { name: "New learning path" });
    await form.getByLabel("Title").fill("First week on the floor");
    await form.getByLabel("Goal (Markdown)").fill("Know the **two** things everyone asks about.");
    await form.getByLabel("Audience").fill("Newcomers");
    await form.getByRole("button", { name: "Create path" }).click();
    await admin.getByRole("heading", { level: 1, name: "First week on the floor" }).waitFor();
    const pathUrl = admin.url();

    // Add the first step from search, with a single-choice check.
    await admin.getByRole("button", { name: "Edit steps" }).click();
    const add = admin.getByRole("region", { name: "Add a step" });
    await add.getByLabel("Ask a single-choice question").check();
    await add.getByLabel("Question", { exact: true }).fill("Where is this written down?");
    await add.getByLabel("Options, one per line").fill("Nowhere\nIn Knowhow");
    await add.getByLabel("Number of the right option").fill("2");
    await add.getByLabel(/Search articles/).fill(picks[0].title);
    await add.getByRole("button", { name: "Search" }).click();
    await add
      .getByRole("button", { name: `Add ${picks[0].title}` })
      .first()
      .click();
    const steps = admin.getByRole("region", { name: "Steps" });
    await steps.getByText(picks[0].title).first().waitFor();
    await add.getByLabel(/Search articles/).fill(picks[1].title);
    await add.getByRole("button", { name: "Search" }).click();
    await add
      .getByRole("button", { name: `Add ${picks[1].title}` })
      .first()
      .click();
    await steps.getByRole("listitem", { name: `Step 2: ${picks[1].title}` }).waitFor();
    // Reorder by keyboard: step 2 up, then back down.
    await steps.getByRole("button", { name: "Move step 2 up" }).click();
    await steps.getByRole("listitem", { name: `Step 1: ${picks[1].title}` }).waitFor();
    await steps.getByRole("button", { name: "Move step 1 down" }).click();
    await steps.getByRole("listitem", { name: `Step 2: ${picks[1].title}` }).waitFor();
    await admin.getByRole("button", { name: "Done editing" }).click();
    await admin.getByRole("button", { name: "Publish" }).click();
    await admin.getByRole("button", { name: "Archive" }).waitFor();

    // Assign it to a colleague with a due date.
    const assign = admin.getByRole("form", { name: "Assign this path" });
    await assign.getByLabel("People to assign").fill(learner.name.slice(0, 5));
    await assign
      .getByRole("option", { name: new RegExp(learner.name) })
      .first()
      .click();
    await assign.getByLabel("Due on (optional)").fill("2030-01-15");
    await assign.getByRole("button", { name: "Assign" }).click();
    await assign.getByRole("status").filter({ hasText: "Assigned to 1 person" }).waitFor();
    await snap(admin, "90-path-author");
    await admin.context().close();

    // The learner finds it in the inbox, answers the check (wrong, then right) and marks the next step done.
    const l = await app.signIn(learner.email);
    await l.goto(`${app.server.url}/inbox`);
    await l
      .getByRole("region", { name: "Learning paths" })
      .getByRole("link", { name: "First week on the floor" })
      .click();
    await l.getByRole("heading", { level: 1, name: "First week on the floor" }).waitFor();
    await l.getByText("Due 2030-01-15").first().waitFor();
    const check = l.getByRole("form", { name: "Check: Where is this written down?" });
    await check.getByRole("radio", { name: "Nowhere" }).check();
    await check.getByRole("button", { name: "Check my answer" }).click();
    await l.getByRole("status").filter({ hasText: "Not quite" }).waitFor();
    await check.getByRole("radio", { name: "In Knowhow" }).check();
    await check.getByRole("button", { name: "Check my answer" }).click();
    await l.getByRole("status").filter({ hasText: "Done." }).waitFor();
    await l.getByRole("img", { name: "My progress: 1 of 2 steps" }).waitFor();
    await l.getByRole("button", { name: "Mark as done" }).click();
    await l.getByText("You completed this path.").waitFor();
    await l.getByRole("img", { name: "My progress: 2 of 2 steps" }).waitFor();

    // Formal learning now shows on the learner's own learning page.
    const [row] = await rows<{ n: number }>(
      app.server.ctx.db,
      sql`select count(*)::int as n from path_progress pr join path_enrolments e on e.id = pr.enrolment_id
          join users u on u.id = e.user_id join learning_paths p on p.id = e.path_id
          where u.email = ${learner.email} and p.title = 'First week on the floor' and pr.completed_at is not null`,
    );
    expect(Number(row.n)).toBe(2);
    await l.context().close();

    const phone = await app.signIn(learner.email, { width: 390, height: 844 });
    await phone.goto(pathUrl);
    await phone.getByText("You completed this path.").waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.goto(`${app.server.url}/paths`);
    await phone.getByRole("heading", { level: 1, name: "Learning paths" }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await snap(phone, "91-paths-phone");
  });
});
