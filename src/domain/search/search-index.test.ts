import { describe, expect, it } from "vitest";
import { analyze, tokenizeForHighlight } from "./analyze";
import { withinDistance } from "./edit-distance";
import { SearchIndex, type IndexDoc } from "./search-index";
import { highlightTitle, makeSnippet, markdownToPlainText } from "./snippet";

const doc = (id: string, title: string, body: string, extra: Partial<IndexDoc> = {}): IndexDoc => ({
  id,
  title,
  body,
  tags: [],
  spaceId: "s1",
  authorId: "u1",
  updatedAt: 0,
  ...extra,
});
const all = { limit: 10, offset: 0 };

function build(docs: IndexDoc[]): SearchIndex {
  const index = new SearchIndex();
  for (const d of docs) index.upsert(d);
  return index;
}

describe("analysis", () => {
  it("folds case and diacritics, drops stopwords and stems", () => {
    expect(analyze("The Überprüfung of Deploying robots, don't!")).toEqual(["uberprufung", "deploi", "robot"]);
    expect(analyze("v1.2 AMR-7 404")).toEqual(["v1", "2", "amr", "7", "404"]);
  });
  it("gives offsets into the original text", () => {
    const toks = tokenizeForHighlight("Café, Robots!");
    expect(toks.map((t) => [t.start, t.end, t.term])).toEqual([
      [0, 4, "cafe"],
      [6, 12, "robot"],
    ]);
  });
  it("measures edit distance with transpositions", () => {
    expect(withinDistance("kubernetes", "kuberentes", 1)).toBe(1);
    expect(withinDistance("battery", "batery", 1)).toBe(1);
    expect(withinDistance("battery", "lottery", 1)).toBe(-1);
  });
});

describe("SearchIndex", () => {
  const index = build([
    doc("title", "Battery replacement", "How to swap the pack."),
    doc("body", "Robot maintenance", "Check the battery every week. The battery lasts long.", {
      spaceId: "s2",
      tags: ["robots"],
    }),
    doc("tag", "Weekly checks", "Things to look at.", { tags: ["battery"], authorId: "u2" }),
    doc("other", "Expense reports", "Receipts before the fifth."),
  ]);

  it("ranks a title match above tag and body matches", () => {
    const r = index.search("battery", all);
    expect(r.total).toBe(3);
    expect(r.hits.map((h) => h.id)).toEqual(["title", "tag", "body"]);
    expect(r.terms).toEqual(["batteri"]);
  });

  it("tolerates typos and completes prefixes", () => {
    expect(index.search("bettery", all).hits[0]?.id).toBe("title");
    expect(index.search("expens", { ...all, prefix: true }).hits[0]?.id).toBe("other");
    expect(index.search("recei", { ...all, prefix: true }).hits[0]?.id).toBe("other");
    expect(index.search("recei", all).total).toBe(0);
  });

  it("never counts documents outside the visible spaces, in totals or facets", () => {
    const r = index.search("battery", { ...all, spaceIds: new Set(["s1"]) });
    expect(r.total).toBe(2);
    expect(r.hits.map((h) => h.id)).not.toContain("body");
    expect([...r.facets.spaces.keys()]).toEqual(["s1"]);
    expect(r.facets.tags.has("robots")).toBe(false);
    expect(index.search("battery", { ...all, spaceIds: new Set() }).total).toBe(0);
  });

  it("filters by space, tag and author", () => {
    expect(index.search("battery", { ...all, spaceId: "s2" }).hits.map((h) => h.id)).toEqual(["body"]);
    expect(index.search("battery", { ...all, tag: "BATTERY" }).hits.map((h) => h.id)).toEqual(["tag"]);
    expect(index.search("battery", { ...all, authorId: "u2" }).hits.map((h) => h.id)).toEqual(["tag"]);
    expect(index.search("battery", { ...all, authorId: "nobody" }).total).toBe(0);
  });

  it("pages through results", () => {
    expect(index.search("battery", { limit: 1, offset: 1 }).hits.map((h) => h.id)).toEqual(["tag"]);
  });

  it("keeps results right through updates, removals and compaction", () => {
    const ix = new SearchIndex();
    for (let i = 0; i < 3000; i++) ix.upsert(doc(`d${i}`, `note ${i}`, i % 2 ? "alpha beta" : "gamma"));
    ix.upsert(doc("d1", "changed", "delta"));
    expect(ix.search("delta", all).hits.map((h) => h.id)).toEqual(["d1"]);
    for (let i = 0; i < 2000; i++) ix.remove(`d${i}`);
    expect(ix.size).toBe(1000);
    expect(ix.search("delta", all).total).toBe(0);
    expect(ix.search("alpha", all).total).toBe(500);
    expect(ix.search("gamma", all).total).toBe(500);
    expect(ix.has("d2500")).toBe(true);
    expect(ix.has("d5")).toBe(false);
  });

  it("answers pathological input quickly and without throwing", () => {
    const big = build(
      Array.from({ length: 2000 }, (_, i) => doc(`x${i}`, `title ${i}`, `word${i % 97} common text ${i}`)),
    );
    const inputs = [
      "",
      "!!! ??? ::",
      '"unbalanced',
      "-a OR b",
      "a & (b | !c) <-> d:*",
      "x ".repeat(5000),
      Array.from({ length: 1000 }, (_, i) => `w${i}`).join(" "),
      "🙂",
      "\u0000",
    ];
    for (const q of inputs) {
      const t = performance.now();
      expect(() => big.search(q, all)).not.toThrow();
      expect(performance.now() - t).toBeLessThan(500);
    }
    const pasted = "common text " + Array.from({ length: 400 }, (_, i) => `unknownword${i}`).join(" ") + " word5";
    expect(big.search(pasted, all).total).toBeGreaterThan(0);
  });
});

describe("snippets", () => {
  it("turns Markdown into plain text", () => {
    const plain = markdownToPlainText(
      "# Title\n\n**Bold** and [a link](http://x) ![img](y.png) <b>tag</b>\n\n```js\ncode()\n```",
    );
    expect(plain.replace(/\s+/g, " ")).toBe("Title Bold and a link tag code()");
  });
  it("highlights matches and escapes everything else", () => {
    expect(highlightTitle("Deploying <script>", ["deploi"])).toBe("<mark>Deploying</mark> &lt;script&gt;");
    const text = "Intro text. ".repeat(40) + "Here the battery is replaced. " + "Outro. ".repeat(40);
    const s = makeSnippet(text, ["batteri"], 120);
    expect(s).toContain("<mark>battery</mark>");
    expect(s.startsWith("… ")).toBe(true);
    expect(s.length).toBeLessThan(160);
  });
});

describe("emoji", () => {
  it("are terms of their own, so a search for one finds the text that has it", () => {
    expect(analyze("Coffee ☕ machine 🚚 delivery")).toEqual(["coffe", "☕", "machin", "🚚", "deliveri"]);
    const index = new SearchIndex();
    index.upsert({
      id: "a",
      title: "Truck day 🚚",
      body: "Deliveries arrive at nine.",
      tags: [],
      spaceId: "s",
      authorId: "u",
      updatedAt: 0,
    });
    index.upsert({
      id: "b",
      title: "Coffee corner",
      body: "The ☕ machine needs descaling.",
      tags: [],
      spaceId: "s",
      authorId: "u",
      updatedAt: 0,
    });
    expect(index.search("🚚", { limit: 5, offset: 0 }).hits.map((h) => h.id)).toEqual(["a"]);
    expect(index.search("☕", { limit: 5, offset: 0 }).hits.map((h) => h.id)).toEqual(["b"]);
  });
});
