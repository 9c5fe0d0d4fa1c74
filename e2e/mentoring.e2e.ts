import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "../src/platform/db";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

describe.skipIf(!browserAvailable())("a mentor programme in Chromium", () => {
  const app = useAppInBrowser();

  it("from opt-in to an accepted match and a logged meeting; phone layout", async () => {
    // A mentor who has answered questions on a tag, and a mentee from another department outside their line.
    const [mentor] = await rows<{ id: string; email: string; name: string; department: string; tag: string }>(
      app.server.ctx.db,
      sql`select u.id, u.email, u.name, u.department, t.tag
          from answers a join questions q on q.id = a.question_id join users u on u.id = a.author_id,
            unnest(q.tags) t(tag)
          where u.role = 'member' and q.space_id is null and q.community_id is null
          group by u.id, u.email, u.name, u.department, t.tag order by count(*) desc, u.email limit 1`,
    );
    const [mentee] = await rows<{ email: string; name: string }>(
      app.server.ctx.db,
      sql`select email, name from users where role = 'member' and department <> ${mentor.department}
            and (manager_id is null or manager_id <> ${mentor.id})
            and id not in (select manager_id from users where id = ${mentor.id} and manager_id is not null)
            -- not already in one of the demo's pairs (the mentor's list would then name them twice)
            and id not in (select mentee_id from mentorships) and id not in (select mentor_id from mentorships)
          order by created_at desc, email limit 1`,
    );

    const admin = await app.signIn(app.server.adminEmail);
    await admin.getByRole("link", { name: "Mentoring", exact: true }).first().click();
    await admin.getByRole("heading", { level: 1, name: "Mentoring" }).waitFor();
    await admin.getByRole("button", { name: "New programme" }).click();
    const form = admin.getByRole("form", { name: "New programme" });
    await form.getByLabel("Name").fill("Spring mentoring");
    await form.getByLabel("Ends").fill("2031-06-30");
    await form.getByRole("button", { name: "Create programme" }).click();
    await admin.getByRole("heading", { level: 1, name: "Spring mentoring" }).waitFor();
    const programmeUrl = admin.url();

    const m = await app.signIn(mentor.email);
    await m.goto(programmeUrl);
    const optIn = m.getByRole("form", { name: "Take part" });
    await optIn.getByRole("radio", { name: "Mentor" }).check();
    await optIn.getByLabel("Topics I offer (comma-separated)").fill(mentor.tag);
    await optIn.getByRole("button", { name: "Opt in" }).click();
    await optIn.getByRole("button", { name: "Save" }).waitFor();

    const e = await app.signIn(mentee.email);
    await e.goto(programmeUrl);
    const menteeForm = e.getByRole("form", { name: "Take part" });
    await menteeForm.getByRole("radio", { name: "Mentee" }).check();
    await menteeForm.getByLabel("What I want to learn (topics)").fill(mentor.tag);
    await menteeForm.getByLabel("My goal, in a few words").fill("Answer the usual questions myself.");
    await menteeForm.getByRole("button", { name: "Opt in" }).click();
    // The mentor shows among the suggestions, with the reason.
    const suggested = e.getByRole("region", { name: "Mentors for your goals" });
    await suggested.getByText(mentor.name).first().waitFor();
    await suggested.getByRole("button", { name: "I'd like this mentor" }).first().click();
    await suggested.getByRole("button", { name: /My choice no. 1/ }).waitFor();

    await admin.reload();
    await admin.getByRole("button", { name: "Run the matching" }).click();
    await admin.getByRole("status").filter({ hasText: "1 new proposal" }).waitFor();
    await admin.getByRole("region", { name: "Programme health" }).waitFor();
    await snap(admin, "80-mentoring-review");

    await e.reload();
    const mine = e.getByRole("region", { name: "My matches" });
    await mine.getByText(mentor.name).waitFor();
    await mine.getByRole("button", { name: "Accept" }).click();
    await mine.getByText(`You accepted; waiting for ${mentor.name}.`).waitFor();

    await m.goto(`${app.server.url}/mentoring`);
    const mentorList = m.getByRole("region", { name: "My mentoring" });
    await mentorList.getByRole("button", { name: "Accept" }).first().click();
    await mentorList.getByText("Running").first().waitFor();
    await mentorList.getByRole("link", { name: mentee.name }).first().click();
    await m.getByRole("heading", { level: 1, name: `${mentee.name} ← ${mentor.name}` }).waitFor();
    const log = m.getByRole("form", { name: "Log a meeting" });
    await log.getByLabel("Minutes").fill("40");
    await log.getByLabel("What we talked about").fill("Went through the first week's questions.");
    await expect.poll(() => log.getByLabel("Minutes").inputValue()).toBe("40");
    await log.getByRole("button", { name: "Log meeting" }).click();
    await m.getByRole("listitem").filter({ hasText: "Went through the first week's questions." }).first().waitFor();
    // The meeting is stored once, with its 40 minutes; the page's total follows.
    await expect
      .poll(async () =>
        rows<{ n: number; minutes: number }>(
          app.server.ctx.db,
          sql`select count(*)::int as n, coalesce(sum(g.minutes), 0)::int as minutes from mentorship_meetings g
              join mentorships p on p.id = g.mentorship_id join users u on u.id = p.mentee_id where u.email = ${mentee.email}`,
        ).then((r) => `${r[0].n} / ${r[0].minutes}`),
      )
      .toBe("1 / 40");
    await m.reload();
    await m.getByText(/1 meeting, 40 minutes together/).waitFor();
    const pairUrl = m.url();
    await m.context().close();
    await admin.context().close();
    await e.context().close();

    const phone = await app.signIn(mentee.email, { width: 390, height: 844 });
    await phone.goto(pairUrl);
    await phone.getByText("Went through the first week's questions.").waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.goto(programmeUrl);
    await phone.getByRole("region", { name: "My matches" }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await snap(phone, "81-mentoring-phone");
    await phone.context().close();
  });
});
