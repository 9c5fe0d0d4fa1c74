import { analyze, surfaceWords, termOf } from "./analyze";
import { withinDistance } from "./edit-distance";

export type IndexDoc = {
  id: string;
  title: string;
  body: string;
  tags: string[];
  spaceId: string;
  authorId: string;
  updatedAt: number;
};

type SearchOptions = {
  limit: number;
  offset: number;
  /** The spaces the reader may see; documents elsewhere are neither scored nor counted. */
  spaceIds?: ReadonlySet<string>;
  spaceId?: string;
  tag?: string;
  authorId?: string;
  /** Treat the last word as a prefix (search as you type). */
  prefix?: boolean;
  /** Expand unknown words to close spellings (default on). */
  fuzzy?: boolean;
};

type SearchHit = { id: string; score: number };
type SearchResult = {
  total: number;
  hits: SearchHit[];
  /** Index terms the query matched (its own and their expansions), for highlighting. */
  terms: string[];
  facets: { spaces: Map<string, number>; tags: Map<string, number> };
};

// Fields: 0 title, 1 tags, 2 body. BM25F: per-field weight and length normalisation, one
// saturation over the combined term frequency.
const FIELD_WEIGHT = [3, 2, 1];
const FIELD_B = [0.5, 0.3, 0.75];
const K1 = 1.2;
/** Query terms kept, highest IDF first: a pasted page must not cost more than a sentence. */
const MAX_QUERY_TERMS = 48;
const MAX_QUERY_WORDS = 4000;
const LONG_QUERY_TERMS = 12;
const COMMON_SHARE = 0.2;
const MAX_PREFIX_EXPANSIONS = 40;
const MAX_FUZZY_EXPANSIONS = 6;

/** One term's postings over all fields: doc number and the term's count in title, tags and body. */
class Postings {
  ids = new Int32Array(4);
  title = new Uint8Array(4);
  tags = new Uint8Array(4);
  body = new Uint16Array(4);
  n = 0;
  push(doc: number, title: number, tags: number, body: number): void {
    if (this.n === this.ids.length) {
      const grow = <T extends Int32Array | Uint8Array | Uint16Array>(a: T, make: (n: number) => T): T => {
        const b = make(Math.max(4, this.n * 2));
        b.set(a);
        return b;
      };
      this.ids = grow(this.ids, (k) => new Int32Array(k));
      this.title = grow(this.title, (k) => new Uint8Array(k));
      this.tags = grow(this.tags, (k) => new Uint8Array(k));
      this.body = grow(this.body, (k) => new Uint16Array(k));
    }
    this.ids[this.n] = doc;
    this.title[this.n] = Math.min(title, 255);
    this.tags[this.n] = Math.min(tags, 255);
    this.body[this.n] = Math.min(body, 65535);
    this.n++;
  }
  bytes(): number {
    return this.ids.byteLength + this.title.byteLength + this.tags.byteLength + this.body.byteLength;
  }
}

function growF32(a: Float32Array<ArrayBuffer>, need: number): Float32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Float32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}
function growI32(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}
function growU8(a: Uint8Array<ArrayBuffer>, need: number): Uint8Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Uint8Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** Interns strings (spaces, authors, tags) to small integers. */
class Interner {
  private ids = new Map<string, number>();
  readonly values: string[] = [];
  get(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }
  find(value: string): number | undefined {
    return this.ids.get(value);
  }
}

type QueryTerm = { term: number; weight: number; idf: number };

/** The index's state for a snapshot file: what is not binary, and the binary sections in order. */
export type IndexState = {
  meta: {
    docs: number;
    terms: number;
    termText: string[];
    extIds: string[];
    spaces: string[];
    authors: string[];
    tags: string[];
    lenSum: number[];
    live: number;
    dead: number;
  };
  /** df, alive, space, author, updated, 3 lens, tag offsets, tag values, posting offsets, ids, title, tags, body. */
  sections: (Int32Array | Uint8Array | Uint16Array | Float32Array | Float64Array)[];
};

/** The sections' element types, in order (a reader makes its views with these). */
export const INDEX_SECTION_TYPES = [
  Int32Array,
  Uint8Array,
  Int32Array,
  Int32Array,
  Float64Array,
  Float32Array,
  Float32Array,
  Float32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Uint8Array,
  Uint8Array,
  Uint16Array,
] as const;

/**
 * An in-memory inverted index with BM25F ranking, typo tolerance and prefix search. Documents
 * get dense internal numbers; a removed document is marked dead and its postings are dropped
 * at the next compaction, which also renumbers.
 */
export class SearchIndex {
  private vocab = new Map<string, number>();
  private termText: string[] = [];
  private postings: Postings[] = [];
  private df = new Int32Array(1024);
  private sortedTerms: string[] | null = null;

  private extIds: string[] = [];
  private byExt = new Map<string, number>();
  private alive = new Uint8Array(1024);
  private space = new Int32Array(1024);
  private author = new Int32Array(1024);
  private updated = new Float64Array(1024);
  private docTags: Int32Array[] = [];
  private lens = [new Float32Array(1024), new Float32Array(1024), new Float32Array(1024)];
  private lenSum = [0, 0, 0];
  private live = 0;
  private dead = 0;

  private spaces = new Interner();
  private authors = new Interner();
  private tags = new Interner();

  // Scratch buffers reused by every query.
  private acc = new Float32Array(1024);
  private stampDoc = new Int32Array(1024);
  private touched = new Int32Array(1024);
  private stamp = 0;
  private normTitle = new Float32Array(0);
  private normTags = new Float32Array(0);
  private normBody = new Float32Array(0);
  private normsFor = -1;

  get size(): number {
    return this.live;
  }

  /**
   * The whole state, for a snapshot: per-document arrays are views of the live ones (no copy);
   * postings and document tags are yielded term by term (and document by document), so a writer
   * can stream them without holding a second copy of the index. Nothing may change the index
   * until the writer is done.
   */
  exportState(): { meta: IndexState["meta"]; sections: Iterable<ArrayBufferView>[] } {
    const docs = this.extIds.length;
    const terms = this.termText.length;
    const postingOffsets = new Int32Array(terms + 1);
    for (let t = 0; t < terms; t++) postingOffsets[t + 1] = postingOffsets[t] + (this.postings[t]?.n ?? 0);
    const tagOffsets = new Int32Array(docs + 1);
    for (let d = 0; d < docs; d++) tagOffsets[d + 1] = tagOffsets[d] + (this.docTags[d]?.length ?? 0);
    const postings = this.postings;
    const field = (pick: (p: Postings) => ArrayBufferView & { subarray(a: number, b: number): ArrayBufferView }) =>
      (function* () {
        for (let t = 0; t < terms; t++) {
          const p = postings[t];
          if (p && p.n) yield pick(p).subarray(0, p.n);
        }
      })();
    const docTags = this.docTags;
    return {
      meta: {
        docs,
        terms,
        termText: this.termText,
        extIds: this.extIds,
        spaces: this.spaces.values,
        authors: this.authors.values,
        tags: this.tags.values,
        lenSum: this.lenSum,
        live: this.live,
        dead: this.dead,
      },
      sections: [
        [this.df.subarray(0, terms)],
        [this.alive.subarray(0, docs)],
        [this.space.subarray(0, docs)],
        [this.author.subarray(0, docs)],
        [this.updated.subarray(0, docs)],
        ...this.lens.map((l) => [l.subarray(0, docs)]),
        [tagOffsets],
        (function* () {
          for (let d = 0; d < docs; d++) if (docTags[d]?.length) yield docTags[d];
        })(),
        [postingOffsets],
        field((p) => p.ids),
        field((p) => p.title),
        field((p) => p.tags),
        field((p) => p.body),
      ],
    };
  }

  /** An index from a snapshot's state (the sections as typed arrays of INDEX_SECTION_TYPES). */
  static importState(state: IndexState): SearchIndex {
    const { meta, sections } = state;
    const [
      df,
      alive,
      space,
      author,
      updated,
      l0,
      l1,
      l2,
      tagOffsets,
      tagValues,
      postingOffsets,
      ids,
      title,
      tags,
      body,
    ] = sections;
    const check = (ok: boolean, what: string) => {
      if (!ok) throw new Error(`search snapshot: ${what} does not match`);
    };
    const { docs, terms } = meta;
    check(meta.termText.length === terms && meta.extIds.length === docs, "vocabulary or document count");
    check(df.length === terms && postingOffsets.length === terms + 1 && tagOffsets.length === docs + 1, "offsets");
    for (const a of [alive, space, author, updated, l0, l1, l2]) check(a.length === docs, "a document array");
    const total = postingOffsets[terms];
    for (const a of [ids, title, tags, body]) check(a.length === total, "a postings array");
    check(tagValues.length === tagOffsets[docs], "document tags");
    const index = new SearchIndex();
    const cap = Math.max(1024, docs);
    const i32 = (src: ArrayBufferView, n: number) => {
      const out = new Int32Array(n);
      out.set(src as Int32Array);
      return out;
    };
    const f32 = (src: ArrayBufferView) => {
      const out = new Float32Array(cap);
      out.set(src as Float32Array);
      return out;
    };
    index.df = i32(df, Math.max(1024, terms));
    index.alive = new Uint8Array(cap);
    index.alive.set(alive as Uint8Array);
    index.space = i32(space, cap);
    index.author = i32(author, cap);
    index.updated = new Float64Array(cap);
    index.updated.set(updated as Float64Array);
    index.lens = [f32(l0), f32(l1), f32(l2)];
    index.acc = new Float32Array(cap);
    index.stampDoc = new Int32Array(cap);
    index.termText = meta.termText;
    index.vocab = new Map(meta.termText.map((t, i) => [t, i]));
    index.extIds = meta.extIds;
    for (let d = 0; d < docs; d++) if (index.alive[d] === 1) index.byExt.set(meta.extIds[d], d);
    index.docTags = new Array<Int32Array>(docs);
    for (let d = 0; d < docs; d++) index.docTags[d] = (tagValues as Int32Array).slice(tagOffsets[d], tagOffsets[d + 1]);
    // Postings stay views of the snapshot's buffers; a term that grows later gets its own arrays.
    index.postings = new Array<Postings>(terms);
    for (let t = 0; t < terms; t++) {
      const from = postingOffsets[t];
      const to = postingOffsets[t + 1];
      if (to === from) continue;
      const p = new Postings();
      p.ids = (ids as Int32Array<ArrayBuffer>).subarray(from, to);
      p.title = (title as Uint8Array<ArrayBuffer>).subarray(from, to);
      p.tags = (tags as Uint8Array<ArrayBuffer>).subarray(from, to);
      p.body = (body as Uint16Array<ArrayBuffer>).subarray(from, to);
      p.n = to - from;
      index.postings[t] = p;
    }
    for (const v of meta.spaces) index.spaces.get(v);
    for (const v of meta.authors) index.authors.get(v);
    for (const v of meta.tags) index.tags.get(v);
    index.lenSum = [...meta.lenSum];
    index.live = meta.live;
    index.dead = meta.dead;
    return index;
  }

  has(id: string): boolean {
    return this.byExt.has(id);
  }

  upsert(doc: IndexDoc): void {
    if (this.byExt.has(doc.id)) this.remove(doc.id);
    const d = this.extIds.length;
    this.ensureDocs(d + 1);
    this.extIds.push(doc.id);
    this.byExt.set(doc.id, d);
    this.alive[d] = 1;
    this.space[d] = this.spaces.get(doc.spaceId);
    this.author[d] = this.authors.get(doc.authorId);
    this.updated[d] = doc.updatedAt;
    const tagIds = [...new Set(doc.tags.map((t) => t.toLowerCase()))].map((t) => this.tags.get(t));
    this.docTags[d] = Int32Array.from(tagIds);
    const fields = [analyze(doc.title), analyze(doc.tags.join(" ")), analyze(doc.body)];
    const counts = new Map<number, [number, number, number]>();
    for (let f = 0; f < 3; f++) {
      for (const t of fields[f]) {
        const id = this.termId(t);
        let c = counts.get(id);
        if (!c) counts.set(id, (c = [0, 0, 0]));
        c[f]++;
      }
      this.lens[f][d] = fields[f].length;
      this.lenSum[f] += fields[f].length;
    }
    for (const [id, c] of counts) {
      (this.postings[id] ??= new Postings()).push(d, c[0], c[1], c[2]);
      this.df[id]++;
    }
    this.live++;
    this.normsFor = -1;
  }

  remove(id: string): void {
    const d = this.byExt.get(id);
    if (d === undefined) return;
    this.byExt.delete(id);
    this.alive[d] = 0;
    for (let f = 0; f < 3; f++) this.lenSum[f] -= this.lens[f][d];
    this.live--;
    this.normsFor = -1;
    this.dead++;
    if (this.dead > 1000 && this.dead > this.live / 4) this.compact();
  }

  /** Rough bytes held by the index (postings, per-document arrays, vocabulary). */
  memoryEstimateBytes(): number {
    let bytes = 0;
    for (const p of this.postings) if (p) bytes += p.bytes() + 48;
    bytes +=
      this.df.byteLength +
      this.alive.byteLength +
      this.space.byteLength +
      this.author.byteLength +
      this.updated.byteLength;
    for (const l of this.lens) bytes += l.byteLength;
    bytes += this.acc.byteLength + this.stampDoc.byteLength + this.touched.byteLength + 3 * this.normBody.byteLength;
    for (const t of this.termText) bytes += 2 * t.length + 48;
    for (const e of this.extIds) bytes += 2 * e.length + 48;
    for (const t of this.docTags) bytes += t.byteLength + 16;
    return bytes;
  }

  search(query: string, options: SearchOptions): SearchResult {
    const empty: SearchResult = { total: 0, hits: [], terms: [], facets: { spaces: new Map(), tags: new Map() } };
    const qterms = this.queryTerms(query, options);
    if (qterms.length === 0) return empty;

    // Filters as small lookups over interned ids; an unknown filter value matches nothing.
    let spaceAllowed: Uint8Array | null = null;
    if (options.spaceIds) {
      spaceAllowed = new Uint8Array(this.spaces.values.length);
      for (const s of options.spaceIds) {
        const i = this.spaces.find(s);
        if (i !== undefined) spaceAllowed[i] = 1;
      }
    }
    const onlySpace = options.spaceId === undefined ? -1 : (this.spaces.find(options.spaceId) ?? -2);
    const onlyAuthor = options.authorId === undefined ? -1 : (this.authors.find(options.authorId) ?? -2);
    const onlyTag = options.tag === undefined ? -1 : (this.tags.find(options.tag.toLowerCase()) ?? -2);
    if (onlySpace === -2 || onlyAuthor === -2 || onlyTag === -2)
      return { ...empty, terms: qterms.map((q) => this.termText[q.term]) };

    this.refreshNorms();
    const { acc, stampDoc, alive, normTitle, normTags, normBody } = this;
    const touched = this.touched;
    let touchedN = 0;
    const docStamp = ++this.stamp;
    for (const q of qterms) {
      const p = this.postings[q.term];
      if (!p) continue;
      const scale = q.weight * q.idf;
      const { ids, title, tags, body } = p;
      for (let i = 0; i < p.n; i++) {
        const d = ids[i];
        if (alive[d] === 0) continue;
        // BM25F: field-weighted, length-normalised frequency, one saturation.
        const t = title[i] * normTitle[d] + tags[i] * normTags[d] + body[i] * normBody[d];
        if (stampDoc[d] !== docStamp) {
          stampDoc[d] = docStamp;
          acc[d] = 0;
          touched[touchedN++] = d;
        }
        acc[d] += (scale * t) / (K1 + t);
      }
    }

    const k = Math.max(0, options.offset) + Math.max(0, options.limit);
    const heap = new TopK(k, acc, this.updated);
    const spaceCount = new Int32Array(this.spaces.values.length);
    const tagCount = new Int32Array(this.tags.values.length);
    const space = this.space;
    const author = this.author;
    let total = 0;
    for (let i = 0; i < touchedN; i++) {
      const d = touched[i];
      const s = space[d];
      if (spaceAllowed !== null && spaceAllowed[s] !== 1) continue;
      if (onlySpace >= 0 && s !== onlySpace) continue;
      if (onlyAuthor >= 0 && author[d] !== onlyAuthor) continue;
      const dt = this.docTags[d];
      if (onlyTag >= 0 && !dt.includes(onlyTag)) continue;
      total++;
      spaceCount[s]++;
      for (let j = 0; j < dt.length; j++) tagCount[dt[j]]++;
      heap.offer(d);
    }
    const ranked = heap.sorted().slice(Math.max(0, options.offset));
    const spaces = new Map<string, number>();
    for (let s = 0; s < spaceCount.length; s++) if (spaceCount[s] > 0) spaces.set(this.spaces.values[s], spaceCount[s]);
    const tagsOut = new Map<string, number>();
    for (let t = 0; t < tagCount.length; t++) if (tagCount[t] > 0) tagsOut.set(this.tags.values[t], tagCount[t]);
    return {
      total,
      hits: ranked.map((d) => ({ id: this.extIds[d], score: Math.round(acc[d] * 1e4) / 1e4 })),
      terms: [...new Set(qterms.map((q) => this.termText[q.term]))],
      facets: { spaces, tags: tagsOut },
    };
  }

  /** Per-document field factors w_f / (1 - b_f + b_f·len/avg), recomputed after the index changed. */
  private refreshNorms(): void {
    if (this.normsFor === this.extIds.length && this.normTitle.length >= this.extIds.length) return;
    const n = this.extIds.length;
    const avg = this.lenSum.map((s) => (this.live > 0 ? Math.max(s / this.live, 1) : 1));
    const make = (f: number) => {
      const out = new Float32Array(Math.max(n, 1));
      const lens = this.lens[f];
      for (let d = 0; d < n; d++) out[d] = FIELD_WEIGHT[f] / (1 - FIELD_B[f] + (FIELD_B[f] * lens[d]) / avg[f]);
      return out;
    };
    this.normTitle = make(0);
    this.normTags = make(1);
    this.normBody = make(2);
    if (this.touched.length < n) this.touched = new Int32Array(Math.max(n, 1024));
    this.normsFor = n;
  }

  /** The query's terms with their weights: exact terms, spelling variants, prefix completions. */
  private queryTerms(query: string, options: SearchOptions): QueryTerm[] {
    const words = surfaceWords(query.length > 100_000 ? query.slice(0, 100_000) : query).slice(0, MAX_QUERY_WORDS);
    const N = Math.max(this.live, 1);
    const idf = (term: number) => {
      const df = Math.min(this.df[term], N);
      return Math.log(1 + (N - df + 0.5) / (df + 0.5));
    };
    const weights = new Map<number, number>();
    const add = (term: number, weight: number) => weights.set(term, Math.max(weights.get(term) ?? 0, weight));
    const distinct = new Map<string, string>(); // term → surface word
    for (const w of words) {
      const t = termOf(w);
      if (t && !distinct.has(t)) distinct.set(t, w);
    }
    // Keep the most informative terms of long inputs: the rarest words the index knows
    // (words it has never seen match nothing, so they go last).
    let candidates = [...distinct.keys()];
    if (candidates.length > MAX_QUERY_TERMS) {
      const rarity = (t: string) => {
        const id = this.vocab.get(t);
        return id === undefined || this.df[id] === 0 ? Number.MAX_SAFE_INTEGER : this.df[id];
      };
      candidates = candidates.sort((a, b) => rarity(a) - rarity(b)).slice(0, MAX_QUERY_TERMS);
    }
    const fuzzy = options.fuzzy !== false && candidates.length <= 12;
    // In a long, pasted query the words found in most documents add cost and almost no
    // ranking signal (their IDF is near zero): leave out those in more than a fifth of them.
    const commonLimit = candidates.length > LONG_QUERY_TERMS ? Math.max(2, N * COMMON_SHARE) : Infinity;
    let kept = 0;
    for (const t of candidates) {
      const id = this.vocab.get(t);
      if (id !== undefined && this.df[id] > 0 && this.df[id] <= commonLimit) {
        add(id, 1);
        kept++;
      }
      if (fuzzy && t.length >= 4 && (id === undefined || this.df[id] <= 1)) {
        for (const [variant, distance] of this.spellingVariants(t)) add(variant, distance === 1 ? 0.7 : 0.45);
      }
    }
    if (kept === 0 && commonLimit !== Infinity) {
      // Only common words: use them after all.
      for (const t of candidates) {
        const id = this.vocab.get(t);
        if (id !== undefined && this.df[id] > 0) add(id, 1);
      }
    }
    if (options.prefix && words.length > 0) {
      const last = words[words.length - 1];
      if (last.length >= 2)
        for (const id of this.completions(last)) add(id, id === this.vocab.get(termOf(last) ?? "") ? 1 : 0.9);
    }
    return [...weights].map(([term, weight]) => ({ term, weight, idf: idf(term) }));
  }

  private spellingVariants(term: string): [number, number][] {
    const max = term.length >= 8 ? 2 : 1;
    const found: [number, number][] = [];
    for (let id = 0; id < this.termText.length; id++) {
      const other = this.termText[id];
      if (this.df[id] === 0 || other === term || other[0] !== term[0] || Math.abs(other.length - term.length) > max)
        continue;
      const d = withinDistance(term, other, max);
      if (d >= 0) found.push([id, d]);
    }
    found.sort((a, b) => a[1] - b[1] || this.df[b[0]] - this.df[a[0]]);
    return found.slice(0, MAX_FUZZY_EXPANSIONS);
  }

  private completions(prefix: string): number[] {
    this.sortedTerms ??= [...this.termText].sort();
    const sorted = this.sortedTerms;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const ids: number[] = [];
    for (let i = lo; i < sorted.length && sorted[i].startsWith(prefix); i++) {
      const id = this.vocab.get(sorted[i])!;
      if (this.df[id] > 0) ids.push(id);
    }
    ids.sort((a, b) => this.df[b] - this.df[a]);
    return ids.slice(0, MAX_PREFIX_EXPANSIONS);
  }

  private termId(term: string): number {
    let id = this.vocab.get(term);
    if (id === undefined) {
      id = this.termText.length;
      this.vocab.set(term, id);
      this.termText.push(term);
      this.df = growI32(this.df, id + 1);
      this.sortedTerms = null;
    }
    return id;
  }

  private ensureDocs(need: number): void {
    this.alive = growU8(this.alive, need);
    this.space = growI32(this.space, need);
    this.author = growI32(this.author, need);
    if (need > this.updated.length) {
      const u = new Float64Array(Math.max(need, this.updated.length * 2));
      u.set(this.updated);
      this.updated = u;
    }
    this.lens = this.lens.map((l) => growF32(l, need));
    this.acc = growF32(this.acc, need);
    this.stampDoc = growI32(this.stampDoc, need);
  }

  /** Drops dead documents: renumbers the live ones and rebuilds postings and document frequencies. */
  private compact(): void {
    const remap = new Int32Array(this.extIds.length).fill(-1);
    const extIds: string[] = [];
    for (let d = 0; d < this.extIds.length; d++) {
      if (this.alive[d] === 1) {
        remap[d] = extIds.length;
        extIds.push(this.extIds[d]);
      }
    }
    const move = <T extends Int32Array | Float32Array | Float64Array | Uint8Array>(a: T): T => {
      for (let d = 0; d < remap.length; d++) if (remap[d] >= 0) a[remap[d]] = a[d];
      a.fill(0, extIds.length);
      return a;
    };
    move(this.alive);
    move(this.space);
    move(this.author);
    move(this.updated);
    for (const l of this.lens) move(l);
    const tags: Int32Array[] = [];
    for (let d = 0; d < remap.length; d++) if (remap[d] >= 0) tags.push(this.docTags[d]);
    this.docTags = tags;
    this.extIds = extIds;
    this.byExt = new Map(extIds.map((e, i) => [e, i]));
    this.df.fill(0);
    for (let t = 0; t < this.postings.length; t++) {
      const p = this.postings[t];
      if (!p) continue;
      let w = 0;
      for (let i = 0; i < p.n; i++) {
        const nd = remap[p.ids[i]];
        if (nd < 0) continue;
        p.ids[w] = nd;
        p.title[w] = p.title[i];
        p.tags[w] = p.tags[i];
        p.body[w] = p.body[i];
        w++;
      }
      p.n = w;
      this.df[t] = w;
    }
    this.stampDoc.fill(0);
    this.stamp = 0;
    this.normsFor = -1;
    this.dead = 0;
  }
}

/** Keeps the k best documents by score (newer first on ties) in a binary min-heap. */
class TopK {
  private heap: number[] = [];
  constructor(
    private k: number,
    private score: Float32Array,
    private recency: Float64Array,
  ) {}
  /** a ranks below b */
  private worse(a: number, b: number): boolean {
    const sa = this.score[a];
    const sb = this.score[b];
    return sa < sb || (sa === sb && this.recency[a] < this.recency[b]);
  }
  offer(d: number): void {
    if (this.k === 0) return;
    const h = this.heap;
    if (h.length < this.k) {
      h.push(d);
      let i = h.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(h[i], h[p])) break;
        [h[i], h[p]] = [h[p], h[i]];
        i = p;
      }
      return;
    }
    if (!this.worse(h[0], d)) return;
    h[0] = d;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.worse(h[l], h[m])) m = l;
      if (r < h.length && this.worse(h[r], h[m])) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
  sorted(): number[] {
    return [...this.heap].sort((a, b) => (this.worse(a, b) ? 1 : this.worse(b, a) ? -1 : 0));
  }
}
