import type { FastifyInstance, FastifySerializerCompiler } from "fastify";
import { ResponseSerializationError } from "fastify-type-provider-zod";
import { z } from "zod";

/**
 * Serialises a JSON response through the route's zod response schema (like fastify-type-provider-zod's
 * serializerCompiler: a value the schema rejects is a 500, a field the schema does not name is dropped).
 * In strict mode (tests) a dropped field is an error too, so a schema that forgets a field fails the
 * request that would silently lose it instead of passing unnoticed.
 */
export function responseSerializer(options: { strict: boolean }): FastifySerializerCompiler<z.ZodType> {
  return ({ schema, method, url }) => {
    const zod = schema instanceof z.ZodType ? schema : (schema as { properties?: unknown }).properties;
    if (!(zod instanceof z.ZodType)) throw new Error(`${method} ${url}: the response schema is not a zod schema`);
    return (data) => {
      const result = z.safeEncode(zod, data);
      if (!result.success) {
        if (options.strict)
          console.error(`${method} ${url}: the response does not match its schema`, z.prettifyError(result.error));
        throw new ResponseSerializationError(method, url, { cause: result.error });
      }
      if (options.strict) {
        const lost = droppedKeys(data, result.data);
        if (lost.length) {
          const message = `${method} ${url}: the response schema drops ${lost.join(", ")}`;
          console.error(message);
          throw new Error(message);
        }
      }
      return JSON.stringify(result.data);
    };
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Paths of the keys (with a defined value) present in `raw` and missing from `encoded`, recursively. */
export function droppedKeys(raw: unknown, encoded: unknown, path = "", out: string[] = []): string[] {
  if (Array.isArray(raw) && Array.isArray(encoded)) {
    raw.forEach((v, i) => droppedKeys(v, encoded[i], `${path}[${i}]`, out));
  } else if (isRecord(raw) && isRecord(encoded)) {
    for (const [k, v] of Object.entries(raw)) {
      if (v === undefined) continue;
      if (!(k in encoded)) out.push(path ? `${path}.${k}` : k);
      else droppedKeys(v, encoded[k], path ? `${path}.${k}` : k, out);
    }
  }
  return out;
}

export type RouteContract = { method: string; url: string; response: Record<string, unknown> | undefined };
const contracts = new WeakMap<FastifyInstance, RouteContract[]>();

/** Remembers every route's response schemas (call before routes are added); read with routeContracts(app). */
export function collectRouteContracts(app: FastifyInstance): void {
  const list: RouteContract[] = [];
  contracts.set(app, list);
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods)
      list.push({ method, url: route.url, response: route.schema?.response as Record<string, unknown> | undefined });
  });
}

/** Every route with its response schemas (zod, or `{ content }` for non-JSON responses), as declared. */
export function routeContracts(app: FastifyInstance): RouteContract[] {
  return contracts.get(app) ?? [];
}
