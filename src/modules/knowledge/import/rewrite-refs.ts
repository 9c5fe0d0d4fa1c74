/**
 * Rewrites the targets of inline Markdown links and images. `replace` gets each target as
 * written and returns the new target, or null to keep it. Code spans and fenced code are left alone.
 */
export function rewriteRefs(markdown: string, replace: (ref: string, isImage: boolean) => string | null): string {
  const parts = markdown.split(/(```[\s\S]*?```|~~~[\s\S]*?~~~|`[^`\n]*`)/);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return part;
      return part.replace(
        /(!?)\[([^\]\n]*)\]\(\s*(<[^>\n]*>|[^)\s]+)(\s+"[^"\n]*")?\s*\)/g,
        (whole, bang: string, text: string, ref: string, title?: string) => {
          const bare = ref.startsWith("<") ? ref.slice(1, -1) : ref;
          const next = replace(bare, bang === "!");
          return next === null ? whole : `${bang}[${text}](${next}${title ?? ""})`;
        },
      );
    })
    .join("");
}

/** True for a reference to a local file (not a URL, an anchor or an absolute site path). */
export function isLocalRef(ref: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(ref) && !ref.startsWith("#") && !ref.startsWith("/") && !ref.startsWith("//");
}
