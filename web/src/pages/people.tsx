import { useEffect, useState, type FormEvent } from "react";
import { TokensCard } from "./tokens";
import { Link, useParams, useSearchParams } from "react-router";
import { ApiError, call, routes, type User, type BodyFor } from "../api";
import { useAuth, useMe } from "../auth";
import { Avatar, Empty, ErrorBox, Loading, useLoad } from "../util";
import { ProfileExpertise, WhoKnows } from "./expertise";
import { ReadingRecord } from "./verification";
import { LearningChart } from "./learning";
import { ArticleList } from "./spaces";
import { PersonCommunities } from "./community-parts";

export function PeoplePage() {
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const department = params.get("department") ?? "";
  const [text, setText] = useState(q);
  const people = useLoad(
    () => call(routes.people.getPeople, { query: { q, department, limit: "100" } }),
    [q, department],
  );
  const departments = useLoad(() => call(routes.people.getPeopleDepartments), []);
  useEffect(() => {
    const t = setTimeout(
      () =>
        text !== q &&
        setParams(text ? { q: text, ...(department ? { department } : {}) } : department ? { department } : {}),
      200,
    );
    return () => clearTimeout(t);
  }, [text, q, department, setParams]);
  return (
    <div className="page">
      <h1>People</h1>
      <WhoKnows departments={(departments.data?.items ?? []).map((d) => d.department).filter(Boolean)} />
      <h2 className="section-title">Directory</h2>
      <div className="list-tools">
        <label className="field grow">
          <span>Find a colleague</span>
          <input
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Name, title, email"
          />
        </label>
        <label className="field">
          <span>Department</span>
          <select
            value={department}
            onChange={(e) =>
              setParams({ ...(q ? { q } : {}), ...(e.target.value ? { department: e.target.value } : {}) })
            }
          >
            <option value="">All departments</option>
            {departments.data?.items.map((d) => (
              <option key={d.department} value={d.department}>
                {d.department || "(none)"} ({d.count})
              </option>
            ))}
          </select>
        </label>
      </div>
      {people.loading && !people.data && <Loading />}
      <ErrorBox error={people.error} />
      {people.data && <p className="muted">{people.data.total} people</p>}
      {people.data?.items.length === 0 && <Empty>Nobody matches.</Empty>}
      <div className="people-grid">
        {people.data?.items.map((p) => (
          <Link key={p.id} to={`/people/${p.id}`} className="card person-card">
            <Avatar name={p.name} size={40} />
            <div>
              <strong>{p.name}</strong>
              <div className="muted">{p.title}</div>
              <div className="muted small-text">
                {p.department} · {p.location}
              </div>
            </div>
          </Link>
        ))}
      </div>
    </div>
  );
}

function localTime(tz: string): string {
  try {
    return new Date().toLocaleTimeString("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit" });
  } catch {
    return "";
  }
}

export function ProfilePage() {
  const { id = "" } = useParams();
  const me = useMe();
  const { refresh } = useAuth();
  const person = useLoad(() => call(routes.profile.getPeopleById, { params: { id } }), [id]);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [conflict, setConflict] = useState<User | null>(null);
  if (person.loading && !person.data) return <Loading />;
  if (!person.data) return <ErrorBox error={person.error} />;
  const p = person.data;
  const canEdit = p.can.update;
  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body: Record<string, unknown> = { version: conflict?.version ?? p.version };
    // Title and department are set by an admin (they decide who verifies department-owned knowledge).
    const fields = p.can.changePlacement
      ? ["name", "title", "department", "location", "timeZone", "bio"]
      : ["name", "location", "timeZone", "bio"];
    for (const k of fields) body[k] = String(f.get(k) ?? "");
    try {
      setError(null);
      await call(routes.people.patchPeopleById, {
        params: { id: p.id },
        body: body as BodyFor<typeof routes.people.patchPeopleById>,
      });
      setEditing(false);
      setConflict(null);
      person.reload();
      if (me.id === p.id) await refresh();
    } catch (err) {
      const ae = err as ApiError;
      if (ae.status === 409) setConflict((ae.body.current ?? null) as User | null);
      setError(ae);
    }
  };
  return (
    <div className="page">
      <div className="profile-head">
        <Avatar name={p.name} size={72} />
        <div>
          <h1>{p.name}</h1>
          <div className="muted">
            {p.title}
            {p.department && ` · ${p.department}`}
          </div>
          <div className="muted">
            {p.location} · local time {localTime(p.timeZone)} ({p.timeZone})
          </div>
          {p.manager && (
            <div>
              Reports to <Link to={`/people/${p.manager.id}`}>{p.manager.name}</Link>
            </div>
          )}
        </div>
        {canEdit && !editing && <button onClick={() => setEditing(true)}>Edit profile</button>}
      </div>
      {editing && (
        <form className="card form" onSubmit={save} aria-label="Edit profile">
          {conflict && (
            <div className="notice">
              This profile was changed meanwhile; the form below still has your values. Saving now overwrites with your
              values.
            </div>
          )}
          {error && !error.fields.length && error.status !== 409 && <ErrorBox error={error} />}
          {(["name", "title", "department", "location", "timeZone"] as const).map((k) => (
            <label key={k} className="field">
              <span>{k === "timeZone" ? "Time zone (e.g. Europe/Berlin)" : k[0].toUpperCase() + k.slice(1)}</span>
              <input
                name={k}
                defaultValue={p[k]}
                readOnly={(k === "title" || k === "department") && !p.can.changePlacement}
                title={
                  (k === "title" || k === "department") && !p.can.changePlacement
                    ? "Set by an administrator"
                    : undefined
                }
              />
              {error?.field(k) && <span className="field-error">{error.field(k)}</span>}
            </label>
          ))}
          <label className="field">
            <span>Bio</span>
            <textarea name="bio" defaultValue={p.bio} rows={3} />
          </label>
          <div className="actions">
            <button className="primary">Save profile</button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {p.bio && <p className="bio">{p.bio}</p>}
      <ProfileExpertise personId={p.id} canEndorse={p.can.endorse} />
      <LearningChart personId={p.id} />
      <div className="grid-2">
        <section className="card">
          <h2>Articles</h2>
          {p.articles.length === 0 ? <Empty>No articles you can see.</Empty> : <ArticleList items={p.articles} />}
        </section>
        <div className="stack">
          <PersonCommunities personId={p.id} own={me.id === p.id} />
          {p.reports.length > 0 && (
            <section className="card">
              <h2>Team</h2>
              <ul className="plain-list">
                {p.reports.map((r) => (
                  <li key={r.id}>
                    <Link to={`/people/${r.id}`}>{r.name}</Link> <span className="muted">{r.title}</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {me.id === p.id && <ReadingRecord />}
          {me.id === p.id && <PasswordForm />}
          {me.id === p.id && <TokensCard />}
        </div>
      </div>
    </div>
  );
}

function PasswordForm() {
  const [done, setDone] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    try {
      setError(null);
      await call(routes.accounts.postAuthPassword, {
        body: {
          currentPassword: f.get("currentPassword") as string,
          newPassword: f.get("newPassword") as string,
        },
      });
      setDone(true);
      form.reset();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <form className="card form" onSubmit={submit} aria-label="Change password">
      <h2>Change password</h2>
      {done && <div className="notice">Password changed. Other sessions were signed out.</div>}
      {error && !error.fields.length && <ErrorBox error={error} />}
      <label className="field">
        <span>Current password</span>
        <input name="currentPassword" type="password" autoComplete="current-password" required />
      </label>
      <label className="field">
        <span>New password (at least 10 characters)</span>
        <input name="newPassword" type="password" autoComplete="new-password" required />
        {error?.field("newPassword") && <span className="field-error">{error.field("newPassword")}</span>}
      </label>
      <button>Change password</button>
    </form>
  );
}
