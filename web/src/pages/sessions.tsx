import { useState, type FormEvent } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { ApiError, call, routes, urlFor } from "../api";
import { useMe } from "../auth";
import { Empty, ErrorBox, Loading, Tags, plural, useLoad } from "../util";
import type { SharingSession } from "../contracts";

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
        {s.myStatus && <span className="badge">{STATUS_LABEL[s.myStatus]}</span>}
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
          <label className="field">
            <span>Title</span>
            <input required value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />
            {field("title")}
          </label>
          <label className="field">
            <span>Abstract (Markdown)</span>
            <textarea rows={3} value={form.abstract} onChange={(e) => setForm({ ...form, abstract: e.target.value })} />
          </label>
          <label className="field">
            <span>Starts</span>
            <input
              type="datetime-local"
              required
              value={form.start}
              onChange={(e) => setForm({ ...form, start: e.target.value.slice(0, 16) })}
            />
            {field("start")}
          </label>
          <label className="field">
            <span>Time zone</span>
            <input required value={form.timeZone} onChange={(e) => setForm({ ...form, timeZone: e.target.value })} />
            {field("timeZone")}
          </label>
          <label className="field">
            <span>Duration (minutes)</span>
            <input
              type="number"
              min={5}
              required
              value={form.durationMinutes}
              onChange={(e) => setForm({ ...form, durationMinutes: e.target.value })}
            />
            {field("durationMinutes")}
          </label>
          <label className="field">
            <span>Place</span>
            <input value={form.place} onChange={(e) => setForm({ ...form, place: e.target.value })} />
            {field("place")}
          </label>
          <label className="field">
            <span>Link</span>
            <input type="url" value={form.link} onChange={(e) => setForm({ ...form, link: e.target.value })} />
            {field("link")}
          </label>
          <label className="field">
            <span>Capacity (empty: no limit)</span>
            <input
              type="number"
              min={1}
              value={form.capacity}
              onChange={(e) => setForm({ ...form, capacity: e.target.value })}
            />
            {field("capacity")}
          </label>
          <label className="field">
            <span>Topics (comma-separated tags)</span>
            <input value={form.topics} onChange={(e) => setForm({ ...form, topics: e.target.value })} />
            {field("topics")}
          </label>
          <label className="field">
            <span>Audience</span>
            <select value={form.communityId} onChange={(e) => setForm({ ...form, communityId: e.target.value })}>
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
      <h1>{s.title}</h1>
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
        {s.can.rsvp && !past && (
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
