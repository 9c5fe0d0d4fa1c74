import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rows } from "../src/platform/db";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

describe.skipIf(!browserAvailable())("lessons learned, working out loud and the journal in Chromium", () => {
  const app = useAppInBrowser();
  let members: { email: string; name: string; id: string }[];
  beforeAll(async () => {
    members = await rows(
      app.server.ctx.db,
      sql`select email, name, id from users where role = 'member' order by email limit 2`,
    );
  });

  it("an anonymous mistake report is proposed to someone asking about the same thing; admins see the author for audit", async () => {
    const [writer, reader] = members;
    const w = await app.signIn(writer.email);
    await w.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Lessons learned" }).click();
    await w.getByRole("link", { name: "Share a lesson" }).click();
    await w.getByRole("heading", { name: "Share a lesson" }).waitFor();
    await w.getByLabel("Title", { exact: true }).fill("Reefer plugged into the wrong socket at dock 7");
    await w
      .getByLabel("What happened")
      .fill("A reefer was plugged into the 16 A socket at dock 7 and tripped the breaker overnight.");
    await w
      .getByLabel("What we learned")
      .fill("Dock 7 has one 32 A socket for reefers; the 16 A one is for the scrubber.");
    await w
      .getByLabel("What to do instead")
      .fill("Label the reefer socket at dock 7 and check the breaker at the end of the shift.");
    await w.getByLabel("Tags (comma separated)").fill("reefer, yard");
    await w.getByLabel(/Share anonymously/).check();
    await w.getByRole("button", { name: "Share lesson" }).click();
    await w.getByRole("heading", { name: "Reefer plugged into the wrong socket at dock 7" }).waitFor();
    const lessonUrl = w.url();

    const r = await app.signIn(reader.email);
    await r.goto(lessonUrl);
    await r.getByTestId("lesson-byline").getByText("Shared anonymously").waitFor();
    expect(await r.getByTestId("lesson-byline").textContent()).not.toContain(writer.name);
    // Starting similar work: asking about reefers proposes the lesson.
    await r.goto(`${app.server.url}/questions/ask`);
    await r.getByLabel("Your question in one sentence").fill("Which socket should a reefer use at dock 7?");
    await r
      .getByTestId("related-lessons")
      .getByRole("link", { name: /wrong socket at dock 7/ })
      .waitFor();
    await snap(r, "40-related-lesson");

    const admin = await app.signIn(app.server.adminEmail);
    await admin.goto(lessonUrl);
    await admin.getByTestId("lesson-byline").getByText(writer.name).waitFor();
    await admin.getByText(/shown to you for audit/).waitFor();
    for (const p of [w, r, admin]) await p.context().close();
  });

  it("a retrospective item becomes a lesson; posts, follows, reactions and comments; the journal shares and turns entries into lessons", async () => {
    const [a, b] = members;
    const pa = await app.signIn(a.email);
    await pa.goto(`${app.server.url}/retrospectives`);
    await pa.getByLabel("New retrospective for a project").fill("Warehouse move 2026");
    await pa.getByRole("button", { name: "Start" }).click();
    await pa.getByRole("heading", { name: "Warehouse move 2026" }).waitFor();
    await pa.getByLabel("Add a participant").fill(b.name.split(" ")[0]);
    await pa.getByRole("option", { name: new RegExp(b.name) }).click();
    await pa.getByText(new RegExp(`with ${b.name}`)).waitFor();
    await pa
      .getByRole("region", { name: "Went less well" })
      .getByLabel("Add to “Went less well”")
      .fill("Racking labels were printed too late");
    await pa.getByRole("region", { name: "Went less well" }).getByRole("button", { name: "Add" }).click();
    const item = pa.getByTestId("retro-item").filter({ hasText: "Racking labels were printed too late" });
    await item.getByRole("button", { name: "Make it a lesson" }).click();
    await item.getByLabel("What we learned").fill("Print racking labels a week before the move.");
    await item.getByRole("button", { name: "Save as lesson" }).click();
    await item.getByRole("link", { name: "lesson ✓" }).waitFor();
    await snap(pa, "41-retrospective");

    await pa.goto(`${app.server.url}/feed`);
    await pa.getByLabel("Post", { exact: true }).fill("Planning the **racking layout** for hall B");
    await pa.getByLabel("Tags (comma separated)").fill("racking");
    await pa.getByRole("button", { name: "Post", exact: true }).click();
    await pa.getByTestId("post").filter({ hasText: "Planning the racking layout" }).waitFor();

    const pb = await app.signIn(b.email);
    await pb.goto(`${app.server.url}/feed`);
    await pb.getByRole("tab", { name: "Everyone" }).click();
    const post = pb.getByTestId("post").filter({ hasText: "Planning the racking layout" });
    await post.getByRole("button", { name: "Follow" }).click();
    await post.getByRole("button", { name: "Following" }).waitFor();
    await post.getByRole("button", { name: "Insightful", exact: true }).click();
    await post.getByRole("button", { name: "Insightful 1" }).waitFor();
    await post.getByRole("textbox").fill("Happy to help with the aisle widths");
    await post.getByRole("textbox").press("Enter");
    await post.getByText("Happy to help with the aisle widths").waitFor();
    // Following a space brings its posts into the feed too.
    const [space] = await rows<{ id: string }>(
      app.server.ctx.db,
      sql`select id from spaces where visibility = 'public' order by name limit 1`,
    );
    await pb.goto(`${app.server.url}/spaces/${space.id}`);
    await pb.getByRole("button", { name: "Follow", exact: true }).click();
    await pb.getByRole("button", { name: "Following", exact: true }).waitFor();
    await pb.goto(`${app.server.url}/feed`);
    await pb.getByRole("tab", { name: "Following" }).click();
    await pb.getByTestId("post").filter({ hasText: "Planning the racking layout" }).waitFor();
    await snap(pb, "42-feed");

    await pa.goto(`${app.server.url}/journal`);
    await pa.getByRole("radio", { name: /Conversation/ }).click();
    await pa
      .getByRole("form", { name: "Journal entry" })
      .getByRole("textbox")
      .fill("Talking to the night shift showed me why labels go missing: the printer queue.");
    await pa.getByRole("button", { name: "Save entry" }).click();
    const entry = pa.getByTestId("journal-entry").first();
    await entry.getByText(/printer queue/).waitFor();
    await entry.getByRole("button", { name: "Share as post" }).click();
    await entry.getByText("shared").waitFor();
    await entry.getByRole("button", { name: "Turn into a lesson" }).click();
    await entry.getByLabel("Lesson title").fill("Labels go missing in the printer queue");
    await entry.getByRole("button", { name: "Create lesson" }).click();
    await entry.getByRole("link", { name: "lesson ✓" }).waitFor();
    await snap(pa, "43-journal");
    // Someone else cannot read the journal (their own is empty).
    await pb.goto(`${app.server.url}/journal`);
    expect(await pb.getByTestId("journal-entry").count()).toBe(0);

    await pa.goto(`${app.server.url}/people/${a.id}`);
    await pa
      .getByRole("region", { name: "Learning experiences" })
      .getByText(/Experience \d+/)
      .waitFor();
    await pa.getByRole("list", { name: "What it was" }).getByText("Working-out-loud posts").waitFor();
    await snap(pa, "44-learning");
    await pa.context().close();
    await pb.context().close();
  });
});
