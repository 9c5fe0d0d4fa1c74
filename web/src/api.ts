/** The HTTP client: JSON, the session cookie, the CSRF header on writes, typed errors. */
export type FieldError = { path: string; message: string };

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
    const message = res.status === 429 ? "Too many attempts. Wait a minute and try again." : (err?.message ?? `Request failed (${res.status})`);
    throw new ApiError(res.status, err?.code ?? "error", message, err?.fields ?? [], (data ?? {}) as Record<string, unknown>);
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
      else reject(new ApiError(xhr.status, data.error?.code ?? "error", data.error?.message ?? `Upload failed (${xhr.status})`));
    };
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}

export type Role = "admin" | "member" | "guest";
export type User = {
  id: string;
  email: string;
  name: string;
  role: Role;
  title: string;
  department: string;
  managerId: string | null;
  location: string;
  timeZone: string;
  bio: string;
  knowledgeManager: boolean;
  version: number;
  createdAt: string;
};
export type Space = {
  id: string;
  name: string;
  slug: string;
  description: string;
  visibility: "public" | "private";
  memberAccess: "editor" | "viewer";
  myRole: "owner" | "editor" | "viewer" | null;
  canEdit: boolean;
  articleCount: number;
  createdAt: string;
};
export type Person = { id: string; name: string };
export type Attachment = { id: string; name: string; mime: string; size: number; url: string; kind: "image" | "video" | "file" };
export type Article = {
  id: string;
  spaceId: string;
  spaceName: string;
  title: string;
  body: string;
  html: string;
  tags: string[];
  status: "draft" | "published";
  owner: Person;
  author: Person;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  canEdit: boolean;
  attachments: Attachment[];
};
export type ArticleSummary = { id: string; spaceId: string; spaceName: string; title: string; tags: string[]; status: string; owner: Person; updatedAt: string; version: number; excerpt: string };
export type Revision = { id: string; articleId: string; version: number; title: string; body?: string; tags: string[]; author: Person; createdAt: string; note: string };
export type DiffLine = { type: "same" | "add" | "del"; text: string; oldLine: number | null; newLine: number | null };
export type Diff = { from: number; to: number; title: { from: string; to: string }; tags: { added: string[]; removed: string[] }; lines: DiffLine[]; stats: { added: number; removed: number } };
export type SearchItem = {
  type: "article" | "question" | "lesson";
  id: string;
  title: string;
  titleHtml: string;
  snippet: string;
  spaceId: string;
  spaceName: string;
  tags: string[];
  owner: Person;
  updatedAt: string;
  score: number;
  verification: { state: "verified" | "due" | "expired"; verifiedAt: string | null; verifiedBy: string | null; verifiedUntil: string; superseded: boolean } | null;
};
export type SearchResult = { total: number; tookMs: number; items: SearchItem[]; facets: { spaces: { id: string; name: string; count: number }[]; tags: { tag: string; count: number }[] } };

/** Where a search hit lives in the app. */
export function hitPath(hit: { type: "article" | "question" | "lesson"; id: string }): string {
  return hit.type === "question" ? `/questions/${hit.id}` : hit.type === "lesson" ? `/lessons/${hit.id}` : `/articles/${hit.id}`;
}
