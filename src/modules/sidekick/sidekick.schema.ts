import { z } from "zod";
import { ExpertOut } from "../expertise/expertise.schema";
import { HitVerificationOut } from "../search/search.schema";
import { endpoint } from "../../platform/endpoints";
import { SuggestionsOut } from "../communities/communities.schema";

export const SidekickIn = z.object({
  text: z
    .string()
    .trim()
    .min(3, "describe the problem in a few words")
    .max(20_000, "must be at most 20,000 characters"),
});
export const DeflectionIn = z.object({
  query: z.string().trim().min(1, "is required").max(20_000),
  targetType: z.enum(["article", "question"], "must be article or question"),
  targetId: z.string().uuid("must be an article or question id"),
  source: z.enum(["ask", "sidekick"], "must be ask or sidekick"),
});
export const DeflectionSummaryQuery = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) });

/** Knowledge that may already answer the problem, people who know, communities to ask, and a ready question. */
export const SidekickOut = z.object({
  knowledge: z.array(
    z.object({
      type: z.enum(["article", "question", "lesson"]),
      id: z.string(),
      title: z.string(),
      titleHtml: z.string(),
      snippet: z.string(),
      spaceName: z.string(),
      tags: z.array(z.string()),
      verification: HitVerificationOut.nullable(),
      url: z.string(),
    }),
  ),
  people: z.array(ExpertOut),
  /** Communities to ask about it (members-only ones only for their members), with reasons. */
  communities: SuggestionsOut.shape.items,
  draft: z.object({ title: z.string(), body: z.string(), tags: z.array(z.string()) }),
  canAsk: z.boolean(),
});
export const DeflectionOut = z.object({ recorded: z.boolean() });
export const DeflectionSummaryOut = z.object({
  days: z.number(),
  deflected: z.number(),
  asked: z.number(),
  rate: z.number(),
  byDay: z.array(z.object({ day: z.string(), count: z.number() })),
  top: z.array(
    z.object({
      type: z.enum(["article", "question"]),
      id: z.string(),
      title: z.string(),
      count: z.number(),
      url: z.string(),
    }),
  ),
});

/** The endpoints of sidekick.routes.ts. */
export const sidekickEndpoints = {
  postSidekick: endpoint({ method: "POST", path: "/sidekick", body: SidekickIn, response: SidekickOut }),
  postDeflections: endpoint({
    method: "POST",
    path: "/deflections",
    body: DeflectionIn,
    response: DeflectionOut,
    status: 201,
  }),
  getDeflectionsSummary: endpoint({
    method: "GET",
    path: "/deflections/summary",
    query: DeflectionSummaryQuery,
    response: DeflectionSummaryOut,
  }),
};
