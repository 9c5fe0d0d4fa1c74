import { useState, type FormEvent, type KeyboardEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, call, routes, type User } from "../api";
import { useAuth } from "../auth";
import { Empty, ErrorBox, Loading, fullDate, plural, useLoad } from "../util";
import { PeoplePicker } from "./feedback";
import type { Proposal, ProposalMember, Workgroup, WorkgroupSummary } from "../contracts";

type Person = { id: string; name: string; department: string; title: string; availability: string };

const AVAILABILITY: Record<string, string> = { available: "Available", busy: "Busy", away: "Away" };
const pct = (x: number) => `${Math.round(x * 100)} %`;

function PersonLine({ p, lead }: { p: Person; lead?: boolean }) {
  return (
    <>
      <Link to={`/people/${p.id}`}>
        <strong>{p.name}</strong>
      </Link>
      {lead && (
        <>
          {" "}
          <span className="badge">Lead</span>
        </>
      )}{" "}
      <span className="muted small-text">{[p.title, p.department].filter(Boolean).join(" · ")}</span>{" "}
      <span className={`badge availability-${p.availability}`}>{AVAILABILITY[p.availability] ?? p.availability}</span>
    </>
  );
}

/** Evidence bars: how strongly someone (or a group) has shown each skill. */
function EvidenceBars({ items, label }: { items: { topic: string; evidence: number }[]; label: string }) {
  if (items.length === 0) return <p className="muted small-text">Covers none of the required skills.</p>;
  return (
    <ul className="bars wide-values" aria-label={label}>
      {items.map((c) => (
        <li key={c.topic}>
          <span className="bar-label">{c.topic}</span>
          <span className="bar" role="img" aria-label={`${c.topic}: evidence ${pct(c.evidence)}`}>
            <span style={{ width: `${Math.round(c.evidence * 100)}%` }} />
          </span>
          <span className="bar-value">{pct(c.evidence)}</span>
        </li>
      ))}
    </ul>
  );
}

function Coverage({ coverage, people }: { coverage: Proposal["coverage"]; people: Map<string, string> }) {
  return (
    <section className="card" aria-labelledby="wg-coverage">
      <h2 id="wg-coverage">Coverage</h2>
      <div className="table-wrap">
        <table className="table wg-coverage">
          <thead>
            <tr>
              <th scope="col">Skill</th>
              <th scope="col">Covered by</th>
            </tr>
          </thead>
          <tbody>
            {coverage.map((c) => (
              <tr key={c.topic}>
                <th scope="row">{c.topic}</th>
                <td>
                  {c.coveredBy.length === 0 ? (
                    <span className="warning-text">Nobody in the group</span>
                  ) : (
                    c.coveredBy.map((b) => `${people.get(b.id) ?? "Someone"} (${pct(b.evidence)})`).join(", ")
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The cost beside RarestFirst's in plain words, with a small bar chart. */
function Cost({ proposal }: { proposal: Proposal }) {
  const c = proposal.cost;
  const rf = c.rarestFirst;
  const n = proposal.members.length;
  const pairs = (n * (n - 1)) / 2;
  const max = Math.max(c.sum, rf?.sum ?? 0, 1);
  const people = (k: number) => plural(k, "person", "people");
  const words = !rf
    ? "Nobody in the organisation has shown these skills, so there is no RarestFirst group to compare with."
    : rf.size < 2
      ? `RarestFirst covers every skill with one person who has shown them all: no pairs, so a cost of 0. ` +
        `This group's ${c.sum} is the price of ${people(n)} working together.`
      : c.sum < rf.sum
        ? `This group is closer-knit than RarestFirst's covering group of ${people(rf.size)}: ${c.sum} steps against its ${rf.sum}.`
        : c.sum === rf.sum
          ? `This group is as close-knit as RarestFirst's covering group of ${people(rf.size)}.`
          : `RarestFirst's covering group of ${people(rf.size)} is closer-knit: ${rf.sum} steps against this group's ${c.sum}${rf.size < n ? " (a larger group has more pairs to add up)" : ""}.`;
  const apart =
    n < 2
      ? ""
      : c.diameter >= c.disconnected
        ? "At least one pair has no path of help between them yet."
        : `The two furthest apart are ${c.diameter} ${c.diameter === 1 ? "step" : "steps"} apart.`;
  return (
    <section className="card" aria-labelledby="wg-cost">
      <h2 id="wg-cost">How well they know each other</h2>
      <p data-testid="wg-cost-words">
        The {plural(n, "member")} are {c.sum} steps apart over {plural(pairs, "pair")} in the who-helps-whom network
        (lower is better). {apart} {plural(c.directTies, "pair")} already helped each other directly. {words}
      </p>
      <ul className="bars wide-values" aria-label="Cost compared with RarestFirst">
        <li>
          <span className="bar-label">This group</span>
          <span className="bar" role="img" aria-label={`This group: cost ${c.sum}`}>
            <span style={{ width: `${Math.round((c.sum / max) * 100)}%` }} />
          </span>
          <span className="bar-value">{c.sum}</span>
        </li>
        {rf && (
          <li>
            <span className="bar-label">RarestFirst</span>
            <span className="bar" role="img" aria-label={`RarestFirst: cost ${rf.sum}`}>
              <span style={{ width: `${Math.round((rf.sum / max) * 100)}%` }} />
            </span>
            <span className="bar-value">{rf.sum}</span>
          </li>
        )}
      </ul>
      <p className="muted small-text">
        People with no path of help between them count as {c.disconnected} steps apart. RarestFirst (Lappas et al.,
        2009) covers the rarest skill first, then adds the closest holder of each other skill.
      </p>
    </section>
  );
}

/** A list of a group's warnings: skills nobody in the group or the organisation has shown, and notes. */
function Warnings({ proposal }: { proposal: Proposal }) {
  const uncovered = proposal.uncovered.filter((s) => !proposal.unheld.includes(s));
  if (!uncovered.length && !proposal.unheld.length && !proposal.messages.length) return null;
  return (
    <section className="card warning-card" aria-label="Warnings">
      {uncovered.length > 0 && <p>Nobody in the group has shown: {uncovered.join(", ")}.</p>}
      {proposal.unheld.length > 0 && (
        <p>
          Nobody in the organisation has shown: {proposal.unheld.join(", ")}. Someone will have to learn it, or find
          help outside.
        </p>
      )}
      {proposal.messages.map((m) => (
        <p key={m}>{m}</p>
      ))}
    </section>
  );
}

function SeatCard({
  m,
  onSwap,
  busy,
}: {
  m: ProposalMember;
  onSwap: (to: ProposalMember["alternatives"][number]) => void;
  busy: boolean;
}) {
  const [open, setOpen] = useState(false);
  return (
    <li className="card wg-seat" data-testid="wg-member">
      <p>
        <PersonLine p={m} /> {m.mustInclude && <span className="badge">Must include</span>}
      </p>
      <EvidenceBars items={m.covers} label={`What ${m.name} covers`} />
      {m.reasons.length > 0 && (
        <ul className="reasons small-text" aria-label={`Why ${m.name}`}>
          {m.reasons.map((r, k) => (
            <li key={k}>{r.text}</li>
          ))}
        </ul>
      )}
      {m.alternatives.length > 0 ? (
        <button
          type="button"
          className="small"
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
          aria-label={`Swap ${m.name}`}
        >
          Swap
        </button>
      ) : (
        <p className="muted small-text">Nobody else could take this seat without losing a skill.</p>
      )}
      {open && (
        <ul className="plain-list wg-alternatives" aria-label={`Instead of ${m.name}`}>
          {m.alternatives.map((a) => (
            <li key={a.id}>
              <PersonLine p={a} />
              <div className="muted small-text">
                {a.covers.length ? a.covers.map((c) => `${c.topic} ${pct(c.evidence)}`).join(", ") : "no skill"} · group
                cost {a.cost}
              </div>
              <button
                type="button"
                className="small"
                disabled={busy}
                onClick={() => {
                  setOpen(false);
                  onSwap(a);
                }}
                aria-label={`Choose ${a.name} instead of ${m.name}`}
              >
                Choose
              </button>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** The workgroups one leads or belongs to. */
export function WorkgroupsPage() {
  const { user } = useAuth();
  const list = useLoad(() => call(routes.workgroups.getWorkgroups), []);
  const [mine, setMine] = useState(false);
  const items = (list.data?.items ?? []).filter((w) => !mine || w.leader.id === user?.id);
  const card = (w: WorkgroupSummary) => (
    <li key={w.id} className="card" data-testid="workgroup-item">
      <Link to={`/workgroups/${w.id}`} className="a-title">
        <strong>{w.title}</strong>
      </Link>{" "}
      {w.leader.id === user?.id && <span className="badge">You lead</span>}
      <div className="muted small-text">
        Led by {w.leader.name} · {plural(w.memberCount, "person", "people")} · formed{" "}
        <time dateTime={w.createdAt}>{fullDate(w.createdAt)}</time>
      </div>
      <div className="small-text">{w.skills.join(", ")}</div>
    </li>
  );
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Workgroups</h1>
          <p className="muted">
            Describe a challenge; Knowhow proposes a small group who have shown the skills it needs and already know
            each other — and explains each pick.
          </p>
        </div>
        <div className="actions">
          <Link className="button primary" to="/workgroups/new">
            Form a workgroup
          </Link>
        </div>
      </div>
      <label className="radio">
        <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} /> Only the ones I lead
      </label>
      {list.loading && !list.data && <Loading />}
      <ErrorBox error={list.error} />
      {list.data && (
        <>
          <section aria-labelledby="wg-active">
            <h2 id="wg-active">Active</h2>
            {items.filter((w) => w.status === "active").length === 0 && <Empty>No active workgroup.</Empty>}
            <ul className="plain-list wg-list">{items.filter((w) => w.status === "active").map(card)}</ul>
          </section>
          <section aria-labelledby="wg-closed">
            <h2 id="wg-closed">Closed</h2>
            {items.filter((w) => w.status === "closed").length === 0 && <Empty>No closed workgroup.</Empty>}
            <ul className="plain-list wg-list">{items.filter((w) => w.status === "closed").map(card)}</ul>
          </section>
        </>
      )}
    </div>
  );
}

/** Describe a challenge, get skills, a proposed group with reasons and alternatives; swap seats; confirm. */
export function NewWorkgroupPage() {
  const navigate = useNavigate();
  const { user } = useAuth();
  const [form, setForm] = useState({
    title: "",
    description: "",
    skill: "",
    size: "4",
    minDepartments: "1",
    availableOnly: false,
  });
  const [skills, setSkills] = useState<string[]>([]);
  const [suggestions, setSuggestions] = useState<{ topic: string; why: string }[]>([]);
  const [mustInclude, setMustInclude] = useState<User[]>([]);
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState("");

  const addSkill = (raw: string) => {
    const s = raw.trim().toLowerCase();
    if (!s) return;
    setSkills((prev) => (prev.includes(s) ? prev : [...prev, s]));
    setForm((prev) => ({ ...prev, skill: "" }));
  };
  const onSkillKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter" || e.key === ",") {
      e.preventDefault();
      addSkill(form.skill);
    }
  };
  const suggest = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await call(routes.workgroups.postSkills, { body: { description: form.description } });
      setSuggestions(r.items);
      setSkills((prev) => [...new Set([...prev, ...r.items.map((i) => i.topic)])].slice(0, 8));
      setStatus(
        r.items.length ? `${plural(r.items.length, "skill")} suggested.` : "No skill found in the description.",
      );
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const propose = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await call(routes.workgroups.postPropose, {
        body: {
          title: form.title,
          description: form.description,
          skills,
          size: Number(form.size),
          minDepartments: Number(form.minDepartments),
          availableOnly: form.availableOnly,
          mustInclude: mustInclude.map((p) => p.id),
        },
      });
      setProposal(r);
      setStatus(`Proposed a group of ${plural(r.members.length, "person", "people")}.`);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const swap = async (seat: string, to: { id: string; name: string }) => {
    if (!proposal) return;
    setBusy(true);
    setError(null);
    try {
      const r = await call(routes.workgroups.postEvaluate, {
        body: {
          skills: proposal.skills,
          memberIds: proposal.members.map((m) => (m.id === seat ? to.id : m.id)),
          availableOnly: form.availableOnly,
        },
      });
      setProposal(r);
      setStatus(`${to.name} takes the seat; cost now ${r.cost.sum}.`);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const confirm = async () => {
    if (!proposal) return;
    setBusy(true);
    setError(null);
    try {
      const w = await call(routes.workgroups.postWorkgroups, {
        body: {
          title: form.title,
          description: form.description,
          skills: proposal.skills,
          memberIds: proposal.members.map((m) => m.id).filter((id) => id !== user?.id),
        },
      });
      navigate(`/workgroups/${w.id}`);
    } catch (err) {
      setError(err as ApiError);
      setBusy(false);
    }
  };
  const field = (name: string) =>
    error?.field(name) ? <span className="field-error">{error.field(name)}</span> : null;
  const names = new Map((proposal?.members ?? []).map((m) => [m.id, m.name]));
  const known = ["title", "description", "skills", "size", "minDepartments", "mustInclude", "memberIds"];
  return (
    <div className="page narrow">
      <h1>Form a workgroup</h1>
      <p className="muted">
        Describe the challenge. Knowhow suggests the skills it needs, then a group that covers them with people who
        already help each other. Swap anyone; you lead the group you confirm.
      </p>
      <form className="card form" onSubmit={propose} aria-label="Describe the challenge">
        {error && !known.some((k) => error.field(k)) && <ErrorBox error={error} />}
        <label className="field">
          <span>Title</span>
          <input
            value={form.title}
            onChange={(e) => setForm((prev) => ({ ...prev, title: e.target.value }))}
            maxLength={120}
          />
          {field("title")}
        </label>
        <label className="field">
          <span>The challenge (Markdown)</span>
          <textarea
            rows={4}
            value={form.description}
            onChange={(e) => setForm((prev) => ({ ...prev, description: e.target.value }))}
          />
          {field("description")}
        </label>
        <div className="actions">
          <button type="button" onClick={() => void suggest()} disabled={busy}>
            Suggest skills
          </button>
        </div>
        <div className="field">
          <label htmlFor="wg-skill">Skills needed (up to 8)</label>
          <div className="inline-form">
            <input
              id="wg-skill"
              value={form.skill}
              onChange={(e) => setForm((prev) => ({ ...prev, skill: e.target.value }))}
              onKeyDown={onSkillKey}
              placeholder="Add a skill and press Enter"
            />
            <button type="button" className="small" onClick={() => addSkill(form.skill)}>
              Add skill
            </button>
          </div>
          <div className="actions" role="group" aria-label="Skills needed">
            {skills.map((s) => (
              <button
                type="button"
                key={s}
                className="chip on"
                onClick={() => setSkills((prev) => prev.filter((x) => x !== s))}
                aria-label={`Remove skill ${s}`}
              >
                {s} ×
              </button>
            ))}
          </div>
          {field("skills")}
          {suggestions.length > 0 && (
            <details className="small-text">
              <summary>Why these skills</summary>
              <ul className="reasons">
                {suggestions.map((s) => (
                  <li key={s.topic}>
                    {skills.includes(s.topic) ? (
                      <strong>{s.topic}</strong>
                    ) : (
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => addSkill(s.topic)}
                        aria-label={`Add skill ${s.topic}`}
                      >
                        {s.topic}
                      </button>
                    )}
                    : {s.why}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
        <div className="row wrap">
          <label className="field">
            <span>Group size</span>
            <input
              type="number"
              min={2}
              max={12}
              value={form.size}
              onChange={(e) => setForm((prev) => ({ ...prev, size: e.target.value }))}
            />
            {field("size")}
          </label>
          <label className="field">
            <span>At least this many departments</span>
            <input
              type="number"
              min={1}
              max={6}
              value={form.minDepartments}
              onChange={(e) => setForm((prev) => ({ ...prev, minDepartments: e.target.value }))}
            />
            {field("minDepartments")}
          </label>
        </div>
        <label className="radio">
          <input
            type="checkbox"
            checked={form.availableOnly}
            onChange={(e) => setForm((prev) => ({ ...prev, availableOnly: e.target.checked }))}
          />{" "}
          Only people who are available (not away)
        </label>
        <PeoplePicker label="Must include" id="wg-people" chosen={mustInclude} onChange={setMustInclude} />
        {field("mustInclude")}
        <button className="primary" disabled={busy}>
          Propose a group
        </button>
      </form>
      <p role="status" className="muted small-text">
        {busy ? "Working…" : status}
      </p>
      {proposal && (
        <>
          <section aria-labelledby="wg-proposed">
            <h2 id="wg-proposed">Proposed group</h2>
            <p className="muted small-text">
              {plural(proposal.members.length, "person", "people")} from{" "}
              {plural(proposal.departments.length, "department")}: {proposal.departments.join(", ")}.{" "}
              {proposal.members.some((m) => m.id === user?.id)
                ? "You are one of them, and lead the group once you confirm it."
                : `You lead the group once you confirm it: ${plural(proposal.members.length + 1, "person", "people")} with you.`}
            </p>
            <ul className="plain-list wg-seats">
              {proposal.members.map((m) => (
                <SeatCard key={m.id} m={m} busy={busy} onSwap={(to) => void swap(m.id, to)} />
              ))}
            </ul>
          </section>
          <Warnings proposal={proposal} />
          <Coverage coverage={proposal.coverage} people={names} />
          <Cost proposal={proposal} />
          {field("memberIds")}
          <div className="actions">
            <button className="primary" onClick={() => void confirm()} disabled={busy}>
              Confirm workgroup
            </button>
          </div>
        </>
      )}
    </div>
  );
}

/** A workgroup: its challenge, skills, people, coverage, space and kick-off post; closing with a retrospective. */
export function WorkgroupPageView() {
  const { id = "" } = useParams();
  const w = useLoad(() => call(routes.workgroups.getWorkgroup, { params: { id } }), [id]);
  const [error, setError] = useState<ApiError | null>(null);
  const [closing, setClosing] = useState(false);
  if (w.error) return <ErrorBox error={w.error} />;
  if (!w.data) return <Loading />;
  const g: Workgroup = w.data;
  const people = new Map([g.leader, ...g.members].map((p) => [p.id, p.name]));
  const close = async () => {
    setClosing(true);
    setError(null);
    try {
      w.setData(await call(routes.workgroups.postClose, { params: { id: g.id } }));
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setClosing(false);
    }
  };
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{g.title}</h1>
          <p className="muted small-text">
            <span className={`badge status-${g.status}`}>{g.status === "active" ? "Active" : "Closed"}</span> · formed{" "}
            <time dateTime={g.createdAt}>{fullDate(g.createdAt)}</time>
            {g.closedAt && (
              <>
                {" "}
                · closed <time dateTime={g.closedAt}>{fullDate(g.closedAt)}</time>
              </>
            )}
          </p>
        </div>
        <div className="actions">
          {g.can.close && g.status === "active" && (
            <button onClick={() => void close()} disabled={closing}>
              Close with a retrospective
            </button>
          )}
          {g.retrospectiveId && (
            <Link className="button" to={`/retrospectives/${g.retrospectiveId}`}>
              Open the retrospective
            </Link>
          )}
        </div>
      </div>
      <ErrorBox error={error} />
      {g.descriptionHtml && <div className="markdown card" dangerouslySetInnerHTML={{ __html: g.descriptionHtml }} />}
      <p>
        <strong>Skills:</strong> {g.skills.join(", ")}
      </p>
      <section className="card" aria-labelledby="wg-where">
        <h2 id="wg-where">Where the group works</h2>
        <ul className="plain-list">
          <li>
            Private space: <Link to={`/spaces/${g.space.id}`}>{g.space.name}</Link>
          </li>
          {g.kickoffPostId && (
            <li>
              <Link to={`/feed#post-${g.kickoffPostId}`}>The kick-off post</Link>
            </li>
          )}
          {g.retrospectiveId && (
            <li>
              <Link to={`/retrospectives/${g.retrospectiveId}`}>The retrospective</Link>
            </li>
          )}
        </ul>
      </section>
      <section aria-labelledby="wg-people">
        <h2 id="wg-people">People</h2>
        <ul className="plain-list">
          <li>
            <PersonLine p={g.leader} lead />
          </li>
          {g.members.map((m) => (
            <li key={m.id}>
              <PersonLine p={m} />
            </li>
          ))}
        </ul>
      </section>
      <Coverage coverage={g.coverage} people={people} />
    </div>
  );
}
