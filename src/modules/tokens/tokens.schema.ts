import { z } from "zod";
import { endpoint } from "../../platform/endpoints";
import { DateTime, OkOut, PersonRef } from "../../platform/contracts";

export const TOKEN_SCOPES = ["read", "write", "admin"] as const;

export const TokenIn = z
  .object({
    name: z.string().trim().min(2, "must be at least 2 characters").max(80, "must be at most 80 characters"),
    scopes: z
      .array(z.enum(TOKEN_SCOPES))
      .min(1, "choose at least one scope")
      .refine((s) => new Set(s).size === s.length, "lists a scope twice"),
    /** Days until it stops working (null: until revoked). */
    expiresInDays: z
      .number()
      .int("must be a whole number of days")
      .min(1, "must be at least 1 day")
      .max(730, "must be at most 730 days")
      .nullable()
      .default(90),
  })
  .strict();

export const TokenOut = z.object({
  id: z.string(),
  name: z.string(),
  /** The first characters, to recognise it. */
  prefix: z.string(),
  scopes: z.array(z.string()),
  owner: PersonRef,
  expiresAt: DateTime.nullable(),
  lastUsedAt: DateTime.nullable(),
  revokedAt: DateTime.nullable(),
  createdAt: DateTime,
});
/** A new token: the secret itself, this once. */
export const NewTokenOut = TokenOut.extend({ token: z.string() });

const Id = z.object({ id: z.string().uuid() });

/** The endpoints of tokens.routes.ts. */
export const tokensEndpoints = {
  /** The reader's tokens; `all=true` for every person's (admins). */
  getTokens: endpoint({
    method: "GET",
    path: "/tokens",
    query: z.object({ all: z.enum(["true", "false"]).default("false") }),
    response: z.object({ items: z.array(TokenOut) }),
  }),
  postTokens: endpoint({ method: "POST", path: "/tokens", body: TokenIn, response: NewTokenOut, status: 201 }),
  deleteTokensById: endpoint({ method: "DELETE", path: "/tokens/:id", params: Id, response: OkOut }),
};
