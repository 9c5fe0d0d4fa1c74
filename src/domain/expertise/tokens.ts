import { stemmer } from "stemmer";

// A small English stopword list: function words only, so that nothing topical is lost on any site.
const STOPWORDS = new Set(
  (
    "a about above after again against all am an and any are as at be because been before being below between both but by " +
    "can could did do does doing down during each few for from further had has have having he her here hers herself him " +
    "himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other " +
    "our ours ourselves out over own same she should so some such than that the their theirs them themselves then there " +
    "these they this those through to too under until up very was we were what when where which while who whom why will " +
    "with would you your yours yourself yourselves also may might must shall us get got im ive dont doesnt cant wont"
  ).split(" "),
);

const MAX_TOKEN_LENGTH = 40;

/** Splits text into lowercase Porter-stemmed terms without stopwords, numbers-only or overlong tokens. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const re = /[\p{L}\p{N}_]+/gu;
  const lower = text.toLowerCase().replace(/['’]/g, "");
  for (let m = re.exec(lower); m !== null; m = re.exec(lower)) {
    const raw = m[0];
    // Single letters and pure numbers (ports, amounts, line numbers) carry no topical signal.
    if (raw.length < 2 || raw.length > MAX_TOKEN_LENGTH || /^\d+$/.test(raw) || STOPWORDS.has(raw)) continue;
    out.push(stemmer(raw));
  }
  return out;
}

/** Counts term occurrences; the map keeps first-seen order. */
export function termFrequencies(terms: readonly string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
  return tf;
}
