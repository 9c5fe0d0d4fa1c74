import { stemmer } from "stemmer";
import { STOPWORDS } from "./stopwords";

/** Longest token kept; longer runs (hashes, base64) are cut so they cannot bloat the index. */
const MAX_TOKEN_LENGTH = 40;

// Words and numbers, and each emoji on its own (people search for "🚚" or "☕" too).
const WORD = /[\p{L}\p{N}]+|\p{Extended_Pictographic}/gu;
const DIACRITICS = /\p{M}+/gu;

/** Lowercases and folds diacritics ("Überprüfung" → "uberprufung"). */
function fold(text: string): string {
  return text.normalize("NFKD").replace(DIACRITICS, "").toLowerCase();
}

// Stemming is the costly part of analysis and words repeat (Zipf): remember recent stems.
const stems = new Map<string, string | null>();
const MAX_MEMO = 200_000;

/** The index form of one folded word, or null for a stopword. */
export function termOf(word: string): string | null {
  const known = stems.get(word);
  if (known !== undefined) return known;
  const t = computeTerm(word);
  if (stems.size >= MAX_MEMO) stems.clear();
  stems.set(word, t);
  return t;
}

function computeTerm(word: string): string | null {
  if (STOPWORDS.has(word)) return null;
  // A single letter ("t" of "don't", "s" of "team's") carries nothing; a single digit may.
  if (word.length === 1 && !/[\p{N}\p{Extended_Pictographic}]/u.test(word)) return null;
  const w = word.length > MAX_TOKEN_LENGTH ? word.slice(0, MAX_TOKEN_LENGTH) : word;
  // Numbers and mixed tokens (v2, 404, amr7) are kept as they are; words are stemmed.
  return /^\p{L}+$/u.test(w) && w.length > 2 ? stemmer(w) : w;
}

/** Text → index terms: folded, split on anything that is not a letter or digit, stopwords out, stemmed. */
export function analyze(text: string): string[] {
  const out: string[] = [];
  for (const m of fold(text).matchAll(WORD)) {
    const t = termOf(m[0]);
    if (t) out.push(t);
  }
  return out;
}

/** Words of the query before stemming (for prefix search on the last word). */
export function surfaceWords(text: string): string[] {
  return [...fold(text).matchAll(WORD)].map((m) => m[0]);
}

type HighlightToken = { start: number; end: number; term: string | null };

/**
 * Tokens of the original text with their offsets and index form, for highlighting. Offsets
 * refer to `text` itself (folding is done per word, so positions never drift).
 */
export function tokenizeForHighlight(text: string): HighlightToken[] {
  const out: HighlightToken[] = [];
  for (const m of text.matchAll(WORD)) {
    const start = m.index ?? 0;
    out.push({ start, end: start + m[0].length, term: termOf(fold(m[0])) });
  }
  return out;
}
