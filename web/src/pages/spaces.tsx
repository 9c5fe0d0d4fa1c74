import { useState, type FormEvent } from "react";
import { SpaceVerification } from "./verification";
import { FollowSpace } from "./learning";
import { PageTree } from "./page-tree";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { ApiError, type ArticleSummary, call, routes, type Space, type QueryFor } from "../api";
import { useMe } from "../auth";
import { Avatar, Empty, ErrorBox, Loading, RadioGroup, Tags, ago, useLoad } from "../util";
import type { Member } from "../contracts";

export function ArticleList({ items }: { items: ArticleSummary[] }) {
  if (items.length === 0) return <Empty>No articles yet.</Empty>;
  return (
    <ul className="article-list">
      {items.map((a) => (
        <li key={a.id}>
          <Link to={`/articles/${a.id}`} className="a-title">
            {a.title}
          </Link>
          {a.status === "draft" && <span className="badge draft">Draft</span>}
          <div className="a-excerpt">{a.excerpt}</div>
          <div className="a-meta">
            <span>{a.spaceName}</span> · <span>{a.owner.name}</span> ·{" "}
            <span title={a.updatedAt}>updated {ago(a.updatedAt)}</span> <Tags tags={a.tags} />
          </div>
        </li>
      ))}
    </ul>
  );
}

export function HomePage() {
  const me = useMe();
  const recent = useLoad(() => call(routes.articles.getArticles, { query: { sort: "updated", limit: 12 } }), []);
  const drafts = useLoad(
    () => call(routes.articles.getArticles, { query: { status: "draft", ownerId: me.id, limit: 10 } }),
    [me.id],
  );
  const spaces = useLoad(() => call(routes.spaces.getSpaces), []);
  const mine = (spaces.data?.items ?? []).filter((s) => s.myRole);
  return (
    <div className="page">
      <h1 data-title="Home">
        Good {new Date().getHours() < 12 ? "morning" : new Date().getHours() < 18 ? "afternoon" : "evening"},{" "}
        {me.name.split(" ")[0]}
      </h1>
      <div className="grid-2">
        <section className="card">
          <h2>Recently updated</h2>
          {recent.loading ? <Loading /> : <ErrorBox error={recent.error} />}
          {recent.data && <ArticleList items={recent.data.items} />}
        </section>
        <div className="stack">
          <section className="card">
            <h2>My drafts</h2>
            {drafts.data && drafts.data.items.length === 0 && <Empty>No drafts. Start one from a space.</Empty>}
            <ul className="plain-list">
              {drafts.data?.items.map((a) => (
                <li key={a.id}>
                  <Link to={`/articles/${a.id}/edit`}>{a.title}</Link> <span className="muted">{ago(a.updatedAt)}</span>
                </li>
              ))}
            </ul>
          </section>
          <section className="card">
            <h2>My spaces</h2>
            {spaces.loading && <Loading />}
            {spaces.data && mine.length === 0 && <Empty>You are not a member of a space yet.</Empty>}
            <ul className="plain-list">
              {mine.map((s) => (
                <li key={s.id}>
                  <Link to={`/spaces/${s.id}`}>{s.name}</Link> <span className="muted">{s.articleCount} articles</span>
                </li>
              ))}
            </ul>
          </section>
        </div>
      </div>
    </div>
  );
}

export function SpacesPage() {
  const me = useMe();
  const navigate = useNavigate();
  const spaces = useLoad(() => call(routes.spaces.getSpaces), []);
  const [creating, setCreating] = useState(false);
  const [form, setForm] = useState({ name: "", description: "", visibility: "public" as "public" | "private" });
  const [error, setError] = useState<ApiError | null>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const s = await call(routes.spaces.postSpaces, { body: form });
      navigate(`/spaces/${s.id}`);
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <div className="page">
      <div className="page-head">
        <h1>Spaces</h1>
        {me.can.createSpace && (
          <button className="primary" onClick={() => setCreating((c) => !c)}>
            New space
          </button>
        )}
      </div>
      {creating && (
        <form className="card form" onSubmit={create} aria-label="New space">
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
            <span>Description</span>
            <input
              value={form.description}
              onChange={(e) => setForm((prev) => ({ ...prev, description: e.target.value }))}
            />
          </label>
          <RadioGroup
            legend="Who can see it"
            name="visibility"
            value={form.visibility}
            options={[
              { value: "public", label: "Everyone in the organisation" },
              { value: "private", label: "Only members I add (private)" },
            ]}
            onChange={(visibility) => setForm({ ...form, visibility })}
          />
          {error && !error.fields.length && <ErrorBox error={error} />}
          <div className="actions">
            <button className="primary">Create space</button>
            <button type="button" onClick={() => setCreating(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {spaces.loading && <Loading />}
      <ErrorBox error={spaces.error} />
      <div className="space-grid">
        {spaces.data?.items.map((s) => (
          <Link key={s.id} to={`/spaces/${s.id}`} className="card space-card">
            <h2>
              {s.name} {s.visibility === "private" && <span className="badge private">Private</span>}
            </h2>
            <p>{s.description || <span className="muted">No description</span>}</p>
            <span className="muted">
              {s.articleCount} articles{s.myRole ? ` · you are ${s.myRole}` : ""}
            </span>
          </Link>
        ))}
      </div>
    </div>
  );
}

function Members({ space }: { space: Space }) {
  const manage = space.myRole === "owner";
  const members = useLoad(() => call(routes.spaces.getSpacesMembers, { params: { id: space.id } }), [space.id]);
  const [q, setQ] = useState("");
  const [found, setFound] = useState<{ id: string; name: string; title: string }[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const search = async (text: string) => {
    setQ(text);
    if (text.trim().length < 2) return setFound([]);
    const r = await call(routes.people.getPeople, { query: { q: text, limit: "6" } });
    setFound(r.items);
  };
  const setRole = async (userId: string, role: string) => {
    try {
      setError(null);
      await call(routes.spaces.putSpacesMembersByUserId, {
        params: { id: space.id, userId },
        body: { role: role as Member["role"] },
      });
      setQ("");
      setFound([]);
      members.reload();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const remove = async (userId: string) => {
    try {
      setError(null);
      await call(routes.spaces.deleteSpacesMembersByUserId, { params: { id: space.id, userId } });
      members.reload();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <section className="card" aria-label="Members">
      <h2>Members</h2>
      <ErrorBox error={error} />
      {members.loading && <Loading />}
      <ul className="member-list">
        {members.data?.items.map((m) => (
          <li key={m.user.id}>
            <Avatar name={m.user.name} size={26} />
            <Link to={`/people/${m.user.id}`}>{m.user.name}</Link>
            {manage ? (
              <>
                <select
                  aria-label={`Role of ${m.user.name}`}
                  value={m.role}
                  onChange={(e) => void setRole(m.user.id, e.target.value)}
                >
                  <option value="owner">owner</option>
                  <option value="editor">editor</option>
                  <option value="viewer">viewer</option>
                </select>
                <button className="small" aria-label={`Remove ${m.user.name}`} onClick={() => void remove(m.user.id)}>
                  ×
                </button>
              </>
            ) : (
              <span className="muted">{m.role}</span>
            )}
          </li>
        ))}
      </ul>
      {manage && (
        <div className="add-member">
          <label className="field">
            <span>Add a person</span>
            <input value={q} placeholder="Name or email" onChange={(e) => void search(e.target.value)} />
          </label>
          <ul className="plain-list">
            {found.map((p) => (
              <li key={p.id}>
                {p.name} <span className="muted">{p.title}</span>{" "}
                <button className="small" onClick={() => void setRole(p.id, "editor")}>
                  Add as editor
                </button>{" "}
                <button className="small" onClick={() => void setRole(p.id, "viewer")}>
                  Add as viewer
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** The template new articles in the space start from (the templates page manages them). */
function DefaultTemplateField({ current }: { current: string | null }) {
  const templates = useLoad(() => call(routes.templates.getTemplates), []);
  if (!templates.data) return <Loading />;
  return (
    <label className="field">
      <span>
        New articles start from (<Link to="/templates">templates</Link>)
      </span>
      <select name="defaultTemplateId" defaultValue={current ?? ""}>
        <option value="">A blank page</option>
        {templates.data.items.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function SpacePage() {
  const { id = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const sort = params.get("sort") ?? "updated";
  const tag = params.get("tag") ?? "";
  const space = useLoad(() => call(routes.spaces.getSpacesById, { params: { id } }), [id]);
  const list = useLoad(
    () =>
      call(routes.articles.getArticles, {
        query: {
          spaceId: id,
          sort: sort as QueryFor<typeof routes.articles.getArticles>["sort"],
          limit: "100",
          ...(tag ? { tag } : {}),
        },
      }),
    [id, sort, tag],
  );
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const navigate = useNavigate();
  const user = useMe();
  if (space.loading && !space.data) return <Loading />;
  if (!space.data) return <ErrorBox error={space.error} />;
  const s = space.data;
  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    try {
      space.setData(
        await call(routes.spaces.patchSpacesById, {
          params: { id: s.id },
          body: {
            name: f.get("name") as string,
            description: f.get("description") as string,
            visibility: f.get("visibility") as Space["visibility"],
            memberAccess: f.get("memberAccess") as Space["memberAccess"],
            defaultTemplateId: (f.get("defaultTemplateId") as string) || null,
          },
        }),
      );
      setEditing(false);
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <div className="breadcrumb">
            <Link to="/spaces">Spaces</Link> /
          </div>
          <h1>
            {s.name} {s.visibility === "private" && <span className="badge private">Private</span>}
          </h1>
          <p className="muted">{s.description}</p>
          <SpaceVerification spaceId={s.id} />
        </div>
        <div className="actions">
          <FollowSpace spaceId={s.id} />
          {s.canEdit && (
            <Link className="button primary" to={`/spaces/${s.id}/new`}>
              New article
            </Link>
          )}
          {s.myRole === "owner" && <button onClick={() => setEditing((x) => !x)}>Settings</button>}
          {user.role !== "guest" && (
            <button
              onClick={async () => {
                try {
                  const p = await call(routes.paths.postFromSpace, { body: { spaceId: s.id } });
                  void navigate(`/paths/${p.id}`);
                } catch (err) {
                  setError(err as ApiError);
                }
              }}
              title="Its published articles in page order, as a draft onboarding path you can edit"
            >
              Make a learning path
            </button>
          )}
        </div>
      </div>
      {!editing && <ErrorBox error={error} />}
      {editing && (
        <form className="card form" onSubmit={save} aria-label="Space settings">
          <label className="field">
            <span>Name</span>
            <input name="name" defaultValue={s.name} required />
          </label>
          <label className="field">
            <span>Description</span>
            <input name="description" defaultValue={s.description} />
          </label>
          <label className="field">
            <span>Visibility</span>
            <select name="visibility" defaultValue={s.visibility}>
              <option value="public">Everyone in the organisation</option>
              <option value="private">Members only</option>
            </select>
          </label>
          <label className="field">
            <span>In a space for everyone, people who are not members may</span>
            <select name="memberAccess" defaultValue={s.memberAccess}>
              <option value="editor">read and write</option>
              <option value="viewer">only read</option>
            </select>
          </label>
          <DefaultTemplateField current={s.defaultTemplateId} />
          <ErrorBox error={error} />
          <button className="primary">Save settings</button>
        </form>
      )}
      <div className="grid-2">
        <div className="stack">
          <PageTree spaceId={s.id} spaceName={s.name} />
          <section className="card" aria-label="All articles">
            <h2>All articles</h2>
            <div className="list-tools">
              <label>
                Sort{" "}
                <select value={sort} onChange={(e) => setParams({ sort: e.target.value, ...(tag ? { tag } : {}) })}>
                  <option value="updated">Recently updated</option>
                  <option value="title">Title</option>
                </select>
              </label>
              {tag && (
                <button className="chip" onClick={() => setParams({ sort })}>
                  #{tag} ×
                </button>
              )}
              <span className="muted">{list.data?.total ?? 0} articles</span>
            </div>
            {list.loading && !list.data && <Loading />}
            {list.data && <ArticleList items={list.data.items} />}
          </section>
        </div>
        <Members space={s} />
      </div>
    </div>
  );
}
