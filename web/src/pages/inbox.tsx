import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { ApiError, call, routes, type User } from "../api";
import { useLive, useLiveEvents } from "../live";
import { Empty, ErrorBox, Loading, Tags, ago, fullDate, plural, useLoad } from "../util";
import type { Availability, InboxItem, Mention, Reason } from "../contracts";
import { Invitations } from "./community-parts";
export type { Availability, Reason };

const STATUS_LABEL: Record<InboxItem["status"], string> = {
  pending: "Waiting for you",
  answered: "You answered",
  declined: "Declined",
  forwarded: "Forwarded",
  expired: "Passed on to others",
  closed: "Resolved",
};

function reasonLabel(r: Reason): string {
  switch (r.kind) {
    case "accepted_answer":
      return "Accepted answer";
    case "answer":
      return "Answered";
    case "article":
      return "Wrote";
    case "article_update":
      return "Kept up to date";
    case "endorsement":
      return "Endorsed";
    case "forwarded":
      return "";
    default:
      return r.kind;
  }
}

/** Why this person: the evidence the router used, each linked. */
export function Reasons({ reasons }: { reasons: Reason[] }) {
  if (reasons.length === 0) return null;
  return (
    <ul className="reasons" aria-label="Why this person">
      {reasons.map((r, i) => (
        <li key={i}>
          {reasonLabel(r) && <span className="muted">{reasonLabel(r)}: </span>}
          {r.url ? <Link to={r.url}>{r.title}</Link> : r.title}
          {r.kind !== "forwarded" && <span className="muted"> · {ago(r.at)}</span>}
        </li>
      ))}
    </ul>
  );
}

function ForwardForm({ item, onDone }: { item: InboxItem; onDone: () => void }) {
  const [q, setQ] = useState("");
  const [hits, setHits] = useState<User[]>([]);
  const [to, setTo] = useState<User | null>(null);
  const [note, setNote] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const search = async (text: string) => {
    setQ(text);
    setTo(null);
    if (text.trim().length < 2) return setHits([]);
    const r = await call(routes.people.getPeople, { query: { q: text, limit: "6" } }).catch(() => ({
      items: [],
    }));
    setHits(r.items);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!to) return;
    try {
      await call(routes.routing.postRoutingRequestsForward, {
        params: { id: item.id },
        body: { toUserId: to.id, note },
      });
      onDone();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <form className="inline-form forward-form" onSubmit={submit} aria-label="Forward to a colleague">
      <label className="field grow">
        <span>Forward to</span>
        <input
          value={to ? to.name : q}
          onChange={(e) => void search(e.target.value)}
          placeholder="Name of a colleague"
        />
        {!to && hits.length > 0 && (
          <ul className="pick-list" role="listbox">
            {hits.map((h) => (
              <li key={h.id} role="option" aria-selected={false} onClick={() => setTo(h)}>
                {h.name} <span className="muted">{[h.title, h.department].filter(Boolean).join(", ")}</span>
              </li>
            ))}
          </ul>
        )}
        {error?.field("toUserId") && <span className="field-error">{error.field("toUserId")}</span>}
      </label>
      <label className="field grow">
        <span>Note (optional)</span>
        <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
      </label>
      <button className="small primary" disabled={!to}>
        Forward
      </button>
      {error && !error.fields.length && <ErrorBox error={error} />}
    </form>
  );
}

function RequestCard({ item, onChange }: { item: InboxItem; onChange: () => void }) {
  const [mode, setMode] = useState<"" | "forward">("");
  const [error, setError] = useState<ApiError | null>(null);
  const decline = async (reason: "not_my_area" | "no_time") => {
    try {
      await call(routes.routing.postRoutingRequestsDecline, { params: { id: item.id }, body: { reason } });
      onChange();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <li className={`card request ${item.status}`} data-testid="request">
      <div className="request-head">
        <Link to={`/questions/${item.question.id}`} className="a-title">
          {item.question.title}
        </Link>
        <span className={`badge status-${item.status}`}>{STATUS_LABEL[item.status]}</span>
      </div>
      <div className="a-meta">
        {item.question.asker.name} asked · you were asked{" "}
        <time title={fullDate(item.createdAt)}>{ago(item.createdAt)}</time>
        {item.round > 1 && ` · round ${item.round}`}
        {item.forwardedBy && ` · forwarded by ${item.forwardedBy}`} · {plural(item.question.answerCount, "answer")}{" "}
        <Tags tags={item.question.tags} />
      </div>
      {item.reasons.length > 0 && (
        <details open={item.status === "pending"}>
          <summary>Why you</summary>
          <Reasons reasons={item.reasons} />
        </details>
      )}
      <ErrorBox error={error} />
      {item.status === "pending" && (
        <div className="actions">
          <Link className="button small primary" to={`/questions/${item.question.id}#answer`}>
            Answer
          </Link>
          <button className="small" onClick={() => void decline("not_my_area")} title="Routing learns from this">
            Not my area
          </button>
          <button className="small" onClick={() => void decline("no_time")}>
            No time now
          </button>
          <button
            className="small"
            aria-expanded={mode === "forward"}
            onClick={() => setMode(mode === "forward" ? "" : "forward")}
          >
            Forward…
          </button>
        </div>
      )}
      {mode === "forward" && item.status === "pending" && <ForwardForm item={item} onDone={onChange} />}
    </li>
  );
}

/** Requests routed to me, live: new ones appear without a refresh. */
export function InboxPage() {
  const [status, setStatus] = useState<"open" | "all">("all");
  const list = useLoad(() => call(routes.routing.getInbox, { query: { status: status } }), [status]);
  const live = useLive();
  useLiveEvents((e) => {
    if (e.type.startsWith("routing.")) list.reload();
  });
  const changed = () => {
    list.reload();
    live.refreshPending();
  };
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Inbox</h1>
          <p className="muted">
            Colleagues' questions Knowhow thinks you can answer.{" "}
            <span className={`live-dot${live.connected ? " on" : ""}`} aria-hidden="true" />{" "}
            <span data-testid="live-status">{live.connected ? "Live" : "Connecting…"}</span>
          </p>
        </div>
        <Link className="button" to="/me/availability">
          My availability
        </Link>
      </div>
      <div className="list-tools" role="tablist" aria-label="Show">
        {(["all", "open"] as const).map((s) => (
          <button
            key={s}
            role="tab"
            aria-selected={s === status}
            className={`chip${s === status ? " on" : ""}`}
            onClick={() => setStatus(s)}
          >
            {s === "open" ? `Waiting (${list.data?.pending ?? 0})` : "All"}
          </button>
        ))}
      </div>
      {list.loading && !list.data && <Loading />}
      <ErrorBox error={list.error} />
      {list.data?.items.length === 0 && (
        <Empty>
          Nothing routed to you {status === "open" ? "right now" : "yet"}. When a colleague asks something you know, it
          appears here at once.
        </Empty>
      )}
      <ul className="request-list">
        {list.data?.items.map((item) => (
          <RequestCard key={item.id} item={item} onChange={changed} />
        ))}
      </ul>
      <MentionsInbox />
      {list.data && list.data.communityQuestions.length > 0 && (
        <section aria-labelledby="community-questions">
          <h2 id="community-questions">Open questions in communities you follow</h2>
          <ul className="plain-list">
            {list.data.communityQuestions.map((c) => (
              <li key={c.question.id}>
                <Link to={`/questions/${c.question.id}`}>{c.question.title}</Link>{" "}
                <span className="muted">
                  in <Link to={`/communities/${c.community.id}`}>{c.community.name}</Link> · {c.question.asker.name} ·{" "}
                  <span title={c.createdAt}>{ago(c.createdAt)}</span>
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <Invitations />
      <FeedbackAskedOfYou />
      <StartingSoon />
      <LearningDue />
      <SuggestedSessions />
      <KnowledgeInbox />
    </div>
  );
}

const MENTIONED_IN: Record<Mention["subjectType"], string> = {
  article: "the article",
  article_comment: "a comment on",
  question: "the question",
  answer: "an answer to",
  comment: "a comment on",
};

/** "X mentioned you in …": newest first, new ones marked; opening one or "Mark all as seen" clears them. */
export function MentionsInbox() {
  const list = useLoad(() => call(routes.mentions.getMentions, { query: { limit: 30 } }), []);
  const live = useLive();
  useLiveEvents((e) => {
    if (e.type === "mention") list.reload();
  });
  const seen = async (ids?: string[]) => {
    await call(routes.mentions.postMentionsSeen, { body: ids ? { ids } : {} }).catch(() => undefined);
    list.reload();
    live.refreshPending();
  };
  if (!list.data) return <ErrorBox error={list.error} />;
  const { items, unseen } = list.data;
  return (
    <section aria-labelledby="mentions-heading" className="mentions-inbox">
      <div className="section-head">
        <h2 id="mentions-heading">
          Mentions{" "}
          {unseen > 0 && (
            <span className="count mentions" data-testid="mentions-unseen">
              {unseen} new
            </span>
          )}
        </h2>
        {unseen > 0 && (
          <button className="small" onClick={() => void seen()}>
            Mark all as seen
          </button>
        )}
      </div>
      {items.length === 0 ? (
        <p className="muted">
          When a colleague mentions you with @ in an article, a question, an answer or a comment, it appears here.
        </p>
      ) : (
        <ul className="mention-list-inbox">
          {items.map((m) => (
            <li key={m.id} className={m.seenAt ? undefined : "unseen"}>
              {!m.seenAt && <span className="badge">New</span>} <strong>{m.by.name}</strong> mentioned you in{" "}
              {MENTIONED_IN[m.subjectType]}{" "}
              <Link to={m.url} onClick={() => !m.seenAt && void seen([m.id])}>
                {m.title}
              </Link>{" "}
              <span className="muted small-text" title={fullDate(m.createdAt)}>
                {ago(m.createdAt)}
              </span>
              {m.excerpt && <p className="mention-excerpt small-text">{m.excerpt}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * "Feedback asked of you": open requests I have not answered, soonest deadline first (those due within
 * two days highlighted as reminders), and the thanks of askers whose requests I answered.
 */
export function FeedbackAskedOfYou() {
  const list = useLoad(() => call(routes.feedback.getFeedback), []);
  if (!list.data) return null;
  const open = list.data.received.filter((r) => r.open && r.myAnswered === false);
  const thanked = list.data.received.filter((r) => r.thanks);
  if (open.length === 0 && thanked.length === 0) return null;
  return (
    <section aria-labelledby="feedback-asked">
      <h2 id="feedback-asked">Feedback asked of you ({open.length})</h2>
      <ul className="plain-list">
        {open.map((r) => (
          <li key={r.id} className={r.dueSoon ? "due-soon" : undefined} data-testid="feedback-asked">
            <Link to={`/feedback/${r.id}`}>{r.title}</Link>{" "}
            <span className="muted">
              {r.asker.name} · {r.anonymous ? "anonymous" : "named"} ·{" "}
              {r.standing ? "any time" : r.deadline ? `due ${fullDate(r.deadline)}` : ""}
            </span>
            {r.dueSoon && <span className="badge due-soon">Due soon</span>}
          </li>
        ))}
      </ul>
      {thanked.length > 0 && (
        <ul className="plain-list" aria-label="Thanks for your feedback">
          {thanked.map((r) => (
            <li key={r.id} className="thanks">
              “{r.thanks}” — {r.asker.name}, for your feedback on <Link to={`/feedback/${r.id}`}>{r.title}</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Learning paths: the ones assigned to me (soonest due first), and my paths whose knowledge changed. */
function LearningDue() {
  const due = useLoad(() => call(routes.paths.getDue), []);
  if (!due.data || (due.data.due.length === 0 && due.data.toReview.length === 0)) return null;
  return (
    <section aria-labelledby="learning-due">
      <h2 id="learning-due">Learning paths</h2>
      <ul className="plain-list">
        {due.data.due.map((d) => (
          <li key={d.pathId} className={d.overdue ? "due-soon" : undefined}>
            <Link to={`/paths/${d.pathId}`}>{d.title}</Link>{" "}
            {d.dueOn && (
              <span className={`badge${d.overdue || d.dueSoon ? " due-soon" : ""}`}>
                {d.overdue ? "Overdue since" : "Due"} {d.dueOn}
              </span>
            )}{" "}
            <span className="muted small-text">
              {d.done} of {d.total} steps done{d.assignedBy && ` · assigned by ${d.assignedBy}`}
            </span>
          </li>
        ))}
        {due.data.toReview.map((r) => (
          <li key={`review-${r.pathId}`}>
            <Link to={`/paths/${r.pathId}`}>{r.title}</Link>{" "}
            <span className="badge due-soon">{plural(r.steps, "step")} to review: the knowledge changed</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Reminders: the sessions I am going to or present that start within the next 24 hours, with time and place. */
function StartingSoon() {
  const soon = useLoad(() => call(routes.sessions.getSessionsSoon), []);
  if (!soon.data || soon.data.items.length === 0) return null;
  return (
    <section aria-labelledby="starting-soon">
      <h2 id="starting-soon">Starting soon</h2>
      <ul className="plain-list">
        {soon.data.items.map((s) => (
          <li key={s.id}>
            <Link to={`/sessions/${s.id}`}>{s.title}</Link>{" "}
            <span className="muted">
              <time dateTime={s.startsAt}>
                {new Date(s.startsAt).toLocaleString("en-GB", {
                  weekday: "short",
                  hour: "2-digit",
                  minute: "2-digit",
                })}
              </time>
              {s.place && ` · ${s.place}`}
            </span>
            {s.link && (
              <>
                {" · "}
                <a href={s.link}>Join</a>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Upcoming sessions announced to me (my topics, from other departments) that I have not answered. */
export function SuggestedSessions() {
  const suggested = useLoad(() => call(routes.sessions.getSessionsSuggested), []);
  if (!suggested.data || suggested.data.items.length === 0) return null;
  return (
    <section aria-labelledby="suggested-sessions">
      <h2 id="suggested-sessions">Sessions on your topics</h2>
      <ul className="plain-list">
        {suggested.data.items.map((s) => (
          <li key={s.id}>
            <Link to={`/sessions/${s.id}`}>{s.title}</Link>{" "}
            <span className="muted">
              {fullDate(s.startsAt)} · {s.presenters.map((p) => p.name).join(", ")}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Knowledge I own that needs review, challenges waiting for my answer, and what changed in things I read. */
function KnowledgeInbox() {
  const review = useLoad(() => call(routes.verification.getMeReview), []);
  const notices = useLoad(() => call(routes.verification.getMeNotices), []);
  useLiveEvents((e) => {
    if (e.type.startsWith("knowledge.") || e.type === "notice") {
      review.reload();
      notices.reload();
    }
  });
  return (
    <div className="grid-3 knowledge-inbox">
      <section className="card" aria-label="Challenges waiting for you">
        <h2>Challenges for you ({review.data?.challenges.length ?? 0})</h2>
        {review.data?.challenges.length === 0 && <Empty>None.</Empty>}
        <ul className="plain-list">
          {review.data?.challenges.map((c) => (
            <li key={c.id}>
              <Link to={c.subject.url}>{c.subject.title}</Link>: “{c.claim}”{" "}
              <span className="muted small-text">
                — {c.author.name}, {c.state === "overdue" ? "overdue" : `answer ${ago(c.deadline)}`}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-label="Knowledge to review">
        <h2>Your knowledge to review ({review.data?.review.length ?? 0})</h2>
        {review.data?.review.length === 0 && <Empty>All verified.</Empty>}
        <ul className="plain-list">
          {review.data?.review.slice(0, 12).map((r) => (
            <li key={r.id}>
              <Link to={r.url}>{r.title}</Link> <span className={`verification ${r.state}`}>{r.state}</span>
            </li>
          ))}
        </ul>
        {(review.data?.review.length ?? 0) > 0 && <Link to="/verification">Review all</Link>}
      </section>
      <section className="card" aria-label="What changed">
        <h2>Changed since you read it ({notices.data?.items.length ?? 0})</h2>
        {notices.data?.items.length === 0 && <Empty>Nothing.</Empty>}
        <ul className="plain-list">
          {notices.data?.items.map((n) => (
            <li key={n.id}>
              <Link to={`/articles/${n.articleId}`}>{n.title}</Link>{" "}
              <span className="muted small-text">
                {n.kind === "superseded" ? "superseded" : `v${n.fromVersion} → v${n.toVersion}`}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
const minutes = (s: string) => {
  const [h, m] = s.split(":").map(Number);
  return (h || 0) * 60 + (m || 0);
};

const REACH_LABEL: Record<string, string> = {
  away: "away",
  busy: "busy",
  off_hours: "outside working hours",
  off_day: "not a working day",
  at_cap: "has had enough requests today",
};

/** A small status pill: available / busy / away, and why routing would skip them now. */
export function AvailabilityBadge({
  a,
}: {
  a: Pick<Availability, "status" | "reachable" | "notReachableBecause" | "awayUntil" | "localTime">;
}) {
  const label =
    a.status === "away"
      ? `Away${a.awayUntil ? ` until ${new Date(a.awayUntil).toLocaleDateString("en-GB", { day: "numeric", month: "short" })}` : ""}`
      : a.status === "busy"
        ? "Busy"
        : a.reachable
          ? "Available"
          : `Available · ${REACH_LABEL[a.notReachableBecause ?? ""] ?? ""}`;
  return (
    <span className={`availability ${a.status}${a.reachable ? " reachable" : ""}`} title={`Local time ${a.localTime}`}>
      <span className="dot" aria-hidden="true" /> {label}
    </span>
  );
}

/** Where people say when they can be asked: status, away until, working hours in their zone, daily cap. */
export function AvailabilityPage() {
  const current = useLoad(() => call(routes.expertise.getMeAvailability), []);
  if (current.loading && !current.data) return <Loading />;
  if (!current.data) return <ErrorBox error={current.error} />;
  return <AvailabilityForm initial={current.data} onSaved={current.setData} />;
}

function AvailabilityForm({ initial, onSaved }: { initial: Availability; onSaved: (a: Availability) => void }) {
  const [status, setStatus] = useState(initial.status);
  const [awayUntil, setAwayUntil] = useState(initial.awayUntil ? initial.awayUntil.slice(0, 10) : "");
  const [timeZone, setTimeZone] = useState(initial.timeZone);
  const [start, setStart] = useState(hhmm(initial.workStart));
  const [end, setEnd] = useState(hhmm(initial.workEnd));
  const [days, setDays] = useState<number[]>(initial.workDays);
  const [cap, setCap] = useState(String(initial.dailyCap));
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<Availability | null>(null);
  const zones = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.(
    "timeZone",
  ) ?? [initial.timeZone];
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setError(null);
      const r = await call(routes.expertise.putMeAvailability, {
        body: {
          availability: status,
          awayUntil: status === "away" && awayUntil ? new Date(`${awayUntil}T00:00:00`).toISOString() : null,
          timeZone,
          workStart: minutes(start),
          workEnd: minutes(end),
          workDays: days,
          dailyCap: Number(cap),
        },
      });
      setSaved(r);
      onSaved(r);
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const shown = saved ?? initial;
  return (
    <div className="page narrow">
      <h1>My availability</h1>
      <p className="muted">
        Knowhow only routes questions to you when you are available, inside your working hours and under your daily
        limit. Right now: <AvailabilityBadge a={shown} /> · your local time {shown.localTime} · {shown.requestsToday}{" "}
        request
        {shown.requestsToday === 1 ? "" : "s"} today
      </p>
      <form className="card form" onSubmit={submit} aria-label="Availability">
        {error && !error.fields.length && <ErrorBox error={error} />}
        <fieldset className="field">
          <legend>Status</legend>
          {(["available", "busy", "away"] as const).map((s) => (
            <label key={s} className="radio">
              <input type="radio" name="status" checked={status === s} onChange={() => setStatus(s)} />{" "}
              {s === "available"
                ? "Available — route questions to me"
                : s === "busy"
                  ? "Busy — only colleagues' forwards"
                  : "Away"}
            </label>
          ))}
        </fieldset>
        {status === "away" && (
          <label className="field">
            <span>Away until</span>
            <input
              type="date"
              value={awayUntil}
              onChange={(e) => setAwayUntil(e.target.value)}
              aria-invalid={!!error?.field("awayUntil") || undefined}
            />
            {error?.field("awayUntil") && <span className="field-error">{error.field("awayUntil")}</span>}
          </label>
        )}
        <label className="field">
          <span>Time zone</span>
          <select value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
            {(zones.includes(timeZone) ? zones : [timeZone, ...zones]).map((z) => (
              <option key={z}>{z}</option>
            ))}
          </select>
          {error?.field("timeZone") && <span className="field-error">{error.field("timeZone")}</span>}
        </label>
        <div className="inline-form">
          <label className="field">
            <span>Working hours from</span>
            <input type="time" value={start} onChange={(e) => setStart(e.target.value)} />
          </label>
          <label className="field">
            <span>to</span>
            <input type="time" value={end} onChange={(e) => setEnd(e.target.value)} />
            {error?.field("workEnd") && <span className="field-error">{error.field("workEnd")}</span>}
          </label>
          <span className="muted small-text field">
            {start === end
              ? "Any time of day (start and end are the same)."
              : minutes(end) < minutes(start)
                ? "Overnight: ends the next morning."
                : ""}
          </span>
        </div>
        <fieldset className="field">
          <legend>Working days</legend>
          <div className="actions">
            {DAYS.map((d, i) => (
              <label key={d} className="radio">
                <input
                  type="checkbox"
                  checked={days.includes(i + 1)}
                  onChange={(e) =>
                    setDays(e.target.checked ? [...days, i + 1].sort() : days.filter((x) => x !== i + 1))
                  }
                />{" "}
                {d}
              </label>
            ))}
          </div>
          {error?.field("workDays") && <span className="field-error">{error.field("workDays")}</span>}
        </fieldset>
        <label className="field">
          <span>At most this many routed questions per day</span>
          <input type="number" min={0} max={100} value={cap} onChange={(e) => setCap(e.target.value)} />
          {error?.field("dailyCap") && <span className="field-error">{error.field("dailyCap")}</span>}
        </label>
        <button className="primary">Save</button>
        {saved && (
          <span className="muted" role="status">
            {" "}
            Saved.
          </span>
        )}
      </form>
    </div>
  );
}
