import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type FormEvent,
  type RefObject,
} from "react";
import { createPortal } from "react-dom";
import { Link } from "react-router";
import { ApiError, call, routes } from "../api";
import type { ArticleComment, ArticleComments, CommentThread } from "../contracts";
import { MentionTextarea } from "../mention-textarea";
import { Avatar, ErrorBox, ago, fullDate, plural } from "../util";
import { locateAnchor, MAX_CONTEXT, MAX_QUOTE, normaliseText, type Anchor } from "../../../src/domain/markdown/anchors";

/** How much text before and after a selected passage is kept to find it again. */
const CONTEXT = 40;

type Load = { data: ArticleComments | null; setData: (d: ArticleComments) => void; reload: () => void };

/** The article's comment threads, loaded once for the count in the header and the section at the end. */
export function useArticleComments(articleId: string) {
  const [data, setData] = useState<ArticleComments | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    call(routes.articleComments.getArticlesComments, { params: { id: articleId } })
      .then((d) => live && (setData(d), setError(null)))
      .catch((e: unknown) => live && setError(e instanceof ApiError ? e : null));
    return () => {
      live = false;
    };
  }, [articleId, tick]);
  return { data, error, setData, reload: useCallback(() => setTick((t) => t + 1), []) };
}

/** "2 open comments" in the article's header, a link to the section. */
export function OpenThreadsLink({ comments }: { comments: ArticleComments | null }) {
  if (!comments || comments.open === 0) return null;
  return (
    <>
      {" · "}
      <a href="#comments" data-testid="open-threads">
        {plural(comments.open, "open comment")}
      </a>
    </>
  );
}

// ---------- the rendered article: where passages are ----------

type TextMap = { text: string; at: { node: Text; offset: number }[] };

/** The article's visible text, whitespace normalised like the server's, with where each character is. */
function textMap(root: HTMLElement): TextMap {
  let text = "";
  const at: TextMap["at"] = [];
  let space: { node: Text; offset: number } | null = null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
    const s = n.data;
    for (let i = 0; i < s.length; i++) {
      if (/[\s\u00a0]/.test(s[i])) {
        if (text.length > 0 && space === null) space = { node: n, offset: i };
        continue;
      }
      if (space) {
        text += " ";
        at.push(space);
        space = null;
      }
      text += s[i];
      at.push({ node: n, offset: i });
    }
  }
  return { text, at };
}

/** Wraps the passage of an anchor in <mark> elements (one per text node it spans); false when not found. */
function markPassage(root: HTMLElement, anchor: Anchor, threadId: string): boolean {
  const map = textMap(root);
  const start = locateAnchor(map.text, anchor);
  if (start < 0) return false;
  const end = start + normaliseText(anchor.quote).length;
  // Segments per text node, wrapped from the last so earlier offsets stay valid.
  const segments: { node: Text; from: number; to: number }[] = [];
  for (let i = start; i < end; i++) {
    const { node, offset } = map.at[i];
    const last = segments.at(-1);
    if (last && last.node === node) last.to = offset + 1;
    else segments.push({ node, from: offset, to: offset + 1 });
  }
  for (const seg of segments.reverse()) {
    let node = seg.node;
    if (seg.to < node.data.length) node.splitText(seg.to);
    if (seg.from > 0) node = node.splitText(seg.from);
    const mark = document.createElement("mark");
    mark.className = "comment-mark";
    mark.dataset.thread = threadId;
    mark.title = "Open comment thread — click to see it";
    node.parentNode!.insertBefore(mark, node);
    mark.appendChild(node);
  }
  return true;
}

function unmarkAll(root: HTMLElement) {
  const marks = root.querySelectorAll("mark.comment-mark");
  if (marks.length === 0) return;
  for (const m of marks) m.replaceWith(...m.childNodes);
  root.normalize();
}

/** The passage selected in the article body, with context, or null. */
function selectedAnchor(root: HTMLElement): { anchor: Anchor; rect: DOMRect } | null {
  const sel = window.getSelection();
  if (!sel || sel.isCollapsed || sel.rangeCount === 0) return null;
  const range = sel.getRangeAt(0);
  if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
  const quote = normaliseText(range.toString());
  if (!quote || quote.length > MAX_QUOTE) return null;
  const before = document.createRange();
  before.setStart(root, 0);
  before.setEnd(range.startContainer, range.startOffset);
  const after = document.createRange();
  after.setStart(range.endContainer, range.endOffset);
  after.setEnd(root, root.childNodes.length);
  const prefix = normaliseText(before.toString() + "\u0001").slice(0, -1);
  const suffix = normaliseText("\u0001" + after.toString()).slice(1);
  return {
    anchor: {
      quote,
      prefix: prefix.slice(-Math.min(CONTEXT, MAX_CONTEXT)),
      suffix: suffix.slice(0, Math.min(CONTEXT, MAX_CONTEXT)),
    },
    rect: range.getBoundingClientRect(),
  };
}

// ---------- forms ----------

function CommentForm({
  label,
  initial = "",
  submitLabel,
  onSubmit,
  onCancel,
  autoFocus,
  error,
}: {
  label: string;
  initial?: string;
  submitLabel: string;
  onSubmit: (body: string) => Promise<boolean>;
  onCancel?: () => void;
  autoFocus?: boolean;
  error: ApiError | null;
}) {
  const [body, setBody] = useState(initial);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const ok = await onSubmit(body);
    setBusy(false);
    if (ok) setBody("");
  };
  const fieldError = error?.field("body");
  return (
    <form className="comment-form" onSubmit={(e) => void submit(e)} aria-label={label}>
      <div className="field">
        <label className="label" htmlFor={id}>
          {label}
        </label>
        <MentionTextarea
          id={id}
          value={body}
          onChange={setBody}
          rows={3}
          maxLength={10_000}
          required
          autoFocus={autoFocus}
          aria-invalid={fieldError ? true : undefined}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void submit(e);
            if (e.key === "Escape" && onCancel) onCancel();
          }}
        />
        {fieldError && <span className="field-error">{fieldError}</span>}
      </div>
      {error && !fieldError && <ErrorBox error={error} />}
      <div className="row-actions">
        <button className="small primary" disabled={busy || body.trim() === ""}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="small" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

// ---------- a thread ----------

function CommentItem({
  comment,
  act,
}: {
  comment: ArticleComment;
  act: (fn: () => Promise<ArticleComments>) => Promise<boolean>;
}) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  if (comment.deleted)
    return (
      <li className="comment deleted" id={`comment-${comment.id}`}>
        <em className="muted">This comment was deleted.</em>
      </li>
    );
  const save = async (body: string) => {
    try {
      const next = await call(routes.articleComments.putArticleCommentsById, {
        params: { id: comment.id },
        body: { version: comment.version, body },
      });
      setError(null);
      setEditing(false);
      return act(async () => next);
    } catch (e) {
      const err = e as ApiError;
      setError(err);
      // A stale edit: show the newer text (the form keeps the person's own); saving again goes on top of it.
      const current = err.status === 409 ? (err.body.current as ArticleComments | undefined) : undefined;
      if (current) await act(async () => current);
      return false;
    }
  };
  return (
    <li className="comment" id={`comment-${comment.id}`} tabIndex={-1}>
      <div className="comment-head">
        <Avatar name={comment.author.name} size={22} />{" "}
        <Link to={`/people/${comment.author.id}`}>{comment.author.name}</Link>{" "}
        <span className="muted" title={fullDate(comment.createdAt)}>
          {ago(comment.createdAt)}
        </span>
        {comment.editedAt && (
          <span className="muted" title={`Edited ${fullDate(comment.editedAt)}`}>
            {" "}
            · edited
          </span>
        )}
      </div>
      {editing ? (
        <CommentForm
          label="Edit your comment"
          initial={comment.body}
          submitLabel="Save"
          autoFocus
          onSubmit={save}
          onCancel={() => {
            setEditing(false);
            setError(null);
          }}
          error={error}
        />
      ) : (
        <div className="prose comment-body" dangerouslySetInnerHTML={{ __html: comment.html }} />
      )}
      {!editing && (comment.can.edit || comment.can.delete) && (
        <div className="row-actions">
          {comment.can.edit && (
            <button className="link-button small-text" onClick={() => setEditing(true)} aria-label="Edit comment">
              Edit
            </button>
          )}
          {comment.can.delete && (
            <button
              className="link-button small-text danger"
              aria-label="Delete comment"
              onClick={() => {
                if (confirm("Delete this comment?"))
                  void act(() =>
                    call(routes.articleComments.deleteArticleCommentsById, { params: { id: comment.id } }),
                  );
              }}
            >
              Delete
            </button>
          )}
        </div>
      )}
    </li>
  );
}

function ThreadCard({
  thread,
  act,
  onShow,
}: {
  thread: CommentThread;
  act: (fn: () => Promise<ArticleComments>) => Promise<boolean>;
  onShow: (threadId: string) => void;
}) {
  const [replying, setReplying] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const first = thread.comments.find((c) => !c.deleted) ?? thread.comments[0];
  const reply = async (body: string) => {
    try {
      const next = await call(routes.articleComments.postArticleCommentsReplies, {
        params: { id: thread.id },
        body: { body },
      });
      setError(null);
      setReplying(false);
      return act(async () => next);
    } catch (e) {
      setError(e as ApiError);
      return false;
    }
  };
  return (
    <li
      className={`card thread${thread.resolved ? " resolved" : ""}`}
      id={`thread-${thread.id}`}
      aria-label={`Thread started by ${first.author.name}`}
      tabIndex={-1}
    >
      {thread.anchor && (
        <div className="thread-anchor">
          <blockquote className="thread-quote">{thread.anchor.quote}</blockquote>
          {thread.anchor.found ? (
            !thread.resolved && (
              <button className="link-button small-text" onClick={() => onShow(thread.id)}>
                Show in article
              </button>
            )
          ) : (
            <span className="badge changed">Passage changed</span>
          )}
        </div>
      )}
      <ul className="thread-comments">
        {thread.comments.map((c) => (
          <CommentItem key={c.id} comment={c} act={act} />
        ))}
      </ul>
      {thread.resolved && (
        <p className="muted small-text">
          Resolved by {thread.resolved.by.name}{" "}
          <span title={fullDate(thread.resolved.at)}>{ago(thread.resolved.at)}</span>
        </p>
      )}
      {replying ? (
        <CommentForm
          label="Your reply"
          submitLabel="Reply"
          autoFocus
          onSubmit={reply}
          onCancel={() => {
            setReplying(false);
            setError(null);
          }}
          error={error}
        />
      ) : (
        <div className="row-actions">
          {thread.can.reply && (
            <button className="small" onClick={() => setReplying(true)}>
              Reply
            </button>
          )}
          {thread.can.resolve && (
            <button
              className="small"
              onClick={() =>
                void act(() => call(routes.articleComments.postArticleCommentsResolve, { params: { id: thread.id } }))
              }
            >
              Resolve
            </button>
          )}
          {thread.can.reopen && (
            <button
              className="small"
              onClick={() =>
                void act(() => call(routes.articleComments.postArticleCommentsReopen, { params: { id: thread.id } }))
              }
            >
              Reopen
            </button>
          )}
        </div>
      )}
    </li>
  );
}

// ---------- the section ----------

/**
 * Comments at the end of an article: open threads (those on a passage in the order of the article),
 * resolved ones folded away, a form for a comment on the whole article. Selecting text in the article
 * body offers "Comment" on that passage; passages with open threads are highlighted, and clicking one
 * goes to its thread.
 */
export function ArticleComments({
  comments,
  bodyRef,
  html,
}: {
  comments: Load & { error: ApiError | null };
  bodyRef: RefObject<HTMLDivElement | null>;
  /** The article's HTML: highlights are redone when it changes. */
  html: string;
}) {
  const data = comments.data;
  const [error, setError] = useState<ApiError | null>(null);
  const [selection, setSelection] = useState<{ anchor: Anchor; top: number; left: number } | null>(null);
  const [passage, setPassage] = useState<Anchor | null>(null);
  const [passageError, setPassageError] = useState<ApiError | null>(null);
  const passageForm = useRef<HTMLDivElement>(null);

  const act = useCallback(
    async (fn: () => Promise<ArticleComments>) => {
      try {
        comments.setData(await fn());
        setError(null);
        return true;
      } catch (e) {
        setError(e as ApiError);
        return false;
      }
    },
    [comments],
  );

  // Highlight the passages of open threads in the article body.
  useLayoutEffect(() => {
    const root = bodyRef.current;
    if (!root || !data) return;
    unmarkAll(root);
    for (const t of data.threads) if (!t.resolved && t.anchor?.found) markPassage(root, t.anchor, t.id);
    return () => unmarkAll(root);
  }, [bodyRef, data, html]);

  // Clicking a highlighted passage goes to its thread.
  useEffect(() => {
    const root = bodyRef.current;
    if (!root) return;
    const click = (e: MouseEvent) => {
      const mark = (e.target as HTMLElement).closest?.("mark.comment-mark");
      if (!mark || !window.getSelection()?.isCollapsed) return;
      const el = document.getElementById(`thread-${(mark as HTMLElement).dataset.thread}`);
      el?.scrollIntoView({ behavior: "smooth", block: "center" });
      el?.focus({ preventScroll: true });
    };
    root.addEventListener("click", click);
    return () => root.removeEventListener("click", click);
  }, [bodyRef]);

  // A selection in the article body offers "Comment" next to it (mouse, touch and keyboard selections).
  useEffect(() => {
    if (!data?.canComment) return;
    const update = () => {
      const root = bodyRef.current;
      const found = root ? selectedAnchor(root) : null;
      if (!found || !root) return setSelection(null);
      const box = root.getBoundingClientRect();
      setSelection({
        anchor: found.anchor,
        top: found.rect.bottom - box.top + 6,
        left: Math.max(0, Math.min(found.rect.left - box.left, box.width - 120)),
      });
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const debounced = () => {
      clearTimeout(timer);
      timer = setTimeout(update, 120);
    };
    document.addEventListener("selectionchange", debounced);
    return () => {
      clearTimeout(timer);
      document.removeEventListener("selectionchange", debounced);
    };
  }, [bodyRef, data?.canComment]);

  // A link to a comment (#comment-<id>, e.g. from a mention in the inbox) scrolls to it once loaded.
  const jumped = useRef(false);
  useEffect(() => {
    if (!data || jumped.current) return;
    const hash = decodeURIComponent(window.location.hash.slice(1));
    if (!hash.startsWith("comment-") && !hash.startsWith("thread-") && hash !== "comments") return;
    jumped.current = true;
    const el = document.getElementById(hash);
    if (el) {
      el.scrollIntoView({ block: "center" });
      if (el.tabIndex >= 0 || el.hasAttribute("tabindex")) el.focus({ preventScroll: true });
    }
  }, [data]);

  const openPassage = useCallback((anchor: Anchor) => {
    setPassage(anchor);
    setPassageError(null);
    setSelection(null);
    window.getSelection()?.removeAllRanges();
    requestAnimationFrame(() => passageForm.current?.scrollIntoView({ block: "center" }));
  }, []);
  const startPassage = () => {
    if (selection) openPassage(selection.anchor);
  };

  // Ctrl+Alt+M (as in Google Docs) comments on the selected passage, for keyboard selections (caret browsing).
  useEffect(() => {
    if (!data?.canComment) return;
    const key = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || !e.altKey || e.code !== "KeyM") return;
      const found = bodyRef.current ? selectedAnchor(bodyRef.current) : null;
      if (!found) return;
      e.preventDefault();
      openPassage(found.anchor);
    };
    document.addEventListener("keydown", key);
    return () => document.removeEventListener("keydown", key);
  }, [bodyRef, data?.canComment, openPassage]);

  const showInArticle = (threadId: string) => {
    const mark = bodyRef.current?.querySelector<HTMLElement>(`mark.comment-mark[data-thread="${threadId}"]`);
    if (!mark) return;
    mark.scrollIntoView({ behavior: "smooth", block: "center" });
    mark.classList.add("flash");
    setTimeout(() => mark.classList.remove("flash"), 1600);
  };

  const startThread = async (body: string, anchor: Anchor | null, onError: (e: ApiError) => void) => {
    try {
      comments.setData(
        await call(routes.articleComments.postArticlesComments, {
          params: { id: data!.articleId },
          body: { body, anchor },
        }),
      );
      return true;
    } catch (e) {
      onError(e as ApiError);
      return false;
    }
  };

  const [endError, setEndError] = useState<ApiError | null>(null);
  if (!data) return comments.error ? <ErrorBox error={comments.error} /> : null;
  const open = data.threads.filter((t) => !t.resolved);
  const resolved = data.threads.filter((t) => t.resolved);
  return (
    <>
      {selection &&
        bodyRef.current?.parentElement &&
        createPortal(
          <div className="selection-comment" style={{ top: selection.top, left: selection.left }}>
            <button
              className="small primary"
              onMouseDown={(e) => e.preventDefault()}
              onClick={startPassage}
              aria-label="Comment on the selected passage"
              aria-keyshortcuts="Control+Alt+M"
            >
              Comment
            </button>
          </div>,
          bodyRef.current.parentElement,
        )}
      <section className="article-comments" id="comments" aria-labelledby="comments-heading">
        <h2 id="comments-heading">
          Comments{" "}
          <span className="muted small-text">
            {plural(data.open, "open thread")}
            {data.resolved > 0 && `, ${data.resolved} resolved`}
          </span>
        </h2>
        {data.canComment && !passage && (
          <p className="muted small-text">
            Select text in the article to comment on a passage (or press Ctrl+Alt+M with text selected).
          </p>
        )}
        {passage && (
          <div className="card passage-form" ref={passageForm}>
            <blockquote className="thread-quote">{passage.quote}</blockquote>
            <CommentForm
              label="Comment on this passage"
              submitLabel="Comment"
              autoFocus
              error={passageError}
              onSubmit={(body) =>
                startThread(body, passage, setPassageError).then((ok) => {
                  if (ok) setPassage(null);
                  return ok;
                })
              }
              onCancel={() => setPassage(null)}
            />
          </div>
        )}
        <ErrorBox error={error} />
        {open.length > 0 && (
          <ol className="threads" aria-label="Open threads">
            {open.map((t) => (
              <ThreadCard key={t.id} thread={t} act={act} onShow={showInArticle} />
            ))}
          </ol>
        )}
        {resolved.length > 0 && (
          <details className="resolved-threads">
            <summary>{plural(resolved.length, "resolved thread")}</summary>
            <ol className="threads" aria-label="Resolved threads">
              {resolved.map((t) => (
                <ThreadCard key={t.id} thread={t} act={act} onShow={showInArticle} />
              ))}
            </ol>
          </details>
        )}
        {data.canComment && (
          <CommentForm
            label="Add a comment"
            submitLabel="Comment"
            error={endError}
            onSubmit={(body) => startThread(body, null, setEndError)}
          />
        )}
      </section>
    </>
  );
}
