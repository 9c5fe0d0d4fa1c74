import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { rows } from "../src/platform/db";
import { browserAvailable, snap, useAppInBrowser } from "./harness";

const PASSAGE = "Safety beats speed, always.";

/** Selects the first occurrence of `text` in the article body, as a reader dragging over it would. */
async function selectInArticle(page: Page, text: string): Promise<void> {
  await page.getByTestId("article-body").evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = (n as Text).data.indexOf(wanted);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(n, at);
      range.setEnd(n, at + wanted.length);
      const sel = window.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
      return;
    }
    throw new Error(`"${wanted}" is not in the article`);
  }, text);
}

describe.skipIf(!browserAvailable())("comments on an article and @mentions in Chromium", () => {
  const app = useAppInBrowser();

  it("comments on a passage, a colleague replies mentioning someone, who sees it in the inbox; resolve, reopen; phone", async () => {
    const [article] = await rows<{ id: string; body: string }>(
      app.server.ctx.db,
      sql`select id, body from articles where title = 'Code of conduct'`,
    );
    expect(article.body).toContain(PASSAGE);
    const passage = PASSAGE;
    const url = `${app.server.url}/articles/${article.id}`;

    // Chen selects a passage and comments on it.
    const chen = await app.signIn("chen.rossi@northwind-demo.test");
    await chen.goto(url);
    await chen.getByRole("heading", { level: 1, name: /Code of conduct/ }).waitFor();
    await chen.getByRole("heading", { name: /Comments/ }).waitFor();
    await selectInArticle(chen, passage);
    await chen.getByRole("button", { name: "Comment on the selected passage" }).click();
    const form = chen.getByRole("form", { name: "Comment on this passage" });
    await form.getByLabel("Comment on this passage").fill("Does this cover **subcontracted** drivers too?");
    await form.getByRole("button", { name: "Comment" }).click();
    const thread = chen.getByRole("listitem", { name: "Thread started by Chen Rossi" });
    await thread.locator("blockquote").getByText(passage).waitFor();
    await thread.locator("strong", { hasText: "subcontracted" }).waitFor();
    // The passage is highlighted in the article and the header counts the open thread.
    await chen.locator("mark.comment-mark").first().waitFor();
    expect((await chen.locator("mark.comment-mark").allTextContents()).join("")).toBe(passage);
    await chen.getByTestId("open-threads").waitFor();
    await snap(chen, "90-article-comment-on-passage");

    // Fatima clicks the highlight, lands on the thread and replies, mentioning Gustavo with the autocomplete.
    const fatima = await app.signIn("fatima.schmidt@northwind-demo.test");
    await fatima.goto(url);
    await fatima.locator("mark.comment-mark").first().click();
    const herThread = fatima.getByRole("listitem", { name: "Thread started by Chen Rossi" });
    await expect.poll(() => herThread.evaluate((el) => el === document.activeElement)).toBe(true);
    await herThread.getByRole("button", { name: "Reply" }).click();
    const reply = herThread.getByRole("combobox", { name: "Your reply" });
    await reply.pressSequentially("Yes, it does. @Gusta");
    const option = fatima.getByRole("option", { name: /Gustavo Petrov/ });
    await option.waitFor();
    await reply.press("Enter");
    await reply.pressSequentially("can you confirm for the Antwerp hauliers?");
    const text = await reply.inputValue();
    expect(text).toMatch(/^Yes, it does\. \[@Gustavo Petrov\]\(\/people\/[0-9a-f-]{36}\) can you confirm/);
    await herThread.getByRole("button", { name: "Reply", exact: true }).click();
    await herThread.getByRole("link", { name: "@Gustavo Petrov" }).waitFor();
    await snap(fatima, "91-article-comment-reply-mention");

    // Gustavo sees the mention in his inbox and opens it: the article scrolls to the reply.
    const gustavo = await app.signIn("gustavo.petrov@northwind-demo.test");
    await gustavo.getByTestId("mention-count").waitFor();
    await gustavo.goto(`${app.server.url}/inbox`);
    const mentions = gustavo.getByRole("region", { name: /Mentions/ });
    const item = mentions.getByRole("listitem").filter({ hasText: "Fatima Schmidt mentioned you in a comment on" });
    await item.waitFor();
    await item.getByText("can you confirm for the Antwerp hauliers?").waitFor();
    await snap(gustavo, "92-inbox-mention");
    await item.getByRole("link", { name: "Code of conduct" }).click();
    await gustavo.getByRole("heading", { level: 1, name: /Code of conduct/ }).waitFor();
    await gustavo.getByText("can you confirm for the Antwerp hauliers?").waitFor();
    expect(gustavo.url()).toMatch(/#comment-[0-9a-f-]{36}$/);
    // Opening it marked it seen: the inbox counter is gone.
    await expect.poll(() => gustavo.getByTestId("mention-count").count()).toBe(0);
    // With the keyboard: a selected passage, Ctrl+Alt+M, the comment typed and sent with Ctrl+Enter.
    await selectInArticle(gustavo, "Anyone may stop work they think is unsafe.");
    await gustavo.keyboard.press("Control+Alt+KeyM");
    await gustavo.getByRole("form", { name: "Comment on this passage" }).waitFor();
    await gustavo.locator(".passage-form blockquote").getByText("Anyone may stop work").waitFor();
    await expect.poll(() => gustavo.evaluate(() => document.activeElement?.tagName)).toBe("TEXTAREA");
    await gustavo.keyboard.type("Including drivers at customer sites?");
    await gustavo.keyboard.press("Control+Enter");
    await gustavo
      .getByRole("listitem", { name: "Thread started by Gustavo Petrov" })
      .filter({ hasText: "Including drivers at customer sites?" })
      .locator("blockquote")
      .getByText("Anyone may stop work they think is unsafe.")
      .waitFor();

    // Chen resolves his thread: it folds into "resolved", the highlight goes; then he reopens it.
    await chen.reload();
    const mine = chen.getByRole("listitem", { name: "Thread started by Chen Rossi" });
    await mine.getByText("can you confirm for the Antwerp hauliers?").waitFor();
    await mine.getByRole("button", { name: "Resolve" }).click();
    await chen.getByText("1 resolved thread").waitFor();
    await expect.poll(() => chen.locator("mark.comment-mark", { hasText: "Safety beats" }).count()).toBe(0);
    await chen.locator("mark.comment-mark", { hasText: "Anyone may stop work" }).first().waitFor(); // Gustavo's, open
    await chen.getByText("1 resolved thread").click();
    const resolved = chen.getByRole("list", { name: "Resolved threads" });
    await resolved.getByText(/Resolved by Chen Rossi/).waitFor();
    await resolved.getByRole("button", { name: "Reopen" }).click();
    await chen.getByRole("list", { name: "Open threads" }).getByText(passage).waitFor();
    await chen.locator("mark.comment-mark", { hasText: "Safety beats" }).first().waitFor();

    // Fatima may edit her reply, not Chen's comment.
    await fatima.reload();
    const seenByFatima = fatima.getByRole("listitem", { name: "Thread started by Chen Rossi" });
    await seenByFatima.getByRole("button", { name: "Reply" }).waitFor();
    expect(await seenByFatima.getByRole("button", { name: "Edit comment" }).count()).toBe(1);
    expect(await seenByFatima.getByRole("button", { name: "Delete comment" }).count()).toBe(1);

    // On a phone: one column, no sideways scrolling; a comment on the whole article with the keyboard alone.
    const phone = await app.signIn("gustavo.petrov@northwind-demo.test", { width: 375, height: 812 });
    await phone.goto(`${url}#comments`);
    await phone.getByRole("listitem", { name: "Thread started by Chen Rossi" }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const add = phone.getByRole("combobox", { name: "Add a comment" });
    await add.focus();
    await phone.keyboard.type("Confirmed for Antwerp: the hauliers signed it in May.");
    await phone.keyboard.press("Control+Enter");
    await phone
      .getByRole("listitem", { name: "Thread started by Gustavo Petrov" })
      .filter({ hasText: "Confirmed for Antwerp" })
      .waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await snap(phone, "93-article-comments-phone");

    // The passage is rewritten (in the database, as an edit would): the thread stays, quote and all, "Passage changed".
    await app.server.ctx.db.execute(
      sql`update articles set body = replace(body, ${PASSAGE}, 'Safety first.'), version = version + 1 where id = ${article.id}`,
    );
    await chen.reload();
    const changed = chen.getByRole("listitem", { name: "Thread started by Chen Rossi" });
    await changed.getByText("Passage changed").waitFor();
    await changed.locator("blockquote").getByText(PASSAGE).waitFor();
    expect(await chen.locator("mark.comment-mark", { hasText: "Safety" }).count()).toBe(0);
    for (const p of [chen, fatima, gustavo, phone]) await p.context().close();
  });
});
