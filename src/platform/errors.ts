/** The one error type of the app: a code the HTTP layer maps to a status, a message for people. */
type ErrorCode =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "csrf"
  | "not_found"
  | "conflict"
  | "too_large"
  | "unsupported_type"
  | "rate_limited"
  | "bad_gateway"
  | "internal";

export type FieldError = { path: string; message: string };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldError[];
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, extra?: { fields?: FieldError[]; details?: Record<string, unknown> }) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fields = extra?.fields;
    this.details = extra?.details;
  }
}

export const statusOf: Record<ErrorCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  csrf: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_type: 415,
  rate_limited: 429,
  bad_gateway: 502,
  internal: 500,
};

/** A 400 naming one field. */
export function invalidField(path: string, message: string): AppError {
  return new AppError("invalid", `${path}: ${message}`, { fields: [{ path, message }] });
}

/** A 404 used both for missing records and for records the actor may not see (no existence leak). */
export function notFound(what = "Not found"): AppError {
  return new AppError("not_found", what);
}

/** The SQLSTATE of a database error, looking through the wrappers (Drizzle puts the driver's error in `cause`). */
function sqlState(e: unknown): string | undefined {
  let x: unknown = e;
  for (let depth = 0; depth < 5 && x && typeof x === "object"; depth++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    x = (x as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A unique constraint refused a row (SQLSTATE 23505): somebody else wrote the same thing first. */
export function isUniqueViolation(e: unknown): boolean {
  return sqlState(e) === "23505";
}

/**
 * Two requests changed the same thing at the same moment: a unique violation, a serialization
 * failure (40001) or a deadlock (40P01). The HTTP layer answers these with 409, not 500.
 */
export function isConcurrentChange(e: unknown): boolean {
  const state = sqlState(e);
  return state === "23505" || state === "40001" || state === "40P01";
}
