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
