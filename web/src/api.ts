/**
 * The HTTP client: JSON, the session cookie, the CSRF header on writes, typed errors. Pages call the
 * API through `call(routes.<feature>.<endpoint>, { params, query, body })`: the URL comes from the
 * endpoint's declared path and the argument and answer types from its zod schemas (server route table,
 * src/api.ts, imported as types only; methods and paths at run time from the generated api-routes.ts).
 */
import type { z } from "zod";
import type { BodyOf, EndpointSpec, ParamsOf, QueryOf, ResponseOf } from "../../src/platform/endpoints";
import { routes } from "./api-routes";
import type { Role as RoleSchema, UserOut } from "../../src/modules/accounts/accounts.schema";
import type { SpaceOut } from "../../src/modules/spaces/spaces.schema";
import type {
  ArticleOut,
  ArticleSummaryOut,
  AttachmentOut,
  DiffOut,
  RevisionOut,
} from "../../src/modules/knowledge/articles.schema";
import type { SearchOut } from "../../src/modules/search/search.schema";

type FieldError = { path: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
  field(path: string): string | undefined {
    return this.fields.find((f) => f.path === path || f.path.startsWith(`${path}.`))?.message;
  }
}

let csrfToken = "";
export function setCsrf(token: string): void {
  csrfToken = token;
}

async function parse(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined && !(body instanceof FormData)) headers["content-type"] = "application/json";
  if (method !== "GET" && method !== "HEAD" && csrfToken) headers["x-csrf-token"] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", "Knowhow cannot be reached. Check your connection and try again.");
  }
  const data = await parse(res);
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; fields?: FieldError[] } } | null)?.error;
    const message =
      res.status === 429
        ? "Too many attempts. Wait a minute and try again."
        : (err?.message ?? `Request failed (${res.status})`);
    throw new ApiError(
      res.status,
      err?.code ?? "error",
      message,
      err?.fields ?? [],
      (data ?? {}) as Record<string, unknown>,
    );
  }
  return data as T;
}

export { routes };

/** The prefix of every API route (the server registers the route table below it). */
const API_PREFIX = "/api";

/**
 * An endpoint as the web app holds it: method and path at run time; the server's declaration (its
 * schemas) as a type only, from which `call` infers what to send and what comes back.
 */
export type RouteRef<E> = { readonly method: string; readonly path: string; readonly __contract?: E };
/** The generated runtime table (api-routes.ts) mirrors the server's route table, feature by feature. */
export type RouteTable<T> = { [F in keyof T]: { [N in keyof T[F]]: RouteRef<T[F][N]> } };

/** No keys: `Empty extends V` holds when every key of V is optional. */
type Empty = Record<never, never>;
type Slot<K extends string, V> = [V] extends [undefined]
  ? { [P in K]?: undefined }
  : Empty extends V
    ? { [P in K]?: V }
    : { [P in K]: V };
/** What a call of endpoint E takes: its path params, query and body, typed from the endpoint's schemas. */
export type CallArgs<E> = UrlArgs<E> & Slot<"body", BodyOf<E>>;
/** What the URL of endpoint E takes: its path params and query. */
export type UrlArgs<E> = Slot<"params", ParamsOf<E>> & Slot<"query", QueryOf<E>>;
type ArgList<A> = Empty extends A ? [args?: A] : [args: A];

/** The body / query an endpoint of the table takes (for a value built at run time, e.g. from a form). */
export type BodyFor<R> = R extends RouteRef<infer E> ? BodyOf<E> : never;
export type QueryFor<R> = R extends RouteRef<infer E> ? NonNullable<QueryOf<E>> : never;

type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];

/** The URL of an endpoint: `:name` path segments replaced by the (encoded) params, the query serialised. */
export function urlFor<E extends EndpointSpec>(ref: RouteRef<E>, ...[args]: ArgList<UrlArgs<E>>): string {
  const params = (args?.params ?? {}) as Record<string, string | number>;
  const path = ref.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    if (params[name] === undefined) throw new Error(`${ref.path}: no value for :${name}`);
    return encodeURIComponent(String(params[name]));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries((args?.query ?? {}) as Record<string, QueryValue>)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
  }
  const query = search.toString();
  return `${API_PREFIX}${path}${query ? `?${query}` : ""}`;
}

/**
 * Where the browser goes to sign in with a single sign-on provider: a plain link (a top-level GET),
 * which the server answers with a redirect to the provider.
 */
export function ssoStartUrl(providerId: string): string {
  return urlFor(routes.sso.getAuthSsoByIdStart, { params: { id: providerId } });
}

/** Calls an endpoint of the route table; the answer's type is the endpoint's response schema's output. */
export function call<E extends EndpointSpec>(
  ref: RouteRef<E>,
  ...[args]: ArgList<CallArgs<E>>
): Promise<ResponseOf<E>> {
  const a = (args ?? {}) as { params?: unknown; query?: unknown; body?: unknown };
  const url = urlFor(ref, { params: a.params, query: a.query } as never);
  // A POST without a body sends `{}` (a JSON body, as the server's JSON-only parsers expect).
  const body = a.body === undefined && ref.method === "POST" ? {} : a.body;
  return api<ResponseOf<E>>(ref.method, url, body);
}

/** Upload (multipart, field `file`) to an endpoint, with progress (fetch has no upload progress). */
export function upload<E extends EndpointSpec>(
  ref: RouteRef<E>,
  args: UrlArgs<E>,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<ResponseOf<E>> {
  type T = ResponseOf<E>;
  const url = urlFor(ref, args as never);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(ref.method, url);
    xhr.withCredentials = true;
    if (csrfToken) xhr.setRequestHeader("x-csrf-token", csrfToken);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, "network", "Upload failed: Knowhow cannot be reached."));
    xhr.onload = () => {
      let data: { error?: { code?: string; message?: string } } = {};
      try {
        data = JSON.parse(xhr.responseText) as typeof data;
      } catch {
        // not JSON
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else
        reject(
          new ApiError(xhr.status, data.error?.code ?? "error", data.error?.message ?? `Upload failed (${xhr.status})`),
        );
    };
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}

/** A resumable upload under way: abort pauses it (it resumes from what arrived when started again). */
export type ResumableUpload = { done: Promise<Attachment>; abort: () => void };

/**
 * A resumable upload (the tus protocol, /api/uploads) for clips and photos from a phone on a flaky
 * connection: pieces of 4 MB, retried with growing pauses when the network drops, and resumed from
 * what the server has (also after a reload: the browser remembers unfinished uploads). The client
 * library is loaded on first use, so only the capture page carries it.
 */
export function resumableUpload(
  file: Blob,
  name: string,
  target: { articleId: string } | { spaceId: string },
  onProgress: (sent: number, total: number) => void,
): ResumableUpload {
  let current: { abort: (terminate?: boolean) => Promise<void> } | null = null;
  let aborted = false;
  const done = (async () => {
    const tus = await import("tus-js-client");
    return new Promise<Attachment>((resolve, reject) => {
      const upload = new tus.Upload(file, {
        endpoint: "/api/uploads",
        chunkSize: 4 * 1024 * 1024,
        retryDelays: [0, 1000, 2000, 4000, 8000, 15000, 30000],
        metadata: { filename: name, filetype: file.type, ...target },
        headers: csrfToken ? { "x-csrf-token": csrfToken } : {},
        removeFingerprintOnSuccess: true,
        onProgress,
        onError: (err) => {
          const res = (err as { originalResponse?: { getStatus: () => number; getBody: () => string } })
            .originalResponse;
          const status = res?.getStatus() ?? 0;
          const message = res?.getBody()?.trim() || "Upload failed: Knowhow cannot be reached. Try again to resume.";
          reject(new ApiError(status, status === 413 ? "too_large" : status ? "error" : "network", message));
        },
        onSuccess: ({ lastResponse }) => {
          try {
            resolve(JSON.parse(lastResponse.getBody()) as Attachment);
          } catch {
            reject(new ApiError(0, "error", "Upload finished, but the answer could not be read; try again"));
          }
        },
      });
      current = upload;
      if (aborted) return;
      void upload.findPreviousUploads().then((previous) => {
        if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
        upload.start();
      });
    });
  })();
  return {
    done,
    abort: () => {
      aborted = true;
      void current?.abort();
    },
  };
}

// Response types come from the server's contracts (the zod schemas each route serialises through),
// so the client cannot drift from what the API sends. Type-only imports: nothing of the server is bundled.
export type Role = z.infer<typeof RoleSchema>;
export type User = z.infer<typeof UserOut>;
export type Space = z.infer<typeof SpaceOut>;
export type Attachment = z.infer<typeof AttachmentOut>;
export type Article = z.infer<typeof ArticleOut>;
export type ArticleSummary = z.infer<typeof ArticleSummaryOut>;
export type Revision = z.infer<typeof RevisionOut>;
export type Diff = z.infer<typeof DiffOut>;
export type DiffLine = Diff["lines"][number];
export type SearchResult = z.infer<typeof SearchOut>;

/** Where a search hit lives in the app. */
export function hitPath(hit: { type: "article" | "question" | "lesson"; id: string }): string {
  return hit.type === "question"
    ? `/questions/${hit.id}`
    : hit.type === "lesson"
      ? `/lessons/${hit.id}`
      : `/articles/${hit.id}`;
}

/** The co-editing WebSocket (Hocuspocus; not part of the JSON route table). */
export const COLLAB_SOCKET_PATH = "/api/collab";
