import { Node, mergeAttributes, type AnyExtension, type JSONContent } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { Markdown } from "@tiptap/markdown";
import { TableKit } from "@tiptap/extension-table";
import { TaskItem, TaskList } from "@tiptap/extension-list";
import Image from "@tiptap/extension-image";
import CodeBlockLowlight from "@tiptap/extension-code-block-lowlight";
import { createLowlight } from "lowlight";
import bash from "highlight.js/lib/languages/bash";
import csharp from "highlight.js/lib/languages/csharp";
import css from "highlight.js/lib/languages/css";
import go from "highlight.js/lib/languages/go";
import java from "highlight.js/lib/languages/java";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import powershell from "highlight.js/lib/languages/powershell";
import python from "highlight.js/lib/languages/python";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";
import { isSafeLink } from "../../../src/domain/markdown/render";

/**
 * The rich editor's document model (Tiptap on ProseMirror), shared by the web editor and the tests
 * that round-trip Markdown through it. Markdown stays the stored format: every node here parses
 * from and serialises to the Markdown the reading pages render (src/domain/markdown/render.ts).
 */

export const CALLOUT_KINDS = ["note", "tip", "important", "warning", "caution"] as const;
export type CalloutKind = (typeof CALLOUT_KINDS)[number];
const CALLOUT_START = /^ {0,3}> ?\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(?:\n|$)/i;

/** A callout (GitHub's alert syntax, `> [!NOTE]`), which other Markdown tools show as a quote. */
export const Callout = Node.create({
  name: "callout",
  group: "block",
  content: "block+",
  defining: true,
  addAttributes() {
    return {
      kind: {
        default: "note",
        parseHTML: (el) => el.getAttribute("data-callout") ?? "note",
        renderHTML: (attrs) => ({ "data-callout": attrs.kind, class: `callout callout-${attrs.kind}` }),
      },
    };
  },
  parseHTML() {
    return [{ tag: "div[data-callout]" }];
  },
  renderHTML({ HTMLAttributes }) {
    return ["div", mergeAttributes(HTMLAttributes), 0];
  },
  markdownTokenizer: {
    name: "callout",
    level: "block",
    start: (src: string) => {
      const m = /^ {0,3}> ?\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]/im.exec(src);
      return m ? m.index : -1;
    },
    tokenize: (src, _tokens, lexer) => {
      const head = CALLOUT_START.exec(src);
      if (!head) return undefined;
      let raw = head[0];
      const lines: string[] = [];
      for (const line of src.slice(raw.length).split("\n")) {
        if (!/^ {0,3}>/.test(line)) break;
        lines.push(line.replace(/^ {0,3}> ?/, ""));
        raw += `${line}\n`;
      }
      if (!src.startsWith(raw)) raw = raw.replace(/\n$/, "");
      return {
        type: "callout",
        raw,
        kind: head[1].toLowerCase(),
        tokens: lexer.blockTokens(lines.join("\n")),
      };
    },
  },
  parseMarkdown: (token, h) =>
    h.createNode("callout", { kind: (token as { kind?: string }).kind ?? "note" }, h.parseChildren(token.tokens ?? [])),
  renderMarkdown: (node: JSONContent, h) => {
    const inner = h.renderChildren(node.content ?? [], "\n\n");
    const body = inner
      .split("\n")
      .map((line) => (line.trim() === "" ? ">" : `> ${line}`))
      .join("\n");
    return `> [!${String(node.attrs?.kind ?? "note").toUpperCase()}]\n${body}`;
  },
  addCommands() {
    return {
      toggleCallout:
        (kind: CalloutKind = "note") =>
        ({ commands }) =>
          commands.toggleWrap(this.name, { kind }),
    };
  },
});

declare module "@tiptap/core" {
  interface Commands<ReturnType> {
    callout: { toggleCallout: (kind?: CalloutKind) => ReturnType };
  }
}

const VIDEO_FILE = /\.(mp4|webm|mov)(\?[^#]*)?(#.*)?$/i;

/** Images, and short videos written as `![video: name](url)` (how the reading pages tell them apart). */
export const Media = Image.extend({
  renderHTML({ HTMLAttributes }) {
    const alt = String(HTMLAttributes.alt ?? "");
    const src = String(HTMLAttributes.src ?? "");
    if (/^video:/i.test(alt) || VIDEO_FILE.test(src)) {
      // A captured clip carries its poster frame in the address (`#poster=…`), as the reading pages show it.
      const poster = /#poster=([^#\s]+)$/.exec(src)?.[1];
      return [
        "video",
        {
          src,
          poster,
          controls: "true",
          playsinline: "true",
          preload: "metadata",
          "data-alt": alt,
          title: HTMLAttributes.title,
        },
      ];
    }
    return ["img", mergeAttributes(HTMLAttributes, { loading: "lazy" })];
  },
});

/** The languages highlighted (what a workplace's how-tos hold; highlight.js's full set would triple the chunk). */
export const CODE_LANGUAGES = {
  bash,
  csharp,
  css,
  go,
  java,
  javascript,
  json,
  powershell,
  python,
  sql,
  typescript,
  xml,
  yaml,
};
export const lowlight = createLowlight(CODE_LANGUAGES);

/** The extensions, in the same configuration for the editor and the tests. */
export function editorExtensions(
  extra: AnyExtension[] = [],
  options: { collaborative?: boolean } = {},
): AnyExtension[] {
  return [
    StarterKit.configure({
      codeBlock: false,
      // Co-editing brings its own undo (each person undoes their own changes).
      ...(options.collaborative ? { undoRedo: false as const } : {}),
      link: {
        openOnClick: false,
        autolink: true,
        defaultProtocol: "https",
        isAllowedUri: (url) => isSafeLink(url),
        HTMLAttributes: { rel: "noopener noreferrer nofollow", target: null },
      },
    }),
    Markdown.configure({ markedOptions: { gfm: true } }),
    CodeBlockLowlight.configure({ lowlight, defaultLanguage: null }),
    TableKit.configure({ table: { resizable: false } }),
    TaskList,
    TaskItem.configure({ nested: true }),
    Media.configure({ inline: true, allowBase64: false }),
    Callout,
    ...extra,
  ];
}
