import { useState, type FormEvent, type ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, call, routes } from "../api";
import { Empty, ErrorBox, Loading, RadioGroup, fullDate, plural, useLoad } from "../util";
import type { MentorshipCard, MentorshipPage, ProgrammePage } from "../contracts";

const STATUS: Record<MentorshipCard["status"], string> = {
  proposed: "Proposed",
  active: "Running",
  declined: "Declined",
  expired: "Expired",
  closed: "Closed",
};
const splitTopics = (s: string) =>
  s
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
const pct = (x: number | null) => (x === null ? "—" : `${Math.round(x * 100)} %`);

/** One mentorship as lists show it: the other side, status and, on a proposal, whether each side accepted. */
function PairCard({ m, onChange, children }: { m: MentorshipCard; onChange?: () => void; children?: ReactNode }) {
  const [error, setError] = useState<ApiError | null>(null);
  const other = m.myRole === "mentee" ? m.mentor : m.mentee;
  const act = async (what: "accept" | "decline") => {
    try {
      setError(null);
      if (what === "accept") await call(routes.mentoring.postAccept, { params: { id: m.id } });
      else await call(routes.mentoring.postDecline, { params: { id: m.id } });
      onChange?.();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const mineAccepted = m.myRole === "mentor" ? m.mentorAccepted : m.menteeAccepted;
  return (
    <li className="card pair-card">
      <p>
        {m.myRole ? (
          <>
            {m.myRole === "mentee" ? "Mentor" : "Mentee"}:{" "}
            <Link to={`/mentorships/${m.id}`}>
              <strong>{other.name}</strong>
            </Link>{" "}
            <span className="muted">
              {other.title} · {other.department}
            </span>
          </>
        ) : (
          <>
            <strong>{m.mentee.name}</strong> <span className="muted">({m.mentee.department})</span> ←{" "}
            <strong>{m.mentor.name}</strong> <span className="muted">({m.mentor.department})</span>
          </>
        )}{" "}
        <span className={`badge status-${m.status}`}>{STATUS[m.status]}</span>
      </p>
      <p className="muted small-text">
        {m.programme.name}
        {m.status === "proposed" &&
          ` · mentor ${m.mentorAccepted ? "accepted" : "to answer"}, mentee ${m.menteeAccepted ? "accepted" : "to answer"} · answer by ${fullDate(m.expiresAt)}`}
      </p>
      {m.reasons.length > 0 && (
        <ul className="reasons small-text" aria-label="Why this match">
          {m.reasons.map((r, k) => (
            <li key={k}>{r.text}</li>
          ))}
        </ul>
      )}
      {m.myRole && m.status === "proposed" && !mineAccepted && (
        <div className="actions">
          <button className="primary small" onClick={() => act("accept")}>
            Accept
          </button>
          <button className="small" onClick={() => act("decline")}>
            Decline
          </button>
        </div>
      )}
      {m.myRole && m.status === "proposed" && mineAccepted && (
        <p className="muted small-text" role="status">
          You accepted; waiting for {other.name}.
        </p>
      )}
      {children}
      <ErrorBox error={error} />
    </li>
  );
}

/** Mentor programmes, one's own mentorships and, for knowledge managers, a new programme. */
export function MentoringPage() {
  const list = useLoad(() => call(routes.mentoring.getProgrammes), []);
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const [form, setForm] = useState({
    name: "",
    purpose: "",
    startsOn: new Date().toISOString().slice(0, 10),
    endsOn: "",
    mode: "matched" as "matched" | "self_service",
    defaultCapacity: "2",
    crossDepartmentWeight: "0.5",
    maxTimeZoneHours: "",
  });
  const [error, setError] = useState<ApiError | null>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const p = await call(routes.mentoring.postProgrammes, {
        body: {
          ...form,
          defaultCapacity: Number(form.defaultCapacity),
          crossDepartmentWeight: Number(form.crossDepartmentWeight),
          maxTimeZoneHours: form.maxTimeZoneHours === "" ? null : Number(form.maxTimeZoneHours),
        },
      });
      navigate(`/mentoring/${p.id}`);
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const field = (name: string) =>
    error?.field(name) ? <span className="field-error">{error.field(name)}</span> : null;
  if (list.error) return <ErrorBox error={list.error} />;
  if (!list.data) return <Loading />;
  const d = list.data;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Mentoring</h1>
        {d.can.create && (
          <button className="primary" onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
            New programme
          </button>
        )}
      </div>
      <p className="muted">
        Experienced colleagues mentor newer ones, matched on what they have actually shown they know — and the mentors
        get better at putting their knowledge into words.
      </p>
      {creating && (
        <form className="card form" onSubmit={create} aria-label="New programme">
          <label className="field">
            <span>Name</span>
            <input
              value={form.name}
              onChange={(e) => setForm((prev) => ({ ...prev, name: e.target.value }))}
              required
            />
            {field("name")}
          </label>
          <label className="field">
            <span>Purpose (Markdown)</span>
            <textarea
              rows={3}
              value={form.purpose}
              onChange={(e) => setForm((prev) => ({ ...prev, purpose: e.target.value }))}
            />
            {field("purpose")}
          </label>
          <div className="row wrap">
            <label className="field">
              <span>Starts</span>
              <input
                type="date"
                value={form.startsOn}
                onChange={(e) => setForm((prev) => ({ ...prev, startsOn: e.target.value }))}
              />
              {field("startsOn")}
            </label>
            <label className="field">
              <span>Ends</span>
              <input
                type="date"
                value={form.endsOn}
                onChange={(e) => setForm((prev) => ({ ...prev, endsOn: e.target.value }))}
              />
              {field("endsOn")}
            </label>
          </div>
          <RadioGroup
            legend="How mentors are found"
            name="mode"
            value={form.mode}
            onChange={(mode) => setForm({ ...form, mode })}
            options={[
              { value: "matched", label: "Knowledge managers run the matching" },
              { value: "self_service", label: "Mentees request a mentor themselves" },
            ]}
          />
          <div className="row wrap">
            <label className="field">
              <span>Seats per mentor</span>
              <input
                type="number"
                min={1}
                max={10}
                value={form.defaultCapacity}
                onChange={(e) => setForm((prev) => ({ ...prev, defaultCapacity: e.target.value }))}
              />
              {field("defaultCapacity")}
            </label>
            <label className="field">
              <span>Weight of another department (0–1)</span>
              <input
                type="number"
                min={0}
                max={1}
                step={0.1}
                value={form.crossDepartmentWeight}
                onChange={(e) => setForm((prev) => ({ ...prev, crossDepartmentWeight: e.target.value }))}
              />
              {field("crossDepartmentWeight")}
            </label>
            <label className="field">
              <span>Most hours apart (empty: any)</span>
              <input
                type="number"
                min={0}
                max={24}
                value={form.maxTimeZoneHours}
                onChange={(e) => setForm((prev) => ({ ...prev, maxTimeZoneHours: e.target.value }))}
              />
              {field("maxTimeZoneHours")}
            </label>
          </div>
          <p className="muted small-text">Nobody is ever matched with someone in their own reporting line.</p>
          <ErrorBox error={error && !error.fields.length ? error : null} />
          <button className="primary">Create programme</button>
        </form>
      )}
      {d.mine.length > 0 && (
        <section aria-labelledby="my-mentoring">
          <h2 id="my-mentoring">My mentoring</h2>
          <ul className="plain-list pair-list">
            {d.mine.map((m) => (
              <PairCard key={m.id} m={m} onChange={list.reload} />
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="programmes">
        <h2 id="programmes">Programmes</h2>
        {d.items.length === 0 && <Empty>No programmes yet.</Empty>}
        <ul className="plain-list">
          {d.items.map((p) => (
            <li key={p.id} className="card">
              <h3>
                <Link to={`/mentoring/${p.id}`}>{p.name}</Link>
              </h3>
              <p className="muted small-text">
                {p.startsOn} – {p.endsOn} · {plural(p.mentors, "mentor")} · {plural(p.mentees, "mentee")}
                {p.mode === "self_service" && " · self-service"}
                {p.myRoles.length > 0 && <span className="badge">You: {p.myRoles.join(" and ")}</span>}
              </p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

/** Opt in as mentor or mentee (or change one's opt-in). */
function OptIn({ p, onDone }: { p: ProgrammePage; onDone: (next: ProgrammePage) => void }) {
  const [role, setRole] = useState<"mentor" | "mentee">(p.me.mentee ? "mentee" : "mentor");
  const [topics, setTopics] = useState(
    (role === "mentor" ? p.me.mentor?.topics : p.me.mentee?.topics)?.join(", ") ?? "",
  );
  const [capacity, setCapacity] = useState(String(p.me.mentor?.capacity ?? p.defaultCapacity));
  const [goalText, setGoalText] = useState(p.me.mentee?.goalText ?? "");
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setError(null);
      const body =
        role === "mentor"
          ? { role, capacity: Number(capacity), topics: splitTopics(topics) }
          : { role, topics: splitTopics(topics), goalText, preferences: p.me.mentee?.preferences ?? [] };
      onDone(await call(routes.mentoring.putParticipation, { params: { id: p.id }, body }));
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <form className="card form" onSubmit={submit} aria-label="Take part">
      <RadioGroup
        legend="I take part as"
        name="role"
        value={role}
        onChange={setRole}
        options={[
          { value: "mentor", label: "Mentor" },
          { value: "mentee", label: "Mentee" },
        ]}
      />
      <label className="field">
        <span>{role === "mentor" ? "Topics I offer (comma-separated)" : "What I want to learn (topics)"}</span>
        <input value={topics} onChange={(e) => setTopics(e.target.value)} />
        {error?.field("topics") && <span className="field-error">{error.field("topics")}</span>}
      </label>
      {role === "mentor" ? (
        <label className="field">
          <span>Mentees I can take</span>
          <input type="number" min={1} max={10} value={capacity} onChange={(e) => setCapacity(e.target.value)} />
          {error?.field("capacity") && <span className="field-error">{error.field("capacity")}</span>}
        </label>
      ) : (
        <label className="field">
          <span>My goal, in a few words</span>
          <textarea rows={2} value={goalText} onChange={(e) => setGoalText(e.target.value)} />
        </label>
      )}
      <ErrorBox error={error && !error.fields.length ? error : null} />
      <button className="primary">{(role === "mentor" ? p.me.mentor : p.me.mentee) ? "Save" : "Opt in"}</button>
    </form>
  );
}

function HealthBars({ h }: { h: NonNullable<ProgrammePage["review"]>["health"] }) {
  const rows: [string, number | null, string][] = [
    ["Mentees matched", h.matchedShare, pct(h.matchedShare)],
    ["Proposals accepted", h.acceptedShare, pct(h.acceptedShare)],
    ["Across departments", h.crossDepartmentShare, pct(h.crossDepartmentShare)],
    [
      "Goals reached",
      h.goalsReached.closed ? h.goalsReached.reached / h.goalsReached.closed : null,
      `${h.goalsReached.reached} of ${h.goalsReached.closed}`,
    ],
  ];
  return (
    <section className="card" aria-labelledby="programme-health">
      <h2 id="programme-health">Programme health</h2>
      <ul className="bars wide-values">
        {rows.map(([label, share, text]) => (
          <li key={label}>
            <span className="bar-label">{label}</span>
            <span className="bar" role="img" aria-label={`${label}: ${text}`}>
              <span style={{ width: `${Math.round((share ?? 0) * 100)}%` }} />
            </span>
            <span className="bar-value">{text}</span>
          </li>
        ))}
      </ul>
      <p className="muted small-text">
        {h.meetingsPerPair === null ? "No pair has started yet." : `${h.meetingsPerPair} meetings per pair so far.`}{" "}
        {Object.entries(h.byStatus)
          .map(([s, n]) => `${n} ${STATUS[s as MentorshipCard["status"]].toLowerCase()}`)
          .join(" · ")}
      </p>
    </section>
  );
}

/** A programme: opt in, suggested mentors, one's matches and, for knowledge managers, the review. */
export function ProgrammePageView() {
  const { id = "" } = useParams();
  const load = useLoad(() => call(routes.mentoring.getProgramme, { params: { id } }), [id]);
  const [override, setOverride] = useState<ProgrammePage | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [running, setRunning] = useState(false);
  const [runMessage, setRunMessage] = useState("");
  const p = override && override.id === id ? override : load.data;
  if (load.error) return <ErrorBox error={load.error} />;
  if (!p) return <Loading />;
  const refresh = () => {
    setOverride(null);
    load.reload();
  };
  const act = async (f: () => Promise<ProgrammePage>) => {
    try {
      setError(null);
      setOverride(await f());
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <div className="page">
      <p className="muted small-text">
        <Link to="/mentoring">Mentoring</Link>
      </p>
      <h1>{p.name}</h1>
      <p className="muted">
        {p.startsOn} – {p.endsOn} · {plural(p.mentors, "mentor")} · {plural(p.mentees, "mentee")} ·{" "}
        {p.mode === "matched" ? "matched by knowledge managers" : "self-service"}
      </p>
      <div className="markdown" dangerouslySetInnerHTML={{ __html: p.purposeHtml }} />
      <ErrorBox error={error} />
      {p.mine.length > 0 && (
        <section aria-labelledby="my-matches">
          <h2 id="my-matches">My matches</h2>
          <ul className="plain-list pair-list">
            {p.mine.map((m) => (
              <PairCard key={m.id} m={m} onChange={refresh} />
            ))}
          </ul>
        </section>
      )}
      {p.can.participate &&
        (p.can.manage && p.myRoles.length === 0 ? (
          <details className="card">
            <summary>Take part yourself</summary>
            <OptIn p={p} onDone={setOverride} />
          </details>
        ) : (
          <OptIn p={p} onDone={setOverride} />
        ))}
      {p.suggestions.length > 0 && (
        <section aria-labelledby="suggested-mentors">
          <h2 id="suggested-mentors">Mentors for your goals</h2>
          <ol className="plain-list">
            {p.suggestions.map((s, k) => {
              const rank = p.me.mentee?.preferences.indexOf(s.mentor.id) ?? -1;
              return (
                <li key={s.mentor.id} className="card">
                  <p>
                    <Link to={`/people/${s.mentor.id}`}>
                      <strong>{s.mentor.name}</strong>
                    </Link>{" "}
                    <span className="muted">
                      {s.mentor.title} · {s.mentor.department} · {plural(s.seatsLeft, "seat")} left
                    </span>{" "}
                    <span className="badge">match {Math.round(s.quality * 100)}</span>
                  </p>
                  <ul className="reasons small-text" aria-label={`Why ${s.mentor.name}`}>
                    {s.reasons.map((r, i) => (
                      <li key={i}>{r.text}</li>
                    ))}
                  </ul>
                  <div className="actions">
                    {p.can.request && s.seatsLeft > 0 && (
                      <button
                        className="primary small"
                        onClick={async () => {
                          try {
                            setError(null);
                            await call(routes.mentoring.postRequest, {
                              params: { id: p.id },
                              body: { mentorId: s.mentor.id },
                            });
                            refresh();
                          } catch (err) {
                            setError(err as ApiError);
                          }
                        }}
                      >
                        Ask {s.mentor.name}
                      </button>
                    )}
                    {p.mode === "matched" && p.me.mentee && (
                      <button
                        className="small"
                        aria-pressed={rank >= 0}
                        onClick={() => {
                          const prefs = p.me.mentee!.preferences.filter((x) => x !== s.mentor.id);
                          if (rank < 0) prefs.push(s.mentor.id);
                          void act(() =>
                            call(routes.mentoring.putParticipation, {
                              params: { id: p.id },
                              body: {
                                role: "mentee",
                                topics: p.me.mentee!.topics,
                                goalText: p.me.mentee!.goalText,
                                preferences: prefs.slice(0, 5),
                              },
                            }),
                          );
                        }}
                      >
                        {rank >= 0 ? `My choice no. ${rank + 1}` : "I'd like this mentor"}
                      </button>
                    )}
                  </div>
                  {k === 0 && p.mode === "matched" && (
                    <p className="muted small-text">Your choices count in the matching; the best overall fit wins.</p>
                  )}
                </li>
              );
            })}
          </ol>
        </section>
      )}
      {p.review && (
        <>
          <HealthBars h={p.review.health} />
          <section className="card" aria-labelledby="matching">
            <div className="page-head">
              <h2 id="matching">Matching</h2>
              <button
                className="primary"
                disabled={running}
                onClick={async () => {
                  setRunning(true);
                  try {
                    setError(null);
                    const r = await call(routes.mentoring.postMatch, { params: { id: p.id } });
                    setOverride(r);
                    setRunning(false);
                    setRunMessage(
                      `${plural(r.run.proposed, "new proposal")}, ${plural(r.run.unmatched, "mentee")} without a mentor (${r.run.ms} ms).`,
                    );
                  } catch (err) {
                    setRunning(false);
                    setError(err as ApiError);
                  }
                }}
              >
                {p.lastMatchedAt ? "Re-run the matching" : "Run the matching"}
              </button>
            </div>
            {runMessage && (
              <p role="status" className="notice">
                {runMessage}
              </p>
            )}
            <p className="muted small-text">
              The matching maximises the total fit under the seats and rules (never in the reporting line). Proposals
              nobody has accepted are replaced; forbid a pair to keep it out, pin one to keep it in.
            </p>
            {p.review.mentorships.length === 0 && <Empty>No proposals yet.</Empty>}
            <ul className="plain-list pair-list">
              {p.review.mentorships.map((m) => {
                const rule = p.review!.rules.find((r) => r.mentorId === m.mentor.id && r.menteeId === m.mentee.id);
                const setRule = (r: "pin" | "forbid" | "none") =>
                  act(() =>
                    call(routes.mentoring.putRule, {
                      params: { id: p.id },
                      body: { mentorId: m.mentor.id, menteeId: m.mentee.id, rule: r },
                    }),
                  );
                return (
                  <PairCard key={m.id} m={m}>
                    {(m.status === "proposed" || rule) && (
                      <div className="actions small-text">
                        {rule ? (
                          <button className="small" onClick={() => setRule("none")}>
                            {rule.rule === "pin" ? "Unpin" : "Allow again"} {m.mentee.name} ← {m.mentor.name}
                          </button>
                        ) : (
                          <>
                            <button className="small" onClick={() => setRule("pin")}>
                              Pin {m.mentee.name} ← {m.mentor.name}
                            </button>
                            <button className="small" onClick={() => setRule("forbid")}>
                              Forbid {m.mentee.name} ← {m.mentor.name}
                            </button>
                          </>
                        )}
                      </div>
                    )}
                  </PairCard>
                );
              })}
            </ul>
            <details>
              <summary>
                {plural(p.review.mentors.length, "mentor")}, {plural(p.review.mentees.length, "mentee")}
              </summary>
              <ul className="bars" aria-label="Seats taken per mentor">
                {p.review.mentors.map((m) => (
                  <li key={m.person.id}>
                    <span className="bar-label" title={m.person.name}>
                      {m.person.name}
                    </span>
                    <span className="bar">
                      <span style={{ width: `${Math.round((m.taken / Math.max(1, m.capacity)) * 100)}%` }} />
                    </span>
                    <span className="bar-value">
                      {m.taken}/{m.capacity}
                    </span>
                  </li>
                ))}
              </ul>
              <p className="small-text">
                Mentees:{" "}
                {p.review.mentees.map((m) => `${m.person.name}${m.matched ? "" : " (no mentor yet)"}`).join(", ")}
              </p>
            </details>
          </section>
        </>
      )}
    </div>
  );
}

/** The pair's own page: goals and shared notes, meetings, and the closing evaluation. */
export function MentorshipPageView() {
  const { id = "" } = useParams();
  const load = useLoad(() => call(routes.mentoring.getMentorship, { params: { id } }), [id]);
  const [m, setM] = useState<MentorshipPage | null>(null);
  const cur = m && m.id === id ? m : load.data;
  const [draft, setDraft] = useState<{ goals: string; notes: string } | null>(null);
  const [meeting, setMeeting] = useState({ heldOn: new Date().toISOString().slice(0, 10), minutes: "45", summary: "" });
  const [closing, setClosing] = useState({ goalReached: "yes" as "yes" | "no", evaluation: "" });
  const [error, setError] = useState<ApiError | null>(null);
  if (load.error) return <ErrorBox error={load.error} />;
  if (!cur) return <Loading />;
  const act = async (f: () => Promise<MentorshipPage>) => {
    try {
      setError(null);
      setM(await f());
      return true;
    } catch (err) {
      setError(err as ApiError);
      return false;
    }
  };
  const other = cur.myRole === "mentee" ? cur.mentor : cur.mentee;
  const totalMinutes = cur.meetings.reduce((s, g) => s + g.minutes, 0);
  return (
    <div className="page narrow">
      <p className="muted small-text">
        <Link to={`/mentoring/${cur.programme.id}`}>{cur.programme.name}</Link>
      </p>
      <h1>
        {cur.mentee.name} ← {cur.mentor.name}
      </h1>
      <p>
        <span className={`badge status-${cur.status}`}>{STATUS[cur.status]}</span>{" "}
        <span className="muted">
          {cur.myRole === "mentee" ? "Your mentor" : "Your mentee"}: {other.name}, {other.title} ({other.department})
          {cur.startedAt && ` · since ${fullDate(cur.startedAt)}`}
        </span>
      </p>
      <p className="muted small-text">Only the two of you see this page.</p>
      <ErrorBox error={error && !error.fields.length ? error : null} />
      {cur.can.accept && (
        <div className="actions">
          <button className="primary" onClick={() => act(() => call(routes.mentoring.postAccept, { params: { id } }))}>
            Accept
          </button>
          <button
            onClick={async () => {
              try {
                await call(routes.mentoring.postDecline, { params: { id } });
                load.reload();
                setM(null);
              } catch (err) {
                setError(err as ApiError);
              }
            }}
          >
            Decline
          </button>
        </div>
      )}
      {cur.reasons.length > 0 && (
        <ul className="reasons small-text" aria-label="Why this match">
          {cur.reasons.map((r, k) => (
            <li key={k}>{r.text}</li>
          ))}
        </ul>
      )}
      {cur.writeItDown.length > 0 && (
        <aside className="notice" aria-label="Worth writing down">
          You answered{" "}
          {cur.writeItDown.map((w, k) => (
            <span key={w.topic}>
              {k > 0 && (k === cur.writeItDown.length - 1 ? " and " : ", ")}
              {plural(w.answers, "question")} on <Link to={`/search?q=${encodeURIComponent(w.topic)}`}>{w.topic}</Link>
            </span>
          ))}{" "}
          lately. Explaining it to {other.name} is the moment to write it down once:{" "}
          <Link to="/spaces">write an article</Link>.
        </aside>
      )}
      <section className="card" aria-labelledby="goals">
        <h2 id="goals">Goals and notes</h2>
        {draft && cur.can.edit ? (
          <form
            className="form"
            aria-label="Goals and notes"
            onSubmit={async (e) => {
              e.preventDefault();
              if (
                await act(() =>
                  call(routes.mentoring.patchMentorship, { params: { id }, body: { version: cur.version, ...draft } }),
                )
              )
                setDraft(null);
            }}
          >
            <label className="field">
              <span>Agreed goals</span>
              <textarea
                rows={3}
                value={draft.goals}
                onChange={(e) => setDraft((prev) => prev && { ...prev, goals: e.target.value })}
              />
            </label>
            <label className="field">
              <span>Shared notes (Markdown)</span>
              <textarea
                rows={8}
                value={draft.notes}
                onChange={(e) => setDraft((prev) => prev && { ...prev, notes: e.target.value })}
              />
            </label>
            {error?.status === 409 && (
              <p className="field-error">
                {other.name} saved in the meantime.{" "}
                <button
                  type="button"
                  className="small"
                  onClick={() => {
                    setError(null);
                    setM(null);
                    setDraft(null);
                    load.reload();
                  }}
                >
                  Load their version
                </button>
              </p>
            )}
            <div className="actions">
              <button className="primary">Save</button>
              <button type="button" onClick={() => setDraft(null)}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <>
            <p className="prewrap">{cur.goals || <span className="muted">No goals agreed yet.</span>}</p>
            <div className="markdown" dangerouslySetInnerHTML={{ __html: cur.notesHtml }} />
            {cur.can.edit && (
              <button onClick={() => setDraft({ goals: cur.goals, notes: cur.notes })}>Edit goals and notes</button>
            )}
          </>
        )}
      </section>
      <section className="card" aria-labelledby="meetings">
        <h2 id="meetings">Meetings</h2>
        <p className="muted small-text">
          {plural(cur.meetings.length, "meeting")}, {totalMinutes} minutes together
        </p>
        <ul className="plain-list">
          {cur.meetings.map((g) => (
            <li key={g.id}>
              <strong>{g.heldOn}</strong> · {g.minutes} min · <span className="muted">{g.loggedBy.name}</span>
              {g.summary && <p className="prewrap">{g.summary}</p>}
            </li>
          ))}
        </ul>
        {cur.can.edit && (
          <form
            className="form"
            aria-label="Log a meeting"
            onSubmit={async (e) => {
              e.preventDefault();
              if (
                await act(() =>
                  call(routes.mentoring.postMeeting, {
                    params: { id },
                    body: { ...meeting, minutes: Number(meeting.minutes) },
                  }),
                )
              )
                setMeeting((prev) => ({ ...prev, summary: "" }));
            }}
          >
            <div className="row wrap">
              <label className="field">
                <span>Date</span>
                <input
                  type="date"
                  value={meeting.heldOn}
                  onChange={(e) => setMeeting((prev) => ({ ...prev, heldOn: e.target.value }))}
                />
                {error?.field("heldOn") && <span className="field-error">{error.field("heldOn")}</span>}
              </label>
              <label className="field">
                <span>Minutes</span>
                <input
                  type="number"
                  min={5}
                  max={480}
                  value={meeting.minutes}
                  onChange={(e) => setMeeting((prev) => ({ ...prev, minutes: e.target.value }))}
                />
                {error?.field("minutes") && <span className="field-error">{error.field("minutes")}</span>}
              </label>
            </div>
            <label className="field">
              <span>What we talked about</span>
              <textarea
                rows={2}
                value={meeting.summary}
                onChange={(e) => setMeeting((prev) => ({ ...prev, summary: e.target.value }))}
              />
            </label>
            <button className="primary">Log meeting</button>
          </form>
        )}
      </section>
      {(cur.status === "active" || cur.status === "closed") && <Reflections m={cur} onChange={(next) => setM(next)} />}
      {cur.status === "closed" && (
        <section className="card" aria-labelledby="evaluation">
          <h2 id="evaluation">Closing evaluation</h2>
          <p>{cur.goalReached ? "Goal reached." : "Goal not reached."}</p>
          <p className="prewrap">{cur.evaluation}</p>
        </section>
      )}
      {cur.can.close && (
        <details className="card">
          <summary>Close the mentorship</summary>
          <form
            className="form"
            aria-label="Close the mentorship"
            onSubmit={(e) => {
              e.preventDefault();
              void act(() =>
                call(routes.mentoring.postClose, {
                  params: { id },
                  body: { goalReached: closing.goalReached === "yes", evaluation: closing.evaluation },
                }),
              );
            }}
          >
            <RadioGroup
              legend="Did you reach the goal?"
              name="goal-reached"
              value={closing.goalReached}
              onChange={(goalReached) => setClosing((prev) => ({ ...prev, goalReached }))}
              options={[
                { value: "yes", label: "Yes" },
                { value: "no", label: "No" },
              ]}
            />
            <label className="field">
              <span>How it went</span>
              <textarea
                rows={3}
                value={closing.evaluation}
                onChange={(e) => setClosing((prev) => ({ ...prev, evaluation: e.target.value }))}
              />
              {error?.field("evaluation") && <span className="field-error">{error.field("evaluation")}</span>}
            </label>
            <button className="primary">Close</button>
          </form>
        </details>
      )}
    </div>
  );
}

/** Journal entries the pair chose to share with each other, and sharing one of one's own. */
function Reflections({ m, onChange }: { m: MentorshipPage; onChange: (next: MentorshipPage) => void }) {
  const journal = useLoad(() => call(routes.wol.getJournal), []);
  const [entryId, setEntryId] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const shared = new Set(m.reflections.map((r) => r.entryId));
  const mine = (journal.data?.items ?? []).filter((j) => !shared.has(j.id));
  const act = async (f: () => Promise<MentorshipPage>) => {
    try {
      setError(null);
      onChange(await f());
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <section className="card" aria-labelledby="reflections">
      <h2 id="reflections">Reflections</h2>
      <p className="muted small-text">
        Entries from your <Link to="/journal">journal</Link> you share here are read by the two of you only.
      </p>
      {m.reflections.length === 0 && <p className="muted">Nothing shared yet.</p>}
      <ul className="plain-list">
        {m.reflections.map((r) => (
          <li key={r.entryId}>
            <p className="small-text">
              <strong>{r.author.name}</strong> · <span className="muted">{fullDate(r.writtenAt)}</span>
              {r.prompt && <span className="muted"> · {r.prompt}</span>}
            </p>
            <div className="markdown" dangerouslySetInnerHTML={{ __html: r.html }} />
            {r.mine && (
              <button
                className="small"
                onClick={() =>
                  act(() => call(routes.mentoring.deleteReflection, { params: { id: m.id, entryId: r.entryId } }))
                }
              >
                Take back
              </button>
            )}
          </li>
        ))}
      </ul>
      {mine.length > 0 && (
        <form
          className="form row wrap"
          aria-label="Share a reflection"
          onSubmit={(e) => {
            e.preventDefault();
            if (entryId)
              void act(() => call(routes.mentoring.postReflection, { params: { id: m.id }, body: { entryId } }));
          }}
        >
          <label className="field grow">
            <span>From my journal</span>
            <select value={entryId} onChange={(e) => setEntryId(e.target.value)}>
              <option value="">Choose an entry…</option>
              {mine.slice(0, 20).map((j) => (
                <option key={j.id} value={j.id}>
                  {fullDate(j.createdAt)} — {j.body.slice(0, 60)}
                </option>
              ))}
            </select>
            {error?.field("entryId") && <span className="field-error">{error.field("entryId")}</span>}
          </label>
          <button className="primary" disabled={!entryId}>
            Share
          </button>
        </form>
      )}
      <ErrorBox error={error && !error.fields.length ? error : null} />
    </section>
  );
}
