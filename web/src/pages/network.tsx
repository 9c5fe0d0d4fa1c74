import { useEffect, useMemo, useRef, useState } from "react";
import Graph from "graphology";
import Sigma from "sigma";
import forceAtlas2 from "graphology-layout-forceatlas2";
import { call, routes, urlFor } from "../api";
import { useMe } from "../auth";
import { ErrorBox, Loading, useLoad } from "../util";
import { blend, rgbCss, textOn } from "../contrast";

/** A heat-map cell's colour for a share 0–1 of the largest flow. */
const heat = (share: number) => blend([36, 88, 214], 0.08 + 0.85 * share);
import type { NetworkView } from "../contracts";

type EdgeType = NetworkView["edgeTypes"][number];
/** The kinds of tie the in-app map can count; sessions (presenter to attendee) are off unless chosen. */
const EDGE_KINDS: { type: EdgeType; label: string }[] = [
  { type: "answers", label: "Answers" },
  { type: "community", label: "Community answers" },
  { type: "comments", label: "Comments" },
  { type: "edits", label: "Article edits" },
  { type: "sessions", label: "Sessions attended" },
  { type: "mentoring", label: "Mentoring" },
];
const DEFAULT_EDGES: EdgeType[] = ["answers", "community", "comments", "edits"];

type View = NetworkView;
type SizeBy = "pagerank" | "betweenness" | "inDegree";

/** Well-separated colours as hex (sigma's WebGL renderer reads hex and rgb, not hsl). */
function colour(i: number): string {
  const h = ((i * 137.508) % 360) / 360;
  const s = 0.62;
  const l = i % 2 ? 0.42 : 0.52;
  const f = (n: number) => {
    const k = (n + h * 12) % 12;
    const c = l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255)
      .toString(16)
      .padStart(2, "0");
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

/** The map: people (or departments) as a force-directed graph drawn with WebGL by sigma. */
function MapCanvas(props: {
  view: View;
  colourBy: "department" | "community";
  sizeBy: SizeBy;
  focus: string | null;
  onSelect: (id: string | null) => void;
  onDrawn: (ms: number) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const sigmaRef = useRef<Sigma | null>(null);
  const focusRef = useRef<string | null>(null);
  const { view, colourBy, sizeBy } = props;

  useEffect(() => {
    if (!container.current) return;
    const started = performance.now();
    const g = new Graph({ type: "directed", multi: false });
    const deptIndex = new Map(view.flow.departments.map((d, i) => [d, i]));
    if (view.level === "person" && view.people) {
      const max = Math.max(1e-12, ...view.people.map((p) => p[sizeBy]));
      view.people.forEach((p, i) => {
        const group = colourBy === "department" ? (deptIndex.get(p.department) ?? 0) : p.community;
        const angle =
          (2 * Math.PI * group) /
          Math.max(1, colourBy === "department" ? view.flow.departments.length : view.communities);
        g.addNode(p.id, {
          label: p.label,
          x: Math.cos(angle) * 10 + Math.cos(i) * 2,
          y: Math.sin(angle) * 10 + Math.sin(i * 1.3) * 2,
          size: 3 + 14 * Math.sqrt(p[sizeBy] / max),
          color: colour(group),
        });
      });
      for (const e of view.edges ?? [])
        if (e.source !== e.target && g.hasNode(e.source) && g.hasNode(e.target))
          g.mergeEdge(e.source, e.target, { size: Math.min(4, 0.5 + Math.log1p(e.weight)), color: "#c9d1dc" });
    } else {
      const maxPeople = Math.max(1, ...view.departments.map((d) => d.people));
      view.departments.forEach((d, i) => {
        const angle = (2 * Math.PI * i) / Math.max(1, view.departments.length);
        g.addNode(d.name, {
          label: `${d.name} (${d.people})`,
          x: Math.cos(angle) * 10,
          y: Math.sin(angle) * 10,
          size: 6 + 20 * Math.sqrt(d.people / maxPeople),
          color: colour(i),
        });
      });
      const maxFlow = Math.max(1e-9, ...view.flow.matrix.flatMap((row, i) => row.filter((_, j) => j !== i)));
      view.flow.matrix.forEach((row, i) =>
        row.forEach((w, j) => {
          if (i !== j && w > 0)
            g.mergeEdge(view.flow.departments[i], view.flow.departments[j], {
              size: 0.5 + 6 * (w / maxFlow),
              color: "#b8c4d6",
            });
        }),
      );
    }
    if (g.order > 1 && g.size > 0)
      forceAtlas2.assign(g, {
        iterations: g.order > 2000 ? 60 : 150,
        settings: { ...forceAtlas2.inferSettings(g), barnesHutOptimize: g.order > 500 },
      });
    const renderer = new Sigma(g, container.current, {
      renderEdgeLabels: false,
      labelRenderedSizeThreshold: view.level === "person" ? 9 : 0,
      defaultEdgeType: "arrow",
      zIndex: true,
      nodeReducer: (node, data) => {
        const f = focusRef.current;
        if (!f) return data;
        if (node === f) return { ...data, highlighted: true, zIndex: 2, forceLabel: true };
        if (g.areNeighbors(node, f)) return { ...data, zIndex: 1, forceLabel: true };
        return { ...data, color: "#e3e7ee", label: "", zIndex: 0 };
      },
      edgeReducer: (edge, data) => {
        const f = focusRef.current;
        if (!f) return data;
        return g.hasExtremity(edge, f)
          ? { ...data, color: "#2458d6", size: (data.size ?? 1) + 1, zIndex: 1 }
          : { ...data, hidden: true };
      },
    });
    renderer.on("clickNode", ({ node }) => props.onSelect(node));
    renderer.on("clickStage", () => props.onSelect(null));
    sigmaRef.current = renderer;
    requestAnimationFrame(() => props.onDrawn(performance.now() - started));
    return () => {
      renderer.kill();
      sigmaRef.current = null;
    };
  }, [view, colourBy, sizeBy]);

  useEffect(() => {
    focusRef.current = props.focus;
    const r = sigmaRef.current;
    if (!r) return;
    r.refresh();
    if (props.focus && r.getGraph().hasNode(props.focus)) {
      const pos = r.getNodeDisplayData(props.focus);
      if (pos) void r.getCamera().animate({ x: pos.x, y: pos.y, ratio: 0.6 }, { duration: 400 });
    }
  }, [props.focus]);

  return <div ref={container} className="map-canvas" data-testid="network-map" role="img" aria-label="Network map" />;
}

/** Composes sigma's stacked canvases into one PNG. */
function exportPng(name: string) {
  const layers = [...document.querySelectorAll<HTMLCanvasElement>(".map-canvas canvas")];
  if (layers.length === 0) return;
  const out = document.createElement("canvas");
  out.width = layers[0].width;
  out.height = layers[0].height;
  const c = out.getContext("2d")!;
  c.fillStyle = "#fff";
  c.fillRect(0, 0, out.width, out.height);
  for (const l of layers) c.drawImage(l, 0, 0);
  const a = document.createElement("a");
  a.download = `${name}.png`;
  a.href = out.toDataURL("image/png");
  a.click();
}

export function NetworkPage() {
  const me = useMe();
  const individuals = me.can.viewNetworkIndividuals;
  const datasets = useLoad(() => call(routes.network.getNetworkDatasets), []);
  const [source, setSource] = useState<string>("");
  const [level, setLevel] = useState<"person" | "department">(individuals ? "person" : "department");
  const [colourBy, setColourBy] = useState<"department" | "community">("department");
  const [sizeBy, setSizeBy] = useState<SizeBy>("pagerank");
  const [topic, setTopic] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [edgeTypes, setEdgeTypes] = useState<EdgeType[]>([...DEFAULT_EDGES]);
  const [focus, setFocus] = useState<string | null>(null);
  const [find, setFind] = useState("");
  const [drawMs, setDrawMs] = useState<number | null>(null);
  useEffect(() => {
    if (!source && datasets.data) setSource(datasets.data.items[0]?.id ?? "app");
  }, [datasets.data, source]);
  const query = useMemo(
    () => ({
      source: source || "app",
      level,
      ...(source === "app" && topic ? { topic } : {}),
      ...(source === "app" && from ? { from } : {}),
      ...(source === "app" && to ? { to } : {}),
      ...(source === "app" && edgeTypes.join(",") !== DEFAULT_EDGES.join(",")
        ? {
            edges: EDGE_KINDS.map((k) => k.type)
              .filter((t) => edgeTypes.includes(t))
              .join(","),
          }
        : {}),
    }),
    [source, level, topic, from, to, edgeTypes],
  );
  const view = useLoad(
    () => (source ? call(routes.network.getNetwork, { query }) : new Promise<View>(() => undefined)),
    [JSON.stringify(query), source],
  );
  const v = view.data;
  const selected = v?.people?.find((p) => p.id === focus) ?? null;
  const ties = useMemo(() => {
    if (!v?.edges || !focus) return [];
    const label = new Map(v.people!.map((p) => [p.id, p.label]));
    return v.edges
      .filter((e) => e.source === focus || e.target === focus)
      .map((e) =>
        e.source === focus
          ? `helped ${label.get(e.target)} (${e.weight})`
          : `was helped by ${label.get(e.source)} (${e.weight})`,
      );
  }, [v, focus]);
  const maxFlow = v ? Math.max(1e-9, ...v.flow.matrix.flat()) : 1;
  return (
    <div className="page wide">
      <h1>Who helps whom</h1>
      <p className="muted">
        Knowledge flows through people. Find the brokers, the silos and the topics that hang on one person.
      </p>
      <div className="map-toolbar">
        <label className="field">
          <span>Network</span>
          <select
            value={source}
            onChange={(e) => {
              setSource(e.target.value);
              setFocus(null);
            }}
          >
            <option value="app">Knowhow interactions</option>
            {datasets.data?.items.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.nodes} people)
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Level</span>
          <select
            value={level}
            onChange={(e) => {
              setLevel(e.target.value as "person" | "department");
              setFocus(null);
            }}
          >
            <option value="department">Departments</option>
            <option value="person" disabled={!individuals}>
              People{individuals ? "" : " (admins and knowledge managers)"}
            </option>
          </select>
        </label>
        {level === "person" && (
          <>
            <label className="field">
              <span>Colour by</span>
              <select value={colourBy} onChange={(e) => setColourBy(e.target.value as "department" | "community")}>
                <option value="department">Department</option>
                <option value="community">Community (Louvain)</option>
              </select>
            </label>
            <label className="field">
              <span>Size by</span>
              <select value={sizeBy} onChange={(e) => setSizeBy(e.target.value as SizeBy)}>
                <option value="pagerank">PageRank</option>
                <option value="betweenness">Betweenness (brokers)</option>
                <option value="inDegree">Help received</option>
              </select>
            </label>
            <label className="field">
              <span>Find a person</span>
              <input
                list="network-people"
                value={find}
                onChange={(e) => {
                  setFind(e.target.value);
                  const hit = v?.people?.find((p) => p.label.toLowerCase() === e.target.value.toLowerCase());
                  if (hit) setFocus(hit.id);
                }}
                placeholder="Type a name"
              />
              <datalist id="network-people">
                {v?.people?.map((p) => (
                  <option key={p.id} value={p.label} />
                ))}
              </datalist>
            </label>
          </>
        )}
        {source === "app" && (
          <>
            <label className="field">
              <span>Topic</span>
              <input value={topic} onChange={(e) => setTopic(e.target.value)} placeholder="any" />
            </label>
            <label className="field">
              <span>From</span>
              <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
            </label>
            <label className="field">
              <span>To</span>
              <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
            </label>
            <fieldset className="field edge-types">
              <legend>Ties from</legend>
              {EDGE_KINDS.filter((k) => k.type !== "mentoring" || individuals).map((k) => (
                <label key={k.type} className="radio">
                  <input
                    type="checkbox"
                    checked={edgeTypes.includes(k.type)}
                    disabled={edgeTypes.length === 1 && edgeTypes.includes(k.type)}
                    onChange={(e) =>
                      setEdgeTypes((now) => (e.target.checked ? [...now, k.type] : now.filter((t) => t !== k.type)))
                    }
                  />{" "}
                  {k.label}
                </label>
              ))}
            </fieldset>
          </>
        )}
        <div className="actions">
          <button onClick={() => exportPng(`network-${level}`)}>Export PNG</button>
          <a className="button" href={urlFor(routes.network.getNetworkExportCsv, { query })}>
            Export CSV
          </a>
        </div>
      </div>
      <ErrorBox error={view.error ?? datasets.error} />
      {(view.loading || !v) && !view.error && <Loading label="Computing the network…" />}
      {v && (
        <div className="map-layout">
          <MapCanvas
            view={v}
            colourBy={colourBy}
            sizeBy={sizeBy}
            focus={focus}
            onSelect={setFocus}
            onDrawn={setDrawMs}
          />
          <aside className="map-side">
            <section className="card">
              <div className="stats">
                <div>
                  <strong>
                    {v.level === "person" ? v.people!.length : v.departments.reduce((s, d) => s + d.people, 0)}
                  </strong>
                  <span>people</span>
                </div>
                <div>
                  <strong>{v.departments.length}</strong>
                  <span>departments</span>
                </div>
                <div>
                  <strong>{v.communities}</strong>
                  <span>communities</span>
                </div>
                <div>
                  <strong>{v.modularity.toFixed(2)}</strong>
                  <span>modularity</span>
                </div>
              </div>
              {drawMs !== null && (
                <p className="muted small-text" data-testid="draw-time">
                  Drawn in {drawMs.toFixed(0)} ms
                </p>
              )}
            </section>
            {selected && (
              <section className="card" data-testid="selected-person">
                <h2>{selected.label}</h2>
                <p className="muted">{selected.department}</p>
                <table className="table">
                  <tbody>
                    <tr>
                      <td>Help given</td>
                      <td>{selected.outDegree}</td>
                    </tr>
                    <tr>
                      <td>Help received</td>
                      <td>{selected.inDegree}</td>
                    </tr>
                    <tr>
                      <td>Betweenness</td>
                      <td>{selected.betweenness.toFixed(4)}</td>
                    </tr>
                    <tr>
                      <td>PageRank</td>
                      <td>{selected.pagerank.toFixed(4)}</td>
                    </tr>
                    <tr>
                      <td>Community</td>
                      <td>{selected.community}</td>
                    </tr>
                  </tbody>
                </table>
                <h3>Ties ({ties.length})</h3>
                <ul className="plain-list small-text" data-testid="ties">
                  {ties.slice(0, 30).map((t) => (
                    <li key={t}>{t}</li>
                  ))}
                </ul>
                <button className="small" onClick={() => setFocus(null)}>
                  Clear focus
                </button>
              </section>
            )}
            <section className="card">
              <h2>Silos</h2>
              <p className="muted small-text">Share of each department's flow that stays inside it.</p>
              <ul className="bars" data-testid="silos">
                {[...v.departments]
                  .sort((a, b) => b.silo - a.silo)
                  .map((d) => (
                    <li key={d.name}>
                      <span className="bar-label" title={d.name}>
                        {d.name}
                      </span>
                      <span className="bar">
                        <span style={{ width: `${Math.round(d.silo * 100)}%` }} />
                      </span>
                      <span className="bar-value">{Math.round(d.silo * 100)}%</span>
                    </li>
                  ))}
              </ul>
            </section>
            {v.newcomersByDepartment && (
              <section className="card" data-testid="newcomers">
                <h2>Newcomers without ties</h2>
                <p className="muted small-text">
                  Joined more than four weeks ago and not yet helped or helping anyone.
                </p>
                {v.newcomers ? (
                  v.newcomers.length === 0 ? (
                    <p className="muted">Everyone who joined lately is connected.</p>
                  ) : (
                    <ul className="plain-list small-text">
                      {v.newcomers.map((n) => (
                        <li key={n.id}>
                          <a href={`/people/${n.id}`}>{n.label}</a>{" "}
                          <span className="muted">
                            {n.department} · joined {n.joinedAt.slice(0, 10)}
                          </span>
                        </li>
                      ))}
                    </ul>
                  )
                ) : Object.keys(v.newcomersByDepartment).length === 0 ? (
                  <p className="muted">Everyone who joined lately is connected.</p>
                ) : (
                  <ul className="plain-list small-text">
                    {Object.entries(v.newcomersByDepartment).map(([d, n]) => (
                      <li key={d}>
                        {d}: {n}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            )}
            {v.topics && v.topics.length > 0 && (
              <section className="card">
                <h2>Topics that hang on few people</h2>
                <ul className="plain-list small-text">
                  {v.topics.slice(0, 10).map((t) => (
                    <li key={t.topic}>
                      <strong>#{t.topic}</strong> bus factor {t.busFactor}: {t.people.map((p) => p.label).join(", ")}
                    </li>
                  ))}
                </ul>
              </section>
            )}
          </aside>
        </div>
      )}
      {v && v.departments.length > 0 && v.departments.length <= 60 && (
        <section className="card flow-card">
          <h2>Flow between departments</h2>
          <p className="muted small-text">Rows help columns; darker cells carry more help.</p>
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Department flows">
            <table className="heatmap" aria-label="Department flow matrix">
              <thead>
                <tr>
                  <th />
                  {v.flow.departments.map((d) => (
                    <th key={d} title={d}>
                      {d.slice(0, 12)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {v.flow.matrix.map((row, i) => (
                  <tr key={v.flow.departments[i]}>
                    <th>{v.flow.departments[i]}</th>
                    {row.map((w, j) => (
                      <td
                        key={j}
                        style={{
                          // The text colour is chosen for contrast with the cell's computed colour.
                          background: w > 0 ? rgbCss(heat(w / maxFlow)) : undefined,
                          color: w > 0 ? textOn(heat(w / maxFlow)) : undefined,
                        }}
                        title={`${v.flow.departments[i]} → ${v.flow.departments[j]}: ${w}`}
                      >
                        {w > 0 ? Math.round(w * 10) / 10 : ""}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </div>
  );
}
