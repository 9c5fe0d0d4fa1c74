import { createHash, randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { xapiStatementRefs, xapiStatements } from "../../../db/schema";
import type { AppContext } from "../../context";
import { rows, type Executor } from "../../platform/db";
import { ifiOf, ifisOf, parseAgentParam, type Agent } from "./agents";
import { VOIDED, isTimestamp, isUuid, statementProblems } from "./validate";
import { XapiHttpError, bad, bodyText, hasScope, queryParams, requireScope, type LrsClient } from "./xapi-http";

type Statement = Record<string, unknown> & {
  id?: string;
  actor: Agent;
  verb: { id: string; display?: Record<string, string> };
  object: Record<string, unknown>;
  context?: Record<string, unknown>;
  attachments?: { usageType: string; sha2: string; contentType: string; length: number; fileUrl?: string }[];
  timestamp?: string;
};
type Part = { headers: Record<string, string>; body: Buffer };

const SIGNATURE = "http://adlnet.gov/expapi/attachments/signature";
const MAX_LIMIT = 100;
const noLimit = { rateLimit: false } as const;

// ---------- multipart/mixed ----------

function boundaryOf(contentType: string): string | null {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]).trim() : null;
}

/** Splits a multipart/mixed body into its parts (headers lower-cased). */
export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw bad("The multipart body has no part with the declared boundary");
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, pos);
    if (next < 0) throw bad("The multipart body is not closed by its boundary");
    let chunk = body.subarray(pos, next);
    if (chunk.subarray(0, 2).toString() === "\r\n") chunk = chunk.subarray(2);
    if (chunk.subarray(chunk.length - 2).toString() === "\r\n") chunk = chunk.subarray(0, chunk.length - 2);
    const split = chunk.indexOf("\r\n\r\n");
    const head = split < 0 ? "" : chunk.subarray(0, split).toString("utf8");
    const headers: Record<string, string> = {};
    for (const line of head.split("\r\n")) {
      const i = line.indexOf(":");
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    parts.push({ headers, body: split < 0 ? chunk : chunk.subarray(split + 4) });
    pos = next;
  }
  return parts;
}

// ---------- Storing ----------

/** Tokens for the filters: "<ifi>" anywhere, "actor:<ifi>", "object:<ifi>"; activities "<id>" anywhere. */
function related(s: Statement): { agents: string[]; activities: string[] } {
  const agents = new Set<string>();
  const activities = new Set<string>();
  const addAgent = (a: unknown, role?: string) => {
    if (!a || typeof a !== "object") return;
    for (const i of ifisOf(a as Agent)) {
      agents.add(i);
      if (role) agents.add(`${role}:${i}`);
    }
  };
  const addActivity = (a: unknown) => {
    if (a && typeof a === "object" && typeof (a as { id?: unknown }).id === "string")
      activities.add((a as { id: string }).id);
  };
  const walk = (st: Record<string, unknown>, top: boolean) => {
    addAgent(st.actor, top ? "actor" : undefined);
    const o = st.object as Record<string, unknown>;
    const type = o.objectType ?? "Activity";
    if (type === "Activity") addActivity(o);
    else if (type === "Agent" || type === "Group") addAgent(o, top ? "object" : undefined);
    else if (type === "SubStatement") walk(o, false);
    const c = st.context as Record<string, unknown> | undefined;
    if (c) {
      addAgent(c.instructor);
      addAgent(c.team);
      const ca = c.contextActivities as Record<string, unknown> | undefined;
      if (ca) for (const v of Object.values(ca)) (Array.isArray(v) ? v : [v]).forEach(addActivity);
      for (const x of (c.contextAgents as { agent?: unknown }[] | undefined) ?? []) addAgent(x.agent);
      for (const x of (c.contextGroups as { group?: unknown }[] | undefined) ?? []) addAgent(x.group);
    }
  };
  walk(s, true);
  if (s.authority) addAgent(s.authority);
  return { agents: [...agents], activities: [...activities] };
}

/** A context's contextActivities as arrays (xAPI: an LRS returns them in arrays even when one was sent). */
function withArrays(st: Record<string, unknown>): Record<string, unknown> {
  const out = { ...st };
  const c = st.context as Record<string, unknown> | undefined;
  const ca = c?.contextActivities as Record<string, unknown> | undefined;
  if (c && ca && typeof ca === "object")
    out.context = {
      ...c,
      contextActivities: Object.fromEntries(Object.entries(ca).map(([k, v]) => [k, Array.isArray(v) ? v : [v]])),
    };
  const o = st.object as Record<string, unknown> | undefined;
  if (o && typeof o === "object" && o.objectType === "SubStatement") out.object = withArrays(o);
  return out;
}

/** A duration with its seconds truncated to hundredths: more precision is not compared (xAPI 2.0). */
function truncatedDuration(d: unknown): unknown {
  if (typeof d !== "string") return d;
  return d.replace(/(\d+)\.(\d+)S$/, (_m, whole: string, frac: string) => {
    const f = frac.slice(0, 2).replace(/0+$/, "");
    return f ? `${whole}.${f}S` : `${whole}S`;
  });
}
function forComparison(st: Record<string, unknown>): Record<string, unknown> {
  const out = withArrays(st);
  const r = out.result as Record<string, unknown> | undefined;
  if (r && typeof r === "object" && r.duration !== undefined)
    out.result = { ...r, duration: truncatedDuration(r.duration) };
  const o = out.object as Record<string, unknown> | undefined;
  if (o && typeof o === "object" && o.objectType === "SubStatement") out.object = forComparison(o);
  return out;
}

/** Comparison ignoring what the LRS sets (stored, authority, version) and key order, for duplicate ids. */
function sameStatement(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const strip = (s: Record<string, unknown>) => {
    const { stored: _s, authority: _a, version: _v, ...rest } = forComparison(s);
    return canonicalJson(rest);
  };
  return strip(a) === strip(b);
}
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/** A compact JWS's payload must be the statement it signs (RS256/384/512). */
function checkSignature(s: Statement, part: Part | undefined, index: number) {
  if (!part) throw bad(`statement ${index}: the signature attachment has no content`);
  const jws = part.body.toString("utf8").trim().split(".");
  if (jws.length !== 3) throw bad(`statement ${index}: the signature is not a compact JWS`);
  let header: { alg?: string };
  let payload: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(jws[0], "base64url").toString("utf8")) as { alg?: string };
    payload = JSON.parse(Buffer.from(jws[1], "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    throw bad(`statement ${index}: the signature's header or payload is not JSON`);
  }
  if (!["RS256", "RS384", "RS512"].includes(header.alg ?? ""))
    throw bad(`statement ${index}: the signature must use RS256, RS384 or RS512`);
  const { attachments: _a, ...mine } = s;
  const { attachments: _b, ...signed } = payload;
  const core = (x: Record<string, unknown>) => {
    const { id, ...rest } = x;
    return { rest, id };
  };
  const a = core(mine);
  const b = core(signed);
  if (!sameStatement(a.rest, b.rest) || (b.id !== undefined && a.id !== undefined && a.id !== b.id))
    throw bad(`statement ${index}: the signature's payload is not this statement`);
}

/** The Knowhow person a statement's actor is (their e-mail or their account on this instance). */
async function userOf(db: Executor, ctx: AppContext, actor: Agent): Promise<string | null> {
  const email = actor.mbox?.replace(/^mailto:/i, "").toLowerCase();
  const home = ctx.config.publicUrl ?? "https://knowhow.invalid";
  const found = email
    ? await rows<{ id: string }>(db, sql`select id from users where lower(email) = ${email} limit 1`)
    : actor.account && actor.account.homePage === home && isUuid(actor.account.name)
      ? await rows<{ id: string }>(db, sql`select id from users where id = ${actor.account.name}::uuid`)
      : [];
  return found[0]?.id ?? null;
}

/**
 * Validates and stores statements in one transaction: all or none. Ids are assigned where missing;
 * a known id with the same statement is left as it is (the LRS does not modify statements), with a
 * different one it is a 409. Voiding statements void their target (never another voiding statement).
 */
export async function storeStatements(
  ctx: AppContext,
  client: LrsClient,
  given: Statement[],
  parts: Part[],
  version: string,
): Promise<string[]> {
  given.forEach((s, i) => {
    const problems = statementProblems(s, given.length > 1 ? `statements[${i}]` : "statement");
    if (problems.length) throw bad(problems.map((p) => `${p.path}: ${p.message}`).join("; "));
  });
  const list = given.map((s) => withArrays(s) as Statement);
  // Attachments: every one without a fileUrl must come as a part with its hash; no stray parts.
  const byHash = new Map(parts.map((p) => [p.headers["x-experience-api-hash"] ?? "", p]));
  for (const p of parts) {
    if (!p.headers["x-experience-api-hash"]) throw bad("Each attachment part needs an X-Experience-API-Hash header");
    if (p.headers["content-transfer-encoding"] && p.headers["content-transfer-encoding"] !== "binary")
      throw bad("Attachment parts must use Content-Transfer-Encoding: binary");
    const actual = createHash("sha256").update(p.body).digest("hex");
    if (actual !== p.headers["x-experience-api-hash"].toLowerCase()) {
      const other = ["sha384", "sha512"].map((h) => createHash(h).update(p.body).digest("hex"));
      if (!other.includes(p.headers["x-experience-api-hash"].toLowerCase()))
        throw bad("An attachment part's content does not match its X-Experience-API-Hash");
    }
  }
  const named = new Set<string>();
  list.forEach((s, i) => {
    for (const a of s.attachments ?? []) {
      named.add(a.sha2);
      if (!a.fileUrl && !byHash.has(a.sha2))
        throw bad(`statement ${i}: attachment ${a.sha2} is missing from the request`);
      if (a.usageType === SIGNATURE) {
        if (a.contentType !== "application/octet-stream")
          throw bad(`statement ${i}: a signature attachment must be application/octet-stream`);
        checkSignature(s, byHash.get(a.sha2), i);
      }
    }
  });
  for (const h of byHash.keys()) if (!named.has(h)) throw bad(`Attachment part ${h} is not named by any statement`);
  const ids = list.map((s) => s.id ?? randomUUID());
  if (new Set(ids).size !== ids.length) throw bad("The batch has the same statement id twice");
  const now = ctx.now();
  const stored = now.toISOString();
  return ctx.db.transaction(async (tx) => {
    const existing = await rows<{ id: string; statement: Record<string, unknown> }>(
      tx,
      sql`select id, statement from xapi_statements where id in (${sql.join(
        ids.map((i) => sql`${i}::uuid`),
        sql`, `,
      )})`,
    );
    const known = new Map(existing.map((e) => [e.id, e.statement]));
    const fresh: (typeof xapiStatements.$inferInsert)[] = [];
    const voids: { ref: string; index: number }[] = [];
    for (const [i, s] of list.entries()) {
      const id = ids[i];
      const had = known.get(id);
      if (had) {
        // The LRS set the timestamp when the statement came without one: compare without it then.
        const { timestamp: storedAt, ...rest } = had;
        const comparable = s.timestamp === undefined ? rest : { ...rest, timestamp: storedAt };
        if (!sameStatement(comparable, { ...s, id }))
          throw new XapiHttpError(409, `Statement ${id} exists with different content`);
        continue;
      }
      const full: Record<string, unknown> = {
        ...s,
        id,
        timestamp: s.timestamp ?? stored,
        stored,
        authority: client.authority,
        version: typeof s.version === "string" ? s.version : version,
      };
      const o = s.object;
      const type = (o.objectType as string | undefined) ?? "Activity";
      if (s.verb.id === VOIDED) voids.push({ ref: o.id as string, index: i });
      const rel = related(s);
      fresh.push({
        id,
        stored: now,
        timestamp: new Date(full.timestamp as string),
        actorIfi: ifiOf(s.actor) ?? `group:${id}`,
        verbId: s.verb.id,
        activityId: type === "Activity" ? (o.id as string) : null,
        refId: type === "StatementRef" ? (o.id as string) : null,
        registration: (s.context?.registration as string | undefined) ?? null,
        relatedAgents: rel.agents,
        relatedActivities: rel.activities,
        userId: await userOf(tx, ctx, s.actor),
        clientId: client.id,
        statement: full,
      });
    }
    for (const v of voids) {
      const [target] = await rows<{ verb_id: string }>(
        tx,
        sql`select verb_id from xapi_statements where id = ${v.ref}::uuid`,
      );
      const inBatch = fresh.find((f) => f.id === v.ref);
      const verbId = target?.verb_id ?? inBatch?.verbId;
      if (verbId === VOIDED) throw bad(`statement ${v.index}: a voiding statement cannot be voided`);
    }
    if (fresh.length) {
      const added = await tx
        .insert(xapiStatements)
        .values(fresh)
        .returning({ seq: xapiStatements.seq, refId: xapiStatements.refId });
      const refs = added.filter((r): r is { seq: number; refId: string } => r.refId !== null);
      if (refs.length) await tx.insert(xapiStatementRefs).values(refs);
    }
    for (const p of parts)
      await tx.execute(
        sql`insert into xapi_attachments (sha2, content_type, length, content_base64)
            values (${p.headers["x-experience-api-hash"].toLowerCase()}, ${p.headers["content-type"] ?? "application/octet-stream"},
              ${p.body.length}, ${p.body.toString("base64")}) on conflict (sha2) do nothing`,
      );
    if (voids.length)
      await tx.execute(
        sql`update xapi_statements set voided = true where id in (${sql.join(
          voids.map((v) => sql`${v.ref}::uuid`),
          sql`, `,
        )}) and verb_id <> ${VOIDED}`,
      );
    return ids;
  });
}

/** Reads a PUT or POST body: JSON, or multipart/mixed with the statements first and attachments after. */
function readBody(req: FastifyRequest): { statements: unknown; parts: Part[] } {
  const type = String(req.headers["content-type"] ?? "");
  if (/^multipart\/mixed/i.test(type)) {
    const boundary = boundaryOf(type);
    if (!boundary) throw bad("multipart/mixed needs a boundary");
    const [first, ...rest] = parseMultipart(req.body as Buffer, boundary);
    if (!first || !/application\/json/i.test(first.headers["content-type"] ?? ""))
      throw bad("The first part of a multipart request must be the statements, as application/json");
    try {
      return { statements: JSON.parse(first.body.toString("utf8")), parts: rest };
    } catch {
      throw bad("The statements part is not valid JSON");
    }
  }
  if (!/^application\/json/i.test(type)) throw bad("Send statements as application/json or multipart/mixed");
  const text = bodyText(req);
  try {
    return { statements: JSON.parse(text), parts: [] };
  } catch {
    throw bad("The body is not valid JSON");
  }
}

// ---------- Reading ----------

type Format = "exact" | "ids" | "canonical";

function idsOnly(s: Record<string, unknown>): Record<string, unknown> {
  const agent = (a: unknown) => {
    const x = a as Agent & { member?: Agent[] };
    const ifiKeys = ["mbox", "mbox_sha1sum", "openid", "account"] as const;
    const out: Record<string, unknown> = { objectType: x.objectType ?? "Agent" };
    for (const k of ifiKeys) if (x[k] !== undefined) out[k] = x[k];
    if (x.objectType === "Group" && x.member && !ifiKeys.some((k) => x[k] !== undefined))
      out.member = x.member.map(agent);
    return out;
  };
  const obj = (o: Record<string, unknown>): Record<string, unknown> => {
    const type = o.objectType ?? "Activity";
    if (type === "Activity") return { id: o.id };
    if (type === "Agent" || type === "Group") return agent(o);
    if (type === "SubStatement")
      return {
        ...o,
        actor: agent(o.actor),
        verb: verbId(o.verb),
        object: obj(o.object as Record<string, unknown>),
        ...(o.context ? { context: context(o.context as Record<string, unknown>) } : {}),
      };
    return o;
  };
  const verbId = (v: unknown) => ({ id: (v as { id: string }).id });
  const context = (c: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...c };
    if (c.instructor) out.instructor = agent(c.instructor);
    if (c.team) out.team = agent(c.team);
    const ca = c.contextActivities as Record<string, { id: string }[]> | undefined;
    if (ca)
      out.contextActivities = Object.fromEntries(
        Object.entries(ca).map(([k, list]) => [k, (Array.isArray(list) ? list : [list]).map((a) => ({ id: a.id }))]),
      );
    return out;
  };
  const out: Record<string, unknown> = {
    ...s,
    actor: agent(s.actor),
    verb: verbId(s.verb),
    object: obj(s.object as Record<string, unknown>),
  };
  if (s.context) out.context = context(s.context as Record<string, unknown>);
  if (s.authority) out.authority = agent(s.authority);
  return out;
}

/** Language maps reduced to the best language for the request's Accept-Language (canonical format). */
function canonical(v: unknown, langs: string[], key = ""): unknown {
  if (Array.isArray(v)) return v.map((x) => canonical(x, langs));
  if (!v || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  if (["display", "name", "description"].includes(key) && Object.values(o).every((x) => typeof x === "string")) {
    const keys = Object.keys(o);
    const pick =
      langs
        .map(
          (l) =>
            keys.find((k) => k.toLowerCase() === l) ?? keys.find((k) => k.toLowerCase().startsWith(l.split("-")[0])),
        )
        .find(Boolean) ?? keys[0];
    return pick ? { [pick]: o[pick] } : {};
  }
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, canonical(x, langs, k)]));
}

function present(stored: Record<string, unknown>, format: Format, req: FastifyRequest): Record<string, unknown> {
  const s = withArrays(stored);
  if (format === "ids") return idsOnly(s);
  if (format === "canonical") {
    const langs = String(req.headers["accept-language"] ?? "")
      .split(",")
      .map((x) => x.split(";")[0].trim().toLowerCase())
      .filter(Boolean);
    return canonical(s, langs) as Record<string, unknown>;
  }
  return s;
}

const QUERY_PARAMS = [
  "statementId",
  "voidedStatementId",
  "agent",
  "verb",
  "activity",
  "registration",
  "related_activities",
  "related_agents",
  "since",
  "until",
  "limit",
  "format",
  "attachments",
  "ascending",
  "from",
] as const;

const boolParam = (v: string | undefined, name: string) => {
  if (v === undefined) return false;
  if (v === "true") return true;
  if (v === "false") return false;
  throw bad(`${name} must be true or false`);
};

/** Who may read what: all/read and statements/read see everything; statements/read/mine only this client's. */
function readScope(client: LrsClient, t: SQL = sql`s`): SQL {
  if (hasScope(client, "statements/read") || hasScope(client, "all/read")) return sql`true`;
  return sql`${t}.client_id = ${client.id}`;
}

async function sendStatements(
  reply: FastifyReply,
  body: Record<string, unknown>,
  withAttachments: boolean,
  statements: Record<string, unknown>[],
  ctx: AppContext,
) {
  if (!withAttachments) return reply.type("application/json").send(body);
  const hashes = [
    ...new Set(
      statements.flatMap((s) =>
        ((s.attachments as { sha2: string }[] | undefined) ?? []).map((a) => a.sha2.toLowerCase()),
      ),
    ),
  ];
  const found = hashes.length
    ? await rows<{ sha2: string; content_type: string; content_base64: string }>(
        ctx.db,
        sql`select sha2, content_type, content_base64 from xapi_attachments where sha2 in (${sql.join(
          hashes.map((h) => sql`${h}`),
          sql`, `,
        )})`,
      )
    : [];
  const boundary = `knowhow-${randomUUID()}`;
  const chunks: Buffer[] = [
    Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(body)}\r\n`),
  ];
  for (const f of found)
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Type: ${f.content_type}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${f.sha2}\r\n\r\n`,
      ),
      Buffer.from(f.content_base64, "base64"),
      Buffer.from("\r\n"),
    );
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return reply.type(`multipart/mixed; boundary=${boundary}`).send(Buffer.concat(chunks));
}

async function getStatements(ctx: AppContext, req: FastifyRequest, reply: FastifyReply) {
  // On every answer, errors included (xAPI Communication 2.1.3).
  reply.header("X-Experience-API-Consistent-Through", ctx.now().toISOString());
  const client = requireScope(req, "statements/read", "statements/read/mine", "all/read");
  const q = queryParams(req, QUERY_PARAMS);
  const format = (q.format ?? "exact") as Format;
  if (!["exact", "ids", "canonical"].includes(format)) throw bad("format must be exact, ids or canonical");
  const withAttachments = boolParam(q.attachments, "attachments");
  const single = q.statementId ?? q.voidedStatementId;
  if (q.statementId && q.voidedStatementId) throw bad("Give statementId or voidedStatementId, not both");
  if (single !== undefined) {
    const others = Object.keys(q).filter(
      (k) => !["statementId", "voidedStatementId", "format", "attachments"].includes(k),
    );
    if (others.length)
      throw bad(`${others[0]} cannot be combined with ${q.statementId ? "statementId" : "voidedStatementId"}`);
    if (!isUuid(single)) throw bad(`${q.statementId ? "statementId" : "voidedStatementId"} must be a UUID`);
    const [row] = await rows<{ statement: Record<string, unknown>; voided: boolean; stored: Date | string }>(
      ctx.db,
      sql`select s.statement, s.voided, s.stored from xapi_statements s where s.id = ${single}::uuid and ${readScope(client)}`,
    );
    if (!row || row.voided !== Boolean(q.voidedStatementId))
      throw new XapiHttpError(404, `No ${q.voidedStatementId ? "voided " : ""}statement ${single}`);
    reply.header("Last-Modified", new Date(row.stored).toUTCString());
    return sendStatements(reply, present(row.statement, format, req), withAttachments, [row.statement], ctx);
  }
  const where: SQL[] = [sql`s.voided = false`, readScope(client)];
  // The filters on content (agent, verb, activity, registration) match a statement, or the statement
  // it refers to by a StatementRef (xAPI "Filter Conditions for StatementRefs"); the others (stored
  // time, paging) apply to the statement returned.
  const content: ((t: SQL) => SQL)[] = [];
  // The agent filter's alternatives, each a branch of its own so each walks its own index (below).
  let agentBranches: ((t: SQL) => SQL)[] | null = null;
  const relatedAgents = boolParam(q.related_agents, "related_agents");
  const relatedActivities = boolParam(q.related_activities, "related_activities");
  if (q.agent !== undefined) {
    const parsed = parseAgentParam(q.agent);
    if ("problems" in parsed) throw bad(parsed.problems.map((p) => `${p.path}: ${p.message}`).join("; "));
    const ifi = ifiOf(parsed.agent);
    if (!ifi) throw bad("agent must be identified (an anonymous Group cannot be a filter)");
    if (relatedAgents) content.push((t) => sql`${t}.related_agents @> array[${ifi}]::text[]`);
    else {
      // The Agent or Group is the actor (the actor itself, or a member of a Group as actor) or the object.
      agentBranches = [
        (t) => sql`${t}.actor_ifi = ${ifi}`,
        (t) =>
          sql`(${t}.statement->'actor'->>'objectType') = 'Group' and ${t}.related_agents @> array[${`actor:${ifi}`}]::text[]`,
        (t) =>
          sql`(${t}.statement->'object'->>'objectType') in ('Agent', 'Group') and ${t}.related_agents @> array[${`object:${ifi}`}]::text[]`,
      ];
    }
  }
  const verb = q.verb;
  if (verb !== undefined) content.push((t) => sql`${t}.verb_id = ${verb}`);
  const activity = q.activity;
  if (activity !== undefined)
    content.push((t) =>
      relatedActivities
        ? sql`${t}.related_activities @> array[${activity}]::text[]`
        : sql`${t}.activity_id = ${activity}`,
    );
  const registration = q.registration;
  if (registration !== undefined) {
    if (!isUuid(registration)) throw bad("registration must be a UUID");
    content.push((t) => sql`${t}.registration = ${registration}::uuid`);
  }
  const alternatives = agentBranches;
  const all = (t: SQL, parts: SQL[]) => sql.join([...parts, ...content.map((f) => f(t))], sql` and `);
  // One statement matches the content filters…
  const matches = (t: SQL) =>
    all(
      t,
      alternatives
        ? [
            sql`(${sql.join(
              alternatives.map((f) => f(t)),
              sql` or `,
            )})`,
          ]
        : [],
    );
  // …and the ways it may match, one branch each (the agent's alternatives; otherwise one).
  const branches: ((t: SQL) => SQL)[] = alternatives ? alternatives.map((f) => (t: SQL) => all(t, [f(t)])) : [matches];
  for (const k of ["since", "until"] as const) {
    if (q[k] === undefined) continue;
    if (!isTimestamp(q[k])) throw bad(`${k} must be an ISO 8601 timestamp with a time zone`);
    where.push(k === "since" ? sql`s.stored > ${q[k]}::timestamptz` : sql`s.stored <= ${q[k]}::timestamptz`);
  }
  let limit = MAX_LIMIT;
  if (q.limit !== undefined) {
    if (!/^\d+$/.test(q.limit)) throw bad("limit must be a whole number");
    limit = Number(q.limit) === 0 ? MAX_LIMIT : Math.min(MAX_LIMIT, Number(q.limit));
  }
  const ascending = boolParam(q.ascending, "ascending");
  if (q.from !== undefined) {
    if (!/^\d+$/.test(q.from)) throw bad("from must be a position given by a previous answer's more link");
    where.push(ascending ? sql`s.seq > ${Number(q.from)}` : sql`s.seq < ${Number(q.from)}`);
  }
  // Statements that refer to a voided statement are returned when the voided one matches: the
  // filters apply to the targets too (xAPI 2.1.3 "Filter Conditions for StatementRefs").
  // Two branches, each able to walk its own index in order and stop at the page's end: statements that
  // match themselves, and StatementRefs (few) whose target matches; merged by position. One OR of both
  // would hide the filters' indexes from the planner.
  const order = ascending ? sql`asc` : sql`desc`;
  const common = sql.join(where, sql` and `);
  const found = await rows<{ seq: number; statement: Record<string, unknown> }>(
    ctx.db,
    content.length || alternatives
      ? sql`select s.seq, s.statement from xapi_statements s join (
              select seq from (
                ${sql.join(
                  branches.map(
                    (b) => sql`(select s.seq from xapi_statements s where ${common} and ${b(sql`s`)}
                                order by s.seq ${order} limit ${limit + 1})`,
                  ),
                  sql` union `,
                )}
                union
                (select s.seq from xapi_statement_refs x join xapi_statements s on s.seq = x.seq
                 where ${common} and not coalesce((${matches(sql`s`)}), false)
                   and exists (select 1 from xapi_statements t where t.id = x.ref_id and ${readScope(client, sql`t`)} and ${matches(sql`t`)})
                 order by s.seq ${order} limit ${limit + 1})
              ) u order by seq ${order} limit ${limit + 1}
            ) p on p.seq = s.seq order by s.seq ${order}`
      : sql`select s.seq, s.statement from xapi_statements s where ${common}
            order by s.seq ${order} limit ${limit + 1}`,
  );
  const page = found.slice(0, limit);
  const params = new URLSearchParams(Object.entries(q).filter(([k]) => k !== "from"));
  if (found.length > limit) params.set("from", String(page[page.length - 1].seq));
  const body = {
    statements: page.map((r) => present(r.statement, format, req)),
    more: found.length > limit ? `/xapi/statements?${params.toString()}` : "",
  };
  return sendStatements(
    reply,
    body,
    withAttachments,
    page.map((r) => r.statement),
    ctx,
  );
}

/** The Statement Resource: PUT (one, with its id), POST (one or a batch), GET (one, or a query). */
export async function statementRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.put("/statements", { config: noLimit }, async (req, reply) => {
    const client = requireScope(req, "statements/write");
    const q = queryParams(req, ["statementId"]);
    if (!q.statementId) throw bad("statementId is required");
    if (!isUuid(q.statementId)) throw bad("statementId must be a UUID");
    const { statements, parts } = readBody(req);
    if (Array.isArray(statements)) throw bad("PUT takes one statement; POST takes a batch");
    const s = statements as Statement;
    if (s && typeof s === "object" && s.id !== undefined && s.id !== q.statementId)
      throw new XapiHttpError(409, "The statement's id differs from statementId");
    await storeStatements(ctx, client, [{ ...s, id: q.statementId }], parts, req.xapiVersion);
    return reply.status(204).send();
  });
  app.post("/statements", { config: noLimit }, async (req, reply) => {
    const client = requireScope(req, "statements/write");
    queryParams(req, []);
    const { statements, parts } = readBody(req);
    const list = (Array.isArray(statements) ? statements : [statements]) as Statement[];
    if (!list.length) throw bad("The batch is empty");
    const ids = await storeStatements(ctx, client, list, parts, req.xapiVersion);
    return reply.status(200).send(ids);
  });
  app.get("/statements", { config: noLimit }, async (req, reply) => getStatements(ctx, req, reply));
}
