import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Provider } from "oidc-provider";

/**
 * A real OpenID Provider (oidc-provider, the certified reference implementation) on 127.0.0.1 for
 * the single sign-on tests: no internet. Its development sign-in form takes any login name (and any
 * password); the login name is the account's subject, and the account's claims come from `people`
 * (a test changes them between sign-ins). Consent is given automatically (a first-party client).
 */

export type Person = {
  email?: string;
  email_verified?: boolean;
  name?: string;
  department?: string;
  manager_email?: string;
  groups?: string[];
};

export type TestProvider = {
  /** The issuer URL (http://127.0.0.1:<port>). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Claims by login name; a login not listed gets `<login>@example.test`, verified, and its login as name. */
  people: Map<string, Person>;
  /** Redirect URIs the client may use start with this (Knowhow's `/api/auth/sso/<id>/callback`s). */
  close: () => Promise<void>;
};

type Ctx = {
  oidc: {
    client: { clientId: string };
    session: { accountId?: string };
    provider: Provider;
  };
};

export const CUSTOM_CLAIMS = ["department", "manager_email", "groups"];

/**
 * Starts a provider whose one client (`knowhow`, client_secret_post) may redirect to any URL that
 * starts with `redirectPrefix` and ends in `/callback` (the test registers providers at run time, so
 * their ids are not known in advance).
 */
export async function startTestProvider(redirectPrefix: string): Promise<TestProvider> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "knowhow";
  const clientSecret = "a-test-client-secret-that-is-long-enough";
  const people = new Map<string, Person>();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${redirectPrefix}/placeholder/callback`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", ...CUSTOM_CLAIMS],
    },
    cookies: { keys: ["a-test-cookie-key-for-the-provider"] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx: unknown, id: string) {
      return {
        accountId: id,
        async claims() {
          const p = people.get(id) ?? {};
          return { sub: id, email: `${id}@example.test`, email_verified: true, name: id, ...p };
        },
      };
    },
    // A first-party client: the person is not asked to consent.
    async loadExistingGrant(ctx: Ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId!,
      });
      grant.addOIDCScope("openid email profile");
      grant.addOIDCClaims(["email", "email_verified", "name", ...CUSTOM_CLAIMS]);
      await grant.save();
      return grant;
    },
  });
  const allowed = (uri: string) => uri.startsWith(`${redirectPrefix}/`) && uri.endsWith("/callback");
  provider.Client.prototype.redirectUriAllowed = allowed;
  handler = provider.callback();
  return {
    issuer,
    clientId,
    clientSecret,
    people,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A cookie jar for plain HTTP requests to the provider (name → value). */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      this.cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/**
 * Goes through the provider's sign-in as a browser would: from the authorization URL (Knowhow's
 * start redirect), fills in its form with `login`, and follows redirects until the provider sends
 * the browser back to `appBase`. Returns that URL (the callback with code, state and iss).
 */
export async function signInAtProvider(authorizationUrl: string, login: string, appBase: string): Promise<string> {
  const jar = new Jar();
  let url = authorizationUrl;
  let form: URLSearchParams | null = null;
  for (let hops = 0; hops < 20; hops++) {
    if (url.startsWith(appBase)) return url;
    const res: Response = await fetch(url, {
      method: form ? "POST" : "GET",
      redirect: "manual",
      headers: {
        cookie: jar.header(),
        ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      body: form ?? undefined,
    });
    jar.take(res);
    form = null;
    const location = res.headers.get("location");
    if (location) {
      url = new URL(location, url).href;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"[^>]*method="post"/.exec(html)?.[1];
    if (res.status !== 200 || !action || !html.includes('name="login"'))
      throw new Error(`unexpected answer from the provider at ${url}: ${res.status} ${html.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, "&"), url).href;
    form = new URLSearchParams({ prompt: "login", login, password: "any password" });
  }
  throw new Error("the provider did not send the browser back");
}
