import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { lrsClients } from "../../../db/schema";
import type { AppContext } from "../../context";
import { rows } from "../../platform/db";
import { notFound } from "../../platform/errors";
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

/**
 * One's own learning records: Knowhow's statements about you and those outside tools posted for you
 * (their actor is your e-mail or your account here), newest first. An activity's name is shown only
 * when you may read it now (Knowhow's statements carry names of open content only; a client's names
 * are shown as the client sent them).
 */
export async function myStatements(ctx: AppContext, actor: Actor, limit: number) {
  await projectKnowhowStatements(ctx);
  const found = await rows<{
    id: string;
    statement: {
      verb: { id: string; display?: Record<string, string> };
      object: { id?: string; definition?: { name?: Record<string, string> } };
      result?: { success?: boolean };
      timestamp: string;
    };
    source: string | null;
  }>(
    ctx.db,
    sql`select s.id, s.statement, c.name as source from xapi_statements s left join lrs_clients c on c.id = s.client_id
        where s.user_id = ${actor.id} and s.voided = false order by s.timestamp desc, s.seq desc limit ${limit}`,
  );
  const [total] = await rows<{ n: number }>(
    ctx.db,
    sql`select count(*)::int as n from xapi_statements where user_id = ${actor.id} and voided = false`,
  );
  return {
    items: found.map((r) => {
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
    total: total?.n ?? 0,
  };
}
