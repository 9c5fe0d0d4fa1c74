import { useEffect, useState, type FormEvent } from "react";
import { Navigate, useNavigate, useParams, useSearchParams } from "react-router";
import { ApiError, call, routes, ssoStartUrl } from "../api";
import { useAuth, type Session } from "../auth";
import { Loading } from "../util";
import type { InvitationInfo, SignInOptions } from "../contracts";

function Field({
  label,
  error,
  ...input
}: { label: string; error?: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className="field">
      <span>{label}</span>
      <input {...input} aria-invalid={error ? true : undefined} />
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}

export function LoginPage() {
  const { user, signIn } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [options, setOptions] = useState<SignInOptions | null>(null);
  const [adminSignIn, setAdminSignIn] = useState(false);
  useEffect(() => {
    call(routes.accounts.getSetup)
      .then((s) => s.needsSetup && navigate("/setup", { replace: true }))
      .catch(() => undefined);
    call(routes.sso.getAuthSso).then(setOptions, () =>
      // Without the options, the password form is still there.
      setOptions({ providers: [], passwordSignIn: true }),
    );
  }, [navigate]);
  if (user) return <Navigate to={params.get("next") ?? "/"} replace />;
  const ssoError = params.get("sso_error");
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await call(routes.accounts.postAuthLogin, { body: { email, password } });
      signIn(s as Session);
      navigate(params.get("next") ?? "/", { replace: true });
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const providers = options?.providers ?? [];
  // With password sign-in off, admins still have it (so a broken provider locks nobody out), one click away.
  const showPassword = options !== null && (options.passwordSignIn || adminSignIn || providers.length === 0);
  return (
    <div className="auth-page">
      <div className="card auth-card">
        <h1>
          <span className="logo" aria-hidden="true">
            K
          </span>{" "}
          Sign in to Knowhow
        </h1>
        {ssoError && (
          <div className="error-box" role="alert">
            Single sign-on did not work: {ssoError}
          </div>
        )}
        {options === null && <Loading />}
        {providers.length > 0 && (
          <div className="sso-buttons">
            {providers.map((p) => (
              <a key={p.id} className="button primary sso-button" href={ssoStartUrl(p.id)}>
                Sign in with {p.name}
              </a>
            ))}
          </div>
        )}
        {providers.length > 0 && showPassword && <p className="auth-divider muted">or with your password</p>}
        {showPassword ? (
          <form className="auth-form" onSubmit={submit}>
            {error && (
              <div className="error-box" role="alert">
                {error.status === 401 ? "That email and password do not match." : error.message}
              </div>
            )}
            <Field
              label="Email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <Field
              label="Password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <button className={providers.length > 0 ? "" : "primary"} disabled={busy}>
              {busy ? "Signing in…" : "Sign in"}
            </button>
          </form>
        ) : (
          options !== null && (
            <button type="button" className="link-button admin-sign-in" onClick={() => setAdminSignIn(true)}>
              Administrator sign-in
            </button>
          )
        )}
      </div>
    </div>
  );
}

export function SetupPage() {
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: "", email: "", password: "", organisation: "" });
  const [error, setError] = useState<ApiError | null>(null);
  const [needs, setNeeds] = useState<boolean | null>(null);
  useEffect(() => {
    call(routes.accounts.getSetup).then(
      (s) => setNeeds(s.needsSetup),
      () => setNeeds(false),
    );
  }, []);
  if (needs === null) return <Loading />;
  if (!needs) return <Navigate to="/login" replace />;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const s = await call(routes.accounts.postSetup, {
        body: { ...form, organisation: form.organisation || undefined },
      });
      signIn(s as Session);
      navigate("/", { replace: true });
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm({ ...form, [k]: e.target.value });
  return (
    <div className="auth-page">
      <form className="card auth-card" onSubmit={submit}>
        <h1>Welcome to Knowhow</h1>
        <p className="muted">Create the first administrator account for your organisation.</p>
        {error && !error.fields.length && <div className="error-box">{error.message}</div>}
        <Field label="Organisation" value={form.organisation} onChange={set("organisation")} />
        <Field label="Your name" required value={form.name} onChange={set("name")} error={error?.field("name")} />
        <Field
          label="Email"
          type="email"
          required
          value={form.email}
          onChange={set("email")}
          error={error?.field("email")}
        />
        <Field
          label="Password (at least 10 characters)"
          type="password"
          autoComplete="new-password"
          required
          value={form.password}
          onChange={set("password")}
          error={error?.field("password")}
        />
        <button className="primary">Create admin account</button>
      </form>
    </div>
  );
}

export function InvitePage() {
  const { token = "" } = useParams();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [info, setInfo] = useState<InvitationInfo | null>(null);
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    call(routes.accounts.getInvitationsTokenByToken, { params: { token } }).then(setInfo, (e: ApiError) => setError(e));
  }, [token]);
  if (!info && !error) return <Loading />;
  if (!info || !info.valid)
    return (
      <div className="auth-page">
        <div className="card auth-card">
          <h1>Invitation not valid</h1>
          <p>
            This invitation link has expired, was revoked or has already been used. Ask an administrator for a new one.
          </p>
        </div>
      </div>
    );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const s = await call(routes.accounts.postInvitationsTokenAccept, { params: { token }, body: { name, password } });
      signIn(s as Session);
      navigate("/", { replace: true });
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <div className="auth-page">
      <form className="card auth-card" onSubmit={submit}>
        <h1>Join Knowhow</h1>
        <p className="muted">
          You were invited as <strong>{info.email}</strong> ({info.role}).
        </p>
        {error && !error.fields.length && <div className="error-box">{error.message}</div>}
        <Field
          label="Your name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={error?.field("name")}
        />
        <Field
          label="Choose a password (at least 10 characters)"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={error?.field("password")}
        />
        <button className="primary">Create my account</button>
      </form>
    </div>
  );
}
