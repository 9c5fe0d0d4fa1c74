import { useEffect, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError, call, routes } from "../api";
import { ErrorBox, RadioGroup, Tags, ago, plural, useLoad } from "../util";
import type { Community } from "../contracts";

type Suggestion = { community: Community; reasons: string[] };

/**
 * Invitations to communities (a knowledge manager created one from what people already help each
 * other on): accept or decline. Shown on the communities page and in the inbox; nothing when none.
 */
export function Invitations({ onChange }: { onChange?: () => void }) {
  const list = useLoad(() => call(routes.communities.getCommunitiesInvitations), []);
  const [error, setError] = useState<ApiError | null>(null);
  const answer = async (id: string, accept: boolean) => {
    setError(null);
    try {
      if (accept) await call(routes.communities.postCommunitiesAccept, { params: { id } });
      else await call(routes.communities.postCommunitiesDecline, { params: { id } });
      list.reload();
      onChange?.();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  if (!list.data?.items.length) return null;
  return (
    <section className="card" aria-labelledby="community-invitations">
      <h2 id="community-invitations">Invitations to communities</h2>
      <ErrorBox error={error} />
      <ul className="plain-list">
        {list.data.items.map(({ community: c, invitedAt }) => (
          <li key={c.id} className="member-row invitation">
            <span className="member-name">
              {c.can.read ? <Link to={`/communities/${c.id}`}>{c.name}</Link> : <strong>{c.name}</strong>}{" "}
              <Tags tags={c.topics} />
              <span className="muted small-text">
                {plural(c.memberCount, "member")} · invited <span title={invitedAt}>{ago(invitedAt)}</span>
              </span>
            </span>
            <span className="actions">
              {c.can.accept && (
                <button className="primary" onClick={() => void answer(c.id, true)}>
                  Accept <span className="sr-only">{c.name}</span>
                </button>
              )}
              {c.can.decline && (
                <button onClick={() => void answer(c.id, false)}>
                  Decline <span className="sr-only">{c.name}</span>
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * Communities to ask about what is being typed (title, details, tags): with the reasons, and a
 * one-click "Ask this community" that sends the question there.
 */
export function CommunitiesToAsk({
  text,
  tags,
  chosen,
  onPick,
}: {
  text: string;
  tags: string;
  chosen: string | null;
  onPick: (communityId: string) => void;
}) {
  const [items, setItems] = useState<Suggestion[]>([]);
  useEffect(() => {
    if (text.trim().length < 4) return setItems([]);
    const t = setTimeout(() => {
      call(routes.communities.getCommunitiesForProblem, { query: { q: text.slice(0, 5000), tags } }).then(
        (r) => setItems(r.items),
        () => undefined,
      );
    }, 300);
    return () => clearTimeout(t);
  }, [text, tags]);
  if (!items.length) return null;
  return (
    <aside className="card" aria-labelledby="communities-to-ask" data-testid="communities-to-ask">
      <h2 id="communities-to-ask">Communities to ask</h2>
      <ul className="plain-list">
        {items.map((s) => (
          <li key={s.community.id} className="suggested-community">
            <Link to={`/communities/${s.community.id}`} target="_blank">
              {s.community.name}
            </Link>{" "}
            {s.community.visibility === "members" && <span className="badge private">Members only</span>}
            <ul className="muted reasons small-text">
              {s.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
            {chosen === s.community.id ? (
              <span className="badge">Goes to this community</span>
            ) : (
              <button type="button" className="small" onClick={() => onPick(s.community.id)}>
                Ask this community <span className="sr-only">{s.community.name}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}

/**
 * A person's communities (those the viewer may see) and, on one's own profile, the communities
 * suggested for them with the reasons and a Join (or Ask to join) button.
 */
export function PersonCommunities({ personId, own }: { personId: string; own: boolean }) {
  const list = useLoad(() => call(routes.communities.getPeopleCommunities, { params: { id: personId } }), [personId]);
  return (
    <section className="card" aria-labelledby="person-communities">
      <h2 id="person-communities">Communities</h2>
      {list.data && list.data.items.length === 0 && (
        <p className="muted">{own ? "You are not in a community yet." : "Not in a community you can see."}</p>
      )}
      <ul className="plain-list">
        {list.data?.items.map(({ community: c, role }) => (
          <li key={c.id}>
            <Link to={`/communities/${c.id}`}>{c.name}</Link> {role === "lead" && <span className="badge">Lead</span>}{" "}
            <Tags tags={c.topics} />
          </li>
        ))}
      </ul>
      {own && <SuggestedForMe onJoined={list.reload} />}
    </section>
  );
}

function SuggestedForMe({ onJoined }: { onJoined: () => void }) {
  const suggestions = useLoad(() => call(routes.communities.getCommunitiesSuggestions), []);
  const [error, setError] = useState<ApiError | null>(null);
  const join = async (id: string) => {
    setError(null);
    try {
      await call(routes.communities.postCommunitiesJoin, { params: { id } });
      suggestions.reload();
      onJoined();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const items = suggestions.data?.items.filter((s) => s.community.can.join || s.community.can.request) ?? [];
  if (!items.length) return null;
  return (
    <>
      <h3>Suggested for you</h3>
      <ErrorBox error={error} />
      <ul className="plain-list">
        {items.map((s) => (
          <li key={s.community.id} className="member-row">
            <span className="member-name">
              <Link to={`/communities/${s.community.id}`}>{s.community.name}</Link>
              <span className="muted small-text">{s.reasons.join(" · ")}</span>
            </span>
            <button className="small" onClick={() => void join(s.community.id)}>
              {s.community.can.join ? "Join" : "Ask to join"} <span className="sr-only">{s.community.name}</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * For knowledge managers and admins: topics where people from several departments already help each
 * other and no community exists yet, with the people who would seed it; "Create and invite".
 */
export function CandidatesPanel() {
  const navigate = useNavigate();
  const list = useLoad(() => call(routes.communities.getCommunitiesCandidates), []);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const create = async (topic: string) => {
    setError(null);
    setBusy(topic);
    try {
      const c = await call(routes.communities.postCommunitiesCandidates, { body: { topic } });
      navigate(`/communities/${c.id}`);
    } catch (e) {
      setError(e as ApiError);
      setBusy(null);
    }
  };
  return (
    <section className="card" aria-labelledby="candidates">
      <h2 id="candidates">Communities that should exist</h2>
      <p className="muted">
        Topics where people from different departments already answer each other's questions, with no community yet.
      </p>
      <ErrorBox error={list.error ?? error} />
      {list.data && list.data.items.length === 0 && <p className="muted">None right now.</p>}
      <ul className="plain-list candidates">
        {list.data?.items.map((c) => (
          <li key={c.topic} className="candidate">
            <div>
              <Tags tags={[c.topic]} /> <strong>{plural(c.exchanges, "answer")} across departments</strong>{" "}
              <span className="muted">({c.departments.join(", ")})</span>
            </div>
            <div className="muted small-text">
              Would invite:{" "}
              {c.seeds.map((s, i) => (
                <span key={s.id}>
                  {i > 0 && ", "}
                  <Link to={`/people/${s.id}`}>{s.name}</Link> ({plural(s.answers, "answer")})
                </span>
              ))}
            </div>
            <button className="primary small" disabled={busy !== null} onClick={() => void create(c.topic)}>
              {busy === c.topic ? "Creating…" : "Create and invite"} <span className="sr-only">{c.topic}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

type Settings = Pick<Community, "name" | "purpose" | "topics" | "joining" | "visibility" | "etag" | "id">;

/**
 * A lead's settings form: name, purpose, topics, joining, visibility; a change made meanwhile is
 * reported (409), not overwritten.
 */
export function SettingsForm({ c, onSaved, onCancel }: { c: Settings; onSaved: () => void; onCancel: () => void }) {
  const [form, setForm] = useState({
    name: c.name,
    purpose: c.purpose,
    topics: c.topics.join(", "),
    joining: c.joining,
    visibility: c.visibility,
  });
  const [error, setError] = useState<ApiError | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await call(routes.communities.patchCommunitiesById, {
        params: { id: c.id },
        body: {
          etag: c.etag,
          name: form.name,
          purpose: form.purpose,
          topics: form.topics
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
          joining: form.joining,
          visibility: form.visibility,
        },
      });
      onSaved();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const field = (name: string) => error?.field(name) && <span className="field-error">{error.field(name)}</span>;
  return (
    <form className="card form" onSubmit={save} aria-label="Community settings">
      <h2>Settings</h2>
      <label className="field">
        <span>Name</span>
        <input required value={form.name} onChange={(e) => setForm((prev) => ({ ...prev, name: e.target.value }))} />
        {field("name")}
      </label>
      <label className="field">
        <span>Purpose (Markdown)</span>
        <textarea
          rows={4}
          value={form.purpose}
          onChange={(e) => setForm((prev) => ({ ...prev, purpose: e.target.value }))}
        />
        {field("purpose")}
      </label>
      <label className="field">
        <span>Topics (comma-separated tags)</span>
        <input
          required
          value={form.topics}
          onChange={(e) => setForm((prev) => ({ ...prev, topics: e.target.value }))}
        />
        {field("topics")}
      </label>
      <RadioGroup
        legend="Joining"
        name="settings-joining"
        value={form.joining}
        options={[
          { value: "open", label: "Open: anyone joins" },
          { value: "request", label: "By request: leads approve" },
        ]}
        onChange={(joining) => setForm({ ...form, joining })}
      />
      {field("joining")}
      <RadioGroup
        legend="Who can see what is in it"
        name="settings-visibility"
        value={form.visibility}
        options={[
          { value: "everyone", label: "Everyone in the organisation" },
          { value: "members", label: "Members only (like a private space)" },
        ]}
        onChange={(visibility) => setForm({ ...form, visibility })}
      />
      {field("visibility")}
      {error && !error.fields.length && (
        <div role="alert">
          <ErrorBox error={error} />
          {error.status === 409 && (
            <button type="button" onClick={onSaved}>
              Reload the current settings
            </button>
          )}
        </div>
      )}
      <div className="actions">
        <button className="primary">Save settings</button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
