import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { rows } from "../src/platform/db";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4ad0000000049454e44ae426082",
  "hex",
);
const BODY = [
  "## Replacing the pump seal",
  "",
  "1. Switch the pump off at the panel.",
  "2. Close valves V1 and V2.",
  "",
  "Wear gloves: the fluid is hot.",
  "",
  "Call maintenance if the seal is cracked.",
  "",
].join("\n");

describe.skipIf(!browserAvailable())("three-way merge of simultaneous edits, and files before the first save", () => {
  const app = useAppInBrowser({ editor: "markdown" });
  let ana: { email: string; name: string };
  let ben: { email: string; name: string };
  let spaceId = "";

  beforeAll(async () => {
    [ana, ben] = await rows<{ email: string; name: string }>(
      app.server.ctx.db,
      sql`select email, name, id from users where role = 'member' order by email limit 2`,
    );
    const [space] = await rows<{ id: string }>(
      app.server.ctx.db,
      sql`select id from spaces where visibility = 'public' order by name limit 1`,
    );
    spaceId = space.id;
    // Both write in this space.
    await rows(
      app.server.ctx.db,
      sql`insert into space_members (space_id, user_id, role)
          select ${spaceId}, id, 'editor' from users where email in (${ana.email}, ${ben.email})
          on conflict (space_id, user_id) do update set role = 'editor'`,
    );
  });

  async function writeArticle(page: Page, title: string) {
    await page.goto(`${app.server.url}/spaces/${spaceId}/new`);
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Markdown").fill(BODY);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByRole("heading", { name: title }).waitFor();
    return page.url();
  }
  const markdown = (page: Page) => page.getByLabel("Markdown");

  it("merges a colleague's edit elsewhere by itself and lets the second editor choose on the line both changed", async () => {
    const pa = await app.signIn(ana.email);
    const pb = await app.signIn(ben.email);
    const url = await writeArticle(pa, "Pump seal drill");
    await pa.goto(`${url}/edit`);
    await pb.goto(`${url}/edit`);
    await markdown(pa).waitFor();
    await markdown(pb).waitFor();

    await markdown(pa).fill(
      BODY.replace("1. Switch the pump", "1. Lock out and switch the pump").replace(
        "Wear gloves:",
        "Wear heat-proof gloves:",
      ),
    );
    await pa.getByRole("button", { name: "Save", exact: true }).click();
    await pa.getByTestId("article-body").getByText("Lock out and switch").waitFor();

    await markdown(pb).fill(
      BODY.replace("Wear gloves:", "Wear gloves and goggles:").replace("Call maintenance", "Call maintenance (4411)"),
    );
    await pb.getByRole("button", { name: "Save", exact: true }).click();
    await pb.getByRole("heading", { name: "Someone saved a newer version" }).waitFor();
    expect(await pb.getByRole("status").textContent()).toContain("1 place changed on both sides");
    const conflict = pb.getByRole("region", { name: "Conflict 1 of 1" });
    expect(await conflict.getByTestId("theirs").textContent()).toBe("Wear heat-proof gloves: the fluid is hot.");
    expect(await conflict.getByTestId("mine").textContent()).toBe("Wear gloves and goggles: the fluid is hot.");
    // The proposed text already has Ana's other edit and Ben's, and both sides of the overlap between markers.
    const proposed = pb.getByLabel("Proposed text");
    const before = await proposed.inputValue();
    expect(before).toContain("1. Lock out and switch the pump");
    expect(before).toContain("Call maintenance (4411)");
    expect(before).toContain("<<<<<<< theirs");
    expect(before).toContain("Wear heat-proof gloves");
    expect(before).toContain("Wear gloves and goggles");
    await snap(pb, "merge-01-conflict");

    // Saving without choosing is refused with a reason; nothing is written.
    await pb.getByRole("button", { name: "Save merged text" }).click();
    expect(await pb.getByRole("alert").textContent()).toContain("resolve 1 conflict");
    await conflict.getByRole("button", { name: "Use yours" }).click();
    const after = await proposed.inputValue();
    expect(after).not.toContain("<<<<<<<");
    expect(after).not.toContain("heat-proof");
    await pb.getByRole("button", { name: "Save merged text" }).click();
    const body = pb.getByTestId("article-body");
    await body.getByText("Wear gloves and goggles").waitFor();
    const text = await body.textContent();
    expect(text).toContain("Lock out and switch the pump");
    expect(text).toContain("Call maintenance (4411)");
    expect(await pb.locator(".article-meta").textContent()).toContain("version 3");
    await pa.context().close();
    await pb.context().close();
  });

  it("on a phone: edits to different paragraphs merge automatically, reviewed and saved", async () => {
    const pa = await app.signIn(ana.email);
    const url = await writeArticle(pa, "Valve drill");
    const pb = await app.signIn(ben.email, { width: 360, height: 740 });
    await pb.goto(`${url}/edit`);
    await markdown(pb).waitFor();
    await pa.goto(`${url}/edit`);
    await markdown(pa).fill(BODY.replace("V1 and V2", "V1, V2 and V3"));
    await pa.getByRole("button", { name: "Save", exact: true }).click();
    await pa.getByTestId("article-body").getByText("V1, V2 and V3").waitFor();

    await markdown(pb).fill(BODY.replace("Call maintenance", "Call maintenance (4411)"));
    await pb.getByRole("button", { name: "Save", exact: true }).click();
    await pb.getByText("Merged automatically — review and save.").waitFor();
    expect(await pb.getByRole("region", { name: /^Conflict/ }).count()).toBe(0);
    expect(
      await pb.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBeLessThanOrEqual(0);
    await snap(pb, "merge-02-phone-automatic");
    await pb.getByRole("button", { name: "Save merged text" }).click();
    const body = pb.getByTestId("article-body");
    await body.getByText("Call maintenance (4411)").waitFor();
    expect(await body.textContent()).toContain("V1, V2 and V3");
    await pa.context().close();
    await pb.context().close();
  });

  it("attaches files to a brand-new article before its first save; others see them once it is saved", async () => {
    const pb = await app.signIn(ben.email);
    await pb.goto(`${app.server.url}/spaces/${spaceId}/new`);
    await pb.getByLabel("Title").fill("Seal diagram");
    await markdown(pb).fill("The seal, from above:\n");
    await pb.getByLabel(/Attach files/).setInputFiles([
      { name: "seal.png", mimeType: "image/png", buffer: PNG },
      { name: "torque.txt", mimeType: "text/plain", buffer: Buffer.from("Torque: 12 Nm\n") },
    ]);
    await pb
      .getByTestId("attachment-list")
      .getByText(/seal\.png, torque\.txt/)
      .waitFor();
    expect(await markdown(pb).inputValue()).toMatch(/!\[seal\.png\]\(\/api\/attachments\/[0-9a-f-]{36}\)/);
    // The preview shows the image: the pending upload is readable by its uploader.
    const preview = pb.getByTestId("preview").locator("img");
    await preview.waitFor();
    await pb.waitForFunction(
      () => (document.querySelector("[data-testid=preview] img") as HTMLImageElement)?.naturalWidth > 0,
    );
    await pb.getByRole("button", { name: "Save", exact: true }).click();
    await pb.getByRole("heading", { name: "Seal diagram" }).waitFor();
    const attachments = pb.locator("section.attachments");
    await attachments.getByRole("link", { name: "seal.png" }).waitFor();
    await attachments.getByRole("link", { name: "torque.txt" }).waitFor();
    const url = pb.url();

    const pa = await app.signIn(ana.email);
    await pa.goto(url);
    await pa.getByTestId("article-body").locator("img").waitFor();
    await pa.waitForFunction(
      () => (document.querySelector("[data-testid=article-body] img") as HTMLImageElement)?.naturalWidth > 0,
    );
    await pa.context().close();
    await pb.context().close();
  });
});
