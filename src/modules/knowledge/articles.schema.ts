import { z } from "zod";
import { Offset, Version } from "../../platform/validation";

/** Tags are lowercase words joined by dashes, deduplicated. */
export function normaliseTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tags) {
    const n = t.trim().toLowerCase().replace(/^#/, "").replace(/\s+/g, "-").slice(0, 40);
    if (n && !out.includes(n)) out.push(n);
  }
  return out;
}

const Tags = z.array(z.string().max(60, "each tag must be at most 60 characters")).max(20, "at most 20 tags").transform(normaliseTags);
const Title = z.string().trim().min(1, "is required").max(200, "must be at most 200 characters");
const Body = z.string().max(500_000, "must be at most 500,000 characters");

export const ArticleIn = z.object({
  spaceId: z.string().uuid("must be a space id"),
  title: Title,
  body: Body.default(""),
  tags: Tags.default([]),
  status: z.enum(["draft", "published"]).default("published"),
});
export const ArticleUpdate = z.object({
  version: Version,
  title: Title,
  body: Body,
  tags: Tags.default([]),
  status: z.enum(["draft", "published"]).optional(),
  note: z.string().trim().max(300).default(""),
});
export const ArticleListQuery = z.object({
  spaceId: z.string().uuid().optional(),
  tag: z.string().max(60).optional(),
  ownerId: z.string().uuid().optional(),
  status: z.enum(["draft", "published"]).optional(),
  sort: z.enum(["updated", "title"]).default("updated"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: Offset.default(0),
});
export type ArticleListInput = z.infer<typeof ArticleListQuery>;
