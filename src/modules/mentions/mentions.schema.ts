import { z } from "zod";
import { DateTime, PersonRef } from "../../platform/contracts";
import { endpoint } from "../../platform/endpoints";

export const MentionsQuery = z.object({
  limit: z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(200, "must be at most 200")
    .default(50),
});
export const MentionsSeenIn = z.object({
  /** The mentions to mark seen; all of the person's when left out. */
  ids: z.array(z.string().uuid("must be a mention id")).max(200, "at most 200 ids").optional(),
});

const MentionOut = z.object({
  id: z.string(),
  by: PersonRef,
  /** What the mention is in. */
  subjectType: z.enum(["article", "article_comment", "question", "answer", "comment"]),
  /** The title of the article or question it is in (or on). */
  title: z.string(),
  /** Where it is in the web app. */
  url: z.string(),
  /** The first words of a comment or answer (empty for an article or question). */
  excerpt: z.string(),
  createdAt: DateTime,
  seenAt: DateTime.nullable(),
});
/** The person's mentions (newest first), only in content they may still read. */
export const MentionsOut = z.object({ unseen: z.number(), items: z.array(MentionOut) });
export const MentionsSeenOut = z.object({ unseen: z.number() });

/** The endpoints of mentions.routes.ts. */
export const mentionsEndpoints = {
  getMentions: endpoint({ method: "GET", path: "/mentions", query: MentionsQuery, response: MentionsOut }),
  postMentionsSeen: endpoint({
    method: "POST",
    path: "/mentions/seen",
    body: MentionsSeenIn,
    response: MentionsSeenOut,
  }),
};
