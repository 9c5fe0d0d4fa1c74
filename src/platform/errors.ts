/** The one error type of the app: a code the HTTP layer maps to a status, a message for people. */
export type ErrorCode =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "csrf"
  | "not_found"
  | "conflict"
  | "too_large"
  | "unsupported_type"
  | "rate_limited"
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
