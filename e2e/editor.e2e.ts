import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { rows } from "../src/platform/db";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

// A 1×1 PNG, pasted as if copied from a screenshot tool.
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

async function pasteImage(page: Page, name: string) {
  await page.getByRole("textbox", { name: /Article text/ }).evaluate(
    (el, [b64, fileName]) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], fileName, { type: "image/png" }));
      el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    },
    [PNG, name],
  );
}

describe.skipIf(!browserAvailable())("the rich editor in Chromium", () => {
  const app = useAppInBrowser();

  it("writes with Markdown shortcuts, the toolbar, [[ links, a table, code, a callout and a pasted image", async () => {
    const [space] = await rows<{ id: string }>(
      app.server.ctx.db,
      sql`select id from spaces where name = 'Warehouse Operations'`,
    );
    const [linked] = await rows<{ id: string; title: string }>(
      app.server.ctx.db,
      sql`select id, title from articles where title = 'Reach truck pre-use inspection'`,
    );
    const page = await app.signIn(app.server.adminEmail);
    await page.goto(`${app.server.url}/spaces/${space.id}/new`);
    await page.getByRole("heading", { name: /New article/ }).waitFor();
    // The space starts new articles from its how-to template (the demo's default): start blank instead.
    await expect
      .poll(() => page.getByRole("button", { name: "How-to" }).getAttribute("aria-pressed"), { timeout: 30_000 })
      .toBe("true");
    await page.getByRole("button", { name: "Blank page" }).click();
    await page.getByLabel("Title", { exact: true }).fill("Tagging a truck out of use");
    const text = page.getByRole("textbox", { name: /Article text/ });
    await text.click();
    const kb = page.keyboard;
    // Markdown shortcuts as you type: a heading, bold, a list.
    await kb.type("## When a check fails");
    await kb.press("Enter");
    await kb.type("A truck that fails ");
    await kb.press("Control+b");
    await kb.type("any");
    await kb.press("Control+b");
    await kb.type(" check is tagged. See [[Reach truck pre");
    const option = page.getByRole("option", { name: /Reach truck pre-use inspection/ });
    await option.waitFor();
    await kb.press("Enter");
    await kb.press("Enter");
    await kb.type("- Hang the red tag");
    await kb.press("Enter");
    await kb.type("Tell the shift lead");
    await kb.press("Enter");
    await kb.press("Enter");
    // The toolbar: a callout, then a table with a column added.
    await page.getByRole("button", { name: "Callout" }).click();
    await kb.type("Never drive a tagged truck.");
    await page.getByLabel("Callout kind").selectOption("warning");
    await text.press("Control+End");
    await page.getByRole("button", { name: "Insert table" }).click();
    await kb.type("Check");
    await kb.press("Tab");
    await kb.type("Result");
    await page.getByRole("button", { name: "Add column right" }).click();
    await kb.press("Tab");
    await kb.type("Signed");
    await text.press("Control+End");
    await kb.press("Enter");
    // A pasted screenshot is uploaded and lands where the cursor is.
    await pasteImage(page, "red-tag.png");
    await page.getByRole("img", { name: "red-tag.png" }).waitFor();
    await text.press("Control+End");
    await kb.press("Enter");
    await kb.type("```ts ");
    await kb.type("const tagged = true;");
    await snap(page, "editor-01-rich");

    // The Markdown view shows what will be stored.
    await page.getByRole("button", { name: "Markdown", exact: true }).click();
    const source = await page.getByLabel("Markdown").inputValue();
    expect(source).toContain("## When a check fails");
    expect(source).toContain("**any**");
    expect(source).toContain(`[Reach truck pre-use inspection](/articles/${linked.id})`);
    expect(source).toMatch(/^- Hang the red tag$/m);
    expect(source).toContain("> [!WARNING]\n> Never drive a tagged truck.");
    expect(source).toMatch(/\| Check +\| Result +\| Signed +\|/);
    expect(source).toContain("```ts\nconst tagged = true;\n```");
    expect(source).toMatch(/!\[red-tag\.png\]\(\/api\/attachments\/[0-9a-f-]{36}\)/);
    // An edit in the source comes back into the rich view.
    await page.getByLabel("Markdown").fill(source.replace("Tell the shift lead", "Tell the shift lead at once"));
    await page.getByRole("button", { name: "Rich text" }).click();
    await page
      .getByRole("textbox", { name: /Article text/ })
      .getByText("Tell the shift lead at once")
      .waitFor();

    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "Tagging a truck out of use" }).waitFor();
    const body = page.getByTestId("article-body");
    await body.getByRole("heading", { name: "When a check fails" }).waitFor();
    expect(await body.locator("strong").first().textContent()).toBe("any");
    expect(await body.getByRole("link", { name: "Reach truck pre-use inspection" }).getAttribute("href")).toBe(
      `/articles/${linked.id}`,
    );
    expect(await body.locator(".callout-warning").textContent()).toContain("Never drive a tagged truck.");
    expect(await body.locator("table th").allTextContents()).toEqual(["Check", "Result", "Signed", ""]);
    expect(await body.locator("pre code.language-ts").textContent()).toBe("const tagged = true;\n");
    expect(await body.getByRole("img", { name: "red-tag.png" }).getAttribute("src")).toMatch(/^\/api\/attachments\//);
    await context(page).close();
  });

  it("edits an article with the keyboard alone, and fits a phone", async () => {
    const [article] = await rows<{ id: string }>(
      app.server.ctx.db,
      sql`select id from articles where title = 'Reach truck pre-use inspection'`,
    );
    const page = await app.signIn(app.server.adminEmail, { width: 375, height: 740 });
    await page.goto(`${app.server.url}/articles/${article.id}/edit`);
    const text = page.getByRole("textbox", { name: /Article text/ });
    await text.waitFor();
    // Nothing wider than the screen: the toolbar scrolls on its own.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    // From the toolbar, arrows move between tools, and the editor is next in the tab order.
    await page.getByRole("button", { name: "Undo" }).focus();
    await page.keyboard.press("ArrowRight");
    expect(await page.getByRole("button", { name: "Redo" }).evaluate((el) => el === document.activeElement)).toBe(true);
    await text.focus();
    await page.keyboard.press("Control+Home");
    await page.keyboard.type("Checked daily. ");
    await page.keyboard.press("Shift+Home");
    await page.keyboard.press("Control+i");
    expect(await page.getByRole("button", { name: "Italic" }).getAttribute("aria-pressed")).toBe("true");
    await snap(page, "editor-02-phone");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByTestId("article-body").locator("em", { hasText: "Checked daily." }).waitFor();
    await context(page).close();
  });
});

const context = (page: Page) => page.context();

describe.skipIf(!browserAvailable())("article templates in Chromium", () => {
  const app = useAppInBrowser();

  it("a knowledge manager writes a template, a space makes it its default, a new article starts from it", async () => {
    const page = await app.signIn(app.server.adminEmail);
    await page.goto(`${app.server.url}/templates`);
    await page.getByRole("heading", { name: "Troubleshooting" }).waitFor();
    await page.getByRole("button", { name: "New template" }).click();
    const form = page.getByRole("form", { name: "New template" });
    await form.getByRole("button", { name: "Save template" }).click();
    // Bad input: the fields say why (nothing is lost).
    await form.getByLabel("Name").fill("X");
    await form.getByRole("button", { name: "Save template" }).click();
    await form.getByText("must be at least 2 characters").waitFor();
    await form.getByLabel("Name").fill("Shift handover");
    await form.getByLabel("What it is for").fill("What the next shift must know");
    await form.getByLabel("Template (Markdown)").fill("## Open issues\n\n- [ ] Issue, owner\n\n## Safety\n");
    await form.getByRole("button", { name: "Save template" }).click();
    await page.getByRole("heading", { name: "Shift handover" }).waitFor();

    const [space] = await rows<{ id: string }>(
      app.server.ctx.db,
      sql`select id from spaces where name = 'Warehouse Operations'`,
    );
    await page.goto(`${app.server.url}/spaces/${space.id}`);
    await page.getByRole("button", { name: "Settings" }).click();
    await page.getByLabel(/New articles start from/).selectOption({ label: "Shift handover" });
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("form", { name: "Space settings" }).waitFor({ state: "detached" });

    await page.goto(`${app.server.url}/spaces/${space.id}/new`);
    const text = page.getByRole("textbox", { name: /Article text/ });
    await text.getByRole("heading", { name: "Open issues" }).waitFor();
    await expect
      .poll(() => page.getByRole("button", { name: "Shift handover" }).getAttribute("aria-pressed"), {
        timeout: 30_000,
      })
      .toBe("true");
    // Another template replaces the untouched text without asking.
    await page.getByRole("button", { name: "Troubleshooting" }).click();
    await text.getByRole("heading", { name: "Symptom" }).waitFor();
    await page.getByLabel("Title", { exact: true }).fill("Night shift handover");
    await page.getByRole("button", { name: "Shift handover" }).click();
    await text.getByRole("heading", { name: "Safety" }).waitFor();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "Night shift handover" }).waitFor();
    await page.getByTestId("article-body").getByRole("heading", { name: "Open issues" }).waitFor();
    await page.context().close();
  });
});

describe.skipIf(!browserAvailable())("co-editing in Chromium", () => {
  const app = useAppInBrowser();

  it("two people type into the same paragraph at once; a third joins mid-way; nothing is lost", async () => {
    const [article] = await rows<{ id: string }>(
      app.server.ctx.db,
      sql`select id from articles where title = 'Cycle counting: the weekly routine'`,
    );
    const people = await rows<{ email: string; name: string }>(
      app.server.ctx.db,
      sql`select email, name from users where role = 'member' and deactivated_at is null order by name limit 2`,
    );
    const open = async (email: string) => {
      const page = await app.signIn(email);
      await page.goto(`${app.server.url}/articles/${article.id}/edit`);
      await page.getByRole("status").getByText(/^Live/).waitFor();
      return page;
    };
    const [a, b] = await Promise.all([open(app.server.adminEmail), open(people[0].email)]);
    const first = (p: Page) =>
      p
        .getByRole("textbox", { name: /Article text/ })
        .locator("p")
        .first();
    // Both click into the same paragraph, then type at the same time.
    await first(a).click();
    await a.keyboard.press("End");
    await first(b).click();
    await b.keyboard.press("Control+Home");
    await Promise.all([
      a.keyboard.type(" Counted by two people.", { delay: 15 }),
      b.keyboard.type("Every Monday: ", { delay: 15 }),
    ]);
    // The paragraph's text without the others' cursors (their name labels sit inside it).
    const text = (p: Page) =>
      first(p).evaluate((el) => {
        const copy = el.cloneNode(true) as HTMLElement;
        copy.querySelectorAll(".collaboration-carets__caret").forEach((c) => c.remove());
        return copy.textContent ?? "";
      });
    // Both texts end up whole, and both people see the same paragraph.
    for (const p of [a, b]) {
      await expect.poll(() => text(p), { timeout: 30_000 }).toContain("Every Monday: ");
      await expect.poll(() => text(p), { timeout: 30_000 }).toContain(" Counted by two people.");
    }
    await expect.poll(async () => (await text(a)) === (await text(b)), { timeout: 30_000 }).toBe(true);
    // Each sees the other's name and cursor.
    await a.locator(".collaboration-carets__label", { hasText: people[0].name }).waitFor();
    // A third opens it mid-way and sees the same text.
    const c = await open(people[1].email);
    await expect.poll(() => text(c), { timeout: 30_000 }).toBe(await text(a));
    await snap(a, "editor-03-co-editing");
    // Everyone leaves: the text becomes a revision with both contributors.
    for (const p of [a, b, c]) await p.goto(`${app.server.url}/articles/${article.id}`);
    await expect
      .poll(
        async () => {
          const [row] = await rows<{ body: string }>(
            app.server.ctx.db,
            sql`select body from articles where id = ${article.id}`,
          );
          return row.body;
        },
        { timeout: 30_000 },
      )
      .toMatch(/Every Monday: [\s\S]* Counted by two people\.|Counted by two people\.[\s\S]*Every Monday: /);
    const [rev] = await rows<{ n: number }>(
      app.server.ctx.db,
      sql`select cardinality(contributors)::int as n from article_revisions where article_id = ${article.id} order by version desc limit 1`,
    );
    expect(rev.n).toBe(2);
    for (const p of [a, b, c]) await p.context().close();
  });
});
