import { z } from "zod";
import { DateTime, PersonRef, VerificationState, QueryText } from "../../platform/contracts";
import { endpoint } from "../../platform/endpoints";

const boolish = z.enum(["1", "0", "true", "false"]).transform((v) => v === "1" || v === "true");

export const SearchQuery = z.object({
  // Any text is a valid query (except NUL, rejected for the whole API); only its size is bounded.
  q: QueryText.default(""),
  spaceId: z.string().uuid().optional(),
  tag: z.string().max(60).optional(),
  authorId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
  prefix: boolish.default(false),
});

/** Verification as a search hit shows it ("verified by Ana 12 days ago", "expired"…). */
export const HitVerificationOut = z.object({
  state: VerificationState,
  verifiedAt: DateTime.nullable(),
  /** The verifier's name. */
  verifiedBy: z.string().nullable(),
  verifiedUntil: DateTime,
  superseded: z.boolean(),
});
const SearchHitOut = z.object({
  type: z.enum(["article", "question", "lesson"]),
  id: z.string(),
  title: z.string(),
  /** Escaped HTML with <mark> around matched words. */
  titleHtml: z.string(),
  snippet: z.string(),
  /** A space id, or "org" for questions and lessons shared with everyone. */
  spaceId: z.string(),
  spaceName: z.string(),
  tags: z.array(z.string()),
  owner: PersonRef,
  updatedAt: DateTime,
  score: z.number(),
  /** null: nothing to verify (e.g. no accepted answer yet); absent when the query is empty (newest articles). */
  verification: HitVerificationOut.nullable().optional(),
});
export const SearchOut = z.object({
  total: z.number(),
  tookMs: z.number(),
  items: z.array(SearchHitOut),
  facets: z.object({
    spaces: z.array(z.object({ id: z.string(), name: z.string(), count: z.number() })),
    tags: z.array(z.object({ tag: z.string(), count: z.number() })),
  }),
});
export type SearchOut = z.infer<typeof SearchOut>;
export const TagsOut = z.object({ items: z.array(z.object({ tag: z.string(), count: z.number() })) });

/** The endpoints of search.routes.ts. */
export const searchEndpoints = {
  getSearch: endpoint({ method: "GET", path: "/search", query: SearchQuery, response: SearchOut }),
  getTags: endpoint({ method: "GET", path: "/tags", response: TagsOut }),
};
