import { useState } from "react";
import { ApiError, call, routes } from "../api";
import { Empty, ErrorBox, Loading, ago, plural, useLoad } from "../util";

const SCOPES = [
  ["statements/write", "Write statements"],
  ["statements/read/mine", "Read its own statements"],
  ["statements/read", "Read all statements"],
  ["state", "State documents"],
  ["profile", "Activity and agent profiles"],
  ["all/read", "Read everything"],
  ["all", "Everything"],
] as const;
type Scope = (typeof SCOPES)[number][0];

/** Admins: the clients (an LMS, an e-learning module) allowed to use Knowhow's Learning Record Store. */
export function LrsClients() {
  const list = useLoad(() => call(routes.lrs.getClients), []);
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["statements/write", "statements/read/mine"]);
  const [created, setCreated] = useState<{ key: string; secret: string; endpoint: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  if (list.error) return <ErrorBox error={list.error} />;
  if (!list.data) return <Loading />;
  return (
    <section className="card" aria-labelledby="lrs-clients">
      <h2 id="lrs-clients">Learning Record Store clients</h2>
      <p className="muted small-text">
        E-learning tools send xAPI statements to <code>{list.data.endpoint}</code> with a client's key and secret (HTTP
        Basic). What they record for a colleague counts as formal learning on the colleague's learning page.
      </p>
      <form
        className="form"
        aria-label="New LRS client"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          try {
            const c = await call(routes.lrs.postClients, { body: { name, scopes } });
            setCreated({ key: c.key, secret: c.secret, endpoint: c.endpoint });
            setName("");
            list.reload();
          } catch (err) {
            setError(err as ApiError);
          }
        }}
      >
        <label className="field">
          <span>Client name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Safety e-learning" />
          {error?.field("name") && <span className="field-error">{error.field("name")}</span>}
        </label>
        <fieldset className="field">
          <legend>Scopes</legend>
          {SCOPES.map(([value, label]) => (
            <label key={value} className="radio">
              <input
                type="checkbox"
                checked={scopes.includes(value)}
                onChange={(e) =>
                  setScopes((prev) => (e.target.checked ? [...prev, value] : prev.filter((s) => s !== value)))
                }
              />{" "}
              {label} <code className="small-text">{value}</code>
            </label>
          ))}
          {error?.field("scopes") && <span className="field-error">{error.field("scopes")}</span>}
        </fieldset>
        <button className="primary">Create client</button>
      </form>
      {created && (
        <div className="card" role="status">
          <p>
            <strong>Copy the secret now</strong>: it is not shown again.
          </p>
          <p className="small-text">
            Endpoint <code>{created.endpoint}</code>
            <br />
            Key <code data-testid="lrs-key">{created.key}</code>
            <br />
            Secret <code data-testid="lrs-secret">{created.secret}</code>
          </p>
        </div>
      )}
      {list.data.items.length === 0 ? (
        <Empty>No clients yet.</Empty>
      ) : (
        <ul className="plain-list">
          {list.data.items.map((c) => (
            <li key={c.id} className="row wrap spread">
              <span>
                <strong>{c.name}</strong> <code className="small-text">{c.key}</code>{" "}
                <span className="muted small-text">
                  {c.scopes.join(", ")} · {plural(c.statements, "statement")}
                  {c.lastUsedAt && ` · last used ${ago(c.lastUsedAt)}`}
                </span>
                {c.revokedAt && <span className="badge">Revoked</span>}
              </span>
              {!c.revokedAt && (
                <button
                  className="danger"
                  onClick={async () => {
                    try {
                      list.setData(await call(routes.lrs.deleteClient, { params: { id: c.id } }));
                    } catch (err) {
                      setError(err as ApiError);
                    }
                  }}
                  aria-label={`Revoke ${c.name}`}
                >
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Admins: forward statements to an external LRS (at least once, retried with backoff), with the delivery log. */
export function LrsForwarders() {
  const list = useLoad(() => call(routes.lrs.getForwarders), []);
  const [form, setForm] = useState({ name: "", endpoint: "", username: "", password: "", verbs: "", fromStart: false });
  const [error, setError] = useState<ApiError | null>(null);
  const [open, setOpen] = useState(false);
  if (list.error) return <ErrorBox error={list.error} />;
  if (!list.data) return <Loading />;
  const act = async (f: () => Promise<NonNullable<typeof list.data>>) => {
    try {
      setError(null);
      list.setData(await f());
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <section className="card" aria-labelledby="lrs-forwarders">
      <div className="row wrap spread">
        <h2 id="lrs-forwarders">Forwarding to another LRS</h2>
        <button onClick={() => setOpen(!open)} aria-expanded={open}>
          Add a forwarder
        </button>
      </div>
      <ErrorBox error={error && !error.fields?.length ? error : null} />
      {open && (
        <form
          className="form"
          aria-label="New forwarder"
          onSubmit={(e) => {
            e.preventDefault();
            void act(() =>
              call(routes.lrs.postForwarders, {
                body: {
                  name: form.name,
                  endpoint: form.endpoint,
                  username: form.username,
                  password: form.password,
                  verbs: form.verbs
                    .split(/[\s,]+/)
                    .map((v) => v.trim())
                    .filter(Boolean),
                  fromStart: form.fromStart,
                },
              }),
            ).then(() => setOpen(false));
          }}
        >
          <div className="row wrap">
            <label className="field">
              <span>Name</span>
              <input value={form.name} onChange={(e) => setForm((p) => ({ ...p, name: e.target.value }))} />
              {error?.field("name") && <span className="field-error">{error.field("name")}</span>}
            </label>
            <label className="field grow">
              <span>The other LRS's endpoint</span>
              <input
                value={form.endpoint}
                placeholder="https://lrs.example.org/xapi/"
                onChange={(e) => setForm((p) => ({ ...p, endpoint: e.target.value }))}
              />
              {error?.field("endpoint") && <span className="field-error">{error.field("endpoint")}</span>}
            </label>
          </div>
          <div className="row wrap">
            <label className="field">
              <span>Key (username)</span>
              <input value={form.username} onChange={(e) => setForm((p) => ({ ...p, username: e.target.value }))} />
            </label>
            <label className="field">
              <span>Secret (password)</span>
              <input
                type="password"
                value={form.password}
                onChange={(e) => setForm((p) => ({ ...p, password: e.target.value }))}
              />
            </label>
          </div>
          <label className="field">
            <span>Only these verbs (IRIs, optional)</span>
            <input value={form.verbs} onChange={(e) => setForm((p) => ({ ...p, verbs: e.target.value }))} />
            {error?.field("verbs.0") && <span className="field-error">{error.field("verbs.0")}</span>}
          </label>
          <label className="radio">
            <input
              type="checkbox"
              checked={form.fromStart}
              onChange={(e) => setForm((p) => ({ ...p, fromStart: e.target.checked }))}
            />{" "}
            Also forward what is stored already
          </label>
          <button className="primary">Save forwarder</button>
        </form>
      )}
      {list.data.items.length === 0 ? (
        <Empty>No forwarders.</Empty>
      ) : (
        <ul className="plain-list">
          {list.data.items.map((f) => (
            <li key={f.id} className="card">
              <div className="row wrap spread">
                <span>
                  <strong>{f.name}</strong> <code className="small-text">{f.endpoint}</code>{" "}
                  <span className="muted small-text">
                    {f.enabled ? "on" : "paused"} · {plural(f.waiting, "statement")} waiting
                    {f.verbs.length > 0 && ` · ${plural(f.verbs.length, "verb")}`}
                  </span>
                </span>
                <span className="actions">
                  <button onClick={() => void act(() => call(routes.lrs.postForwardNow))}>Forward now</button>
                  <button
                    onClick={() =>
                      void act(() =>
                        call(routes.lrs.patchForwarder, { params: { id: f.id }, body: { enabled: !f.enabled } }),
                      )
                    }
                  >
                    {f.enabled ? "Pause" : "Resume"}
                  </button>
                  <button
                    className="danger"
                    onClick={() => void act(() => call(routes.lrs.deleteForwarder, { params: { id: f.id } }))}
                    aria-label={`Remove ${f.name}`}
                  >
                    Remove
                  </button>
                </span>
              </div>
              {f.deliveries.length > 0 && (
                <table className="small-text">
                  <caption className="sr-only">Deliveries to {f.name}</caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Statements</th>
                      <th scope="col">Status</th>
                      <th scope="col">
                        <span className="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {f.deliveries.map((d) => (
                      <tr key={d.id}>
                        <td>{ago(d.sentAt ?? d.createdAt)}</td>
                        <td>{d.count}</td>
                        <td>
                          {d.status}
                          {d.status === "failed" &&
                            ` (${plural(d.attempts, "attempt")}; ${d.lastError}${d.nextAttemptAt ? `; next ${ago(d.nextAttemptAt)}` : ""})`}
                        </td>
                        <td>
                          <button
                            className="small"
                            onClick={() =>
                              void act(() => call(routes.lrs.postResend, { params: { id: f.id, deliveryId: d.id } }))
                            }
                          >
                            Resend
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
