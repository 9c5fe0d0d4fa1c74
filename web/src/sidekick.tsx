import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError, call, routes } from "./api";
import { Avatar, ErrorBox, Loading } from "./util";
import { useDialogFocus } from "./a11y";
import { AvailabilityBadge, Reasons } from "./pages/inbox";
import { VerificationBadge } from "./pages/verification";
import type { SidekickResult } from "./contracts";

type Knowledge = SidekickResult["knowledge"][number];

/**
 * The sidekick: describe a problem in plain words, get the knowledge that may answer it, the
 * people who know (available or not, and why them), and turn it into a routed question in one click.
 */
export function Sidekick({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate();
  const [text, setText] = useState("");
  const [result, setResult] = useState<SidekickResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [solved, setSolved] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const dialog = useRef<HTMLElement>(null);
  // Tab stays inside; Escape closes; focus goes back to what opened it (the top bar's button after Ctrl+K).
  useDialogFocus(dialog, onClose, () => document.querySelector<HTMLElement>(".sidekick-button"));
  useEffect(() => box.current?.focus(), []);
  const find = async (e?: FormEvent) => {
    e?.preventDefault();
    if (text.trim().length < 3) return;
    setBusy(true);
    setError(null);
    setSolved(null);
    try {
      setResult(await call(routes.sidekick.postSidekick, { body: { text } }));
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const ask = async () => {
    if (!result) return;
    try {
      const body = result.draft.body.length >= 1 ? result.draft.body : text;
      const title = result.draft.title.length >= 5 ? result.draft.title : `${text.trim().slice(0, 100)}`;
      const q = await call(routes.qa.postQuestions, { body: { title, body, tags: result.draft.tags } });
      onClose();
      navigate(`/questions/${q.id}`);
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const deflect = async (k: Knowledge) => {
    if (k.type !== "lesson")
      await call(routes.sidekick.postDeflections, {
        body: { query: text, targetType: k.type, targetId: k.id, source: "sidekick" },
      }).catch(() => undefined);
    setSolved(k.title);
  };
  return (
    <div className="drawer-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <aside
        className="drawer"
        role="dialog"
        aria-modal="true"
        aria-labelledby="sidekick-title"
        ref={dialog}
        tabIndex={-1}
      >
        <div className="page-head">
          <h2 id="sidekick-title">Sidekick</h2>
          <button className="small" onClick={onClose} aria-label="Close sidekick">
            ×
          </button>
        </div>
        <form onSubmit={find} className="form">
          <label className="field">
            <span>What are you stuck on? Describe it in your own words.</span>
            <textarea
              ref={box}
              rows={4}
              value={text}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void find();
              }}
              placeholder="e.g. The customs broker rejected our declaration for pallets to Norway — what form do they need?"
            />
          </label>
          <button className="primary" disabled={busy || text.trim().length < 3}>
            {busy ? "Looking…" : "Find help"}
          </button>
        </form>
        <ErrorBox error={error} />
        {busy && !result && <Loading label="Looking for knowledge and people…" />}
        {result && (
          <div className="sidekick-results">
            {solved && (
              <div className="notice" role="status">
                Glad “{solved}” helped — counted as a question that did not need asking.
              </div>
            )}
            <h3>Knowledge that may answer it</h3>
            {result.knowledge.length === 0 && <p className="muted">Nothing written down yet.</p>}
            <ul className="plain-list">
              {result.knowledge.map((k) => (
                <li key={`${k.type}:${k.id}`} className="sidekick-hit">
                  <Link to={k.url} onClick={onClose} dangerouslySetInnerHTML={{ __html: k.titleHtml }} />
                  <span className="muted small-text">
                    {" "}
                    {k.type === "question"
                      ? "answered question"
                      : k.type === "lesson"
                        ? "lesson learned"
                        : `article · ${k.spaceName}`}
                  </span>{" "}
                  {k.verification && <VerificationBadge v={k.verification} />}
                  <div className="s-snippet small-text" dangerouslySetInnerHTML={{ __html: k.snippet }} />
                  <button className="small" onClick={() => void deflect(k)}>
                    This solved it
                  </button>
                </li>
              ))}
            </ul>
            <h3>People who know</h3>
            {result.people.length === 0 && <p className="muted">Nobody has shown knowledge of this yet.</p>}
            <ul className="plain-list">
              {result.people.map((p) => (
                <li key={p.id} className="sidekick-person">
                  <Avatar name={p.name} size={28} />{" "}
                  <Link to={`/people/${p.id}`} onClick={onClose}>
                    {p.name}
                  </Link>{" "}
                  <span className="muted small-text">{p.department}</span> <AvailabilityBadge a={p.availability} />
                  <Reasons reasons={p.reasons.slice(0, 2)} />
                </li>
              ))}
            </ul>
            {result.communities.length > 0 && (
              <>
                <h3>Communities to ask</h3>
                <ul className="plain-list">
                  {result.communities.map((s) => (
                    <li key={s.community.id} className="sidekick-community">
                      <Link to={`/communities/${s.community.id}`} onClick={onClose}>
                        {s.community.name}
                      </Link>{" "}
                      <span className="muted small-text">{s.reasons.join(" · ")}</span>{" "}
                      {result.canAsk && s.community.can.ask && (
                        <Link
                          className="button small"
                          to={`/questions/ask?community=${s.community.id}`}
                          onClick={onClose}
                        >
                          Ask this community <span className="sr-only">{s.community.name}</span>
                        </Link>
                      )}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {result.canAsk && (
              <div className="card ask-card">
                <strong>Still stuck?</strong> Ask it as a question: Knowhow sends it to the best available colleagues at
                once.
                <div className="muted small-text">
                  Title: “{result.draft.title || text.slice(0, 100)}”{" "}
                  {result.draft.tags.length > 0 && `· tags ${result.draft.tags.map((t) => `#${t}`).join(" ")}`}
                </div>
                <button className="primary" onClick={() => void ask()}>
                  Ask the people who know
                </button>
              </div>
            )}
          </div>
        )}
      </aside>
    </div>
  );
}
