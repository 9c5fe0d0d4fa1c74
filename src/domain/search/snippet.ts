import { tokenizeForHighlight } from "./analyze";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * Markdown → the plain text a reader sees: code keeps its text, links keep their label,
 * images and HTML tags go, emphasis and heading markers go.
 */
export function markdownToPlainText(md: string): string {
  return md
    .replace(/\r\n?/g, "\n")
    .replace(/^\s*(```|~~~)[^\n]*$/gm, " ")
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, " ")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, "$1")
    .replace(/^\s{0,3}\[[^\]]+\]:\s*\S+.*$/gm, " ")
    .replace(/<\/?[a-zA-Z][^>]*>/g, " ")
    .replace(/^\s{0,3}#{1,6}\s+/gm, "")
    .replace(/^\s{0,3}>\s?/gm, "")
    .replace(/^\s*[-*+]\s+\[[ xX]\]\s+/gm, "")
    .replace(/^\s*([-*+]|\d+[.)])\s+/gm, "")
    .replace(/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/gm, " ")
    .replace(/\|/g, " ")
    .replace(/(\*\*|__|~~|`)/g, "")
    .replace(/(^|[\s(])[*_]([^*_\n]+)[*_](?=[\s).,;:!?]|$)/g, "$1$2")
    .replace(/[ \t]+/g, " ")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function highlight(text: string, terms: ReadonlySet<string>, from = 0, to = text.length): string {
  let out = "";
  let at = from;
  for (const tok of tokenizeForHighlight(text.slice(from, to))) {
    const start = from + tok.start;
    const end = from + tok.end;
    if (tok.term && terms.has(tok.term)) {
      out += escapeHtml(text.slice(at, start)) + "<mark>" + escapeHtml(text.slice(start, end)) + "</mark>";
      at = end;
    }
  }
  return out + escapeHtml(text.slice(at, to));
}

/** The title as HTML: escaped, with the query's terms in <mark>. */
export function highlightTitle(title: string, terms: string[]): string {
  return highlight(title, new Set(terms));
}

/**
 * The best window of `plain` for the query (the most distinct terms, then the most matches),
 * escaped, matches in <mark>, "…" where cut.
 */
export function makeSnippet(plain: string, terms: string[], maxLen: number): string {
  const text = plain.replace(/\s+/g, " ").trim();
  if (text.length <= maxLen) return highlight(text, new Set(terms));
  const wanted = new Set(terms);
  const tokens = tokenizeForHighlight(text).filter((t) => t.term !== null && wanted.has(t.term));
  let bestStart = 0;
  let bestKey = -1;
  // Slide over match positions: each window starts a little before a match.
  for (let i = 0; i < tokens.length; i++) {
    const start = Math.max(0, tokens[i].start - 30);
    const end = start + maxLen;
    const distinct = new Set<string>();
    let hits = 0;
    for (let j = i; j < tokens.length && tokens[j].end <= end; j++) {
      distinct.add(tokens[j].term!);
      hits++;
    }
    const key = distinct.size * 1000 + hits;
    if (key > bestKey) {
      bestKey = key;
      bestStart = start;
    }
  }
  let start = bestStart;
  let end = Math.min(text.length, start + maxLen);
  if (end === text.length) start = Math.max(0, end - maxLen);
  // Cut at word boundaries.
  if (start > 0) {
    const space = text.indexOf(" ", start);
    if (space >= 0 && space - start < 20) start = space + 1;
  }
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end);
    if (space > start && end - space < 20) end = space;
  }
  return (start > 0 ? "… " : "") + highlight(text, wanted, start, end) + (end < text.length ? " …" : "");
}
