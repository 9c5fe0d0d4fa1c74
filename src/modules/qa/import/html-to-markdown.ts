const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  hellip: "…",
  mdash: "—",
  ndash: "–",
  rsquo: "’",
  lsquo: "‘",
  rdquo: "”",
  ldquo: "“",
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : "";
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/**
 * Stack Exchange post HTML → Markdown (the app renders Markdown with raw HTML off, so HTML
 * must not be stored as is). Covers what SE produces: paragraphs, code blocks and spans,
 * links, images, emphasis, lists, headings, quotes, line breaks.
 */
export function htmlToMarkdown(html: string): string {
  const blocks: string[] = [];
  // Code blocks first, protected from the other rules.
  let s = html.replace(/<pre[^>]*>\s*<code[^>]*>([\s\S]*?)<\/code>\s*<\/pre>/gi, (_m, code: string) => {
    blocks.push("```\n" + decodeEntities(code).replace(/\n+$/, "") + "\n```");
    return `\u0000${blocks.length - 1}\u0000`;
  });
  s = s
    .replace(/<code>([\s\S]*?)<\/code>/gi, (_m, c: string) => "`" + decodeEntities(c).replace(/`/g, "'") + "`")
    .replace(
      /<img[^>]*src="([^"]*)"[^>]*?(?:alt="([^"]*)")?[^>]*>/gi,
      (_m, src: string, alt?: string) => `![${alt ?? ""}](${src})`,
    )
    .replace(
      /<a[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi,
      (_m, href: string, text: string) => `[${text.replace(/<[^>]+>/g, "")}](${href})`,
    )
    .replace(/<(strong|b)>([\s\S]*?)<\/\1>/gi, "**$2**")
    .replace(/<(em|i)>([\s\S]*?)<\/\1>/gi, "*$2*")
    .replace(
      /<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/gi,
      (_m, n: string, t: string) => `\n\n${"#".repeat(Number(n))} ${t}\n\n`,
    )
    .replace(
      /<blockquote[^>]*>([\s\S]*?)<\/blockquote>/gi,
      (_m, t: string) =>
        "\n\n" +
        t
          .replace(/<\/?p[^>]*>/gi, "\n")
          .trim()
          .split("\n")
          .map((l) => `> ${l}`)
          .join("\n") +
        "\n\n",
    )
    .replace(/<li[^>]*>([\s\S]*?)<\/li>/gi, (_m, t: string) => `\n- ${t.replace(/<\/?p[^>]*>/gi, " ").trim()}`)
    .replace(/<\/?(ul|ol)[^>]*>/gi, "\n")
    .replace(/<br\s*\/?>/gi, "  \n")
    .replace(/<hr\s*\/?>/gi, "\n\n---\n\n")
    .replace(/<\/?p[^>]*>/gi, "\n\n")
    .replace(/<[^>]+>/g, "");
  s = decodeEntities(s)
    .replace(/\u0000(\d+)\u0000/g, (_m, i: string) => `\n\n${blocks[Number(i)]}\n\n`)
    .replace(/[ \t]+\n/g, (m) => (m.startsWith("  ") ? "  \n" : "\n"))
    .replace(/\n{3,}/g, "\n\n");
  return s.trim();
}
