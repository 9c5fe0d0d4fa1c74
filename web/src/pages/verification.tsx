import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { ApiError, call, routes, type SearchResult, type BodyFor } from "../api";
import { Empty, ErrorBox, LinkedTitle, Loading, ago, fullDate, useLoad } from "../util";
import type { Challenge, Notice, Verification, VerificationState } from "../contracts";
export type { Notice, Verification, VerificationState };

/** "Verified by Ana 12 days ago", "Due for review", "Expired", "Superseded". */
export function VerificationBadge({
  v,
}: {
  v: {
    state: VerificationState;
    verifiedAt: string | null;
    verifiedBy: { name: string } | string | null;
    superseded?: boolean;
  };
}) {
  const by = typeof v.verifiedBy === "string" ? v.verifiedBy : v.verifiedBy?.name;
  const label = v.superseded
    ? "Superseded"
    : v.state === "verified"
      ? by && v.verifiedAt
        ? `Verified by ${by} ${ago(v.verifiedAt)}`
        : "Verified"
      : v.state === "due"
        ? "Due for review"
        : "Expired — needs review";
  return (
    <span className={`verification ${v.superseded ? "expired" : v.state}`} data-testid="verification-badge">
      {v.state === "verified" && !v.superseded ? "✓ " : "⚠ "}
      {label}
    </span>
  );
}

function ownerLabel(v: Verification): string {
  return v.owner.type === "person" ? v.owner.name : `${v.owner.department} (department)`;
}

/**
 * The verification strip of a piece of knowledge: state, owner, until when; verify in one click; owner and interval.
 */
export function VerificationPanel({ v, onChange }: { v: Verification; onChange: () => void }) {
  const [note, setNote] = useState("");
  const [managing, setManaging] = useState(false);
  const [department, setDepartment] = useState(v.owner.type === "group" ? v.owner.department : "");
  const [interval, setInterval] = useState(String(v.intervalDays));
  const [error, setError] = useState<ApiError | null>(null);
  const subject = { type: v.subjectType, id: v.subjectId };
  const verify = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await call(routes.verification.postVerificationVerify, { params: subject, body: { note } });
      setNote("");
      onChange();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const manage = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await call(routes.verification.putVerificationById, {
        params: subject,
        body: {
          ownerDepartment: department.trim() || null,
          ...(department.trim() ? {} : { ownerId: null }),
          intervalDays: Number(interval),
        },
      });
      setManaging(false);
      onChange();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <section className={`card verification-panel ${v.superseded ? "expired" : v.state}`} aria-label="Verification">
      <div className="verification-row">
        <VerificationBadge v={v} />
        <span className="muted small-text">
          Owner {ownerLabel(v)} · {v.state === "expired" ? "expired" : "valid until"}{" "}
          <time title={fullDate(v.verifiedUntil)}>
            {new Date(v.verifiedUntil).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" })}
          </time>{" "}
          · reviewed every {v.intervalDays} days
          {v.note && ` · “${v.note}”`}
        </span>
      </div>
      {v.supersededBy && (
        <div className="notice">
          This is superseded by <LinkedTitle item={v.supersededBy} to={(id) => `/articles/${id}`} />.
        </div>
      )}
      <ErrorBox error={error && !error.fields.length ? error : null} />
      {v.canVerify && !v.superseded && (
        <form className="inline-form" onSubmit={verify} aria-label="Verify">
          <label className="field grow">
            <span>Note (optional)</span>
            <input
              value={note}
              onChange={(e) => setNote(e.target.value)}
              maxLength={500}
              placeholder="What you checked"
            />
          </label>
          <button className="primary small">Still true — verify</button>
          {v.canManage && (
            <button type="button" className="small" aria-expanded={managing} onClick={() => setManaging(!managing)}>
              Owner and interval…
            </button>
          )}
        </form>
      )}
      {managing && (
        <form className="inline-form" onSubmit={manage} aria-label="Owner and interval">
          <label className="field">
            <span>Owned by department (empty: a person)</span>
            <input
              value={department}
              onChange={(e) => setDepartment(e.target.value)}
              placeholder="e.g. Warehouse Operations"
            />
          </label>
          <label className="field">
            <span>Review every (days)</span>
            <input type="number" min={7} max={1095} value={interval} onChange={(e) => setInterval(e.target.value)} />
            {error?.field("intervalDays") && <span className="field-error">{error.field("intervalDays")}</span>}
          </label>
          <button className="small">Save</button>
        </form>
      )}
    </section>
  );
}

/** "What changed since you read it" — after a challenge revised or superseded knowledge you read. */
export function NoticeBanner({ notices, onCleared }: { notices: Notice[]; onCleared: () => void }) {
  return (
    <div className="what-changed" role="status" data-testid="what-changed">
      {notices.map((n) => (
        <div key={n.id} className="notice">
          <strong>What changed since you read it:</strong>{" "}
          {n.kind === "superseded" && n.supersededBy ? (
            <>
              this is superseded by <LinkedTitle item={n.supersededBy} to={(id) => `/articles/${id}`} />.
            </>
          ) : (
            <>
              revised from version {n.fromVersion} to {n.toVersion} —{" "}
              <Link to={`/articles/${n.articleId}/history?from=${n.fromVersion}&to=${n.toVersion}`}>
                see the changes
              </Link>
              .
            </>
          )}{" "}
          {n.claim && <span className="muted">Challenge: “{n.claim}”.</span>}{" "}
          {n.summary && n.summary !== n.claim && <span>Owner: “{n.summary}”.</span>}{" "}
          <button
            className="small"
            onClick={async () => {
              await call(routes.verification.postMeNoticesClear, { params: { id: n.id } });
              onCleared();
            }}
          >
            Got it
          </button>
        </div>
      ))}
    </div>
  );
}

function ArticlePicker({ onPick }: { onPick: (a: { id: string; title: string }) => void }) {
  const [q, setQ] = useState("");
  const [hits, setHits] = useState<SearchResult["items"]>([]);
  return (
    <div className="field grow">
      <span className="label">Replaced by (article)</span>
      <input
        value={q}
        onChange={async (e) => {
          setQ(e.target.value);
          if (e.target.value.trim().length < 2) return setHits([]);
          const r = await call(routes.search.getSearch, {
            query: { q: e.target.value, prefix: "1", limit: "6" },
          }).catch(() => null);
          setHits((r?.items ?? []).filter((i) => i.type === "article"));
        }}
        placeholder="Title of the article that replaces it"
        aria-label="Replaced by (article)"
      />
      {hits.length > 0 && (
        <ul className="pick-list" role="listbox">
          {hits.map((h) => (
            <li
              key={h.id}
              role="option"
              aria-selected={false}
              onClick={() => {
                onPick({ id: h.id, title: h.title });
                setQ(h.title);
                setHits([]);
              }}
            >
              {h.title} <span className="muted">{h.spaceName}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ResolveForm({ c, canEdit, onDone }: { c: Challenge; canEdit: boolean; onDone: () => void }) {
  const [outcome, setOutcome] = useState<"revised" | "superseded" | "dismissed">("revised");
  const [response, setResponse] = useState("");
  const [replacement, setReplacement] = useState<{ id: string; title: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await call(routes.verification.postChallengesResolve, {
        params: { id: c.id },
        body: {
          outcome,
          response,
          ...(replacement ? { supersededById: replacement.id } : {}),
        },
      });
      onDone();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <form className="form resolve-form" onSubmit={submit} aria-label="Answer the challenge">
      <fieldset className="field">
        <legend>Your answer</legend>
        <label className="radio">
          <input
            type="radio"
            name={`o-${c.id}`}
            checked={outcome === "revised"}
            onChange={() => setOutcome("revised")}
          />{" "}
          Upheld — I revised the article{canEdit ? "" : " (edit it first)"}
        </label>
        <label className="radio">
          <input
            type="radio"
            name={`o-${c.id}`}
            checked={outcome === "superseded"}
            onChange={() => setOutcome("superseded")}
          />{" "}
          Upheld — it is superseded by another article
        </label>
        <label className="radio">
          <input
            type="radio"
            name={`o-${c.id}`}
            checked={outcome === "dismissed"}
            onChange={() => setOutcome("dismissed")}
          />{" "}
          Dismissed — it is still right
        </label>
        {error?.field("outcome") && <span className="field-error">{error.field("outcome")}</span>}
      </fieldset>
      {outcome === "superseded" && <ArticlePicker onPick={setReplacement} />}
      {error?.field("supersededById") && <span className="field-error">{error.field("supersededById")}</span>}
      <label className="field">
        <span>
          {outcome === "dismissed" ? "Why it stands (required)" : "What changed (shown to everyone who read it)"}
        </span>
        <textarea rows={2} value={response} onChange={(e) => setResponse(e.target.value)} />
        {error?.field("response") && <span className="field-error">{error.field("response")}</span>}
      </label>
      {error && !error.fields.length && <ErrorBox error={error} />}
      <button className="small primary">Send answer</button>
    </form>
  );
}

const CHALLENGE_STATE: Record<Challenge["state"], string> = {
  open: "Open",
  overdue: "Overdue — escalated to the space owners",
  upheld: "Upheld",
  dismissed: "Dismissed",
};

/** Challenges of a piece of knowledge: visible to every reader while open; anyone who reads it may challenge it. */
export function ChallengesPanel({
  subjectType,
  subjectId,
  canResolve,
  canChallenge,
  canEdit,
  onChange,
}: {
  subjectType: "article" | "answer";
  subjectId: string;
  canResolve: boolean;
  canChallenge: boolean;
  canEdit: boolean;
  onChange: () => void;
}) {
  const list = useLoad(
    () => call(routes.verification.getChallenges, { query: { subjectType, subjectId } }),
    [subjectType, subjectId],
  );
  const [open, setOpen] = useState(false);
  const [claim, setClaim] = useState("");
  const [evidence, setEvidence] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [resolving, setResolving] = useState<string | null>(null);
  const reload = () => {
    list.reload();
    onChange();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setError(null);
      await call(routes.verification.postChallenges, { body: { subjectType, subjectId, claim, evidence } });
      setClaim("");
      setEvidence("");
      setOpen(false);
      reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <section className="card challenges" aria-label="Challenges">
      <div className="page-head">
        <h2>Is this still right?</h2>
        {canChallenge && !open && (
          <button className="small" onClick={() => setOpen(true)}>
            Challenge this
          </button>
        )}
      </div>
      {open && (
        <form className="form" onSubmit={submit} aria-label="Challenge">
          <label className="field">
            <span>What is wrong or outdated?</span>
            <textarea
              rows={2}
              value={claim}
              onChange={(e) => setClaim(e.target.value)}
              aria-invalid={!!error?.field("claim") || undefined}
            />
            {error?.field("claim") && <span className="field-error">{error.field("claim")}</span>}
          </label>
          <label className="field">
            <span>Your evidence (a link, a ticket, what you saw)</span>
            <textarea rows={2} value={evidence} onChange={(e) => setEvidence(e.target.value)} />
          </label>
          {error && !error.fields.length && <ErrorBox error={error} />}
          <div className="actions">
            <button className="primary small">Send challenge</button>
            <button type="button" className="small" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <ErrorBox error={list.error} />
      {list.data?.items.length === 0 && !open && (
        <p className="muted small-text">
          Nobody has challenged this. If something here is wrong or outdated, say so — the owner must respond within a
          week.
        </p>
      )}
      <ul className="challenge-list">
        {list.data?.items.map((c) => (
          <li key={c.id} className={`challenge ${c.state}`} data-testid="challenge">
            <div>
              <span className={`badge challenge-${c.state}`}>{CHALLENGE_STATE[c.state]}</span>{" "}
              <strong>{c.claim}</strong>
            </div>
            {c.evidence && <div className="small-text">Evidence: {c.evidence}</div>}
            <div className="muted small-text">
              {c.author.name} · {ago(c.createdAt)}
              {(c.state === "open" || c.state === "overdue") && ` · answer due ${ago(c.deadline)}`}
            </div>
            {c.resolvedBy && (
              <div className="small-text">
                {c.resolvedBy.name}:{" "}
                {c.outcome === "revised"
                  ? "revised the article. "
                  : c.outcome === "superseded"
                    ? "marked it superseded. "
                    : "dismissed it. "}
                {c.supersededBy && (
                  <>
                    Replaced by <LinkedTitle item={c.supersededBy} to={(id) => `/articles/${id}`} />.{" "}
                  </>
                )}
                {c.response && `“${c.response}”`}
              </div>
            )}
            {canResolve && (c.state === "open" || c.state === "overdue") && (
              <>
                {resolving === c.id ? (
                  <ResolveForm
                    c={c}
                    canEdit={canEdit}
                    onDone={() => {
                      setResolving(null);
                      reload();
                    }}
                  />
                ) : (
                  <button className="small" onClick={() => setResolving(c.id)}>
                    Answer this challenge
                  </button>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Verified / due / expired as one stacked bar. */
function StateBar({ g }: { g: { verified: number; due: number; expired: number; total: number } }) {
  const pct = (n: number) => (g.total ? (n / g.total) * 100 : 0);
  return (
    <span className="state-bar" role="img" aria-label={`${g.verified} verified, ${g.due} due, ${g.expired} expired`}>
      <span className="verified" style={{ width: `${pct(g.verified)}%` }} />
      <span className="due" style={{ width: `${pct(g.due)}%` }} />
      <span className="expired" style={{ width: `${pct(g.expired)}%` }} />
    </span>
  );
}

/** The verified / due / expired shares as a ring, with the verified share in the middle. */
function StateRing({ g }: { g: { verified: number; due: number; expired: number; total: number } }) {
  const r = 42;
  const c = 2 * Math.PI * r;
  const parts = [
    { key: "verified", n: g.verified, color: "#12b76a" },
    { key: "due", n: g.due, color: "#f79009" },
    { key: "expired", n: g.expired, color: "#f04438" },
  ];
  let offset = 0;
  const share = g.total ? Math.round((g.verified / g.total) * 100) : 100;
  return (
    <svg
      className="state-ring"
      viewBox="0 0 120 120"
      width="120"
      height="120"
      role="img"
      aria-label={`${share} % verified: ${g.verified} verified, ${g.due} due, ${g.expired} expired`}
    >
      <circle cx="60" cy="60" r={r} fill="none" stroke="#e5e7eb" strokeWidth="14" />
      {g.total > 0 &&
        parts.map((p) => {
          const len = (p.n / g.total) * c;
          const el = (
            <circle
              key={p.key}
              cx="60"
              cy="60"
              r={r}
              fill="none"
              stroke={p.color}
              strokeWidth="14"
              strokeDasharray={`${len} ${c - len}`}
              strokeDashoffset={-offset}
              transform="rotate(-90 60 60)"
            />
          );
          offset += len;
          return el;
        })}
      <text x="60" y="58" textAnchor="middle" fontSize="22" fontWeight="700" fill="currentColor">
        {share}%
      </text>
      <text x="60" y="76" textAnchor="middle" fontSize="11" fill="#6b7280">
        verified
      </text>
    </svg>
  );
}

/** Share of verified knowledge of a space, as a bar with the figure. */
export function SpaceVerification({ spaceId }: { spaceId: string }) {
  const share = useLoad(() => call(routes.verification.getSpacesVerification, { params: { id: spaceId } }), [spaceId]);
  if (!share.data || share.data.total === 0) return null;
  return (
    <div className="space-verification" data-testid="space-verification">
      <StateBar g={share.data} /> <span className="small-text">{Math.round(share.data.share * 100)} % verified</span>
      <span className="muted small-text">
        {" "}
        · {share.data.due} due · {share.data.expired} expired ·{" "}
        <Link to={`/verification?spaceId=${spaceId}`}>review</Link>
      </span>
    </div>
  );
}

/** What is due or expired, by owner and by space, with bulk actions. */
export function VerificationReportPage() {
  const params = new URLSearchParams(window.location.search);
  const [state, setState] = useState<"attention" | "due" | "expired" | "all">("attention");
  const spaceId = params.get("spaceId") ?? "";
  const report = useLoad(
    () => call(routes.verification.getVerificationReport, { query: { state, ...(spaceId ? { spaceId } : {}) } }),
    [state, spaceId],
  );
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [department, setDepartment] = useState("");
  const [interval, setInterval] = useState("180");
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const items = report.data?.items ?? [];
  const chosen = items.filter((i) => selected.has(i.id)).map((i) => ({ type: i.type, id: i.id }));
  const run = async (body: Record<string, unknown>) => {
    try {
      setError(null);
      const r = await call(routes.verification.postVerificationBulk, {
        body: { items: chosen, ...body } as BodyFor<typeof routes.verification.postVerificationBulk>,
      });
      setResult(
        `${r.done} updated${r.skipped.length ? `, ${r.skipped.length} skipped (${r.skipped[0].reason})` : ""}.`,
      );
      setSelected(new Set());
      report.reload();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <div className="page">
      <h1>Knowledge review</h1>
      <p className="muted">
        Every article and accepted answer has an owner and a review interval. Here is what needs a look
        {spaceId ? " in this space" : ""}.
      </p>
      {report.loading && !report.data && <Loading />}
      <ErrorBox error={report.error ?? error} />
      {report.data && (
        <>
          <div className="grid-3">
            <section className="card">
              <h2>Overall</h2>
              <StateRing g={report.data.totals} />
              <p className="small-text">
                {report.data.totals.verified} verified · {report.data.totals.due} due · {report.data.totals.expired}{" "}
                expired of {report.data.totals.total}
              </p>
            </section>
            <section className="card">
              <h2>By owner</h2>
              <table className="mini-table">
                <tbody>
                  {report.data.byOwner.slice(0, 8).map((g) => (
                    <tr key={g.key}>
                      <td>{g.label}</td>
                      <td>
                        <StateBar g={g} />
                      </td>
                      <td className="muted small-text">{g.due + g.expired} to review</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section className="card">
              <h2>By space</h2>
              <table className="mini-table">
                <tbody>
                  {report.data.bySpace.slice(0, 8).map((g) => (
                    <tr key={g.key}>
                      <td>{g.label}</td>
                      <td>
                        <StateBar g={g} />
                      </td>
                      <td className="muted small-text">
                        {g.total ? Math.round((g.verified / g.total) * 100) : 100}&nbsp;%
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
          <div className="list-tools" role="tablist" aria-label="Show">
            {(["attention", "due", "expired", "all"] as const).map((s) => (
              <button
                key={s}
                role="tab"
                aria-selected={s === state}
                className={`chip${s === state ? " on" : ""}`}
                onClick={() => setState(s)}
              >
                {s === "attention" ? "Due or expired" : s[0].toUpperCase() + s.slice(1)}
              </button>
            ))}
          </div>
          <div className="card bulk-bar" aria-label="Bulk actions">
            <span>{selected.size} selected</span>
            <button
              className="small primary"
              disabled={!chosen.length}
              onClick={() => void run({ action: "verify", note: "Bulk review" })}
            >
              Verify selected
            </button>
            <label className="field">
              <span>Assign to department</span>
              <input value={department} onChange={(e) => setDepartment(e.target.value)} />
            </label>
            <button
              className="small"
              disabled={!chosen.length || !department.trim()}
              onClick={() => void run({ action: "assign", ownerDepartment: department.trim() })}
            >
              Assign
            </button>
            <label className="field">
              <span>Interval (days)</span>
              <input type="number" min={7} max={1095} value={interval} onChange={(e) => setInterval(e.target.value)} />
            </label>
            <button
              className="small"
              disabled={!chosen.length}
              onClick={() => void run({ action: "interval", intervalDays: Number(interval) })}
            >
              Set interval
            </button>
            {result && (
              <span className="muted" role="status">
                {result}
              </span>
            )}
          </div>
          {items.length === 0 && <Empty>Nothing here — all knowledge in view is verified.</Empty>}
          <table className="report-table">
            <thead>
              <tr>
                <th>
                  <input
                    type="checkbox"
                    aria-label="Select all"
                    checked={items.length > 0 && selected.size === items.length}
                    onChange={(e) => setSelected(e.target.checked ? new Set(items.map((i) => i.id)) : new Set())}
                  />
                </th>
                <th>Knowledge</th>
                <th>State</th>
                <th>Owner</th>
                <th>Space</th>
                <th>Until</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id} data-testid="report-row">
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${i.title}`}
                      checked={selected.has(i.id)}
                      onChange={(e) =>
                        setSelected((s) => {
                          const n = new Set(s);
                          if (e.target.checked) n.add(i.id);
                          else n.delete(i.id);
                          return n;
                        })
                      }
                    />
                  </td>
                  <td>
                    <Link to={i.url}>{i.title}</Link>{" "}
                    <span className="muted small-text">{i.type === "answer" ? "accepted answer" : "article"}</span>
                  </td>
                  <td>
                    <VerificationBadge
                      v={{ state: i.state, verifiedAt: i.verifiedAt, verifiedBy: null, superseded: i.superseded }}
                    />
                  </td>
                  <td>{i.owner.type === "person" ? i.owner.name : `${i.owner.department} (dept.)`}</td>
                  <td>{i.space?.name ?? "Everyone"}</td>
                  <td className="small-text">
                    {new Date(i.verifiedUntil).toLocaleDateString("en-GB", {
                      day: "numeric",
                      month: "short",
                      year: "numeric",
                    })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

/** The reading record: what Knowhow remembers you read, only to tell you when it changes; clear it any time. */
export function ReadingRecord() {
  const list = useLoad(() => call(routes.verification.getMeReads), []);
  const clear = async () => {
    await call(routes.verification.deleteMeReads);
    list.reload();
  };
  return (
    <section className="card" aria-label="Reading record">
      <h2>My reading record</h2>
      <p className="muted small-text">Kept only to tell you when something you read is corrected or replaced.</p>
      {list.data?.items.length === 0 && <Empty>Empty.</Empty>}
      <ul className="plain-list">
        {list.data?.items.slice(0, 10).map((r) => (
          <li key={r.articleId}>
            <Link to={`/articles/${r.articleId}`}>{r.title}</Link>{" "}
            <span className="muted small-text">
              v{r.version} · {ago(r.readAt)}
            </span>
          </li>
        ))}
      </ul>
      {(list.data?.items.length ?? 0) > 0 && (
        <button className="small" onClick={() => void clear()}>
          Clear my reading record ({list.data!.items.length})
        </button>
      )}
    </section>
  );
}
