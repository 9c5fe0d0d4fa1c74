import { useMemo, useState } from "react";
import {
  chosenLines,
  combineTags,
  composeBody,
  conflictBlock,
  countConflictBlocks,
  mergeArticle,
  type ArticleText,
  type Choice,
  type MergeHunk,
} from "../../../src/domain/merge/three-way";
import type { ArticleConflict } from "../contracts";
import { ago } from "../util";
import { DiffView, lineDiff } from "./articles";

type ConflictHunk = Extract<MergeHunk, { kind: "conflict" }>;
type TagChoice = Choice;
const CHOICE_LABEL: Record<Choice, string> = { theirs: "theirs", mine: "yours", both: "both" };

/**
 * The screen a stale save leads to: a three-way merge of the version the editor started from, the
 * version saved meanwhile (theirs) and the unsaved text (mine). Edits to different places are already
 * merged; each overlap is shown side by side with a choice, and the proposed text keeps both sides
 * between markers until the choice is made, so saving without reading never drops anyone's edit.
 */
export function ArticleConflictScreen(props: {
  conflict: ArticleConflict;
  mine: ArticleText;
  busy: boolean;
  onSave: (merged: ArticleText, version: number) => void;
  onEdit: (merged: ArticleText, version: number) => void;
  onUseTheirs: () => void;
}) {
  const current = props.conflict.current!;
  const merge = useMemo(
    () => props.conflict.merge ?? mergeArticle(props.conflict.base ?? null, current, props.mine),
    [props.conflict, current, props.mine],
  );
  const theirsLabel = `version ${current.version}, ${current.author.name}`;
  const hunks = merge.body.hunks.filter((h): h is ConflictHunk => h.kind === "conflict");
  const [choices, setChoices] = useState<(Choice | null)[]>(() => hunks.map(() => null));
  const [text, setText] = useState(() => composeBody(merge.body, [], theirsLabel));
  const [edited, setEdited] = useState(false);
  const [title, setTitle] = useState<"theirs" | "mine" | null>(null);
  const [tags, setTags] = useState<TagChoice | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const review = useMemo(() => lineDiff(current.body, text), [current.body, text]);

  const blockOf = (i: number) => conflictBlock(hunks[i], theirsLabel).join("\n");
  // Once the text was edited by hand, a choice replaces only its own marker block, so nothing typed is lost.
  const canChoose = (i: number) => !edited || text.includes(blockOf(i));
  const choose = (i: number, choice: Choice) => {
    const next = choices.map((c, k) => (k === i ? choice : c));
    setChoices(next);
    setProblem(null);
    if (!edited) setText(composeBody(merge.body, next, theirsLabel));
    else setText((t) => t.replace(blockOf(i), () => chosenLines(hunks[i], choice).join("\n")));
  };

  const resolvedTitle = merge.title.merged ?? (title ? merge.title[title] : null);
  const resolvedTags =
    merge.tags.merged ??
    (tags === "both"
      ? combineTags(merge.tags.base, merge.tags.theirs, merge.tags.mine)
      : tags
        ? merge.tags[tags]
        : null);
  const markersBefore = Math.max(countConflictBlocks(current.body), countConflictBlocks(props.mine.body));
  const unresolved = Math.max(0, countConflictBlocks(text) - markersBefore);

  const check = (): ArticleText | null => {
    const missing: string[] = [];
    if (resolvedTitle === null) missing.push("choose the title to keep");
    if (resolvedTags === null) missing.push("choose the tags to keep");
    if (unresolved > 0)
      missing.push(
        `resolve ${unresolved} conflict${unresolved > 1 ? "s" : ""} still marked "<<<<<<< theirs … >>>>>>> mine" ` +
          `in the text (choose theirs, yours or both, or edit the markers out)`,
      );
    if (missing.length) {
      setProblem(`Not saved yet: ${missing.join("; ")}.`);
      return null;
    }
    return { title: resolvedTitle!, tags: resolvedTags!, body: text };
  };

  const changes = merge.body.changes;
  return (
    <div className="page conflict" aria-label="Edit conflict">
      <h1>Someone saved a newer version</h1>
      <p>
        <strong>{current.author.name}</strong> saved version {current.version} {ago(current.updatedAt)} while you were
        editing{props.conflict.base ? ` version ${props.conflict.base.version}` : ""}. Nothing has been overwritten.
      </p>
      {merge.clean ? (
        <div className="notice merge-status" role="status">
          <strong>Merged automatically — review and save.</strong> Their {plural(changes.theirs, "change")} and your{" "}
          {plural(changes.mine, "change")} touch different places; the text below has both.
        </div>
      ) : (
        <div className="notice merge-status" role="status">
          <strong>
            {plural(
              hunks.length + (merge.title.merged === null ? 1 : 0) + (merge.tags.merged === null ? 1 : 0),
              "place",
            )}{" "}
            changed on both sides: choose for each.
          </strong>{" "}
          Everything else is merged automatically (their {plural(changes.theirs, "change")}, your{" "}
          {plural(changes.mine, "change")}).
        </div>
      )}

      {merge.title.merged === null && (
        <fieldset className="card merge-field">
          <legend>Title: both of you changed it</legend>
          <label>
            <input type="radio" name="title" checked={title === "theirs"} onChange={() => setTitle("theirs")} /> Theirs:{" "}
            <strong>{merge.title.theirs}</strong>
          </label>
          <label>
            <input type="radio" name="title" checked={title === "mine"} onChange={() => setTitle("mine")} /> Yours:{" "}
            <strong>{merge.title.mine}</strong>
          </label>
        </fieldset>
      )}
      {merge.tags.merged === null && (
        <fieldset className="card merge-field">
          <legend>Tags: both of you changed them</legend>
          <label>
            <input type="radio" name="tags" checked={tags === "theirs"} onChange={() => setTags("theirs")} /> Theirs:{" "}
            {merge.tags.theirs.join(", ") || "(none)"}
          </label>
          <label>
            <input type="radio" name="tags" checked={tags === "mine"} onChange={() => setTags("mine")} /> Yours:{" "}
            {merge.tags.mine.join(", ") || "(none)"}
          </label>
          <label>
            <input type="radio" name="tags" checked={tags === "both"} onChange={() => setTags("both")} /> Both changes:{" "}
            {combineTags(merge.tags.base, merge.tags.theirs, merge.tags.mine).join(", ") || "(none)"}
          </label>
        </fieldset>
      )}

      {hunks.map((h, i) => (
        <section key={i} className="card merge-hunk" aria-label={`Conflict ${i + 1} of ${hunks.length}`}>
          <h2>
            Conflict {i + 1} of {hunks.length}{" "}
            <span className="muted">
              {choices[i] ? `— keeping ${CHOICE_LABEL[choices[i]]}` : "— not chosen yet (both kept, with markers)"}
            </span>
          </h2>
          <div className="merge-sides">
            <div>
              <h3>
                Theirs <span className="muted">({theirsLabel})</span>
              </h3>
              <pre className="conflict-text" data-testid="theirs">
                {h.theirs.join("\n") || "(deleted these lines)"}
              </pre>
            </div>
            <div>
              <h3>Yours</h3>
              <pre className="conflict-text" data-testid="mine">
                {h.mine.join("\n") || "(deleted these lines)"}
              </pre>
            </div>
          </div>
          {h.base.length > 0 && (
            <details>
              <summary>Before either change</summary>
              <pre className="conflict-text">{h.base.join("\n")}</pre>
            </details>
          )}
          <div className="actions">
            {(["theirs", "mine", "both"] as const).map((c) => (
              <button
                key={c}
                className={choices[i] === c ? "primary" : undefined}
                aria-pressed={choices[i] === c}
                disabled={!canChoose(i)}
                onClick={() => choose(i, c)}
              >
                {c === "theirs" ? "Use theirs" : c === "mine" ? "Use yours" : "Keep both"}
              </button>
            ))}
          </div>
        </section>
      ))}

      <section className="card">
        <label className="field">
          <span>Proposed text</span>
          <textarea
            className="merge"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setEdited(true);
              setProblem(null);
            }}
          />
        </label>
        {problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
        <div className="actions">
          <button
            className="primary"
            disabled={props.busy}
            onClick={() => {
              const merged = check();
              if (merged) props.onSave(merged, current.version);
            }}
          >
            Save merged text
          </button>
          <button
            disabled={props.busy}
            onClick={() =>
              props.onEdit(
                { title: resolvedTitle ?? props.mine.title, tags: resolvedTags ?? props.mine.tags, body: text },
                current.version,
              )
            }
          >
            Edit in the editor
          </button>
          <button disabled={props.busy} onClick={props.onUseTheirs}>
            Discard mine, use theirs
          </button>
        </div>
      </section>
      <details className="card" open={merge.clean}>
        <summary>What saving changes in their version</summary>
        <DiffView lines={review} />
      </details>
    </div>
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
