import { forwardRef, useEffect, useImperativeHandle, useRef, useState, type KeyboardEvent } from "react";
import { EditorContent, useEditor, useEditorState, type Editor } from "@tiptap/react";
import { Extension, type AnyExtension, type Range } from "@tiptap/core";
import { HocuspocusProvider } from "@hocuspocus/provider";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { PluginKey } from "@tiptap/pm/state";
import Suggestion, { type SuggestionProps } from "@tiptap/suggestion";
import { CALLOUT_KINDS, CODE_LANGUAGES, editorExtensions, type CalloutKind } from "./extensions";
import { isSafeLink } from "../../../src/domain/markdown/render";
import { COLLAB_SOCKET_PATH, call, routes } from "../api";
import "./editor.css";

/**
 * The rich-text editor for articles (Tiptap on ProseMirror). It edits the article's Markdown: the
 * document model parses it and serialises it back on every change, so the stored format, search,
 * revisions and the 409 rule stay as they are. Loaded only on the pages that edit (its own chunk).
 */

export type RichEditorHandle = {
  /** Inserts Markdown at the cursor (an uploaded image or file). */
  insertMarkdown: (markdown: string) => void;
  focus: () => void;
};

/** Live co-editing of an existing article: the shared document on the server, everyone's cursor. */
export type CollabOptions = { articleId: string; user: { id: string; name: string } };
type Peer = { name: string; color: string };
type Status = "connecting" | "connected" | "disconnected";

const COLORS = ["#b42318", "#2458d6", "#127a4a", "#9a4a00", "#6b3fc4", "#0e7090", "#c11574", "#4d5f00"];
const colorOf = (id: string) => COLORS[[...id].reduce((n, c) => (n * 31 + c.charCodeAt(0)) >>> 0, 7) % COLORS.length];

/** One provider per article while the editor is open (a new one when the article changes). */
function useProvider(collab: CollabOptions | undefined): {
  provider: HocuspocusProvider | null;
  status: Status;
  peers: Peer[];
} {
  const [state, setState] = useState<{ provider: HocuspocusProvider | null; status: Status; peers: Peer[] }>({
    provider: null,
    status: "connecting",
    peers: [],
  });
  const articleId = collab?.articleId;
  useEffect(() => {
    if (!articleId) return;
    const provider = new HocuspocusProvider({
      url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${COLLAB_SOCKET_PATH}`,
      name: `article:${articleId}`,
      // The session cookie signs in; the token only starts the handshake.
      token: "session",
      onStatus: ({ status }) => setState((s) => ({ ...s, status: status as Status })),
      onAwarenessChange: ({ states }) =>
        setState((s) => ({
          ...s,
          peers: states.map((x) => (x as { user?: Peer }).user).filter((u): u is Peer => Boolean(u?.name)),
        })),
    });
    setState({ provider, status: "connecting", peers: [] });
    return () => provider.destroy();
  }, [articleId]);
  return state;
}

type Props = {
  value: string;
  /** Co-edit live with others (an existing article); without it, the text is this page's alone. */
  collab?: CollabOptions;
  onChange: (markdown: string) => void;
  /** Files pasted or dropped on the text: uploaded by the page, which inserts them when done. */
  onFiles: (files: File[]) => void;
  invalid?: boolean;
  labelledBy: string;
};

type Item = { id: string; label: string; detail: string; href: string };
type Popup = { kind: "article" | "person"; items: Item[]; active: number; rect: DOMRect | null; range: Range };

const LANGUAGES = ["", ...Object.keys(CODE_LANGUAGES)];

/** Replaces the typed `[[…` or `@…` with a link to the chosen article or person (a mention: "@Name"). */
function insertLink(editor: Editor, range: Range, kind: Popup["kind"], item: Item) {
  const text = kind === "person" ? `@${item.label}` : item.label;
  editor
    .chain()
    .focus()
    .insertContentAt(range, [
      { type: "text", text, marks: [{ type: "link", attrs: { href: item.href } }] },
      { type: "text", text: " " },
    ])
    .run();
}

/** A `[[` or `@` suggestion: the popup is React state; the plugin reports where and what was typed. */
function suggestions(onState: (p: Popup | null) => void) {
  const make = (editor: Editor, kind: Popup["kind"], char: string, key: string) => {
    let current: Popup | null = null;
    const load = async (query: string): Promise<Item[]> => {
      if (kind === "article") {
        const r = await call(routes.search.getSearch, { query: { q: query, prefix: "true", limit: "8" } }).catch(
          () => ({ items: [] as { type: string; id: string; title: string; spaceName: string }[] }),
        );
        return r.items
          .filter((h) => h.type === "article")
          .map((h) => ({ id: h.id, label: h.title, detail: h.spaceName, href: `/articles/${h.id}` }));
      }
      const r = await call(routes.people.getPeople, { query: { q: query, limit: "8" } }).catch(() => ({
        items: [] as { id: string; name: string; title?: string | null }[],
      }));
      return r.items.map((p) => ({ id: p.id, label: p.name, detail: p.title ?? "", href: `/people/${p.id}` }));
    };
    return Suggestion<Item>({
      editor,
      pluginKey: new PluginKey(key),
      char,
      allowSpaces: true,
      items: async ({ query }) => (query.trim().length ? load(query.trim()) : []),
      command: ({ editor, range, props }) => insertLink(editor, range, kind, props),
      render: () => {
        const show = (p: SuggestionProps<Item>) => {
          current = { kind, items: p.items, active: 0, rect: p.clientRect?.() ?? null, range: p.range };
          onState(current);
        };
        let pick: ((item: Item) => void) | null = null;
        return {
          onStart: (p) => {
            pick = p.command;
            show(p);
          },
          onUpdate: (p) => {
            pick = p.command;
            show(p);
          },
          onKeyDown: ({ event }) => {
            if (!current || !current.items.length) return event.key === "Escape" && current !== null;
            if (event.key === "ArrowDown" || event.key === "ArrowUp") {
              const n = current.items.length;
              current = { ...current, active: (current.active + (event.key === "ArrowDown" ? 1 : n - 1)) % n };
              onState(current);
              return true;
            }
            if (event.key === "Enter" || event.key === "Tab") {
              pick?.(current.items[current.active]);
              return true;
            }
            if (event.key === "Escape") {
              current = null;
              onState(null);
              return true;
            }
            return false;
          },
          onExit: () => {
            current = null;
            onState(null);
          },
        };
      },
    });
  };
  return Extension.create({
    name: "knowhowSuggestions",
    addProseMirrorPlugins() {
      return [make(this.editor, "article", "[[", "articleLinks"), make(this.editor, "person", "@", "mentions")];
    },
  });
}

export const RichEditor = forwardRef<RichEditorHandle, Props>(function RichEditor(props, ref) {
  const live = useProvider(props.collab);
  if (!props.collab) return <EditorWithToolbar {...props} ref={ref} />;
  if (!live.provider) return null;
  return (
    <>
      <p className={`collab-status ${live.status}`} role="status">
        {live.status === "connected"
          ? `Live: changes are shared and saved as you type. Editing now: ${live.peers.map((p) => p.name).join(", ")}`
          : live.status === "connecting"
            ? "Connecting…"
            : "Offline: keep writing, your changes merge when the connection is back."}
      </p>
      <EditorWithToolbar
        {...props}
        ref={ref}
        key={props.collab.articleId}
        live={{ provider: live.provider, user: { name: props.collab.user.name, color: colorOf(props.collab.user.id) } }}
      />
    </>
  );
});

const EditorWithToolbar = forwardRef<RichEditorHandle, Props & { live?: { provider: HocuspocusProvider; user: Peer } }>(
  function EditorWithToolbar({ value, onChange, onFiles, invalid, labelledBy, live }, ref) {
    const [popup, setPopup] = useState<Popup | null>(null);
    const [linkForm, setLinkForm] = useState<{ href: string } | null>(null);
    const lastEmitted = useRef(value);
    const onChangeRef = useRef(onChange);
    onChangeRef.current = onChange;
    const onFilesRef = useRef(onFiles);
    onFilesRef.current = onFiles;
    const setPopupState = (p: Popup | null) => setPopup(p);

    const shared: AnyExtension[] = live
      ? [
          Collaboration.configure({ document: live.provider.document, field: "default" }),
          CollaborationCaret.configure({ provider: live.provider, user: live.user }),
        ]
      : [];
    const editor = useEditor({
      extensions: editorExtensions(
        [
          ...shared,
          suggestions(setPopupState),
          Extension.create({
            name: "knowhowKeys",
            addKeyboardShortcuts: () => ({
              "Mod-k": () => {
                setLinkForm({ href: "" });
                return true;
              },
            }),
          }),
        ],
        { collaborative: Boolean(live) },
      ),
      // Co-edited: the text comes from the shared document.
      ...(live ? {} : { content: value, contentType: "markdown" as const }),
      immediatelyRender: true,
      shouldRerenderOnTransaction: false,
      editorProps: {
        attributes: {
          class: "prose rich-text",
          role: "textbox",
          "aria-multiline": "true",
          "aria-labelledby": labelledBy,
          ...(invalid ? { "aria-invalid": "true" } : {}),
          spellcheck: "true",
        },
        handlePaste: (_view, event) => {
          const files = Array.from(event.clipboardData?.files ?? []);
          if (!files.length) return false;
          event.preventDefault();
          onFilesRef.current(files);
          return true;
        },
        handleDrop: (view, event, _slice, moved) => {
          const files = Array.from(event.dataTransfer?.files ?? []);
          if (moved || !files.length) return false;
          event.preventDefault();
          const at = view.posAtCoords({ left: event.clientX, top: event.clientY });
          // The files go where they were dropped.
          if (at) editorRef.current?.commands.setTextSelection(at.pos);
          onFilesRef.current(files);
          return true;
        },
      },
      onUpdate: ({ editor: e }) => {
        const markdown = e.getMarkdown();
        lastEmitted.current = markdown;
        onChangeRef.current(markdown);
      },
    });
    const editorRef = useRef<Editor | null>(editor);
    editorRef.current = editor;

    // A value from outside (a restored draft, "use theirs" after a conflict, the Markdown view) replaces the text.
    useEffect(() => {
      if (!editor || live || value === lastEmitted.current) return;
      lastEmitted.current = value;
      editor.commands.setContent(value, { contentType: "markdown", emitUpdate: false });
    }, [editor, value, live]);

    useImperativeHandle(
      ref,
      () => ({
        insertMarkdown: (markdown) => {
          if (!editor) return;
          // An uploaded image or video is one node; anything else is parsed as Markdown.
          const image = /^\s*!\[([^\]]*)\]\(([^)\s]+)\)\s*$/.exec(markdown);
          if (image)
            editor
              .chain()
              .focus()
              .insertContent({ type: "image", attrs: { alt: image[1], src: image[2] } })
              .run();
          else editor.chain().focus().insertContent(markdown, { contentType: "markdown" }).run();
        },
        focus: () => editor?.commands.focus(),
      }),
      [editor],
    );

    const state = useEditorState({
      editor,
      selector: ({ editor: e }) => ({
        bold: e.isActive("bold"),
        italic: e.isActive("italic"),
        strike: e.isActive("strike"),
        code: e.isActive("code"),
        link: e.isActive("link"),
        heading: ([1, 2, 3] as const).find((level) => e.isActive("heading", { level })) ?? 0,
        bulletList: e.isActive("bulletList"),
        orderedList: e.isActive("orderedList"),
        taskList: e.isActive("taskList"),
        blockquote: e.isActive("blockquote"),
        callout: e.isActive("callout"),
        calloutKind: (e.getAttributes("callout").kind as CalloutKind | undefined) ?? "note",
        codeBlock: e.isActive("codeBlock"),
        language: (e.getAttributes("codeBlock").language as string | null) ?? "",
        table: e.isActive("table"),
        canUndo: e.can().undo(),
        canRedo: e.can().redo(),
      }),
    });

    if (!editor || !state) return null;
    const chain = () => editor.chain().focus();
    const button = (label: string, active: boolean | null, run: () => void, text: string, shortcut?: string) => (
      <button
        type="button"
        className="tool"
        title={shortcut ? `${label} (${shortcut})` : label}
        aria-pressed={active === null ? undefined : active}
        onMouseDown={(e) => e.preventDefault()}
        onClick={run}
      >
        {/* The symbol is for the eye; the name is the words (screen readers, voice control). */}
        <span aria-hidden="true">{text}</span>
        <span className="sr-only">{label}</span>
      </button>
    );
    // Arrow keys move along the toolbar (and Tab leaves it), as in the WAI-ARIA toolbar pattern.
    const toolbarKeys = (e: KeyboardEvent<HTMLDivElement>) => {
      if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
      const items = Array.from(e.currentTarget.querySelectorAll<HTMLElement>("button, select"));
      const i = items.indexOf(document.activeElement as HTMLElement);
      if (i < 0) return;
      e.preventDefault();
      items[(i + (e.key === "ArrowRight" ? 1 : items.length - 1)) % items.length].focus();
    };
    const applyLink = (href: string) => {
      const target = href.trim();
      if (!target) chain().extendMarkRange("link").unsetLink().run();
      else if (isSafeLink(target)) chain().extendMarkRange("link").setLink({ href: target }).run();
      setLinkForm(null);
    };

    return (
      <div className="rich-editor">
        <div className="toolbar" role="toolbar" aria-label="Formatting" onKeyDown={toolbarKeys}>
          <div className="tool-group">
            {button("Undo", null, () => chain().undo().run(), "↶", "Ctrl+Z")}
            {button("Redo", null, () => chain().redo().run(), "↷", "Ctrl+Shift+Z")}
          </div>
          <div className="tool-group">
            <select
              aria-label="Text style"
              value={String(state.heading)}
              onChange={(e) => {
                const level = Number(e.target.value) as 0 | 1 | 2 | 3;
                if (level === 0) chain().setParagraph().run();
                else chain().setHeading({ level }).run();
              }}
            >
              <option value="0">Paragraph</option>
              <option value="1">Heading 1</option>
              <option value="2">Heading 2</option>
              <option value="3">Heading 3</option>
            </select>
          </div>
          <div className="tool-group">
            {button("Bold", state.bold, () => chain().toggleBold().run(), "B", "Ctrl+B")}
            {button("Italic", state.italic, () => chain().toggleItalic().run(), "I", "Ctrl+I")}
            {button("Strikethrough", state.strike, () => chain().toggleStrike().run(), "S", "Ctrl+Shift+S")}
            {button("Inline code", state.code, () => chain().toggleCode().run(), "</>", "Ctrl+E")}
            {button(
              "Link",
              state.link,
              () => setLinkForm({ href: (editor.getAttributes("link").href as string | undefined) ?? "" }),
              "Link",
              "Ctrl+K",
            )}
          </div>
          <div className="tool-group">
            {button("Bulleted list", state.bulletList, () => chain().toggleBulletList().run(), "•", "Ctrl+Shift+8")}
            {button("Numbered list", state.orderedList, () => chain().toggleOrderedList().run(), "1.", "Ctrl+Shift+7")}
            {button("Task list", state.taskList, () => chain().toggleTaskList().run(), "☑", "Ctrl+Shift+9")}
          </div>
          <div className="tool-group">
            {button("Quote", state.blockquote, () => chain().toggleBlockquote().run(), "❝", "Ctrl+Shift+B")}
            {button("Callout", state.callout, () => chain().toggleCallout(state.calloutKind).run(), "Note")}
            {state.callout && (
              <select
                aria-label="Callout kind"
                value={state.calloutKind}
                onChange={(e) => chain().updateAttributes("callout", { kind: e.target.value }).run()}
              >
                {CALLOUT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {k[0].toUpperCase() + k.slice(1)}
                  </option>
                ))}
              </select>
            )}
            {button("Code block", state.codeBlock, () => chain().toggleCodeBlock().run(), "{ }", "Ctrl+Alt+C")}
            {state.codeBlock && (
              <select
                aria-label="Code language"
                value={state.language}
                onChange={(e) =>
                  chain()
                    .updateAttributes("codeBlock", { language: e.target.value || null })
                    .run()
                }
              >
                {LANGUAGES.map((l) => (
                  <option key={l} value={l}>
                    {l || "Plain text"}
                  </option>
                ))}
              </select>
            )}
            {button("Horizontal rule", null, () => chain().setHorizontalRule().run(), "―")}
          </div>
          <div className="tool-group">
            {button(
              "Insert table",
              null,
              () => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
              "▦",
            )}
            {state.table && (
              <>
                {button("Add row below", null, () => chain().addRowAfter().run(), "+row")}
                {button("Add column right", null, () => chain().addColumnAfter().run(), "+col")}
                {button("Delete row", null, () => chain().deleteRow().run(), "−row")}
                {button("Delete column", null, () => chain().deleteColumn().run(), "−col")}
                {button("Delete table", null, () => chain().deleteTable().run(), "×table")}
              </>
            )}
          </div>
        </div>
        {linkForm && (
          <form
            className="link-form"
            onSubmit={(e) => {
              e.preventDefault();
              applyLink(linkForm.href);
            }}
          >
            <label className="field grow">
              <span>Link address (a web address, or /articles/… — type [[ in the text to find an article)</span>
              <input
                autoFocus
                value={linkForm.href}
                aria-invalid={linkForm.href.trim() !== "" && !isSafeLink(linkForm.href.trim()) ? true : undefined}
                onChange={(e) => setLinkForm({ href: e.target.value })}
                onKeyDown={(e) => {
                  if (e.key === "Escape") {
                    setLinkForm(null);
                    editor.commands.focus();
                  }
                }}
              />
              {linkForm.href.trim() !== "" && !isSafeLink(linkForm.href.trim()) && (
                <span className="field-error">
                  Only web (https:), mail (mailto:) and Knowhow addresses can be linked.
                </span>
              )}
            </label>
            <button type="submit" className="small primary">
              Apply
            </button>
            <button type="button" className="small" onClick={() => applyLink("")}>
              Remove link
            </button>
          </form>
        )}
        <EditorContent editor={editor} className="rich-editor-content" />
        {popup && (
          <ul
            className="suggestions"
            role="listbox"
            aria-label={popup.kind === "article" ? "Articles to link" : "People to mention"}
            style={popup.rect ? { left: popup.rect.left, top: popup.rect.bottom + 4 } : undefined}
          >
            {popup.items.length === 0 && <li className="muted">Keep typing to search…</li>}
            {popup.items.map((item, i) => (
              <li
                key={item.id}
                role="option"
                aria-selected={i === popup.active}
                className={i === popup.active ? "active" : undefined}
                onMouseDown={(e) => {
                  e.preventDefault();
                  insertLink(editor, popup.range, popup.kind, item);
                }}
              >
                <span>{item.label}</span> {item.detail && <span className="muted">{item.detail}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  },
);
