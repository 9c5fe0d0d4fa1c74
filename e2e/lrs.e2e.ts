import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "../src/platform/db";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

describe.skipIf(!browserAvailable())("the Learning Record Store in Chromium", () => {
  const app = useAppInBrowser();

  it("an admin creates an LRS client; a tool records a course; the learner sees it among their records; phone layout", async () => {
    const [learner] = await rows<{ email: string }>(
      app.server.ctx.db,
      sql`select email from users where role = 'member' order by created_at, email limit 1`,
    );
    const admin = await app.signIn(app.server.adminEmail);
    await admin.goto(`${app.server.url}/admin`);
    const form = admin.getByRole("form", { name: "New LRS client" });
    await form.getByLabel("Client name").fill("Safety e-learning");
    await form.getByRole("button", { name: "Create client" }).click();
    const key = (await admin.getByTestId("lrs-key").textContent())!;
    const secret = (await admin.getByTestId("lrs-secret").textContent())!;
    await admin
      .getByRole("region", { name: "Learning Record Store clients" })
      .getByText("Safety e-learning")
      .first()
      .waitFor();
    await snap(admin, "94-lrs-clients");

    // The tool posts a statement for the learner (HTTP Basic with the new key and secret).
    const res = await admin.request.post(`${app.server.url}/xapi/statements`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString("base64")}`,
        "x-experience-api-version": "1.0.3",
        "content-type": "application/json",
      },
      data: {
        actor: { mbox: `mailto:${learner.email}` },
        verb: { id: "http://adlnet.gov/expapi/verbs/completed", display: { "en-US": "completed" } },
        object: {
          id: "http://lms.example.org/courses/pallet-jack-module-3",
          definition: { name: { "en-US": "Pallet jack, module 3" } },
        },
        result: { success: true },
      },
    });
    expect(res.status()).toBe(200);
    await admin.context().close();

    const l = await app.signIn(learner.email, { width: 390, height: 844 });
    await l.goto(`${app.server.url}/journal`);
    const records = l.getByRole("region", { name: "My learning records" });
    await records.getByText("Pallet jack, module 3").waitFor();
    await records
      .getByText(/Safety e-learning/)
      .first()
      .waitFor();
    expect(await l.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await snap(l, "95-learning-records-phone");
  });
});
