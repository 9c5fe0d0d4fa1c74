import { useState, type FormEvent } from "react";
import { ApiError, call, routes } from "../api";
import { useMe } from "../auth";
import { Empty, ErrorBox, ago, useLoad } from "../util";

const SCOPE_LABEL: Record<string, string> = {
  read: "Read",
  write: "Write (create and change)",
  admin: "Administer",
};

/** A person's API tokens: made (shown once), listed with their last use, revoked. */
export function TokensCard() {
  const me = useMe();
  const tokens = useLoad(() => call(routes.tokens.getTokens), []);
  const [error, setError] = useState<ApiError | null>(null);
  const [fresh, setFresh] = useState<string | null>(null);
  const make = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const days = String(f.get("expiresInDays"));
    try {
      setError(null);
      const made = await call(routes.tokens.postTokens, {
        body: {
          name: String(f.get("name")),
          scopes: f.getAll("scopes").map(String) as never,
          expiresInDays: days === "never" ? null : Number(days),
        },
      });
      setFresh(made.token);
      form.reset();
      tokens.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const revoke = async (id: string, name: string) => {
    if (!confirm(`Revoke the token "${name}"? Scripts using it stop working at once.`)) return;
    try {
      await call(routes.tokens.deleteTokensById, { params: { id } });
      tokens.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <section className="card form" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p className="muted small-text">
        For your scripts and tools: send <code>Authorization: Bearer &lt;token&gt;</code> to the API (see API docs). A
        token acts as you, within its scopes; every use is recorded in the audit trail.
      </p>
      <ErrorBox error={error && !error.fields.length ? error : null} />
      <form onSubmit={make} aria-label="New API token" className="form">
        <label className="field">
          <span>Name</span>
          <input name="name" required placeholder="e.g. Weekly report script" />
          {error?.field("name") && <span className="field-error">{error.field("name")}</span>}
        </label>
        <fieldset className="field">
          <legend>Scopes</legend>
          {Object.entries(SCOPE_LABEL)
            .filter(([s]) => s !== "admin" || me.can.administer)
            .map(([s, label]) => (
              <label key={s} className="check">
                <input type="checkbox" name="scopes" value={s} defaultChecked={s === "read"} /> {label}
              </label>
            ))}
          {error?.field("scopes") && <span className="field-error">{error.field("scopes")}</span>}
        </fieldset>
        <label className="field">
          <span>Expires</span>
          <select name="expiresInDays" defaultValue="90">
            <option value="30">in 30 days</option>
            <option value="90">in 90 days</option>
            <option value="365">in a year</option>
            <option value="never">never (until revoked)</option>
          </select>
        </label>
        <button>Make token</button>
      </form>
      {fresh && (
        <div className="notice" role="status">
          Copy it now: it is not shown again.
          <input className="copy" readOnly value={fresh} aria-label="New token" onFocus={(e) => e.target.select()} />
        </div>
      )}
      {tokens.data?.items.length === 0 && <Empty>No tokens.</Empty>}
      <ul className="plain-list">
        {tokens.data?.items.map((t) => (
          <li key={t.id}>
            <strong>{t.name}</strong> <code>{t.prefix}…</code>{" "}
            <span className="muted small-text">
              {t.scopes.join(", ")} ·{" "}
              {t.revokedAt
                ? `revoked ${ago(t.revokedAt)}`
                : `${t.lastUsedAt ? `used ${ago(t.lastUsedAt)}` : "never used"}${
                    t.expiresAt ? ` · expires ${ago(t.expiresAt)}` : ""
                  }`}
            </span>{" "}
            {!t.revokedAt && (
              <button className="small danger" onClick={() => void revoke(t.id, t.name)}>
                Revoke<span className="sr-only"> {t.name}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
