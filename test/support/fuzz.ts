import fc from "fast-check";

/** The subset of JSON Schema (OpenAPI 3.0 flavour) that the app's zod schemas turn into. */
export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
};

/** One route of the app as the OpenAPI document describes it. */
export type RouteSpec = {
  method: string;
  /** OpenAPI path, e.g. /api/articles/{id}. */
  path: string;
  params: { name: string; schema: JsonSchema }[];
  query: { name: string; schema: JsonSchema; required: boolean }[];
  body: JsonSchema | null;
};

type OpenApiParameter = { in: string; name: string; required?: boolean; schema: JsonSchema };
type OpenApiOperation = {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
};
export type OpenApiDocument = { paths: Record<string, Record<string, OpenApiOperation>> };

/** Every operation of an OpenAPI document, with its path, query and JSON body schemas. */
export function routesOf(doc: OpenApiDocument): RouteSpec[] {
  const out: RouteSpec[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const parameters = op.parameters ?? [];
      out.push({
        method: method.toUpperCase(),
        path,
        params: parameters.filter((p) => p.in === "path").map((p) => ({ name: p.name, schema: p.schema })),
        query: parameters
          .filter((p) => p.in === "query")
          .map((p) => ({ name: p.name, schema: p.schema, required: p.required === true })),
        body: op.requestBody?.content?.["application/json"]?.schema ?? null,
      });
    }
  }
  return out;
}

/** Where generated ids come from: real ids of existing objects for a field (by name and path segment). */
export type IdSource = (field: string, segment?: string) => string[];

/** A request body that is not a JSON value: sent as is, with its own content type. */
export class RawBody {
  constructor(
    readonly payload: string,
    readonly contentType: string,
  ) {}
  toJSON(): string {
    return `<raw ${this.contentType}: ${this.payload.length > 80 ? this.payload.slice(0, 80) + "…" : this.payload}>`;
  }
}

const longStrings = new Map<number, string>();
/** A string of n characters (cached: building 500,000-character strings on every run is slow). */
function long(n: number): string {
  let s = longStrings.get(n);
  if (!s) longStrings.set(n, (s = "x".repeat(n)));
  return s;
}

const INT4_MAX = 2147483647;
const NUMBERS = [2147483648, -2147483649, INT4_MAX, -1, 0, 1.5, -0.5, 9007199254740993, 1e21, 1e308, -1e308];
const WRONG_TYPES: unknown[] = [null, true, false, 0, 1, "", "1", "true", [], {}, [null], { a: { b: [1] } }];
const TEXTS = [
  "   ",
  "%00",
  "\\u0000",
  "\ud800",
  "\udfff\ud800",
  "\u202eevil\u202c",
  "\u200b",
  "\uffff\ufffe",
  "🙂".repeat(40),
  "Ω≈ç√∫˜µ≤≥÷ 田中さん 𝕿𝖍𝖊 مرحبا",
  "<script>alert(1)</script>",
  "' or 1=1 --",
  "'; drop table users; --",
  "$1",
  "\\",
  "../../../etc/passwd",
  "1e3",
  "0x10",
  "NaN",
  "Infinity",
  "2026-02-30T25:61:00Z",
  "0000-01-01T00:00:00Z",
  "+275760-09-13T00:00:00.000Z",
  "-271821-04-20T00:00:00Z",
];
const BAD_IDS = [
  "not-a-uuid",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "123",
  "a".repeat(36),
];

const RAW_BODIES: RawBody[] = [
  new RawBody("", "application/json"),
  new RawBody("{", "application/json"),
  new RawBody("null", "application/json"),
  new RawBody("[]", "application/json"),
  new RawBody('"text"', "application/json"),
  new RawBody("123", "application/json"),
  new RawBody('{"__proto__":{"role":"admin"}}', "application/json"),
  new RawBody('{"constructor":{"prototype":{"role":"admin"}}}', "application/json"),
  new RawBody("[".repeat(20_000) + "]".repeat(20_000), "application/json"),
  new RawBody('{"a":1}', "text/plain"),
  new RawBody("a=1&b=2", "application/x-www-form-urlencoded"),
  new RawBody("\u0000", "application/json"),
  new RawBody('{"title":"\\u0000"}', "application/json; charset=utf-16"),
];

const EXTRA_KEYS = [
  "extra",
  "id",
  "role",
  "authorId",
  "ownerId",
  "createdAt",
  "deletedAt",
  "version",
  "admin",
  "constructor",
  "__proto__",
  "a\u0000b",
];

function typesOf(s: JsonSchema): string[] {
  if (Array.isArray(s.type)) return s.type;
  if (s.type) return [s.type];
  if (s.properties) return ["object"];
  if (s.items) return ["array"];
  if (s.enum?.length) return [typeof s.enum[0]];
  return [];
}

function clampInt(n: number | undefined, fallback: number): number {
  return n === undefined || !Number.isFinite(n)
    ? fallback
    : Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n));
}

/** The alternative of a union schema that describes `value` (or the first). */
function branch(schema: JsonSchema, value: unknown): JsonSchema {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (!alternatives?.length) return schema;
  const kind =
    value === null ? "null" : Array.isArray(value) ? "array" : typeof value === "number" ? "number" : typeof value;
  const hit = alternatives.find(
    (a) =>
      typesOf(a).some((t) => t === kind || (t === "integer" && kind === "number")) &&
      (!a.enum || a.enum.includes(value)),
  );
  return hit ?? alternatives[0];
}

const isoDate = fc
  .date({ min: new Date("2019-01-01T00:00:00Z"), max: new Date("2031-01-01T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString());

/** Mostly valid text: words, sometimes any unicode, within the length bounds. */
function text(min: number, max: number): fc.Arbitrary<string> {
  // Lengths count after trimming (most text fields trim), in UTF-16 code units like zod.
  const fit = (s: string) => (s.trim().length < min ? s.trim() + long(min - s.trim().length) : s).slice(0, max);
  return fc.oneof(
    { weight: 5, arbitrary: fc.lorem({ maxCount: 6 }).map(fit) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }).map(fit) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 30 }).map(fit) },
  );
}

type Key = string | number;
/** A place in a generated value that a mutation can change: a node, or a property an object lacks. */
type Target = { path: Key[]; schema: JsonSchema; field: string; present: boolean; parentIsObject: boolean };
type Mutation =
  { kind: "replace"; value: unknown } | { kind: "delete" } | { kind: "extra"; entries: [string, unknown][] };

function targetsOf(value: unknown, schema: JsonSchema, path: Key[] = [], field = "", parentIsObject = false): Target[] {
  const s = branch(schema, value);
  const out: Target[] = [{ path, schema: s, field, present: true, parentIsObject }];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...targetsOf(v, s.items ?? {}, [...path, i], field)));
  else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const [k, ps] of Object.entries(s.properties ?? {})) {
      if (k in record) out.push(...targetsOf(record[k], ps, [...path, k], k, true));
      else out.push({ path: [...path, k], schema: ps, field: k, present: false, parentIsObject: true });
    }
  }
  return out;
}

function setAt(root: unknown, path: Key[], mutation: Mutation): unknown {
  if (path.length === 0) {
    if (mutation.kind === "replace") return mutation.value;
    if (mutation.kind === "delete") return undefined;
    return withExtras(root, mutation.entries);
  }
  const [head, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = [...root];
    if (rest.length === 0 && mutation.kind === "delete") copy.splice(head as number, 1);
    else copy[head as number] = setAt(copy[head as number], rest, mutation);
    return copy;
  }
  const copy: Record<Key, unknown> = { ...(root as Record<string, unknown>) };
  if (rest.length === 0 && mutation.kind === "delete") delete copy[head];
  else copy[head] = setAt(copy[head], rest, mutation);
  return copy;
}

/** defineProperty, so "__proto__" becomes a key of the JSON rather than the object's prototype. */
function withExtras(value: unknown, entries: [string, unknown][]): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const out = { ...(value as Record<string, unknown>) };
  for (const [k, v] of entries)
    Object.defineProperty(out, k, { value: v, enumerable: true, configurable: true, writable: true });
  return out;
}

/**
 * Generates request values from a route's JSON schemas: valid ones (with real ids of existing
 * objects), and valid ones with one or two targeted mutations, so that a hostile value travels
 * with otherwise valid input as deep as the handler and the database.
 */
export class InputGenerator {
  constructor(
    private readonly ids: IdSource,
    private readonly allIds: string[],
    /** Valid values for fields that JSON Schema cannot describe well enough, by field name. */
    private readonly hints: Record<string, fc.Arbitrary<unknown>> = {},
  ) {}

  /** A value the schema accepts (as far as JSON Schema can tell: refinements such as time zones are hinted by name). */
  valid(schema: JsonSchema, field = "", segment?: string): fc.Arbitrary<unknown> {
    if (field && this.hints[field])
      return fc.oneof(
        { weight: 3, arbitrary: this.hints[field] },
        { weight: 1, arbitrary: this.valid(schema, "", segment) },
      );
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives?.length)
      return fc.oneof(
        ...alternatives.map((s) => this.valid({ ...s, nullable: s.nullable ?? schema.nullable }, field, segment)),
      );
    if (schema.allOf?.length) return this.valid(Object.assign({}, ...schema.allOf) as JsonSchema, field, segment);
    if (schema.nullable)
      return fc.oneof(
        { weight: 5, arbitrary: this.valid({ ...schema, nullable: false }, field, segment) },
        { weight: 1, arbitrary: fc.constant(null) },
      );
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.enum?.length) return fc.constantFrom(...schema.enum);
    switch (typesOf(schema).find((t) => t !== "null")) {
      case "string":
        return this.string(schema, field, segment);
      case "integer": {
        const min = clampInt(schema.minimum, -1000);
        const max = clampInt(schema.maximum, min + 1000);
        // Versions (and diff bounds) of real records are small.
        if (field === "version" || field === "from" || field === "to")
          return fc.integer({ min: Math.max(min, 1), max: Math.max(Math.min(max, 4), min) });
        return fc.oneof(fc.integer({ min, max: Math.min(max, min + 10) }), fc.integer({ min, max }));
      }
      case "number":
        return fc.double({
          min: schema.minimum ?? -1e6,
          max: schema.maximum ?? 1e6,
          noNaN: true,
          noDefaultInfinity: true,
        });
      case "boolean":
        return fc.boolean();
      case "array": {
        const minLength = schema.minItems ?? 0;
        return fc.array(this.valid(schema.items ?? {}, field), {
          minLength,
          maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 4, 4)),
        });
      }
      case "object": {
        const required = new Set(schema.required ?? []);
        const model: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [key, s] of Object.entries(schema.properties ?? {})) model[key] = this.valid(s, key);
        // Optional properties are present about half of the time.
        return fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  private string(schema: JsonSchema, field: string, segment?: string): fc.Arbitrary<string> {
    const min = schema.minLength ?? 0;
    const max = schema.maxLength ?? Math.max(min, 200);
    if (schema.format === "uuid") {
      const real = this.ids(field, segment);
      return real.length
        ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: fc.uuid() })
        : fc.uuid();
    }
    if (schema.format === "email")
      return fc.oneof(
        fc.nat().map((n) => `fuzz.${n}@example.test`),
        fc.emailAddress(),
      );
    if (schema.format === "date-time") return isoDate;
    if (field === "timeZone")
      return fc.constantFrom("UTC", "Europe/Amsterdam", "America/New_York", "Asia/Kolkata", "Pacific/Chatham");
    if (field === "from" || field === "to" || field === "before")
      return fc.oneof(
        isoDate,
        isoDate.map((d) => d.slice(0, 10)),
      );
    return text(min, max);
  }

  /**
   * A valid value with one or two mutations, each at a random place: the node replaced by a hostile
   * value for its type, a property deleted (required ones too), a property the value lacked added
   * with a hostile value, or extra properties added. `keepShape` leaves the root an object (query strings).
   */
  mutated(
    schema: JsonSchema,
    options: { field?: string; segment?: string; keepShape?: boolean } = {},
  ): fc.Arbitrary<unknown> {
    const once = (value: unknown): fc.Arbitrary<unknown> => {
      const targets = targetsOf(value, schema, [], options.field ?? "").filter(
        (t) => !(options.keepShape && t.path.length === 0),
      );
      if (targets.length === 0) return fc.constant(value);
      return fc
        .constantFrom(...targets)
        .chain((target) => this.mutation(target).map((m) => setAt(value, target.path, m)));
    };
    return this.valid(schema, options.field, options.segment)
      .chain(once)
      .chain((v) => fc.oneof({ weight: 3, arbitrary: fc.constant(v) }, { weight: 1, arbitrary: once(v) }));
  }

  private mutation(target: Target): fc.Arbitrary<Mutation> {
    const replace = this.nasty(target.schema, target.field).map((value): Mutation => ({ kind: "replace", value }));
    const options: fc.WeightedArbitrary<Mutation>[] = [{ weight: 8, arbitrary: replace }];
    if (target.present && target.parentIsObject)
      options.push({ weight: 1, arbitrary: fc.constant<Mutation>({ kind: "delete" }) });
    if (target.present && typesOf(target.schema).includes("object")) {
      const entries = fc.array(fc.tuple(fc.constantFrom(...EXTRA_KEYS), fc.jsonValue({ maxDepth: 1 })), {
        minLength: 1,
        maxLength: 3,
      });
      options.push({ weight: 2, arbitrary: entries.map((e): Mutation => ({ kind: "extra", entries: e })) });
    }
    return fc.oneof(...options);
  }

  /**
   * A hostile value for a node of this schema: NUL, int4 overflow and bounds, wrong types, odd or huge strings, other
   * objects' ids…
   */
  nasty(schema: JsonSchema, field = "", segment?: string): fc.Arbitrary<unknown> {
    const types = typesOf(branch(schema, undefined));
    const isString = types.includes("string");
    const isNumber = types.includes("integer") || types.includes("number");
    const bounds = [schema.minimum, schema.maximum]
      .filter((n): n is number => n !== undefined)
      .flatMap((n) => [n - 1, n + 1, n + 0.5]);
    const options: fc.WeightedArbitrary<unknown>[] = [
      {
        weight: isString ? 4 : 1,
        arbitrary: this.withNul(isString ? this.valid(schema, field, segment) : fc.constant("")),
      },
      {
        weight: isNumber ? 5 : 1,
        arbitrary: fc.oneof(
          fc.constantFrom(...NUMBERS, ...bounds),
          fc.integer(),
          fc.bigInt({ min: 2n ** 31n, max: 2n ** 70n }).map(Number),
        ),
      },
      { weight: 2, arbitrary: fc.constantFrom(...WRONG_TYPES) },
      {
        weight: isString ? 3 : 1,
        arbitrary: fc.oneof(fc.constantFrom(...TEXTS), fc.string({ unit: "binary", maxLength: 40 })),
      },
      {
        weight: isString ? 2 : 1,
        arbitrary: fc
          .constantFrom(100_001, 600_000, ...(schema.maxLength !== undefined ? [schema.maxLength + 1] : []))
          .map(long),
      },
    ];
    if (schema.format === "uuid" || field.endsWith("Id") || field.endsWith("Ids") || field === "id") {
      const ids = fc.oneof(
        fc.constantFrom(...BAD_IDS),
        fc.uuid(),
        ...(this.allIds.length
          ? [fc.constantFrom(...this.allIds), fc.constantFrom(...this.allIds).map((id) => id.toUpperCase())]
          : []),
      );
      options.push({ weight: 4, arbitrary: ids });
    }
    if (types.includes("array")) {
      const n = (schema.maxItems ?? 50) + 1;
      options.push({
        weight: 2,
        arbitrary: fc.array(this.valid(schema.items ?? {}, field), { minLength: n, maxLength: n }),
      });
    }
    return fc.oneof(...options);
  }

  /** A JSON body: valid, mutated, absent, or not JSON at all. */
  body(schema: JsonSchema): fc.Arbitrary<unknown> {
    return fc.oneof(
      { weight: 12, arbitrary: this.mutated(schema) },
      { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, ...RAW_BODIES) },
    );
  }

  private withNul(arb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
    return fc.tuple(arb, fc.nat()).map(([v, at]) => {
      const s = typeof v === "string" ? v : "";
      const i = at % (s.length + 1);
      return s.slice(0, i) + "\u0000" + s.slice(i);
    });
  }
}

/**
 * Percent-encodes the UTF-8 bytes of a value for a URL (lone surrogates become U+FFFD instead of throwing like
 * encodeURIComponent).
 */
export function urlEncode(value: unknown): string {
  const s =
    typeof value === "string"
      ? value
      : value !== null && typeof value === "object"
        ? JSON.stringify(value)
        : String(value);
  let out = "";
  for (const byte of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** A query string from an object: arrays repeat the key, undefined is left out. */
export function queryString(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) parts.push(`${urlEncode(k)}=${urlEncode(item)}`);
  }
  return parts.length ? `?${parts.join("&")}` : "";
}

/** A short, printable description of a value for failure messages. */
export function describeValue(value: unknown, max = 600): string {
  if (value instanceof RawBody) return value.toJSON();
  let s: string;
  try {
    s =
      JSON.stringify(value, (_k, v: unknown) =>
        typeof v === "string" && v.length > 120 ? `${v.slice(0, 60)}…(${v.length} chars)` : v,
      ) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
