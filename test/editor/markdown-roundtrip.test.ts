import { join } from "node:path";
import { Editor } from "@tiptap/core";
import { describe, expect, it } from "vitest";
import { buildDemoOrg } from "../../db/seed/demo-org";
import { renderMarkdown } from "../../src/domain/markdown/render";
import { scanMarkdownFolder } from "../../src/modules/knowledge/import/scan-folder";
import { editorExtensions } from "../../web/src/editor/extensions";

/**
 * Markdown stays the stored format: every demo article and every Markdown import fixture goes through
 * the rich editor's document model and back, and the reading page shows exactly what it showed
 * before (text, tables, code, links, images, callouts, task lists).
 */

function throughEditor(markdown: string): string {
  const editor = new Editor({
    element: null,
    extensions: editorExtensions(),
    content: markdown,
    contentType: "markdown",
  });
  try {
    return editor.getMarkdown();
  } finally {
    editor.destroy();
  }
}

/** The HTML a reader sees, with layout whitespace between tags ignored. */
const seen = (markdown: string) => renderMarkdown(markdown).replace(/>\s+</g, "><").replace(/\s+/g, " ").trim();

const SAMPLE = `# Reach truck checks

Before a shift, **every** driver checks the truck. See [the policy](/articles/3f1c2a9e-0000-4000-8000-000000000001)
and ask [@Dana Fox](/people/3f1c2a9e-0000-4000-8000-000000000002) if unsure.

> [!WARNING]
> A truck that fails a check is tagged **out of use**.
>
> Tell the shift lead.

> A plain quote.

1. Forks and chains
2. Battery level
   - above 30 %
   - no leaks

- [ ] Horn works
- [x] Lights work

| Check | Pass | Notes |
| :--- | :---: | ---: |
| Horn | yes | \`H-1\` |
| Lights | no | see *above* |

\`\`\`ts
const ok = checks.every((c) => c.pass);
\`\`\`

![Tag on a truck](/api/attachments/3f1c2a9e-0000-4000-8000-000000000003 "Out of use")

![video: How to tag](/api/attachments/3f1c2a9e-0000-4000-8000-000000000004)

Inline ![icon](/api/attachments/3f1c2a9e-0000-4000-8000-000000000005) in a line, ~~old~~ and \`code\`, a hard  
break, and https://example.org/linkified.

---

Last line with a [link](https://example.org "Example") and an escaped \\*star\\*.
`;

describe("Markdown through the rich editor", () => {
  it("keeps a document with every kind of block", () => {
    const out = throughEditor(SAMPLE);
    expect(seen(out)).toBe(seen(SAMPLE));
    // Twice through changes nothing more (the editor's Markdown is stable).
    expect(throughEditor(out)).toBe(out);
  });

  it("keeps every demo article", () => {
    const articles = buildDemoOrg().articles;
    expect(articles.length).toBeGreaterThan(20);
    for (const a of articles)
      expect({ title: a.title, html: seen(throughEditor(a.body)) }).toEqual({ title: a.title, html: seen(a.body) });
  });

  it("keeps every Markdown import fixture, as the importer reads it", async () => {
    let n = 0;
    for await (const doc of scanMarkdownFolder(join(__dirname, "../fixtures/markdown-import"))) {
      n++;
      expect({ file: doc.relPath, html: seen(throughEditor(doc.body)) }).toEqual({
        file: doc.relPath,
        html: seen(doc.body),
      });
    }
    expect(n).toBeGreaterThan(3);
  });
});
