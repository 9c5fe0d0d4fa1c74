import { useEffect, useState } from "react";
import { VerificationBadge } from "./verification";
import { Link, useSearchParams } from "react-router";
import { call, hitPath, routes } from "../api";
import { Empty, ErrorBox, Loading, Tags, ago, plural, useLoad } from "../util";

const PAGE = 20;

export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const spaceId = params.get("spaceId") ?? "";
  const tag = params.get("tag") ?? "";
  const authorId = params.get("authorId") ?? "";
  const offset = Number(params.get("offset") ?? 0) || 0;
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const result = useLoad(
    () =>
      call(routes.search.getSearch, {
        query: {
          q,
          limit: String(PAGE),
          offset: String(offset),
          ...(spaceId ? { spaceId } : {}),
          ...(tag ? { tag } : {}),
          ...(authorId ? { authorId } : {}),
        },
      }),
    [q, spaceId, tag, authorId, offset],
  );
  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!("offset" in changes)) next.delete("offset");
    setParams(next);
  };
  const r = result.data;
  const authorName = r?.items.find((i) => i.owner.id === authorId)?.owner.name;
  return (
    <div className="page">
      <h1>Search</h1>
      <form
        className="search-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          set({ q: text });
        }}
      >
        <input
          type="search"
          aria-label="Search text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="Describe what you are looking for"
        />
        <button className="primary">Search</button>
      </form>
      <div className="filters">
        {spaceId && (
          <button className="chip on" onClick={() => set({ spaceId: "" })}>
            Space: {r?.facets.spaces.find((s) => s.id === spaceId)?.name ?? "selected"} ×
          </button>
        )}
        {tag && (
          <button className="chip on" onClick={() => set({ tag: "" })}>
            #{tag} ×
          </button>
        )}
        {authorId && (
          <button className="chip on" onClick={() => set({ authorId: "" })}>
            Author: {authorName ?? "selected"} ×
          </button>
        )}
      </div>
      <div className="search-layout">
        <aside className="facets" aria-label="Filters">
          <h2>Spaces</h2>
          {r?.facets.spaces.map((s) => (
            <button
              key={s.id}
              className={`facet${s.id === spaceId ? " on" : ""}`}
              onClick={() => set({ spaceId: s.id === spaceId ? "" : s.id })}
            >
              {s.name} <span>{s.count}</span>
            </button>
          ))}
          <h2>Tags</h2>
          {r?.facets.tags.slice(0, 15).map((t) => (
            <button
              key={t.tag}
              className={`facet${t.tag === tag ? " on" : ""}`}
              onClick={() => set({ tag: t.tag === tag ? "" : t.tag })}
            >
              #{t.tag} <span>{t.count}</span>
            </button>
          ))}
        </aside>
        <section className="results">
          {result.loading && <Loading label="Searching…" />}
          <ErrorBox error={result.error} />
          {r && (
            <p className="muted" role="status">
              {q ? `${plural(r.total, "result")} for “${q}”` : plural(r.total, "article")} · {r.tookMs} ms
            </p>
          )}
          {r && r.items.length === 0 && <Empty>Nothing matches. Try other words, or remove a filter.</Empty>}
          <ul className="article-list">
            {r?.items.map((it) => (
              <li key={it.id}>
                <Link to={hitPath(it)} className="a-title" dangerouslySetInnerHTML={{ __html: it.titleHtml }} />
                {it.type === "question" && <span className="badge">Answered question</span>}{" "}
                {it.verification && <VerificationBadge v={it.verification} />}
                <div className="a-excerpt" dangerouslySetInnerHTML={{ __html: it.snippet }} />
                <div className="a-meta">
                  <span>{it.spaceName}</span> ·{" "}
                  <button className="link-button" onClick={() => set({ authorId: it.owner.id })}>
                    {it.owner.name}
                  </button>{" "}
                  · updated {ago(it.updatedAt)} <Tags tags={it.tags} />
                </div>
              </li>
            ))}
          </ul>
          {r && r.total > PAGE && (
            <div className="pager">
              <button disabled={offset === 0} onClick={() => set({ offset: String(Math.max(0, offset - PAGE)) })}>
                Previous
              </button>
              <span>
                {offset + 1}–{Math.min(offset + PAGE, r.total)} of {r.total}
              </span>
              <button disabled={offset + PAGE >= r.total} onClick={() => set({ offset: String(offset + PAGE) })}>
                Next
              </button>
            </div>
          )}
        </section>
      </div>
    </div>
  );
}
