import { describe, expect, it } from "vitest";
import { mentionMarkdown, newMentions, parseMentions } from "./mentions";
import { locateAnchor, normaliseText, visibleText } from "./anchors";
import { renderMarkdown } from "./render";

const A = "0f8b9c3e-1a2b-4c5d-8e9f-0a1b2c3d4e5f";
const B = "1f8b9c3e-1a2b-4c5d-8e9f-0a1b2c3d4e5f";

describe("@mentions in Markdown", () => {
  it("finds each person once, in order, only in the stored link form", () => {
    const text = `Hi [@Ana](/people/${B}) and [@Bo](/people/${A}), again [@Ana A.](/people/${B.toUpperCase()}).
      Not these: @Ana, [Ana](/people/${A}), [@Ana](https://evil.test/people/${A}), [@Ana](/people/not-a-uuid)`;
    expect(parseMentions(text)).toEqual([B, A]);
  });

  it("an edit mentions only the people it adds", () => {
    const before = `[@Ana](/people/${A})`;
    expect(newMentions(`${before} and [@Bo](/people/${B})`, before)).toEqual([B]);
    expect(newMentions(`${before} — reworded`, before)).toEqual([]);
    expect(newMentions(before)).toEqual([A]);
  });

  it("writes a mention that parses back and renders as a link to the person", () => {
    const md = mentionMarkdown({ id: A, name: "Ana [the] Achebe" });
    expect(md).toBe(`[@Ana  the  Achebe](/people/${A})`);
    expect(parseMentions(md)).toEqual([A]);
    expect(renderMarkdown(md)).toContain(`href="/people/${A}"`);
  });
});

describe("comment anchors", () => {
  const html = renderMarkdown(
    "Charge the **forklift** batteries.\n\n- Never near the dock &amp; the fuel store\n- Charge",
  );
  const text = visibleText(html);

  it("reads the text a reader sees: no tags, entities decoded, whitespace collapsed", () => {
    expect(text).toBe("Charge the forklift batteries. Never near the dock & the fuel store Charge");
    expect(normaliseText("  a \n\t b\u00a0c ")).toBe("a b c");
  });

  it("finds a quote, picks the occurrence its context points at, and says when it is gone", () => {
    expect(locateAnchor(text, { quote: "forklift  batteries", prefix: "", suffix: "" })).toBe(11);
    const second = text.lastIndexOf("Charge");
    expect(locateAnchor(text, { quote: "Charge", prefix: "fuel store", suffix: "" })).toBe(second);
    expect(locateAnchor(text, { quote: "Charge", prefix: "", suffix: "the forklift" })).toBe(0);
    expect(locateAnchor(text, { quote: "near the loading dock", prefix: "", suffix: "" })).toBe(-1);
    expect(locateAnchor(text, { quote: "   ", prefix: "", suffix: "" })).toBe(-1);
  });
});
