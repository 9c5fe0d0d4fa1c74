import { useState, type FormEvent } from "react";
import { ApiError, call, routes } from "../api";
import type { SsoProvider } from "../contracts";
import { Empty, ErrorBox, Loading, useLoad } from "../util";

type RoleRow = { group: string; role: "admin" | "member" | "guest" };
type SpaceRow = { group: string; spaceId: string; role: "viewer" | "editor" };
type Draft = {
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  nameClaim: string;
  departmentClaim: string;
  managerEmailClaim: string;
  groupsClaim: string;
  roleMappings: RoleRow[];
  spaceMappings: SpaceRow[];
  enabled: boolean;
};

type TextKey =
  | "name"
  | "issuer"
  | "clientId"
  | "clientSecret"
  | "scopes"
  | "nameClaim"
  | "departmentClaim"
  | "managerEmailClaim"
  | "groupsClaim";

const EMPTY: Draft = {
  name: "",
  issuer: "",
  clientId: "",
  clientSecret: "",
  scopes: "openid email profile",
  nameClaim: "name",
  departmentClaim: "",
  managerEmailClaim: "",
  groupsClaim: "groups",
  roleMappings: [],
  spaceMappings: [],
  enabled: true,
};

function draftOf(p: SsoProvider): Draft {
  return {
    name: p.name,
    issuer: p.issuer,
    clientId: p.clientId,
    clientSecret: "",
    scopes: p.scopes,
    nameClaim: p.nameClaim,
    departmentClaim: p.departmentClaim,
    managerEmailClaim: p.managerEmailClaim,
    groupsClaim: p.groupsClaim,
    roleMappings: p.roleMappings.map(({ group, role }) => ({ group, role })),
    spaceMappings: p.spaceMappings.map(({ group, spaceId, role }) => ({ group, spaceId, role })),
    enabled: p.enabled,
  };
}

function FieldError({ error, path }: { error: ApiError | null; path: string }) {
  const message = error?.field(path);
  return message ? <span className="field-error">{message}</span> : null;
}

/**
 * Admins: single sign-on with OpenID Connect providers (Entra ID, Okta, Keycloak…), and whether
 * people other than admins may still sign in with a password.
 */
export function SsoAdmin({ onChanged }: { onChanged: () => void }) {
  const providers = useLoad(() => call(routes.sso.getSsoProviders), []);
  const settings = useLoad(() => call(routes.sso.getSsoSettings), []);
  const [editing, setEditing] = useState<SsoProvider | "new" | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const changed = () => {
    providers.reload();
    onChanged();
  };
  const act = async (fn: () => Promise<unknown>) => {
    try {
      setError(null);
      await fn();
    } catch (err) {
      setError(err as ApiError);
    }
    changed();
  };
  const setPasswordSignIn = (on: boolean) =>
    act(async () => {
      if (!settings.data) return;
      await call(routes.sso.patchSsoSettings, { body: { version: settings.data.version, passwordSignIn: on } });
      settings.reload();
    });
  return (
    <section className="card" aria-labelledby="sso-title">
      <h2 id="sso-title">Single sign-on</h2>
      <p className="muted small-text">
        People sign in with their organisation&apos;s account (OpenID Connect: Microsoft Entra ID, Okta, Keycloak…).
        Accounts are created at the first sign-in; name, department, manager and groups come from the provider every
        time.
      </p>
      <ErrorBox error={error} />
      {settings.data && (
        <label className="radio sso-switch">
          <input
            type="checkbox"
            checked={settings.data.passwordSignIn}
            onChange={(e) => void setPasswordSignIn(e.target.checked)}
          />{" "}
          Everyone may also sign in with a password{" "}
          <span className="muted small-text">(admins always may, so nobody is locked out)</span>
        </label>
      )}
      {providers.loading && !providers.data && <Loading />}
      <ErrorBox error={providers.error} />
      {providers.data && providers.data.items.length === 0 && editing === null && <Empty>No providers yet.</Empty>}
      <ul className="plain-list sso-providers">
        {providers.data?.items.map((p) =>
          editing !== "new" && editing?.id === p.id ? (
            <li key={p.id}>
              <ProviderForm
                initial={p}
                onCancel={() => setEditing(null)}
                onSaved={() => {
                  setEditing(null);
                  changed();
                }}
              />
            </li>
          ) : (
            <li key={p.id} className="sso-provider">
              <div>
                <strong>{p.name}</strong> {!p.enabled && <span className="badge">Turned off</span>}
                <div className="muted small-text sso-detail">{p.issuer}</div>
                <div className="small-text sso-detail">
                  Redirect URI to register: <code>{p.redirectUri}</code>
                </div>
              </div>
              <div className="row wrap">
                <button className="small" onClick={() => setEditing(p)} aria-label={`Edit ${p.name}`}>
                  Edit
                </button>
                <button
                  className="small"
                  onClick={() =>
                    void act(() =>
                      call(routes.sso.patchSsoProvidersById, {
                        params: { id: p.id },
                        body: { version: p.version, enabled: !p.enabled },
                      }),
                    )
                  }
                >
                  {p.enabled ? `Turn off ${p.name}` : `Turn on ${p.name}`}
                </button>
                <button
                  className="small danger"
                  onClick={() => {
                    if (window.confirm(`Delete ${p.name}? People who signed in with it keep their accounts.`))
                      void act(() => call(routes.sso.deleteSsoProvidersById, { params: { id: p.id } }));
                  }}
                  aria-label={`Delete ${p.name}`}
                >
                  Delete
                </button>
              </div>
            </li>
          ),
        )}
      </ul>
      {editing === "new" ? (
        <ProviderForm
          initial={null}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            changed();
          }}
        />
      ) : (
        <button className="primary" onClick={() => setEditing("new")}>
          Add a provider
        </button>
      )}
    </section>
  );
}

/** Adds a provider (initial null) or edits one; the client secret is write-only. */
function ProviderForm({
  initial,
  onCancel,
  onSaved,
}: {
  initial: SsoProvider | null;
  onCancel: () => void;
  onSaved: () => void;
}) {
  const spaces = useLoad(() => call(routes.spaces.getSpaces), []);
  const [d, setD] = useState<Draft>(initial ? draftOf(initial) : EMPTY);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set =
    <K extends keyof Draft>(k: K) =>
    (value: Draft[K]) =>
      setD((prev) => ({ ...prev, [k]: value }));
  const text = (k: TextKey) => ({
    value: d[k],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setD((prev) => ({ ...prev, [k]: e.target.value })),
    "aria-invalid": error?.field(k) ? true : undefined,
  });
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { clientSecret, ...rest } = d;
      if (initial)
        await call(routes.sso.patchSsoProvidersById, {
          params: { id: initial.id },
          // The secret is sent only when typed: an empty box keeps the one kept.
          body: { version: initial.version, ...rest, ...(clientSecret ? { clientSecret } : {}) },
        });
      else await call(routes.sso.postSsoProviders, { body: d });
      onSaved();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const label = initial ? `Edit ${initial.name}` : "New sign-in provider";
  return (
    <form className="form sso-form" onSubmit={save} aria-label={label}>
      <h3>{label}</h3>
      {error && !error.fields.length && <ErrorBox error={error} />}
      <label className="field">
        <span>Name on the sign-in button</span>
        <input {...text("name")} required placeholder="Northwind staff account" />
        <FieldError error={error} path="name" />
      </label>
      <label className="field">
        <span>Issuer URL</span>
        <input {...text("issuer")} required inputMode="url" placeholder="https://login.example.com/realms/staff" />
        <FieldError error={error} path="issuer" />
      </label>
      <div className="sso-pair">
        <label className="field grow">
          <span>Client ID</span>
          <input {...text("clientId")} required autoComplete="off" />
          <FieldError error={error} path="clientId" />
        </label>
        <label className="field grow">
          <span>Client secret</span>
          <input
            {...text("clientSecret")}
            type="password"
            autoComplete="new-password"
            placeholder={initial?.hasSecret ? "Kept (type to replace)" : "None (public client)"}
          />
          <FieldError error={error} path="clientSecret" />
        </label>
      </div>
      <label className="field">
        <span>Scopes</span>
        <input {...text("scopes")} />
        <FieldError error={error} path="scopes" />
      </label>
      <fieldset className="field sso-claims">
        <legend>Claims (empty: not taken from the provider)</legend>
        <div className="sso-pair">
          <label className="field grow">
            <span>Name</span>
            <input {...text("nameClaim")} />
            <FieldError error={error} path="nameClaim" />
          </label>
          <label className="field grow">
            <span>Department</span>
            <input {...text("departmentClaim")} placeholder="department" />
            <FieldError error={error} path="departmentClaim" />
          </label>
        </div>
        <div className="sso-pair">
          <label className="field grow">
            <span>Manager&apos;s email</span>
            <input {...text("managerEmailClaim")} placeholder="manager_email" />
            <FieldError error={error} path="managerEmailClaim" />
          </label>
          <label className="field grow">
            <span>Groups</span>
            <input {...text("groupsClaim")} />
            <FieldError error={error} path="groupsClaim" />
          </label>
        </div>
      </fieldset>
      <fieldset className="field">
        <legend>Roles from groups</legend>
        <p className="muted small-text">
          With rows here, the groups decide the role at every sign-in (no matching group: member).
        </p>
        {d.roleMappings.map((m, i) => (
          <div className="sso-row" key={i}>
            <label className="field grow">
              <span>Group</span>
              <input
                value={m.group}
                onChange={(e) =>
                  set("roleMappings")(d.roleMappings.map((r, j) => (j === i ? { ...r, group: e.target.value } : r)))
                }
              />
              <FieldError error={error} path={`roleMappings.${i}.group`} />
            </label>
            <label className="field">
              <span>Role</span>
              <select
                value={m.role}
                onChange={(e) =>
                  set("roleMappings")(
                    d.roleMappings.map((r, j) => (j === i ? { ...r, role: e.target.value as RoleRow["role"] } : r)),
                  )
                }
              >
                <option value="admin">Admin</option>
                <option value="member">Member</option>
                <option value="guest">Guest (read-only)</option>
              </select>
            </label>
            <button
              type="button"
              className="small"
              aria-label={`Remove role row ${i + 1}`}
              onClick={() => set("roleMappings")(d.roleMappings.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          className="small"
          onClick={() => set("roleMappings")([...d.roleMappings, { group: "", role: "admin" }])}
        >
          Add a role row
        </button>
      </fieldset>
      <fieldset className="field">
        <legend>Spaces from groups</legend>
        <p className="muted small-text">Members of the group join the space at sign-in (a role is never lowered).</p>
        {d.spaceMappings.map((m, i) => (
          <div className="sso-row" key={i}>
            <label className="field grow">
              <span>Group</span>
              <input
                value={m.group}
                onChange={(e) =>
                  set("spaceMappings")(d.spaceMappings.map((r, j) => (j === i ? { ...r, group: e.target.value } : r)))
                }
              />
              <FieldError error={error} path={`spaceMappings.${i}.group`} />
            </label>
            <label className="field grow">
              <span>Space</span>
              <select
                value={m.spaceId}
                onChange={(e) =>
                  set("spaceMappings")(d.spaceMappings.map((r, j) => (j === i ? { ...r, spaceId: e.target.value } : r)))
                }
              >
                <option value="">Choose a space</option>
                {spaces.data?.items.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
              <FieldError error={error} path={`spaceMappings.${i}.spaceId`} />
            </label>
            <label className="field">
              <span>As</span>
              <select
                value={m.role}
                onChange={(e) =>
                  set("spaceMappings")(
                    d.spaceMappings.map((r, j) => (j === i ? { ...r, role: e.target.value as SpaceRow["role"] } : r)),
                  )
                }
              >
                <option value="viewer">Viewer</option>
                <option value="editor">Editor</option>
              </select>
            </label>
            <button
              type="button"
              className="small"
              aria-label={`Remove space row ${i + 1}`}
              onClick={() => set("spaceMappings")(d.spaceMappings.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          className="small"
          onClick={() => set("spaceMappings")([...d.spaceMappings, { group: "", spaceId: "", role: "viewer" }])}
        >
          Add a space row
        </button>
      </fieldset>
      <label className="radio">
        <input type="checkbox" checked={d.enabled} onChange={(e) => set("enabled")(e.target.checked)} /> Offered on the
        sign-in page
      </label>
      <div className="row wrap">
        <button className="primary" disabled={busy}>
          {initial ? "Save provider" : "Add provider"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
