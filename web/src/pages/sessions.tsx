import { useState, type FormEvent, type ReactNode } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { ApiError, call, routes, upload, urlFor } from "../api";
import { useMe } from "../auth";
import { Empty, ErrorBox, Loading, Tags, formatBytes, plural, useLoad } from "../util";
import type { SharingSession, SharingSessionPage } from "../contracts";

const STATUS_LABEL = { going: "Going", maybe: "Maybe", no: "Not going", waitlisted: "On the waiting list" } as const;

/** "Thu 5 Nov 2026, 10:00 (Europe/Berlin)" — the start in the announcer's zone and in the reader's. */
function when(s: SharingSession) {
  const start = new Date(s.startsAt);
  const fmt = (tz?: string) =>
    start.toLocaleString("en-GB", {
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZone: tz,
    });
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return local === s.timeZone
    ? `${fmt(s.timeZone)} (${s.timeZone})`
    : `${fmt(s.timeZone)} (${s.timeZone}) · ${fmt()} your time`;
}

function Seats({ s }: { s: SharingSession }) {
  return (
    <span className="muted">
      {plural(s.going, "going", "going")}
      {s.capacity !== null && ` of ${s.capacity} seats`}
      {s.waitlisted > 0 && ` · ${s.waitlisted} waiting`}
      {s.attended > 0 && ` · ${plural(s.attended, "attendee")}`}
    </span>
  );
}

function SessionCard({ s }: { s: SharingSession }) {
  return (
    <li className="card session-card">
      <h2>
        <Link to={`/sessions/${s.id}`}>{s.title}</Link>
      </h2>
      <p>
        <time dateTime={s.startsAt}>{when(s)}</time> · {s.durationMinutes} min
        {s.place && ` · ${s.place}`}
      </p>
      <p className="muted">
        {s.presenters.map((p) => p.name).join(", ")}
        {s.community && (
          <>
            {" · "}
            <Link to={`/communities/${s.community.id}`}>{s.community.name}</Link>
          </>
        )}
        {s.myStatus && !s.cancelled && <span className="badge">{STATUS_LABEL[s.myStatus]}</span>}
        {s.cancelled && <span className="badge cancelled">Cancelled</span>}
      </p>
      <Tags tags={s.topics} />
      <Seats s={s} />
    </li>
  );
}

/** Upcoming and past sessions with filters, the announce form and the calendar subscription. */
export function SessionsPage() {
  const me = useMe();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab = params.get("when") === "past" ? "past" : "upcoming";
  const topic = params.get("topic") ?? "";
  const communityId = params.get("communityId") ?? "";
  const department = params.get("department") ?? "";
  const list = useLoad(
    () =>
      call(routes.sessions.getSessions, {
        query: {
          when: tab,
          ...(topic ? { topic } : {}),
          ...(communityId ? { communityId } : {}),
          ...(department ? { department } : {}),
        },
      }),
    [tab, topic, communityId, department],
  );
  const communities = useLoad(() => call(routes.communities.getCommunities), []);
  const set = (next: Record<string, string>) => {
    const merged = { when: tab, topic, communityId, department, ...next };
    setParams(Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== "")));
  };
  const [announcing, setAnnouncing] = useState(false);
  const [form, setForm] = useState({
    title: "",
    abstract: "",
    start: "",
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    durationMinutes: "60",
    place: "",
    link: "",
    capacity: "",
    topics: "",
    communityId: "",
  });
  const [error, setError] = useState<ApiError | null>(null);
  const announce = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const s = await call(routes.sessions.postSessions, {
        body: {
          ...form,
          durationMinutes: Number(form.durationMinutes),
          capacity: form.capacity ? Number(form.capacity) : null,
          topics: form.topics
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
          communityId: form.communityId || null,
        },
      });
      navigate(`/sessions/${s.id}`);
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const field = (name: string) =>
    error?.field(name) ? <span className="field-error">{error.field(name)}</span> : null;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Knowledge-sharing sessions</h1>
        {me.can.announceSession && (
          <button className="primary" onClick={() => setAnnouncing((a) => !a)} aria-expanded={announcing}>
            Announce a session
          </button>
        )}
      </div>
      {announcing && (
        <form className="card form" onSubmit={announce} aria-label="Announce a session">
          <SessionFields form={form} update={(patch) => setForm({ ...form, ...patch })} field={field} />
          <label className="field">
            <span>Topics (comma-separated tags)</span>
            <input value={form.topics} onChange={(e) => setForm((prev) => ({ ...prev, topics: e.target.value }))} />
            {field("topics")}
          </label>
          <label className="field">
            <span>Audience</span>
            <select
              value={form.communityId}
              onChange={(e) => setForm((prev) => ({ ...prev, communityId: e.target.value }))}
            >
              <option value="">Everyone in the organisation</option>
              {communities.data?.items
                .filter((c) => c.can.announce)
                .map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                    {c.visibility === "members" ? " (members only)" : ""}
                  </option>
                ))}
            </select>
          </label>
          <ErrorBox error={error && !error.fields?.length ? error : null} />
          <button className="primary">Announce</button>
        </form>
      )}
      <div className="list-tools" role="tablist" aria-label="When">
        {(["upcoming", "past"] as const).map((w) => (
          <button
            key={w}
            role="tab"
            aria-selected={w === tab}
            className={`chip${w === tab ? " on" : ""}`}
            onClick={() => set({ when: w })}
          >
            {w === "upcoming" ? "Upcoming" : "Past"}
          </button>
        ))}
      </div>
      <div className="filters">
        {topic && (
          <button className="chip on" onClick={() => set({ topic: "" })}>
            #{topic} ×
          </button>
        )}
        {department && (
          <button className="chip on" onClick={() => set({ department: "" })}>
            Department: {department} ×
          </button>
        )}
        <label className="chip-select">
          <span>Community</span>{" "}
          <select value={communityId} onChange={(e) => set({ communityId: e.target.value })}>
            <option value="">Any</option>
            {communities.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {list.loading && <Loading />}
      <ErrorBox error={list.error} />
      {list.data && list.data.items.length === 0 && <Empty>No {tab} sessions.</Empty>}
      {list.data && list.data.items.length > 0 && (
        <ul className="plain-list session-list">
          {list.data.items.map((s) => (
            <SessionCard key={s.id} s={s} />
          ))}
        </ul>
      )}
      <p className="muted">Filter by a topic or a presenter&apos;s department from a session&apos;s page.</p>
      <AttendanceAcrossDepartments />
      <CalendarSubscription />
    </div>
  );
}

/** The person's secret calendar URL: create (shown once), replace, revoke. */
function CalendarSubscription() {
  const sub = useLoad(() => call(routes.sessions.getCalendarSubscription), []);
  const [url, setUrl] = useState<string | null>(null);
  const create = async () => {
    const { token } = await call(routes.sessions.postCalendarSubscription);
    setUrl(new URL(urlFor(routes.sessions.getCalendarSessionsIcs, { params: { token } }), window.location.href).href);
    sub.reload();
  };
  const revoke = async () => {
    await call(routes.sessions.deleteCalendarSubscription);
    setUrl(null);
    sub.reload();
  };
  return (
    <section className="card" aria-labelledby="calendar-h">
      <h2 id="calendar-h">Your calendar subscription</h2>
      <p className="muted">
        A private address for your calendar app with the sessions you answered or present. Keep it secret: anyone with
        it sees your sessions.
      </p>
      {url && (
        <label className="field">
          <span>Subscription address (shown once)</span>
          <input readOnly value={url} onFocus={(e) => e.target.select()} />
        </label>
      )}
      <div className="actions">
        <button onClick={create}>{sub.data?.active ? "Replace the address" : "Create an address"}</button>
        {sub.data?.active && <button onClick={revoke}>Revoke</button>}
      </div>
    </section>
  );
}

/** One session: details, RSVP, the invitation, attendance and its chart. */
export function SessionPage() {
  const { id = "" } = useParams();
  const page = useLoad(() => call(routes.sessions.getSessionsById, { params: { id } }), [id]);
  const [error, setError] = useState<ApiError | null>(null);
  if (page.loading) return <Loading />;
  if (page.error || !page.data) return <ErrorBox error={page.error} />;
  const s = page.data;
  const past = new Date(s.endsAt).getTime() < Date.now();
  const act = async (f: () => Promise<unknown>) => {
    try {
      setError(null);
      await f();
      page.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const answer = (status: "going" | "maybe" | "no") =>
    act(() => call(routes.sessions.putSessionsRsvp, { params: { id }, body: { status } }));
  const max = Math.max(1, ...s.attendance.byDepartment.map((d) => d.count));
  return (
    <div className="page session-page">
      <p>
        <Link to="/sessions">← Sessions</Link>
      </p>
      <h1>
        {s.title}
        {s.cancelled && <span className="badge cancelled">Cancelled</span>}
      </h1>
      {s.cancelled && (
        <p className="notice" role="status">
          This session was cancelled. Its page, notes and files stay here.
        </p>
      )}
      <p>
        <time dateTime={s.startsAt}>{when(s)}</time> · {s.durationMinutes} min
      </p>
      {s.place && <p>Place: {s.place}</p>}
      {s.link && (
        <p>
          Link: <a href={s.link}>{s.link}</a>
        </p>
      )}
      <p className="muted">
        Presented by{" "}
        {s.presenters.map((p, i) => (
          <span key={p.id}>
            {i > 0 && ", "}
            <Link to={`/people/${p.id}`}>{p.name}</Link>
            {p.department && (
              <>
                {" "}
                (<Link to={`/sessions?department=${encodeURIComponent(p.department)}`}>{p.department}</Link>)
              </>
            )}
          </span>
        ))}
        {s.community && (
          <>
            {" · "}
            <Link to={`/communities/${s.community.id}`}>{s.community.name}</Link>
            {s.community.visibility === "members" && <span className="badge private">Members only</span>}
          </>
        )}
      </p>
      <p>
        {s.topics.map((t) => (
          <Link key={t} className="tag" to={`/sessions?topic=${encodeURIComponent(t)}`}>
            #{t}
          </Link>
        ))}
      </p>
      <div className="markdown" dangerouslySetInnerHTML={{ __html: s.abstractHtml }} />
      {s.reach && (
        <p className="muted">
          The announcement reaches {plural(s.reach.people, "person", "people")} in{" "}
          {plural(s.reach.departments, "other department")} who asked, answered or follow its topics
          {s.reach.byDepartment.length > 0 &&
            ` (${s.reach.byDepartment.map((d) => `${d.department} ${d.count}`).join(", ")})`}
          .
        </p>
      )}
      <section className="card" aria-labelledby="rsvp-h">
        <h2 id="rsvp-h">Your answer</h2>
        <p>
          <Seats s={s} />
        </p>
        <p role="status">
          {s.myStatus ? STATUS_LABEL[s.myStatus] : "You have not answered yet."}
          {s.myWaitlistPosition !== null && ` — number ${s.myWaitlistPosition} in the queue`}
          {s.checkedIn && " · You attended"}
        </p>
        {s.can.rsvp && !past && !s.cancelled && (
          <div className="actions" role="group" aria-label="Answer">
            {(["going", "maybe", "no"] as const).map((st) => (
              <button
                key={st}
                className={s.myStatus === st || (st === "going" && s.myStatus === "waitlisted") ? "primary" : ""}
                aria-pressed={s.myStatus === st}
                onClick={() => answer(st)}
              >
                {st === "going" ? "Going" : st === "maybe" ? "Maybe" : "Not going"}
              </button>
            ))}
          </div>
        )}
        <div className="actions">
          <a className="button" href={urlFor(routes.sessions.getSessionsInviteIcs, { params: { id } })} download>
            Download invitation (.ics)
          </a>
          {s.can.checkIn && !s.checkedIn && (
            <button onClick={() => act(() => call(routes.sessions.postSessionsCheckIn, { params: { id }, body: {} }))}>
              Check in
            </button>
          )}
        </div>
        <ErrorBox error={error} />
      </section>
      {s.can.manage && <ManageSession s={s} onSaved={page.reload} />}
      <Notes s={s} onSaved={page.reload} />
      <SessionFiles s={s} onChange={page.reload} />
      <RaisedQuestions s={s} onRaised={page.reload} />
      {s.can.turnIntoKnowledge && <TurnIntoKnowledge id={id} />}
      <section className="card" aria-labelledby="attendance-h">
        <h2 id="attendance-h">Attendance</h2>
        {s.attendance.byDepartment.length === 0 ? (
          <p className="muted">Nobody has checked in yet.</p>
        ) : (
          <>
            {s.attendance.crossDepartmentShare !== null && (
              <p>
                {Math.round(s.attendance.crossDepartmentShare * 100)}% of attendees came from other departments than the
                presenters&apos;.
              </p>
            )}
            <ul className="bars" aria-label="Attendees by department">
              {s.attendance.byDepartment.map((d) => (
                <li key={d.department}>
                  <span className="bar-label" title={d.department}>
                    {d.department}
                  </span>
                  <span className="bar" aria-hidden="true">
                    <span style={{ width: `${(d.count / max) * 100}%` }} />
                  </span>
                  <span className="bar-value">{d.count}</span>
                </li>
              ))}
            </ul>
          </>
        )}
        {s.can.manage && s.people.length > 0 && (
          <table className="table">
            <caption>Who answered</caption>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Department</th>
                <th scope="col">Answer</th>
                <th scope="col">Attended</th>
              </tr>
            </thead>
            <tbody>
              {s.people.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>{p.department}</td>
                  <td>{STATUS_LABEL[p.status]}</td>
                  <td>
                    {p.checkedIn ? (
                      "Yes"
                    ) : (
                      <button
                        onClick={() =>
                          act(() =>
                            call(routes.sessions.postSessionsCheckIn, { params: { id }, body: { userId: p.id } }),
                          )
                        }
                      >
                        Mark {p.name} present
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

/** A presenter turns the session into an article they own, in a space they may write. */
function TurnIntoKnowledge({ id }: { id: string }) {
  const navigate = useNavigate();
  const spaces = useLoad(() => call(routes.spaces.getSpaces), []);
  const [spaceId, setSpaceId] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const writable = spaces.data?.items.filter((x) => x.canEdit) ?? [];
  if (writable.length === 0) return null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const { articleId } = await call(routes.sessions.postSessionsKnowledge, {
        params: { id },
        body: { spaceId: spaceId || writable[0].id },
      });
      navigate(`/articles/${articleId}`);
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <form className="card form" onSubmit={submit} aria-label="Turn into knowledge">
      <h2>Turn into knowledge</h2>
      <p className="muted">An article you own from the abstract and notes, tagged with the session&apos;s topics.</p>
      <label className="field">
        <span>Space</span>
        <select value={spaceId || writable[0].id} onChange={(e) => setSpaceId(e.target.value)}>
          {writable.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
      </label>
      <ErrorBox error={error} />
      <button className="primary">Create the article</button>
    </form>
  );
}

/** The stale-edit message: someone else saved first; the form keeps what was typed so it can be sent again. */
function staleMessage(err: ApiError) {
  return err.status === 409
    ? new ApiError(409, err.code, `${err.message}. The page now shows their version; your text is still in the form.`)
    : err;
}

/** Those who run the session: edit the announced fields (prefilled) and cancel it. */
function ManageSession({ s, onSaved }: { s: SharingSessionPage; onSaved: () => void }) {
  const [open, setOpen] = useState(false);
  const initial = () => ({
    title: s.title,
    abstract: s.abstract,
    start: s.localStart,
    timeZone: s.timeZone,
    durationMinutes: String(s.durationMinutes),
    place: s.place,
    link: s.link,
    capacity: s.capacity === null ? "" : String(s.capacity),
    topics: s.topics.join(", "),
  });
  const [form, setForm] = useState(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    try {
      setError(null);
      await call(routes.sessions.patchSessionsById, {
        params: { id: s.id },
        body: {
          version: s.version,
          title: form.title,
          abstract: form.abstract,
          start: form.start,
          timeZone: form.timeZone,
          durationMinutes: Number(form.durationMinutes),
          place: form.place,
          link: form.link,
          capacity: form.capacity ? Number(form.capacity) : null,
          topics: form.topics
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
        },
      });
      setSaved(true);
      setOpen(false);
      onSaved();
    } catch (err) {
      setError(staleMessage(err as ApiError));
      if ((err as ApiError).status === 409) onSaved();
    }
  };
  const cancel = async () => {
    if (!window.confirm(`Cancel “${s.title}”? People who answered see it as cancelled and calendars drop it.`)) return;
    try {
      setError(null);
      await call(routes.sessions.postSessionsCancel, { params: { id: s.id } });
      onSaved();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const field = (name: string) =>
    error?.field(name) ? <span className="field-error">{error.field(name)}</span> : null;
  const capacity = form.capacity ? Number(form.capacity) : null;
  return (
    <section className="card" aria-labelledby="manage-h">
      <h2 id="manage-h">Run this session</h2>
      <div className="actions">
        <button
          aria-expanded={open}
          onClick={() => {
            if (!open) setForm(initial());
            setOpen((o) => !o);
          }}
        >
          Edit details
        </button>
        {s.can.cancel && (
          <button className="danger" onClick={cancel}>
            Cancel the session
          </button>
        )}
      </div>
      {saved && <p role="status">Saved.</p>}
      {open && (
        <form className="form" onSubmit={save} aria-label="Edit the session">
          <SessionFields
            form={form}
            update={(patch) => setForm({ ...form, ...patch })}
            field={field}
            capacityHelp="capacity-help"
          />
          <p id="capacity-help" className="muted small-text">
            More seats let the waiting list in, earliest first. Fewer seats than people going is allowed: nobody loses
            their seat.
            {capacity !== null && capacity < s.going && ` ${plural(s.going, "person is", "people are")} going already.`}
          </p>
          <label className="field">
            <span>Topics (comma-separated tags)</span>
            <input value={form.topics} onChange={(e) => setForm((prev) => ({ ...prev, topics: e.target.value }))} />
            {field("topics")}
          </label>
          <ErrorBox error={error && !error.fields?.length ? error : null} />
          <div className="actions">
            <button className="primary">Save changes</button>
            <button type="button" onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
        </form>
      )}
      {!open && <ErrorBox error={error && !error.fields?.length ? error : null} />}
    </section>
  );
}

/** The notes taken at the session: read by everyone who reads it, edited by those who run it. */
function Notes({ s, onSaved }: { s: SharingSessionPage; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(s.notes);
  const [error, setError] = useState<ApiError | null>(null);
  if (!s.notes && !s.can.manage) return null;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setError(null);
      await call(routes.sessions.patchSessionsById, {
        params: { id: s.id },
        body: { version: s.version, notes: text },
      });
      setEditing(false);
      onSaved();
    } catch (err) {
      setError(staleMessage(err as ApiError));
      if ((err as ApiError).status === 409) onSaved();
    }
  };
  return (
    <section className="card" aria-labelledby="notes-h">
      <h2 id="notes-h">Notes</h2>
      {editing ? (
        <form className="form" onSubmit={save} aria-label="Edit the notes">
          <label className="field">
            <span>Notes (Markdown)</span>
            <textarea rows={10} maxLength={50_000} value={text} onChange={(e) => setText(e.target.value)} />
            {error?.field("notes") && <span className="field-error">{error.field("notes")}</span>}
          </label>
          <ErrorBox error={error && !error.fields?.length ? error : null} />
          <div className="actions">
            <button className="primary">Save notes</button>
            <button type="button" onClick={() => setEditing(false)}>
              Close
            </button>
          </div>
        </form>
      ) : (
        <>
          {s.notes ? (
            <div className="markdown" dangerouslySetInnerHTML={{ __html: s.notesHtml }} />
          ) : (
            <p className="muted">No notes yet.</p>
          )}
          {s.can.manage && (
            <button
              onClick={() => {
                setText(s.notes);
                setEditing(true);
              }}
            >
              {s.notes ? "Edit notes" : "Write notes"}
            </button>
          )}
        </>
      )}
    </section>
  );
}

const FILE_KIND = { slides: "Slides", recording: "Recording", other: "File" } as const;

/** Slides, recordings and other files: listed for the session's readers, uploaded by those who run it. */
function SessionFiles({ s, onChange }: { s: SharingSessionPage; onChange: () => void }) {
  const [kind, setKind] = useState<"slides" | "recording" | "other">("slides");
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  if (s.files.length === 0 && !s.can.attachFile) return null;
  const send = async (file: File) => {
    try {
      setError(null);
      setProgress(0);
      await upload(routes.sessions.postSessionsFiles, { params: { id: s.id }, query: { kind } }, file, setProgress);
      onChange();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setProgress(null);
    }
  };
  const remove = async (fileId: string, name: string) => {
    if (!window.confirm(`Delete “${name}”?`)) return;
    try {
      setError(null);
      await call(routes.sessions.deleteSessionsFilesById, { params: { id: s.id, fileId } });
      onChange();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <section className="card" aria-labelledby="files-h">
      <h2 id="files-h">Slides and recordings</h2>
      {s.files.length === 0 ? (
        <p className="muted">No files yet.</p>
      ) : (
        <ul className="plain-list session-files">
          {s.files.map((f) => (
            <li key={f.id}>
              <span className="badge">{FILE_KIND[f.kind]}</span> <a href={f.url}>{f.name}</a>{" "}
              <span className="muted small-text">
                {formatBytes(f.size)} · {f.uploadedBy.name}
              </span>
              {f.can.delete && (
                <button className="link-button" onClick={() => remove(f.id, f.name)} aria-label={`Delete ${f.name}`}>
                  Delete
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {s.can.attachFile && (
        <div className="form" aria-label="Add a file">
          <label className="field">
            <span>Kind</span>
            <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
              <option value="slides">Slides</option>
              <option value="recording">Recording</option>
              <option value="other">Other</option>
            </select>
          </label>
          <label className="field">
            <span>File (pdf, pptx, mp4, webm, images, md, txt… up to 25 MB, videos 100 MB)</span>
            <input
              type="file"
              disabled={progress !== null}
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void send(file);
                e.target.value = "";
              }}
            />
          </label>
          {progress !== null && <progress value={progress} max={1} aria-label="Upload progress" />}
        </div>
      )}
      <ErrorBox error={error} />
    </section>
  );
}

/** Questions raised at the session, asked in Knowhow (so they are routed, searchable and answered there). */
function RaisedQuestions({ s, onRaised }: { s: SharingSessionPage; onRaised: () => void }) {
  const [form, setForm] = useState({ title: "", body: "" });
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  if (s.questions.length === 0 && !s.can.raiseQuestion) return null;
  const raise = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setError(null);
      await call(routes.sessions.postSessionsQuestions, { params: { id: s.id }, body: form });
      setForm({ title: "", body: "" });
      setOpen(false);
      onRaised();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <section className="card" aria-labelledby="raised-h">
      <h2 id="raised-h">Questions raised</h2>
      {s.questions.length === 0 ? (
        <p className="muted">No questions raised yet.</p>
      ) : (
        <ul className="plain-list">
          {s.questions.map((q) => (
            <li key={q.id}>
              <Link to={`/questions/${q.id}`}>{q.title}</Link>{" "}
              <span className={`badge${q.answered ? "" : " open"}`}>
                {q.answered ? plural(q.answerCount, "answer") : "Unanswered"}
              </span>{" "}
              <span className="muted small-text">{q.raisedBy.name}</span>
            </li>
          ))}
        </ul>
      )}
      {s.can.raiseQuestion && !open && <button onClick={() => setOpen(true)}>Raise a question</button>}
      {open && (
        <form className="form" onSubmit={raise} aria-label="Raise a question">
          <p className="muted small-text">
            It becomes a question in Knowhow on the session&apos;s topics
            {s.community ? `, addressed to ${s.community.name}` : ""}, and colleagues who know are asked.
          </p>
          <label className="field">
            <span>Question</span>
            <input
              required
              value={form.title}
              onChange={(e) => setForm((prev) => ({ ...prev, title: e.target.value }))}
            />
            {error?.field("title") && <span className="field-error">{error.field("title")}</span>}
          </label>
          <label className="field">
            <span>Details</span>
            <textarea
              rows={4}
              required
              value={form.body}
              onChange={(e) => setForm((prev) => ({ ...prev, body: e.target.value }))}
            />
            {error?.field("body") && <span className="field-error">{error.field("body")}</span>}
          </label>
          <ErrorBox error={error && !error.fields?.length ? error : null} />
          <div className="actions">
            <button className="primary">Ask it in Knowhow</button>
            <button type="button" onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

const monthLabel = (m: string) =>
  new Date(`${m}-01T00:00:00Z`).toLocaleString("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });

/** Attendees checked in per month (last 6 months) and the share from other departments than the presenters'. */
function AttendanceAcrossDepartments() {
  const stats = useLoad(() => call(routes.sessions.getSessionsStats), []);
  if (!stats.data) return <ErrorBox error={stats.error} />;
  const months = stats.data.months;
  const max = Math.max(1, ...months.map((m) => m.attended));
  const pct = (x: number | null) => (x === null ? "—" : `${Math.round(x * 100)}%`);
  return (
    <section className="card attendance-chart" aria-labelledby="across-h">
      <h2 id="across-h">Attendance across departments</h2>
      <p className="muted">
        Attendees checked in per month; the darker part came from other departments than the presenters&apos;.
      </p>
      <ul className="bars" aria-hidden="true">
        {months.map((m) => (
          <li key={m.month}>
            <span className="bar-label">{monthLabel(m.month)}</span>
            <span className="bar stacked">
              <span className="cross" style={{ width: `${(m.crossDepartment / max) * 100}%` }} />
              <span style={{ width: `${((m.attended - m.crossDepartment) / max) * 100}%` }} />
            </span>
            <span className="bar-value">{m.attended}</span>
          </li>
        ))}
      </ul>
      <table className="table compact">
        <caption>Attendance across departments by month</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">Sessions</th>
            <th scope="col">Attendees</th>
            <th scope="col">From other departments</th>
          </tr>
        </thead>
        <tbody>
          {months.map((m) => (
            <tr key={m.month}>
              <th scope="row">{monthLabel(m.month)}</th>
              <td>{m.sessions}</td>
              <td>{m.attended}</td>
              <td>
                {m.crossDepartment} ({pct(m.crossDepartmentShare)})
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type SessionFieldsState = {
  title: string;
  abstract: string;
  start: string;
  timeZone: string;
  durationMinutes: string;
  place: string;
  link: string;
  capacity: string;
};

/** The fields a session is announced and edited with (title to capacity), with each field's error. */
function SessionFields({
  form,
  update,
  field,
  capacityHelp,
}: {
  form: SessionFieldsState;
  update: (patch: Partial<SessionFieldsState>) => void;
  field: (name: string) => ReactNode;
  capacityHelp?: string;
}) {
  return (
    <>
      <label className="field">
        <span>Title</span>
        <input required value={form.title} onChange={(e) => update({ title: e.target.value })} />
        {field("title")}
      </label>
      <label className="field">
        <span>Abstract (Markdown)</span>
        <textarea rows={3} value={form.abstract} onChange={(e) => update({ abstract: e.target.value })} />
        {field("abstract")}
      </label>
      <label className="field">
        <span>Starts</span>
        <input
          type="datetime-local"
          required
          value={form.start}
          onChange={(e) => update({ start: e.target.value.slice(0, 16) })}
        />
        {field("start")}
      </label>
      <label className="field">
        <span>Time zone</span>
        <input required value={form.timeZone} onChange={(e) => update({ timeZone: e.target.value })} />
        {field("timeZone")}
      </label>
      <label className="field">
        <span>Duration (minutes)</span>
        <input
          type="number"
          min={5}
          required
          value={form.durationMinutes}
          onChange={(e) => update({ durationMinutes: e.target.value })}
        />
        {field("durationMinutes")}
      </label>
      <label className="field">
        <span>Place</span>
        <input value={form.place} onChange={(e) => update({ place: e.target.value })} />
        {field("place")}
      </label>
      <label className="field">
        <span>Link</span>
        <input type="url" value={form.link} onChange={(e) => update({ link: e.target.value })} />
        {field("link")}
      </label>
      <label className="field">
        <span>Capacity (empty: no limit)</span>
        <input
          type="number"
          min={1}
          value={form.capacity}
          onChange={(e) => update({ capacity: e.target.value })}
          aria-describedby={capacityHelp}
        />
        {field("capacity")}
      </label>
    </>
  );
}
