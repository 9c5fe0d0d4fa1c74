// Comments on a passage of an article keep the quoted text with a little context before and after
// (the W3C Web Annotation "text quote selector"), not offsets: offsets break at the first edit
// elsewhere, a quote survives every edit that leaves the passage itself alone. Pure, shared with
// the web app, which finds the same passage in the rendered page (its text content).

/** The longest passage a comment may quote, and the most context kept on either side of it. */
export const MAX_QUOTE = 1000;
export const MAX_CONTEXT = 200;

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** Whitespace as a reader's selection sees it: runs of spaces, tabs and line breaks count as one space. */
export function normaliseText(text: string): string {
  return text.replace(/[\s\u00a0]+/g, " ").trim();
}

/** The visible text of sanitised HTML (what a browser's `textContent` gives), whitespace normalised. */
export function visibleText(html: string): string {
  const text = html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, "")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === "#") {
        const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    });
  return normaliseText(text);
}

export type Anchor = { quote: string; prefix: string; suffix: string };

/** How many characters at the end of `a` and the start of `b` agree (context scoring). */
function commonSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}
function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * Where the anchor's quote is in `text` (normalised), or -1 when the passage is no longer there. When
 * the quote occurs more than once, the occurrence whose surroundings best match the prefix and suffix wins.
 */
export function locateAnchor(text: string, anchor: Anchor): number {
  const quote = normaliseText(anchor.quote);
  if (!quote) return -1;
  const prefix = normaliseText(anchor.prefix);
  const suffix = normaliseText(anchor.suffix);
  let best = -1;
  let bestScore = -1;
  for (let at = text.indexOf(quote); at >= 0; at = text.indexOf(quote, at + 1)) {
    const before = text.slice(Math.max(0, at - prefix.length - 1), at).trimEnd();
    const after = text.slice(at + quote.length, at + quote.length + suffix.length + 1).trimStart();
    const score = commonSuffix(before, prefix) + commonPrefix(after, suffix);
    if (score > bestScore) {
      best = at;
      bestScore = score;
    }
  }
  return best;
}
