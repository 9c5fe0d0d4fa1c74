import { useState, type DragEvent, type ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, call, routes, type User } from "../api";
import { Empty, ErrorBox, Loading, RadioGroup, Tags, plural, useLoad } from "../util";
import type { LearningPath, PathAnalytics, PathStep } from "../contracts";
import { PeoplePicker } from "./feedback";

const KIND: Record<PathStep["kind"], string> = {
  article: "Article",
  question: "Answered question",
  lesson: "Lesson",
  attachment: "File",
  session_file: "Session recording",
  link: "Link",
};
const STATUS: Record<LearningPath["status"], string> = { draft: "Draft", published: "Published", archived: "Archived" };

/** A progress bar with its figure in words (for screen readers too). */
function Progress({ done, total, label }: { done: number; total: number; label: string }) {
  const pct = total ? Math.round((done / total) * 100) : 0;
  return (
    <span className="path-progress">
      <span className="bar" role="img" aria-label={`${label}: ${done} of ${total} steps`}>
        <span style={{ width: `${pct}%` }} />
      </span>
      <span className="small-text muted">
        {done} of {total}
      </span>
    </span>
  );
}

/** Learning paths: the ones I follow (assigned first, by due date), every published path, my drafts. */
export function PathsPage() {
  const list = useLoad(() => call(routes.paths.getPaths), []);
  const spaces = useLoad(() => call(routes.spaces.getSpaces), []);
  const navigate = useNavigate();
  const [form, setForm] = useState({ title: "", goal: "", audience: "", topics: "" });
  const [spaceId, setSpaceId] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [open, setOpen] = useState(false);
  if (list.error) return <ErrorBox error={list.error} />;
  if (!list.data) return <Loading />;
  const items = list.data.items;
  const mine = items.filter((p) => p.mine && !p.mine.completedAt);
  const done = items.filter((p) => p.mine?.completedAt);
  const others = items.filter((p) => !p.mine && p.status === "published");
  const drafts = items.filter((p) => p.status !== "published" && !p.mine);
  const card = (p: (typeof items)[number]) => (
    <li key={p.id} className="card path-card">
      <Link to={`/paths/${p.id}`}>
        <strong>{p.title}</strong>
      </Link>{" "}
      {p.status !== "published" && <span className="badge draft">{STATUS[p.status]}</span>}
      {p.stepsToReview > 0 && <span className="badge due-soon">{plural(p.stepsToReview, "step")} to review</span>}
      <div className="muted small-text">
        {plural(p.steps, "step")} · {plural(p.learners, "learner")} · by {p.owner.name}
        {p.audience && ` · for ${p.audience}`}
      </div>
      {p.mine && (
        <div className="row wrap">
          <Progress done={p.mine.done} total={p.mine.total} label={p.title} />
          {p.mine.dueOn && !p.mine.completedAt && (
            <span className={`badge${p.mine.overdue ? " due-soon" : ""}`}>
              {p.mine.overdue ? "Overdue since" : "Due"} {p.mine.dueOn}
            </span>
          )}
          {p.mine.completedAt && <span className="badge">Completed</span>}
        </div>
      )}
      <Tags tags={p.topics} />
    </li>
  );
  const section = (id: string, title: string, list: typeof items, empty: ReactNode) => (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {list.length ? <ul className="plain-list">{list.map(card)}</ul> : <Empty>{empty}</Empty>}
    </section>
  );
  return (
    <div className="page">
      <div className="row wrap spread">
        <h1>Learning paths</h1>
        <button className="primary" onClick={() => setOpen(!open)} aria-expanded={open}>
          New path
        </button>
      </div>
      <p className="muted">
        Paths are made of knowledge that already exists here — articles, answered questions, lessons, recordings — so
        when it changes, learners are told.
      </p>
      {open && (
        <div className="card">
          <form
            className="form"
            aria-label="New learning path"
            onSubmit={async (e) => {
              e.preventDefault();
              try {
                const p = await call(routes.paths.postPaths, {
                  body: {
                    title: form.title,
                    goal: form.goal,
                    audience: form.audience,
                    topics: form.topics
                      .split(",")
                      .map((t) => t.trim())
                      .filter(Boolean),
                  },
                });
                void navigate(`/paths/${p.id}`);
              } catch (err) {
                setError(err as ApiError);
              }
            }}
          >
            <label className="field">
              <span>Title</span>
              <input
                required
                value={form.title}
                onChange={(e) => setForm((prev) => ({ ...prev, title: e.target.value }))}
              />
              {error?.field("title") && <span className="field-error">{error.field("title")}</span>}
            </label>
            <label className="field">
              <span>Goal (Markdown)</span>
              <textarea
                rows={3}
                value={form.goal}
                onChange={(e) => setForm((prev) => ({ ...prev, goal: e.target.value }))}
              />
            </label>
            <div className="row wrap">
              <label className="field">
                <span>Audience</span>
                <input
                  value={form.audience}
                  placeholder="New warehouse staff"
                  onChange={(e) => setForm((prev) => ({ ...prev, audience: e.target.value }))}
                />
              </label>
              <label className="field">
                <span>Topics (comma-separated)</span>
                <input value={form.topics} onChange={(e) => setForm((prev) => ({ ...prev, topics: e.target.value }))} />
                {error?.field("topics") && <span className="field-error">{error.field("topics")}</span>}
              </label>
            </div>
            <button className="primary">Create path</button>
          </form>
          <form
            className="form"
            aria-label="Make a path from a space"
            onSubmit={async (e) => {
              e.preventDefault();
              try {
                const p = await call(routes.paths.postFromSpace, { body: { spaceId } });
                void navigate(`/paths/${p.id}`);
              } catch (err) {
                setError(err as ApiError);
              }
            }}
          >
            <label className="field">
              <span>Or make an onboarding path from a space (its articles in page order)</span>
              <select value={spaceId} onChange={(e) => setSpaceId(e.target.value)} required>
                <option value="">Choose a space…</option>
                {spaces.data?.items.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
              {error?.field("spaceId") && <span className="field-error">{error.field("spaceId")}</span>}
            </label>
            <button>Make a path from this space</button>
          </form>
          <ErrorBox error={error && !error.fields?.length ? error : null} />
        </div>
      )}
      {section("paths-mine", "My paths", mine, "You are on no path. Enrol in one below, or be assigned one.")}
      {section("paths-all", "Published paths", others, "No other published paths yet.")}
      {drafts.length > 0 && section("paths-drafts", "Drafts and archived", drafts, null)}
      {done.length > 0 && section("paths-done", "Completed", done, null)}
    </div>
  );
}

/** A step's check as the learner answers it: choices, or a short answer compared with the model answer. */
function CheckForm({
  step,
  onDone,
}: {
  step: PathStep;
  onDone: (body: { choices?: number[]; text?: string; selfAssessment?: "yes" | "partly" | "no" }) => Promise<void>;
}) {
  const c = step.check!;
  const [choices, setChoices] = useState<number[]>([]);
  const [text, setText] = useState("");
  const [revealed, setRevealed] = useState(false);
  const [self, setSelf] = useState<"yes" | "partly" | "no">("yes");
  if (c.type === "short")
    return (
      <form
        className="form check"
        aria-label={`Check: ${c.question}`}
        onSubmit={async (e) => {
          e.preventDefault();
          if (!revealed) setRevealed(true);
          else await onDone({ text, selfAssessment: self });
        }}
      >
        <label className="field">
          <span>{c.question}</span>
          <textarea rows={3} value={text} required onChange={(e) => setText(e.target.value)} readOnly={revealed} />
        </label>
        {revealed && (
          <>
            <div className="card model-answer" role="note" aria-label="Model answer">
              <strong>Model answer:</strong> {c.modelAnswer ?? "(shown after you answer)"}
            </div>
            <RadioGroup
              legend="How did your answer compare?"
              name={`self-${step.id}`}
              value={self}
              onChange={setSelf}
              options={[
                { value: "yes", label: "I had it" },
                { value: "partly", label: "Partly" },
                { value: "no", label: "I missed it" },
              ]}
            />
          </>
        )}
        <button className="primary">{revealed ? "Done with this step" : "Compare with the model answer"}</button>
      </form>
    );
  const multiple = c.type === "multiple";
  return (
    <form
      className="form check"
      aria-label={`Check: ${c.question}`}
      onSubmit={async (e) => {
        e.preventDefault();
        await onDone({ choices });
      }}
    >
      <fieldset className="field">
        <legend>
          {c.question} {multiple && <span className="muted small-text">(choose every right answer)</span>}
        </legend>
        {c.options.map((o, i) => (
          <label key={i} className="radio">
            <input
              type={multiple ? "checkbox" : "radio"}
              name={`check-${step.id}`}
              checked={choices.includes(i)}
              onChange={(e) =>
                setChoices((prev) => (multiple ? (e.target.checked ? [...prev, i] : prev.filter((x) => x !== i)) : [i]))
              }
            />{" "}
            {o}
          </label>
        ))}
      </fieldset>
      <button className="primary" disabled={choices.length === 0}>
        Check my answer
      </button>
    </form>
  );
}

function StepCard({
  p,
  step,
  index,
  editing,
  act,
  onMove,
  drag,
}: {
  p: LearningPath;
  step: PathStep;
  index: number;
  editing: boolean;
  act: (f: () => Promise<LearningPath>) => Promise<boolean>;
  onMove: (from: number, to: number) => void;
  drag: { onDragStart: () => void; onDrop: (e: DragEvent) => void };
}) {
  const [message, setMessage] = useState("");
  const [reflection, setReflection] = useState("");
  const [reflected, setReflected] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const done = Boolean(step.mine?.completedAt);
  const title = step.accessible ? (step.title ?? "Untitled") : "A step you may not open";
  const complete = async (body: { choices?: number[]; text?: string; selfAssessment?: "yes" | "partly" | "no" }) => {
    let passed: boolean | null = null;
    let completed = false;
    const ok = await act(async () => {
      const r = await call(routes.paths.postComplete, { params: { id: p.id, stepId: step.id }, body });
      passed = r.passed;
      completed = r.completed;
      return r.path;
    });
    if (ok)
      setMessage(
        completed
          ? passed === false
            ? "Done. Your first answer was not right; the step counts as done now."
            : "Step done."
          : "Not quite: read the step again and try once more.",
      );
  };
  const external = step.kind === "link" || step.kind === "attachment";
  return (
    <li
      id={`step-${step.id}`}
      className={`card path-step${done ? " done" : ""}`}
      draggable={editing}
      onDragStart={drag.onDragStart}
      onDragOver={(e) => editing && e.preventDefault()}
      onDrop={drag.onDrop}
      aria-label={`Step ${index + 1}: ${title}`}
    >
      <div className="row wrap spread">
        <div>
          <span className="step-number" aria-hidden="true">
            {done ? "✓" : index + 1}
          </span>{" "}
          <span className="muted small-text">{KIND[step.kind]}</span>{" "}
          {step.accessible && step.href ? (
            external ? (
              <a href={step.href} target="_blank" rel="noreferrer noopener">
                <strong>{title}</strong>
              </a>
            ) : (
              <Link to={step.href}>
                <strong>{title}</strong>
              </Link>
            )
          ) : (
            <strong>{title}</strong>
          )}
          {step.where && <span className="muted small-text"> · {step.where}</span>}
          {done && <span className="badge">Done</span>}
          {step.state !== "ok" && (
            <span className={`badge ${step.state === "revised" ? "" : "due-soon"}`}>{step.state}</span>
          )}
          {editing && step.needsReview && <span className="badge due-soon">Review this step</span>}
        </div>
        {editing && (
          <div className="actions" role="group" aria-label={`Move or remove step ${index + 1}`}>
            <button
              type="button"
              disabled={index === 0}
              onClick={() => onMove(index, index - 1)}
              aria-label={`Move step ${index + 1} up`}
            >
              ↑
            </button>
            <button
              type="button"
              disabled={index === p.steps.length - 1}
              onClick={() => onMove(index, index + 1)}
              aria-label={`Move step ${index + 1} down`}
            >
              ↓
            </button>
            {step.needsReview && (
              <button
                type="button"
                onClick={() =>
                  void act(() =>
                    call(routes.paths.patchStep, {
                      params: { id: p.id, stepId: step.id },
                      body: { version: p.version, reviewed: true },
                    }),
                  )
                }
              >
                Mark reviewed
              </button>
            )}
            <button
              type="button"
              className="danger"
              onClick={() =>
                void act(() =>
                  call(routes.paths.deleteStep, {
                    params: { id: p.id, stepId: step.id },
                    query: { version: String(p.version) },
                  }),
                )
              }
              aria-label={`Remove step ${index + 1}`}
            >
              Remove
            </button>
          </div>
        )}
      </div>
      {step.stateText && <p className="muted small-text">{step.stateText}</p>}
      {step.note && <div className="markdown" dangerouslySetInnerHTML={{ __html: step.noteHtml }} />}
      {!editing && step.accessible && p.status === "published" && !done && (
        <>
          {step.check ? (
            <CheckForm step={step} onDone={complete} />
          ) : (
            <button className="primary" onClick={() => void complete({})}>
              Mark as done
            </button>
          )}
        </>
      )}
      {editing && step.check && (
        <p className="small-text muted">
          Check: {step.check.question}
          {step.check.type !== "short" &&
            step.check.correct &&
            ` (right: ${step.check.correct.map((i) => (step.check?.type !== "short" ? step.check?.options[i] : "")).join(", ")})`}
        </p>
      )}
      {message && (
        <p role="status" className="small-text">
          {message}
        </p>
      )}
      {!editing && done && step.reflectionPrompt && !reflected && (
        <form
          className="form"
          aria-label={`Reflection on step ${index + 1}`}
          onSubmit={async (e) => {
            e.preventDefault();
            try {
              await call(routes.paths.postReflection, {
                params: { id: p.id, stepId: step.id },
                body: { body: reflection },
              });
              setReflected(true);
            } catch (err) {
              setError(err as ApiError);
            }
          }}
        >
          <label className="field">
            <span>{step.reflectionPrompt}</span>
            <textarea rows={2} value={reflection} onChange={(e) => setReflection(e.target.value)} />
            {error?.field("body") && <span className="field-error">{error.field("body")}</span>}
          </label>
          <button>Save to my journal</button>
        </form>
      )}
      {reflected && (
        <p role="status" className="small-text">
          Saved to <Link to="/journal">your journal</Link> (only you read it).
        </p>
      )}
    </li>
  );
}

type Candidate = {
  kind: PathStep["kind"];
  id: string;
  title: string;
  where: string;
  verified: boolean;
  superseded: boolean;
};

/** Adding steps: from search (verified knowledge first), or an outside link; a check for the step. */
function AddStep({ p, act }: { p: LearningPath; act: (f: () => Promise<LearningPath>) => Promise<boolean> }) {
  const [q, setQ] = useState("");
  const [hits, setHits] = useState<Candidate[] | null>(null);
  const [link, setLink] = useState({ url: "", title: "" });
  const [check, setCheck] = useState({ on: false, question: "", options: "", correct: "1" });
  const [error, setError] = useState<ApiError | null>(null);
  const checkBody = () => {
    if (!check.on) return null;
    const options = check.options
      .split("\n")
      .map((o) => o.trim())
      .filter(Boolean);
    return {
      type: "single" as const,
      question: check.question,
      options,
      correct: [Math.max(0, Number(check.correct) - 1)],
    };
  };
  const add = async (body: { kind: PathStep["kind"]; targetId?: string; url?: string; title?: string }) => {
    setError(null);
    const ok = await act(async () => {
      try {
        return await call(routes.paths.postStep, {
          params: { id: p.id },
          body: { version: p.version, ...body, check: checkBody() },
        });
      } catch (err) {
        setError(err as ApiError);
        throw err;
      }
    });
    if (ok) setCheck({ on: false, question: "", options: "", correct: "1" });
  };
  return (
    <section className="card" aria-labelledby="add-step">
      <h2 id="add-step">Add a step</h2>
      <form
        className="form"
        role="search"
        aria-label="Find knowledge for a step"
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await call(routes.paths.getCandidates, { query: { q } });
          setHits(r.items);
        }}
      >
        <div className="row wrap">
          <label className="field grow">
            <span>Search articles, answered questions, lessons, files and recordings</span>
            <input value={q} onChange={(e) => setQ(e.target.value)} placeholder="forklift pre-use check" />
          </label>
          <button>Search</button>
        </div>
      </form>
      <fieldset className="field">
        <legend>A check for the next step (optional)</legend>
        <label className="radio">
          <input
            type="checkbox"
            checked={check.on}
            onChange={(e) => setCheck((prev) => ({ ...prev, on: e.target.checked }))}
          />{" "}
          Ask a single-choice question
        </label>
        {check.on && (
          <>
            <label className="field">
              <span>Question</span>
              <input
                value={check.question}
                onChange={(e) => setCheck((prev) => ({ ...prev, question: e.target.value }))}
              />
              {error?.field("check.question") && <span className="field-error">{error.field("check.question")}</span>}
            </label>
            <label className="field">
              <span>Options, one per line</span>
              <textarea
                rows={3}
                value={check.options}
                onChange={(e) => setCheck((prev) => ({ ...prev, options: e.target.value }))}
              />
              {error?.field("check.options") && <span className="field-error">{error.field("check.options")}</span>}
            </label>
            <label className="field">
              <span>Number of the right option</span>
              <input
                type="number"
                min={1}
                max={8}
                value={check.correct}
                onChange={(e) => setCheck((prev) => ({ ...prev, correct: e.target.value }))}
              />
              {error?.field("check.correct") && <span className="field-error">{error.field("check.correct")}</span>}
            </label>
          </>
        )}
      </fieldset>
      {hits && (
        <ul className="plain-list" aria-label="Knowledge to add">
          {hits.length === 0 && <li className="muted">Nothing found.</li>}
          {hits.map((h) => (
            <li key={`${h.kind}-${h.id}`} className="row wrap spread">
              <span>
                <span className="muted small-text">{KIND[h.kind]}</span> <strong>{h.title}</strong>{" "}
                <span className="muted small-text">{h.where}</span>{" "}
                {h.verified && <span className="badge">Verified</span>}
                {h.superseded && <span className="badge due-soon">Superseded</span>}
              </span>
              <button
                type="button"
                onClick={() => void add({ kind: h.kind, targetId: h.id })}
                aria-label={`Add ${h.title}`}
              >
                Add
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="form"
        aria-label="Add a link"
        onSubmit={async (e) => {
          e.preventDefault();
          await add({ kind: "link", url: link.url, title: link.title });
          setLink({ url: "", title: "" });
        }}
      >
        <div className="row wrap">
          <label className="field">
            <span>Link title</span>
            <input value={link.title} onChange={(e) => setLink((prev) => ({ ...prev, title: e.target.value }))} />
            {error?.field("title") && <span className="field-error">{error.field("title")}</span>}
          </label>
          <label className="field grow">
            <span>Address</span>
            <input
              value={link.url}
              placeholder="https://"
              onChange={(e) => setLink((prev) => ({ ...prev, url: e.target.value }))}
            />
            {error?.field("url") && <span className="field-error">{error.field("url")}</span>}
          </label>
        </div>
        <button>Add link</button>
      </form>
    </section>
  );
}

function Assign({ p }: { p: LearningPath }) {
  const [people, setPeople] = useState<User[]>([]);
  const [dueOn, setDueOn] = useState("");
  const [status, setStatus] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <section className="card" aria-labelledby="assign-path">
      <h2 id="assign-path">Assign</h2>
      <form
        className="form"
        aria-label="Assign this path"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          try {
            const r = await call(routes.paths.postAssign, {
              params: { id: p.id },
              body: { userIds: people.map((x) => x.id), dueOn: dueOn || null },
            });
            setStatus(
              `Assigned to ${plural(r.assigned, "person", "people")}${r.updated ? `; ${r.updated} already on it (due date updated)` : ""}.`,
            );
            setPeople([]);
          } catch (err) {
            setError(err as ApiError);
          }
        }}
      >
        <PeoplePicker chosen={people} onChange={setPeople} label="People to assign" id="assign-people" />
        <label className="field">
          <span>Due on (optional)</span>
          <input type="date" value={dueOn} onChange={(e) => setDueOn(e.target.value)} />
          {error?.field("dueOn") && <span className="field-error">{error.field("dueOn")}</span>}
        </label>
        <ErrorBox error={error} />
        <button className="primary" disabled={people.length === 0}>
          Assign
        </button>
        {status && <p role="status">{status}</p>}
      </form>
      <p className="muted small-text">
        Managers assign to the people who report to them; knowledge managers to anyone.
      </p>
    </section>
  );
}

function Analytics({ id }: { id: string }) {
  const a = useLoad(() => call(routes.paths.getAnalytics, { params: { id } }), [id]);
  if (a.error) return <ErrorBox error={a.error} />;
  if (!a.data) return <Loading />;
  const d: PathAnalytics = a.data;
  const max = Math.max(1, d.learners);
  return (
    <section className="card" aria-labelledby="path-analytics">
      <h2 id="path-analytics">How learners get on</h2>
      <p className="muted">
        {plural(d.learners, "learner")}, {d.completed} completed
        {d.medianDaysToComplete !== null && ` · median ${d.medianDaysToComplete} days to complete`}
      </p>
      <h3>Completion funnel</h3>
      <ul className="bars wide-values" aria-label="Learners who completed each step">
        {d.funnel.map((f) => (
          <li key={f.stepId}>
            <span className="bar-label">
              {f.position}. {f.title}
            </span>
            <span
              className="bar"
              role="img"
              aria-label={`Step ${f.position}: ${f.completed} of ${d.learners} completed`}
            >
              <span style={{ width: `${Math.round((f.completed / max) * 100)}%` }} />
            </span>
            <span className="bar-value">
              {f.completed}
              {f.passRate !== null && ` · ${Math.round(f.passRate * 100)} % right first time`}
            </span>
          </li>
        ))}
      </ul>
      <h3>Overdue</h3>
      {d.overdue.length === 0 ? (
        <Empty>No assignment is overdue.</Empty>
      ) : (
        <ul className="plain-list">
          {d.overdue.map((o) => (
            <li key={o.person.id}>
              <Link to={`/people/${o.person.id}`}>{o.person.name}</Link> — due {o.dueOn}, {o.done} of {o.total} steps
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A path: its steps as this reader may see them, progress and checks; for its owner, authoring and analytics. */
export function PathPageView() {
  const { id = "" } = useParams();
  const load = useLoad(() => call(routes.paths.getPath, { params: { id } }), [id]);
  const [override, setOverride] = useState<LearningPath | null>(null);
  const [editing, setEditing] = useState(false);
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [announce, setAnnounce] = useState("");
  const p = override && override.id === id ? override : load.data;
  if (load.error) return <ErrorBox error={load.error} />;
  if (!p) return <Loading />;
  const act = async (f: () => Promise<LearningPath>) => {
    try {
      setError(null);
      setOverride(await f());
      return true;
    } catch (err) {
      setError(err as ApiError);
      return false;
    }
  };
  const move = (from: number, to: number) => {
    if (to < 0 || to >= p.steps.length || from === to) return;
    const ids = p.steps.map((s) => s.id);
    const [m] = ids.splice(from, 1);
    ids.splice(to, 0, m);
    void act(() =>
      call(routes.paths.putStepOrder, { params: { id: p.id }, body: { version: p.version, stepIds: ids } }),
    ).then((ok) => ok && setAnnounce(`Step moved to position ${to + 1}.`));
  };
  const mine = p.mine;
  return (
    <div className="page path-page">
      <p className="muted small-text">
        <Link to="/paths">Learning paths</Link>
      </p>
      <div className="row wrap spread">
        <h1>{p.title}</h1>
        {p.can.edit && (
          <button onClick={() => setEditing(!editing)} aria-pressed={editing}>
            {editing ? "Done editing" : "Edit steps"}
          </button>
        )}
      </div>
      <p className="muted">
        {STATUS[p.status]} · by {p.owner.name}
        {p.audience && ` · for ${p.audience}`} · {plural(p.learners, "learner")}, {p.completions} completed
      </p>
      <Tags tags={p.topics} />
      {p.goal && <div className="markdown" dangerouslySetInnerHTML={{ __html: p.goalHtml }} />}
      {p.stepsToReview > 0 && p.can.edit && (
        <p className="card warning" role="note">
          {plural(p.stepsToReview, "step")} point at knowledge that changed since you last looked: review{" "}
          {p.stepsToReview === 1 ? "it" : "them"}.
        </p>
      )}
      <ErrorBox error={error} />
      {mine ? (
        <div className="card row wrap spread" aria-label="My progress" role="region">
          <Progress done={mine.done} total={mine.total} label="My progress" />
          <span>
            {mine.completedAt
              ? "You completed this path."
              : mine.dueOn
                ? `${mine.overdue ? "Overdue since" : "Due"} ${mine.dueOn}`
                : "In progress"}
            {mine.assignedBy && ` · assigned by ${mine.assignedBy.name}`}
          </span>
          {mine.nextStepId && (
            <a className="button" href={`#step-${mine.nextStepId}`}>
              Resume
            </a>
          )}
          {!mine.assignedBy && !mine.completedAt && (
            <button onClick={() => void act(() => call(routes.paths.deleteEnrol, { params: { id: p.id } }))}>
              Leave the path
            </button>
          )}
        </div>
      ) : (
        p.can.enrol && (
          <button
            className="primary"
            onClick={() => void act(() => call(routes.paths.postEnrol, { params: { id: p.id } }))}
          >
            Enrol
          </button>
        )
      )}
      {p.can.edit && (
        <div className="actions">
          {p.status !== "published" ? (
            <button
              className="primary"
              onClick={() =>
                void act(() =>
                  call(routes.paths.patchPath, {
                    params: { id: p.id },
                    body: { version: p.version, status: "published" },
                  }),
                )
              }
            >
              Publish
            </button>
          ) : (
            <button
              onClick={() =>
                void act(() =>
                  call(routes.paths.patchPath, {
                    params: { id: p.id },
                    body: { version: p.version, status: "archived" },
                  }),
                )
              }
            >
              Archive
            </button>
          )}
          {error?.field("status") && <span className="field-error">{error.field("status")}</span>}
        </div>
      )}
      <section aria-labelledby="path-steps">
        <h2 id="path-steps">Steps</h2>
        {editing && <p className="muted small-text">Drag a step, or use its arrow buttons, to change the order.</p>}
        <p className="sr-only" role="status">
          {announce}
        </p>
        {p.steps.length === 0 ? (
          <Empty>No steps yet. {p.can.edit ? "Add the first one below." : ""}</Empty>
        ) : (
          <ol className="plain-list path-steps">
            {p.steps.map((s, i) => (
              <StepCard
                key={s.id}
                p={p}
                step={s}
                index={i}
                editing={editing}
                act={act}
                onMove={move}
                drag={{
                  onDragStart: () => setDragFrom(i),
                  onDrop: (e) => {
                    e.preventDefault();
                    if (dragFrom !== null) move(dragFrom, i);
                    setDragFrom(null);
                  },
                }}
              />
            ))}
          </ol>
        )}
      </section>
      {editing && <AddStep p={p} act={act} />}
      {p.can.assign && p.status === "published" && <Assign p={p} />}
      {p.can.analytics && <Analytics id={p.id} />}
    </div>
  );
}
