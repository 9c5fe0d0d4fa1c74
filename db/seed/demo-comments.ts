import { sql } from "drizzle-orm";
import { articleComments, mentions } from "../schema";
import { rows, type Executor } from "../../src/platform/db";
import { renderMarkdown } from "../../src/domain/markdown/render";
import { locateAnchor, visibleText } from "../../src/domain/markdown/anchors";
import { mentionMarkdown } from "../../src/domain/markdown/mentions";
import type { DemoOrg } from "./demo-org";

const HOUR = 3_600_000;
const ARTICLE = "How we use Knowhow";

type Plan = {
  key: string;
  by: string;
  body: (name: (key: string) => { id: string; name: string }) => string;
  hoursAgo: number;
  /** A passage: the quote, found in the article's text (context taken around it). */
  quote?: string;
  replies: {
    key: string;
    by: string;
    body: (name: (key: string) => { id: string; name: string }) => string;
    hoursAgo: number;
  }[];
  resolvedBy?: string;
};

/**
 * Comment threads on the handbook's "How we use Knowhow", as people would leave them: one on a passage
 * with a reply that mentions the demo admin (so the admin's inbox shows a mention on first start), one
 * on the whole article that was resolved, and one still open. Each comment has a seed key and mentions
 * are one per person and subject, so re-running adds nothing.
 */
export async function loadDemoComments(tx: Executor, org: DemoOrg, ids: Map<string, string>, now: Date): Promise<void> {
  const [article] = await rows<{ id: string; body: string }>(
    tx,
    sql`select id, body from articles where title = ${ARTICLE} and deleted_at is null order by created_at limit 1`,
  );
  if (!article) return;
  const admin = org.people.find((p) => p.email === org.adminEmail)!;
  const person = (key: string) => ({ id: ids.get(key)!, name: org.people.find((p) => p.key === key)!.name });
  const at = (hours: number) => new Date(now.getTime() - hours * HOUR);
  const text = visibleText(renderMarkdown(article.body));
  const plans: Plan[] = [
    {
      key: "demo-comment:search-first",
      by: "p3",
      quote: "Search first: type the problem in your own words.",
      body: () => "Does this include the scanner error codes? People keep asking about E42 on the night shift.",
      hoursAgo: 30,
      replies: [
        {
          key: "demo-comment:search-first:1",
          by: "p25",
          body: (name) =>
            `Yes — search finds the error codes in the scanner guide. ${mentionMarkdown(name(admin.key))}, could the night shift's tablets open Knowhow without a VPN?`,
          hoursAgo: 26,
        },
      ],
    },
    {
      key: "demo-comment:owners",
      by: "p6",
      body: () => "Could we link the list of article owners per department from here?",
      hoursAgo: 120,
      replies: [
        {
          key: "demo-comment:owners:1",
          by: "p25",
          body: () => "Done: every article shows its owner now, and the people page lists what each person owns.",
          hoursAgo: 100,
        },
      ],
      resolvedBy: "p25",
    },
    {
      key: "demo-comment:templates",
      by: "p7",
      body: () => "A template for **how-to** articles would help new writers: steps, reasons, owner.",
      hoursAgo: 8,
      replies: [],
    },
  ];
  for (const plan of plans) {
    let prefix = "";
    let suffix = "";
    if (plan.quote) {
      const start = locateAnchor(text, { quote: plan.quote, prefix: "", suffix: "" });
      if (start < 0) continue; // the handbook changed: no thread on a passage that is not there
      prefix = text.slice(Math.max(0, start - 40), start);
      suffix = text.slice(start + plan.quote.length, start + plan.quote.length + 40);
    }
    const [root] = await tx
      .insert(articleComments)
      .values({
        articleId: article.id,
        authorId: ids.get(plan.by)!,
        body: plan.body(person),
        anchorQuote: plan.quote ?? null,
        anchorPrefix: plan.quote ? prefix : null,
        anchorSuffix: plan.quote ? suffix : null,
        resolvedAt: plan.resolvedBy ? at(plan.replies.at(-1)?.hoursAgo ?? plan.hoursAgo) : null,
        resolvedBy: plan.resolvedBy ? ids.get(plan.resolvedBy)! : null,
        seedKey: plan.key,
        createdAt: at(plan.hoursAgo),
      })
      .onConflictDoNothing({ target: articleComments.seedKey })
      .returning({ id: articleComments.id });
    if (!root) continue; // seeded before
    for (const r of plan.replies) {
      const body = r.body(person);
      const [reply] = await tx
        .insert(articleComments)
        .values({
          articleId: article.id,
          threadId: root.id,
          authorId: ids.get(r.by)!,
          body,
          seedKey: r.key,
          createdAt: at(r.hoursAgo),
        })
        .onConflictDoNothing({ target: articleComments.seedKey })
        .returning({ id: articleComments.id });
      if (!reply || !body.includes(`/people/${ids.get(admin.key)}`)) continue;
      await tx
        .insert(mentions)
        .values({
          userId: ids.get(admin.key)!,
          byId: ids.get(r.by)!,
          subjectType: "article_comment",
          subjectId: reply.id,
          itemType: "article",
          itemId: article.id,
          createdAt: at(r.hoursAgo),
        })
        .onConflictDoNothing();
    }
  }
}
