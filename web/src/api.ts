/** The HTTP client: JSON, the session cookie, the CSRF header on writes, typed errors. */
import type { z } from "zod";
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

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
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

export const get = <T>(url: string) => api<T>("GET", url);
export const post = <T>(url: string, body?: unknown) => api<T>("POST", url, body ?? {});
export const put = <T>(url: string, body: unknown) => api<T>("PUT", url, body);
export const patch = <T>(url: string, body: unknown) => api<T>("PATCH", url, body);
export const del = <T>(url: string) => api<T>("DELETE", url);

/** Upload with progress (fetch has no upload progress). */
export function upload<T>(url: string, file: File, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
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
