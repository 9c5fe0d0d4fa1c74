import { z } from "zod";
import { endpoint } from "../../platform/endpoints";
import { DateTime, OkOut, rawResponse, Version } from "../../platform/contracts";

/** Whether an issuer URL may be used over plain http: only a provider on this machine (tests, development). */
export function isLocalHttp(url: URL): boolean {
  return url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

const Name = z.string().trim().min(1, "is required").max(80, "must be at most 80 characters");
const Issuer = z
  .string()
  .trim()
  .max(500, "must be at most 500 characters")
  .refine((v) => URL.canParse(v), "must be a URL such as https://login.example.com/realms/staff")
  .refine((v) => {
    if (!URL.canParse(v)) return true;
    const u = new URL(v);
    return u.protocol === "https:" || isLocalHttp(u);
  }, "must start with https:// (http:// only for a provider on localhost)")
  .refine((v) => !URL.canParse(v) || (!new URL(v).search && !new URL(v).hash), "must not have a query or fragment");
const ClientId = z.string().trim().min(1, "is required").max(500, "must be at most 500 characters");
const ClientSecret = z.string().max(2000, "must be at most 2,000 characters");
const Scopes = z
  .string()
  .trim()
  .max(500, "must be at most 500 characters")
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, "must be scope names separated by spaces")
  .refine((v) => v.split(" ").includes("openid"), "must include openid");
/** A claim's name (empty: not taken from the provider); URLs are allowed for namespaced claims. */
const Claim = z
  .string()
  .trim()
  .max(200, "must be at most 200 characters")
  .regex(/^[A-Za-z0-9_.:/-]*$/, "must be a claim name (letters, digits, _ . : / -)");
const Group = z.string().trim().min(1, "is required").max(200, "must be at most 200 characters");
export const SsoRole = z.enum(["admin", "member", "guest"]);
const RoleMapping = z.object({ group: Group, role: SsoRole }).strict();
const SpaceMapping = z
  .object({ group: Group, spaceId: z.string().uuid("must be a space id"), role: z.enum(["viewer", "editor"]) })
  .strict();

export const ProviderIn = z
  .object({
    name: Name,
    issuer: Issuer,
    clientId: ClientId,
    /** Write-only: kept to authenticate at the provider, never sent back. Empty: a public client (PKCE only). */
    clientSecret: ClientSecret.default(""),
    scopes: Scopes.default("openid email profile"),
    nameClaim: Claim.default("name"),
    departmentClaim: Claim.default(""),
    managerEmailClaim: Claim.default(""),
    groupsClaim: Claim.default("groups"),
    roleMappings: z.array(RoleMapping).max(50, "must be at most 50 rows").default([]),
    spaceMappings: z.array(SpaceMapping).max(200, "must be at most 200 rows").default([]),
    enabled: z.boolean().default(true),
  })
  .strict();
export const ProviderPatch = z
  .object({
    version: Version,
    name: Name.optional(),
    issuer: Issuer.optional(),
    clientId: ClientId.optional(),
    /** A new secret replaces the kept one; leave it out to keep it, send "" to remove it. */
    clientSecret: ClientSecret.optional(),
    scopes: Scopes.optional(),
    nameClaim: Claim.optional(),
    departmentClaim: Claim.optional(),
    managerEmailClaim: Claim.optional(),
    groupsClaim: Claim.optional(),
    roleMappings: z.array(RoleMapping).max(50, "must be at most 50 rows").optional(),
    spaceMappings: z.array(SpaceMapping).max(200, "must be at most 200 rows").optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export const ProviderOut = z.object({
  id: z.string(),
  name: z.string(),
  issuer: z.string(),
  clientId: z.string(),
  /** Whether a client secret is kept (the secret itself is never sent). */
  hasSecret: z.boolean(),
  scopes: z.string(),
  nameClaim: z.string(),
  departmentClaim: z.string(),
  managerEmailClaim: z.string(),
  groupsClaim: z.string(),
  roleMappings: z.array(z.object({ group: z.string(), role: SsoRole })),
  spaceMappings: z.array(
    z.object({
      group: z.string(),
      spaceId: z.string(),
      /** The space's name (null once the space is gone: the row is then skipped at sign-in). */
      spaceName: z.string().nullable(),
      role: z.enum(["viewer", "editor"]),
    }),
  ),
  enabled: z.boolean(),
  /** The redirect URI to register at the provider. */
  redirectUri: z.string(),
  version: z.number(),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type ProviderOut = z.infer<typeof ProviderOut>;
export const ProviderListOut = z.object({ items: z.array(ProviderOut) });

export const SsoSettingsOut = z.object({
  /** Whether people other than admins may sign in with a password (admins always may). */
  passwordSignIn: z.boolean(),
  version: z.number(),
  updatedAt: DateTime.nullable(),
});
export const SsoSettingsPatch = z.object({ version: Version, passwordSignIn: z.boolean() }).strict();

/** What the sign-in page needs: the enabled providers and whether the password form is offered. */
export const SignInOptionsOut = z.object({
  providers: z.array(z.object({ id: z.string(), name: z.string() })),
  passwordSignIn: z.boolean(),
});

const Id = z.object({ id: z.string().uuid() });
/** The start and callback take any id: an unknown one is answered with a redirect to the sign-in page. */
const AnyId = z.object({ id: z.string().max(100) });
const Redirect = rawResponse("text/plain", "A redirect (Location): to the provider, or back into Knowhow");

/** The endpoints of sso.routes.ts. */
export const ssoEndpoints = {
  getAuthSso: endpoint({ method: "GET", path: "/auth/sso", response: SignInOptionsOut }),
  getAuthSsoByIdStart: endpoint({
    method: "GET",
    path: "/auth/sso/:id/start",
    params: AnyId,
    response: Redirect,
    status: 302,
  }),
  getAuthSsoByIdCallback: endpoint({
    method: "GET",
    path: "/auth/sso/:id/callback",
    params: AnyId,
    response: Redirect,
    status: 302,
  }),
  getSsoProviders: endpoint({ method: "GET", path: "/sso/providers", response: ProviderListOut }),
  postSsoProviders: endpoint({
    method: "POST",
    path: "/sso/providers",
    body: ProviderIn,
    response: ProviderOut,
    status: 201,
  }),
  patchSsoProvidersById: endpoint({
    method: "PATCH",
    path: "/sso/providers/:id",
    params: Id,
    body: ProviderPatch,
    response: ProviderOut,
  }),
  deleteSsoProvidersById: endpoint({ method: "DELETE", path: "/sso/providers/:id", params: Id, response: OkOut }),
  getSsoSettings: endpoint({ method: "GET", path: "/sso/settings", response: SsoSettingsOut }),
  patchSsoSettings: endpoint({
    method: "PATCH",
    path: "/sso/settings",
    body: SsoSettingsPatch,
    response: SsoSettingsOut,
  }),
};
