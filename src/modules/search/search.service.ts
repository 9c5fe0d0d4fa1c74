import { sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db";
import type { Actor } from "../../authz/policy";
import { visibleSpaces } from "../../authz/access";
import { SearchIndex } from "../../domain/search/search-index";
import { highlightTitle, makeSnippet, markdownToPlainText } from "../../domain/search/snippet";

export type SearchInput = { q: string; spaceId?: string; tag?: string; authorId?: string; limit: number; offset: number; prefix?: boolean };
export type SearchItem = {
  type: "article";
  id: string;
  title: string;
  titleHtml: string;
  snippet: string;
  spaceId: string;
  spaceName: string;
  tags: string[];
  owner: { id: string; name: string };
  updatedAt: string;
  score: number;
};
export type SearchOutput = {
  total: number;
  tookMs: number;
  items: SearchItem[];
  facets: { spaces: { id: string; name: string; count: number }[]; tags: { tag: string; count: number }[] };
};

export type SearchService = {
  size: () => number;
  /** Brings the in-memory index up to date with the database (cheap when nothing changed). */
  catchUp: () => Promise<void>;
  search: (actor: Actor, input: SearchInput) => Promise<SearchOutput>;
  index: SearchIndex;
};

type ChangeRow = {
  id: string;
  space_id: string;
  title: string;
  body: string;
  tags: string[];
  owner_id: string;
  updated_at: Date | string;
  searchable: boolean;
  search_seq: number;
};
type HitRow = { id: string; space_id: string; space_name: string; title: string; body: string; tags: string[]; owner_id: string; owner_name: string; updated_at: Date | string };

const BATCH = 2000;

/**
 * The app's search: an in-process BM25F index (src/domain/search) kept in step with the
 * database through the articles' search_seq, so every process, and every instance on one
 * PostgreSQL, sees every write before it answers. Results are scoped by the same
 * visibleSpaceIds() the pages use.
 */
export function createSearchService(db: Db): SearchService {
  const index = new SearchIndex();
  let lastSeq = 0;
  let running: Promise<void> | null = null;

  async function pull(): Promise<void> {
    for (;;) {
      const changes = await rows<ChangeRow>(
        db,
        sql`select id, space_id, title, body, tags, owner_id, updated_at, search_seq,
                   (deleted_at is null and status = 'published') as searchable
            from articles where search_seq > ${lastSeq} order by search_seq limit ${BATCH}`,
      );
      for (const c of changes) {
        if (c.searchable) {
          index.upsert({
            id: c.id,
            title: c.title,
            body: markdownToPlainText(c.body),
            tags: c.tags,
            spaceId: c.space_id,
            authorId: c.owner_id,
            updatedAt: new Date(c.updated_at).getTime(),
          });
        } else if (index.has(c.id)) index.remove(c.id);
        lastSeq = Math.max(lastSeq, Number(c.search_seq));
      }
      if (changes.length < BATCH) return;
    }
  }

  const catchUp = () => {
    running ??= pull().finally(() => {
      running = null;
    });
    return running;
  };

  async function hydrate(ids: string[]): Promise<Map<string, HitRow>> {
    if (ids.length === 0) return new Map();
    const found = await rows<HitRow>(
      db,
      sql`select a.id, a.space_id, s.name as space_name, a.title, a.body, a.tags, a.owner_id, o.name as owner_name, a.updated_at
          from articles a join spaces s on s.id = a.space_id join users o on o.id = a.owner_id
          where a.id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)}) and a.deleted_at is null and a.status = 'published'`,
    );
    return new Map(found.map((r) => [r.id, r]));
  }

  async function search(actor: Actor, input: SearchInput): Promise<SearchOutput> {
    const started = performance.now();
    await catchUp();
    const visible = await visibleSpaces(db, actor);
    const spaceIds = new Set(visible.keys());
    const result = index.search(input.q, {
      limit: input.limit,
      offset: input.offset,
      spaceIds,
      spaceId: input.spaceId,
      tag: input.tag?.toLowerCase(),
      authorId: input.authorId,
      prefix: input.prefix,
    });
    const found = await hydrate(result.hits.map((h) => h.id));
    const items: SearchItem[] = [];
    for (const hit of result.hits) {
      const r = found.get(hit.id);
      // A row that vanished or moved out of sight since the index saw it is skipped, never shown.
      if (!r || !spaceIds.has(r.space_id)) continue;
      items.push({
        type: "article",
        id: r.id,
        title: r.title,
        titleHtml: highlightTitle(r.title, result.terms),
        snippet: makeSnippet(markdownToPlainText(r.body), result.terms, 240),
        spaceId: r.space_id,
        spaceName: r.space_name,
        tags: r.tags,
        owner: { id: r.owner_id, name: r.owner_name },
        updatedAt: new Date(r.updated_at).toISOString(),
        score: hit.score,
      });
    }
    const facets = {
      spaces: [...result.facets.spaces].map(([id, count]) => ({ id, name: visible.get(id) ?? "", count })).sort((a, b) => b.count - a.count),
      tags: [...result.facets.tags].map(([tag, count]) => ({ tag, count })).sort((a, b) => b.count - a.count).slice(0, 30),
    };
    return { total: result.total, tookMs: Math.round((performance.now() - started) * 10) / 10, items, facets };
  }

  return { size: () => index.size, catchUp, search, index };
}
