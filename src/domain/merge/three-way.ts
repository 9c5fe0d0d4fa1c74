import { diff3MergeRegions, diffIndices } from "node-diff3";

// Three-way merge of an article edited by two people from the same starting version: the base (the
// version the editor started from), theirs (saved meanwhile) and mine (not saved yet). Line-level
// diff3 (node-diff3) for the body: edits to different places merge by themselves, overlapping edits
// become conflicts that keep both sides until someone chooses. Pure: no I/O; the server computes the
// merge for a 409 and the web app composes the proposed text from the person's choices.

/** The parts of an article two editors can change. */
export type ArticleText = { title: string; body: string; tags: string[] };

/** A run of merged lines, or an overlap where both sides changed the same lines differently. */
export type MergeHunk =
  { kind: "ok"; lines: string[] } | { kind: "conflict"; base: string[]; theirs: string[]; mine: string[] };

/** The body merged line by line; `changes` counts each side's edits against the base. */
export type BodyMerge = { hunks: MergeHunk[]; conflicts: number; changes: { theirs: number; mine: number } };

/** A single-valued field: `merged` is the value to keep, or null when both sides changed it differently. */
export type FieldMerge<T> = { base: T; theirs: T; mine: T; merged: T | null };

export type ArticleMerge = {
  title: FieldMerge<string>;
  tags: FieldMerge<string[]>;
  body: BodyMerge;
  /** True when nothing needs a person's choice: everything merged by itself. */
  clean: boolean;
};

/** What a person picks for one conflict: one side, or both (theirs first). */
export type Choice = "theirs" | "mine" | "both";

const lines = (text: string) => text.split("\n");
const sameLines = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** Merges the bodies with diff3; edits touching the same or adjacent base lines are a conflict (as in git). */
export function mergeBody(base: string, theirs: string, mine: string): BodyMerge {
  const o = lines(base);
  const t = lines(theirs);
  const m = lines(mine);
  const hunks: MergeHunk[] = [];
  const pushOk = (content: string[]) => {
    if (!content.length) return;
    const last = hunks[hunks.length - 1];
    if (last?.kind === "ok") last.lines.push(...content);
    else hunks.push({ kind: "ok", lines: [...content] });
  };
  for (const region of diff3MergeRegions(m, o, t)) {
    if (region.stable) pushOk(region.bufferContent);
    // Both sides made the same change: not a conflict.
    else if (sameLines(region.aContent, region.bContent)) pushOk(region.aContent);
    else hunks.push({ kind: "conflict", base: region.oContent, theirs: region.bContent, mine: region.aContent });
  }
  return {
    hunks,
    conflicts: hunks.filter((h) => h.kind === "conflict").length,
    changes: { theirs: diffIndices(o, t).length, mine: diffIndices(o, m).length },
  };
}

/** A field changed on one side takes that side; changed on both to different values is a conflict. */
export function mergeField<T>(base: T, theirs: T, mine: T, equal: (a: T, b: T) => boolean): FieldMerge<T> {
  let merged: T | null;
  if (equal(theirs, mine)) merged = theirs;
  else if (equal(base, theirs)) merged = mine;
  else if (equal(base, mine)) merged = theirs;
  else merged = null;
  return { base, theirs, mine, merged };
}

const sameTagSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/**
 * Both sides' tag edits together: tags either side added, without tags either side removed
 * (the "both" choice for a tag conflict).
 */
export function combineTags(base: readonly string[], theirs: readonly string[], mine: readonly string[]): string[] {
  const out: string[] = [];
  for (const tag of [...theirs, ...mine]) {
    const removed = base.includes(tag) && (!theirs.includes(tag) || !mine.includes(tag));
    if (!removed && !out.includes(tag)) out.push(tag);
  }
  return out;
}

/**
 * Merges title, tags and body. Without a base (the starting version is unknown) every difference
 * between the two sides is a conflict, so nothing is dropped.
 */
export function mergeArticle(base: ArticleText | null, theirs: ArticleText, mine: ArticleText): ArticleMerge {
  const b = base ?? { title: "", body: "", tags: [] };
  const title = mergeField(b.title, theirs.title, mine.title, (x, y) => x === y);
  const tags = mergeField(b.tags, theirs.tags, mine.tags, sameTagSet);
  // No base: diffing against the other side would make one of them look like the original.
  const body = base
    ? mergeBody(b.body, theirs.body, mine.body)
    : mergeBody(theirs.body === mine.body ? mine.body : "", theirs.body, mine.body);
  return { title, tags, body, clean: title.merged !== null && tags.merged !== null && body.conflicts === 0 };
}

export const MARK_THEIRS = "<<<<<<< theirs";
export const MARK_SPLIT = "=======";
export const MARK_MINE = ">>>>>>> mine";

/** The marker block an unresolved conflict shows in the proposed text: both sides, clearly labelled. */
export function conflictBlock(hunk: Extract<MergeHunk, { kind: "conflict" }>, theirsLabel = ""): string[] {
  return [MARK_THEIRS + (theirsLabel ? ` (${theirsLabel})` : ""), ...hunk.theirs, MARK_SPLIT, ...hunk.mine, MARK_MINE];
}

/** The lines a choice keeps for one conflict. */
export function chosenLines(hunk: Extract<MergeHunk, { kind: "conflict" }>, choice: Choice): string[] {
  if (choice === "theirs") return hunk.theirs;
  if (choice === "mine") return hunk.mine;
  return [...hunk.theirs, ...hunk.mine];
}

/**
 * The proposed body: merged lines, each conflict resolved by its choice (by index among the
 * conflicts) or, while unchosen, both sides between markers.
 */
export function composeBody(
  body: BodyMerge,
  choices: readonly (Choice | null | undefined)[] = [],
  theirsLabel = "",
): string {
  const out: string[] = [];
  let k = 0;
  for (const hunk of body.hunks) {
    if (hunk.kind === "ok") out.push(...hunk.lines);
    else {
      const choice = choices[k++];
      out.push(...(choice ? chosenLines(hunk, choice) : conflictBlock(hunk, theirsLabel)));
    }
  }
  return out.join("\n");
}

/** How many complete conflict-marker blocks (theirs, split, mine, in that order) a text holds. */
export function countConflictBlocks(text: string): number {
  let n = 0;
  let state: 0 | 1 | 2 = 0;
  for (const line of lines(text)) {
    if (line.startsWith(MARK_THEIRS)) state = 1;
    else if (state === 1 && line === MARK_SPLIT) state = 2;
    else if (state === 2 && line === MARK_MINE) {
      n++;
      state = 0;
    }
  }
  return n;
}
