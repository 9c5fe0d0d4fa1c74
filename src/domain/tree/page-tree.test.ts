import { describe, expect, it } from "vitest";
import {
  anchorFor,
  compareSiblings,
  descendantsOf,
  keyAfter,
  keyAtEnd,
  keysAreClean,
  renumber,
  visibleTree,
  type TreePage,
} from "./page-tree";

const page = (id: string, parentId: string | null, position: string | null, readable = true, createdAt = 0) =>
  ({ id, parentId, position, readable, createdAt }) satisfies TreePage;

describe("page tree", () => {
  it("orders siblings by key byte-wise (not by a locale), keyless pages last and oldest first", () => {
    const list = [page("c", null, null, true, 2), page("b", null, "a1"), page("a", null, "Zz"), page("d", null, null)];
    expect(list.sort(compareSiblings).map((p) => p.id)).toEqual(["a", "b", "d", "c"]);
  });

  it("shows pages depth first under their parents", () => {
    const pages = [page("r", null, "a0"), page("k2", "r", "a1"), page("k1", "r", "a0"), page("g", "k1", "a0")];
    expect(visibleTree(pages).map((v) => [v.page.id, v.parentId, v.depth])).toEqual([
      ["r", null, 0],
      ["k1", "r", 1],
      ["g", "k1", 2],
      ["k2", "r", 1],
    ]);
  });

  it("leaves out an unreadable page and lifts its readable children into its place", () => {
    const pages = [
      page("r", null, "a0"),
      page("a", "r", "a0"),
      page("hidden", "r", "a1", false),
      page("x", "hidden", "a0"),
      page("y", "hidden", "a1"),
      page("b", "r", "a2"),
    ];
    const shown = visibleTree(pages);
    expect(shown.map((v) => v.page.id)).toEqual(["r", "a", "x", "y", "b"]);
    expect(shown.find((v) => v.page.id === "x")).toMatchObject({ parentId: "r", depth: 1 });
    expect(anchorFor(pages, "r", "x")).toBe("hidden");
    expect(anchorFor(pages, "r", "a")).toBe("a");
    expect(anchorFor(pages, "r", null)).toBeNull();
    expect(anchorFor(pages, null, "a")).toBeUndefined();
  });

  it("shows pages caught in a cycle from the top level instead of losing them", () => {
    const pages = [page("p", "q", "a0"), page("q", "p", "a1")];
    expect(visibleTree(pages).map((v) => v.page.id)).toEqual(["p", "q"]);
  });

  it("finds descendants through hidden pages", () => {
    const pages = [page("r", null, "a0"), page("h", "r", "a0", false), page("x", "h", "a0")];
    expect(descendantsOf(pages, "r")).toEqual(["h", "x"]);
    expect(descendantsOf(pages, "x")).toEqual([]);
  });

  it("makes keys that sort where the page was put", () => {
    const keys = renumber(3);
    const sibs = keys.map((k, i) => page(`s${i}`, null, k));
    expect(keysAreClean(sibs)).toBe(true);
    const first = keyAfter(sibs, null);
    const middle = keyAfter(sibs, "s0");
    const last = keyAfter(sibs, "s2");
    expect(first < keys[0]).toBe(true);
    expect(keys[0] < middle && middle < keys[1]).toBe(true);
    expect(last > keys[2]).toBe(true);
    expect(keyAtEnd([...sibs, page("old", null, null)]) > keys[2]).toBe(true);
    expect(keysAreClean([page("a", null, "a0"), page("b", null, "a0")])).toBe(false);
    expect(keysAreClean([page("a", null, null)])).toBe(false);
  });
});
