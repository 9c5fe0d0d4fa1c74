import { describe, expect, it } from "vitest";
import { extractAttachmentIds, isSafeLink, renderedMemoSize, renderMarkdown } from "./render";
import { XSS_PAYLOADS } from "./xss-corpus";

/** Attributes of every tag in the produced HTML (a tiny tag scanner; our output is well-formed). */
function attributes(html: string): { tag: string; name: string; value: string }[] {
  const out: { tag: string; name: string; value: string }[] = [];
  for (const t of html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    for (const a of t[2].matchAll(/\s+([^\s=>]+)(?:="([^"]*)")?/g))
      out.push({ tag: t[1].toLowerCase(), name: a[1].toLowerCase(), value: a[2] ?? "" });
  }
  return out;
}

const ALLOWED_TAGS = new Set([
  "p",
  "a",
  "img",
  "video",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "ul",
  "ol",
  "li",
  "input",
  "pre",
  "code",
  "em",
  "strong",
  "s",
  "blockquote",
  "hr",
  "br",
  "div",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
]);
const ALLOWED_ATTRS = new Set([
  "href",
  "src",
  "poster",
  "playsinline",
  "aria-label",
  "alt",
  "title",
  "id",
  "class",
  "rel",
  "target",
  "loading",
  "controls",
  "preload",
  "type",
  "disabled",
  "checked",
  "style",
  "start",
]);

describe("renderMarkdown", () => {
  it("renders headings with stable unique ids, task lists, tables and code", () => {
    const html = renderMarkdown(
      "# Set up\n## Set up\n- [ ] todo\n- [x] done\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nx < y\n```\n",
    );
    expect(html).toContain('<h1 id="set-up">');
    expect(html).toContain('<h2 id="set-up-1">');
    expect(html).toContain('<input type="checkbox" disabled> todo');
    expect(html).toContain('<input type="checkbox" disabled checked> done');
    expect(html).toContain('<div class="table-wrap"><table>');
    expect(html).toContain('<code class="language-js">x &lt; y');
  });

  it("embeds videos as players and images lazily", () => {
    const id = "0b8c2f3a-1111-2222-3333-444455556666";
    expect(renderMarkdown(`![video: Changing the battery](/api/attachments/${id})`)).toContain(
      `<video controls playsinline preload="metadata" src="/api/attachments/${id}" aria-label="Changing the battery">`,
    );
    // A captured clip's poster frame travels in the address; an unsafe poster is dropped.
    const poster = "9d8c2f3a-1111-2222-3333-444455556666";
    const clip = renderMarkdown(`![video: Lift](/api/attachments/${id}#poster=/api/attachments/${poster})`);
    expect(clip).toContain(`src="/api/attachments/${id}" poster="/api/attachments/${poster}"`);
    expect(renderMarkdown(`![video: x](/api/attachments/${id}#poster=javascript:alert(1))`)).not.toContain("poster=");
    expect(extractAttachmentIds(`![video: x](/api/attachments/${id}#poster=/api/attachments/${poster})`)).toEqual([
      id,
      poster,
    ]);
    expect(renderMarkdown("![clip](https://cdn.example.com/a.MP4?x=1)")).toContain("<video");
    expect(renderMarkdown("![Dock](dock.png)")).toBe('<p><img src="dock.png" alt="Dock" loading="lazy"></p>\n');
    expect(extractAttachmentIds(`![a](/api/attachments/${id}) [b](/api/attachments/${id.toUpperCase()})`)).toEqual([
      id,
    ]);
  });

  it("marks external links and neutralises unsafe ones", () => {
    expect(renderMarkdown("[x](https://example.com)")).toContain('rel="noopener noreferrer nofollow" target="_blank"');
    expect(renderMarkdown("[x](/articles/1#a)")).toContain('<a href="/articles/1#a">x</a>');
    expect(renderMarkdown("[x](javascript:alert(1))")).toBe('<p><a href="#">x</a></p>\n');
    expect(isSafeLink("mailto:a@b.c")).toBe(true);
    expect(isSafeLink(" javascript:alert(1)")).toBe(false);
    expect(isSafeLink("//evil.example")).toBe(false);
  });

  it.each(XSS_PAYLOADS.map((p, i) => [i, p]))("payload %i produces no active content", (_i, payload) => {
    const html = renderMarkdown(payload as string);
    for (const a of attributes(html)) {
      expect(ALLOWED_TAGS.has(a.tag), `tag <${a.tag}>`).toBe(true);
      expect(ALLOWED_ATTRS.has(a.name), `attribute ${a.name}`).toBe(true);
      expect(a.name.startsWith("on")).toBe(false);
      if (a.name === "href" || a.name === "src" || a.name === "poster") {
        const v = a.value
          .replace(/&#(x?)([0-9a-f]+);/gi, (_m, x: string, n: string) => String.fromCharCode(parseInt(n, x ? 16 : 10)))
          .replace(/[\s\u0000-\u001f]/g, "")
          .toLowerCase();
        expect(v).not.toMatch(/^(javascript|vbscript|data|file):/);
      }
    }
    for (const t of html.matchAll(/<([a-zA-Z][\w-]*)/g))
      expect(ALLOWED_TAGS.has(t[1].toLowerCase()), `tag <${t[1]}>`).toBe(true);
  });
});

describe("the rendering memo", () => {
  it("gives the same HTML for a source seen before, and stays bounded", () => {
    const first = renderMarkdown("# Memo check\n\n**bold** and <script>alert(1)</script>");
    for (let i = 0; i < 5_100; i++) renderMarkdown(`Line ${i} with *emphasis*`);
    const size = renderedMemoSize();
    expect(size.entries).toBeLessThanOrEqual(5_000);
    expect(size.entries).toBeGreaterThan(4_000);
    // Evicted by now, rendered again: the same safe HTML.
    expect(renderMarkdown("# Memo check\n\n**bold** and <script>alert(1)</script>")).toBe(first);
    expect(first).not.toContain("<script");
    expect(renderMarkdown("Line 5099 with *emphasis*")).toBe("<p>Line 5099 with <em>emphasis</em></p>\n");
  });
});
