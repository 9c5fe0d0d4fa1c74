import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, call, routes, type User } from "../api";
import { useMe } from "../auth";
import { Empty, ErrorBox, Loading, plural, useLoad } from "../util";
import type { Cohort, CohortUnit } from "../contracts";
import { PeoplePicker } from "./feedback";

const PHASE_STATUS: Record<Cohort["phases"][number]["status"], string> = {
  planned: "Planned",
  proposed: "Proposed",
  running: "Running",
  done: "Done",
};

/** Cohorts I am in, and (for knowledge managers) all of them with a form to start one. */
export function CohortsPage() {
  const list = useLoad(() => call(routes.cohorts.getCohorts), []);
  const [open, setOpen] = useState(false);
  if (list.error) return <ErrorBox error={list.error} />;
  if (!list.data) return <Loading />;
  return (
    <div className="page">
      <div className="row wrap spread">
        <h1>Cohorts</h1>
        {list.data.can.create && (
          <button className="primary" onClick={() => setOpen(!open)} aria-expanded={open}>
            New cohort
          </button>
        )}
      </div>
      <p className="muted">
        A cohort follows a learning path in phases, in small units that learn in parallel. Between phases the units are
        reshuffled so people meet new colleagues, and the lead rotates.
      </p>
      {open && <NewCohort />}
      {list.data.items.length === 0 ? (
        <Empty>You are in no cohort.</Empty>
      ) : (
        <ul className="plain-list">
          {list.data.items.map((c) => (
            <li key={c.id} className="card">
              <Link to={`/cohorts/${c.id}`}>
                <strong>{c.name}</strong>
              </Link>{" "}
              {c.status === "closed" && <span className="badge">Closed</span>}
              <div className="muted small-text">
                {c.pathTitle} · {plural(c.members, "member")} ·{" "}
                {c.currentPhase
                  ? `phase ${c.currentPhase} of ${c.phases}`
                  : `${plural(c.phases, "phase")}, not started`}
                {c.myUnit !== null && ` · you are in unit ${c.myUnit}`}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

type PhaseDraft = { fromStep: string; toStep: string; startsOn: string; endsOn: string };

function NewCohort() {
  const paths = useLoad(() => call(routes.paths.getPaths), []);
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: "", pathId: "", unitSize: "5", minDepartments: "2" });
  const [people, setPeople] = useState<User[]>([]);
  const [phases, setPhases] = useState<PhaseDraft[]>([{ fromStep: "1", toStep: "1", startsOn: "", endsOn: "" }]);
  const [error, setError] = useState<ApiError | null>(null);
  const published = paths.data?.items.filter((p) => p.status === "published") ?? [];
  const setPhase = (i: number, patch: Partial<PhaseDraft>) =>
    setPhases((prev) => prev.map((p, k) => (k === i ? { ...p, ...patch } : p)));
  return (
    <form
      className="card form"
      aria-label="New cohort"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        try {
          const c = await call(routes.cohorts.postCohorts, {
            body: {
              name: form.name,
              pathId: form.pathId,
              unitSize: Number(form.unitSize),
              minDepartments: Number(form.minDepartments),
              memberIds: people.map((p) => p.id),
              phases: phases.map((p) => ({
                fromStep: Number(p.fromStep),
                toStep: Number(p.toStep),
                startsOn: p.startsOn,
                endsOn: p.endsOn,
              })),
            },
          });
          void navigate(`/cohorts/${c.id}`);
        } catch (err) {
          setError(err as ApiError);
        }
      }}
    >
      <label className="field">
        <span>Name</span>
        <input required value={form.name} onChange={(e) => setForm((prev) => ({ ...prev, name: e.target.value }))} />
        {error?.field("name") && <span className="field-error">{error.field("name")}</span>}
      </label>
      <label className="field">
        <span>Learning path</span>
        <select required value={form.pathId} onChange={(e) => setForm((prev) => ({ ...prev, pathId: e.target.value }))}>
          <option value="">Choose a published path…</option>
          {published.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title} ({plural(p.steps, "step")})
            </option>
          ))}
        </select>
        {error?.field("pathId") && <span className="field-error">{error.field("pathId")}</span>}
      </label>
      <div className="row wrap">
        <label className="field">
          <span>People per unit</span>
          <input
            type="number"
            min={3}
            max={8}
            value={form.unitSize}
            onChange={(e) => setForm((prev) => ({ ...prev, unitSize: e.target.value }))}
          />
          {error?.field("unitSize") && <span className="field-error">{error.field("unitSize")}</span>}
        </label>
        <label className="field">
          <span>Departments per unit (at least)</span>
          <input
            type="number"
            min={1}
            max={4}
            value={form.minDepartments}
            onChange={(e) => setForm((prev) => ({ ...prev, minDepartments: e.target.value }))}
          />
        </label>
      </div>
      <PeoplePicker chosen={people} onChange={setPeople} label="Members" id="cohort-people" />
      {error?.field("memberIds") && <span className="field-error">{error.field("memberIds")}</span>}
      <fieldset className="field">
        <legend>Phases (a range of the path's steps, with dates)</legend>
        {phases.map((p, i) => (
          <div key={i} className="row wrap" role="group" aria-label={`Phase ${i + 1}`}>
            <label className="field">
              <span>From step</span>
              <input
                type="number"
                min={1}
                value={p.fromStep}
                onChange={(e) => setPhase(i, { fromStep: e.target.value })}
              />
            </label>
            <label className="field">
              <span>To step</span>
              <input type="number" min={1} value={p.toStep} onChange={(e) => setPhase(i, { toStep: e.target.value })} />
              {error?.field(`phases.${i}.toStep`) && (
                <span className="field-error">{error.field(`phases.${i}.toStep`)}</span>
              )}
            </label>
            <label className="field">
              <span>Starts</span>
              <input
                type="date"
                required
                value={p.startsOn}
                onChange={(e) => setPhase(i, { startsOn: e.target.value })}
              />
              {error?.field(`phases.${i}.startsOn`) && (
                <span className="field-error">{error.field(`phases.${i}.startsOn`)}</span>
              )}
            </label>
            <label className="field">
              <span>Ends</span>
              <input type="date" required value={p.endsOn} onChange={(e) => setPhase(i, { endsOn: e.target.value })} />
              {error?.field(`phases.${i}.endsOn`) && (
                <span className="field-error">{error.field(`phases.${i}.endsOn`)}</span>
              )}
            </label>
          </div>
        ))}
        <button
          type="button"
          onClick={() =>
            setPhases((prev) => {
              const last = prev[prev.length - 1];
              const next = String(Number(last.toStep) + 1);
              return [...prev, { fromStep: next, toStep: next, startsOn: last.endsOn, endsOn: "" }];
            })
          }
        >
          Add a phase
        </button>
      </fieldset>
      <ErrorBox error={error && !error.fields?.length ? error : null} />
      <button className="primary">Create and propose units</button>
    </form>
  );
}

function UnitCard({ u, phaseSteps, me }: { u: CohortUnit; phaseSteps: number; me: string | null }) {
  const mine = me !== null && u.members.some((m) => m.id === me);
  return (
    <li className={`card unit-card${mine ? " mine" : ""}`} aria-label={`Unit ${u.number}`}>
      <div className="row wrap spread">
        <strong>Unit {u.number}</strong>
        {mine && <span className="badge">Your unit</span>}
      </div>
      <ul className="plain-list">
        {u.members.map((m) => (
          <li key={m.id}>
            <Link to={`/people/${m.id}`}>{m.name}</Link> <span className="muted small-text">{m.department}</span>
            {u.lead?.id === m.id && <span className="badge">Lead</span>}
            {m.evidence && (
              <span className="badge" title="Has shown knowledge of the path's topics">
                Knows the topic
              </span>
            )}
          </li>
        ))}
      </ul>
      <span className="bar" role="img" aria-label={`Unit ${u.number} progress: ${u.progress} of ${phaseSteps} steps`}>
        <span style={{ width: `${Math.min(100, Math.round((u.progress / Math.max(1, phaseSteps)) * 100))}%` }} />
      </span>
      <p className="small-text muted">
        {u.progress} of {phaseSteps} steps on average
        {u.checkScore !== null && ` · ${Math.round(u.checkScore * 100)} % of checks right first time`} · {u.active}{" "}
        active this fortnight
      </p>
      <details>
        <summary>Why this unit</summary>
        <ul className="small-text">
          {u.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      </details>
    </li>
  );
}

/** A cohort: the phases with their units, the risks watched, the dashboard; for knowledge managers, running it. */
export function CohortPageView() {
  const { id = "" } = useParams();
  const load = useLoad(() => call(routes.cohorts.getCohort, { params: { id } }), [id]);
  const me = useMe();
  const [override, setOverride] = useState<Cohort | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [pin, setPin] = useState({ aId: "", bId: "", kind: "together" as "together" | "apart" | "none" });
  const c = override && override.id === id ? override : load.data;
  if (load.error) return <ErrorBox error={load.error} />;
  if (!c) return <Loading />;
  const act = async (f: () => Promise<Cohort>) => {
    setBusy(true);
    try {
      setError(null);
      setOverride(await f());
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const running = c.phases.find((p) => p.status === "running") ?? null;
  const proposed = c.phases.find((p) => p.status === "proposed") ?? null;
  const planned = c.phases.find((p) => p.status === "planned") ?? null;
  const active = c.members.filter((m) => !m.dropped);
  const d = c.dashboard;
  const meId = me.id;
  return (
    <div className="page cohort-page">
      <p className="muted small-text">
        <Link to="/cohorts">Cohorts</Link>
      </p>
      <h1>{c.name}</h1>
      <p className="muted">
        On <Link to={`/paths/${c.path.id}`}>{c.path.title}</Link> · {plural(active.length, "member")} · units of{" "}
        {c.unitSize} · {c.currentPhase ? `phase ${c.currentPhase} of ${c.phases.length}` : "not started"}
        {c.space && (
          <>
            {" "}
            · <Link to={`/spaces/${c.space.id}`}>Cohort feed</Link>
          </>
        )}
      </p>
      <ErrorBox error={error} />
      {c.warnings.length > 0 && (
        <section className="card warning" aria-labelledby="cohort-warnings">
          <h2 id="cohort-warnings">Watch out</h2>
          <ul>
            {c.warnings.map((w) => (
              <li key={`${w.kind}-${w.unit}`}>
                {w.text}{" "}
                {c.can.manage && w.kind === "spread" && running && (
                  <button
                    disabled={busy}
                    onClick={() =>
                      void act(() =>
                        call(routes.cohorts.postSync, {
                          params: { id: c.id },
                          body: { step: running.toStep, by: running.endsOn },
                        }),
                      )
                    }
                  >
                    Set a sync point
                  </button>
                )}
                {c.can.manage && w.kind === "small" && (
                  <button
                    disabled={busy}
                    onClick={() => void act(() => call(routes.cohorts.postRebalance, { params: { id: c.id } }))}
                  >
                    Rebalance
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="card" aria-labelledby="cohort-dashboard">
        <h2 id="cohort-dashboard">How the cohort is doing</h2>
        <ul className="bars wide-values">
          <li>
            <span className="bar-label">Participation (last 14 days)</span>
            <span className="bar" role="img" aria-label={`Participation: ${Math.round(d.participation * 100)} %`}>
              <span style={{ width: `${Math.round(d.participation * 100)}%` }} />
            </span>
            <span className="bar-value">{Math.round(d.participation * 100)} %</span>
          </li>
          <li>
            <span className="bar-label">Colleagues met in a unit</span>
            <span className="bar" role="img" aria-label={`Pairs met: ${d.pairsMet} of ${d.pairsPossible}`}>
              <span style={{ width: `${Math.round((d.pairsMet / Math.max(1, d.pairsPossible)) * 100)}%` }} />
            </span>
            <span className="bar-value">
              {d.pairsMet} of {d.pairsPossible} pairs
            </span>
          </li>
          <li>
            <span className="bar-label">Help ties between members: before</span>
            <span className="bar" role="img" aria-label={`Help ties before the cohort: ${d.tiesBefore}`}>
              <span style={{ width: `${Math.min(100, d.tiesBefore * 10)}%` }} />
            </span>
            <span className="bar-value">{d.tiesBefore}</span>
          </li>
          <li>
            <span className="bar-label">… and new since it started</span>
            <span className="bar" role="img" aria-label={`New help ties since: ${d.tiesSince}`}>
              <span style={{ width: `${Math.min(100, d.tiesSince * 10)}%` }} />
            </span>
            <span className="bar-value">{d.tiesSince}</span>
          </li>
        </ul>
      </section>
      {c.can.manage && (
        <div className="actions">
          {!proposed && planned && (
            <button
              disabled={busy}
              onClick={() => void act(() => call(routes.cohorts.postPropose, { params: { id: c.id } }))}
            >
              Propose units for phase {planned.number}
            </button>
          )}
          {proposed && (
            <>
              <button
                disabled={busy}
                onClick={() => void act(() => call(routes.cohorts.postPropose, { params: { id: c.id } }))}
              >
                Propose again
              </button>
              <button
                className="primary"
                disabled={busy}
                onClick={() => void act(() => call(routes.cohorts.postStartPhase, { params: { id: c.id } }))}
              >
                {running
                  ? `End phase ${running.number} and start phase ${proposed.number}`
                  : `Start phase ${proposed.number}`}
              </button>
            </>
          )}
        </div>
      )}
      {[proposed, running]
        .filter((p): p is NonNullable<typeof p> => p !== null)
        .map((phase) => (
          <section key={phase.id} aria-labelledby={`phase-${phase.number}`}>
            <h2 id={`phase-${phase.number}`}>
              Phase {phase.number}: steps {phase.fromStep}–{phase.toStep}{" "}
              <span className="badge">{PHASE_STATUS[phase.status]}</span>
            </h2>
            <p className="muted small-text">
              {phase.startsOn} – {phase.endsOn}
              {phase.explanation &&
                ` · ${phase.explanation.newPairs} of ${phase.explanation.totalPairs} pairings new, ${phase.explanation.repeatedPairs} repeated`}
              {phase.sync && ` · sync point: every unit at step ${phase.sync.step} by ${phase.sync.by}`}
            </p>
            <ul className="plain-list unit-grid">
              {phase.units.map((u) => (
                <UnitCard key={u.id} u={u} phaseSteps={phase.toStep - phase.fromStep + 1} me={meId} />
              ))}
            </ul>
          </section>
        ))}
      <section aria-labelledby="cohort-phases">
        <h2 id="cohort-phases">Plan</h2>
        <ol>
          {c.phases.map((p) => (
            <li key={p.id}>
              Steps {p.fromStep}–{p.toStep}, {p.startsOn} – {p.endsOn} · {PHASE_STATUS[p.status]}
            </li>
          ))}
        </ol>
      </section>
      {c.can.manage && (
        <section className="card" aria-labelledby="cohort-pins">
          <h2 id="cohort-pins">Keep together or apart</h2>
          {c.pins.length > 0 && (
            <ul className="small-text">
              {c.pins.map((p) => (
                <li key={`${p.a.id}-${p.b.id}`}>
                  {p.a.name} and {p.b.name}: {p.kind}
                </li>
              ))}
            </ul>
          )}
          <form
            className="form row wrap"
            aria-label="Pin two people"
            onSubmit={(e) => {
              e.preventDefault();
              void act(() => call(routes.cohorts.putPin, { params: { id: c.id }, body: pin }));
            }}
          >
            {(["aId", "bId"] as const).map((k, i) => (
              <label key={k} className="field">
                <span>{i === 0 ? "Person" : "and"}</span>
                <select required value={pin[k]} onChange={(e) => setPin((prev) => ({ ...prev, [k]: e.target.value }))}>
                  <option value="">Choose…</option>
                  {active.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name}
                    </option>
                  ))}
                </select>
              </label>
            ))}
            <label className="field">
              <span>Rule</span>
              <select
                value={pin.kind}
                onChange={(e) => setPin((prev) => ({ ...prev, kind: e.target.value as typeof prev.kind }))}
              >
                <option value="together">Together</option>
                <option value="apart">Apart</option>
                <option value="none">No rule</option>
              </select>
            </label>
            <button>Save rule</button>
          </form>
          <p className="muted small-text">Rules apply from the next proposal.</p>
        </section>
      )}
    </div>
  );
}
