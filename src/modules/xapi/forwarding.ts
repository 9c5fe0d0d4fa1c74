import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import { xapiDeliveries, xapiForwarders } from "../../../db/schema";
import type { AppContext } from "../../context";
import { rows } from "../../platform/db";
import { AppError, notFound } from "../../platform/errors";
import { authorize, type Actor } from "../../authz/policy";
import type { ForwarderIn } from "./lrs.schema";

/**
 * Forwarding statements to an external LRS, at least once: each enabled forwarder sends the statements
 * after its cursor that match its filter, in batches of 100 and in order. A batch the external LRS does
 * not accept stays pending and is retried with exponential backoff (30 s, 1 min, 2 min … at most an
 * hour); the cursor moves only when a batch is accepted, so nothing is skipped. Statements keep their
 * ids, so a repeat (a retry after a lost answer, an admin's resend) changes nothing at the other end.
 */

const BATCH = 100;
const backoffMs = (attempts: number) => Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
type Forwarder = typeof xapiForwarders.$inferSelect;
type Delivery = typeof xapiDeliveries.$inferSelect;

function filterSql(f: Forwarder): SQL {
  const parts: SQL[] = [sql`s.voided = false`];
  if (f.verbs.length)
    parts.push(
      sql`s.verb_id in (${sql.join(
        f.verbs.map((v) => sql`${v}`),
        sql`, `,
      )})`,
    );
  if (f.activityPrefix) parts.push(sql`starts_with(coalesce(s.activity_id, ''), ${f.activityPrefix})`);
  return sql.join(parts, sql` and `);
}

const endpointUrl = (f: Forwarder) => `${f.endpoint.replace(/\/+$/, "")}/statements`;

/** Sends the statements of a delivery's range; returns null on success or the error in words. */
async function send(ctx: AppContext, f: Forwarder, fromSeq: number, toSeq: number): Promise<string | null> {
  const found = await rows<{ statement: Record<string, unknown> }>(
    ctx.db,
    sql`select s.statement from xapi_statements s where s.seq > ${fromSeq} and s.seq <= ${toSeq} and ${filterSql(f)} order by s.seq`,
  );
  if (!found.length) return null;
  // The other LRS sets its own stored time and authority.
  const body = found.map((r) => {
    const { stored: _s, authority: _a, ...rest } = r.statement;
    return rest;
  });
  try {
    const res = await fetch(endpointUrl(f), {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${f.username}:${f.password}`).toString("base64")}`,
        "x-experience-api-version": "1.0.3",
        "content-type": "application/json",
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    if (res.ok) return null;
    return `HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

async function settle(ctx: AppContext, f: Forwarder, d: Delivery, error: string | null) {
  const now = ctx.now();
  if (error === null) {
    await ctx.db.transaction(async (tx) => {
      await tx
        .update(xapiDeliveries)
        .set({ status: "sent", attempts: d.attempts + 1, sentAt: now, nextAttemptAt: null, lastError: "" })
        .where(eq(xapiDeliveries.id, d.id));
      await tx
        .update(xapiForwarders)
        .set({ cursorSeq: sql`greatest(${xapiForwarders.cursorSeq}, ${d.toSeq})` })
        .where(eq(xapiForwarders.id, f.id));
    });
    return true;
  }
  await ctx.db
    .update(xapiDeliveries)
    .set({
      status: "failed",
      attempts: d.attempts + 1,
      lastError: error,
      nextAttemptAt: new Date(now.getTime() + backoffMs(d.attempts + 1)),
    })
    .where(eq(xapiDeliveries.id, d.id));
  return false;
}

/** One pass over the enabled forwarders: retries due, then new batches until caught up or a batch fails. */
export async function forwardStatements(ctx: AppContext): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  const forwarders = await ctx.db.select().from(xapiForwarders).where(eq(xapiForwarders.enabled, true));
  for (const f of forwarders) {
    // A failed batch blocks the ones after it (order is kept) until it goes through.
    const [open] = await ctx.db
      .select()
      .from(xapiDeliveries)
      .where(and(eq(xapiDeliveries.forwarderId, f.id), sql`${xapiDeliveries.status} in ('pending', 'failed')`))
      .orderBy(xapiDeliveries.fromSeq)
      .limit(1);
    if (open) {
      if (open.nextAttemptAt && open.nextAttemptAt > ctx.now()) continue;
      if (await settle(ctx, f, open, await send(ctx, f, open.fromSeq, open.toSeq))) sent += open.count;
      else {
        failed++;
        continue;
      }
    }
    for (let round = 0; round < 50; round++) {
      const [cur] = await ctx.db.select().from(xapiForwarders).where(eq(xapiForwarders.id, f.id));
      const next = await rows<{ seq: number }>(
        ctx.db,
        sql`select s.seq from xapi_statements s where s.seq > ${cur.cursorSeq} and ${filterSql(cur)} order by s.seq limit ${BATCH}`,
      );
      if (!next.length) break;
      const toSeq = Number(next[next.length - 1].seq);
      const [d] = await ctx.db
        .insert(xapiDeliveries)
        .values({
          forwarderId: f.id,
          fromSeq: cur.cursorSeq,
          toSeq,
          count: next.length,
          status: "pending",
          createdAt: ctx.now(),
        })
        .returning();
      if (await settle(ctx, cur, d, await send(ctx, cur, d.fromSeq, d.toSeq))) sent += d.count;
      else {
        failed++;
        break;
      }
    }
  }
  return { sent, failed };
}

// ---------- The admin's side ----------

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function listForwarders(ctx: AppContext, actor: Actor) {
  authorize(actor, "administer", { kind: "instance" });
  const forwarders = await ctx.db.select().from(xapiForwarders).orderBy(desc(xapiForwarders.createdAt));
  const items = [];
  for (const f of forwarders) {
    const deliveries = await ctx.db
      .select()
      .from(xapiDeliveries)
      .where(eq(xapiDeliveries.forwarderId, f.id))
      .orderBy(desc(xapiDeliveries.createdAt), desc(xapiDeliveries.toSeq))
      .limit(20);
    const [behind] = await rows<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from xapi_statements s where s.seq > ${f.cursorSeq} and ${filterSql(f)}`,
    );
    items.push({
      id: f.id,
      name: f.name,
      endpoint: f.endpoint,
      username: f.username,
      verbs: f.verbs,
      activityPrefix: f.activityPrefix,
      enabled: f.enabled,
      waiting: behind?.n ?? 0,
      deliveries: deliveries.map((d) => ({
        id: d.id,
        count: d.count,
        status: d.status,
        attempts: d.attempts,
        lastError: d.lastError,
        nextAttemptAt: iso(d.nextAttemptAt),
        createdAt: d.createdAt.toISOString(),
        sentAt: iso(d.sentAt),
      })),
    });
  }
  return { items };
}

export async function createForwarder(ctx: AppContext, actor: Actor, input: z.infer<typeof ForwarderIn>) {
  authorize(actor, "administer", { kind: "instance" });
  await ctx.db.insert(xapiForwarders).values({
    name: input.name,
    endpoint: input.endpoint,
    username: input.username,
    password: input.password,
    verbs: input.verbs,
    activityPrefix: input.activityPrefix,
    // From now on, or everything stored so far too.
    cursorSeq: input.fromStart
      ? 0
      : Number(
          (await rows<{ seq: number | null }>(ctx.db, sql`select max(seq) as seq from xapi_statements`))[0]?.seq ?? 0,
        ),
    createdBy: actor.id,
    createdAt: ctx.now(),
  });
  return listForwarders(ctx, actor);
}

export async function setForwarderEnabled(ctx: AppContext, actor: Actor, id: string, enabled: boolean) {
  authorize(actor, "administer", { kind: "instance" });
  const done = await ctx.db.update(xapiForwarders).set({ enabled }).where(eq(xapiForwarders.id, id)).returning();
  if (!done.length) throw notFound("Forwarder not found");
  return listForwarders(ctx, actor);
}

export async function deleteForwarder(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, "administer", { kind: "instance" });
  const done = await ctx.db.delete(xapiForwarders).where(eq(xapiForwarders.id, id)).returning();
  if (!done.length) throw notFound("Forwarder not found");
  return listForwarders(ctx, actor);
}

/** Sends a delivery's statements again now (a sent one too: the other LRS ignores repeats). */
export async function resend(ctx: AppContext, actor: Actor, id: string, deliveryId: string) {
  authorize(actor, "administer", { kind: "instance" });
  const [f] = await ctx.db.select().from(xapiForwarders).where(eq(xapiForwarders.id, id));
  const [d] = await ctx.db
    .select()
    .from(xapiDeliveries)
    .where(and(eq(xapiDeliveries.id, deliveryId), eq(xapiDeliveries.forwarderId, id)));
  if (!f || !d) throw notFound("Delivery not found");
  const error = await send(ctx, f, d.fromSeq, d.toSeq);
  await settle(ctx, f, d, error);
  if (error) throw new AppError("bad_gateway", `The other LRS refused the batch: ${error}`);
  return listForwarders(ctx, actor);
}

/** Runs a forwarding pass now (the server also runs one every 30 seconds). */
export async function forwardNow(ctx: AppContext, actor: Actor) {
  authorize(actor, "administer", { kind: "instance" });
  await forwardStatements(ctx);
  return listForwarders(ctx, actor);
}
