import { useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, call, routes } from "../api";
import { useMe } from "../auth";
import { Avatar, Empty, ErrorBox, Loading, RadioGroup, Tags, ago, plural, useLoad } from "../util";
import type { Community, CommunityPage as Page } from "../contracts";
import { CandidatesPanel, Invitations, SettingsForm } from "./community-parts";

const ROLE_LABEL = { lead: "Lead", member: "Member", pending: "Request pending", invited: "Invited" } as const;

function CommunityBadges({ c }: { c: Community }) {
  return (
    <>
      {c.visibility === "members" && <span className="badge private">Members only</span>}{" "}
      {c.joining === "request" && <span className="badge">Join by request</span>}
    </>
  );
}

/** All communities the reader may see, suggestions for them, and a form to start one. */
export function CommunitiesPage() {
  const me = useMe();
  const navigate = useNavigate();
  const list = useLoad(() => call(routes.communities.getCommunities), []);
  const suggestions = useLoad(() => call(routes.communities.getCommunitiesSuggestions), []);
  const [creating, setCreating] = useState(false);
  const [form, setForm] = useState({
    name: "",
    purpose: "",
    topics: "",
    joining: "open" as "open" | "request",
    visibility: "everyone" as "everyone" | "members",
  });
  const [error, setError] = useState<ApiError | null>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const topics = form.topics
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean);
      const c = await call(routes.communities.postCommunities, { body: { ...form, topics } });
      navigate(`/communities/${c.id}`);
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const mine = list.data?.items.filter((c) => c.myRole === "lead" || c.myRole === "member") ?? [];
  const others = list.data?.items.filter((c) => !(c.myRole === "lead" || c.myRole === "member")) ?? [];
  return (
    <div className="page">
      <div className="page-head">
        <h1>Communities of practice</h1>
        {me.can.createCommunity && (
          <button className="primary" onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
            New community
          </button>
        )}
      </div>
      {creating && (
        <form className="card form" onSubmit={create} aria-label="New community">
          <label className="field">
            <span>Name</span>
            <input
              required
              value={form.name}
              onChange={(e) => setForm((prev) => ({ ...prev, name: e.target.value }))}
            />
            {error?.field("name") && <span className="field-error">{error.field("name")}</span>}
          </label>
          <label className="field">
            <span>Purpose (Markdown)</span>
            <textarea
              rows={3}
              value={form.purpose}
              onChange={(e) => setForm((prev) => ({ ...prev, purpose: e.target.value }))}
            />
            {error?.field("purpose") && <span className="field-error">{error.field("purpose")}</span>}
          </label>
          <label className="field">
            <span>Topics (comma-separated tags)</span>
            <input
              required
              value={form.topics}
              placeholder="wms, scanners"
              onChange={(e) => setForm((prev) => ({ ...prev, topics: e.target.value }))}
            />
            {error?.field("topics") && <span className="field-error">{error.field("topics")}</span>}
          </label>
          <RadioGroup
            legend="Joining"
            name="joining"
            value={form.joining}
            options={[
              { value: "open", label: "Open: anyone joins" },
              { value: "request", label: "By request: leads approve" },
            ]}
            onChange={(joining) => setForm({ ...form, joining })}
          />
          <RadioGroup
            legend="Who can see what is in it"
            name="visibility"
            value={form.visibility}
            options={[
              { value: "everyone", label: "Everyone in the organisation" },
              { value: "members", label: "Members only (like a private space)" },
            ]}
            onChange={(visibility) => setForm({ ...form, visibility })}
          />
          {error && !error.fields.length && <ErrorBox error={error} />}
          <div className="actions">
            <button className="primary">Create community</button>
            <button type="button" onClick={() => setCreating(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <Invitations onChange={list.reload} />
      {me.can.planCommunities && <CandidatesPanel />}
      {list.loading && <Loading />}
      <ErrorBox error={list.error} />
      {suggestions.data && suggestions.data.items.length > 0 && (
        <section aria-labelledby="suggested">
          <h2 id="suggested">Suggested for you</h2>
          <ul className="community-suggestions">
            {suggestions.data.items.map((s) => (
              <li key={s.community.id} className="card">
                <Link to={`/communities/${s.community.id}`}>{s.community.name}</Link>
                <ul className="muted reasons">
                  {s.reasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </section>
      )}
      {list.data && (
        <>
          <h2>Your communities</h2>
          {mine.length === 0 ? <Empty>You are not in a community yet.</Empty> : <CommunityGrid items={mine} />}
          <h2>All communities</h2>
          {others.length === 0 ? <Empty>No other communities.</Empty> : <CommunityGrid items={others} />}
        </>
      )}
    </div>
  );
}

function CommunityGrid({ items }: { items: Community[] }) {
  return (
    <div className="space-grid">
      {items.map((c) => (
        <Link key={c.id} to={`/communities/${c.id}`} className="card space-card">
          <h3>
            {c.name} <CommunityBadges c={c} />
          </h3>
          <Tags tags={c.topics} />
          <span className="muted">
            {plural(c.memberCount, "member")}
            {c.myRole ? ` · ${ROLE_LABEL[c.myRole].toLowerCase()}` : ""}
          </span>
        </Link>
      ))}
    </div>
  );
}

/** A community: what it is about, open questions first, pins, feed, members, requests and its health. */
export function CommunityPage() {
  const { id = "" } = useParams();
  const page = useLoad(() => call(routes.communities.getCommunitiesById, { params: { id } }), [id]);
  const [error, setError] = useState<ApiError | null>(null);
  const [editing, setEditing] = useState(false);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      page.reload();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const pin = (type: PinType, itemId: string) =>
    void act(() => call(routes.communities.postCommunitiesPins, { params: { id }, body: { type, id: itemId } }));
  if (page.loading && !page.data) return <Loading />;
  if (page.error || !page.data)
    return (
      <div className="page">
        <ErrorBox error={page.error} />
      </div>
    );
  const c = page.data;
  return (
    <div className="page community">
      <div className="page-head">
        <div>
          <p className="crumbs">
            <Link to="/communities">Communities</Link>
          </p>
          <h1>
            {c.name} <CommunityBadges c={c} />
          </h1>
          <Tags tags={c.topics} />
          <p className="muted">
            {plural(c.memberCount, "member")}
            {c.myRole ? ` · you: ${ROLE_LABEL[c.myRole].toLowerCase()}` : ""}
          </p>
        </div>
        <div className="actions">
          {c.can.accept && (
            <button
              className="primary"
              onClick={() => act(() => call(routes.communities.postCommunitiesAccept, { params: { id: c.id } }))}
            >
              Accept the invitation
            </button>
          )}
          {c.can.decline && (
            <button
              onClick={() => act(() => call(routes.communities.postCommunitiesDecline, { params: { id: c.id } }))}
            >
              Decline
            </button>
          )}
          {c.can.update && (
            <button aria-expanded={editing} onClick={() => setEditing((e) => !e)}>
              Settings
            </button>
          )}
          {c.can.join && (
            <button
              className="primary"
              onClick={() => act(() => call(routes.communities.postCommunitiesJoin, { params: { id: c.id } }))}
            >
              Join
            </button>
          )}
          {c.can.request && (
            <button
              className="primary"
              onClick={() => act(() => call(routes.communities.postCommunitiesJoin, { params: { id: c.id } }))}
            >
              Ask to join
            </button>
          )}
          {c.can.followQuestions && (
            <button
              aria-pressed={c.followingQuestions}
              onClick={() =>
                act(() =>
                  call(routes.communities.putCommunitiesFollow, {
                    params: { id: c.id },
                    body: { follow: !c.followingQuestions },
                  }),
                )
              }
            >
              {c.followingQuestions ? "Following questions in my inbox" : "Follow questions in my inbox"}
            </button>
          )}
          {c.can.leave && (
            <button onClick={() => act(() => call(routes.communities.postCommunitiesLeave, { params: { id: c.id } }))}>
              {c.myRole === "pending" ? "Withdraw request" : "Leave"}
            </button>
          )}
        </div>
      </div>
      <ErrorBox error={error} />
      {editing && (
        <SettingsForm
          key={c.etag}
          c={c}
          onSaved={() => {
            setEditing(false);
            page.reload();
          }}
          onCancel={() => setEditing(false)}
        />
      )}
      {c.purposeHtml && <div className="card prose" dangerouslySetInnerHTML={{ __html: c.purposeHtml }} />}
      <div className="community-grid">
        <div className="community-main">
          <OpenQuestions c={c} onPin={pin} />
          {c.can.ask && <AskCommunity c={c} onAsked={page.reload} />}
          <Feed c={c} onPin={pin} />
        </div>
        <aside className="community-side" aria-label="About the community">
          <Pins
            c={c}
            onUnpin={(pinId) =>
              act(() => call(routes.communities.deleteCommunitiesPinsByPinId, { params: { id: c.id, pinId } }))
            }
          />
          <Health c={c} />
          {c.requests.length > 0 && (
            <section className="card" aria-labelledby="requests">
              <h2 id="requests">Requests to join</h2>
              <ul className="plain-list">
                {c.requests.map((r) => (
                  <li key={r.id} className="member-row">
                    <Link to={`/people/${r.id}`}>{r.name}</Link>
                    <span className="actions">
                      <button
                        onClick={() =>
                          act(() =>
                            call(routes.communities.putCommunitiesMembersByUserId, {
                              params: { id: c.id, userId: r.id },
                              body: { role: "member" },
                            }),
                          )
                        }
                      >
                        Approve <span className="sr-only">{r.name}</span>
                      </button>
                      <button
                        onClick={() =>
                          act(() =>
                            call(routes.communities.deleteCommunitiesMembersByUserId, {
                              params: { id: c.id, userId: r.id },
                            }),
                          )
                        }
                      >
                        Decline <span className="sr-only">{r.name}</span>
                      </button>
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {c.invited.length > 0 && (
            <section className="card" aria-labelledby="invited">
              <h2 id="invited">Invited</h2>
              <p className="muted">They have not accepted yet.</p>
              <ul className="plain-list">
                {c.invited.map((r) => (
                  <li key={r.id} className="member-row">
                    <Link to={`/people/${r.id}`}>{r.name}</Link>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <Members c={c} act={act} />
        </aside>
      </div>
    </div>
  );
}

type PinType = Page["pins"][number]["type"];
type OnPin = (type: PinType, itemId: string) => void;

/** A lead's "Pin" button for an item not pinned yet. */
function PinButton({ c, type, id, title, onPin }: { c: Page; type: PinType; id: string; title: string; onPin: OnPin }) {
  if (!c.can.pin || c.pins.some((p) => p.type === type && p.itemId === id)) return null;
  return (
    <button className="link-button small-text" onClick={() => onPin(type, id)}>
      Pin <span className="sr-only">{title}</span>
    </button>
  );
}

function OpenQuestions({ c, onPin }: { c: Page; onPin: OnPin }) {
  return (
    <section className="card" aria-labelledby="open-questions">
      <h2 id="open-questions">Open questions</h2>
      <p className="muted">Unanswered, oldest first.</p>
      {c.openQuestions.length === 0 ? (
        <Empty>No open questions. Well done!</Empty>
      ) : (
        <ul className="plain-list">
          {c.openQuestions.map((q) => (
            <li key={q.id} className="feed-row">
              <Link to={`/questions/${q.id}`}>{q.title}</Link> {q.direct && <span className="badge">Asked here</span>}{" "}
              <PinButton c={c} type="question" id={q.id} title={q.title} onPin={onPin} />
              <div className="muted">
                {q.author.name} · <span title={q.createdAt}>{ago(q.createdAt)}</span> <Tags tags={q.tags} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AskCommunity({ c, onAsked }: { c: Page; onAsked: () => void }) {
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ title: "", body: "" });
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const q = await call(routes.qa.postQuestions, {
        body: { ...form, tags: c.topics.slice(0, 1), communityId: c.id },
      });
      onAsked();
      navigate(`/questions/${q.id}`);
    } catch (err) {
      setError(err as ApiError);
    }
  };
  if (!open)
    return (
      <p>
        <button onClick={() => setOpen(true)}>Ask this community</button>
      </p>
    );
  return (
    <form className="card form" onSubmit={submit} aria-label={`Ask ${c.name}`}>
      <p className="muted">Its members are asked first (if they are available).</p>
      <label className="field">
        <span>Question</span>
        <input required value={form.title} onChange={(e) => setForm((prev) => ({ ...prev, title: e.target.value }))} />
        {error?.field("title") && <span className="field-error">{error.field("title")}</span>}
      </label>
      <label className="field">
        <span>Details</span>
        <textarea
          required
          rows={4}
          value={form.body}
          onChange={(e) => setForm((prev) => ({ ...prev, body: e.target.value }))}
        />
        {error?.field("body") && <span className="field-error">{error.field("body")}</span>}
      </label>
      {error && !error.fields.length && <ErrorBox error={error} />}
      <div className="actions">
        <button className="primary">Ask</button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const ITEM_PATH = {
  question: (id: string) => `/questions/${id}`,
  article: (id: string) => `/articles/${id}`,
  lesson: (id: string) => `/lessons/${id}`,
  post: () => `/feed`,
} as const;
const ITEM_LABEL = { question: "Question", article: "Article", lesson: "Lesson", post: "Post" } as const;

function Feed({ c, onPin }: { c: Page; onPin: OnPin }) {
  return (
    <section className="card" aria-labelledby="feed">
      <h2 id="feed">Feed</h2>
      {c.feed.length === 0 ? (
        <Empty>Nothing yet on {c.topics.join(", ")}.</Empty>
      ) : (
        <ul className="plain-list">
          {c.feed.map((f) => (
            <li key={`${f.type}:${f.id}`} className="feed-row">
              <span className="badge">{ITEM_LABEL[f.type]}</span> <Link to={ITEM_PATH[f.type](f.id)}>{f.title}</Link>{" "}
              <PinButton c={c} type={f.type} id={f.id} title={f.title} onPin={onPin} />
              <div className="muted">
                {f.author?.name ?? "Anonymous"} · <span title={f.at}>{ago(f.at)}</span> <Tags tags={f.tags} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Pins({ c, onUnpin }: { c: Page; onUnpin: (pinId: string) => void }) {
  if (c.pins.length === 0) return null;
  return (
    <section className="card" aria-labelledby="pins">
      <h2 id="pins">Pinned by the leads</h2>
      <ul className="plain-list">
        {c.pins.map((p) => (
          <li key={p.id} className="member-row">
            <Link to={ITEM_PATH[p.type](p.itemId)}>{p.title}</Link>
            {c.can.pin && (
              <button className="link-button" onClick={() => onUnpin(p.id)}>
                Unpin <span className="sr-only">{p.title}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Members({ c, act }: { c: Page; act: (fn: () => Promise<unknown>) => void }) {
  const me = useMe();
  return (
    <section className="card" aria-labelledby="members">
      <h2 id="members">Members</h2>
      <p className="muted">Evidence on its topics: answers (accepted) and articles.</p>
      <ul className="plain-list">
        {c.members.map((m) => (
          <li key={m.id} className="member-row">
            <Avatar name={m.name} size={28} />
            <span className="member-name">
              <Link to={`/people/${m.id}`}>{m.name}</Link>
              {m.role === "lead" && <span className="badge">Lead</span>}
              <span className="muted small-text">
                {m.department || m.title} · {plural(m.evidence.answers, "answer")} ({m.evidence.accepted} accepted) ·{" "}
                {plural(m.evidence.articles, "article")}
              </span>
            </span>
            {c.can.manageMembers && m.id !== me.id && (
              <span className="actions">
                {m.role === "member" && (
                  <button
                    className="link-button"
                    onClick={() =>
                      act(() =>
                        call(routes.communities.putCommunitiesMembersByUserId, {
                          params: { id: c.id, userId: m.id },
                          body: { role: "lead" },
                        }),
                      )
                    }
                  >
                    Make lead <span className="sr-only">{m.name}</span>
                  </button>
                )}
                <button
                  className="link-button"
                  onClick={() =>
                    act(() =>
                      call(routes.communities.deleteCommunitiesMembersByUserId, { params: { id: c.id, userId: m.id } }),
                    )
                  }
                >
                  Remove <span className="sr-only">{m.name}</span>
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

type Bar = { label: string; value: number | null; text: string };

/** A small bar chart in SVG: each bar has a tooltip title; the figure's caption says what it shows. */
function BarChart({ id, title, bars }: { id: string; title: string; bars: Bar[] }) {
  const max = Math.max(1, ...bars.map((b) => b.value ?? 0));
  const W = 240;
  const H = 96;
  const gap = 6;
  const bw = (W - gap * (bars.length - 1)) / bars.length;
  const summary = bars.map((b) => `${b.label}: ${b.text}`).join("; ");
  return (
    <figure className="chart">
      <figcaption id={id}>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H + 16}`} role="img" aria-labelledby={id} aria-describedby={`${id}-data`}>
        {bars.map((b, i) => {
          const h = b.value === null ? 0 : Math.max(2, (b.value / max) * H);
          const x = i * (bw + gap);
          return (
            <g key={b.label}>
              <rect x={x} y={H - h} width={bw} height={h} rx={2} className="chart-bar">
                <title>{`${b.label}: ${b.text}`}</title>
              </rect>
              <text x={x + bw / 2} y={H + 12} textAnchor="middle" className="chart-label">
                {b.label.slice(5)}
              </text>
            </g>
          );
        })}
      </svg>
      <p id={`${id}-data`} className="sr-only">
        {summary}
      </p>
    </figure>
  );
}

function Health({ c }: { c: Page }) {
  const months = c.health.months;
  const cross = c.health.crossDepartment;
  return (
    <section className="card" aria-labelledby="health">
      <h2 id="health">Health</h2>
      <BarChart
        id="chart-active"
        title="Active members per month"
        bars={months.map((m) => ({
          label: m.month,
          value: m.activeMembers,
          text: plural(m.activeMembers, "person", "people"),
        }))}
      />
      <BarChart
        id="chart-questions"
        title="Questions per month"
        bars={months.map((m) => ({ label: m.month, value: m.questions, text: plural(m.questions, "question") }))}
      />
      <BarChart
        id="chart-first-answer"
        title="Median hours to a first answer"
        bars={months.map((m) => ({
          label: m.month,
          value: m.medianHoursToFirstAnswer,
          text: m.medianHoursToFirstAnswer === null ? "no answers" : `${m.medianHoursToFirstAnswer} h`,
        }))}
      />
      <p>
        <strong>{cross.share === null ? "–" : `${Math.round(cross.share * 100)} %`}</strong> of answers crossed a
        department boundary{" "}
        <span className="muted">
          ({cross.crossed} of {cross.counted})
        </span>
      </p>
    </section>
  );
}
