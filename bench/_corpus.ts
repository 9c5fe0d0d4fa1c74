// The generated corpus of the search and start-up benches.
import { mulberry32 } from "../src/domain/random";

export function makeVocabulary(size: number, rand: () => number): string[] {
  const syll = [
    "ka",
    "lo",
    "mi",
    "ter",
    "on",
    "sta",
    "ri",
    "pel",
    "dor",
    "an",
    "ve",
    "ship",
    "man",
    "ing",
    "tion",
    "ser",
    "ba",
    "co",
    "de",
    "fra",
    "gi",
    "hu",
    "je",
    "ku",
    "ne",
    "pra",
    "qui",
    "ro",
    "su",
    "tra",
    "vi",
    "wel",
    "xen",
    "yo",
    "za",
  ];
  const words = new Set<string>();
  while (words.size < size) {
    const n = 2 + Math.floor(rand() * 3);
    let w = "";
    for (let i = 0; i < n; i++) w += syll[Math.floor(rand() * syll.length)];
    words.add(w);
  }
  return [...words];
}

/** Zipf sampler over ranks 0..n-1 (s = 1.07), by inverse CDF on a precomputed table. */
export function zipf(n: number, rand: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / Math.pow(i + 1, 1.07);
  return () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * `n` generated articles of ~370 words (Markdown with headings), two tags each, words drawn from a
 * 40,000-word vocabulary by a Zipf law: the corpus `bench search` measures speed on.
 */
export function generatedArticles(n: number, seed = 42): { id: string; title: string; body: string; tags: string[] }[] {
  const rand = mulberry32(seed);
  const vocab = makeVocabulary(40_000, rand);
  const draw = zipf(vocab.length, rand);
  const tags = Array.from({ length: 200 }, (_, i) => `tag${i}`);
  const sentence = (words: number) => Array.from({ length: words }, () => vocab[draw()]).join(" ");
  return Array.from({ length: n }, (_, i) => ({
    id: `g${i}`,
    title: sentence(3 + Math.floor(rand() * 5)),
    body: Array.from(
      { length: 2 + Math.floor(rand() * 4) },
      () => `## ${sentence(3)}\n\n${sentence(60 + Math.floor(rand() * 90))}.`,
    ).join("\n\n"),
    tags: [tags[Math.floor(rand() * tags.length)], tags[Math.floor(rand() * tags.length)]],
  }));
}
