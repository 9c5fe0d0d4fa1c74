/**
 * Authorization matrix generated from the app's own route table (every route it registers, with
 * the schemas of its OpenAPI document): a new route is covered without touching this file.
 *
 * On each backend it seeds a private space holding one item of every kind, each with a unique
 * marker in its title and text, plus public content that points at the private items (a duplicate
 * question, a superseded article). Then, for every route × actor, it fills path and query
 * parameters with the ids of the private items of the matching kind (and with public ids), sends
 * GETs — and, to actors who may not read the item, state-changing requests with a minimal body —
 * and fails when a response to a non-reader contains a private marker or a private id (naming the
 * route, the actor, what leaked and where in the JSON). It also records every list, count and
 * summary a non-reader sees before the private content exists and after, and fails on any
 * difference: no total, facet or count may include private content (relevance scores, which
 * depend on corpus statistics, are reported by a test of their own).
 *
 * Also: a non-reader gets the same answer for a private id as for one that does not exist;
 * anonymous lessons never name their author; requests from non-readers change nothing private
 * (the admin's view of every private item is the same before and after them); and every private
 * marker does reach one of its readers, so the seed and the matrix are real.
 */
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { notices, routingRequests } from "../../db/schema";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

const ACTORS = ["anonymous", "guest", "outsider", "formerMember", "member", "admin"] as const;
type ActorName = (typeof ACTORS)[number];
/** Actors who may read nothing private: the counts side channel is checked for them. */
const NON_READERS: ActorName[] = ["anonymous", "guest", "outsider", "formerMember"];
const SPACE_READERS: ActorName[] = ["member", "admin"];

const RUN = randomBytes(3).toString("hex");
/** A word in every private (and several public) titles and texts; sent as the search text. Never a marker. */
const WORD = `quokka${RUN}`;
let markerCount = 0;
/** A unique lower-case token; finding it in a response to someone who may not read its item is a leak. */
const mark = (kind: string) => `sx${kind}${++markerCount}x${RUN}`;

type JsonSchema = {
  type?: string;
  format?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  minItems?: number;
  default?: unknown;
};
type Param = { name: string; in: "path" | "query" | "header"; required?: boolean; schema: JsonSchema };
type Route = { method: string; path: string; params: Param[]; body: JsonSchema | null };

/**
 * The routes of the app: every route it registered (its onRoute table), with the parameter and
 * body schemas of the OpenAPI document @fastify/swagger builds from the same routes. A route the
 * document leaves out (hidden) is still covered, with its path parameters read from its URL.
 */
function routesOf(t: TestApp): { routes: Route[]; undocumented: string[] } {
  type Op = { parameters?: Param[]; requestBody?: { content?: Record<string, { schema: JsonSchema }> } };
  const doc = t.app.swagger() as { paths: Record<string, Record<string, Op>> };
  const routes: Route[] = [];
  const undocumented: string[] = [];
  const seen = new Set<string>();
  for (const r of t.routes) {
    if (
      !r.url.startsWith("/api/") ||
      r.url.startsWith("/api/docs") ||
      !["GET", "POST", "PUT", "PATCH", "DELETE"].includes(r.method)
    )
      continue;
    const path = r.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    if (seen.has(`${r.method} ${path}`)) continue;
    seen.add(`${r.method} ${path}`);
    const op = doc.paths[path]?.[r.method.toLowerCase()];
    if (!op) undocumented.push(`${r.method} ${path}`);
    const params: Param[] =
      op?.parameters?.filter((p) => p.in !== "header") ??
      [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({
        name,
        in: "path" as const,
        required: true,
        schema: /id$/i.test(name) ? { type: "string", format: "uuid" } : { type: "string", minLength: 10 },
      }));
    routes.push({
      method: r.method,
      path,
      params,
      body: op?.requestBody?.content?.["application/json"]?.schema ?? null,
    });
  }
  return { routes, undocumented };
}

// ---------- What a parameter refers to ----------

/** The kind of thing a uuid names, from its name or the path segment before it. Unknown: every private id is tried. */
const KIND_BY_NAME: Record<string, string> = {
  articleId: "article",
  spaceId: "space",
  userId: "person",
  authorId: "person",
  ownerId: "person",
  toUserId: "person",
  managerId: "person",
  participantIds: "person",
  itemId: "retroItem",
  duplicateOfId: "question",
  supersededById: "article",
  answerId: "answer",
  questionId: "question",
  postId: "post",
  lessonId: "lesson",
  fileId: "sessionFile",
};
const KIND_BY_SEGMENT: Record<string, string> = {
  spaces: "space",
  communities: "community",
  sessions: "session",
  feedback: "feedbackRequest",
  files: "sessionFile",
  members: "person",
  people: "person",
  articles: "article",
  "article-comments": "articleComment",
  reads: "article",
  attachments: "attachment",
  questions: "question",
  answers: "answer",
  lessons: "lesson",
  retrospectives: "retrospective",
  items: "retroItem",
  posts: "post",
  journal: "journal",
  challenges: "challenge",
  notices: "notice",
  requests: "routingRequest",
  invitations: "invitation",
};
const ANY = "*";
/** An id that names nothing (for parameters whose kind has no public item). */
const NOTHING = randomUUID();

const isUuid = (s: JsonSchema): boolean => s.format === "uuid" || !!s.anyOf?.some(isUuid);
const enumOf = (s: JsonSchema): string[] | null => (s.enum ? s.enum.map(String) : null);

// ---------- The seed ----------

type Secret = { label: string; id: string | null; marker: string | null; readers: ActorName[] };

class Registry {
  secrets: Secret[] = [];
  privateIds = new Map<string, string[]>();
  publicIds = new Map<string, string[]>();
  readersOf = new Map<string, ActorName[]>();

  /** A private thing: its id (for parameters) and marker, and the actors who may read it. */
  private(
    kind: string,
    label: string,
    id: string | null,
    marker: string | null,
    readers: ActorName[] = SPACE_READERS,
  ): void {
    this.secrets.push({ label: `${kind} ${label}`, id, marker, readers });
    if (!id) return;
    this.privateIds.set(kind, [...(this.privateIds.get(kind) ?? []), id]);
    this.readersOf.set(id, readers);
  }
  public(kind: string, id: string): void {
    this.publicIds.set(kind, [...(this.publicIds.get(kind) ?? []), id]);
  }
  privateOf(kind: string): string[] {
    if (kind === ANY) return [...new Set([...this.privateIds.values()].flat())];
    return this.privateIds.get(kind) ?? [];
  }
  publicOf(kind: string): string[] {
    return this.publicIds.get(kind) ?? [];
  }
  kindsWithPrivate(): string[] {
    return [...this.privateIds.keys()];
  }
}

// ---------- Requests over HTTP (a server-sent-events route answers a stream: read briefly, then hang up) ----------

type Session = { cookie: string; csrf: string } | null;
type Res = { status: number; text: string; contentType: string; setsSession: boolean };
function send(
  agent: http.Agent,
  port: number,
  method: string,
  url: string,
  session: Session,
  body?: { json?: unknown; multipart?: { name: string; content: string } },
): Promise<Res> {
  const headers: Record<string, string> = {};
  let payload: Buffer | undefined;
  if (session) {
    headers.cookie = session.cookie;
    if (method !== "GET") headers["x-csrf-token"] = session.csrf;
  }
  if (body?.json !== undefined) {
    payload = Buffer.from(JSON.stringify(body.json));
    headers["content-type"] = "application/json";
  } else if (body?.multipart) {
    const boundary = `----matrix${RUN}`;
    payload = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${body.multipart.name}"\r\nContent-Type: text/plain\r\n\r\n${body.multipart.content}\r\n--${boundary}--\r\n`,
    );
    headers["content-type"] = `multipart/form-data; boundary=${boundary}`;
  }
  if (payload) headers["content-length"] = String(payload.length);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: url, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        const setCookie = res.headers["set-cookie"] ?? [];
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString("utf8"),
          contentType: String(res.headers["content-type"] ?? ""),
          setsSession: setCookie.some((c) => c.startsWith("kh_session=")),
        });
      };
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", finish);
      res.on("close", finish);
      if (String(res.headers["content-type"] ?? "").startsWith("text/event-stream")) {
        setTimeout(() => {
          finish();
          res.destroy();
        }, 300);
      }
    });
    req.setTimeout(120_000, () => req.destroy(new Error(`${method} ${url}: no answer in 120 s`)));
    req.on("error", reject);
    req.end(payload);
  });
}

// ---------- Building requests from the schemas ----------

type Case = {
  route: Route;
  url: string;
  body?: { json?: unknown; multipart?: { name: string; content: string } };
  refs: string[];
};

function text(s: JsonSchema): string {
  if (s.format === "email") return `probe.${RUN}@example.test`;
  if (s.format === "date-time") return "2026-03-01T00:00:00Z";
  let v = `probe ${WORD}`;
  while (v.length < (s.minLength ?? 0)) v += " probe";
  return v.slice(0, s.maxLength ?? v.length);
}

/** One value for a path parameter: what it names (kind) and the candidates. */
type Slot = { name: string; kind: string | null; values: string[] };

function pathKind(path: string, name: string, enumValue: Map<string, string>): string {
  if (KIND_BY_NAME[name]) return KIND_BY_NAME[name];
  const segments = path.split("/").filter(Boolean);
  const at = segments.indexOf(`{${name}}`);
  const before = segments[at - 1] ?? "";
  const param = /^\{(.+)\}$/.exec(before);
  if (param && enumValue.has(param[1])) return enumValue.get(param[1])!;
  return KIND_BY_SEGMENT[before] ?? ANY;
}

/**
 * Fills a JSON body schema. `target` = a private id and its kind: uuid fields that may name that
 * kind get it (and a sibling "…Type"/"type" enum is set to the kind); other uuid fields get public ids.
 */
function fillBody(
  schema: JsonSchema,
  reg: Registry,
  target: { kind: string; id: string } | null,
  used: { hit: boolean },
  name = "",
): unknown {
  const s = schema.anyOf?.find((x) => x.type !== "null") ?? schema.oneOf?.find((x) => x.type !== "null") ?? schema;
  if (isUuid(s)) {
    const kind = KIND_BY_NAME[name] ?? ANY;
    if (target && (kind === ANY || kind === target.kind)) {
      used.hit = true;
      return target.id;
    }
    return reg.publicOf(kind === ANY ? "article" : kind)[0] ?? NOTHING;
  }
  const values = enumOf(s);
  if (values) return s.default !== undefined ? s.default : values[0];
  switch (s.type) {
    case "object": {
      const out: Record<string, unknown> = {};
      const props = s.properties ?? {};
      const required = new Set(s.required ?? []);
      for (const [key, sub] of Object.entries(props)) {
        const probe = { hit: false };
        const value = fillBody(sub, reg, target, probe, key);
        if (required.has(key) || probe.hit) {
          out[key] = value;
          if (probe.hit) used.hit = true;
        }
      }
      // A "subjectType"/"targetType"/"type" enum names the kind of its sibling id.
      if (target) {
        for (const [key, sub] of Object.entries(props)) {
          const kinds = enumOf(sub);
          const idKey = key === "type" ? "id" : key.endsWith("Type") ? `${key.slice(0, -4)}Id` : null;
          if (kinds && idKey && out[idKey] === target.id && kinds.includes(target.kind)) out[key] = target.kind;
        }
      }
      return out;
    }
    case "array": {
      const probe = { hit: false };
      const item = fillBody(s.items ?? {}, reg, target, probe, name);
      if (probe.hit) used.hit = true;
      return (s.minItems ?? 0) > 0 || probe.hit ? [item] : [];
    }
    case "integer":
    case "number":
      return s.minimum ?? 1;
    case "boolean":
      return false;
    case "string":
      return text(s);
    default:
      return null;
  }
}

/** Body-level kinds a route's body can name (uuid fields, with sibling type enums), to try each private id of each. */
function bodyKinds(schema: JsonSchema | null, name = ""): Set<string> {
  const out = new Set<string>();
  if (!schema) return out;
  const s = schema.anyOf?.find((x) => x.type !== "null") ?? schema;
  if (isUuid(s)) out.add(KIND_BY_NAME[name] ?? ANY);
  for (const [key, sub] of Object.entries(s.properties ?? {})) {
    const kinds = enumOf(sub);
    const idKey = key === "type" ? "id" : key.endsWith("Type") ? `${key.slice(0, -4)}Id` : null;
    if (kinds && idKey && s.properties?.[idKey]) for (const k of kinds) out.add(k);
    for (const k of bodyKinds(sub, key)) out.add(k);
  }
  if (s.items) for (const k of bodyKinds(s.items, name)) out.add(k);
  return out;
}

/**
 * The requests for one route. mode "private": at least one parameter names a private item;
 * "public": parameters name public items only (and the search word), for GETs and counts.
 */
function casesOf(route: Route, reg: Registry, mode: "private" | "public"): Case[] {
  const pathParams = route.params.filter((p) => p.in === "path");
  const required = route.params.filter((p) => p.in === "query" && p.required);
  const optional = route.params.filter((p) => p.in === "query" && !p.required);
  const slotted = [...pathParams, ...required];
  // Enum parameters (e.g. /verification/{type}/{id}) are tried with each value; they decide the kind of their id.
  const enumParams = slotted.filter((p) => enumOf(p.schema));
  const enumCombos: Map<string, string>[] = [new Map()];
  for (const p of enumParams) {
    const next: Map<string, string>[] = [];
    for (const combo of enumCombos) for (const v of enumOf(p.schema)!) next.push(new Map([...combo, [p.name, v]]));
    enumCombos.splice(0, enumCombos.length, ...next);
  }
  const assignments: { values: Map<string, string>; refs: string[] }[] = [];
  for (const combo of enumCombos) {
    // The enum of a query pair (subjectType + subjectId) names the kind of the id too.
    const slots: Slot[] = slotted
      .filter((p) => !enumOf(p.schema))
      .map((p) => {
        if (isUuid(p.schema)) {
          const pairedType = p.name.endsWith("Id") ? combo.get(`${p.name.slice(0, -2)}Type`) : undefined;
          const kind = pairedType ?? pathKind(route.path, p.name, combo);
          return { name: p.name, kind, values: [] };
        }
        if (p.schema.type === "integer" || p.schema.type === "number")
          return { name: p.name, kind: null, values: ["1", "2"] };
        return { name: p.name, kind: null, values: [text(p.schema).replace(/ /g, "-")] };
      });
    const fallback = (slot: Slot, privateFirst: boolean) => {
      if (!slot.kind) return slot.values[0];
      const pool = privateFirst ? [...reg.privateOf(slot.kind), ...reg.publicOf(slot.kind)] : reg.publicOf(slot.kind);
      return pool[0] ?? NOTHING;
    };
    const uuidSlots = slots.filter((s) => s.kind);
    const plainSlots = slots.filter((s) => !s.kind);
    // Integer and string parameters: every value, each with the uuid choices below.
    const plainCombos: Map<string, string>[] = [new Map()];
    for (const s of plainSlots) {
      const next: Map<string, string>[] = [];
      for (const c of plainCombos) for (const v of s.values) next.push(new Map([...c, [s.name, v]]));
      plainCombos.splice(0, plainCombos.length, ...next);
    }
    for (const plain of plainCombos) {
      if (mode === "private") {
        for (const s of uuidSlots) {
          for (const id of reg.privateOf(s.kind!)) {
            const values = new Map([...combo, ...plain]);
            for (const o of uuidSlots) values.set(o.name, o === s ? id : fallback(o, true));
            assignments.push({ values, refs: [...values.values()].filter((v) => reg.readersOf.has(v)) });
          }
        }
      } else {
        if (uuidSlots.length === 0) assignments.push({ values: new Map([...combo, ...plain]), refs: [] });
        for (const s of uuidSlots) {
          for (const id of reg.publicOf(s.kind!)) {
            const values = new Map([...combo, ...plain]);
            for (const o of uuidSlots) values.set(o.name, o === s ? id : fallback(o, false));
            assignments.push({ values, refs: [] });
          }
          if (reg.publicOf(s.kind!).length === 0) {
            const values = new Map([...combo, ...plain]);
            for (const o of uuidSlots) values.set(o.name, fallback(o, false));
            assignments.push({ values, refs: [] });
          }
        }
      }
    }
  }
  if (mode === "private" && slotted.length === 0) assignments.push({ values: new Map(), refs: [] });

  const cases: Case[] = [];
  const seen = new Set<string>();
  const add = (c: Case) => {
    const key = `${c.url} ${JSON.stringify(c.body ?? null)}`;
    if (seen.has(key)) return;
    seen.add(key);
    cases.push(c);
  };
  for (const a of assignments) {
    let url = route.path;
    const query = new URLSearchParams();
    for (const p of pathParams) url = url.replace(`{${p.name}}`, encodeURIComponent(a.values.get(p.name) ?? ""));
    for (const p of required) query.set(p.name, a.values.get(p.name) ?? "");
    const withQuery = (q: URLSearchParams) => (q.size ? `${url}?${q}` : url);
    if (route.method === "GET") {
      add({ route, url: withQuery(query), refs: a.refs });
      // Optional query parameters one at a time: the search word in text fields, each enum value, ids.
      for (const p of optional) {
        const values: { v: string; ref?: string }[] = [];
        const en = enumOf(p.schema);
        if (isUuid(p.schema)) {
          const kind = KIND_BY_NAME[p.name] ?? ANY;
          for (const id of reg.publicOf(kind === ANY ? "article" : kind)) values.push({ v: id });
          if (mode === "private") for (const id of reg.privateOf(kind)) values.push({ v: id, ref: id });
        } else if (en) {
          for (const v of en) if (v !== p.schema.default) values.push({ v });
        } else if (p.schema.type === "string" && !p.schema.format) {
          values.push({ v: WORD });
        }
        for (const { v, ref } of values) {
          if (mode === "private" && !ref && a.refs.length === 0) continue;
          const q = new URLSearchParams(query);
          q.set(p.name, v);
          add({ route, url: withQuery(q), refs: ref ? [...a.refs, ref] : a.refs });
        }
      }
      continue;
    }
    const target = withQuery(query);
    if (mode === "public") {
      // Public parameters: one minimal request (still checked for private content in the answer).
      add({
        route,
        url: target,
        body: route.body ? { json: fillBody(route.body, reg, null, { hit: false }) } : undefined,
        refs: [],
      });
      continue;
    }
    if (route.body) {
      add({ route, url: target, body: { json: fillBody(route.body, reg, null, { hit: false }) }, refs: a.refs });
      for (const kind of bodyKinds(route.body)) {
        for (const id of reg.privateOf(kind)) {
          const actualKind = kind === ANY ? [...reg.privateIds].find(([, ids]) => ids.includes(id))![0] : kind;
          const used = { hit: false };
          const json = fillBody(route.body, reg, { kind: actualKind, id }, used);
          if (used.hit) add({ route, url: target, body: { json }, refs: [...a.refs, id] });
        }
      }
    } else {
      add({ route, url: target, refs: a.refs });
      if (route.method === "POST" || route.method === "PUT")
        add({
          route,
          url: target,
          body: { multipart: { name: "probe.txt", content: `probe ${WORD}\n` } },
          refs: a.refs,
        });
    }
  }
  return cases;
}

// ---------- Finding leaks in a response ----------

type Leak = { what: string; where: string[] };

/** Where in a JSON document a needle occurs (paths of string values or keys). */
function pathsOf(textBody: string, needle: string): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(textBody);
  } catch {
    return ["(body)"];
  }
  const out: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (out.length >= 3) return;
    if (typeof v === "string") {
      if (v.toLowerCase().includes(needle)) out.push(path || "(value)");
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        if (k.toLowerCase().includes(needle)) out.push(`${path}.${k} (key)`);
        walk(x, path ? `${path}.${k}` : k);
      }
  };
  walk(doc, "");
  return out;
}

function leaksIn(reg: Registry, actor: ActorName, res: Res, requestText: string): Leak[] {
  const body = res.text.toLowerCase();
  const asked = requestText.toLowerCase();
  const out: Leak[] = [];
  for (const s of reg.secrets) {
    if (s.readers.includes(actor)) continue;
    if (s.marker && body.includes(s.marker))
      out.push({ what: `${s.label} (marker ${s.marker})`, where: pathsOf(res.text, s.marker) });
    else if (s.id && body.includes(s.id) && !asked.includes(s.id))
      out.push({ what: `${s.label} (id ${s.id})`, where: pathsOf(res.text, s.id) });
  }
  return out;
}

/** JSON objects that name an anonymous lesson must not name its author. */
function anonymityBreaches(
  res: Res,
  lesson: { id: string; marker: string; authorId: string; authorName: string },
): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(res.text);
  } catch {
    return [];
  }
  const out: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`));
    if (!v || typeof v !== "object") return;
    const direct = Object.values(v).filter((x): x is string => typeof x === "string");
    if (direct.some((x) => x === lesson.id || x.toLowerCase().includes(lesson.marker))) {
      const s = JSON.stringify(v);
      if (s.includes(lesson.authorId) || s.includes(lesson.authorName)) out.push(path || "(root)");
      return;
    }
    for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(doc, "");
  return out;
}

// ---------- Counts side channel ----------

/** Only these change between two identical requests: durations, uptime, the session's CSRF token. */
const VOLATILE = new Set(["tookMs", "uptimeSeconds", "csrfToken"]);

function normalise(res: Res): unknown {
  try {
    return JSON.parse(res.text, (key, value) => (VOLATILE.has(key) ? "<volatile>" : value));
  } catch {
    return res.text;
  }
}

function normaliseText(textBody: string): unknown {
  return normalise({ status: 0, text: textBody, contentType: "", setsSession: false });
}

/** Relevance scores (fractions) and evidence weights depend on corpus statistics; told apart from counts. */
function isRankingStatistic(line: string): boolean {
  return (
    /(^|\.)(score|weight): -?\d+\.\d+ → -?\d+(\.\d+)?$/.test(line) ||
    /(^|\.)(score|weight): -?\d+ → -?\d+\.\d+$/.test(line)
  );
}

function differences(a: unknown, b: unknown, path = ""): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    const out: string[] = [];
    for (const k of keys)
      out.push(
        ...differences(
          (a as Record<string, unknown>)[k],
          (b as Record<string, unknown>)[k],
          Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k,
        ),
      );
    return out;
  }
  const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v).slice(0, 160));
  return [`${path || "(body)"}: ${show(a)} → ${show(b)}`];
}

// ---------- The test ----------

describe.each(testBackends())("authorization matrix from the route table, on %s", (backend) => {
  let t: TestApp;
  let port: number;
  const reg = new Registry();
  const sessions = {} as Record<ActorName, Session>;
  const emails = {} as Record<Exclude<ActorName, "anonymous">, string>;
  let routes: Route[] = [];
  let undocumented: string[] = [];
  const leaks = new Map<
    string,
    { route: string; actor: ActorName; what: string; urls: Set<string>; where: Set<string>; status: Set<number> }
  >();
  const countDiffs: string[] = [];
  const rankingDiffs: string[] = [];
  const anonymity: string[] = [];
  const seenByReader = new Set<string>();
  const acceptedWrites: string[] = [];
  const oracles = new Map<string, { actors: Set<ActorName>; items: Set<string> }>();
  const tampered: string[] = [];
  const stats = { routes: 0, getCases: 0, writeCases: 0, writesSkipped: 0, countCases: 0, requests: 0 };
  const anonLessons: { id: string; marker: string; authorId: string; authorName: string }[] = [];
  let started = Date.now();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const executed = new Map<string, number>();
  const pairs = new Set<string>();

  async function relogin(actor: ActorName) {
    if (actor === "anonymous") return;
    const c = await t.login(emails[actor]);
    sessions[actor] = { cookie: c.cookie, csrf: c.csrf };
  }

  async function call(actor: ActorName, c: Case): Promise<Res> {
    stats.requests++;
    const t0 = Date.now();
    const res = await send(agent, port, c.route.method, c.url, sessions[actor], c.body);
    executed.set(`${c.route.method} ${c.route.path}`, (executed.get(`${c.route.method} ${c.route.path}`) ?? 0) + 1);
    pairs.add(`${c.route.method} ${c.route.path} ${actor}`);
    if (
      process.env.MATRIX_DEBUG &&
      (Date.now() - t0 > 1000 || stats.requests % 200 === 0 || process.env.MATRIX_DEBUG === "all")
    )
      process.stderr.write(
        `[${stats.requests}] ${Date.now() - t0} ms ${c.route.method} ${c.url} as ${actor} → ${res.status} (t+${((Date.now() - started) / 1000).toFixed(0)} s)\n`,
      );
    // Signing out (or in) changes the session: sign the actor in again so later requests are theirs.
    if (res.setsSession) await relogin(actor);
    return res;
  }

  function check(actor: ActorName, c: Case, res: Res) {
    const requestText = `${c.url} ${JSON.stringify(c.body ?? "")}`;
    for (const l of leaksIn(reg, actor, res, requestText)) {
      const route = `${c.route.method} ${c.route.path}`;
      const key = `${route}|${actor}|${l.what}`;
      const entry = leaks.get(key) ?? {
        route,
        actor,
        what: l.what,
        urls: new Set(),
        where: new Set(),
        status: new Set(),
      };
      entry.urls.add(c.url.replace(/\?.*/, (q) => q.slice(0, 80)));
      for (const w of l.where) entry.where.add(w);
      entry.status.add(res.status);
      leaks.set(key, entry);
    }
    const body = res.text.toLowerCase();
    for (const s of reg.secrets)
      if (s.marker && s.readers.includes(actor) && body.includes(s.marker)) seenByReader.add(s.marker);
    for (const l of anonLessons) {
      if (actor === "admin") continue;
      for (const where of anonymityBreaches(res, l))
        anonymity.push(`${c.route.method} ${c.url} as ${actor}: anonymous lesson ${l.id} names its author at ${where}`);
    }
  }

  /** Every GET list/count/summary a non-reader can call with public parameters, keyed for comparison. */
  async function snapshot(): Promise<Map<string, unknown>> {
    if (process.env.MATRIX_DEBUG) process.stderr.write(`snapshot: catching up\n`);
    await t.ctx.search.catchUp();
    if (process.env.MATRIX_DEBUG) process.stderr.write(`snapshot: caught up\n`);
    const out = new Map<string, unknown>();
    for (const route of routes.filter((r) => r.method === "GET")) {
      for (const c of casesOf(route, reg, "public")) {
        for (const actor of NON_READERS) {
          stats.countCases++;
          out.set(`${actor} GET ${c.url}`, normalise(await call(actor, c)));
        }
      }
    }
    return out;
  }

  beforeAll(async () => {
    started = Date.now();
    t = await createTestApp(backend);
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    port = (t.app.server.address() as AddressInfo).port;
    ({ routes, undocumented } = routesOf(t));
    stats.routes = routes.length;

    // ----- People. The former member belongs to the private space while its content is written, then leaves.
    const users = {
      admin: await t.newUser({ name: `Ada Admin`, role: "admin" }),
      member: await t.newUser({ name: `Mia Member` }),
      colleague: await t.newUser({ name: `Cole Colleague` }),
      formerMember: await t.newUser({ name: `Fred Former` }),
      outsider: await t.newUser({ name: `Otto Outsider` }),
      guest: await t.newUser({ name: `Gus Guest`, role: "guest" }),
      nameless: await t.newUser({ name: `Nina Nameless${RUN}` }),
    };
    const as: Record<keyof typeof users, Client> = {} as never;
    for (const [k, u] of Object.entries(users)) as[k as keyof typeof users] = await t.login(u.email);
    for (const a of ACTORS) {
      if (a === "anonymous") {
        sessions[a] = null;
        continue;
      }
      emails[a] = users[a].email;
      sessions[a] = { cookie: as[a].cookie, csrf: as[a].csrf };
    }
    for (const u of Object.values(users)) reg.public("person", u.id);

    const ok = async <T = Record<string, unknown>>(
      c: Client,
      method: string,
      url: string,
      body?: unknown,
    ): Promise<T> => {
      if (process.env.MATRIX_DEBUG) process.stderr.write(`seed: ${method} ${url}\n`);
      const r = await c.json<T>(method, url, body);
      if (r.status >= 300) throw new Error(`seed: ${method} ${url} → ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const upload = async (c: Client, articleId: string, name: string, content: string, param = "articleId") => {
      const boundary = `----seed${RUN}`;
      const body = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n${content}\r\n--${boundary}--\r\n`,
      );
      const r = await c.request("POST", `/api/attachments?${param}=${articleId}`, body, {
        "content-type": `multipart/form-data; boundary=${boundary}`,
      });
      if (r.statusCode !== 200) throw new Error(`seed upload → ${r.statusCode} ${r.body}`);
      return (r.json() as { id: string }).id;
    };
    type Q = { id: string; comments: { id: string }[]; answers: { id: string; comments: { id: string }[] }[] };

    // ----- Phase 1: the public world (exists before any private content).
    const handbook = await t.newSpace(users.member.id, { name: `Handbook ${WORD}` });
    reg.public("space", handbook.id);
    const apub = await ok<{ id: string }>(as.colleague, "POST", "/api/articles", {
      spaceId: handbook.id,
      title: `Expenses ${WORD} how-to`,
      body: `Submit receipts monthly. ${WORD}`,
      tags: [WORD, "finance"],
    });
    reg.public("article", apub.id);
    reg.public("attachment", await upload(as.colleague, apub.id, "receipt.txt", `Receipt template ${WORD}\n`));
    const asup = await ok<{ id: string }>(as.member, "POST", "/api/articles", {
      spaceId: handbook.id,
      title: `Travel policy ${WORD}`,
      body: `Book trains. ${WORD}`,
      tags: [WORD],
    });
    reg.public("article", asup.id);
    const qpub = await ok<Q>(as.outsider, "POST", "/api/questions", {
      title: `How do I book travel ${WORD}?`,
      body: `Which tool? ${WORD}`,
      tags: [WORD],
      route: false,
    });
    const qpubA = await ok<Q>(as.colleague, "POST", `/api/questions/${qpub.id}/answers`, {
      body: `Use the travel desk. ${WORD}`,
    });
    await ok(as.outsider, "POST", `/api/questions/${qpub.id}/accept`, { answerId: qpubA.answers[0].id });
    await ok(as.member, "POST", `/api/questions/${qpub.id}/comments`, { body: `Thanks ${WORD}` });
    reg.public("question", qpub.id);
    reg.public("answer", qpubA.answers[0].id);
    const qdup = await ok<Q>(as.member, "POST", "/api/questions", {
      title: `Where is the budget plan ${WORD}?`,
      body: `Looking for it. ${WORD}`,
      tags: [WORD],
      route: false,
    });
    reg.public("question", qdup.id);
    const lpub = await ok<{ id: string }>(as.colleague, "POST", "/api/lessons", {
      title: `Check the backups ${WORD}`,
      learned: `Restore tests matter ${WORD}`,
      tags: [WORD],
    });
    reg.public("lesson", lpub.id);
    const anonPubMarker = `pubanon${RUN}`;
    const lanonPub = await ok<{ id: string }>(as.nameless, "POST", "/api/lessons", {
      title: `A slip ${anonPubMarker}`,
      learned: `Double-check ${WORD} ${anonPubMarker}`,
      tags: [WORD],
      anonymous: true,
    });
    reg.public("lesson", lanonPub.id);
    anonLessons.push({
      id: lanonPub.id,
      marker: anonPubMarker,
      authorId: users.nameless.id,
      authorName: users.nameless.name,
    });
    const rpub = await ok<{ id: string; items: { id: string }[] }>(as.member, "POST", "/api/retrospectives", {
      title: `Launch retro ${WORD}`,
      items: [{ column: "well", text: `Shipped ${WORD}` }],
    });
    reg.public("retrospective", rpub.id);
    reg.public("retroItem", rpub.items[0].id);
    const ppub = await ok<{ id: string }>(as.member, "POST", "/api/posts", {
      kind: "working_on",
      body: `Working on ${WORD}`,
      tags: [WORD],
    });
    reg.public("post", ppub.id);
    // A community visible to everyone around the search word: its page (feed, open questions, members' evidence,
    // health counts) must not change for non-readers when private content tagged with the word appears.
    const guild = await ok<{ id: string }>(as.member, "POST", "/api/communities", {
      name: `Guild ${WORD}`,
      purpose: `Practice ${WORD}`,
      topics: [WORD, "finance"],
    });
    reg.public("community", guild.id);
    await ok(as.colleague, "POST", `/api/communities/${guild.id}/join`);
    for (const c of [as.outsider, as.guest, as.formerMember]) {
      await ok(c, "PUT", "/api/me/follows", { type: "person", target: users.member.id, follow: true });
      await ok(c, "PUT", "/api/me/follows", { type: "tag", target: WORD, follow: true });
    }
    for (const c of [as.guest, as.outsider, as.formerMember, as.admin, as.colleague])
      await ok(c, "GET", `/api/articles/${asup.id}`);
    await ok(as.outsider, "POST", "/api/deflections", {
      query: WORD,
      targetType: "article",
      targetId: apub.id,
      source: "ask",
    });

    // Reading pages records reads (and so on): a first pass settles such side effects of the snapshot itself.
    await snapshot();
    const before = await snapshot();

    // ----- Phase 2: the private space and one item of every kind, each with its own marker.
    const spaceMarker = mark("space");
    const vault = await ok<{ id: string }>(as.member, "POST", "/api/spaces", {
      name: `Vault ${WORD} ${spaceMarker}`,
      description: `Board matters ${spaceMarker}`,
      visibility: "private",
    });
    reg.private("space", "Vault", vault.id, spaceMarker);
    await ok(as.member, "PUT", `/api/spaces/${vault.id}/members/${users.colleague.id}`, { role: "editor" });
    await ok(as.member, "PUT", `/api/spaces/${vault.id}/members/${users.formerMember.id}`, { role: "viewer" });

    const artMarker = mark("article");
    const apriv = await ok<{ id: string; version: number }>(as.member, "POST", "/api/articles", {
      spaceId: vault.id,
      title: `${WORD} budget plan ${artMarker}`,
      body: `Cut costs. ${WORD} ${artMarker}`,
      tags: [artMarker, WORD],
    });
    reg.private("article", "budget plan", apriv.id, artMarker);
    const v2 = await ok<{ version: number }>(as.member, "PUT", `/api/articles/${apriv.id}`, {
      version: apriv.version,
      title: `${WORD} budget plan ${artMarker}`,
      body: `Cut costs, v2. ${WORD} ${artMarker}`,
      tags: [artMarker, WORD],
    });
    const attMarker = mark("attachment");
    reg.private(
      "attachment",
      "figures.txt",
      await upload(as.member, apriv.id, `${attMarker}.txt`, `${attMarker} ${WORD}\n`),
      attMarker,
    );
    // A file uploaded for a new article not saved yet, in a public space: its uploader's alone, admins included.
    const pendingMarker = mark("pending-upload");
    reg.private(
      "attachment",
      "pending draft file",
      await upload(as.member, handbook.id, `${pendingMarker}.txt`, `${pendingMarker} ${WORD}\n`, "spaceId"),
      pendingMarker,
      ["member"],
    );
    // The former member reads it (a reading record), then it is challenged, revised and the challenge upheld: they get
    // a notice.
    await ok(as.formerMember, "GET", `/api/articles/${apriv.id}`);
    const c1Marker = mark("challenge");
    const c1 = await ok<{ id: string }>(as.colleague, "POST", "/api/challenges", {
      subjectType: "article",
      subjectId: apriv.id,
      claim: `Figures are outdated ${c1Marker}`,
    });
    await ok(as.member, "PUT", `/api/articles/${apriv.id}`, {
      version: v2.version,
      title: `${WORD} budget plan ${artMarker}`,
      body: `Cut costs, v3. ${WORD} ${artMarker}`,
      tags: [artMarker, WORD],
    });
    const c1Response = mark("response");
    await ok(as.member, "POST", `/api/challenges/${c1.id}/resolve`, {
      outcome: "revised",
      response: `Updated the figures ${c1Response}`,
    });
    reg.private("challenge", "upheld on the budget plan", c1.id, c1Marker);
    reg.private("challengeResponse", "upheld on the budget plan", null, c1Response);
    const [notice] = await t.ctx.db
      .select({ id: notices.id })
      .from(notices)
      .where(and(eq(notices.userId, users.formerMember.id), eq(notices.articleId, apriv.id)));
    if (!notice) throw new Error("seed: the former member got no notice");
    reg.private("notice", "of the former member on the budget plan", notice.id, null);
    const c2Marker = mark("challenge");
    const c2 = await ok<{ id: string }>(as.colleague, "POST", "/api/challenges", {
      subjectType: "article",
      subjectId: apriv.id,
      claim: `Open doubt about this ${c2Marker}`,
    });
    reg.private("challenge", "open on the budget plan", c2.id, c2Marker);
    // A comment thread on a passage of the private article and a reply that mentions the outsider (never
    // notified: not a reader) and the former member (notified while a member, no longer listed once they left).
    const threadMarker = mark("article-comment");
    const thread = await ok<{ threads: { id: string }[] }>(as.colleague, "POST", `/api/articles/${apriv.id}/comments`, {
      body: `Which costs? ${WORD} ${threadMarker}`,
      anchor: { quote: "Cut costs", prefix: "", suffix: ", v3." },
    });
    reg.private("articleComment", "on a passage of the budget plan", thread.threads[0].id, threadMarker);
    const replyMarker = mark("article-comment");
    const replied = await ok<{ threads: { comments: { id: string }[] }[] }>(
      as.member,
      "POST",
      `/api/article-comments/${thread.threads[0].id}/replies`,
      {
        body: `Travel ${WORD} ${replyMarker} [@Otto](/people/${users.outsider.id}) [@Fred](/people/${users.formerMember.id})`,
      },
    );
    reg.private("articleComment", "reply on the budget plan", replied.threads[0].comments[1].id, replyMarker);
    const verMarker = mark("verification");
    await ok(as.member, "POST", `/api/verification/article/${apriv.id}/verify`, {
      note: `Checked with finance ${verMarker}`,
    });
    reg.private("verification", "note on the budget plan", null, verMarker);

    const draftMarker = mark("draft");
    const draft = await ok<{ id: string }>(as.colleague, "POST", "/api/articles", {
      spaceId: vault.id,
      status: "draft",
      title: `${WORD} unfinished ${draftMarker}`,
      body: `Draft ${WORD} ${draftMarker}`,
      tags: [draftMarker, WORD],
    });
    reg.private("article", "draft of a colleague in the private space", draft.id, draftMarker, ["admin"]);
    const draftPubMarker = mark("draft");
    const draftPub = await ok<{ id: string }>(as.colleague, "POST", "/api/articles", {
      spaceId: handbook.id,
      status: "draft",
      title: `${WORD} half-done ${draftPubMarker}`,
      body: `Draft ${WORD} ${draftPubMarker}`,
      tags: [draftPubMarker, WORD],
    });
    reg.private("article", "draft of a colleague in the public space", draftPub.id, draftPubMarker, ["admin"]);
    // The page tree: a child page of the private article (its breadcrumbs name it), and a sub-page of the colleague's
    // draft in the public space (nobody else's tree, breadcrumbs or counts may show either).
    const childMarker = mark("childpage");
    const childPage = await ok<{ id: string }>(as.member, "POST", "/api/articles", {
      spaceId: vault.id,
      parentId: apriv.id,
      title: `${WORD} budget appendix ${childMarker}`,
      body: `Appendix ${WORD} ${childMarker}`,
      tags: [WORD],
    });
    reg.private("article", "child page of the budget plan", childPage.id, childMarker);
    const draftChildMarker = mark("draftchild");
    const draftChild = await ok<{ id: string }>(as.colleague, "POST", "/api/articles", {
      spaceId: handbook.id,
      parentId: draftPub.id,
      status: "draft",
      title: `${WORD} expenses sub-page ${draftChildMarker}`,
      body: `Draft ${WORD} ${draftChildMarker}`,
      tags: [WORD],
    });
    reg.private("article", "draft sub-page of a draft in the public space", draftChild.id, draftChildMarker, ["admin"]);
    const trashMarker = mark("trashed");
    const trashed = await ok<{ id: string }>(as.member, "POST", "/api/articles", {
      spaceId: vault.id,
      title: `${WORD} old plan ${trashMarker}`,
      body: `Gone ${WORD} ${trashMarker}`,
      tags: [trashMarker, WORD],
    });
    await ok(as.member, "DELETE", `/api/articles/${trashed.id}`);
    reg.private("article", "trashed in the private space", trashed.id, trashMarker);

    const qMarker = mark("question");
    const qpriv = await ok<Q>(as.member, "POST", "/api/questions", {
      spaceId: vault.id,
      title: `${WORD} reorganisation ${qMarker}`,
      body: `Who moves? ${WORD} ${qMarker}`,
      tags: [qMarker, WORD],
      route: false,
    });
    reg.private("question", "reorganisation", qpriv.id, qMarker);
    const ansMarker = mark("answer");
    const withAnswer = await ok<Q>(as.colleague, "POST", `/api/questions/${qpriv.id}/answers`, {
      body: `Team B moves. ${WORD} ${ansMarker}`,
    });
    const answerId = withAnswer.answers[0].id;
    reg.private("answer", "to the reorganisation", answerId, ansMarker);
    await ok(as.member, "POST", `/api/questions/${qpriv.id}/accept`, { answerId });
    const qcMarker = mark("comment");
    const qc = await ok<Q>(as.colleague, "POST", `/api/questions/${qpriv.id}/comments`, {
      body: `Comment ${WORD} ${qcMarker}`,
    });
    reg.private("comment", "on the reorganisation", qc.comments[0].id, qcMarker);
    const acMarker = mark("comment");
    const ac = await ok<Q>(as.member, "POST", `/api/answers/${answerId}/comments`, {
      body: `Answer comment ${WORD} ${acMarker}`,
    });
    reg.private("comment", "on the answer", ac.answers[0].comments[0].id, acMarker);
    const ansVerMarker = mark("verification");
    await ok(as.colleague, "POST", `/api/verification/answer/${answerId}/verify`, {
      note: `Still right ${ansVerMarker}`,
    });
    reg.private("verification", "note on the accepted answer", null, ansVerMarker);
    await ok(as.member, "POST", "/api/deflections", {
      query: WORD,
      targetType: "question",
      targetId: qpriv.id,
      source: "ask",
    });
    await ok(as.member, "POST", "/api/deflections", {
      query: WORD,
      targetType: "article",
      targetId: apriv.id,
      source: "sidekick",
    });

    // An open question routed to the former member (who then loses access) and to the admin.
    const q2Marker = mark("question");
    const qpriv2 = await ok<Q>(as.member, "POST", "/api/questions", {
      spaceId: vault.id,
      title: `${WORD} office move ${q2Marker}`,
      body: `When? ${WORD} ${q2Marker}`,
      tags: [q2Marker, WORD],
      route: false,
    });
    reg.private("question", "office move (routed)", qpriv2.id, q2Marker);
    const rrMarker = mark("routing");
    const reasons = [
      {
        kind: "answer",
        title: `Answered ${rrMarker}`,
        url: `/questions/${qpriv.id}`,
        at: t.clock.now.toISOString(),
        weight: 1,
      },
    ];
    const requests = await t.ctx.db
      .insert(routingRequests)
      .values(
        [users.formerMember.id, users.admin.id].map((expertId) => ({
          questionId: qpriv2.id,
          expertId,
          note: `Routed ${rrMarker}`,
          reasons,
          score: 1,
          createdAt: t.clock.now,
        })),
      )
      .returning({ id: routingRequests.id });
    for (const r of requests) reg.private("routingRequest", "for the office move", r.id, null);
    reg.private("routing", "note and reasons of the office move requests", null, rrMarker);

    const lessonMarker = mark("lesson");
    const lpriv = await ok<{ id: string }>(as.member, "POST", "/api/lessons", {
      spaceId: vault.id,
      title: `${WORD} vendor lesson ${lessonMarker}`,
      learned: `Read contracts ${WORD} ${lessonMarker}`,
      tags: [lessonMarker, WORD],
    });
    reg.private("lesson", "vendor lesson", lpriv.id, lessonMarker);
    const anonMarker = mark("anonlesson");
    const lanon = await ok<{ id: string }>(as.colleague, "POST", "/api/lessons", {
      spaceId: vault.id,
      anonymous: true,
      title: `${WORD} my mistake ${anonMarker}`,
      learned: `Ask earlier ${WORD} ${anonMarker}`,
      tags: [anonMarker, WORD],
    });
    reg.private("lesson", "anonymous lesson", lanon.id, anonMarker);
    anonLessons.push({
      id: lanon.id,
      marker: anonMarker,
      authorId: users.colleague.id,
      authorName: users.colleague.name,
    });
    const retroMarker = mark("retro");
    const itemMarkers = [mark("retroitem"), mark("retroitem")];
    const rpriv = await ok<{ id: string; items: { id: string }[] }>(as.member, "POST", "/api/retrospectives", {
      spaceId: vault.id,
      title: `${WORD} board retro ${retroMarker}`,
      participantIds: [users.colleague.id],
      items: [
        { column: "well", text: `Budget closed ${WORD} ${itemMarkers[0]}` },
        { column: "less", text: `Late numbers ${WORD} ${itemMarkers[1]}` },
      ],
    });
    reg.private("retrospective", "board retro", rpriv.id, retroMarker);
    rpriv.items.forEach((item, i) => reg.private("retroItem", `board retro item ${i + 1}`, item.id, itemMarkers[i]));
    const retroLessonMarker = mark("lesson");
    const lretro = await ok<{ id: string }>(
      as.member,
      "POST",
      `/api/retrospectives/${rpriv.id}/items/${rpriv.items[1].id}/lesson`,
      { learned: `Numbers earlier ${WORD} ${retroLessonMarker}` },
    );
    reg.private("lesson", "from the board retro", lretro.id, retroLessonMarker);
    const postMarker = mark("post");
    const ppriv = await ok<{ id: string }>(as.member, "POST", "/api/posts", {
      spaceId: vault.id,
      kind: "learned",
      body: `Learned ${WORD} ${postMarker}`,
      tags: [postMarker, WORD],
    });
    reg.private("post", "learned in the private space", ppriv.id, postMarker);
    const pcMarker = mark("postcomment");
    const pc = await ok<{ comments: { id: string }[] }>(as.colleague, "POST", `/api/posts/${ppriv.id}/comments`, {
      body: `Nice ${WORD} ${pcMarker}`,
    });
    reg.private("postComment", "on the private post", pc.comments[0].id, pcMarker);
    await ok(as.colleague, "POST", `/api/posts/${ppriv.id}/reactions`, { emoji: "🎉" });
    const journalMarker = mark("journal");
    const journal = await ok<{ items: { id: string }[] }>(as.member, "POST", "/api/journal", {
      practice: "reflection",
      body: `Private thought ${WORD} ${journalMarker}`,
    });
    reg.private("journal", "entry of the member", journal.items[0].id, journalMarker, ["member"]);

    // A members-only community (joining by request) with a question, its answer and a post addressed to it.
    const clubMarker = mark("community");
    const club = await ok<{ id: string }>(as.member, "POST", "/api/communities", {
      name: `Club ${WORD} ${clubMarker}`,
      purpose: `Members only ${clubMarker}`,
      // Its own marker only: its page (the admin's view of it is compared after the non-readers' writes) shows
      // what is in it, not public items that those writes may change.
      topics: [clubMarker],
      joining: "request",
      visibility: "members",
    });
    reg.private("community", "members-only club", club.id, clubMarker);
    await ok(as.member, "PUT", `/api/communities/${club.id}/members/${users.colleague.id}`, { role: "member" });
    await ok(as.member, "PUT", `/api/communities/${club.id}/members/${users.formerMember.id}`, { role: "member" });
    const cqMarker = mark("question");
    const cq = await ok<Q>(as.colleague, "POST", "/api/questions", {
      communityId: club.id,
      title: `${WORD} club pricing ${cqMarker}`,
      body: `Floor price? ${WORD} ${cqMarker}`,
      tags: [cqMarker, WORD],
      route: false,
    });
    reg.private("question", "asked in the members-only club", cq.id, cqMarker);
    const caMarker = mark("answer");
    const ca = await ok<Q>(as.formerMember, "POST", `/api/questions/${cq.id}/answers`, {
      body: `List minus ten ${WORD} ${caMarker}`,
    });
    reg.private("answer", "in the members-only club", ca.answers[0].id, caMarker);
    const cq2Marker = mark("question");
    const cq2 = await ok<Q>(as.member, "POST", "/api/questions", {
      communityId: club.id,
      title: `${WORD} club discounts ${cq2Marker}`,
      body: `Unanswered ${WORD} ${cq2Marker}`,
      tags: [cq2Marker, WORD],
      route: false,
    });
    reg.private("question", "open in the members-only club", cq2.id, cq2Marker);
    const cpMarker = mark("post");
    const cp = await ok<{ id: string }>(as.colleague, "POST", "/api/posts", {
      communityId: club.id,
      kind: "learned",
      body: `Club learned ${WORD} ${cpMarker}`,
      tags: [cpMarker, WORD],
    });
    reg.private("post", "in the members-only club", cp.id, cpMarker);
    const csMarker = mark("session");
    const cs = await ok<{ id: string }>(as.member, "POST", "/api/sessions", {
      communityId: club.id,
      title: `Club session on ${WORD} ${csMarker}`,
      abstract: `Club abstract ${WORD} ${csMarker}`,
      start: "2030-11-05T10:00",
      timeZone: "Europe/Berlin",
      durationMinutes: 60,
      place: `Club room ${csMarker}`,
      topics: [csMarker, WORD],
    });
    reg.private("session", "in the members-only club", cs.id, csMarker);
    // Its slides, and a question raised at it (asked to the club): its members' alone.
    const csfMarker = mark("session-file");
    const csfBoundary = `----seed${RUN}`;
    const csf = await as.member.request(
      "POST",
      `/api/sessions/${cs.id}/files?kind=slides`,
      Buffer.from(
        `--${csfBoundary}\r\nContent-Disposition: form-data; name="file"; filename="${csfMarker}.txt"\r\nContent-Type: text/plain\r\n\r\n${csfMarker} ${WORD}\r\n--${csfBoundary}--\r\n`,
      ),
      { "content-type": `multipart/form-data; boundary=${csfBoundary}` },
    );
    if (csf.statusCode !== 200) throw new Error(`seed session file → ${csf.statusCode} ${csf.body}`);
    reg.private("sessionFile", "slides of the club session", (csf.json() as { id: string }).id, csfMarker);
    const csqMarker = mark("raised-question");
    const csq = await ok<{ id: string }>(as.member, "POST", `/api/sessions/${cs.id}/questions`, {
      title: `Raised ${WORD} ${csqMarker}`,
      body: `Raised at the club session ${WORD} ${csqMarker}`,
    });
    reg.private("question", "raised at the club session", csq.id, csqMarker);
    // A club session held two days ago with an attendee: no count of it reaches non-members (stats, lists).
    const held = new Date(t.clock.now.getTime() - 2 * 86_400_000).toISOString().slice(0, 16);
    const cpastMarker = mark("session");
    const cpast = await ok<{ id: string }>(as.member, "POST", "/api/sessions", {
      communityId: club.id,
      title: `Held club session ${WORD} ${cpastMarker}`,
      start: held,
      timeZone: "UTC",
      durationMinutes: 60,
      place: `Club room ${cpastMarker}`,
      topics: [cpastMarker, WORD],
    });
    reg.private("session", "held in the members-only club", cpast.id, cpastMarker);
    await ok(as.member, "POST", `/api/sessions/${cpast.id}/check-in`, {});
    await ok(as.colleague, "POST", `/api/sessions/${cpast.id}/check-in`, {});
    await ok(as.colleague, "PUT", `/api/sessions/${cs.id}/rsvp`, { status: "going" });
    await ok(as.formerMember, "PUT", `/api/sessions/${cs.id}/rsvp`, { status: "going" });
    await ok(as.member, "POST", `/api/communities/${club.id}/pins`, { type: "question", id: cq.id });
    await ok(as.member, "PUT", `/api/communities/${club.id}/follow`, { follow: true });
    await ok(as.member, "DELETE", `/api/communities/${club.id}/members/${users.formerMember.id}`);

    // A feedback request: its asker's alone (admins neither); the colleague asked answers it by name.
    const fbMarker = mark("feedback");
    const fb = await ok<{ id: string }>(as.member, "POST", "/api/feedback", {
      subject: {
        kind: "decision",
        title: `${WORD} reorg decision ${fbMarker}`,
        description: `Why ${WORD} ${fbMarker}`,
      },
      questions: [
        { kind: "scale", prompt: "How clear was it?" },
        { kind: "text", prompt: "What would you change?" },
      ],
      recipients: { kind: "people", userIds: [users.colleague.id] },
      anonymous: false,
      deadline: "2030-01-01T00:00:00Z",
    });
    const fbAnswer = mark("feedback-answer");
    await ok(as.colleague, "POST", `/api/feedback/${fb.id}/answers`, {
      answers: [{ value: 4 }, { value: `Say it sooner ${WORD} ${fbAnswer}` }],
    });
    await ok(as.member, "POST", `/api/feedback/${fb.id}/thanks`, { message: `Thanks ${WORD}` });
    reg.private("feedbackRequest", "asked by the member", fb.id, fbMarker, ["member"]);
    reg.private("feedbackAnswer", "to the member's request", null, fbAnswer, ["member"]);

    await ok(as.member, "DELETE", `/api/spaces/${vault.id}/members/${users.formerMember.id}`);

    const after = await snapshot();
    for (const [key, value] of after) {
      if (!before.has(key)) continue;
      for (const d of differences(before.get(key), value))
        (isRankingStatistic(d) ? rankingDiffs : countDiffs).push(`${key}: ${d}`);
    }

    // ----- Phase 3: public content that points at private content.
    await ok(as.member, "POST", `/api/questions/${qdup.id}/duplicate`, { duplicateOfId: qpriv.id });
    const csup = await ok<{ id: string }>(as.colleague, "POST", "/api/challenges", {
      subjectType: "article",
      subjectId: asup.id,
      claim: "This travel policy is outdated now",
    });
    await ok(as.member, "POST", `/api/challenges/${csup.id}/resolve`, {
      outcome: "superseded",
      supersededById: apriv.id,
      response: "Replaced by the new plan",
    });
    reg.public("challenge", csup.id);

    // ----- The matrix. GETs first (for everyone), then writes (only by actors who may not read what they name).
    const all = routes.map((route) => {
      const unique = new Map<string, Case>();
      for (const c of [...casesOf(route, reg, "private"), ...casesOf(route, reg, "public")])
        if (!unique.has(`${c.url} ${JSON.stringify(c.body ?? null)}`))
          unique.set(`${c.url} ${JSON.stringify(c.body ?? null)}`, c);
      return { route, cases: [...unique.values()] };
    });
    const adminViews = new Map<string, unknown>();
    /**
     * A non-reader must not tell a private id from one that does not exist: the same request with
     * each private id replaced by an unused one must get the same status (and, unless both
     * succeed as writes, the same body once the ids are masked). The unused id goes first.
     */
    const what = (c: Case) => c.refs.map((id) => reg.secrets.find((s) => s.id === id)?.label ?? id).join(", ");
    const ghosts = new Map<string, string>();
    const ghostOf = (id: string) => ghosts.get(id) ?? ghosts.set(id, randomUUID()).get(id)!;
    const masked = (c: Case, textBody: string) => {
      let out = textBody;
      for (const id of c.refs) out = out.split(id).join("<id>").split(ghostOf(id)).join("<id>");
      return out;
    };
    async function compareWithGhost(actor: ActorName, c: Case): Promise<Res> {
      const swap = (x: string) => c.refs.reduce((acc, id) => acc.split(id).join(ghostOf(id)), x);
      const ghost: Case = {
        ...c,
        url: swap(c.url),
        body: c.body?.json !== undefined ? { json: JSON.parse(swap(JSON.stringify(c.body.json))) } : c.body,
      };
      const absent = await call(actor, ghost);
      const res = await call(actor, c);
      const bothWritten = c.route.method !== "GET" && absent.status < 300 && res.status < 300;
      const same =
        absent.status === res.status &&
        (bothWritten ||
          JSON.stringify(normaliseText(masked(c, absent.text))) === JSON.stringify(normaliseText(masked(c, res.text))));
      if (!same) {
        const key = `${c.route.method} ${c.route.path}: private → ${res.status} ${masked(c, res.text).slice(0, 160)}  |  nonexistent → ${absent.status} ${masked(c, absent.text).slice(0, 160)}`;
        const entry = oracles.get(key) ?? { actors: new Set<ActorName>(), items: new Set<string>() };
        entry.actors.add(actor);
        entry.items.add(what(c));
        oracles.set(key, entry);
      }
      if (c.refs.length && res.status < 300 && absent.status >= 300)
        acceptedWrites.push(`${c.route.method} ${c.url} as ${actor} → ${res.status} (names ${what(c)})`);
      return res;
    }
    const nonReaderOf = (actor: ActorName, c: Case) =>
      c.refs.length > 0 && c.refs.every((id) => !reg.readersOf.get(id)!.includes(actor));
    for (const { route, cases } of all) {
      if (route.method !== "GET") continue;
      for (const c of cases) {
        for (const actor of ACTORS) {
          stats.getCases++;
          const res = nonReaderOf(actor, c) ? await compareWithGhost(actor, c) : await call(actor, c);
          check(actor, c, res);
          if (actor === "admin" && c.refs.length) adminViews.set(c.url, normalise(res));
        }
      }
    }
    for (const { route, cases } of all) {
      if (route.method === "GET") continue;
      for (const c of cases) {
        for (const actor of ACTORS) {
          const mayRun = c.refs.length ? nonReaderOf(actor, c) : NON_READERS.includes(actor);
          if (!mayRun) {
            stats.writesSkipped++;
            continue;
          }
          stats.writeCases++;
          const res = c.refs.length ? await compareWithGhost(actor, c) : await call(actor, c);
          check(actor, c, res);
        }
      }
    }
    // Nothing a non-reader sent may have changed private content: the admin sees every private item as before.
    for (const [url, view] of adminViews) {
      const now = normalise(await send(agent, port, "GET", url, sessions.admin));
      for (const d of differences(view, now)) tampered.push(`GET ${url}: ${d}`);
    }
  }, 900_000);

  afterAll(async () => {
    agent.destroy();
    await t?.close();
  });

  it("covers every route of the app with every actor", () => {
    const byMethod = routes.reduce<Record<string, number>>(
      (m, r) => ({ ...m, [r.method]: (m[r.method] ?? 0) + 1 }),
      {},
    );
    const report = [
      `authz matrix on ${backend}: ${stats.routes} routes (${Object.entries(byMethod)
        .map(([m, n]) => `${m} ${n}`)
        .join(", ")}) × ${ACTORS.length} actors (${ACTORS.join(", ")})`,
      `  ${reg.secrets.length} private things (${reg.secrets.filter((s) => s.marker).length} markers, ${reg.kindsWithPrivate().length} kinds with ids: ${reg.kindsWithPrivate().join(", ")})`,
      `  ${stats.getCases} GET cases, ${stats.writeCases} state-changing cases by non-readers (${stats.writesSkipped} skipped for readers), ${stats.countCases} count-snapshot requests; ${stats.requests} requests in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      `  leaks: ${leaks.size}, count differences: ${countDiffs.length}, ranking-statistics differences: ${rankingDiffs.length}, private-vs-nonexistent differences: ${oracles.size}, anonymity breaches: ${anonymity.length}, writes accepted: ${acceptedWrites.length}, private content changed: ${tampered.length}`,
    ].join("\n");
    console.log(
      `${report}${undocumented.length ? `\n  not in the OpenAPI document (parameters read from the URL): ${undocumented.join(", ")}` : ""}\n  route × actor pairs exercised: ${pairs.size} of ${routes.length * ACTORS.length} (writes only by actors who may not read what they name)`,
    );
    const never = routes.map((r) => `${r.method} ${r.path}`).filter((r) => !executed.has(r));
    expect(never, `routes never requested:\n${never.join("\n")}`).toEqual([]);
    expect(stats.routes).toBeGreaterThan(50);
    expect(routes.filter((r) => r.params.some((p) => p.in === "path")).length).toBeGreaterThan(20);
  });

  it("the seed is real: every private marker reaches at least one of its readers through some route", () => {
    const missing = reg.secrets
      .filter((s) => s.marker && !seenByReader.has(s.marker))
      .map((s) => `${s.label} (${s.marker}, readers ${s.readers.join("/")})`);
    expect(missing, `markers no reader ever saw:\n${missing.join("\n")}`).toEqual([]);
  });

  it("no response to someone who may not read it contains a private marker or id", () => {
    const lines = [...leaks.values()]
      .sort((a, b) => a.route.localeCompare(b.route) || a.actor.localeCompare(b.actor))
      .map(
        (l) =>
          `LEAK ${l.route} as ${l.actor} [${[...l.status].join(",")}]: ${l.what} at ${[...l.where].join(", ")}  e.g. ${[...l.urls][0]}`,
      );
    if (lines.length) console.log(`\n${backend}: ${lines.length} leaks\n${lines.join("\n")}`);
    expect(lines, lines.join("\n")).toEqual([]);
  });

  it("no list, total, facet or count a non-reader sees changes when private content is created", () => {
    if (countDiffs.length)
      console.log(`\n${backend}: ${countDiffs.length} count differences\n${countDiffs.join("\n")}`);
    expect(countDiffs, countDiffs.join("\n")).toEqual([]);
  });

  // Known limit (docs/security.md): search and expertise rank with organisation-wide term statistics
  // (BM25's document frequencies), so adding private text moves the *numbers* a non-reader sees
  // — never which results they get, their order, counts or facets (the tests above). This test
  // keeps that limit from spreading: score and weight changes are allowed only where ranking
  // statistics are shown, and only as numbers.
  it("private content moves only relevance numbers of search and who-knows, nothing else (corpus statistics)", () => {
    if (rankingDiffs.length)
      console.log(`\n${backend}: ${rankingDiffs.length} ranking-statistics differences (known limit)`);
    const elsewhere = rankingDiffs.filter((line) => !/ GET \/api\/(search|experts)\?/.test(line));
    expect(elsewhere, elsewhere.join("\n")).toEqual([]);
  });

  it("a non-reader cannot tell a private id from one that does not exist", () => {
    const lines = [...oracles]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([k, v]) =>
          `${k}  [as ${[...v.actors].join("/")}; ${[...v.items].slice(0, 3).join("; ")}${v.items.size > 3 ? "; …" : ""}]`,
      );
    if (lines.length)
      console.log(`\n${backend}: ${lines.length} private-vs-nonexistent differences\n${lines.join("\n")}`);
    expect(lines, lines.join("\n")).toEqual([]);
  });

  it("anonymous lessons never name their author (except to admins)", () => {
    expect(anonymity, anonymity.join("\n")).toEqual([]);
  });

  it("state-changing requests from non-readers are refused and change nothing private", () => {
    if (acceptedWrites.length)
      console.log(`\n${backend}: writes accepted from non-readers\n${acceptedWrites.join("\n")}`);
    expect(tampered, tampered.join("\n")).toEqual([]);
  });
});
