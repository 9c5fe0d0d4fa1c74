import { useEffect, useState } from "react";

type Render = (source: string) => string;
let loaded: Render | null = null;
let loading: Promise<Render> | null = null;

/** markdown-it and the sanitising rules, fetched the first time a preview needs them (not in the first load). */
function loadMarkdown(): Promise<Render> {
  loading ??= import("../../src/domain/markdown/render").then((m) => (loaded = m.renderMarkdown));
  return loading;
}

/** The Markdown renderer for live previews: null until its chunk has arrived (fetched once `wanted`). */
export function useMarkdown(wanted = true): Render | null {
  const [render, setRender] = useState<Render | null>(() => loaded);
  useEffect(() => {
    if (!render && wanted) void loadMarkdown().then((r) => setRender(() => r));
  }, [render, wanted]);
  return render;
}
