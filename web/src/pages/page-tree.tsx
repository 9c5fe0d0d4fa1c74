/**
 * The page tree of a space (WAI-ARIA tree view): expand and collapse, the current page marked, and
 * moving pages by drag and drop, by keyboard (Alt + arrow keys, announced) and by buttons (phones).
 * Breadcrumbs, "New child page" and "Move to…" for the article page live here too.
 */
import { useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError, call, routes } from "../api";
import type { SpaceTree } from "../contracts";
import { ErrorBox, Loading, useLoad } from "../util";

type Item = SpaceTree["items"][number];
type Node = Item & { children: Node[] };
type Zone = "before" | "after" | "inside";
/** A move as the API takes it: where, and where the mover saw the page (a stale tree answers 409). */
type MoveRequest = { parentId: string | null; afterId: string | null; spaceId?: string };

function buildNodes(items: Item[]): { roots: Node[]; byId: Map<string, Node> } {
  const byId = new Map<string, Node>(items.map((i) => [i.id, { ...i, children: [] }]));
  const roots: Node[] = [];
  for (const i of items) {
    const n = byId.get(i.id)!;
    const parent = i.parentId ? byId.get(i.parentId) : undefined;
    (parent ? parent.children : roots).push(n);
  }
  return { roots, byId };
}

const ancestorsOf = (byId: Map<string, Node>, id: string): string[] => {
  const out: string[] = [];
  for (let p = byId.get(id)?.parentId ?? null; p; p = byId.get(p)?.parentId ?? null) out.push(p);
  return out;
};

/** Where a drop or a key puts a page, as a move request (null: it cannot go there). */
export function planMove(
  byId: Map<string, Node>,
  roots: Node[],
  id: string,
  action: Zone | "up" | "down" | "indent" | "outdent",
  targetId?: string,
): MoveRequest | null {
  const node = byId.get(id);
  if (!node) return null;
  const siblingsOf = (n: Item) => (n.parentId ? byId.get(n.parentId)!.children : roots);
  if (targetId) {
    const target = byId.get(targetId);
    if (!target || targetId === id || ancestorsOf(byId, targetId).includes(id)) return null;
    if (action === "inside") return { parentId: target.id, afterId: target.children.at(-1)?.id ?? null };
    const sibs = siblingsOf(target).filter((s) => s.id !== id);
    const at = sibs.findIndex((s) => s.id === target.id);
    if (action === "after") return { parentId: target.parentId, afterId: target.id };
    return { parentId: target.parentId, afterId: at > 0 ? sibs[at - 1].id : null };
  }
  const sibs = siblingsOf(node);
  const at = sibs.findIndex((s) => s.id === id);
  switch (action) {
    case "up":
      return at > 0 ? { parentId: node.parentId, afterId: at > 1 ? sibs[at - 2].id : null } : null;
    case "down":
      return at < sibs.length - 1 ? { parentId: node.parentId, afterId: sibs[at + 1].id } : null;
    case "indent": {
      const above = sibs[at - 1];
      return above ? { parentId: above.id, afterId: above.children.at(-1)?.id ?? null } : null;
    }
    case "outdent": {
      const parent = node.parentId ? byId.get(node.parentId) : undefined;
      return parent ? { parentId: parent.parentId, afterId: parent.id } : null;
    }
    default:
      return null;
  }
}

/** Says where a page now is, for the live region. */
function describePlace(tree: SpaceTree, id: string): string {
  const { byId, roots } = buildNodes(tree.items);
  const node = byId.get(id);
  if (!node) return "";
  const parent = node.parentId ? byId.get(node.parentId) : undefined;
  const sibs = parent ? parent.children : roots;
  const where = parent ? `under “${parent.title}”` : "at the top level";
  return `Moved “${node.title}” ${where}, position ${sibs.findIndex((s) => s.id === id) + 1} of ${sibs.length}.`;
}

const KEY_ACTIONS: Record<string, "up" | "down" | "indent" | "outdent"> = {
  ArrowUp: "up",
  ArrowDown: "down",
  ArrowRight: "indent",
  ArrowLeft: "outdent",
};
const REFUSED: Record<string, string> = {
  up: "It is already the first page here.",
  down: "It is already the last page here.",
  indent: "There is no page above it to go under.",
  outdent: "It is already at the top level.",
  before: "A page cannot go inside itself.",
  after: "A page cannot go inside itself.",
  inside: "A page cannot go inside itself.",
};

/** The tree of a space; `currentId` is the page being read (marked, and its ancestors open). */
export function PageTree({
  spaceId,
  spaceName,
  currentId,
}: {
  spaceId: string;
  spaceName: string;
  currentId?: string;
}) {
  const tree = useLoad(() => call(routes.tree.getSpacesTree, { params: { id: spaceId } }), [spaceId]);
  const navigate = useNavigate();
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [focusId, setFocusId] = useState<string | null>(null);
  const [moving, setMoving] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [drop, setDrop] = useState<{ id: string; zone: Zone } | null>(null);
  const dragged = useRef<string | null>(null);
  const root = useRef<HTMLUListElement>(null);
  const { roots, byId } = useMemo(() => buildNodes(tree.data?.items ?? []), [tree.data]);

  // The current page's ancestors start open, so it is in view.
  useEffect(() => {
    if (!currentId || !tree.data) return;
    setExpanded((e) => new Set([...e, ...ancestorsOf(byId, currentId)]));
  }, [currentId, tree.data, byId]);

  const visible = useMemo(() => {
    const out: Node[] = [];
    const walk = (list: Node[]) => {
      for (const n of list) {
        out.push(n);
        if (expanded.has(n.id)) walk(n.children);
      }
    };
    walk(roots);
    return out;
  }, [roots, expanded]);
  const focused = focusId && visible.some((n) => n.id === focusId) ? focusId : (currentId ?? visible[0]?.id);

  // Focus follows the keyboard and the moved page (re-mounted under its new parent) once rendered.
  const pendingFocus = useRef<string | null>(null);
  useEffect(() => {
    const id = pendingFocus.current;
    const el = id ? root.current?.querySelector<HTMLElement>(`[data-id="${id}"]`) : null;
    if (el) {
      pendingFocus.current = null;
      el.focus();
    }
  });
  const focusItem = (id: string) => {
    pendingFocus.current = id;
    setFocusId(id);
  };
  const toggle = (id: string, open?: boolean) =>
    setExpanded((e) => {
      const next = new Set(e);
      if (open ?? !next.has(id)) next.add(id);
      else next.delete(id);
      return next;
    });

  const move = async (id: string, action: Zone | "up" | "down" | "indent" | "outdent", targetId?: string) => {
    const node = byId.get(id);
    if (!node || !tree.data || busy) return;
    const plan = planMove(byId, roots, id, action, targetId);
    if (!plan) return setMessage(REFUSED[action]);
    setBusy(true);
    setError(null);
    try {
      const res = await call(routes.tree.postArticlesMove, {
        params: { id },
        body: {
          ...plan,
          from: { spaceId, parentId: node.parentId },
        },
      });
      tree.setData(res.tree);
      if (plan.parentId) toggle(plan.parentId, true);
      setMessage(describePlace(res.tree, id));
      focusItem(id);
    } catch (e) {
      const err = e as ApiError;
      setError(err);
      setMessage(`Not moved: ${err.message}`);
      if (err.status === 409) tree.reload();
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent, n: Node) => {
    if (e.altKey && KEY_ACTIONS[e.key] && tree.data?.canEdit) {
      e.preventDefault();
      void move(n.id, KEY_ACTIONS[e.key]);
      return;
    }
    const at = visible.findIndex((v) => v.id === n.id);
    const open = expanded.has(n.id);
    switch (e.key) {
      case "ArrowDown":
        if (at < visible.length - 1) focusItem(visible[at + 1].id);
        break;
      case "ArrowUp":
        if (at > 0) focusItem(visible[at - 1].id);
        break;
      case "ArrowRight":
        if (n.children.length && !open) toggle(n.id, true);
        else if (n.children.length) focusItem(n.children[0].id);
        break;
      case "ArrowLeft":
        if (n.children.length && open) toggle(n.id, false);
        else if (n.parentId) focusItem(n.parentId);
        break;
      case "Home":
        if (visible[0]) focusItem(visible[0].id);
        break;
      case "End":
        if (visible.length) focusItem(visible[visible.length - 1].id);
        break;
      case "Enter":
        navigate(`/articles/${n.id}`);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const zoneOf = (e: DragEvent<HTMLElement>): Zone => {
    const r = e.currentTarget.getBoundingClientRect();
    const y = (e.clientY - r.top) / r.height;
    return y < 0.3 ? "before" : y > 0.7 ? "after" : "inside";
  };

  if (tree.loading && !tree.data) return <Loading />;
  if (!tree.data) return <ErrorBox error={tree.error} />;
  const canEdit = tree.data.canEdit;

  const renderNode = (n: Node, siblings: Node[], index: number) => {
    const open = expanded.has(n.id);
    const current = n.id === currentId;
    const target = drop?.id === n.id ? drop.zone : null;
    return (
      <li
        key={n.id}
        role="treeitem"
        data-id={n.id}
        aria-level={n.depth + 1}
        aria-setsize={siblings.length}
        aria-posinset={index + 1}
        aria-expanded={n.children.length ? open : undefined}
        aria-selected={current}
        tabIndex={n.id === focused ? 0 : -1}
        onFocus={(e) => e.target === e.currentTarget && setFocusId(n.id)}
        onKeyDown={(e) => e.target === e.currentTarget && onKeyDown(e, n)}
      >
        <div
          className={`tree-row${current ? " current" : ""}${target ? ` drop-${target}` : ""}`}
          style={{ paddingLeft: `${n.depth * 1.1 + 0.2}rem` }}
          draggable={canEdit}
          onDragStart={(e) => {
            dragged.current = n.id;
            e.dataTransfer.effectAllowed = "move";
            e.dataTransfer.setData("text/plain", n.id);
          }}
          onDragOver={(e) => {
            if (!dragged.current || dragged.current === n.id) return;
            e.preventDefault();
            const zone = zoneOf(e);
            if (drop?.id !== n.id || drop.zone !== zone) setDrop({ id: n.id, zone });
          }}
          onDragLeave={() => setDrop((d) => (d?.id === n.id ? null : d))}
          onDrop={(e) => {
            e.preventDefault();
            const from = dragged.current;
            dragged.current = null;
            setDrop(null);
            if (from && from !== n.id) void move(from, zoneOf(e), n.id);
          }}
          onDragEnd={() => {
            dragged.current = null;
            setDrop(null);
          }}
        >
          <span
            className={`twisty${n.children.length ? "" : " leaf"}`}
            aria-hidden="true"
            onClick={() => n.children.length && toggle(n.id)}
          >
            {n.children.length ? (open ? "▾" : "▸") : "•"}
          </span>
          <Link to={`/articles/${n.id}`} tabIndex={-1} aria-current={current ? "page" : undefined}>
            {n.title}
          </Link>
          {n.status === "draft" && <span className="badge draft">Draft</span>}
          {moving && canEdit && (
            <span className="tree-move-buttons">
              {(["up", "down", "outdent", "indent"] as const).map((a) => (
                <button
                  key={a}
                  type="button"
                  className="small"
                  tabIndex={-1}
                  disabled={busy}
                  aria-label={`Move “${n.title}” ${{ up: "up", down: "down", outdent: "out a level", indent: "under the page above" }[a]}`}
                  onClick={() => void move(n.id, a)}
                >
                  {{ up: "↑", down: "↓", outdent: "←", indent: "→" }[a]}
                </button>
              ))}
            </span>
          )}
        </div>
        {n.children.length > 0 && open && (
          <ul role="group">{n.children.map((c, i) => renderNode(c, n.children, i))}</ul>
        )}
      </li>
    );
  };

  return (
    <section className="card page-tree" aria-label="Pages">
      <div className="page-tree-head">
        <h2>Pages</h2>
        {canEdit && roots.length > 0 && (
          <button type="button" className="small" aria-pressed={moving} onClick={() => setMoving((m) => !m)}>
            {moving ? "Done moving" : "Move pages"}
          </button>
        )}
      </div>
      {canEdit && roots.length > 0 && (
        <p className="muted tree-hint">
          Drag a page onto another (top, middle or bottom edge), or focus it and press Alt + ↑ / ↓ to reorder, Alt + →
          to put it under the page above, Alt + ← to move it out.
        </p>
      )}
      <ErrorBox error={error} />
      {roots.length === 0 ? (
        <p className="muted">No pages yet.</p>
      ) : (
        <ul role="tree" aria-label={`Pages of ${spaceName}`} className="tree" ref={root}>
          {roots.map((n, i) => renderNode(n, roots, i))}
        </ul>
      )}
      <div className="sr-only" aria-live="polite" role="status" data-testid="tree-announcer">
        {message}
      </div>
    </section>
  );
}

/** Spaces / space / the ancestors the reader may read / (the server leaves out the others). */
export function Breadcrumbs(props: { spaceId: string; spaceName: string; trail: { id: string; title: string }[] }) {
  return (
    <nav className="breadcrumb" aria-label="Breadcrumb">
      <Link to="/spaces">Spaces</Link> / <Link to={`/spaces/${props.spaceId}`}>{props.spaceName}</Link> /
      {props.trail.map((b) => (
        <span key={b.id}>
          {" "}
          <Link to={`/articles/${b.id}`}>{b.title}</Link> /
        </span>
      ))}
    </nav>
  );
}

/** The link that starts a sub-page of `articleId` in the editor. */
export function NewChildPageLink({ spaceId, articleId }: { spaceId: string; articleId: string }) {
  return (
    <Link className="button" to={`/spaces/${spaceId}/new?parent=${articleId}`}>
      New child page
    </Link>
  );
}

/** In the editor of a new page: which page it goes under. */
export function ParentNote({ parentId }: { parentId: string }) {
  const parent = useLoad(() => call(routes.articles.getArticlesById, { params: { id: parentId } }), [parentId]);
  if (!parent.data) return null;
  return <p className="muted">A sub-page of “{parent.data.title}”.</p>;
}

/**
 * Moves the article under another page or to another space the reader may write to (the same
 * move as the tree's, as a form: usable anywhere, on a phone too).
 */
export function MovePageForm(props: {
  articleId: string;
  spaceId: string;
  parentId: string | null;
  onMoved: () => void;
  onCancel: () => void;
}) {
  const [spaceId, setSpaceId] = useState(props.spaceId);
  const [parentId, setParentId] = useState(props.parentId ?? "");
  const [error, setError] = useState<ApiError | null>(null);
  const spaces = useLoad(() => call(routes.spaces.getSpaces), []);
  const tree = useLoad(() => call(routes.tree.getSpacesTree, { params: { id: spaceId } }), [spaceId]);
  const { byId } = useMemo(() => buildNodes(tree.data?.items ?? []), [tree.data]);
  const excluded = (id: string) => id === props.articleId || ancestorsOf(byId, id).includes(props.articleId);
  const submit = async () => {
    setError(null);
    const parent = parentId || null;
    const siblings = (tree.data?.items ?? []).filter((i) => i.parentId === parent && i.id !== props.articleId);
    try {
      await call(routes.tree.postArticlesMove, {
        params: { id: props.articleId },
        body: {
          spaceId,
          parentId: parent,
          afterId: siblings.at(-1)?.id ?? null,
          from: { spaceId: props.spaceId, parentId: props.parentId },
        },
      });
      props.onMoved();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <form
      className="card form move-page"
      aria-label="Move page"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label className="field">
        <span>Space</span>
        <select
          value={spaceId}
          onChange={(e) => {
            setSpaceId(e.target.value);
            setParentId("");
          }}
        >
          {spaces.data?.items
            .filter((s) => s.canEdit)
            .map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
        </select>
      </label>
      <label className="field">
        <span>Under</span>
        <select value={parentId} onChange={(e) => setParentId(e.target.value)}>
          <option value="">(top level)</option>
          {tree.data?.items
            .filter((i) => !excluded(i.id))
            .map((i) => (
              <option key={i.id} value={i.id}>
                {"\u00a0\u00a0".repeat(i.depth)}
                {i.title}
              </option>
            ))}
        </select>
        {error?.field("parentId") && <span className="field-error">{error.field("parentId")}</span>}
      </label>
      {error && !error.fields.length && <ErrorBox error={error} />}
      <div className="actions">
        <button className="primary">Move here</button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
