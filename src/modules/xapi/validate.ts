import { agentProblems, isIri, type XapiError } from "./agents";

/**
 * The statement validation xAPI requires of an LRS (the MUSTs of 1.0.3 and 2.0.0): every problem is
 * returned with the path of the offending property, so the 400 names it.
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === "string" && UUID.test(v);
// ISO 8601 date-time; a time zone is required by 2.0 and by the conformance suite.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/;
export const isTimestamp = (v: unknown): v is string =>
  typeof v === "string" && TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v)) && !/-00(:?00)?$/.test(v);
// ISO 8601 4.4.3.2: PnYnMnDTnHnMnS, or PnW alone (weeks do not combine with the other units).
const DURATION =
  /^P(?:\d+(?:\.\d+)?W|(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?D)?(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?)$/;
const LANG = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/;
const INTERACTION_TYPES = new Set([
  "true-false",
  "choice",
  "fill-in",
  "long-fill-in",
  "matching",
  "performance",
  "sequencing",
  "likert",
  "numeric",
  "other",
]);

type Ctx = { out: XapiError[] };

function only(c: Ctx, v: Record<string, unknown>, path: string, keys: readonly string[]) {
  for (const k of Object.keys(v))
    if (!keys.includes(k)) c.out.push({ path: `${path}.${k}`, message: "is not allowed here" });
}
function langMap(c: Ctx, v: unknown, path: string) {
  if (v === undefined) return;
  if (!isObject(v)) return c.out.push({ path, message: "must be a language map" });
  for (const [k, s] of Object.entries(v)) {
    if (!LANG.test(k)) c.out.push({ path: `${path}.${k}`, message: "is not a valid language tag" });
    if (typeof s !== "string") c.out.push({ path: `${path}.${k}`, message: "must be a string" });
  }
}
function iri(c: Ctx, v: unknown, path: string, required = false) {
  if (v === undefined) {
    if (required) c.out.push({ path, message: "is required" });
    return;
  }
  if (!isIri(v)) c.out.push({ path, message: "must be an IRI" });
}
function extensions(c: Ctx, v: unknown, path: string) {
  if (v === undefined) return;
  if (!isObject(v)) return c.out.push({ path, message: "must be an object keyed by IRIs" });
  for (const k of Object.keys(v))
    if (!isIri(k)) c.out.push({ path: `${path}.${k}`, message: "extension keys must be IRIs" });
}
function agent(c: Ctx, v: unknown, path: string, allowGroup = true) {
  c.out.push(...agentProblems(v, path, allowGroup));
}

function interactionComponents(c: Ctx, v: unknown, path: string) {
  if (v === undefined) return;
  if (!Array.isArray(v)) return c.out.push({ path, message: "must be an array of interaction components" });
  const ids = new Set<string>();
  v.forEach((x, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(x)) return c.out.push({ path: p, message: "must be an object" });
    only(c, x, p, ["id", "description"]);
    if (typeof x.id !== "string" || !x.id) c.out.push({ path: `${p}.id`, message: "is required (a string)" });
    else if (ids.has(x.id)) c.out.push({ path: `${p}.id`, message: "must be unique within the list" });
    else ids.add(x.id);
    langMap(c, x.description, `${p}.description`);
  });
}

function activity(c: Ctx, v: Record<string, unknown>, path: string) {
  only(c, v, path, ["objectType", "id", "definition"]);
  iri(c, v.id, `${path}.id`, true);
  const d = v.definition;
  if (d === undefined) return;
  if (!isObject(d)) return c.out.push({ path: `${path}.definition`, message: "must be an object" });
  const p = `${path}.definition`;
  only(c, d, p, [
    "name",
    "description",
    "type",
    "moreInfo",
    "extensions",
    "interactionType",
    "correctResponsesPattern",
    "choices",
    "scale",
    "source",
    "target",
    "steps",
  ]);
  langMap(c, d.name, `${p}.name`);
  langMap(c, d.description, `${p}.description`);
  iri(c, d.type, `${p}.type`);
  iri(c, d.moreInfo, `${p}.moreInfo`);
  extensions(c, d.extensions, `${p}.extensions`);
  if (d.interactionType !== undefined && !INTERACTION_TYPES.has(d.interactionType as string))
    c.out.push({ path: `${p}.interactionType`, message: "is not an xAPI interaction type" });
  if (d.correctResponsesPattern !== undefined) {
    if (!Array.isArray(d.correctResponsesPattern) || d.correctResponsesPattern.some((x) => typeof x !== "string"))
      c.out.push({ path: `${p}.correctResponsesPattern`, message: "must be an array of strings" });
    if (d.interactionType === undefined)
      c.out.push({ path: `${p}.interactionType`, message: "is required with correctResponsesPattern" });
  }
  for (const k of ["choices", "scale", "source", "target", "steps"] as const) {
    if (d[k] !== undefined && d.interactionType === undefined)
      c.out.push({ path: `${p}.interactionType`, message: `is required with ${k}` });
    interactionComponents(c, d[k], `${p}.${k}`);
  }
}

function statementRef(c: Ctx, v: Record<string, unknown>, path: string) {
  only(c, v, path, ["objectType", "id"]);
  if (!isUuid(v.id)) c.out.push({ path: `${path}.id`, message: "must be a UUID" });
}

function object(c: Ctx, v: unknown, path: string, sub: boolean) {
  if (!isObject(v))
    return c.out.push({ path, message: "is required (an Activity, Agent, Group, StatementRef or SubStatement)" });
  const type = v.objectType ?? "Activity";
  if (type === "Activity") return activity(c, v, path);
  if (type === "Agent" || type === "Group") return agent(c, v, path);
  if (type === "StatementRef") return statementRef(c, v, path);
  if (type === "SubStatement") {
    if (sub) return c.out.push({ path: `${path}.objectType`, message: "a SubStatement cannot contain a SubStatement" });
    return statementBody(c, v, path, true);
  }
  c.out.push({ path: `${path}.objectType`, message: `"${String(type)}" is not an object type` });
}

function verb(c: Ctx, v: unknown, path: string) {
  if (!isObject(v)) return c.out.push({ path, message: "is required (an object with an id)" });
  only(c, v, path, ["id", "display"]);
  iri(c, v.id, `${path}.id`, true);
  langMap(c, v.display, `${path}.display`);
}

function result(c: Ctx, v: unknown, path: string) {
  if (v === undefined) return;
  if (!isObject(v)) return c.out.push({ path, message: "must be an object" });
  only(c, v, path, ["score", "success", "completion", "response", "duration", "extensions"]);
  if (v.success !== undefined && typeof v.success !== "boolean")
    c.out.push({ path: `${path}.success`, message: "must be true or false" });
  if (v.completion !== undefined && typeof v.completion !== "boolean")
    c.out.push({ path: `${path}.completion`, message: "must be true or false" });
  if (v.response !== undefined && typeof v.response !== "string")
    c.out.push({ path: `${path}.response`, message: "must be a string" });
  if (v.duration !== undefined && (typeof v.duration !== "string" || !DURATION.test(v.duration)))
    c.out.push({ path: `${path}.duration`, message: "must be an ISO 8601 duration" });
  extensions(c, v.extensions, `${path}.extensions`);
  const s = v.score;
  if (s === undefined) return;
  if (!isObject(s)) return c.out.push({ path: `${path}.score`, message: "must be an object" });
  only(c, s, `${path}.score`, ["scaled", "raw", "min", "max"]);
  for (const k of ["scaled", "raw", "min", "max"] as const)
    if (s[k] !== undefined && typeof s[k] !== "number")
      c.out.push({ path: `${path}.score.${k}`, message: "must be a number" });
  const n = (k: string) => (typeof s[k] === "number" ? (s[k] as number) : undefined);
  if (n("scaled") !== undefined && (n("scaled")! < -1 || n("scaled")! > 1))
    c.out.push({ path: `${path}.score.scaled`, message: "must be between -1 and 1" });
  if (n("min") !== undefined && n("max") !== undefined && n("min")! >= n("max")!)
    c.out.push({ path: `${path}.score.min`, message: "must be less than max" });
  if (n("raw") !== undefined && n("min") !== undefined && n("raw")! < n("min")!)
    c.out.push({ path: `${path}.score.raw`, message: "must not be less than min" });
  if (n("raw") !== undefined && n("max") !== undefined && n("raw")! > n("max")!)
    c.out.push({ path: `${path}.score.raw`, message: "must not be more than max" });
}

function contextActivities(c: Ctx, v: unknown, path: string) {
  if (v === undefined) return;
  if (!isObject(v)) return c.out.push({ path, message: "must be an object" });
  only(c, v, path, ["parent", "grouping", "category", "other"]);
  for (const [k, x] of Object.entries(v)) {
    const list = Array.isArray(x) ? x : [x];
    list.forEach((a, i) => {
      const p = Array.isArray(x) ? `${path}.${k}[${i}]` : `${path}.${k}`;
      if (!isObject(a)) return c.out.push({ path: p, message: "must be an Activity" });
      if (a.objectType !== undefined && a.objectType !== "Activity")
        return c.out.push({ path: `${p}.objectType`, message: "must be Activity" });
      activity(c, a, p);
    });
  }
}

function context(c: Ctx, v: unknown, path: string, objectIsActivity: boolean) {
  if (v === undefined) return;
  if (!isObject(v)) return c.out.push({ path, message: "must be an object" });
  only(c, v, path, [
    "registration",
    "instructor",
    "team",
    "contextActivities",
    "revision",
    "platform",
    "language",
    "statement",
    "extensions",
    "contextAgents",
    "contextGroups",
  ]);
  if (v.registration !== undefined && !isUuid(v.registration))
    c.out.push({ path: `${path}.registration`, message: "must be a UUID" });
  if (v.instructor !== undefined) agent(c, v.instructor, `${path}.instructor`);
  if (v.team !== undefined) {
    if (!isObject(v.team) || v.team.objectType !== "Group")
      c.out.push({ path: `${path}.team`, message: "must be a Group" });
    else agent(c, v.team, `${path}.team`);
  }
  contextActivities(c, v.contextActivities, `${path}.contextActivities`);
  for (const k of ["revision", "platform"] as const) {
    if (v[k] === undefined) continue;
    if (typeof v[k] !== "string") c.out.push({ path: `${path}.${k}`, message: "must be a string" });
    if (!objectIsActivity)
      c.out.push({ path: `${path}.${k}`, message: "is only allowed when the object is an Activity" });
  }
  if (v.language !== undefined && (typeof v.language !== "string" || !LANG.test(v.language)))
    c.out.push({ path: `${path}.language`, message: "must be a language tag" });
  if (v.statement !== undefined) {
    if (!isObject(v.statement) || v.statement.objectType !== "StatementRef")
      c.out.push({ path: `${path}.statement`, message: "must be a StatementRef" });
    else statementRef(c, v.statement, `${path}.statement`);
  }
  extensions(c, v.extensions, `${path}.extensions`);
  for (const k of ["contextAgents", "contextGroups"] as const) {
    const list = v[k];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      c.out.push({ path: `${path}.${k}`, message: "must be an array" });
      continue;
    }
    list.forEach((x, i) => {
      const p = `${path}.${k}[${i}]`;
      if (!isObject(x)) return c.out.push({ path: p, message: "must be an object" });
      only(c, x, p, ["objectType", k === "contextAgents" ? "agent" : "group", "relevantTypes"]);
      if (x.objectType !== (k === "contextAgents" ? "contextAgent" : "contextGroup"))
        c.out.push({
          path: `${p}.objectType`,
          message: `must be ${k === "contextAgents" ? "contextAgent" : "contextGroup"}`,
        });
      if (k === "contextAgents") agent(c, x.agent, `${p}.agent`, false);
      else agent(c, x.group, `${p}.group`);
      if (
        x.relevantTypes !== undefined &&
        (!Array.isArray(x.relevantTypes) || x.relevantTypes.length === 0 || x.relevantTypes.some((t) => !isIri(t)))
      )
        c.out.push({ path: `${p}.relevantTypes`, message: "must be a non-empty array of IRIs" });
    });
  }
}

function attachments(c: Ctx, v: unknown, path: string) {
  if (v === undefined) return;
  if (!Array.isArray(v)) return c.out.push({ path, message: "must be an array" });
  v.forEach((a, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(a)) return c.out.push({ path: p, message: "must be an object" });
    only(c, a, p, ["usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"]);
    iri(c, a.usageType, `${p}.usageType`, true);
    if (a.display === undefined) c.out.push({ path: `${p}.display`, message: "is required" });
    langMap(c, a.display, `${p}.display`);
    langMap(c, a.description, `${p}.description`);
    if (typeof a.contentType !== "string" || !/^[\w.+-]+\/[\w.+-]+/.test(a.contentType))
      c.out.push({ path: `${p}.contentType`, message: "must be an Internet media type" });
    if (typeof a.length !== "number" || !Number.isInteger(a.length) || a.length < 0)
      c.out.push({ path: `${p}.length`, message: "must be a whole number of octets" });
    if (typeof a.sha2 !== "string" || !/^[0-9a-fA-F]{56,128}$/.test(a.sha2))
      c.out.push({ path: `${p}.sha2`, message: "must be the SHA-2 of the content, hex-encoded" });
    if (a.fileUrl !== undefined && !isIri(a.fileUrl)) c.out.push({ path: `${p}.fileUrl`, message: "must be an IRL" });
  });
}

function statementBody(c: Ctx, s: Record<string, unknown>, path: string, sub: boolean) {
  only(
    c,
    s,
    path,
    sub
      ? ["objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"]
      : [
          "id",
          "actor",
          "verb",
          "object",
          "result",
          "context",
          "timestamp",
          "stored",
          "authority",
          "version",
          "attachments",
          "objectType",
        ],
  );
  if (!sub && s.objectType !== undefined)
    c.out.push({ path: `${path}.objectType`, message: "is not allowed on a statement" });
  if (!sub && s.id !== undefined && !isUuid(s.id)) c.out.push({ path: `${path}.id`, message: "must be a UUID" });
  if (s.actor === undefined) c.out.push({ path: `${path}.actor`, message: "is required" });
  else agent(c, s.actor, `${path}.actor`);
  verb(c, s.verb, `${path}.verb`);
  object(c, s.object, `${path}.object`, sub);
  result(c, s.result, `${path}.result`);
  const obj = s.object as Record<string, unknown> | undefined;
  context(c, s.context, `${path}.context`, isObject(obj) && (obj.objectType ?? "Activity") === "Activity");
  if (s.timestamp !== undefined && !isTimestamp(s.timestamp))
    c.out.push({ path: `${path}.timestamp`, message: "must be an ISO 8601 date and time with a time zone" });
  if (s.stored !== undefined && !isTimestamp(s.stored))
    c.out.push({ path: `${path}.stored`, message: "must be an ISO 8601 timestamp" });
  if (s.version !== undefined && (typeof s.version !== "string" || !/^[12]\.0(\.\d+)?$/.test(s.version)))
    c.out.push({ path: `${path}.version`, message: "must be 1.0.x or 2.0.x" });
  if (s.authority !== undefined) {
    agent(c, s.authority, `${path}.authority`);
    const a = s.authority as Record<string, unknown>;
    if (isObject(a) && a.objectType === "Group") {
      if (!Array.isArray(a.member) || a.member.length !== 2)
        c.out.push({ path: `${path}.authority`, message: "a Group authority must have exactly two members (OAuth)" });
      // An OAuth authority is an anonymous Group of the application and the user.
      if (["mbox", "mbox_sha1sum", "openid", "account"].some((k) => a[k] !== undefined))
        c.out.push({ path: `${path}.authority`, message: "a Group authority must be anonymous (no identifier)" });
    }
  }
  attachments(c, s.attachments, `${path}.attachments`);
  // Voiding: the object must be a StatementRef.
  const v = s.verb as Record<string, unknown> | undefined;
  if (isObject(v) && v.id === VOIDED && (!isObject(obj) || obj.objectType !== "StatementRef"))
    c.out.push({ path: `${path}.object`, message: "a voiding statement's object must be a StatementRef" });
}

export const VOIDED = "http://adlnet.gov/expapi/verbs/voided";

/** The problems of one statement (empty when valid). */
export function statementProblems(s: unknown, path = "statement"): XapiError[] {
  const c: Ctx = { out: [] };
  if (!isObject(s)) return [{ path, message: "must be a JSON object" }];
  statementBody(c, s, path, false);
  return c.out;
}
