import { createHash } from "node:crypto";
import { and, asc, desc, eq, gt, max, or, sql, type SQL } from "drizzle-orm";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { xapiDocuments, xapiStatements } from "../../../db/schema";
import type { AppContext } from "../../context";
import { agentProblems, ifiOf, isIri, type Agent } from "./agents";
import { XapiHttpError, bad, noContent, queryParams, requireScope } from "./xapi-http";

/**
 * The document resources of the LRS (State, Activity Profile, Agent Profile) and the two read-only
 * resources beside them (Activities, Agents). A document is bytes with a content type, stored in
 * xapi_documents under its key (kind, activity id, agent IFI, registration, document id), with its
 * ETag (quoted SHA-1 of the bytes) and the time it was last written.
 */

type Kind = "state" | "activity_profile" | "agent_profile";

type DocResource = {
  kind: Kind;
  path: string;
  /** The parameter naming one document. */
  idParam: "stateId" | "profileId";
  activity: boolean;
  agent: boolean;
  registration: boolean;
  readScopes: string[];
  writeScopes: string[];
  /**
   * A PUT over an existing document needs If-Match or If-None-Match (409 otherwise): the profiles in
   * every version, the State as well in 2.0 (IEEE 9274.1.1 4.1.4). In 1.0.x a profile PUT without
   * either header is a 400 even when the document is new (ADL conformance requirement XAPI-00273).
   */
  concurrencyRequired: boolean;
  /** A DELETE without the document id deletes every document in the context. */
  deleteMany: boolean;
};

const RESOURCES: DocResource[] = [
  {
    kind: "state",
    path: "/activities/state",
    idParam: "stateId",
    activity: true,
    agent: true,
    registration: true,
    readScopes: ["state", "all/read"],
    writeScopes: ["state"],
    concurrencyRequired: false,
    deleteMany: true,
  },
  {
    kind: "activity_profile",
    path: "/activities/profile",
    idParam: "profileId",
    activity: true,
    agent: false,
    registration: false,
    readScopes: ["profile", "all/read"],
    writeScopes: ["profile"],
    concurrencyRequired: true,
    deleteMany: false,
  },
  {
    kind: "agent_profile",
    path: "/agents/profile",
    idParam: "profileId",
    activity: false,
    agent: true,
    registration: false,
    readScopes: ["profile", "all/read"],
    writeScopes: ["profile"],
    concurrencyRequired: true,
    deleteMany: false,
  },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/i;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Is this content type JSON (application/json, with or without parameters)? */
export const isJsonType = (contentType: string | undefined) =>
  (contentType ?? "").split(";")[0].trim().toLowerCase() === "application/json";

export const etagOf = (bytes: Buffer) => `"${createHash("sha1").update(bytes).digest("hex")}"`;

/** The `agent` parameter as an Agent (a Group is refused: documents belong to one agent). */
export function agentParam(raw: string | undefined): Agent {
  if (raw === undefined) throw bad("The agent parameter is required (a JSON Agent object)");
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw bad("The agent parameter must be a JSON Agent object");
  }
  const problems = agentProblems(value, "agent", false);
  if (problems.length)
    throw bad(`Invalid agent parameter: ${problems.map((p) => `${p.path} ${p.message}`).join("; ")}`);
  return value as Agent;
}

function activityParam(raw: string | undefined): string {
  if (raw === undefined) throw bad("The activityId parameter is required");
  if (!isIri(raw)) throw bad("The activityId parameter must be an IRI");
  return raw;
}

function sinceParam(raw: string | undefined): Date | undefined {
  if (raw === undefined) return undefined;
  const withZone = /(Z|[+-]\d{2}(:?\d{2})?)$/i.test(raw) ? raw : `${raw}Z`;
  const d = new Date(withZone);
  if (!ISO_TIMESTAMP.test(raw) || Number.isNaN(d.getTime()))
    throw bad("The since parameter must be an ISO 8601 timestamp");
  return d;
}

/** The entity tags of an If-Match / If-None-Match header ("*" stays "*"), without quotes or W/. */
function tagsOf(header: string): string[] {
  return header
    .split(",")
    .map((s) =>
      s
        .trim()
        .replace(/^W\//, "")
        .replace(/^"(.*)"$/, "$1"),
    )
    .filter(Boolean);
}

function oneHeader(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/** HTTP concurrency (xAPI Communication 3.1): 412 when a precondition fails, 409 when a required one is missing. */
function checkPreconditions(
  req: FastifyRequest,
  current: { etag: string } | undefined,
  concurrencyRequired: boolean,
  headerRequired = false,
): void {
  const ifMatch = oneHeader(req, "if-match");
  const ifNoneMatch = oneHeader(req, "if-none-match");
  const currentTag = current?.etag.replace(/^"(.*)"$/, "$1");
  if (ifMatch !== undefined) {
    const tags = tagsOf(ifMatch);
    if (!current || (!tags.includes("*") && !tags.includes(currentTag!)))
      throw new XapiHttpError(412, "If-Match does not match the document's current ETag");
  }
  if (ifNoneMatch !== undefined && current) {
    const tags = tagsOf(ifNoneMatch);
    if (tags.includes("*") || tags.includes(currentTag!))
      throw new XapiHttpError(412, "If-None-Match: the document already exists");
  }
  if (headerRequired && !current && ifMatch === undefined && ifNoneMatch === undefined)
    throw bad("Send If-None-Match: * to create this document (or If-Match with the ETag of the one you replace)");
  if (concurrencyRequired && current && ifMatch === undefined && ifNoneMatch === undefined)
    throw new XapiHttpError(
      409,
      "The document exists: send If-Match with its ETag (or If-None-Match: * to create only) to change it",
    );
}

type Context = { activityId: string; agentIfi: string; registration: string | undefined };

function parseContext(r: DocResource, q: Record<string, string>): Context {
  const activityId = r.activity ? activityParam(q.activityId) : "";
  const agentIfi = r.agent ? ifiOf(agentParam(q.agent))! : "";
  let registration: string | undefined;
  if (r.registration && q.registration !== undefined) {
    if (!UUID.test(q.registration)) throw bad("The registration parameter must be a UUID");
    registration = q.registration.toLowerCase();
  }
  return { activityId, agentIfi, registration };
}

function contextWhere(kind: Kind, c: Context): SQL[] {
  const out = [
    eq(xapiDocuments.kind, kind),
    eq(xapiDocuments.activityId, c.activityId),
    eq(xapiDocuments.agentIfi, c.agentIfi),
  ];
  if (c.registration !== undefined) out.push(eq(xapiDocuments.registration, c.registration));
  return out;
}

function keyWhere(kind: Kind, c: Context, docId: string): SQL {
  return and(...contextWhere(kind, { ...c, registration: c.registration ?? "" }), eq(xapiDocuments.docId, docId))!;
}

function docIdParam(r: DocResource, q: Record<string, string>, required: boolean): string | undefined {
  const v = q[r.idParam];
  if (v === undefined) {
    if (required) throw bad(`The ${r.idParam} parameter is required`);
    return undefined;
  }
  if (!v) throw bad(`The ${r.idParam} parameter must not be empty`);
  return v;
}

function requestBytes(req: FastifyRequest): Buffer {
  const b = req.body;
  if (Buffer.isBuffer(b)) return b;
  if (typeof b === "string") return Buffer.from(b, "utf8");
  return Buffer.alloc(0);
}

function parseJson(bytes: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(bytes.toString("utf8")) };
  } catch {
    return { ok: false };
  }
}

function allowedParams(r: DocResource, method: string): string[] {
  const out: string[] = [r.idParam];
  if (r.activity) out.push("activityId");
  if (r.agent) out.push("agent");
  if (r.registration) out.push("registration");
  if (method === "GET") out.push("since");
  return out;
}

function documentHandlers(ctx: AppContext, r: DocResource) {
  const get = async (req: FastifyRequest, reply: FastifyReply) => {
    requireScope(req, ...r.readScopes);
    const q = queryParams(req, allowedParams(r, "GET"));
    const c = parseContext(r, q);
    const since = sinceParam(q.since);
    const docId = docIdParam(r, q, false);
    if (docId !== undefined) {
      const [doc] = await ctx.db
        .select()
        .from(xapiDocuments)
        .where(keyWhere(r.kind, c, docId));
      if (!doc) throw new XapiHttpError(404, `No document ${r.idParam}=${docId} here`);
      return reply
        .status(200)
        .header("Content-Type", doc.contentType)
        .header("ETag", doc.etag)
        .header("Last-Modified", doc.updated.toUTCString())
        .send(Buffer.from(doc.content, "base64"));
    }
    const where = contextWhere(r.kind, c);
    if (since) where.push(gt(xapiDocuments.updated, since));
    const rows = await ctx.db
      .select({ docId: xapiDocuments.docId, updated: max(xapiDocuments.updated) })
      .from(xapiDocuments)
      .where(and(...where))
      .groupBy(xapiDocuments.docId)
      .orderBy(asc(xapiDocuments.docId));
    const newest = rows.reduce<Date | null>((m, x) => (x.updated && (!m || x.updated > m) ? x.updated : m), null);
    if (newest) reply.header("Last-Modified", newest.toUTCString());
    return reply
      .status(200)
      .header("Content-Type", "application/json")
      .send(JSON.stringify(rows.map((x) => x.docId)));
  };

  const write = (merge: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    requireScope(req, ...r.writeScopes);
    const q = queryParams(req, allowedParams(r, req.method));
    const c = parseContext(r, q);
    const docId = docIdParam(r, q, true)!;
    const bytes = requestBytes(req);
    const contentType = oneHeader(req, "content-type")?.trim() || "application/octet-stream";
    const json = isJsonType(contentType);
    let parsed: unknown;
    if (json) {
      const p = parseJson(bytes);
      if (!p.ok) throw bad("The document is sent as application/json but is not valid JSON");
      parsed = p.value;
      if (merge && !isObject(parsed)) throw bad("A document POSTed as JSON must be a JSON object to be merged");
    }
    const now = ctx.now();
    await ctx.db.transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(xapiDocuments)
        .where(keyWhere(r.kind, c, docId))
        .for("update");
      const v2 = req.xapiVersion.startsWith("2");
      checkPreconditions(req, current, !merge && (r.concurrencyRequired || v2), !merge && r.concurrencyRequired && !v2);
      let stored = bytes;
      let storedType = contentType;
      if (merge && current) {
        if (!json) throw bad("Merging into an existing document needs a JSON object sent as application/json");
        const old = isJsonType(current.contentType) ? parseJson(Buffer.from(current.content, "base64")) : undefined;
        const oldValue = old?.ok ? old.value : undefined;
        if (!isObject(oldValue))
          throw bad("The existing document is not a JSON object, so it cannot be merged into; PUT to replace it");
        stored = Buffer.from(JSON.stringify({ ...oldValue, ...(parsed as Record<string, unknown>) }), "utf8");
        storedType = "application/json";
      }
      const values = {
        contentType: storedType,
        content: stored.toString("base64"),
        etag: etagOf(stored),
        updated: now,
      };
      if (current) await tx.update(xapiDocuments).set(values).where(eq(xapiDocuments.id, current.id));
      else
        await tx.insert(xapiDocuments).values({
          kind: r.kind,
          activityId: c.activityId,
          agentIfi: c.agentIfi,
          registration: c.registration ?? "",
          docId,
          ...values,
        });
    });
    return noContent(reply);
  };

  const remove = async (req: FastifyRequest, reply: FastifyReply) => {
    requireScope(req, ...r.writeScopes);
    const q = queryParams(req, allowedParams(r, "DELETE"));
    const c = parseContext(r, q);
    const docId = docIdParam(r, q, !r.deleteMany);
    if (docId === undefined) {
      if (oneHeader(req, "if-match") !== undefined)
        throw new XapiHttpError(412, "If-Match cannot apply to a DELETE of several documents");
      await ctx.db.delete(xapiDocuments).where(and(...contextWhere(r.kind, c)));
      return noContent(reply);
    }
    await ctx.db.transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(xapiDocuments)
        .where(keyWhere(r.kind, c, docId))
        .for("update");
      checkPreconditions(req, current, false);
      if (current) await tx.delete(xapiDocuments).where(eq(xapiDocuments.id, current.id));
    });
    return noContent(reply);
  };

  return { get, put: write(false), post: write(true), remove };
}

type LanguageMap = Record<string, string>;

/** Newer definitions win property by property; language maps are merged language by language. */
function mergeDefinitions(older: Record<string, unknown>, newer: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...older };
  for (const [k, v] of Object.entries(newer)) {
    if ((k === "name" || k === "description") && isObject(v) && isObject(out[k]))
      out[k] = { ...(out[k] as LanguageMap), ...(v as LanguageMap) };
    else if (k === "extensions" && isObject(v) && isObject(out[k]))
      out[k] = { ...(out[k] as Record<string, unknown>), ...v };
    else out[k] = v;
  }
  return out;
}

/** Every Activity object a statement holds: its object, its context activities, and those of a sub-statement. */
function activitiesIn(statement: unknown): Record<string, unknown>[] {
  if (!isObject(statement)) return [];
  const out: Record<string, unknown>[] = [];
  const object = statement.object;
  if (isObject(object)) {
    if (object.objectType === "SubStatement") out.push(...activitiesIn(object));
    else if (object.objectType === undefined || object.objectType === "Activity") out.push(object);
  }
  const context = isObject(statement.context) ? statement.context : undefined;
  const ca = context && isObject(context.contextActivities) ? context.contextActivities : undefined;
  if (ca)
    for (const key of ["parent", "grouping", "category", "other"]) {
      const v = ca[key];
      for (const a of Array.isArray(v) ? v : [v]) if (isObject(a)) out.push(a);
    }
  return out;
}

/**
 * The Activity as the statements stored so far define it: the definitions of the newest statements
 * naming it (as object or context activity), merged oldest first so that the newest wins.
 */
export async function activityObject(ctx: AppContext, activityId: string): Promise<Record<string, unknown>> {
  const rows = await ctx.db
    .select({ statement: xapiStatements.statement })
    .from(xapiStatements)
    .where(
      or(
        eq(xapiStatements.activityId, activityId),
        sql`${xapiStatements.relatedActivities} @> array[${activityId}]::text[]`,
      ),
    )
    .orderBy(desc(xapiStatements.seq))
    .limit(100);
  let definition: Record<string, unknown> | undefined;
  for (const { statement } of rows.reverse())
    for (const a of activitiesIn(statement)) {
      if (a.id !== activityId || !isObject(a.definition)) continue;
      definition = definition ? mergeDefinitions(definition, a.definition) : { ...a.definition };
    }
  return { objectType: "Activity", id: activityId, ...(definition ? { definition } : {}) };
}

/** The Person for an agent: every name the statements give that identifier, and the identifier. */
export async function personObject(ctx: AppContext, agent: Agent): Promise<Record<string, unknown>> {
  const ifi = ifiOf(agent)!;
  const rows = await ctx.db
    .selectDistinct({ name: sql<string | null>`${xapiStatements.statement} -> 'actor' ->> 'name'` })
    .from(xapiStatements)
    .where(eq(xapiStatements.actorIfi, ifi));
  const names = new Set<string>();
  if (agent.name) names.add(agent.name);
  for (const { name } of rows) if (name) names.add(name);
  const person: Record<string, unknown> = { objectType: "Person" };
  if (names.size) person.name = [...names].sort();
  if (agent.mbox) person.mbox = [agent.mbox];
  if (agent.mbox_sha1sum) person.mbox_sha1sum = [agent.mbox_sha1sum];
  if (agent.openid) person.openid = [agent.openid];
  if (agent.account) person.account = [{ homePage: agent.account.homePage, name: agent.account.name }];
  return person;
}

/** Scopes that may read Activities and Agents. */
const DEFINITION_READ_SCOPES = ["all/read", "statements/read", "define", "profile", "state"];

/** Registers State, Activity Profile, Agent Profile, Activities and Agents inside the /xapi scope. */
export async function documentRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const config = { rateLimit: false } as const;
  for (const r of RESOURCES) {
    const h = documentHandlers(ctx, r);
    app.get(r.path, { config }, h.get);
    app.put(r.path, { config }, h.put);
    app.post(r.path, { config }, h.post);
    app.delete(r.path, { config }, h.remove);
  }

  app.get("/activities", { config }, async (req) => {
    requireScope(req, ...DEFINITION_READ_SCOPES);
    const q = queryParams(req, ["activityId"]);
    return activityObject(ctx, activityParam(q.activityId));
  });

  app.get("/agents", { config }, async (req) => {
    requireScope(req, ...DEFINITION_READ_SCOPES);
    const q = queryParams(req, ["agent"]);
    return personObject(ctx, agentParam(q.agent));
  });
}
