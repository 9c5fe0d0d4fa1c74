import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { ApiError, call, routes } from "../api";
import { ErrorBox, Loading, ago, useLoad } from "../util";
import { useMarkdown } from "../markdown";

type Template = Awaited<ReturnType<typeof loadTemplates>>["items"][number];
const loadTemplates = (archived: boolean) =>
  call(routes.templates.getTemplates, { query: { archived: archived ? "true" : "false" } });

/** One template's form: name, what it is for, and its Markdown with a preview. */
function TemplateForm({
  initial,
  busy,
  error,
  onSave,
  onCancel,
}: {
  initial: { name: string; description: string; body: string };
  busy: boolean;
  error: ApiError | null;
  onSave: (v: { name: string; description: string; body: string }) => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState(initial);
  const render = useMarkdown();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave(form);
  };
  return (
    <form className="card form" onSubmit={submit} aria-label={initial.name ? `Edit ${initial.name}` : "New template"}>
      <label className="field">
        <span>Name</span>
        <input
          value={form.name}
          required
          aria-invalid={error?.field("name") ? true : undefined}
          onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
        />
        {error?.field("name") && <span className="field-error">{error.field("name")}</span>}
      </label>
      <label className="field">
        <span>What it is for</span>
        <input value={form.description} onChange={(e) => setForm((f) => ({ ...f, description: e.target.value }))} />
        {error?.field("description") && <span className="field-error">{error.field("description")}</span>}
      </label>
      <div className="editor">
        <label className="field editor-source">
          <span>Template (Markdown)</span>
          <textarea
            value={form.body}
            aria-invalid={error?.field("body") ? true : undefined}
            onChange={(e) => setForm((f) => ({ ...f, body: e.target.value }))}
          />
          {error?.field("body") && <span className="field-error">{error.field("body")}</span>}
        </label>
        <div className="editor-preview" tabIndex={0} role="region" aria-label="Template preview">
          <div className="prose" dangerouslySetInnerHTML={{ __html: render ? render(form.body) : "" }} />
        </div>
      </div>
      <ErrorBox error={error && !error.fields.length ? error : null} />
      <div className="actions">
        <button className="primary" disabled={busy}>
          {busy ? "Saving…" : "Save template"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Article templates: every writer sees them; knowledge managers and admins write and archive them. */
export function TemplatesPage() {
  const [showArchived, setShowArchived] = useState(false);
  const list = useLoad(() => loadTemplates(showArchived), [showArchived]);
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  if (list.error) return <ErrorBox error={list.error} />;
  if (!list.data) return <Loading />;
  const { items, canManage } = list.data;
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      setEditing(null);
      list.setData(await loadTemplates(showArchived));
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const card = (t: Template) =>
    editing === t.id ? (
      <li key={t.id}>
        <TemplateForm
          initial={t}
          busy={busy}
          error={error}
          onCancel={() => setEditing(null)}
          onSave={(v) =>
            void run(() =>
              call(routes.templates.patchTemplatesById, { params: { id: t.id }, body: { ...v, version: t.version } }),
            )
          }
        />
      </li>
    ) : (
      <li key={t.id} className="card">
        <h2 className="h3">
          {t.name} {t.key && <span className="badge">Built in</span>}{" "}
          {t.archived && <span className="badge draft">Archived</span>}
        </h2>
        <p className="muted">{t.description}</p>
        {t.defaultIn.length > 0 && (
          <p className="small-text">
            New articles start from it in:{" "}
            {t.defaultIn.map((s, i) => (
              <span key={s.id}>
                {i > 0 && ", "}
                <Link to={`/spaces/${s.id}`}>{s.name}</Link>
              </span>
            ))}
          </p>
        )}
        <p className="small-text muted">
          {t.updatedBy ? `Changed by ${t.updatedBy.name} ${ago(t.updatedAt)}` : "As shipped with Knowhow"}
        </p>
        {canManage && (
          <div className="actions">
            <button className="small" onClick={() => setEditing(t.id)} aria-label={`Edit ${t.name}`}>
              Edit
            </button>
            <button
              className="small"
              aria-label={`${t.archived ? "Restore" : "Archive"} ${t.name}`}
              onClick={() =>
                void run(() =>
                  call(routes.templates.patchTemplatesById, {
                    params: { id: t.id },
                    body: { version: t.version, archived: !t.archived },
                  }),
                )
              }
            >
              {t.archived ? "Restore" : "Archive"}
            </button>
          </div>
        )}
      </li>
    );
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Article templates</h1>
          <p className="muted">
            New articles can start from these. A space&apos;s owner picks the one its new articles start from in the
            space&apos;s settings.
          </p>
        </div>
        {canManage && (
          <div className="actions">
            <label className="inline">
              <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} /> Show
              archived
            </label>
            <button className="primary" onClick={() => setEditing("new")}>
              New template
            </button>
          </div>
        )}
      </div>
      {editing === "new" && (
        <TemplateForm
          initial={{ name: "", description: "", body: "" }}
          busy={busy}
          error={error}
          onCancel={() => setEditing(null)}
          onSave={(v) => void run(() => call(routes.templates.postTemplates, { body: v }))}
        />
      )}
      {editing === null && <ErrorBox error={error} />}
      <ul className="stack plain">{items.map(card)}</ul>
    </div>
  );
}
