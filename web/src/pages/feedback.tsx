import { useState, type FormEvent } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { ApiError, call, routes, type User } from "../api";
import { Empty, ErrorBox, Loading, RadioGroup, fullDate, plural, useLoad } from "../util";
import type { Feedback, FeedbackSummary } from "../contracts";

const KIND_LABEL = { article: "An article", decision: "A decision", project: "A project", text: "Something I wrote" };

function Deadline({ s }: { s: Pick<FeedbackSummary, "deadline" | "open" | "standing" | "dueSoon"> }) {
  if (s.standing) return <span className="badge">Standing</span>;
  if (!s.open) return <span className="badge">Closed</span>;
  if (!s.deadline) return null;
  return (
    <span className={s.dueSoon ? "badge due-soon" : "muted"}>
      due <time dateTime={s.deadline}>{fullDate(s.deadline)}</time>
    </span>
  );
}

/** "2 of 5 answered, 0 released"; a standing request counts answers over its rounds. */
function counts(s: Pick<FeedbackSummary, "answered" | "released" | "recipientCount" | "standing">) {
  const answered = s.answered ?? 0;
  return s.standing
    ? `${plural(answered, "answer")} from ${plural(s.recipientCount ?? 0, "person", "people")}, ${s.released ?? 0} released`
    : `${answered} of ${s.recipientCount ?? 0} answered, ${s.released ?? 0} released`;
}

function SummaryItem({ s, mine }: { s: FeedbackSummary; mine: boolean }) {
  return (
    <li className="card feedback-card" data-testid="feedback-item">
      <Link to={`/feedback/${s.id}`} className="a-title">
        {s.title}
      </Link>{" "}
      <Deadline s={s} />
      <div className="muted small-text">
        {KIND_LABEL[s.subjectKind]} · {s.anonymous ? "anonymous" : "named"}
        {mine ? ` · ${counts(s)}` : ` · asked by ${s.asker.name}${s.myAnswered ? " · you answered" : ""}`}
      </div>
      {!mine && s.thanks && (
        <p className="thanks">
          “{s.thanks}” — {s.asker.name}
        </p>
      )}
    </li>
  );
}

/** My requests for feedback and the ones made of me. */
export function FeedbackPage() {
  const list = useLoad(() => call(routes.feedback.getFeedback), []);
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Feedback</h1>
          <p className="muted">
            Ask colleagues for candid feedback. Anonymous answers are shown to you only once at least three people have
            answered, and only you read them.
          </p>
        </div>
        <div className="actions">
          <Link className="button primary" to="/feedback/new">
            Ask for feedback
          </Link>
          <Link className="button" to="/feedback/new?standing=1">
            What should I hear?
          </Link>
        </div>
      </div>
      {list.loading && !list.data && <Loading />}
      <ErrorBox error={list.error} />
      {list.data && (
        <>
          <section aria-labelledby="asked-of-you">
            <h2 id="asked-of-you">Asked of you</h2>
            {list.data.received.length === 0 && <Empty>Nobody has asked you for feedback yet.</Empty>}
            <ul className="plain-list">
              {list.data.received.map((s) => (
                <SummaryItem key={s.id} s={s} mine={false} />
              ))}
            </ul>
          </section>
          <section aria-labelledby="asked-by-you">
            <h2 id="asked-by-you">Your requests</h2>
            {list.data.asked.length === 0 && <Empty>You have not asked for feedback yet.</Empty>}
            <ul className="plain-list">
              {list.data.asked.map((s) => (
                <SummaryItem key={s.id} s={s} mine />
              ))}
            </ul>
          </section>
        </>
      )}
    </div>
  );
}

type QuestionDraft = { kind: "text" | "scale"; prompt: string };
const inAWeek = () => {
  const d = new Date(Date.now() + 7 * 86_400_000);
  d.setMinutes(0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:00`;
};
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** People picker: search by name, chosen ones as removable chips. */
export function PeoplePicker({
  chosen,
  onChange,
  label = "People to ask",
  id = "feedback-people",
}: {
  chosen: User[];
  onChange: (people: User[]) => void;
  label?: string;
  id?: string;
}) {
  const [q, setQ] = useState("");
  const [hits, setHits] = useState<User[]>([]);
  const search = async (text: string) => {
    setQ(text);
    if (text.trim().length < 2) return setHits([]);
    const r = await call(routes.people.getPeople, { query: { q: text, limit: "8" } }).catch(() => ({ items: [] }));
    setHits(r.items.filter((h) => !chosen.some((c) => c.id === h.id)));
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} value={q} onChange={(e) => void search(e.target.value)} placeholder="Type a colleague's name" />
      {hits.length > 0 && (
        <ul className="pick-list" role="listbox" aria-label="Matching people">
          {hits.map((h) => (
            <li
              key={h.id}
              role="option"
              aria-selected={false}
              tabIndex={0}
              onClick={() => {
                onChange([...chosen, h]);
                setHits([]);
                setQ("");
              }}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  onChange([...chosen, h]);
                  setHits([]);
                  setQ("");
                }
              }}
            >
              {h.name} <span className="muted">{[h.title, h.department].filter(Boolean).join(", ")}</span>
            </li>
          ))}
        </ul>
      )}
      <div className="actions" role="group" aria-label="Chosen people">
        {chosen.map((p) => (
          <button
            type="button"
            key={p.id}
            className="chip on"
            onClick={() => onChange(chosen.filter((c) => c.id !== p.id))}
            aria-label={`Remove ${p.name}`}
          >
            {p.name} ×
          </button>
        ))}
      </div>
    </div>
  );
}

/** The form to ask for feedback (or, with ?standing=1, a manager's standing request to their team). */
export function NewFeedbackPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const standing = params.get("standing") === "1";
  const departments = useLoad(() => call(routes.people.getPeopleDepartments), []);
  const [kind, setKind] = useState<"article" | "decision" | "project" | "text">("text");
  const [article, setArticle] = useState("");
  const [title, setTitle] = useState(standing ? "What should I hear?" : "");
  const [description, setDescription] = useState(
    standing ? "Anything you think I should hear: what to keep, stop or start doing. Anonymous." : "",
  );
  const [questions, setQuestions] = useState<QuestionDraft[]>(
    standing
      ? [{ kind: "text", prompt: "What should I hear?" }]
      : [
          { kind: "scale", prompt: "Overall, how good is it?" },
          { kind: "text", prompt: "What should I change?" },
        ],
  );
  const [scope, setScope] = useState<"people" | "team" | "department">(standing ? "team" : "people");
  const [people, setPeople] = useState<User[]>([]);
  const [department, setDepartment] = useState("");
  const [anonymous, setAnonymous] = useState(true);
  const [deadline, setDeadline] = useState(inAWeek());
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const setQuestion = (i: number, q: Partial<QuestionDraft>) =>
    setQuestions(questions.map((x, j) => (j === i ? { ...x, ...q } : x)));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const created = await call(routes.feedback.postFeedback, {
        body: {
          subject: {
            kind,
            articleId: kind === "article" ? (UUID.exec(article)?.[0] ?? null) : null,
            title,
            description,
          },
          questions,
          recipients:
            scope === "people"
              ? { kind: "people", userIds: people.map((p) => p.id) }
              : scope === "team"
                ? { kind: "team" }
                : { kind: "department", department },
          anonymous,
          standing,
          deadline: standing || !deadline ? null : new Date(deadline).toISOString(),
        },
      });
      navigate(`/feedback/${created.id}`);
    } catch (err) {
      setError(err as ApiError);
      setBusy(false);
    }
  };
  const fieldError = (path: string) => error?.field(path) && <span className="field-error">{error.field(path)}</span>;
  return (
    <div className="page narrow">
      <h1>{standing ? "What should I hear?" : "Ask for feedback"}</h1>
      <p className="muted">
        {standing
          ? "A standing request to the people reporting to you: no deadline, anonymous, answers shown in groups of at least three."
          : "Name colleagues, your team or a department. Anonymous answers keep no link to who wrote them and appear only once three people have answered."}
      </p>
      <form className="card form" onSubmit={submit} aria-label="Ask for feedback">
        {error && (!error.fields.length || error.field("recipients")) && <ErrorBox error={error} />}
        {!standing && (
          <RadioGroup
            legend="Feedback on"
            name="subject-kind"
            value={kind}
            onChange={setKind}
            options={[
              { value: "text", label: "Something I wrote (describe it below)" },
              { value: "article", label: "An article" },
              { value: "decision", label: "A decision" },
              { value: "project", label: "A project" },
            ]}
          />
        )}
        {kind === "article" && (
          <label className="field">
            <span>The article's address</span>
            <input value={article} onChange={(e) => setArticle(e.target.value)} placeholder="https://…/articles/…" />
            {fieldError("subject.articleId")}
          </label>
        )}
        <label className="field">
          <span>Title</span>
          <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={160} />
          {fieldError("subject.title")}
        </label>
        <label className="field">
          <span>Description (Markdown)</span>
          <textarea rows={4} value={description} onChange={(e) => setDescription(e.target.value)} />
          {fieldError("subject.description")}
        </label>
        <fieldset className="field">
          <legend>Questions</legend>
          {questions.map((q, i) => (
            <div className="inline-form question-row" key={i}>
              <label className="field">
                <span>Kind</span>
                <select
                  value={q.kind}
                  onChange={(e) => setQuestion(i, { kind: e.target.value as QuestionDraft["kind"] })}
                  aria-label={`Kind of question ${i + 1}`}
                >
                  <option value="scale">Scale 1–5</option>
                  <option value="text">Free text</option>
                </select>
              </label>
              <label className="field grow">
                <span>Question {i + 1}</span>
                <input value={q.prompt} onChange={(e) => setQuestion(i, { prompt: e.target.value })} required />
                {fieldError(`questions.${i}.prompt`)}
              </label>
              {questions.length > 1 && (
                <button
                  type="button"
                  className="small"
                  onClick={() => setQuestions(questions.filter((_, j) => j !== i))}
                  aria-label={`Remove question ${i + 1}`}
                >
                  Remove
                </button>
              )}
            </div>
          ))}
          {questions.length < 10 && (
            <button
              type="button"
              className="small"
              onClick={() => setQuestions([...questions, { kind: "text", prompt: "" }])}
            >
              Add a question
            </button>
          )}
          {fieldError("questions")}
        </fieldset>
        {!standing && (
          <RadioGroup
            legend="Ask"
            name="scope"
            value={scope}
            onChange={setScope}
            options={[
              { value: "people", label: "Named colleagues" },
              { value: "team", label: "My team (the people reporting to me)" },
              { value: "department", label: "A department" },
            ]}
          />
        )}
        {scope === "people" && !standing && <PeoplePicker chosen={people} onChange={setPeople} />}
        {fieldError("recipients.userIds")}
        {scope === "department" && (
          <label className="field">
            <span>Department</span>
            <select value={department} onChange={(e) => setDepartment(e.target.value)} required>
              <option value="">Choose…</option>
              {departments.data?.items.map((d) => (
                <option key={d.department} value={d.department}>
                  {d.department} ({d.count})
                </option>
              ))}
            </select>
            {fieldError("recipients.department")}
          </label>
        )}
        <label className="radio">
          <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} /> Anonymous
          answers (needs at least three people; you will not see who said what)
        </label>
        {!standing && (
          <label className="field">
            <span>Deadline</span>
            <input type="datetime-local" value={deadline} onChange={(e) => setDeadline(e.target.value)} required />
            {fieldError("deadline")}
          </label>
        )}
        <button className="primary" disabled={busy}>
          {standing ? "Open the standing request" : "Ask"}
        </button>
      </form>
    </div>
  );
}

function AnswerForm({ f, onDone }: { f: Feedback; onDone: () => void }) {
  const [values, setValues] = useState<(number | string)[]>(f.questions.map((q) => (q.kind === "scale" ? 0 : "")));
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await call(routes.feedback.postFeedbackAnswers, {
        params: { id: f.id },
        body: { answers: values.map((value) => ({ value })) },
      });
      onDone();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <form className="card form" onSubmit={submit} aria-label="Your answer">
      <h2>Your answer</h2>
      <p className="muted small-text">
        {f.anonymous
          ? "Anonymous: your answer is stored without your name or the time, and shown only together with at least two others."
          : `Named: ${f.asker.name} sees that this is your answer.`}
      </p>
      {error && !error.fields.some((x) => x.path.startsWith("answers.")) && <ErrorBox error={error} />}
      {f.questions.map((q, i) => {
        const problem = error?.field(`answers.${i}.value`);
        const set = (v: number | string) => setValues(values.map((x, j) => (j === i ? v : x)));
        return q.kind === "scale" ? (
          <fieldset className="field scale" key={i}>
            <legend>{q.prompt}</legend>
            <div className="scale-choices">
              {[1, 2, 3, 4, 5].map((n) => (
                <label key={n} className="radio">
                  <input type="radio" name={`q${i}`} checked={values[i] === n} onChange={() => set(n)} /> {n}
                </label>
              ))}
            </div>
            {problem && <span className="field-error">{problem}</span>}
          </fieldset>
        ) : (
          <label className="field" key={i}>
            <span>{q.prompt}</span>
            <textarea rows={4} maxLength={5000} value={values[i]} onChange={(e) => set(e.target.value)} />
            {problem && <span className="field-error">{problem}</span>}
          </label>
        );
      })}
      <button className="primary">Send {f.anonymous ? "anonymously" : ""}</button>
    </form>
  );
}

/** The summary the asker may share: counts and means only, never the answers' texts. */
function draftSummary(f: Feedback) {
  const lines = [`I asked for feedback on “${f.subject.title}” — ${plural(f.released ?? 0, "answer")} so far.`];
  for (const q of f.results?.questions ?? [])
    if (q.scale && q.scale.mean !== null) lines.push(`- ${q.prompt}: ${q.scale.mean} / 5`);
  lines.push("", "What I take from it: ");
  return lines.join("\n");
}

function Results({ f }: { f: Feedback }) {
  const r = f.results;
  if (!r) return null;
  return (
    <section aria-labelledby="answers-heading" className="card">
      <h2 id="answers-heading">Answers</h2>
      <p data-testid="feedback-counts">{counts(f)}</p>
      {f.anonymous && (f.answered ?? 0) > (f.released ?? 0) && (
        <p className="muted small-text">
          Anonymous answers are shown in groups of at least three, so none can be told apart by when it came.
        </p>
      )}
      {r.questions.map((q, i) => (
        <div key={i} className="feedback-question">
          <h3>{q.prompt}</h3>
          {q.scale && (
            <div>
              <p data-testid={`mean-${i}`}>
                {q.scale.mean === null ? "No answers shown yet." : `Mean ${q.scale.mean} of 5`}{" "}
                <span className="muted">({plural(q.scale.count, "answer")})</span>
              </p>
              <ol className="distribution" aria-label="How many answered each value">
                {q.scale.distribution.map((n, v) => (
                  <li key={v}>
                    <span className="dist-label">{v + 1}</span>
                    <span
                      className="dist-bar"
                      style={{ width: `${q.scale!.count ? (n / q.scale!.count) * 100 : 0}%` }}
                      aria-hidden="true"
                    />
                    <span className="dist-count">{n}</span>
                  </li>
                ))}
              </ol>
            </div>
          )}
          {!q.scale && (
            <ul className="plain-list feedback-texts">
              {q.texts.length === 0 && <li className="muted">Nothing shown yet.</li>}
              {q.texts.map((t, j) => (
                <li key={j} className="quote">
                  {t}
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
      {r.named.length > 0 && (
        <details>
          <summary>Each answer</summary>
          <ul className="plain-list">
            {r.named.map((n) => (
              <li key={n.person.id}>
                <strong>{n.person.name}</strong> <span className="muted">{fullDate(n.answeredAt)}</span>:{" "}
                {n.values.join(" · ")}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function AskerActions({ f, onChange }: { f: Feedback; onChange: (f: Feedback) => void }) {
  const [mode, setMode] = useState<"" | "thank" | "share" | "lesson">("");
  const [text, setText] = useState("");
  const [learned, setLearned] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<{ to: string; label: string } | null>(null);
  const open = (m: typeof mode) => {
    setError(null);
    setMode(mode === m ? "" : m);
    if (m === "share") setText(draftSummary(f));
    if (m === "thank") setText(f.thanks ?? "Thank you for your candid feedback.");
    if (m === "lesson") setText(`What I learned from feedback on ${f.subject.title}`.slice(0, 200));
  };
  const run = async (e: FormEvent) => {
    e.preventDefault();
    try {
      if (mode === "thank") {
        onChange(await call(routes.feedback.postFeedbackThanks, { params: { id: f.id }, body: { message: text } }));
        setDone({ to: "", label: "Thanks sent." });
      } else if (mode === "share") {
        const r = await call(routes.feedback.postFeedbackPost, { params: { id: f.id }, body: { body: text } });
        setDone({ to: `/feed#post-${r.postId}`, label: "Shared as a post." });
      } else if (mode === "lesson") {
        const r = await call(routes.feedback.postFeedbackLesson, {
          params: { id: f.id },
          body: { title: text, learned },
        });
        setDone({ to: `/lessons/${r.lessonId}`, label: "Lesson written." });
      }
      setMode("");
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const close = async () => {
    try {
      onChange(await call(routes.feedback.postFeedbackClose, { params: { id: f.id } }));
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <section className="card" aria-label="What to do with it">
      <div className="actions">
        <button className="small" aria-expanded={mode === "thank"} onClick={() => open("thank")}>
          Thank
        </button>
        <button className="small" aria-expanded={mode === "share"} onClick={() => open("share")}>
          Share a summary as a post
        </button>
        <button className="small" aria-expanded={mode === "lesson"} onClick={() => open("lesson")}>
          Turn into a lesson
        </button>
        {f.can.close && (
          <button className="small" onClick={() => void close()}>
            Close
          </button>
        )}
      </div>
      {done && (
        <p role="status">
          {done.label} {done.to && <Link to={done.to}>Open it</Link>}
        </p>
      )}
      <ErrorBox error={error} />
      {mode !== "" && (
        <form
          className="form"
          onSubmit={run}
          aria-label={mode === "thank" ? "Thank" : mode === "share" ? "Share" : "Lesson"}
        >
          <label className="field">
            <span>
              {mode === "thank"
                ? "Your thanks (everyone who answered sees it; no one is named)"
                : mode === "share"
                  ? "Summary to post (only what you write here is shared)"
                  : "Lesson title"}
            </span>
            {mode === "lesson" ? (
              <input value={text} onChange={(e) => setText(e.target.value)} required />
            ) : (
              <textarea rows={6} value={text} onChange={(e) => setText(e.target.value)} required />
            )}
          </label>
          {mode === "lesson" && (
            <label className="field">
              <span>What I learned</span>
              <textarea rows={4} value={learned} onChange={(e) => setLearned(e.target.value)} required />
              {error?.field("learned") && <span className="field-error">{error.field("learned")}</span>}
            </label>
          )}
          <button className="primary small">
            {mode === "thank" ? "Send thanks" : mode === "share" ? "Post" : "Write the lesson"}
          </button>
        </form>
      )}
    </section>
  );
}

/** One request: the subject and questions; to the people asked, the answer form; to the asker, the answers. */
export function FeedbackRequestPage() {
  const { id = "" } = useParams();
  const page = useLoad(() => call(routes.feedback.getFeedbackById, { params: { id } }), [id]);
  const [sent, setSent] = useState(false);
  if (page.loading && !page.data) return <Loading />;
  if (!page.data) return <ErrorBox error={page.error} />;
  const f = page.data;
  const asker = f.can.readAnswers;
  return (
    <div className="page narrow">
      <p className="muted small-text">
        <Link to="/feedback">Feedback</Link> · {KIND_LABEL[f.subject.kind]} · {f.anonymous ? "anonymous" : "named"}
      </p>
      <h1>{f.subject.title}</h1>
      <p className="muted">
        Asked by {f.asker.name} · <Deadline s={f} />
      </p>
      {f.subject.article && (
        <p>
          About <Link to={`/articles/${f.subject.article.id}`}>{f.subject.article.title}</Link>
        </p>
      )}
      {f.subject.articleHidden && <p className="muted">About an article</p>}
      {f.subject.descriptionHtml && (
        <div className="prose" dangerouslySetInnerHTML={{ __html: f.subject.descriptionHtml }} />
      )}
      {f.thanks && (
        <p className="thanks">
          “{f.thanks}” — {f.asker.name}
        </p>
      )}
      {sent && (
        <p role="status" className="card">
          Thank you — your answer is in.
        </p>
      )}
      {f.can.answer && (
        <AnswerForm
          f={f}
          onDone={() => {
            setSent(true);
            page.reload();
          }}
        />
      )}
      {!asker && f.myAnswered && !sent && <p className="muted">You have answered.</p>}
      {!asker && !f.can.answer && !f.myAnswered && !f.open && <p className="muted">This request is closed.</p>}
      {asker && (
        <>
          <Results f={f} />
          <AskerActions f={f} onChange={page.setData} />
          <section aria-labelledby="asked-heading">
            <h2 id="asked-heading">Asked ({f.recipients.length})</h2>
            <p className="small-text">
              {f.recipients.map((r) => `${r.name}${r.answered === true ? " ✓" : ""}`).join(", ")}
            </p>
          </section>
        </>
      )}
      {!asker && !f.can.answer && (
        <section>
          <h2>Questions</h2>
          <ol>
            {f.questions.map((q, i) => (
              <li key={i}>
                {q.prompt} <span className="muted">({q.kind === "scale" ? "1–5" : "text"})</span>
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}
