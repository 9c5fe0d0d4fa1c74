import MarkdownIt from "markdown-it";

/**
 * Markdown → sanitised HTML. Raw HTML is never passed through (html: false), so the only
 * markup in the output is what these rules produce; every URL that reaches an attribute is
 * checked against an allow-list of schemes.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

const SAFE_LINK = /^(https?:|mailto:)/i;
const SAFE_MEDIA = /^https?:/i;
const VIDEO_FILE = /\.(mp4|webm|mov)(\?[^#]*)?(#.*)?$/i;
const POSTER = /#poster=([^#\s]+)$/;
const ATTACHMENT = /\/api\/attachments\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/gi;

/** Scheme check on the URL as a browser would read it (control characters and whitespace removed). */
function schemeOf(url: string): string | null {
  const cleaned = url.replace(
    /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/g,
    "",
  );
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(cleaned);
  return m ? m[1].toLowerCase() + ":" : null;
}

function relative(url: string): boolean {
  return schemeOf(url) === null && !url.startsWith("//") && !url.startsWith("\\");
}

export function isSafeLink(url: string): boolean {
  const scheme = schemeOf(url);
  return scheme === null ? relative(url) : SAFE_LINK.test(scheme);
}

function isSafeMedia(url: string): boolean {
  const scheme = schemeOf(url);
  return scheme === null ? relative(url) : SAFE_MEDIA.test(scheme);
}

// Every link is parsed as a link, and its target checked when rendered (link_open, image):
// an unsafe target becomes "#" (links) or plain alt text (images), so the reader sees the
// label rather than the raw Markdown with the dangerous URL in it.
md.validateLink = () => true;

const escapeHtml = md.utils.escapeHtml;

function slug(text: string): string {
  return (
    text
      .normalize("NFKD")
      .replace(/\p{M}+/gu, "")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80) || "section"
  );
}

md.core.ruler.push("knowhow_headings_and_tasks", (state) => {
  const used = new Map<string, number>();
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === "heading_open") {
      const inline = tokens[i + 1];
      const base = slug(
        inline?.children
          ?.filter((c) => c.type === "text" || c.type === "code_inline")
          .map((c) => c.content)
          .join("") ?? "",
      );
      const n = used.get(base) ?? 0;
      used.set(base, n + 1);
      t.attrSet("id", n === 0 ? base : `${base}-${n}`);
    }
    // Task lists: "- [ ] item" / "- [x] item" become disabled checkboxes.
    if (t.type === "inline" && tokens[i - 1]?.type === "paragraph_open" && tokens[i - 2]?.type === "list_item_open") {
      const first = t.children?.[0];
      const m = first && first.type === "text" ? /^\[([ xX])\]\s+/.exec(first.content) : null;
      if (first && m) {
        first.content = first.content.slice(m[0].length);
        const box = new state.Token("html_inline", "", 0);
        box.content = `<input type="checkbox" disabled${m[1] === " " ? "" : " checked"}> `;
        t.children!.unshift(box);
        tokens[i - 2].attrJoin("class", "task-item");
      }
    }
  }
});

// Callouts, in GitHub's alert syntax: a quote opening with "[!NOTE]" (TIP, IMPORTANT, WARNING, CAUTION)
// becomes a titled box; other Markdown tools show it as the quote it is.
const CALLOUT = /^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(\n|$)/i;
md.core.ruler.push("knowhow_callouts", (state) => {
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].type !== "blockquote_open" || tokens[i + 1]?.type !== "paragraph_open") continue;
    const inline = tokens[i + 2];
    const first = inline?.children?.[0];
    const m = first && first.type === "text" ? CALLOUT.exec(inline.content) : null;
    if (!inline || !first || !m) continue;
    const kind = m[1].toLowerCase();
    // The marker ends the first line: drop it and the line break after it (or the whole paragraph).
    first.content = first.content.replace(/^\[![A-Za-z]+\][ \t]*/, "");
    if (inline.children![1]?.type === "softbreak" && first.content === "") inline.children!.splice(0, 2);
    else if (first.content === "") inline.children!.shift();
    const empty = !inline.children!.length;
    let depth = 0;
    for (let j = i; j < tokens.length; j++) {
      if (tokens[j].type === "blockquote_open") depth++;
      if (tokens[j].type === "blockquote_close" && --depth === 0) {
        tokens[j].tag = "div";
        break;
      }
    }
    const open = tokens[i];
    open.tag = "div";
    open.attrSet("class", `callout callout-${kind}`);
    open.attrSet("role", "note");
    const title = new state.Token("html_block", "", 0);
    title.content = `<p class="callout-title">${kind[0].toUpperCase()}${kind.slice(1)}</p>\n`;
    if (empty) tokens.splice(i + 1, 3, title);
    else tokens.splice(i + 1, 0, title);
  }
});

const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const t = tokens[idx];
  const href = String(t.attrGet("href") ?? "");
  if (!isSafeLink(href)) t.attrSet("href", "#");
  else if (/^https?:/i.test(schemeOf(href) ?? "")) {
    t.attrSet("rel", "noopener noreferrer nofollow");
    t.attrSet("target", "_blank");
  }
  return defaultLinkOpen(tokens, idx, options, env, self);
};

function altText(token: { children: { content: string }[] | null }): string {
  return (token.children ?? []).map((c) => c.content).join("");
}

md.renderer.rules.image = (tokens, idx) => {
  const t = tokens[idx];
  const src = String(t.attrGet("src") ?? "");
  const alt = altText(t);
  const rawTitle = t.attrGet("title");
  const title = rawTitle == null ? "" : String(rawTitle);
  if (!isSafeMedia(src)) return escapeHtml(alt);
  const isVideo = /^video:/i.test(alt) || VIDEO_FILE.test(src);
  if (isVideo) {
    const label = alt.replace(/^video:\s*/i, "") || "video";
    // A poster frame travels with the clip's address (`…#poster=/api/attachments/<id>`), so it
    // survives editing, export and import; other Markdown tools ignore the fragment.
    const poster = POSTER.exec(src);
    const file = poster ? src.slice(0, poster.index) : src;
    return (
      `<video controls playsinline preload="metadata" src="${escapeHtml(file)}"` +
      (poster && isSafeMedia(poster[1]) ? ` poster="${escapeHtml(poster[1])}"` : "") +
      ` aria-label="${escapeHtml(label)}"${title ? ` title="${escapeHtml(title)}"` : ""}>` +
      `<a href="${escapeHtml(file)}">${escapeHtml(label)}</a></video>`
    );
  }
  return `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}"${title ? ` title="${escapeHtml(title)}"` : ""} loading="lazy">`;
};

md.renderer.rules.fence = (tokens, idx) => {
  const t = tokens[idx];
  const lang =
    t.info
      .trim()
      .split(/\s+/)[0]
      ?.replace(/[^\w+#.-]/g, "") ?? "";
  return `<pre><code${lang ? ` class="language-${escapeHtml(lang)}"` : ""}>${escapeHtml(t.content)}</code></pre>\n`;
};

md.renderer.rules.table_open = () => '<div class="table-wrap"><table>\n';
md.renderer.rules.table_close = () => "</table></div>\n";

// Rendering is a pure function of the source (links and images are not resolved per reader), and
// it costs 0.3–0.6 ms for a typical article: a question with five answers renders six bodies on
// every view. The last results are kept, least recently used first out, bounded by count and by
// the characters held.
const RENDERED_MAX_ENTRIES = 5_000;
const RENDERED_MAX_CHARS = 16_000_000;
const rendered = new Map<string, string>();
let renderedChars = 0;

/** Renders Markdown to HTML that is safe to put into a page. */
export function renderMarkdown(source: string): string {
  const text = source ?? "";
  const hit = rendered.get(text);
  if (hit !== undefined) {
    rendered.delete(text);
    rendered.set(text, hit);
    return hit;
  }
  const html = md.render(text);
  const size = text.length + html.length;
  if (size <= RENDERED_MAX_CHARS / 100) {
    rendered.set(text, html);
    renderedChars += size;
    while (rendered.size > RENDERED_MAX_ENTRIES || renderedChars > RENDERED_MAX_CHARS) {
      const [oldText, oldHtml] = rendered.entries().next().value!;
      rendered.delete(oldText);
      renderedChars -= oldText.length + oldHtml.length;
    }
  }
  return html;
}

/** How much the rendering memo holds (tests). */
export function renderedMemoSize(): { entries: number; chars: number } {
  return { entries: rendered.size, chars: renderedChars };
}

/** Attachment ids referenced as /api/attachments/<uuid> anywhere in the Markdown. */
export function extractAttachmentIds(source: string): string[] {
  return [...new Set([...source.matchAll(ATTACHMENT)].map((m) => m[1].toLowerCase()))];
}
