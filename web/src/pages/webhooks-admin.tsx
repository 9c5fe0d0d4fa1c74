import { useEffect, useState, type FormEvent } from "react";
import { ApiError, call, routes } from "../api";
import { Empty, ErrorBox, Loading, ago, useLoad } from "../util";

// Outgoing webhooks on the admin page: where new questions, answers and published articles are
// sent (Knowhow's signed JSON, a Slack or a Teams channel), and every delivery's outcome.

const EVENT_LABEL: Record<string, string> = {
  "question.created": "New questions",
  "answer.created": "New answers",
  "article.published": "Articles published",
  "article.updated": "Published articles edited",
};
const FORMAT_LABEL = { json: "JSON (signed)", slack: "Slack message", teams: "Microsoft Teams card" } as const;
type Format = keyof typeof FORMAT_LABEL;

export function WebhooksAdmin({ onChanged }: { onChanged: () => void }) {
  const hooks = useLoad(() => call(routes.webhooks.getWebhooks), []);
  const spaces = useLoad(() => call(routes.spaces.getSpaces), []);
  const [error, setError] = useState<ApiError | null>(null);
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<string | null>(null);

  const add = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    try {
      setError(null);
      const made = await call(routes.webhooks.postWebhooks, {
        body: {
          name: String(f.get("name")),
          url: String(f.get("url")),
          format: f.get("format") as Format,
          events: f.getAll("events").map(String) as never,
          spaceId: (f.get("spaceId") as string) || null,
        },
      });
      setAdding(false);
      setOpen(made.id);
      hooks.reload();
      onChanged();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const act = async (run: () => Promise<unknown>) => {
    try {
      setError(null);
      await run();
      hooks.reload();
      onChanged();
    } catch (err) {
      setError(err as ApiError);
      hooks.reload();
    }
  };
  const publicSpaces = (spaces.data?.items ?? []).filter((s) => s.visibility === "public");
  return (
    <section className="card" aria-labelledby="webhooks-title">
      <div className="list-tools">
        <h2 id="webhooks-title">Webhooks</h2>
        {!adding && (
          <button className="primary" onClick={() => setAdding(true)}>
            Add a webhook
          </button>
        )}
      </div>
      <p className="muted small-text">
        New questions, answers and articles in places everyone may read, sent to another system or a Slack or Teams
        channel as they happen. Failed deliveries are retried for about a day.
      </p>
      <ErrorBox error={error} />
      {adding && (
        <form className="form" onSubmit={add} aria-label="New webhook">
          <label className="field">
            <span>Name</span>
            <input name="name" required placeholder="e.g. Slack #warehouse" />
            {error?.field("name") && <span className="field-error">{error.field("name")}</span>}
          </label>
          <label className="field">
            <span>Address (URL)</span>
            <input name="url" type="url" required placeholder="https://hooks.slack.com/services/…" />
            {error?.field("url") && <span className="field-error">{error.field("url")}</span>}
          </label>
          <label className="field">
            <span>Format</span>
            <select name="format" defaultValue="json">
              {Object.entries(FORMAT_LABEL).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="field">
            <legend>Events</legend>
            {(hooks.data?.events ?? Object.keys(EVENT_LABEL)).map((ev) => (
              <label key={ev} className="check">
                <input type="checkbox" name="events" value={ev} defaultChecked={ev !== "article.updated"} />{" "}
                {EVENT_LABEL[ev] ?? ev}
              </label>
            ))}
            {error?.field("events") && <span className="field-error">{error.field("events")}</span>}
          </fieldset>
          <label className="field">
            <span>Only from one space</span>
            <select name="spaceId" defaultValue="">
              <option value="">Anywhere everyone may read</option>
              {publicSpaces.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
            {error?.field("spaceId") && <span className="field-error">{error.field("spaceId")}</span>}
          </label>
          <div className="actions">
            <button className="primary">Save webhook</button>
            <button type="button" onClick={() => setAdding(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {hooks.loading && !hooks.data && <Loading />}
      {hooks.data?.items.length === 0 && !adding && <Empty>No webhooks yet.</Empty>}
      <ul className="plain-list webhook-list">
        {hooks.data?.items.map((h) => (
          <li key={h.id} className="webhook">
            <div className="webhook-head">
              <strong>{h.name}</strong>{" "}
              <span className={`badge ${h.enabled ? "" : "draft"}`}>{h.enabled ? "On" : "Off"}</span>{" "}
              <span className="muted small-text">
                {FORMAT_LABEL[h.format]} · {h.events.map((ev) => EVENT_LABEL[ev] ?? ev).join(", ")}
                {h.space ? ` · only ${h.space.name}` : ""}
              </span>
              <div className="muted small-text webhook-url">{h.url}</div>
              {h.lastDelivery && (
                <div className="small-text">
                  Last delivery {ago(h.lastDelivery.createdAt)}:{" "}
                  <DeliveryStatus status={h.lastDelivery.status} code={h.lastDelivery.responseStatus} />
                </div>
              )}
            </div>
            <div className="actions">
              <button
                className="small"
                onClick={() => setOpen(open === h.id ? null : h.id)}
                aria-expanded={open === h.id}
              >
                Deliveries<span className="sr-only"> of {h.name}</span>
              </button>
              <button
                className="small"
                onClick={() => {
                  setOpen(h.id);
                  void act(() => call(routes.webhooks.postWebhooksByIdPing, { params: { id: h.id } }));
                }}
              >
                Send a test<span className="sr-only"> to {h.name}</span>
              </button>
              <button
                className="small"
                onClick={() =>
                  void act(() =>
                    call(routes.webhooks.patchWebhooksById, {
                      params: { id: h.id },
                      body: { version: h.version, enabled: !h.enabled },
                    }),
                  )
                }
              >
                {h.enabled ? "Turn off" : "Turn on"}
                <span className="sr-only"> {h.name}</span>
              </button>
              <button
                className="small danger"
                onClick={() =>
                  confirm(`Delete the webhook "${h.name}"? Its delivery log goes too.`) &&
                  void act(() => call(routes.webhooks.deleteWebhooksById, { params: { id: h.id } }))
                }
              >
                Delete<span className="sr-only"> {h.name}</span>
              </button>
            </div>
            {open === h.id && (
              <>
                <Secret value={h.secret} name={h.name} />
                <Deliveries
                  webhookId={h.id}
                  name={h.name}
                  latest={h.lastDelivery?.createdAt ?? ""}
                  onRedelivered={hooks.reload}
                />
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function DeliveryStatus({ status, code }: { status: string; code: number | null }) {
  const label = status === "delivered" ? "delivered" : status === "failed" ? "failed" : "waiting";
  return (
    <span className={`delivery-status ${status}`}>
      {label}
      {code ? ` (HTTP ${code})` : ""}
    </span>
  );
}

function Secret({ value, name }: { value: string; name: string }) {
  const [shown, setShown] = useState(false);
  return (
    <p className="small-text">
      Signing secret: <code>{shown ? value : "whsec_••••••••"}</code>{" "}
      <button className="small" onClick={() => setShown((s) => !s)}>
        {shown ? "Hide" : "Show"}
        <span className="sr-only"> the secret of {name}</span>
      </button>{" "}
      <span className="muted">
        Each request carries <code>Knowhow-Signature: t=…,v1=…</code>, the HMAC-SHA256 of <code>t.body</code>.
      </span>
    </p>
  );
}

function Deliveries({
  webhookId,
  name,
  latest,
  onRedelivered,
}: {
  webhookId: string;
  name: string;
  /** When the newest delivery was made: a new one (a test, a redelivery) reloads the log. */
  latest: string;
  onRedelivered: () => void;
}) {
  const list = useLoad(
    () => call(routes.webhooks.getWebhooksByIdDeliveries, { params: { id: webhookId } }),
    [webhookId, latest],
  );
  const [error, setError] = useState<ApiError | null>(null);
  const waiting = (list.data?.items ?? []).some((d) => d.status === "pending");
  // While something is on its way, the log follows it.
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => list.reload(), 1500);
    return () => clearInterval(timer);
  }, [waiting, list]);
  const redeliver = async (id: string) => {
    try {
      setError(null);
      await call(routes.webhooks.postWebhooksByIdDeliveriesByDeliveryIdRedeliver, {
        params: { id: webhookId, deliveryId: id },
      });
      list.reload();
      onRedelivered();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={`Deliveries of ${name}`}>
      <ErrorBox error={error} />
      {list.data?.items.length === 0 && <Empty>Nothing sent yet.</Empty>}
      {list.data && list.data.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>When</th>
              <th>Event</th>
              <th>Outcome</th>
              <th>Attempts</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((d) => (
              <tr key={d.id}>
                <td>{ago(d.createdAt)}</td>
                <td>
                  <code>{d.event}</code>
                </td>
                <td>
                  <DeliveryStatus status={d.status} code={d.responseStatus} />
                  {d.status !== "delivered" && d.lastError && (
                    <div className="muted small-text">
                      {d.lastError}
                      {d.nextAttemptAt ? ` · next try ${ago(d.nextAttemptAt)}` : ""}
                    </div>
                  )}
                  {d.durationMs !== null && <div className="muted small-text">{d.durationMs} ms</div>}
                </td>
                <td>{d.attempts}</td>
                <td>
                  <button className="small" onClick={() => void redeliver(d.id)}>
                    Redeliver<span className="sr-only"> {d.event}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
