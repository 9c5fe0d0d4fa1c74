import { sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db";
import type { Actor } from "../../authz/policy";
import { ORG_AUDIENCE, readableAudiences } from "../../authz/audience";
import { SearchIndex } from "../../domain/search/search-index";
import { readSnapshot, writeSnapshot } from "./search-snapshot";
import { highlightTitle, makeSnippet, markdownToPlainText } from "../../domain/search/snippet";
import { rankFactor, verificationState, type VerificationState } from "../../domain/verification/rules";

function verificationOf(r: HitRow, now: Date): SearchItem["verification"] {
  if (!r.v_until) return null;
  const until = new Date(r.v_until);
  const superseded = r.v_superseded === true;
  return {
    state: superseded ? "expired" : verificationState(until, r.v_interval ?? 180, now),
    verifiedAt: r.v_at ? new Date(r.v_at).toISOString() : null,
    verifiedBy: r.v_by,
    verifiedUntil: until.toISOString(),
    superseded,
  };
}

type SearchInput = {
  q: string;
  spaceId?: string;
  tag?: string;
  authorId?: string;
  limit: number;
  offset: number;
  prefix?: boolean;
};
/** The whole organisation's audience: questions and lessons asked or shared with everyone. */
const ORG_SPACE = ORG_AUDIENCE;

type SearchItem = {
  type: "article" | "question" | "lesson";
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
  /** "verified by Ana 12 days ago", "expired"… (null: nothing to verify, e.g. no accepted answer yet). */
  verification: {
    state: VerificationState;
    verifiedAt: string | null;
    verifiedBy: string | null;
    verifiedUntil: string;
    superseded: boolean;
  } | null;
};
type SearchOutput = {
  total: number;
  tookMs: number;
  items: SearchItem[];
  facets: { spaces: { id: string; name: string; count: number }[]; tags: { tag: string; count: number }[] };
};

export type SearchService = {
  size: () => number;
  /** Where snapshot messages go (the server's log). */
  setLog: (log: (message: string) => void) => void;
  /** Where the index came from when this process started (and, for a snapshot, why one was refused). */
  startedFrom: () => { from: "snapshot" | "database"; refused?: string };
  /** Brings the in-memory index up to date with the database (cheap when nothing changed). */
  catchUp: () => Promise<void>;
  search: (actor: Actor, input: SearchInput) => Promise<SearchOutput>;
  index: SearchIndex;
};

type ChangeRow = {
  type: "article" | "question" | "lesson";
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
type HitRow = {
  id: string;
  space_id: string;
  space_name: string;
  title: string;
  body: string;
  tags: string[];
  owner_id: string;
  owner_name: string;
  updated_at: Date | string;
  // Verification of the article, or of the question's accepted answer (null: nothing to verify).
  v_until: Date | string | null;
  v_interval: number | null;
  v_at: Date | string | null;
  v_by: string | null;
  v_superseded: boolean | null;
};

const BATCH = 2000;
/** After loading a snapshot, these last sequence numbers are read again: a write that took its
 * number before the snapshot but committed after it is not missed. */
const SNAPSHOT_REREAD = 1000;

export type SearchSnapshotOptions = {
  /** The snapshot file (DATA_DIR/search/index.snapshot); none: always built from the database. */
  file: string;
  /** Written again after this many indexed changes (default 5,000). */
  every?: number;
  /** An index built from the database is written once it holds this many documents (default 1,000). */
  minDocs?: number;
  /** Told when a snapshot is written or refused (for the log). */
  log?: (message: string) => void;
};

/** Which database this is: a snapshot of another one is never used. */
async function databaseIdentity(db: Db): Promise<string> {
  const [r] = await rows<{ d: string; o: string; s: string | null }>(
    db,
    sql`select current_database() as d, (select oid from pg_database where datname = current_database())::text as o,
               (select system_identifier from pg_control_system())::text as s`,
  ).catch(() =>
    rows<{ d: string; o: string; s: string | null }>(
      db,
      sql`select current_database() as d, (select oid from pg_database where datname = current_database())::text as o, null as s`,
    ),
  );
  return `${r.d}:${r.o}:${r.s ?? ""}`;
}

/**
 * The app's search: an in-process BM25F index (src/domain/search) kept in step with the
 * database through the articles' search_seq, so every process, and every instance on one
 * PostgreSQL, sees every write before it answers. Results are scoped by the audiences the actor
 * may read (readableAudiences, the same rule as every list).
 */
export function createSearchService(
  db: Db,
  clock: () => Date = () => new Date(),
  snapshotOptions?: SearchSnapshotOptions,
): SearchService {
  const snapshot = snapshotOptions ? { ...snapshotOptions } : undefined;
  let index = new SearchIndex();
  let lastSeq = 0;
  let running: Promise<void> | null = null;
  let started: { from: "snapshot" | "database"; refused?: string } | null = null;
  let identity = "";
  /** Changes indexed since the snapshot on disk (or since start when there is none). */
  let unsaved = 0;
  let onDisk = false;

  /** The first catch-up of the process: from the snapshot when there is a valid one. */
  async function start(): Promise<void> {
    if (!snapshot) return void (started = { from: "database" });
    identity = await databaseIdentity(db);
    try {
      const { meta, index: loaded } = await readSnapshot(snapshot.file);
      const [seq] = await rows<{ n: string }>(db, sql`select last_value::text as n from search_seq`);
      if (meta.database !== identity) throw new Error("it was taken from another database");
      if (meta.seq > Number(seq.n)) throw new Error("it is newer than the database (restored from a backup?)");
      index = loaded;
      lastSeq = Math.max(0, meta.seq - SNAPSHOT_REREAD);
      onDisk = true;
      started = { from: "snapshot" };
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "none yet" : (err as Error).message;
      started = { from: "database", refused: reason };
      if (reason !== "none yet") snapshot.log?.(`search snapshot not used (${reason}): rebuilding from the database`);
    }
  }

  async function saveIfDue(): Promise<void> {
    if (!snapshot || !unsaved) return;
    const due = onDisk ? unsaved >= (snapshot.every ?? 5000) : index.size >= (snapshot.minDocs ?? 1000);
    if (!due) return;
    const t0 = performance.now();
    const bytes = await writeSnapshot(snapshot.file, index, { database: identity, seq: lastSeq });
    unsaved = 0;
    onDisk = true;
    snapshot.log?.(
      `search snapshot written: ${index.size} documents, ${(bytes / 1e6).toFixed(1)} MB in ${Math.round(performance.now() - t0)} ms`,
    );
  }

  async function pull(): Promise<void> {
    if (!started) await start();
    await pullChanges();
    // Written inside the catch-up turn: nothing changes the index while it is saved.
    await saveIfDue().catch((err: Error) => snapshot?.log?.(`search snapshot not written: ${err.message}`));
  }

  async function pullChanges(): Promise<void> {
    for (;;) {
      // Articles and answered questions share one sequence: every write to either moves it on.
      const changes = await rows<ChangeRow>(
        db,
        sql`select * from (
              select 'article' as type, id, audience_id as space_id, title, body, tags, owner_id::text as owner_id, updated_at, search_seq,
                     (deleted_at is null and status = 'published') as searchable
              from articles where search_seq > ${lastSeq}
              union all
              select 'question' as type, q.id, q.audience_id, q.title,
                     q.body || E'\n\n' || coalesce((select string_agg(a.body, E'\n\n' order by a.score desc) from answers a where a.question_id = q.id and a.deleted_at is null), ''),
                     q.tags, q.author_id::text, q.last_activity_at, q.search_seq,
                     (q.deleted_at is null and q.answer_count > 0) as searchable
              from questions q where q.search_seq > ${lastSeq}
              union all
              -- Lessons learned; an anonymous one is indexed without its author, so no author filter can reveal it.
              select 'lesson' as type, l.id, l.audience_id, l.title,
                     concat_ws(E'\n\n', l.what_happened, l.impact, l.learned, l.instead),
                     l.tags, case when l.anonymous then '' else l.author_id::text end, l.updated_at, l.search_seq,
                     (l.deleted_at is null) as searchable
              from lessons l where l.search_seq > ${lastSeq}
            ) changes order by search_seq limit ${BATCH}`,
      );
      for (const c of changes) {
        const key = c.type === "question" ? `q:${c.id}` : c.type === "lesson" ? `l:${c.id}` : c.id;
        if (c.searchable) {
          index.upsert({
            id: key,
            title: c.title,
            body: markdownToPlainText(c.body),
            tags: c.tags,
            // Scoped by audience: a space, the whole organisation, or any later kind of container.
            spaceId: c.space_id,
            authorId: c.owner_id,
            updatedAt: new Date(c.updated_at).getTime(),
          });
        } else if (index.has(key)) index.remove(key);
        lastSeq = Math.max(lastSeq, Number(c.search_seq));
        unsaved++;
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

  /** Loads the hits' current rows, keyed like the index (questions as "q:<id>"). */
  async function hydrate(keys: string[]): Promise<Map<string, HitRow & { type: SearchItem["type"] }>> {
    const out = new Map<string, HitRow & { type: SearchItem["type"] }>();
    const articleIds = keys.filter((k) => !k.startsWith("q:") && !k.startsWith("l:"));
    const lessonIds = keys.filter((k) => k.startsWith("l:")).map((k) => k.slice(2));
    if (lessonIds.length) {
      const found = await rows<HitRow>(
        db,
        sql`select l.id, coalesce(l.space_id::text, ${ORG_SPACE}) as space_id, coalesce(s.name, 'Lessons learned') as space_name, l.title,
                   concat_ws(E'\n\n', l.what_happened, l.learned, l.instead) as body, l.tags,
                   case when l.anonymous then '' else l.author_id::text end as owner_id, case when l.anonymous then 'Anonymous' else u.name end as owner_name,
                   l.updated_at, null as v_until, null as v_interval, null as v_at, null as v_by, null as v_superseded
            from lessons l left join spaces s on s.id = l.space_id join users u on u.id = l.author_id
            where l.id in (${sql.join(
              lessonIds.map((id) => sql`${id}`),
              sql`, `,
            )}) and l.deleted_at is null`,
      );
      for (const r of found) out.set(`l:${r.id}`, { ...r, type: "lesson" });
    }
    const questionIds = keys.filter((k) => k.startsWith("q:")).map((k) => k.slice(2));
    if (articleIds.length) {
      const found = await rows<HitRow>(
        db,
        sql`select a.id, a.space_id, s.name as space_name, a.title, a.body, a.tags, a.owner_id, o.name as owner_name, a.updated_at,
                   coalesce(v.verified_until, a.updated_at + interval '180 days') as v_until, coalesce(v.interval_days, 180) as v_interval,
                   v.verified_at as v_at, vb.name as v_by, v.superseded_by_id is not null as v_superseded
            from articles a join spaces s on s.id = a.space_id join users o on o.id = a.owner_id
            left join verifications v on v.subject_type = 'article' and v.subject_id = a.id left join users vb on vb.id = v.verified_by
            where a.id in (${sql.join(
              articleIds.map((id) => sql`${id}`),
              sql`, `,
            )}) and a.deleted_at is null and a.status = 'published'`,
      );
      for (const r of found) out.set(r.id, { ...r, type: "article" });
    }
    if (questionIds.length) {
      const found = await rows<HitRow>(
        db,
        sql`select q.id, q.audience_id::text as space_id, coalesce(s.name, c.name, 'Questions to everyone') as space_name, q.title,
                   q.body || E'\n\n' || coalesce((select a.body from answers a where a.question_id = q.id and a.deleted_at is null order by (a.id = q.accepted_answer_id) desc, a.score desc limit 1), '') as body,
                   q.tags, q.author_id as owner_id, o.name as owner_name, q.last_activity_at as updated_at,
                   case when acc.id is not null then coalesce(v.verified_until, acc.created_at + interval '180 days') end as v_until, coalesce(v.interval_days, 180) as v_interval,
                   v.verified_at as v_at, vb.name as v_by, v.superseded_by_id is not null as v_superseded
            from questions q left join spaces s on s.id = q.space_id left join communities c on c.id = q.community_id
            join users o on o.id = q.author_id
            left join answers acc on acc.id = q.accepted_answer_id and acc.deleted_at is null
            left join verifications v on v.subject_type = 'answer' and v.subject_id = acc.id left join users vb on vb.id = v.verified_by
            where q.id in (${sql.join(
              questionIds.map((id) => sql`${id}`),
              sql`, `,
            )}) and q.deleted_at is null and q.answer_count > 0`,
      );
      for (const r of found) out.set(`q:${r.id}`, { ...r, type: "question" });
    }
    return out;
  }

  async function search(actor: Actor, input: SearchInput): Promise<SearchOutput> {
    const started = performance.now();
    await catchUp();
    const visible = await readableAudiences(db, actor);
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
    const now = clock();
    const items: SearchItem[] = [];
    for (const hit of result.hits) {
      const r = found.get(hit.id);
      // A row that vanished or moved out of sight since the index saw it is skipped, never shown.
      if (!r || !spaceIds.has(r.space_id)) continue;
      items.push({
        type: r.type,
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
        verification: verificationOf(r, now),
      });
    }
    // Expired knowledge ranks below verified knowledge of equal relevance (a gentle factor).
    items.sort(
      (a, b) =>
        b.score * rankFactor(b.verification?.state ?? "verified") -
        a.score * rankFactor(a.verification?.state ?? "verified"),
    );
    const facets = {
      spaces: [...result.facets.spaces]
        .map(([id, count]) => ({ id, name: visible.get(id) ?? "", count }))
        .sort((a, b) => b.count - a.count),
      tags: [...result.facets.tags]
        .map(([tag, count]) => ({ tag, count }))
        .sort((a, b) => b.count - a.count)
        .slice(0, 30),
    };
    return { total: result.total, tookMs: Math.round((performance.now() - started) * 10) / 10, items, facets };
  }

  return {
    size: () => index.size,
    setLog: (log) => {
      if (snapshot) snapshot.log = log;
    },
    startedFrom: () => started ?? { from: "database" },
    catchUp,
    search,
    get index() {
      return index;
    },
  };
}
