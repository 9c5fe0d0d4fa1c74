import { z } from "zod";

// Response building blocks shared by the modules' `*.schema.ts` files. Pure zod: the web app
// imports these contracts too, so nothing here may depend on the database or on Node.

/** The largest value of a PostgreSQL `integer` (int4) column; a larger parameter fails in the database. */
export const INT4_MAX = 2_147_483_647;

/** A record's version in a JSON body (optimistic locking; an int4 column). */
export const Version = z
  .number()
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(INT4_MAX, `must be at most ${INT4_MAX}`);
/** A version in a path or query string (text, coerced to a number). */
export const VersionParam = z.coerce
  .number()
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(INT4_MAX, `must be at most ${INT4_MAX}`);
/** How many rows a list skips (query string). */
export const Offset = z.coerce
  .number()
  .int("must be a whole number")
  .min(0, "must be 0 or more")
  .max(INT4_MAX, `must be at most ${INT4_MAX}`);

/** A moment in a response: an ISO 8601 string (presenters call toISOString()). */
export const DateTime = z.string();
/** `{ ok: true }`: the action was done and there is nothing else to say. */
export const OkOut = z.object({ ok: z.literal(true) });
/** `{ deleted: true }`. */
export const DeletedOut = z.object({ deleted: z.boolean() });
/** An error answer's `error` object: a code, a message for people and the fields at fault (if any). */
export const ErrorOut = z.object({
  code: z.string(),
  message: z.string(),
  fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
/** A person as lists show them. */
export const PersonRef = z.object({ id: z.string(), name: z.string() });
/** A space as lists show them. */
export const SpaceRef = z.object({ id: z.string(), name: z.string() });
/**
 * A link to another item as this reader may see it: id and title when they may read the target,
 * otherwise only that a link exists (`hidden`).
 */
export const LinkedItemOut = z.discriminatedUnion("hidden", [
  z.object({ id: z.string(), title: z.string(), hidden: z.literal(false) }),
  z.object({ id: z.null(), title: z.null(), hidden: z.literal(true) }),
]);
export const VerificationState = z.enum(["verified", "due", "expired"]);

/** A response that is not JSON (a file, a CSV export): documented by media type, sent as is (no serialisation). */
export function rawResponse(mediaType: string, description: string) {
  return { description, content: { [mediaType]: { schema: z.any().meta({ type: "string", format: "binary" }) } } };
}
/** Where a routed request stands (routing_requests.status). */
export const RequestStatus = z.enum(["pending", "answered", "declined", "forwarded", "expired", "closed"]);

/**
 * What a person types into any search box (search, questions, people, who knows): the same limit
 * and the same message everywhere — long enough for a pasted error message or question.
 */
const QUERY_MAX = 20_000;
export const QueryText = z.string().max(QUERY_MAX, `must be at most ${QUERY_MAX.toLocaleString("en")} characters`);
