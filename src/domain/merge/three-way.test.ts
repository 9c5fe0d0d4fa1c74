import { describe, expect, it } from "vitest";
import { combineTags, composeBody, countConflictBlocks, mergeArticle, mergeBody, type MergeHunk } from "./three-way";

const text = (...l: string[]) => l.join("\n");
const BASE = text(
  "# Replacing the pump seal",
  "",
  "1. Switch the pump off at the panel.",
  "2. Close valves V1 and V2.",
  "3. Drain the housing into a bucket.",
  "",
  "Wear gloves: the fluid is hot.",
  "",
  "Call maintenance if the seal is cracked.",
  "",
);
const conflicts = (hunks: MergeHunk[]) => hunks.filter((h) => h.kind === "conflict");

describe("three-way merge of a body", () => {
  it("merges edits to different places by itself, both sides kept", () => {
    const theirs = BASE.replace("Close valves V1 and V2.", "Close valves V1, V2 and V3.");
    const mine = BASE.replace("Call maintenance if", "Call maintenance (ext. 4411) if");
    const m = mergeBody(BASE, theirs, mine);
    expect(m.conflicts).toBe(0);
    expect(m.changes).toEqual({ theirs: 1, mine: 1 });
    expect(composeBody(m)).toBe(
      BASE.replace("Close valves V1 and V2.", "Close valves V1, V2 and V3.").replace(
        "Call maintenance if",
        "Call maintenance (ext. 4411) if",
      ),
    );
  });

  it("makes the same line edited differently on both sides a conflict showing both, until a choice", () => {
    const theirs = BASE.replace("Wear gloves: the fluid is hot.", "Wear heat-proof gloves: the fluid is hot.");
    const mine = BASE.replace("Wear gloves: the fluid is hot.", "Wear gloves and goggles: the fluid is hot.");
    const m = mergeBody(BASE, theirs, mine);
    expect(m.conflicts).toBe(1);
    expect(conflicts(m.hunks)).toEqual([
      {
        kind: "conflict",
        base: ["Wear gloves: the fluid is hot."],
        theirs: ["Wear heat-proof gloves: the fluid is hot."],
        mine: ["Wear gloves and goggles: the fluid is hot."],
      },
    ]);
    const proposed = composeBody(m, [], "version 2");
    // Neither side is dropped silently: both are in the proposed text, between markers.
    expect(proposed).toContain(
      text(
        "<<<<<<< theirs (version 2)",
        "Wear heat-proof gloves: the fluid is hot.",
        "=======",
        "Wear gloves and goggles: the fluid is hot.",
        ">>>>>>> mine",
      ),
    );
    expect(countConflictBlocks(proposed)).toBe(1);
    expect(composeBody(m, ["theirs"])).toBe(theirs);
    expect(composeBody(m, ["mine"])).toBe(mine);
    const both = composeBody(m, ["both"]);
    expect(both).toContain("Wear heat-proof gloves: the fluid is hot.\nWear gloves and goggles: the fluid is hot.");
    expect(countConflictBlocks(both)).toBe(0);
  });

  it("merges the non-overlapping edit and keeps only the overlap as a conflict", () => {
    const theirs = BASE.replace("1. Switch", "1. Lock out and switch").replace("gloves:", "heat-proof gloves:");
    const mine = BASE.replace("gloves:", "gloves and goggles:");
    const m = mergeBody(BASE, theirs, mine);
    expect(m.conflicts).toBe(1);
    expect(composeBody(m, ["mine"])).toBe(
      BASE.replace("1. Switch", "1. Lock out and switch").replace("gloves:", "gloves and goggles:"),
    );
  });

  it("does not let one side's deletion silently win over the other side's edit of that line", () => {
    const theirs = BASE.replace("3. Drain the housing into a bucket.\n", "");
    const mine = BASE.replace("into a bucket", "into the red 10 l bucket");
    const m = mergeBody(BASE, theirs, mine);
    expect(m.conflicts).toBe(1);
    expect(conflicts(m.hunks)[0]).toMatchObject({
      theirs: [],
      mine: ["3. Drain the housing into the red 10 l bucket."],
    });
    expect(composeBody(m)).toContain("3. Drain the housing into the red 10 l bucket.");
    expect(composeBody(m, ["theirs"])).toBe(theirs);
  });

  it("takes a deletion on one side when the other side left those lines alone", () => {
    const theirs = BASE.replace("Call maintenance if the seal is cracked.\n", "");
    const mine = BASE.replace("1. Switch", "1. Lock out and switch");
    const m = mergeBody(BASE, theirs, mine);
    expect(m.conflicts).toBe(0);
    expect(composeBody(m)).toBe(theirs.replace("1. Switch", "1. Lock out and switch"));
  });

  it("keeps both insertions at the same spot as a conflict, in the order chosen", () => {
    const theirs = BASE.replace(
      "3. Drain the housing into a bucket.\n",
      "3. Drain the housing into a bucket.\n4. Ana's step\n",
    );
    const mine = BASE.replace(
      "3. Drain the housing into a bucket.\n",
      "3. Drain the housing into a bucket.\n4. Ben's step\n",
    );
    const m = mergeBody(BASE, theirs, mine);
    expect(m.conflicts).toBe(1);
    expect(conflicts(m.hunks)[0]).toMatchObject({ base: [], theirs: ["4. Ana's step"], mine: ["4. Ben's step"] });
    expect(composeBody(m, ["both"])).toContain("3. Drain the housing into a bucket.\n4. Ana's step\n4. Ben's step\n");
  });

  it("takes the same change made on both sides once", () => {
    const both = BASE.replace("V1 and V2", "V1 and V2 (clockwise)");
    const m = mergeBody(BASE, both, both);
    expect(m.conflicts).toBe(0);
    expect(composeBody(m)).toBe(both);
  });

  it("counts only complete marker blocks (a setext heading underline is not one)", () => {
    expect(countConflictBlocks("Title\n=======\ntext")).toBe(0);
    expect(countConflictBlocks("<<<<<<< theirs\na\n=======\nb\n>>>>>>> mine\nx\n<<<<<<< theirs\n=======\n")).toBe(1);
  });
});

describe("three-way merge of title and tags", () => {
  const base = { title: "Pump seal", body: BASE, tags: ["pumps", "safety"] };

  it("takes the side that changed the title; both changed differently is a conflict showing both", () => {
    const m1 = mergeArticle(base, { ...base, title: "Replacing the pump seal" }, base);
    expect(m1.title.merged).toBe("Replacing the pump seal");
    const m2 = mergeArticle(base, base, { ...base, title: "Pump seal (model P-40)" });
    expect(m2.title.merged).toBe("Pump seal (model P-40)");
    expect(m2.clean).toBe(true);
    const m3 = mergeArticle(base, { ...base, title: "Replacing the pump seal" }, { ...base, title: "Pump seal P-40" });
    expect(m3.title).toEqual({
      base: "Pump seal",
      theirs: "Replacing the pump seal",
      mine: "Pump seal P-40",
      merged: null,
    });
    expect(m3.clean).toBe(false);
  });

  it("takes one side's tag change, flags different tag changes on both sides, and can combine them", () => {
    const theirs = { ...base, tags: ["pumps", "safety", "maintenance"] };
    expect(mergeArticle(base, theirs, base).tags.merged).toEqual(["pumps", "safety", "maintenance"]);
    // The same set in another order is no change.
    expect(mergeArticle(base, base, { ...base, tags: ["safety", "pumps"] }).tags.merged).toEqual(base.tags);
    const mine = { ...base, tags: ["pumps", "p-40"] };
    const m = mergeArticle(base, theirs, mine);
    expect(m.tags.merged).toBeNull();
    expect(m.clean).toBe(false);
    // Both: added on either side kept, removed on either side gone.
    expect(combineTags(base.tags, theirs.tags, mine.tags)).toEqual(["pumps", "maintenance", "p-40"]);
  });

  it("without a base, any difference between the sides is a conflict, never a silent pick", () => {
    const m = mergeArticle(
      null,
      { title: "A", body: "one\ntwo", tags: [] },
      { title: "A", body: "one\nthree", tags: [] },
    );
    expect(m.title.merged).toBe("A");
    expect(m.body.conflicts).toBe(1);
    expect(composeBody(m.body)).toContain("two");
    expect(composeBody(m.body)).toContain("three");
    expect(mergeArticle(null, base, base).clean).toBe(true);
  });
});
