import { createHmac, randomBytes } from "node:crypto";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import { communities, spaces, users, webhookDeliveries, webhooks } from "../../../db/schema";
import type { AppContext } from "../../context";
import type { Executor } from "../../platform/db";
import { rows } from "../../platform/db";
import { enqueueJob, type JobHandler } from "../../platform/jobs";
import { authorize, type Actor } from "../../authz/policy";
import { AppError, invalidField, notFound } from "../../platform/errors";
import { recordAudit } from "../../platform/audit";
import { WEBHOOK_EVENTS, type WebhookIn, type WebhookOut, type WebhookPatch } from "./webhooks.schema";

// Outgoing webhooks. An event on content everyone in the organisation may read (a public space, a
// community open to everyone, or neither) becomes one delivery per matching webhook, written with a
// job in the transaction of the change itself; the job queue sends it (retries with backoff) and
// the delivery keeps every attempt's outcome. Private content never leaves: the audience is checked
// here, whatever a webhook's filter says.

export const DELIVER_QUEUE = "webhook.deliver";
const TIMEOUT_MS = 10_000;
const MAX_ATTEMPTS = 8;

type WebhookRow = typeof webhooks.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

/** What happened, as modules describe it (the webhook body is made from it). */
export type WebhookEventInput = {
  type: (typeof WEBHOOK_EVENTS)[number];
  /** The app path of the item (`/questions/<id>`). */
  path: string;
  title: string;
  /** The Markdown of the item (an excerpt is sent). */
  body: string;
  authorId: string;
  tags?: string[];
  spaceId?: string | null;
  communityId?: string | null;
  /** For an answer: the question it answers. */
  question?: { id: string; title: string };
  at: Date;
};

const excerptOf = (markdown: string) => {
  const plain = markdown
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, " ")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    // Block markers at the start of a line (headings, quotes, list bullets, table pipes), then emphasis.
    .replace(/^\s*(?:#{1,6}|>+|[-*+]|\d+\.|\|)\s*/gm, "")
    .replace(/\s*\|\s*/g, " ")
    .replace(/(\*\*|__|\*|_|~~|`)(\S(?:.*?\S)?)\1/g, "$2")
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > 280 ? `${plain.slice(0, 277)}…` : plain;
};

/**
 * Records an event for every enabled webhook that wants it (pass the change's transaction): nothing
 * for content not everyone may read.
 */
export async function emitWebhookEvent(ctx: AppContext, tx: Executor, event: WebhookEventInput): Promise<number> {
  const hooks = await tx
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.enabled, true), sql`${event.type} = any(${webhooks.events})`));
  const wanted = hooks.filter(
    (h) =>
      (!h.spaceId || h.spaceId === (event.spaceId ?? null)) &&
      (!h.communityId || h.communityId === (event.communityId ?? null)),
  );
  if (wanted.length === 0) return 0;
  let where: { id: string; name: string; kind: "space" | "community" } | null = null;
  if (event.spaceId) {
    const [s] = await tx.select().from(spaces).where(eq(spaces.id, event.spaceId));
    if (!s || s.visibility !== "public") return 0;
    where = { id: s.id, name: s.name, kind: "space" };
  }
  if (event.communityId) {
    const [c] = await tx.select().from(communities).where(eq(communities.id, event.communityId));
    if (!c || c.visibility !== "everyone") return 0;
    where = { id: c.id, name: c.name, kind: "community" };
  }
  const [author] = await tx.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, event.authorId));
  const base = (ctx.config.publicUrl ?? "").replace(/\/$/, "");
  const payload = {
    event: event.type,
    occurredAt: event.at.toISOString(),
    item: {
      title: event.title,
      url: `${base}${event.path}`,
      excerpt: excerptOf(event.body),
      tags: event.tags ?? [],
      author: author ? { id: author.id, name: author.name } : null,
      where,
      ...(event.question ? { question: { ...event.question, url: `${base}/questions/${event.question.id}` } } : {}),
    },
  };
  for (const h of wanted) await addDelivery(tx, h.id, event.type, payload, event.at);
  return wanted.length;
}

async function addDelivery(tx: Executor, webhookId: string, event: string, payload: Record<string, unknown>, at: Date) {
  const [d] = await tx.insert(webhookDeliveries).values({ webhookId, event, payload, createdAt: at }).returning();
  await enqueueJob(tx, DELIVER_QUEUE, { deliveryId: d.id }, { runAt: at, maxAttempts: MAX_ATTEMPTS });
  return d;
}

/** The HMAC-SHA256 signature of a body sent at `timestamp` (seconds): `t=<timestamp>,v1=<hex>`. */
export function signature(secret: string, timestamp: number, body: string): string {
  const mac = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${mac}`;
}

type Payload = {
  event: string;
  item?: {
    title: string;
    url: string;
    excerpt: string;
    author: { name: string } | null;
    where: { name: string; kind: string } | null;
    question?: { title: string; url: string };
  };
  [k: string]: unknown;
};

const HEADLINE: Record<string, string> = {
  "question.created": "New question",
  "answer.created": "New answer",
  "article.published": "New article",
  "article.updated": "Article updated",
};

/** The body a webhook receives: Knowhow's JSON, or a Slack or Microsoft Teams message. */
export function formatBody(format: WebhookRow["format"], delivery: { id: string; payload: Payload }): string {
  const p = delivery.payload;
  if (format === "json" || !p.item) return JSON.stringify({ id: delivery.id, ...p });
  const i = p.item;
  const headline = `${HEADLINE[p.event] ?? p.event}${i.where ? ` in ${i.where.name}` : ""}`;
  const byline = `${i.author ? `by ${i.author.name}` : ""}${i.question ? ` on “${i.question.title}”` : ""}`.trim();
  if (format === "slack") {
    // Slack incoming webhooks: `text` (fallback and notifications) and Block Kit blocks; mrkdwn links are <url|label>.
    const link = i.url.startsWith("http") ? `<${i.url}|${slackEscape(i.title)}>` : slackEscape(i.title);
    return JSON.stringify({
      text: `${headline}: ${i.title}`,
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: `*${slackEscape(headline)}*: ${link}` } },
        ...(i.excerpt ? [{ type: "section", text: { type: "mrkdwn", text: slackEscape(i.excerpt) } }] : []),
        ...(byline ? [{ type: "context", elements: [{ type: "mrkdwn", text: slackEscape(byline) }] }] : []),
      ],
    });
  }
  // Microsoft Teams (Workflows "post to a channel when a webhook request is received"): an Adaptive Card message.
  return JSON.stringify({
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: [
            { type: "TextBlock", text: headline, weight: "Bolder", size: "Medium", wrap: true },
            { type: "TextBlock", text: i.title, wrap: true },
            ...(i.excerpt ? [{ type: "TextBlock", text: i.excerpt, wrap: true, isSubtle: true }] : []),
            ...(byline ? [{ type: "TextBlock", text: byline, wrap: true, size: "Small", isSubtle: true }] : []),
          ],
          actions: i.url.startsWith("http") ? [{ type: "Action.OpenUrl", title: "Open in Knowhow", url: i.url }] : [],
        },
      },
    ],
  });
}

const slackEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The job handler that sends deliveries (at least once: receivers deduplicate on Knowhow-Delivery). */
export function webhookJobHandlers(ctx: AppContext): Record<string, JobHandler> {
  return {
    [DELIVER_QUEUE]: {
      async run(payload, attempt) {
        const id = String(payload.deliveryId);
        const [d] = await ctx.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
        if (!d || d.status !== "pending") return;
        const [h] = await ctx.db.select().from(webhooks).where(eq(webhooks.id, d.webhookId));
        if (!h) return;
        if (!h.enabled) {
          await ctx.db
            .update(webhookDeliveries)
            .set({ status: "failed", lastError: "The webhook is turned off", attempts: attempt, nextAttemptAt: null })
            .where(eq(webhookDeliveries.id, id));
          return;
        }
        const body = formatBody(h.format, { id: d.id, payload: d.payload as Payload });
        const timestamp = Math.floor(ctx.now().getTime() / 1000);
        const started = performance.now();
        let status: number | null = null;
        let text: string | null = null;
        try {
          const res = await fetch(h.url, {
            method: "POST",
            body,
            redirect: "manual",
            signal: AbortSignal.timeout(TIMEOUT_MS),
            headers: {
              "content-type": "application/json",
              "user-agent": "Knowhow-Webhooks/1",
              "knowhow-event": d.event,
              "knowhow-delivery": d.id,
              "knowhow-webhook": h.id,
              "knowhow-signature": signature(h.secret, timestamp, body),
            },
          });
          status = res.status;
          text = (await res.text().catch(() => "")).slice(0, 1000);
        } catch (e) {
          const error =
            (e as Error).name === "TimeoutError" ? `No answer within ${TIMEOUT_MS / 1000} s` : (e as Error).message;
          await record(id, attempt, { durationMs: Math.round(performance.now() - started), lastError: error });
          throw new Error(error);
        }
        const durationMs = Math.round(performance.now() - started);
        if (status >= 200 && status < 300) {
          await ctx.db
            .update(webhookDeliveries)
            .set({
              status: "delivered",
              attempts: attempt,
              responseStatus: status,
              responseBody: text,
              durationMs,
              lastError: null,
              nextAttemptAt: null,
              deliveredAt: ctx.now(),
            })
            .where(eq(webhookDeliveries.id, id));
          return;
        }
        await record(id, attempt, {
          responseStatus: status,
          responseBody: text,
          durationMs,
          lastError: `HTTP ${status}`,
        });
        throw new Error(`HTTP ${status}`);
      },
      async failed(payload, info) {
        await ctx.db
          .update(webhookDeliveries)
          .set(info.retryAt ? { nextAttemptAt: info.retryAt } : { status: "failed", nextAttemptAt: null })
          .where(eq(webhookDeliveries.id, String(payload.deliveryId)));
      },
    },
  };

  async function record(id: string, attempt: number, outcome: Partial<DeliveryRow>) {
    await ctx.db
      .update(webhookDeliveries)
      .set({ attempts: attempt, responseStatus: null, responseBody: null, ...outcome })
      .where(eq(webhookDeliveries.id, id));
  }
}

// ---------- administration ----------

const newSecret = () => `whsec_${randomBytes(24).toString("base64url")}`;

function presentDelivery(d: DeliveryRow) {
  return {
    id: d.id,
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    responseStatus: d.responseStatus,
    responseBody: d.responseBody,
    lastError: d.lastError,
    durationMs: d.durationMs,
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    payload: d.payload,
  };
}

async function present(db: Executor, list: WebhookRow[]): Promise<WebhookOut[]> {
  if (list.length === 0) return [];
  const ids = list.map((h) => h.id);
  const wanted = (pick: (h: WebhookRow) => string | null) => [...new Set(list.map(pick).filter((x) => x !== null))];
  const spaceIds = wanted((h) => h.spaceId);
  const communityIds = wanted((h) => h.communityId);
  const userIds = wanted((h) => h.createdBy);
  const names = new Map<string, string>([
    ...(spaceIds.length
      ? await db.select({ id: spaces.id, name: spaces.name }).from(spaces).where(inArray(spaces.id, spaceIds))
      : []
    ).map((r) => [r.id, r.name] as const),
    ...(communityIds.length
      ? await db
          .select({ id: communities.id, name: communities.name })
          .from(communities)
          .where(inArray(communities.id, communityIds))
      : []
    ).map((r) => [r.id, r.name] as const),
    ...(userIds.length
      ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, userIds))
      : []
    ).map((r) => [r.id, r.name] as const),
  ]);
  const last = await rows<{
    webhook_id: string;
    status: DeliveryRow["status"];
    response_status: number | null;
    created_at: Date;
  }>(
    db,
    sql`select distinct on (webhook_id) webhook_id, status, response_status, created_at from webhook_deliveries
        where webhook_id in (${sql.join(
          ids.map((i) => sql`${i}`),
          sql`, `,
        )}) order by webhook_id, created_at desc`,
  );
  const lastOf = new Map(last.map((l) => [l.webhook_id, l]));
  return list.map((h) => {
    const l = lastOf.get(h.id);
    return {
      id: h.id,
      name: h.name,
      url: h.url,
      format: h.format,
      secret: h.secret,
      events: h.events,
      space: h.spaceId ? { id: h.spaceId, name: names.get(h.spaceId) ?? "" } : null,
      community: h.communityId ? { id: h.communityId, name: names.get(h.communityId) ?? "" } : null,
      enabled: h.enabled,
      version: h.version,
      createdBy: h.createdBy ? { id: h.createdBy, name: names.get(h.createdBy) ?? "" } : null,
      createdAt: h.createdAt.toISOString(),
      updatedAt: h.updatedAt.toISOString(),
      lastDelivery: l
        ? { status: l.status, responseStatus: l.response_status, createdAt: new Date(l.created_at).toISOString() }
        : null,
    };
  });
}

async function checkFilters(db: Executor, input: { spaceId?: string | null; communityId?: string | null }) {
  if (input.spaceId && input.communityId)
    throw invalidField("communityId", "a webhook follows one space or one community, not both");
  if (input.spaceId) {
    const [s] = await db.select().from(spaces).where(eq(spaces.id, input.spaceId));
    if (!s) throw invalidField("spaceId", "no such space");
    if (s.visibility !== "public")
      throw invalidField("spaceId", "is a private space: webhooks only carry what everyone may read");
  }
  if (input.communityId) {
    const [c] = await db.select().from(communities).where(eq(communities.id, input.communityId));
    if (!c) throw invalidField("communityId", "no such community");
    if (c.visibility !== "everyone")
      throw invalidField("communityId", "is a members-only community: webhooks only carry what everyone may read");
  }
}

async function loadHook(db: Executor, id: string): Promise<WebhookRow> {
  const [h] = await db.select().from(webhooks).where(eq(webhooks.id, id));
  if (!h) throw notFound("Webhook not found");
  return h;
}

export async function listWebhooks(ctx: AppContext, actor: Actor) {
  authorize(actor, "administer", { kind: "instance" });
  const list = await ctx.db.select().from(webhooks).orderBy(webhooks.createdAt);
  return { items: await present(ctx.db, list), events: [...WEBHOOK_EVENTS] };
}

export async function createWebhook(ctx: AppContext, actor: Actor, input: z.infer<typeof WebhookIn>) {
  authorize(actor, "administer", { kind: "instance" });
  await checkFilters(ctx.db, input);
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const [h] = await tx
      .insert(webhooks)
      .values({ ...input, secret: newSecret(), createdBy: actor.id, createdAt: now, updatedAt: now })
      .returning();
    await recordAudit(tx, {
      actorId: actor.id,
      action: "webhook.create",
      subjectType: "webhook",
      subjectId: h.id,
      detail: `${h.name} → ${h.url} (${h.events.join(", ")})`,
      at: now,
    });
    return (await present(tx, [h]))[0];
  });
}

export async function updateWebhook(ctx: AppContext, actor: Actor, id: string, patch: z.infer<typeof WebhookPatch>) {
  authorize(actor, "administer", { kind: "instance" });
  const { version, rotateSecret, ...changes } = patch;
  return ctx.db.transaction(async (tx) => {
    const h = await loadHook(tx, id);
    if (h.version !== version)
      throw new AppError("conflict", "Someone changed this webhook in the meantime; reload to see their version");
    const next = { ...h, ...changes };
    await checkFilters(tx, { spaceId: next.spaceId, communityId: next.communityId });
    const now = ctx.now();
    const [saved] = await tx
      .update(webhooks)
      .set({ ...changes, ...(rotateSecret ? { secret: newSecret() } : {}), version: h.version + 1, updatedAt: now })
      .where(eq(webhooks.id, id))
      .returning();
    await recordAudit(tx, {
      actorId: actor.id,
      action: "webhook.update",
      subjectType: "webhook",
      subjectId: id,
      detail: [...Object.keys(changes), ...(rotateSecret ? ["secret rotated"] : [])].join(", "),
      at: now,
    });
    return (await present(tx, [saved]))[0];
  });
}

export async function deleteWebhook(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, "administer", { kind: "instance" });
  await ctx.db.transaction(async (tx) => {
    const h = await loadHook(tx, id);
    await tx.delete(webhooks).where(eq(webhooks.id, id));
    await recordAudit(tx, {
      actorId: actor.id,
      action: "webhook.delete",
      subjectType: "webhook",
      subjectId: id,
      detail: `${h.name} → ${h.url}`,
      at: ctx.now(),
    });
  });
  return { ok: true as const };
}

export async function listDeliveries(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, "administer", { kind: "instance" });
  await loadHook(ctx.db, id);
  const list = await ctx.db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.webhookId, id))
    .orderBy(desc(webhookDeliveries.createdAt))
    .limit(50);
  return { items: list.map(presentDelivery) };
}

export async function pingWebhook(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, "administer", { kind: "instance" });
  return ctx.db.transaction(async (tx) => {
    const h = await loadHook(tx, id);
    const d = await addDelivery(
      tx,
      h.id,
      "ping",
      {
        event: "ping",
        occurredAt: ctx.now().toISOString(),
        zen: "Knowledge only exists if people write it down.",
        webhook: { id: h.id, name: h.name, events: h.events },
      },
      ctx.now(),
    );
    return presentDelivery(d);
  });
}

export async function redeliver(ctx: AppContext, actor: Actor, id: string, deliveryId: string) {
  authorize(actor, "administer", { kind: "instance" });
  return ctx.db.transaction(async (tx) => {
    const [old] = await tx
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.webhookId, id)));
    if (!old) throw notFound("Delivery not found");
    const d = await addDelivery(tx, id, old.event, old.payload, ctx.now());
    return presentDelivery(d);
  });
}

/** Deliveries of the given webhooks (tests and the list's detail). */
export async function deliveriesOf(db: Executor, webhookIds: string[]) {
  return db.select().from(webhookDeliveries).where(inArray(webhookDeliveries.webhookId, webhookIds));
}
