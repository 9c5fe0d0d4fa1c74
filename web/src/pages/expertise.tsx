import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { ApiError, call, routes, type QueryFor } from "../api";
import { useMe } from "../auth";
import { Avatar, Empty, ErrorBox, Loading, ago, plural, useLoad } from "../util";
import { AvailabilityBadge, Reasons } from "./inbox";
import type { ExpertHit, Expertise } from "../contracts";
export type { ExpertHit, Expertise };

const KIND: Record<string, string> = {
  accepted_answer: "Accepted answer",
  answer: "Answer",
  article: "Article",
  article_update: "Updated article",
};

/** "Who knows X": ranked colleagues with the evidence for each and whether they can be asked now. */
export function WhoKnows({ departments }: { departments: string[] }) {
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const [availability, setAvailability] = useState("any");
  const [department, setDepartment] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(t);
  }, [text]);
  const result = useLoad(
    () =>
      q.length >= 2
        ? call(routes.expertise.getExperts, {
            query: {
              q,
              availability: availability as QueryFor<typeof routes.expertise.getExperts>["availability"],
              ...(department ? { department } : {}),
            },
          })
        : Promise.resolve(null),
    [q, availability, department],
  );
  return (
    <section className="card who-knows" aria-label="Who knows">
      <h2>Who knows…</h2>
      <div className="list-tools">
        <label className="field grow">
          <span>A topic, a tool or a problem</span>
          <input
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="e.g. customs declaration Norway"
          />
        </label>
        <label className="field">
          <span>Availability</span>
          <select value={availability} onChange={(e) => setAvailability(e.target.value)}>
            <option value="any">Anyone</option>
            <option value="available">Available</option>
            <option value="reachable">Can be asked now</option>
          </select>
        </label>
        <label className="field">
          <span>Department</span>
          <select value={department} onChange={(e) => setDepartment(e.target.value)}>
            <option value="">All</option>
            {departments.map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBox error={result.error} />
      {q.length >= 2 && result.loading && !result.data && <Loading />}
      {result.data && result.data.items.length === 0 && (
        <Empty>
          Nobody has shown knowledge of that yet. Ask it as a question: the answer makes someone findable next time.
        </Empty>
      )}
      <ol className="expert-list">
        {result.data?.items.map((p, i) => (
          <li key={p.id} className="expert" data-testid="expert">
            <span className="rank">{i + 1}</span>
            <Avatar name={p.name} size={36} />
            <div className="grow">
              <Link to={`/people/${p.id}`}>
                <strong>{p.name}</strong>
              </Link>{" "}
              <span className="muted">{[p.title, p.department].filter(Boolean).join(" · ")}</span>{" "}
              <AvailabilityBadge a={p.availability} />
              <Reasons reasons={p.reasons} />
            </div>
            <meter
              min={0}
              max={result.data!.items[0].score || 1}
              value={p.score}
              title={`score ${p.score}`}
              aria-label="Relative expertise"
            />
          </li>
        ))}
      </ol>
    </section>
  );
}

function EndorseButton({
  personId,
  tag,
  mine,
  canEndorse,
  onDone,
}: {
  personId: string;
  tag: string;
  mine: boolean;
  canEndorse: boolean;
  onDone: (e: Expertise) => void;
}) {
  if (!canEndorse) return null;
  return (
    <button
      className={`small${mine ? " on" : ""}`}
      aria-pressed={mine}
      title={mine ? "Withdraw your endorsement" : `Vouch for their ${tag} knowledge`}
      onClick={async () =>
        onDone(
          mine
            ? await call(routes.expertise.deletePeopleEndorsementsByTag, { params: { id: personId, tag } })
            : await call(routes.expertise.postPeopleEndorsements, { params: { id: personId }, body: { tag } }),
        )
      }
    >
      {mine ? "✓ Endorsed" : "+ Endorse"}
    </button>
  );
}

function SkillsEditor({ skills, onSaved }: { skills: string[]; onSaved: (e: Expertise) => void }) {
  const [text, setText] = useState(skills.join(", "));
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setError(null);
      onSaved(
        await call(routes.expertise.putMeSkills, {
          body: {
            skills: text
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean),
          },
        }),
      );
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="My skills">
      <label className="field grow">
        <span>Skills I have (comma separated)</span>
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="e.g. customs, SAP, forklift safety"
        />
        {error && <span className="field-error">{error.fields[0]?.message ?? error.message}</span>}
      </label>
      <button className="small">Save skills</button>
    </form>
  );
}

/** A person's expertise from what they did: topics with strength bars, the evidence, endorsements, declared skills. */
export function ProfileExpertise({ personId, canEndorse }: { personId: string; canEndorse: boolean }) {
  const me = useMe();
  const data = useLoad(() => call(routes.expertise.getPeopleExpertise, { params: { id: personId } }), [personId]);
  if (data.loading && !data.data) return <Loading />;
  if (!data.data) return <ErrorBox error={data.error} />;
  const x = data.data;
  return (
    <section className="card expertise" aria-label="Expertise">
      <div className="page-head">
        <h2>Expertise</h2>
        <AvailabilityBadge a={x.availability} />
      </div>
      <p className="muted small-text">
        From what they did: {plural(x.totals.answers, "answer")} ({x.totals.accepted} accepted),{" "}
        {plural(x.totals.articles, "article")}, {plural(x.totals.endorsements, "endorsement")}. Older evidence counts
        less.
      </p>
      {x.topics.length === 0 && <Empty>No evidence yet.</Empty>}
      <ul className="topic-list">
        {x.topics.map((t) => (
          <li key={t.tag} data-testid="topic">
            <div className="topic-head">
              <span className="tag">#{t.tag}</span>
              <span className="bar" role="img" aria-label={`strength ${Math.round(t.level * 100)} %`}>
                <span style={{ width: `${Math.max(4, t.level * 100)}%` }} />
              </span>
              {t.selfDeclared && <span className="badge">self-declared</span>}
              <span className="muted small-text">
                {t.counts.answers > 0 &&
                  `${plural(t.counts.answers, "answer")}${t.counts.accepted ? ` (${t.counts.accepted} accepted)` : ""} `}
                {t.counts.articles > 0 && `${plural(t.counts.articles, "article")} `}
                {t.endorsedBy.length > 0 && `· endorsed by ${t.endorsedBy.map((e) => e.name).join(", ")}`}
              </span>
              <EndorseButton
                personId={personId}
                tag={t.tag}
                mine={t.endorsedByMe}
                canEndorse={canEndorse}
                onDone={data.setData}
              />
            </div>
            {t.evidence.length > 0 && (
              <details>
                <summary>Why</summary>
                <ul className="reasons">
                  {t.evidence.map((e, i) => (
                    <li key={i}>
                      <span className="muted">{KIND[e.kind] ?? e.kind}: </span>
                      <Link to={e.url}>{e.title}</Link>
                      <span className="muted"> · {ago(e.at)}</span>
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </li>
        ))}
      </ul>
      {x.unbackedSkills.length > 0 && (
        <div className="declared">
          <h3>Says they know (no evidence yet)</h3>
          <ul className="plain-list">
            {x.unbackedSkills.map((s) => (
              <li key={s.tag}>
                <span className="tag">#{s.tag}</span>{" "}
                {s.endorsedBy.length > 0 && (
                  <span className="muted small-text">endorsed by {s.endorsedBy.map((e) => e.name).join(", ")}</span>
                )}{" "}
                <EndorseButton
                  personId={personId}
                  tag={s.tag}
                  mine={s.endorsedByMe}
                  canEndorse={canEndorse}
                  onDone={data.setData}
                />
              </li>
            ))}
          </ul>
        </div>
      )}
      {me.id === personId && <SkillsEditor skills={x.skills} onSaved={data.setData} />}
    </section>
  );
}
