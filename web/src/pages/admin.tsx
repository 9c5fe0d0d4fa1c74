import { useState, type FormEvent } from "react";
import { Link, Navigate } from "react-router";
import { ApiError, call, type Role, routes, urlFor, type User } from "../api";
import { useMe } from "../auth";
import { LrsClients, LrsForwarders } from "./lrs";
import { WebhooksAdmin } from "./webhooks-admin";
import { SsoAdmin } from "./sso-admin";
import { Empty, ErrorBox, Loading, ago, useLoad } from "../util";

export function AdminPage() {
  const me = useMe();
  const people = useLoad(() => call(routes.people.getPeople, { query: { limit: 200 } }), []);
  const invitations = useLoad(() => call(routes.accounts.getInvitations), []);
  const spaces = useLoad(() => call(routes.spaces.getSpaces), []);
  const [error, setError] = useState<ApiError | null>(null);
  const [link, setLink] = useState<string | null>(null);
  const [filter, setFilter] = useState("");
  // Every change made here is audited: the trail reloads after each one.
  const [changes, setChanges] = useState(0);
  const changed = () => setChanges((n) => n + 1);
  if (!me.can.administer) return <Navigate to="/" replace />;
  const invite = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    try {
      setError(null);
      const r = await call(routes.accounts.postInvitations, {
        body: { email: f.get("email") as string, role: f.get("role") as Role },
      });
      setLink(r.url);
      form.reset();
      invitations.reload();
      changed();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const update = async (u: User, changes: Partial<User>) => {
    try {
      setError(null);
      await call(routes.people.patchPeopleById, { params: { id: u.id }, body: { version: u.version, ...changes } });
      people.reload();
      changed();
    } catch (err) {
      setError(err as ApiError);
      people.reload();
    }
  };
  const revoke = async (id: string) => {
    await call(routes.accounts.deleteInvitationsById, { params: { id } }).catch((e: ApiError) => setError(e));
    invitations.reload();
    changed();
  };
  const shown = (people.data?.items ?? []).filter(
    (p) => !filter || `${p.name} ${p.email} ${p.department}`.toLowerCase().includes(filter.toLowerCase()),
  );
  return (
    <div className="page">
      <h1>Administration</h1>
      <ErrorBox error={error} />
      <div className="grid-2">
        <section className="card">
          <h2>Invite people</h2>
          <form className="form inline-form" onSubmit={invite} aria-label="Invite">
            <label className="field grow">
              <span>Email</span>
              <input name="email" type="email" required />
              {error?.field("email") && <span className="field-error">{error.field("email")}</span>}
            </label>
            <label className="field">
              <span>Role</span>
              <select name="role" defaultValue="member">
                <option value="member">Member</option>
                <option value="guest">Guest (read-only)</option>
                <option value="admin">Admin</option>
              </select>
            </label>
            <button className="primary">Create invitation link</button>
          </form>
          {link && (
            <div className="notice">
              Send this link to the person (valid for 14 days, works once):
              <input
                className="copy"
                readOnly
                value={link}
                aria-label="Invitation link"
                onFocus={(e) => e.target.select()}
              />
              <button className="small" onClick={() => void navigator.clipboard?.writeText(link)}>
                Copy
              </button>
            </div>
          )}
          <h3>Invitations</h3>
          {invitations.data?.items.length === 0 && <Empty>No invitations yet.</Empty>}
          <ul className="plain-list">
            {invitations.data?.items.map((i) => (
              <li key={i.id}>
                {i.email} <span className="muted">({i.role})</span> —{" "}
                {i.acceptedAt ? `accepted ${ago(i.acceptedAt)}` : `expires ${ago(i.expiresAt)}`}{" "}
                {!i.acceptedAt && (
                  <button className="small" onClick={() => void revoke(i.id)}>
                    Revoke
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
        <section className="card">
          <h2>Spaces</h2>
          <p className="muted small-text">
            New articles start from <Link to="/templates">article templates</Link>; each space&apos;s owner picks its
            default.
          </p>
          {spaces.loading && <Loading />}
          <table className="table">
            <thead>
              <tr>
                <th>Space</th>
                <th>Visibility</th>
                <th>Articles</th>
              </tr>
            </thead>
            <tbody>
              {spaces.data?.items.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={`/spaces/${s.id}`}>{s.name}</Link>
                  </td>
                  <td>{s.visibility}</td>
                  <td>{s.articleCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <section className="card">
        <div className="list-tools">
          <h2>People ({people.data?.total ?? 0})</h2>
          <label className="field grow">
            <span>Filter</span>
            <input value={filter} onChange={(e) => setFilter(e.target.value)} />
          </label>
        </div>
        {people.loading && <Loading />}
        <div className="table-wrap" tabIndex={0} role="region" aria-label="People">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Department</th>
                <th>Role</th>
                <th>Knowledge manager</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/people/${p.id}`}>{p.name}</Link>
                    <div className="muted small-text">{p.email}</div>
                  </td>
                  <td>{p.department}</td>
                  <td>
                    <select
                      aria-label={`Role of ${p.name}`}
                      value={p.role}
                      disabled={p.id === me.id}
                      onChange={(e) => void update(p, { role: e.target.value as Role })}
                    >
                      <option value="admin">admin</option>
                      <option value="member">member</option>
                      <option value="guest">guest</option>
                    </select>
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${p.name} is a knowledge manager`}
                      checked={p.knowledgeManager}
                      onChange={(e) => void update(p, { knowledgeManager: e.target.checked })}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <UploadSettings onChanged={changed} />
      <WebhooksAdmin onChanged={changed} />
      <SsoAdmin onChanged={changed} />
      <LrsClients />
      <LrsForwarders />
      <AuditTrail changes={changes} />
    </div>
  );
}

/** The organisation's upload limit: how large a clip captured on the job (or any file) may be. */
function UploadSettings({ onChanged }: { onChanged: () => void }) {
  const settings = useLoad(() => call(routes.settings.getSettings), []);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!settings.data) return;
    const value = Number(new FormData(e.currentTarget).get("uploadLimitMb"));
    try {
      setError(null);
      setSaved(false);
      await call(routes.settings.patchSettings, { body: { version: settings.data.version, uploadLimitMb: value } });
      setSaved(true);
      settings.reload();
      onChanged();
    } catch (err) {
      setError(err as ApiError);
      settings.reload();
    }
  };
  return (
    <section className="card">
      <h2>Uploads</h2>
      <ErrorBox error={error} />
      {settings.data && (
        <form className="form inline-form" onSubmit={save} aria-label="Upload limit" key={settings.data.version}>
          <label className="field">
            <span>Largest upload (MB)</span>
            <input
              name="uploadLimitMb"
              type="number"
              min={1}
              max={2048}
              step={1}
              required
              defaultValue={settings.data.uploadLimitMb}
            />
            {error?.field("uploadLimitMb") && <span className="field-error">{error.field("uploadLimitMb")}</span>}
          </label>
          <button className="primary">Save</button>
          {saved && <span role="status">Saved.</span>}
        </form>
      )}
      <p className="muted small-text">
        Clips captured on the job may be this large; photos stay under 10 MB and other files under 25 MB (or this, if
        lower). A minute of phone video is about 10–20 MB.
      </p>
    </section>
  );
}

const AUDIT_ACTIONS: Record<string, string> = {
  "person.update": "changed",
  "space.access": "changed who can see",
  "space.member": "changed the members of",
  "invitation.create": "invited",
  "invitation.revoke": "revoked an invitation for",
  "settings.update": "changed the organisation’s settings:",
  "webhook.create": "added a webhook:",
  "webhook.update": "changed a webhook:",
  "webhook.delete": "deleted a webhook:",
  "auth.sign-in": "signed in as",
  "auth.sign-in-failed": "saw a failed sign-in for",
  "audit.export": "exported the audit trail:",
  "token.create": "made an API token:",
  "token.use": "used an API token:",
  "token.revoke": "revoked an API token:",
  "sso.sign_in": "signed in with single sign-on:",
  "sso.account_create": "got an account at their first single sign-on:",
  "sso.role_change": "had their role set by their groups:",
  "sso.provider.create": "added the sign-in provider",
  "sso.provider.update": "changed the sign-in provider",
  "sso.provider.delete": "deleted the sign-in provider",
};

/** Sign-ins and changes that decide who may see or do what, newest first: searchable, exportable, kept as set. */
function AuditTrail({ changes }: { changes: number }) {
  const [q, setQ] = useState("");
  const [action, setAction] = useState("");
  const [shown, setShown] = useState({ q: "", action: "" });
  const filter = { ...(shown.q ? { q: shown.q } : {}), ...(shown.action ? { action: shown.action } : {}) };
  const audit = useLoad(
    () => call(routes.audit.getAudit, { query: { limit: 50, ...filter } }),
    [changes, shown.q, shown.action],
  );
  const settings = useLoad(() => call(routes.settings.getSettings), [changes]);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const search = (e: FormEvent) => {
    e.preventDefault();
    setShown({ q: q.trim(), action });
  };
  const keep = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!settings.data) return;
    const days = Number(new FormData(e.currentTarget).get("auditRetentionDays"));
    try {
      setError(null);
      setSaved(false);
      await call(routes.settings.patchSettings, { body: { version: settings.data.version, auditRetentionDays: days } });
      setSaved(true);
      settings.reload();
      audit.reload();
    } catch (err) {
      setError(err as ApiError);
      settings.reload();
    }
  };
  return (
    <section className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit trail</h2>
      <p className="muted small-text">Sign-ins (and failed ones), and changes that decide who may see or do what.</p>
      <form className="form inline-form" onSubmit={search} aria-label="Search the audit trail">
        <label className="field grow">
          <span>Words</span>
          <input value={q} onChange={(e) => setQ(e.target.value)} placeholder="a name, an address, a space…" />
        </label>
        <label className="field">
          <span>Kind</span>
          <select value={action} onChange={(e) => setAction(e.target.value)}>
            <option value="">Everything</option>
            <option value="auth.">Sign-ins</option>
            <option value="auth.sign-in-failed">Failed sign-ins</option>
            <option value="person.">People</option>
            <option value="space.">Spaces</option>
            <option value="invitation.">Invitations</option>
            <option value="webhook.">Webhooks</option>
            <option value="settings.">Settings</option>
            <option value="audit.">Exports</option>
            <option value="token.">API tokens</option>
          </select>
        </label>
        <button className="primary">Search</button>
        <a className="button" href={urlFor(routes.audit.getAuditExport, { query: filter })} download>
          Download CSV
        </a>
      </form>
      {audit.loading && !audit.data && <Loading />}
      <ErrorBox error={audit.error ?? error} />
      {audit.data && audit.data.items.length === 0 && <Empty>Nothing found.</Empty>}
      <ul className="plain-list">
        {audit.data?.items.map((e) => (
          <li key={e.id}>
            <strong>{e.actor?.name ?? "System"}</strong> {AUDIT_ACTIONS[e.action] ?? e.action}{" "}
            {e.subjectType === "person" ? (
              <Link to={`/people/${e.subjectId}`}>{e.subjectName ?? "a profile"}</Link>
            ) : e.subjectType === "space" ? (
              <Link to={`/spaces/${e.subjectId}`}>{e.subjectName ?? "a space"}</Link>
            ) : null}{" "}
            — {e.detail} <span className="muted small-text">{ago(e.at)}</span>
          </li>
        ))}
      </ul>
      {settings.data && (
        <form className="form inline-form" onSubmit={keep} aria-label="Audit retention" key={settings.data.version}>
          <label className="field">
            <span>Keep entries for (days)</span>
            <input
              name="auditRetentionDays"
              type="number"
              min={30}
              max={3650}
              required
              defaultValue={settings.data.auditRetentionDays}
            />
            {error?.field("auditRetentionDays") && (
              <span className="field-error">{error.field("auditRetentionDays")}</span>
            )}
          </label>
          <button>Save</button>
          {saved && <span role="status">Saved.</span>}
        </form>
      )}
    </section>
  );
}
