import {
  Suspense,
  lazy,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
  type DragEvent,
  type ClipboardEvent,
} from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { RelatedLessons } from "./learning";
import { Breadcrumbs, MovePageForm, NewChildPageLink, PageTree, ParentNote } from "./page-tree";
import { ChallengesPanel, NoticeBanner, VerificationPanel } from "./verification";
import { useMarkdown } from "../markdown";
import { ApiError, type Attachment, call, type Diff, type DiffLine, routes, type Space, upload } from "../api";
import { Avatar, Empty, ErrorBox, Loading, Tags, ago, formatBytes, fullDate, useLoad } from "../util";
import type { ArticleConflict } from "../contracts";
import { ArticleConflictScreen } from "./article-conflict";
import type { RichEditorHandle } from "../editor/RichEditor";
import { useMe } from "../auth";
import { ArticleComments, OpenThreadsLink, useArticleComments } from "./article-comments";

// The rich editor and its libraries are a chunk of their own, fetched only when someone edits.
const RichEditor = lazy(() => import("../editor/RichEditor").then((m) => ({ default: m.RichEditor })));
const MODE_KEY = "knowhow:editor-mode";

export function ArticlePage() {
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const article = useLoad(() => call(routes.articles.getArticlesById, { params: { id } }), [id]);
  const [error, setError] = useState<ApiError | null>(null);
  const [moving, setMoving] = useState(false);
  const [treeKey, setTreeKey] = useState(0);
  const comments = useArticleComments(id);
  const bodyRef = useRef<HTMLDivElement>(null);
  if (article.loading && !article.data) return <Loading />;
  if (!article.data) return <ErrorBox error={article.error} />;
  const a = article.data;
  const trash = async () => {
    if (!confirm(`Move "${a.title}" to the trash? You can restore it from the trash.`)) return;
    try {
      await call(routes.articles.deleteArticlesById, { params: { id: a.id } });
      navigate(`/spaces/${a.spaceId}`);
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <article className="page article">
      <Breadcrumbs spaceId={a.spaceId} spaceName={a.spaceName} trail={a.breadcrumbs} />
      <div className="page-head">
        <h1>
          {a.title} {a.status === "draft" && <span className="badge draft">Draft</span>}
        </h1>
        <div className="actions">
          {a.canEdit && (
            <Link className="button primary" to={`/articles/${a.id}/edit`}>
              Edit
            </Link>
          )}
          {a.canEdit && !a.deletedAt && (
            <Link className="button" to={`/articles/${a.id}/capture`}>
              Capture steps
            </Link>
          )}
          <Link className="button" to={`/articles/${a.id}/history`}>
            History
          </Link>
          {a.canEdit && !a.deletedAt && <NewChildPageLink spaceId={a.spaceId} articleId={a.id} />}
          {a.canEdit && <button onClick={() => setMoving((m) => !m)}>Move…</button>}
          {a.canEdit && (
            <button className="danger" onClick={() => void trash()}>
              Move to trash
            </button>
          )}
        </div>
      </div>
      <div className="article-meta">
        <Avatar name={a.owner.name} size={24} /> Owner <Link to={`/people/${a.owner.id}`}>{a.owner.name}</Link> · last
        edited by <Link to={`/people/${a.author.id}`}>{a.author.name}</Link>{" "}
        <span title={fullDate(a.updatedAt)}>{ago(a.updatedAt)}</span> · version {a.version}
        <OpenThreadsLink comments={comments.data} /> <Tags tags={a.tags} />
      </div>
      <ErrorBox error={error} />
      {moving && (
        <MovePageForm
          articleId={a.id}
          spaceId={a.spaceId}
          parentId={a.breadcrumbs.at(-1)?.id ?? null}
          onCancel={() => setMoving(false)}
          onMoved={() => {
            setMoving(false);
            setTreeKey((k) => k + 1);
            article.reload();
          }}
        />
      )}
      {a.notices.length > 0 && <NoticeBanner notices={a.notices} onCleared={article.reload} />}
      {a.verification && <VerificationPanel v={a.verification} onChange={article.reload} />}
      <div className="article-body-wrap">
        <div className="prose" data-testid="article-body" ref={bodyRef} dangerouslySetInnerHTML={{ __html: a.html }} />
      </div>
      {a.attachments.length > 0 && (
        <section className="attachments">
          <h2>Attachments</h2>
          <ul>
            {a.attachments.map((f) => (
              <li key={f.id}>
                <a href={f.url} target="_blank" rel="noreferrer">
                  {f.name}
                </a>{" "}
                <span className="muted">
                  {f.kind} · {formatBytes(f.size)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {a.verification && (
        <ChallengesPanel
          subjectType="article"
          subjectId={a.id}
          canResolve={a.verification.canVerify}
          canChallenge={a.verification.canChallenge}
          canEdit={a.canEdit}
          onChange={article.reload}
        />
      )}
      <ArticleComments comments={comments} bodyRef={bodyRef} html={a.html} />
      <PageTree key={`${a.spaceId}:${treeKey}`} spaceId={a.spaceId} spaceName={a.spaceName} currentId={a.id} />
    </article>
  );
}

/** Line diff (LCS) for the conflict screen; texts are small. */
export function lineDiff(a: string, b: string): DiffLine[] {
  const x = a.split("\n").slice(0, 3000);
  const y = b.split("\n").slice(0, 3000);
  const n = x.length;
  const m = y.length;
  const L: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) L[i][j] = x[i] === y[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      out.push({ type: "same", text: x[i], oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
    } else if (j < m && (i === n || L[i][j + 1] >= L[i + 1][j])) {
      out.push({ type: "add", text: y[j], oldLine: null, newLine: j + 1 });
      j++;
    } else {
      out.push({ type: "del", text: x[i], oldLine: i + 1, newLine: null });
      i++;
    }
  }
  return out;
}

/** A line's text, its changed words marked when the server paired it with its new version. */
function LineText({ line }: { line: DiffLine }) {
  if (!line.words) return <span className="text">{line.text || " "}</span>;
  return (
    <span className="text">
      {line.words.map((w, i) =>
        w.changed ? (
          line.type === "del" ? (
            <del key={i}>{w.text}</del>
          ) : (
            <ins key={i}>{w.text}</ins>
          )
        ) : (
          <span key={i}>{w.text}</span>
        ),
      )}
    </span>
  );
}

type Piece = { kind: "lines"; lines: DiffLine[] } | { kind: "fold"; lines: DiffLine[]; key: number };
const CONTEXT = 3;

/** Unchanged runs longer than the context around a change fold into one "show" row. */
function fold(lines: DiffLine[]): Piece[] {
  const pieces: Piece[] = [];
  let i = 0;
  while (i < lines.length) {
    let j = i;
    while (j < lines.length && lines[j].type === "same") j++;
    const run = lines.slice(i, j);
    const head = i === 0 ? 0 : CONTEXT;
    const tail = j === lines.length ? 0 : CONTEXT;
    if (run.length > head + tail + 2) {
      pieces.push({ kind: "lines", lines: run.slice(0, head) });
      pieces.push({ kind: "fold", lines: run.slice(head, run.length - tail), key: i + head });
      pieces.push({ kind: "lines", lines: run.slice(run.length - tail) });
    } else pieces.push({ kind: "lines", lines: run });
    let k = j;
    while (k < lines.length && lines[k].type !== "same") k++;
    pieces.push({ kind: "lines", lines: lines.slice(j, k) });
    i = k;
  }
  return pieces;
}

/** Whether the element is wide enough for two columns of text (its own width, not the window's). */
function useWide(min = 760): [boolean, (el: HTMLDivElement | null) => void] {
  const [el, setEl] = useState<HTMLDivElement | null>(null);
  const [wide, setWide] = useState(false);
  useEffect(() => {
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWide(entry.contentRect.width >= min));
    observer.observe(el);
    return () => observer.disconnect();
  }, [el, min]);
  return [wide, setEl];
}

/** Rows side by side: unchanged lines on both sides, a removed run next to the added run that replaced it. */
function sideBySide(lines: DiffLine[]): [DiffLine | null, DiffLine | null][] {
  const rows: [DiffLine | null, DiffLine | null][] = [];
  for (let i = 0; i < lines.length;) {
    if (lines[i].type === "same") {
      rows.push([lines[i], lines[i]]);
      i++;
      continue;
    }
    const dels: DiffLine[] = [];
    const adds: DiffLine[] = [];
    while (i < lines.length && lines[i].type !== "same") (lines[i].type === "del" ? dels : adds).push(lines[i++]);
    for (let k = 0; k < Math.max(dels.length, adds.length); k++) rows.push([dels[k] ?? null, adds[k] ?? null]);
  }
  return rows;
}

export function DiffView({ lines }: { lines: DiffLine[] }) {
  const [open, setOpen] = useState<Set<number>>(new Set());
  const [wide, measure] = useWide();
  const pieces = fold(lines);
  const foldRow = (p: Extract<Piece, { kind: "fold" }>, span: number) => (
    <tr key={`fold-${p.key}`} className="diff-fold">
      <td colSpan={span}>
        <button className="small link" onClick={() => setOpen((s) => new Set(s).add(p.key))}>
          Show {p.lines.length} unchanged lines
        </button>
      </td>
    </tr>
  );
  const sign = (l: DiffLine) => (l.type === "add" ? "+" : l.type === "del" ? "−" : "");
  if (wide)
    return (
      <div ref={measure}>
        <table className="diff diff-split" aria-label="Differences">
          <colgroup>
            <col className="ln-col" />
            <col />
            <col className="ln-col" />
            <col />
          </colgroup>
          <thead className="sr-only">
            <tr>
              <th>Old line</th>
              <th>Before</th>
              <th>New line</th>
              <th>After</th>
            </tr>
          </thead>
          <tbody>
            {pieces.flatMap((p, n) =>
              p.kind === "fold" && !open.has(p.key)
                ? [foldRow(p, 4)]
                : sideBySide(p.lines).map(([a, b], k) => (
                    <tr key={`${n}-${k}`}>
                      <td className="ln">{a?.oldLine ?? ""}</td>
                      <td className={a ? `diff-${a.type}` : "diff-none"}>{a && <LineText line={a} />}</td>
                      <td className="ln">{b?.newLine ?? ""}</td>
                      <td className={b ? `diff-${b.type}` : "diff-none"}>{b && <LineText line={b} />}</td>
                    </tr>
                  )),
            )}
          </tbody>
        </table>
      </div>
    );
  return (
    <div ref={measure}>
      <table className="diff" aria-label="Differences">
        <tbody>
          {pieces.flatMap((p, n) =>
            p.kind === "fold" && !open.has(p.key)
              ? [foldRow(p, 4)]
              : p.lines.map((l, k) => (
                  <tr key={`${n}-${k}`} className={`diff-${l.type}`}>
                    <td className="ln">{l.oldLine ?? ""}</td>
                    <td className="ln">{l.newLine ?? ""}</td>
                    <td className="sign">{sign(l)}</td>
                    <td>
                      <LineText line={l} />
                    </td>
                  </tr>
                )),
          )}
        </tbody>
      </table>
    </div>
  );
}

type Draft = { title: string; body: string; tags: string; status: "draft" | "published" };
const parseTags = (s: string) =>
  s
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);

export function EditorPage() {
  const { id, spaceId } = useParams();
  const parentId = useSearchParams()[0].get("parent");
  const navigate = useNavigate();
  const isNew = !id;
  const storageKey = `knowhow:draft:${id ?? `new:${spaceId}`}`;
  const [draft, setDraft] = useState<Draft>({ title: "", body: "", tags: "", status: "published" });
  const [version, setVersion] = useState<number | null>(null);
  const [space, setSpace] = useState<Space | null>(null);
  const [note, setNote] = useState("");
  const [loaded, setLoaded] = useState(isNew);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [conflict, setConflict] = useState<ArticleConflict | null>(null);
  const [stored, setStored] = useState<Draft | null>(null);
  const [uploads, setUploads] = useState<{ name: string; progress: number; error?: string }[]>([]);
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const rich = useRef<RichEditorHandle>(null);
  const me = useMe();
  const [mode, setMode] = useState<"rich" | "markdown">(() =>
    localStorage.getItem(MODE_KEY) === "markdown" ? "markdown" : "rich",
  );
  // A new article may start from a template: the space's default, or one the writer picks.
  const templates = useLoad(
    () => (isNew ? call(routes.templates.getTemplates) : Promise.resolve({ items: [], canManage: false })),
    [isNew],
  );
  const [templateId, setTemplateId] = useState<string | null>(null);
  const startedFromDefault = useRef(false);
  useEffect(() => {
    if (!isNew || startedFromDefault.current || !space || !templates.data) return;
    startedFromDefault.current = true;
    const t = templates.data.items.find((x) => x.id === space.defaultTemplateId);
    if (t && !localStorage.getItem(storageKey)) {
      setDraft((d) => (d.body ? d : { ...d, body: t.body }));
      setTemplateId(t.id);
    }
  }, [isNew, space, templates.data, storageKey]);
  const applyTemplate = (id: string | null) => {
    const t = templates.data?.items.find((x) => x.id === id);
    const current = templates.data?.items.find((x) => x.id === templateId);
    const untouched = !draft.body.trim() || draft.body === current?.body;
    if (!untouched && !window.confirm("Replace the text you wrote with the template?")) return;
    setTemplateId(id);
    change({ body: t?.body ?? "" });
  };
  const switchMode = (next: "rich" | "markdown") => {
    localStorage.setItem(MODE_KEY, next);
    setMode(next);
  };

  useEffect(() => {
    const saved = localStorage.getItem(storageKey);
    const local = saved ? (JSON.parse(saved) as Draft & { pending?: Attachment[] }) : null;
    if (isNew) {
      call(routes.spaces.getSpacesById, { params: { id: spaceId! } }).then(setSpace, (e: ApiError) => setError(e));
      if (local) setStored(local);
      // Files uploaded before the first save wait (privately) to be bound to the article when it is created.
      if (local?.pending) setAttachments(local.pending);
      return;
    }
    call(routes.articles.getArticlesById, { params: { id } }).then(
      (a) => {
        setDraft({ title: a.title, body: a.body, tags: a.tags.join(", "), status: a.status });
        setVersion(a.version);
        setAttachments(a.attachments);
        setLoaded(true);
        if (local && (local.body !== a.body || local.title !== a.title)) setStored(local);
      },
      (e: ApiError) => setError(e),
    );
  }, [id, spaceId, isNew, storageKey]);

  // Keep the text in the browser too, so a crash or a closed tab never loses it.
  useEffect(() => {
    if (dirty) localStorage.setItem(storageKey, JSON.stringify(isNew ? { ...draft, pending: attachments } : draft));
  }, [draft, dirty, storageKey, isNew, attachments]);
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (dirty) e.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const deferredBody = useDeferredValue(draft.body);
  const renderMarkdown = useMarkdown(mode === "markdown");
  const preview = useMemo(() => (renderMarkdown ? renderMarkdown(deferredBody) : ""), [renderMarkdown, deferredBody]);
  const change = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setDirty(true);
  };

  const save = async (merged?: { title: string; body: string; tags: string[]; version: number }) => {
    setSaving(true);
    setError(null);
    try {
      // Co-editing records revisions as people type: the title and tags are saved on the latest one.
      const live = !isNew && mode === "rich" && !merged;
      const latest = live ? await call(routes.articles.getArticlesById, { params: { id: id! } }) : null;
      const payload = {
        title: merged?.title ?? draft.title,
        body: merged?.body ?? draft.body,
        tags: merged?.tags ?? parseTags(draft.tags),
        status: draft.status,
      };
      const saved = isNew
        ? await call(routes.articles.postArticles, {
            body: {
              ...payload,
              spaceId: spaceId!,
              parentId,
              attachmentIds: attachments.map((a) => a.id),
            },
          })
        : await call(routes.articles.putArticlesById, {
            params: { id: id! },
            body: {
              ...payload,
              version: (merged?.version ?? latest?.version ?? version)!,
              note: note || (merged ? `Merged with version ${merged.version}` : undefined),
            },
          });
      localStorage.removeItem(storageKey);
      setDirty(false);
      setConflict(null);
      navigate(`/articles/${saved.id}`);
    } catch (e) {
      const err = e as ApiError;
      if (err.status === 409 && err.body.current) {
        setConflict(err.body as ArticleConflict);
        setVersion((err.body as ArticleConflict).current!.version);
      } else setError(err);
    } finally {
      setSaving(false);
    }
  };

  // Several uploads finish one after another: each inserts into the latest text (not the one the upload started with).
  const insertAtCursor = (text: string) => {
    if (mode === "rich" && rich.current) {
      rich.current.insertMarkdown(text);
      return;
    }
    const el = textarea.current;
    setDraft((d) => {
      const at = Math.min(el ? el.selectionStart : d.body.length, d.body.length);
      return { ...d, body: d.body.slice(0, at) + text + d.body.slice(at) };
    });
    setDirty(true);
  };
  const uploadFiles = async (files: FileList | File[]) => {
    // A new article's files are uploaded for its space and stay the uploader's alone until the first save binds them.
    const target = id ? { articleId: id } : { spaceId };
    for (const file of Array.from(files)) {
      const row = { name: file.name, progress: 0 };
      setUploads((u) => [...u, row]);
      const update = (p: Partial<typeof row> & { error?: string }) =>
        setUploads((u) => u.map((x) => (x.name === file.name ? { ...x, ...p } : x)));
      try {
        const a = await upload(routes.attachments.postAttachments, { query: target }, file, (f) =>
          update({ progress: f }),
        );
        update({ progress: 1 });
        setAttachments((xs) => [...xs, a]);
        insertAtCursor(
          a.kind === "image"
            ? `\n![${a.name}](${a.url})\n`
            : a.kind === "video"
              ? `\n![video: ${a.name}](${a.url})\n`
              : `[${a.name}](${a.url})`,
        );
      } catch (e) {
        update({ error: (e as ApiError).message });
      }
    }
  };
  const onDrop = (e: DragEvent) => {
    if (e.dataTransfer.files.length) {
      e.preventDefault();
      void uploadFiles(e.dataTransfer.files);
    }
  };
  const onPaste = (e: ClipboardEvent) => {
    if (e.clipboardData.files.length) {
      e.preventDefault();
      void uploadFiles(e.clipboardData.files);
    }
  };

  if (!loaded) return error ? <ErrorBox error={error} /> : <Loading />;
  if (conflict?.current) {
    const current = conflict.current;
    return (
      <ArticleConflictScreen
        key={current.version}
        conflict={conflict}
        mine={{ title: draft.title.trim(), body: draft.body, tags: parseTags(draft.tags) }}
        busy={saving}
        onUseTheirs={() => {
          setDraft({ title: current.title, body: current.body, tags: current.tags.join(", "), status: current.status });
          setConflict(null);
        }}
        onEdit={(merged) => {
          setDraft((d) => ({ ...d, title: merged.title, body: merged.body, tags: merged.tags.join(", ") }));
          setDirty(true);
          setConflict(null);
        }}
        onSave={(merged, latest) => {
          setDraft((d) => ({ ...d, title: merged.title, body: merged.body, tags: merged.tags.join(", ") }));
          void save({ ...merged, version: latest });
        }}
      />
    );
  }
  return (
    <div className="page editor-page">
      <div className="page-head">
        <div>
          <h1>{isNew ? `New article${space ? ` in ${space.name}` : ""}` : "Edit article"}</h1>
          {isNew && parentId && <ParentNote parentId={parentId} />}
        </div>
        <div className="actions">
          <button className="primary" disabled={saving} onClick={() => void save()}>
            {saving ? "Saving…" : "Save"}
          </button>
          <button onClick={() => navigate(isNew ? `/spaces/${spaceId}` : `/articles/${id}`)}>Cancel</button>
        </div>
      </div>
      {stored && (
        <div className="notice">
          You have unsaved text from an earlier session.{" "}
          <button
            className="small"
            onClick={() => {
              setDraft(stored);
              setDirty(true);
              setStored(null);
            }}
          >
            Restore it
          </button>{" "}
          <button
            className="small"
            onClick={() => {
              localStorage.removeItem(storageKey);
              setStored(null);
            }}
          >
            Discard
          </button>
        </div>
      )}
      <ErrorBox error={error && !error.fields.length ? error : null} />
      <div className="editor-fields">
        <label className="field grow">
          <span>Title</span>
          <input
            value={draft.title}
            required
            onChange={(e) => change({ title: e.target.value })}
            aria-invalid={error?.field("title") ? true : undefined}
          />
          {error?.field("title") && <span className="field-error">{error.field("title")}</span>}
        </label>
        <label className="field">
          <span>Tags (comma separated)</span>
          <input value={draft.tags} onChange={(e) => change({ tags: e.target.value })} />
          {error?.field("tags") && <span className="field-error">{error.field("tags")}</span>}
        </label>
        <label className="field">
          <span>Status</span>
          <select value={draft.status} onChange={(e) => change({ status: e.target.value as Draft["status"] })}>
            <option value="published">Published</option>
            <option value="draft">Draft (only you)</option>
          </select>
        </label>
      </div>
      <RelatedLessons text={`${draft.title} ${draft.tags}`} />
      {isNew && templates.data && templates.data.items.length > 0 && (
        <div className="template-picker" role="group" aria-label="Start from a template">
          <span className="muted">Start from:</span>
          <button type="button" className="chip" aria-pressed={templateId === null} onClick={() => applyTemplate(null)}>
            Blank page
          </button>
          {templates.data.items.map((t) => (
            <button
              key={t.id}
              type="button"
              className="chip"
              aria-pressed={templateId === t.id}
              title={t.description}
              onClick={() => applyTemplate(t.id)}
            >
              {t.name}
            </button>
          ))}
        </div>
      )}
      <div className="editor-mode" role="group" aria-label="Editing mode">
        <button type="button" aria-pressed={mode === "rich"} onClick={() => switchMode("rich")}>
          Rich text
        </button>
        <button type="button" aria-pressed={mode === "markdown"} onClick={() => switchMode("markdown")}>
          Markdown
        </button>
      </div>
      {mode === "rich" ? (
        <div className="field">
          <span id="editor-body-label">
            Article text{" "}
            <span className="muted">
              (Markdown shortcuts work as you type; [[ links an article, @ mentions a colleague)
            </span>
          </span>
          <Suspense fallback={<Loading />}>
            <RichEditor
              ref={rich}
              value={draft.body}
              collab={isNew ? undefined : { articleId: id!, user: { id: me.id, name: me.name } }}
              // Co-edited text is saved on the server as it is typed: it is not this page's unsaved draft.
              onChange={(body) => (isNew ? change({ body }) : setDraft((d) => ({ ...d, body })))}
              onFiles={(files) => void uploadFiles(files)}
              invalid={Boolean(error?.field("body"))}
              labelledBy="editor-body-label"
            />
          </Suspense>
          {error?.field("body") && <span className="field-error">{error.field("body")}</span>}
        </div>
      ) : (
        <div className="editor">
          <label className="field editor-source">
            <span>Markdown</span>
            <textarea
              ref={textarea}
              value={draft.body}
              onChange={(e) => change({ body: e.target.value })}
              onDrop={onDrop}
              onPaste={onPaste}
              spellCheck
              aria-invalid={error?.field("body") ? true : undefined}
            />
            {error?.field("body") && <span className="field-error">{error.field("body")}</span>}
          </label>
          {/* It scrolls on its own: focusable so a keyboard can scroll it too. */}
          <div className="editor-preview" tabIndex={0} role="region" aria-labelledby="editor-preview-label">
            <span className="label" id="editor-preview-label">
              Preview
            </span>
            <div className="prose" data-testid="preview" dangerouslySetInnerHTML={{ __html: preview }} />
          </div>
        </div>
      )}
      <div className="editor-bottom">
        <label className="field">
          <span>Attach files (images, short videos, documents) — or drop or paste them on the text</span>
          <input type="file" multiple onChange={(e) => e.target.files && void uploadFiles(e.target.files)} />
        </label>
        {error?.field("attachmentIds") && (
          <p className="field-error">
            Files: {error.field("attachmentIds")}{" "}
            <button
              className="small"
              onClick={() => {
                setAttachments([]);
                setError(null);
              }}
            >
              Forget the waiting files
            </button>
          </p>
        )}
        {uploads.map((u) => (
          <div key={u.name} className="upload-row">
            {u.name}{" "}
            {u.error ? (
              <span className="field-error">{u.error}</span>
            ) : (
              <progress max={1} value={u.progress} aria-label={`Uploading ${u.name}`} />
            )}
          </div>
        ))}
        {attachments.length > 0 && (
          <p className="muted" data-testid="attachment-list">
            {isNew
              ? `${attachments.length} file(s) attached when you save (only you can open them until then): `
              : `${attachments.length} attachment(s) on this article: `}
            {attachments.map((a) => a.name).join(", ")}
          </p>
        )}
        {!isNew && (
          <label className="field">
            <span>What did you change? (optional, shown in the history)</span>
            <input value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
        )}
      </div>
    </div>
  );
}

export function HistoryPage() {
  const { id = "" } = useParams();
  const article = useLoad(() => call(routes.articles.getArticlesById, { params: { id } }), [id]);
  const revisions = useLoad(() => call(routes.articles.getArticlesRevisions, { params: { id } }), [id]);
  const [params] = useSearchParams();
  // A "what changed" notice links here with the versions to compare.
  const [from, setFrom] = useState<number | null>(params.get("from") ? Number(params.get("from")) : null);
  const [to, setTo] = useState<number | null>(params.get("to") ? Number(params.get("to")) : null);
  const [diff, setDiff] = useState<Diff | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    const items = revisions.data?.items;
    if (items && items.length > 1 && from === null) {
      setTo(items[0].version);
      setFrom(items[1].version);
    }
  }, [revisions.data, from]);
  useEffect(() => {
    if (from === null || to === null || from === to) return setDiff(null);
    call(routes.articles.getArticlesDiff, { params: { id }, query: { from: from, to: to } }).then(
      setDiff,
      (e: ApiError) => setError(e),
    );
  }, [id, from, to]);
  if (!article.data || !revisions.data)
    return article.error || revisions.error ? <ErrorBox error={article.error ?? revisions.error} /> : <Loading />;
  const a = article.data;
  const restore = async (v: number) => {
    if (!confirm(`Restore version ${v}? This saves it as a new version; nothing is lost.`)) return;
    try {
      setError(null);
      await call(routes.articles.postArticlesRevisionsRestore, {
        params: { id, version: v },
        body: { version: a.version },
      });
      article.reload();
      revisions.reload();
      setFrom(null);
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <div className="page">
      <div className="breadcrumb">
        <Link to={`/spaces/${a.spaceId}`}>{a.spaceName}</Link> / <Link to={`/articles/${a.id}`}>{a.title}</Link> /
      </div>
      <h1>History</h1>
      <ErrorBox error={error} />
      <div className="stack history">
        <section className="card">
          <table className="revisions">
            <thead>
              <tr>
                <th>From</th>
                <th>To</th>
                <th>Version</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {revisions.data.items.map((r) => (
                <tr key={r.version}>
                  <td>
                    <input
                      type="radio"
                      name="from"
                      aria-label={`Compare from version ${r.version}`}
                      checked={from === r.version}
                      onChange={() => setFrom(r.version)}
                    />
                  </td>
                  <td>
                    <input
                      type="radio"
                      name="to"
                      aria-label={`Compare to version ${r.version}`}
                      checked={to === r.version}
                      onChange={() => setTo(r.version)}
                    />
                  </td>
                  <td>
                    <strong>v{r.version}</strong> {r.version === a.version && <span className="badge">current</span>}
                    <div className="muted">
                      {r.author.name} · <span title={fullDate(r.createdAt)}>{ago(r.createdAt)}</span>
                    </div>
                    {r.note && <div className="note">{r.note}</div>}
                  </td>
                  <td>
                    {a.canEdit && r.version !== a.version && (
                      <button className="small" onClick={() => void restore(r.version)}>
                        Restore v{r.version}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card">
          {!diff && (
            <Empty>
              {revisions.data.items.length < 2 ? "Only one version so far." : "Choose two versions to compare."}
            </Empty>
          )}
          {diff && (
            <>
              <h2>
                v{diff.from} → v{diff.to}{" "}
                <span className="muted">
                  +{diff.stats.added} −{diff.stats.removed}
                </span>
              </h2>
              {diff.title.from !== diff.title.to && (
                <p>
                  Title: <del>{diff.title.from}</del> → <ins>{diff.title.to}</ins>
                </p>
              )}
              {(diff.tags.added.length > 0 || diff.tags.removed.length > 0) && (
                <p>
                  Tags: {diff.tags.added.map((t) => `+${t}`).join(" ")}{" "}
                  {diff.tags.removed.map((t) => `−${t}`).join(" ")}
                </p>
              )}
              <DiffView lines={diff.lines} />
            </>
          )}
        </section>
      </div>
    </div>
  );
}

export function TrashPage() {
  const trash = useLoad(() => call(routes.articles.getTrash), []);
  const [error, setError] = useState<ApiError | null>(null);
  const restore = async (id: string) => {
    try {
      await call(routes.articles.postArticlesRestore, { params: { id } });
      trash.reload();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <div className="page">
      <h1>Trash</h1>
      <p className="muted">Articles moved to the trash can be restored with their whole history.</p>
      <ErrorBox error={error ?? trash.error} />
      {trash.loading && <Loading />}
      {trash.data && trash.data.items.length === 0 && <Empty>The trash is empty.</Empty>}
      <ul className="article-list">
        {trash.data?.items.map((t) => (
          <li key={t.id}>
            <span className="a-title">{t.title}</span>
            <div className="a-meta">
              {t.spaceName} · moved by {t.deletedBy.name} {ago(t.deletedAt)}
            </div>
            <button className="small" onClick={() => void restore(t.id)}>
              Restore
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
