import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "../src/platform/db";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

/**
 * A session's announcement reaches people in other departments who asked about its topic (inbox and
 * feed), the presenter sees how far it reached, and sessions show on the learning page and, when
 * chosen, in the network map.
 */
describe.skipIf(!browserAvailable())("a session's audience in Chromium", () => {
  const app = useAppInBrowser();

  it("someone from another department who asked about the topic is told of the session and answers going", async () => {
    // A member who asked a question on a tag, and a presenter from another department.
    const [asker] = await rows<{ id: string; email: string; department: string; tag: string }>(
      app.server.ctx.db,
      sql`select u.id, u.email, u.department, q.tags[1] as tag from questions q join users u on u.id = q.author_id
          where u.role = 'member' and u.deactivated_at is null and u.department <> '' and q.deleted_at is null
            and q.space_id is null and q.community_id is null and cardinality(q.tags) > 0
          order by q.created_at limit 1`,
    );
    const [presenter] = await rows<{ email: string }>(
      app.server.ctx.db,
      sql`select email from users where role = 'member' and deactivated_at is null and department <> ''
            and department <> ${asker.department} order by email limit 1`,
    );
    const title = `Field notes on ${asker.tag}`;
    const page = await app.signIn(presenter.email);
    await page.goto(`${app.server.url}/sessions`);
    await page.getByRole("button", { name: "Announce a session" }).click();
    const form = page.getByRole("form", { name: "Announce a session" });
    await form.getByLabel("Title").fill(title);
    await form.getByLabel("Starts").fill("2031-03-04T14:00");
    await form.getByLabel("Time zone").fill("Europe/London");
    await form.getByLabel("Link").fill("https://meet.example.com/field-notes");
    await form.getByLabel("Topics (comma-separated tags)").fill(asker.tag);
    await form.getByRole("button", { name: "Announce" }).click();
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    // The presenter sees how far the announcement reached, the asker's department among them.
    const reach = page.getByText(/The announcement reaches/);
    await reach.waitFor();
    expect(await reach.textContent()).toContain(asker.department);
    const url = page.url();
    await page.context().close();

    const colleague = await app.signIn(asker.email);
    await colleague.goto(`${app.server.url}/feed`);
    const onFeed = colleague.getByRole("region", { name: "Sessions on your topics" });
    await onFeed.getByRole("link", { name: title }).waitFor();
    await colleague.goto(`${app.server.url}/inbox`);
    const inInbox = colleague.getByRole("region", { name: "Sessions on your topics" });
    await inInbox.getByRole("link", { name: title }).click();
    expect(colleague.url()).toBe(url);
    await colleague.getByRole("button", { name: "Going", exact: true }).click();
    await colleague.getByRole("status").filter({ hasText: "Going" }).waitFor();
    // Answered: no longer announced to them.
    await colleague.goto(`${app.server.url}/inbox`);
    await colleague.getByRole("heading", { level: 1 }).first().waitFor();
    await colleague.waitForLoadState("networkidle");
    expect(await colleague.getByRole("link", { name: title }).count()).toBe(0);
    await colleague.context().close();
  });

  it("attending a session shows on the learning page, and the network map can count sessions attended", async () => {
    const [attendee] = await rows<{ id: string; email: string }>(
      app.server.ctx.db,
      sql`select u.id, u.email from session_rsvps r join users u on u.id = r.user_id
            join sharing_sessions s on s.id = r.session_id
          where r.checked_in_at is not null and s.community_id is null and u.role = 'member'
            and s.starts_at > now() - interval '150 days'
          order by s.starts_at desc limit 1`,
    );
    expect(attendee, "the demo organisation has attended sessions").toBeDefined();
    const page = await app.signIn(attendee.email);
    await page.goto(`${app.server.url}/people/${attendee.id}`);
    const kinds = page.getByRole("list", { name: "What it was" });
    await kinds.getByText("Sessions attended").waitFor();
    await page.context().close();

    const admin = await app.signIn(app.server.adminEmail);
    await admin.goto(`${app.server.url}/network`);
    await admin.locator(".map-toolbar select").first().selectOption("app");
    const sessions = admin.getByRole("checkbox", { name: "Sessions attended" });
    await sessions.waitFor();
    expect(await sessions.isChecked()).toBe(false);
    const reloaded = admin.waitForResponse((r) => r.url().includes("edges=") && r.url().includes("sessions"));
    await sessions.check();
    const res = await reloaded;
    expect(res.status()).toBe(200);
    expect(((await res.json()) as { edgeTypes: string[] }).edgeTypes).toContain("sessions");
    await snap(admin, "72-network-sessions");
    await admin.context().close();
  });
});
