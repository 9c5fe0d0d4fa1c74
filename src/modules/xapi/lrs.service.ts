import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { lrsClients } from "../../../db/schema";
import type { AppContext } from "../../context";
import { rows } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { audienceReadableSql, readableSql } from "../../authz/audience";
import { authorize, type Actor } from "../../authz/policy";
import { projectKnowhowStatements } from "./knowhow-statements";
import { homePage, sha256 } from "./xapi-http";
import type { LrsClientIn } from "./lrs.schema";

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const endpointOf = (ctx: AppContext) => `${homePage(ctx).replace(/\/$/, "")}/xapi/`;

export async function listClients(ctx: AppContext, actor: Actor) {
  authorize(actor, "administer", { kind: "instance" });
  const found = await rows<{
    id: string;
    name: string;
    key: string;
    scopes: string[];
    created_at: Date | string;
    last_used_at: Date | string | null;
    revoked_at: Date | string | null;
    statements: number;
  }>(
    ctx.db,
    sql`select c.id, c.name, c.key, c.scopes, c.created_at, c.last_used_at, c.revoked_at,
          (select count(*)::int from xapi_statements s where s.client_id = c.id) as statements
        from lrs_clients c order by c.revoked_at nulls first, c.created_at desc`,
  );
  return {
    items: found.map((c) => ({
      id: c.id,
      name: c.name,
      key: c.key,
      scopes: c.scopes,
      createdAt: iso(c.created_at)!,
      lastUsedAt: iso(c.last_used_at),
      revokedAt: iso(c.revoked_at),
      statements: c.statements,
    })),
    endpoint: endpointOf(ctx),
  };
}

/** Creates a client: the key and a 32-byte random secret, shown once (only its SHA-256 is stored). */
export async function createClient(ctx: AppContext, actor: Actor, input: z.infer<typeof LrsClientIn>) {
  authorize(actor, "administer", { kind: "instance" });
  const key = `kh_${randomBytes(9).toString("base64url")}`;
  const secret = randomBytes(32).toString("base64url");
  const [c] = await ctx.db
    .insert(lrsClients)
    .values({
      name: input.name,
      key,
      secretHash: sha256(secret),
      scopes: [...new Set(input.scopes)],
      createdBy: actor.id,
      createdAt: ctx.now(),
    })
    .returning();
  return {
    id: c.id,
    name: c.name,
    key,
    scopes: c.scopes,
    createdAt: iso(c.createdAt)!,
    lastUsedAt: null,
    revokedAt: null,
    statements: 0,
    secret,
    endpoint: endpointOf(ctx),
  };
}

export async function revokeClient(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, "administer", { kind: "instance" });
  const done = await ctx.db
    .update(lrsClients)
    .set({ revokedAt: ctx.now() })
    .where(eq(lrsClients.id, id))
    .returning({ id: lrsClients.id });
  if (!done.length) throw notFound("Client not found");
  return listClients(ctx, actor);
}

/** The Knowhow items a statement names (its activity id `<home>/xapi/activities/<kind>/<id>`). */
const ITEM = /\/xapi\/activities\/(article|question|lesson|post|session)\/([0-9a-f-]{36})$/;

/**
 * One's own learning records: Knowhow's statements about you and those outside tools posted for you
 * (their actor is your e-mail or your account here), newest first. A Knowhow statement about content
 * you may no longer read (a private space you left, a members-only community) is not shown or counted:
 * like every list, this one cannot reveal that such content exists.
 */
export async function myStatements(ctx: AppContext, actor: Actor, limit: number) {
  await projectKnowhowStatements(ctx);
  const found = await rows<{
    id: string;
    activity_id: string | null;
    client_id: string | null;
    statement: {
      verb: { id: string; display?: Record<string, string> };
      object: { id?: string; definition?: { name?: Record<string, string> } };
      result?: { success?: boolean };
      timestamp: string;
    };
    source: string | null;
  }>(
    ctx.db,
    sql`select s.id, s.activity_id, s.client_id, s.statement, c.name as source
        from xapi_statements s left join lrs_clients c on c.id = s.client_id
        where s.user_id = ${actor.id} and s.voided = false order by s.timestamp desc, s.seq desc`,
  );
  const wanted = new Map<string, Set<string>>();
  for (const r of found) {
    const m = r.client_id === null && r.activity_id ? ITEM.exec(r.activity_id) : null;
    if (m) wanted.set(m[1], (wanted.get(m[1]) ?? new Set()).add(m[2]));
  }
  const readable = new Set<string>();
  for (const [kind, ids] of wanted) {
    const list = sql.join(
      [...ids].map((i) => sql`${i}::uuid`),
      sql`, `,
    );
    const q =
      kind === "session"
        ? sql`select x.id from sharing_sessions x where x.id in (${list}) and ${audienceReadableSql(actor, "x.audience_id")}`
        : sql`select x.id from ${sql.raw(kind === "article" ? "articles" : kind === "question" ? "questions" : kind === "lesson" ? "lessons" : "posts")} x
              where x.id in (${list}) and ${readableSql(actor, kind as "article" | "question" | "lesson" | "post", "x")}`;
    for (const r of await rows<{ id: string }>(ctx.db, q)) readable.add(r.id);
  }
  const visible = found.filter((r) => {
    const m = r.client_id === null && r.activity_id ? ITEM.exec(r.activity_id) : null;
    return !m || readable.has(m[2]);
  });
  return {
    items: visible.slice(0, limit).map((r) => {
      const names = r.statement.object.definition?.name;
      const verbDisplay = r.statement.verb.display;
      return {
        id: r.id,
        verb: r.statement.verb.id,
        verbLabel:
          verbDisplay?.["en-US"] ?? verbDisplay?.en ?? r.statement.verb.id.split("/").pop() ?? r.statement.verb.id,
        object: {
          id: r.statement.object.id ?? "",
          name: names ? (names["en-US"] ?? names.en ?? Object.values(names)[0] ?? null) : null,
        },
        source: r.source ?? "Knowhow",
        timestamp: new Date(r.statement.timestamp).toISOString(),
        success: typeof r.statement.result?.success === "boolean" ? r.statement.result.success : null,
      };
    }),
    total: visible.length,
  };
}
