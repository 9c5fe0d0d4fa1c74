import type { FastifyRequest } from "fastify";
import { AppError, type FieldError } from "./errors";

// The int4-bounded request schemas live with the other pure contracts (the web app imports them).
export { INT4_MAX, Offset, Version, VersionParam } from "./contracts";

const NUL_MESSAGE = "must not contain the NUL character (\\u0000)";
const MAX_DEPTH = 64;

/**
 * Paths (dot-joined, like the validation errors) of the strings in `value` that contain U+0000; object keys count too.
 */
function nulPaths(value: unknown, path: string[] = [], found: string[] = [], depth = 0): string[] {
  if (typeof value === "string") {
    if (value.includes("\u0000")) found.push(path.join("."));
  } else if (Array.isArray(value)) {
    if (depth < MAX_DEPTH) value.forEach((v, i) => nulPaths(v, [...path, String(i)], found, depth + 1));
  } else if (value !== null && typeof value === "object") {
    if (depth < MAX_DEPTH) {
      for (const [k, v] of Object.entries(value)) {
        if (k.includes("\u0000")) found.push([...path, k.replace(/\u0000/g, "\\u0000")].join("."));
        else nulPaths(v, [...path, k], found, depth + 1);
      }
    }
  }
  return found;
}

/**
 * preValidation hook: PostgreSQL cannot store U+0000 in text (the statement fails), so a NUL
 * anywhere in the body, query string or path parameters is a 400 naming the field, for every
 * route at once, before any handler or query runs.
 */
export async function rejectNulCharacters(req: FastifyRequest): Promise<void> {
  const fields: FieldError[] = [];
  const labels: string[] = [];
  for (const [where, value] of [
    ["params", req.params],
    ["query", req.query],
    ["body", req.body],
  ] as const) {
    for (const path of nulPaths(value)) {
      fields.push({ path, message: NUL_MESSAGE });
      labels.push(`${path || where}: ${NUL_MESSAGE}`);
    }
  }
  if (fields.length > 0) throw new AppError("invalid", labels.join("; "), { fields });
}
