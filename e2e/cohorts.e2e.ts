import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "../src/platform/db";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

describe.skipIf(!browserAvailable())("a cohort in Chromium", () => {
  const app = useAppInBrowser();

  it("splits a cohort into units, ends a phase and reshuffles with new leads; phone layout", async () => {
    // Nine colleagues from three departments, and the demo's published path.
    const people = await rows<{ name: string; email: string; department: string }>(
      app.server.ctx.db,
      sql`select name, email, department from (
            select name, email, department, row_number() over (partition by department order by created_at, email) as k
            from users where role = 'member' and department <> '') t
          where k <= 3 order by department, name limit 9`,
    );
    const [path] = await rows<{ id: string }>(
      app.server.ctx.db,
      sql`select id from learning_paths where status = 'published' order by created_at limit 1`,
    );
    const admin = await app.signIn(app.server.adminEmail);
    await admin.getByRole("link", { name: "Cohorts", exact: true }).first().click();
    await admin.getByRole("heading", { level: 1, name: "Cohorts" }).waitFor();
    await admin.getByRole("button", { name: "New cohort" }).click();
    const form = admin.getByRole("form", { name: "New cohort" });
    await form.getByLabel("Name").fill("Autumn newcomers");
    await form.getByLabel("Learning path").selectOption(path.id);
    await form.getByLabel("People per unit").fill("3");
    for (const p of people) {
      await form.getByLabel("Members").fill(p.name.split(" ")[0]);
      await form
        .getByRole("option", { name: new RegExp(p.name) })
        .first()
        .click();
    }
    const phase1 = form.getByRole("group", { name: "Phase 1" });
    await phase1.getByLabel("Starts").fill("2030-01-07");
    await phase1.getByLabel("Ends").fill("2030-01-18");
    await form.getByRole("button", { name: "Add a phase" }).click();
    const phase2 = form.getByRole("group", { name: "Phase 2" });
    await phase2.getByLabel("Ends").fill("2030-02-01");
    await form.getByRole("button", { name: "Create and propose units" }).click();
    await admin.getByRole("heading", { level: 1, name: "Autumn newcomers" }).waitFor();

    // Phase 1: three units of three, proposed with reasons; start it.
    const p1 = admin.getByRole("region", { name: /Phase 1/ });
    await p1.getByRole("listitem", { name: "Unit 3" }).waitFor();
    await admin.getByRole("button", { name: "Start phase 1" }).click();
    await p1.getByText("Running").waitFor();
    const unitsOf = async (phase: typeof p1) =>
      phase.evaluate((el) =>
        Array.from(el.querySelectorAll('li[aria-label^="Unit"]')).map((u) => {
          const rows = Array.from(u.querySelectorAll("ul.plain-list > li"));
          return {
            members: rows.map((li) => li.querySelector("a")?.textContent ?? ""),
            lead: rows.find((li) => li.textContent?.includes("Lead"))?.querySelector("a")?.textContent ?? "",
          };
        }),
      );
    const first = await unitsOf(p1);
    expect(first.map((u) => u.members.length)).toEqual([3, 3, 3]);
    const firstLeads = first.map((u) => u.lead);
    expect(firstLeads.every(Boolean)).toBe(true);

    // Between phases: propose, then end phase 1 and start phase 2.
    await admin.getByRole("button", { name: "Propose units for phase 2" }).click();
    const p2 = admin.getByRole("region", { name: /Phase 2/ });
    await p2.getByText("Proposed").waitFor();
    await p2.getByText(/0 repeated/).waitFor();
    await snap(admin, "92-cohort-proposal");
    await admin.getByRole("button", { name: "End phase 1 and start phase 2" }).click();
    await p2.getByText("Running").waitFor();
    // Nobody meets the same colleague twice, and no unit keeps a lead of phase 1 while someone else can lead.
    const second = await unitsOf(p2);
    for (const u of second) {
      for (const f of first) expect(u.members.filter((m) => f.members.includes(m)).length).toBeLessThanOrEqual(1);
      if (u.members.some((m) => !firstLeads.includes(m))) expect(firstLeads).not.toContain(u.lead);
    }
    await admin.context().close();

    // A member sees their unit; the page fits a phone.
    const phone = await app.signIn(people[0].email, { width: 390, height: 844 });
    await phone.goto(`${app.server.url}/cohorts`);
    await phone.getByRole("link", { name: "Autumn newcomers" }).click();
    await phone.getByText("Your unit").waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await snap(phone, "93-cohort-phone");
  });
});
