import { Editor, getSchema } from "@tiptap/core";
import { prosemirrorJSONToYDoc, yDocToProsemirrorJSON } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { editorExtensions } from "../../../web/src/editor/extensions";

/**
 * The bridge between an article's Markdown (the stored format) and its shared Yjs document (the
 * editor's ProseMirror document, in the field the Collaboration extension uses). The same
 * extensions as the web editor, so both sides read and write the same Markdown.
 */

export const FIELD = "default";
const extensions = editorExtensions();
const schema = getSchema(extensions);

function withEditor<T>(content: Record<string, unknown> | string, use: (e: Editor) => T): T {
  const editor = new Editor({
    element: null,
    extensions,
    content,
    ...(typeof content === "string" ? { contentType: "markdown" as const } : {}),
  });
  try {
    return use(editor);
  } finally {
    editor.destroy();
  }
}

/** A new shared document holding the Markdown. */
export function markdownToYDoc(markdown: string): Y.Doc {
  const json = withEditor(markdown, (e) => e.getJSON());
  return prosemirrorJSONToYDoc(schema, json, FIELD);
}

/** The shared document's content as Markdown. */
export function yDocToMarkdown(doc: Y.Doc): string {
  const json = yDocToProsemirrorJSON(doc, FIELD);
  if (!json.content?.length) return "";
  return withEditor(json, (e) => e.getMarkdown());
}

/** Replaces the shared document's content with the Markdown, in one transaction (`origin` marks it). */
export function replaceContent(doc: Y.Doc, markdown: string, origin: unknown): void {
  const fresh = markdownToYDoc(markdown);
  const source = fresh.getXmlFragment(FIELD);
  const target = doc.getXmlFragment(FIELD);
  doc.transact(() => {
    target.delete(0, target.length);
    target.insert(
      0,
      source.toArray().map((n) => (n as Y.XmlElement).clone()),
    );
  }, origin);
}
