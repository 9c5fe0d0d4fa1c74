import { useEffect, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { ApiError, call, routes, type SearchResult, type User, type BodyFor } from "../api";
import { useMe } from "../auth";
import { AudienceSelect, Avatar, Empty, ErrorBox, Loading, Tags, ago, plural, useLoad } from "../util";
import type { Follow, Lesson, Post, Retro, RetroItem } from "../contracts";
import { SuggestedSessions } from "./inbox";

/** What each reaction says, for screen readers and tooltips. */
const REACTION_NAMES: Record<string, string> = {
  "👍": "Agree",
  "💡": "Insightful",
  "🎉": "Celebrate",
  "❤️": "Love it",
  "🙏": "Thank you",
};

const splitTags = (s: string) =>
  s
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);

/** Lessons from search for the words someone is typing: proposed when asking a question or writing an article. */
export function RelatedLessons({ text }: { text: string }) {
  const [items, setItems] = useState<SearchResult["items"]>([]);
  useEffect(() => {
    if (text.trim().length < 4) return setItems([]);
    const t = setTimeout(() => {
      call(routes.search.getSearch, { query: { q: text, limit: "20" } })
        .then((r) => setItems(r.items.filter((i) => i.type === "lesson").slice(0, 3)))
        .catch(() => undefined);
    }, 300);
    return () => clearTimeout(t);
  }, [text]);
  if (items.length === 0) return null;
  return (
    <aside className="card related-lessons" aria-label="Lessons learned on this" data-testid="related-lessons">
      <h3>Lessons learned on this</h3>
      <ul className="plain-list">
        {items.map((l) => (
          <li key={l.id}>
            <Link to={`/lessons/${l.id}`} target="_blank" dangerouslySetInnerHTML={{ __html: l.titleHtml }} />
            <div className="muted small-text" dangerouslySetInnerHTML={{ __html: l.snippet }} />
          </li>
        ))}
      </ul>
    </aside>
  );
}

export function LessonsPage() {
  const [params, setParams] = useSearchParams();
  const tag = params.get("tag") ?? "";
  const list = useLoad(() => call(routes.lessons.getLessons, { query: tag ? { tag } : {} }), [tag]);
  const me = useMe();
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Lessons learned</h1>
          <p className="muted">
            Mistakes shared blamelessly and what retrospectives taught us — so nobody has to make them twice.
          </p>
        </div>
        <div className="actions">
          <Link className="button" to="/retrospectives">
            Retrospectives
          </Link>
          {me.can.writeLesson && (
            <Link className="button primary" to="/lessons/new">
              Share a lesson
            </Link>
          )}
        </div>
      </div>
      {tag && (
        <button className="chip on" onClick={() => setParams({})}>
          #{tag} ×
        </button>
      )}
      {list.loading && !list.data && <Loading />}
      <ErrorBox error={list.error} />
      {list.data?.items.length === 0 && (
        <Empty>No lessons yet. The first one is the hardest — and the most useful.</Empty>
      )}
      <ul className="lesson-list">
        {list.data?.items.map((l) => (
          <li key={l.id} className="card" data-testid="lesson">
            <Link to={`/lessons/${l.id}`} className="a-title">
              {l.title}
            </Link>{" "}
            <span className="badge">{l.kind === "mistake" ? "mistake report" : "from a retrospective"}</span>
            <div className="a-excerpt">{l.learned.slice(0, 220)}</div>
            <div className="a-meta">
              {l.author ? l.author.name : "Anonymous"} · {ago(l.createdAt)} {l.space && `· ${l.space.name}`}{" "}
              <Tags tags={l.tags} />
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function LessonForm({ initial, onSaved }: { initial?: Lesson; onSaved: (l: Lesson) => void }) {
  const [f, setF] = useState({
    title: initial?.title ?? "",
    whatHappened: initial?.whatHappened ?? "",
    impact: initial?.impact ?? "",
    learned: initial?.learned ?? "",
    instead: initial?.instead ?? "",
    tags: initial?.tags.join(", ") ?? "",
    spaceId: initial?.space?.id ?? "",
    anonymous: initial?.anonymous ?? false,
  });
  const [error, setError] = useState<ApiError | null>(null);
  const set = (patch: Partial<typeof f>) => setF((x) => ({ ...x, ...patch }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { ...f, tags: splitTags(f.tags), spaceId: f.spaceId || null };
    try {
      setError(null);
      onSaved(
        initial
          ? await call(routes.lessons.putLessonsById, {
              params: { id: initial.id },
              body: { ...body, version: initial.version },
            })
          : await call(routes.lessons.postLessons, { body }),
      );
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const field = (key: "whatHappened" | "impact" | "learned" | "instead", label: string, rows = 3) => (
    <label className="field">
      <span>{label}</span>
      <textarea
        rows={rows}
        value={f[key]}
        onChange={(e) => set({ [key]: e.target.value })}
        aria-invalid={!!error?.field(key) || undefined}
      />
      {error?.field(key) && <span className="field-error">{error.field(key)}</span>}
    </label>
  );
  return (
    <form className="card form" onSubmit={submit} aria-label="Lesson">
      {error && !error.fields.length && <ErrorBox error={error} />}
      <p className="muted small-text">
        Blameless: describe what happened and why the system allowed it, not who is to blame.
      </p>
      <label className="field">
        <span>Title</span>
        <input
          value={f.title}
          onChange={(e) => set({ title: e.target.value })}
          aria-invalid={!!error?.field("title") || undefined}
        />
        {error?.field("title") && <span className="field-error">{error.field("title")}</span>}
      </label>
      {field("whatHappened", "What happened")}
      {field("impact", "Impact", 2)}
      {field("learned", "What we learned")}
      {field("instead", "What to do instead")}
      <label className="field">
        <span>Tags (comma separated)</span>
        <input value={f.tags} onChange={(e) => set({ tags: e.target.value })} />
      </label>
      <AudienceSelect value={f.spaceId} onChange={(spaceId) => set({ spaceId })} />
      <label className="radio">
        <input type="checkbox" checked={f.anonymous} onChange={(e) => set({ anonymous: e.target.checked })} /> Share
        anonymously (readers will not see your name; admins can, for audit)
      </label>
      <button className="primary">{initial ? "Save lesson" : "Share lesson"}</button>
    </form>
  );
}

export function NewLessonPage() {
  const navigate = useNavigate();
  return (
    <div className="page narrow">
      <h1>Share a lesson</h1>
      <LessonForm onSaved={(l) => navigate(`/lessons/${l.id}`)} />
    </div>
  );
}

export function LessonPage() {
  const { id = "" } = useParams();
  const lesson = useLoad(() => call(routes.lessons.getLessonsById, { params: { id } }), [id]);
  const [editing, setEditing] = useState(false);
  if (lesson.loading && !lesson.data) return <Loading />;
  if (!lesson.data) return <ErrorBox error={lesson.error} />;
  const l = lesson.data;
  if (editing)
    return (
      <div className="page narrow">
        <h1>Edit lesson</h1>
        <LessonForm
          initial={l}
          onSaved={(x) => {
            lesson.setData(x);
            setEditing(false);
          }}
        />
      </div>
    );
  const section = (title: string, html: string) =>
    html.trim() ? (
      <section>
        <h2>{title}</h2>
        <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />
      </section>
    ) : null;
  return (
    <article className="page narrow lesson">
      <div className="breadcrumb">
        <Link to="/lessons">Lessons learned</Link> /
      </div>
      <div className="page-head">
        <h1>{l.title}</h1>
        {l.can.edit && <button onClick={() => setEditing(true)}>Edit</button>}
      </div>
      <div className="a-meta" data-testid="lesson-byline">
        {l.author ? (
          <>
            <Avatar name={l.author.name} size={20} /> {l.author.name}
            {l.authorVisibleForAudit && <span className="badge">anonymous to readers — shown to you for audit</span>}
          </>
        ) : (
          "Shared anonymously"
        )}{" "}
        · {ago(l.createdAt)} {l.space && `· ${l.space.name}`} <Tags tags={l.tags} />
        {l.retrospectiveId && (
          <>
            {" "}
            · <Link to={`/retrospectives/${l.retrospectiveId}`}>from a retrospective</Link>
          </>
        )}
      </div>
      {section("What happened", l.html.whatHappened)}
      {section("Impact", l.html.impact)}
      {section("What we learned", l.html.learned)}
      {section("What to do instead", l.html.instead)}
    </article>
  );
}

const COLUMNS: { key: RetroItem["column"]; label: string }[] = [
  { key: "well", label: "Went well" },
  { key: "less", label: "Went less well" },
  { key: "try", label: "Try next" },
];

export function RetrospectivesPage() {
  const navigate = useNavigate();
  const list = useLoad(() => call(routes.lessons.getRetrospectives), []);
  const [title, setTitle] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const r = await call(routes.lessons.postRetrospectives, { body: { title, items: [] } });
      navigate(`/retrospectives/${r.id}`);
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <div className="page">
      <h1>Retrospectives</h1>
      <form className="inline-form card" onSubmit={create} aria-label="New retrospective">
        <label className="field grow">
          <span>New retrospective for a project</span>
          <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="e.g. Peak season 2026" />
          {error?.field("title") && <span className="field-error">{error.field("title")}</span>}
        </label>
        <button className="primary">Start</button>
      </form>
      <ul className="plain-list">
        {list.data?.items.map((r) => (
          <li key={r.id}>
            <Link to={`/retrospectives/${r.id}`}>{r.title}</Link>{" "}
            <span className="muted small-text">
              {r.author.name} · {r.items.length} items · {ago(r.createdAt)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ParticipantPicker({ onPick }: { onPick: (p: { id: string; name: string }) => void }) {
  const [q, setQ] = useState("");
  const [hits, setHits] = useState<User[]>([]);
  return (
    <div className="field participant-picker">
      <span className="label">Add a participant</span>
      <input
        value={q}
        aria-label="Add a participant"
        placeholder="Name of a colleague"
        onChange={async (e) => {
          setQ(e.target.value);
          if (e.target.value.trim().length < 2) return setHits([]);
          const r = await call(routes.people.getPeople, { query: { q: e.target.value, limit: "6" } }).catch(() => ({
            items: [],
          }));
          setHits(r.items);
        }}
      />
      {hits.length > 0 && (
        <ul className="pick-list" role="listbox">
          {hits.map((h) => (
            <li
              key={h.id}
              role="option"
              aria-selected={false}
              onClick={() => {
                onPick(h);
                setQ("");
                setHits([]);
              }}
            >
              {h.name} <span className="muted">{h.title}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function MakeLesson({ retro, item, onDone }: { retro: Retro; item: RetroItem; onDone: () => void }) {
  const [learned, setLearned] = useState("");
  const [instead, setInstead] = useState("");
  const [tags, setTags] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <form
      className="form make-lesson"
      aria-label="Make it a lesson"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          await call(routes.lessons.postRetrospectivesItemsLesson, {
            params: { id: retro.id, itemId: item.id },
            body: {
              learned,
              instead,
              tags: splitTags(tags),
            },
          });
          onDone();
        } catch (err) {
          setError(err as ApiError);
        }
      }}
    >
      <label className="field">
        <span>What we learned</span>
        <textarea rows={2} value={learned} onChange={(e) => setLearned(e.target.value)} />
        {error?.field("learned") && <span className="field-error">{error.field("learned")}</span>}
      </label>
      <label className="field">
        <span>What to do instead</span>
        <input value={instead} onChange={(e) => setInstead(e.target.value)} />
      </label>
      <label className="field">
        <span>Tags</span>
        <input value={tags} onChange={(e) => setTags(e.target.value)} />
      </label>
      <button className="small primary">Save as lesson</button>
    </form>
  );
}

export function RetrospectivePage() {
  const { id = "" } = useParams();
  const retro = useLoad(() => call(routes.lessons.getRetrospectivesById, { params: { id } }), [id]);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [making, setMaking] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  if (retro.loading && !retro.data) return <Loading />;
  if (!retro.data) return <ErrorBox error={retro.error} />;
  const r = retro.data;
  const add = async (column: RetroItem["column"]) => {
    const text = (drafts[column] ?? "").trim();
    if (!text) return;
    try {
      setError(null);
      retro.setData(
        await call(routes.lessons.putRetrospectivesById, {
          params: { id: r.id },
          body: {
            version: r.version,
            title: r.title,
            participantIds: r.participants.map((p) => p.id),
            items: [...r.items, { column, text }],
          },
        }),
      );
      setDrafts((d) => ({ ...d, [column]: "" }));
    } catch (err) {
      const e = err as ApiError;
      setError(e);
      if (e.status === 409) retro.reload();
    }
  };
  return (
    <div className="page">
      <div className="breadcrumb">
        <Link to="/retrospectives">Retrospectives</Link> /
      </div>
      <h1>{r.title}</h1>
      <p className="muted">
        {r.author.name}
        {r.participants.length > 0 && ` with ${r.participants.map((p) => p.name).join(", ")}`} · {ago(r.createdAt)}
      </p>
      {r.can.edit && (
        <ParticipantPicker
          onPick={async (person) => {
            if (person.id === r.author.id || r.participants.some((p) => p.id === person.id)) return;
            try {
              retro.setData(
                await call(routes.lessons.putRetrospectivesById, {
                  params: { id: r.id },
                  body: {
                    version: r.version,
                    title: r.title,
                    participantIds: [...r.participants.map((p) => p.id), person.id],
                    items: r.items,
                  },
                }),
              );
            } catch (err) {
              setError(err as ApiError);
              retro.reload();
            }
          }}
        />
      )}
      {error && (
        <ErrorBox
          error={
            error.status === 409
              ? new ApiError(
                  409,
                  "conflict",
                  "Someone added items meanwhile; the board was reloaded — add yours again.",
                )
              : error
          }
        />
      )}
      <div className="retro-board">
        {COLUMNS.map((c) => (
          <section key={c.key} className={`card retro-col ${c.key}`} aria-label={c.label}>
            <h2>{c.label}</h2>
            <ul className="plain-list">
              {r.items
                .filter((i) => i.column === c.key)
                .map((i) => (
                  <li key={i.id} className="retro-item" data-testid="retro-item">
                    {i.text}{" "}
                    {i.lessonId ? (
                      <Link to={`/lessons/${i.lessonId}`} className="badge">
                        lesson ✓
                      </Link>
                    ) : (
                      r.can.makeLesson && (
                        <button
                          className="link-button small-text"
                          onClick={() => setMaking(making === i.id ? null : i.id)}
                        >
                          Make it a lesson
                        </button>
                      )
                    )}
                    {making === i.id && (
                      <MakeLesson
                        retro={r}
                        item={i}
                        onDone={() => {
                          setMaking(null);
                          retro.reload();
                        }}
                      />
                    )}
                  </li>
                ))}
            </ul>
            {r.can.edit && (
              <form
                className="inline-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  void add(c.key);
                }}
              >
                <label className="field grow">
                  <span>Add to “{c.label}”</span>
                  <input
                    value={drafts[c.key] ?? ""}
                    onChange={(e) => setDrafts((d) => ({ ...d, [c.key]: e.target.value }))}
                  />
                </label>
                <button className="small">Add</button>
              </form>
            )}
          </section>
        ))}
      </div>
    </div>
  );
}

function PostCard({ p, following, onChange }: { p: Post; following: Follow[]; onChange: () => void }) {
  const me = useMe();
  const [comment, setComment] = useState("");
  const follows = (type: Follow["type"], target: string) =>
    following.some((f) => f.type === type && f.target === target);
  const toggle = async (type: Follow["type"], target: string) => {
    await call(routes.wol.putMeFollows, { body: { type, target, follow: !follows(type, target) } });
    onChange();
  };
  return (
    <li className="card post-card" data-testid="post">
      <div className="post-head">
        <Avatar name={p.author.name} size={28} /> <Link to={`/people/${p.author.id}`}>{p.author.name}</Link>{" "}
        <span className="badge">{p.kind === "working_on" ? "working on" : "learned"}</span>{" "}
        <span className="muted small-text">
          {ago(p.createdAt)}
          {p.space && ` · ${p.space.name}`}
        </span>
        {p.author.id !== me.id && (
          <button className="small" onClick={() => void toggle("person", p.author.id)}>
            {follows("person", p.author.id) ? "Following" : "Follow"}
          </button>
        )}
      </div>
      <div className="prose" dangerouslySetInnerHTML={{ __html: p.html }} />
      <div className="post-tags">
        {p.tags.map((t) => (
          <button
            key={t}
            className={`chip${follows("tag", t) ? " on" : ""}`}
            title={follows("tag", t) ? "Unfollow this tag" : "Follow this tag"}
            onClick={() => void toggle("tag", t)}
          >
            #{t}
          </button>
        ))}
      </div>
      <div className="reactions">
        {p.reactions.map((r) => (
          <button
            key={r.emoji}
            className={`small reaction${r.mine ? " on" : ""}`}
            aria-pressed={r.mine}
            title={REACTION_NAMES[r.emoji] ?? r.emoji}
            disabled={!p.can.react}
            onClick={async () => {
              await call(routes.wol.postPostsReactions, { params: { id: p.id }, body: { emoji: r.emoji } });
              onChange();
            }}
          >
            {/* The name is what the button shows: the reaction's word (for screen readers) and its count. */}
            <span aria-hidden="true">{r.emoji}</span>
            <span className="sr-only">{REACTION_NAMES[r.emoji] ?? r.emoji}</span> {r.count > 0 ? r.count : ""}
          </button>
        ))}
      </div>
      {p.comments.map((c) => (
        <div key={c.id} className="comment">
          {c.body} —{" "}
          <span className="muted">
            {c.author.name}, {ago(c.createdAt)}
          </span>
        </div>
      ))}
      {p.can.comment && (
        <form
          className="inline-form"
          onSubmit={async (e) => {
            e.preventDefault();
            if (!comment.trim()) return;
            await call(routes.wol.postPostsComments, { params: { id: p.id }, body: { body: comment } });
            setComment("");
            onChange();
          }}
        >
          <label className="field grow">
            <span className="sr-only">Comment</span>
            <input
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              placeholder="Comment…"
              aria-label={`Comment on ${p.author.name}'s post`}
            />
          </label>
        </form>
      )}
    </li>
  );
}

/** Working out loud: what people you follow are working on and learned. */
export function FeedPage() {
  const me = useMe();
  const [scope, setScope] = useState<"following" | "everyone">("following");
  const feed = useLoad(() => call(routes.wol.getFeed, { query: { scope: scope } }), [scope]);
  const [kind, setKind] = useState<"working_on" | "learned">("working_on");
  const [body, setBody] = useState("");
  const [tags, setTags] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setError(null);
      await call(routes.wol.postPosts, { body: { kind, body, tags: splitTags(tags) } });
      setBody("");
      setTags("");
      feed.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <div className="page narrow">
      <h1>Working out loud</h1>
      {me.can.post && (
        <form className="card form" onSubmit={submit} aria-label="New post">
          <div className="actions" role="radiogroup" aria-label="Kind">
            <label className="radio">
              <input type="radio" checked={kind === "working_on"} onChange={() => setKind("working_on")} /> What I'm
              working on
            </label>
            <label className="radio">
              <input type="radio" checked={kind === "learned"} onChange={() => setKind("learned")} /> What I learned
              today
            </label>
          </div>
          <label className="field">
            <span>Post</span>
            <textarea rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
            {error?.field("body") && <span className="field-error">{error.field("body")}</span>}
          </label>
          <label className="field">
            <span>Tags (comma separated)</span>
            <input value={tags} onChange={(e) => setTags(e.target.value)} />
          </label>
          <button className="primary">Post</button>
        </form>
      )}
      <SuggestedSessions />
      <div className="list-tools" role="tablist" aria-label="Feed">
        {(["following", "everyone"] as const).map((s) => (
          <button
            key={s}
            role="tab"
            aria-selected={s === scope}
            className={`chip${s === scope ? " on" : ""}`}
            onClick={() => setScope(s)}
          >
            {s === "following" ? "Following" : "Everyone"}
          </button>
        ))}
        <span className="muted small-text">
          {feed.data ? `You follow ${feed.data.following.length} people, tags or spaces.` : ""}
        </span>
      </div>
      {feed.data?.items.length === 0 && (
        <Empty>
          {scope === "following"
            ? "Nothing from what you follow yet — follow colleagues or tags from “Everyone”."
            : "No posts yet."}
        </Empty>
      )}
      <ul className="post-list">
        {feed.data?.items.map((p) => (
          <PostCard key={p.id} p={p} following={feed.data!.following} onChange={feed.reload} />
        ))}
      </ul>
    </div>
  );
}

const PRACTICE_LABEL: Record<string, string> = {
  experience: "New experience",
  practice: "Practice",
  conversation: "Conversation",
  reflection: "Reflection",
};

/** The private reflection journal, with prompts from the 70:20:10 practices. */
export function JournalPage() {
  const j = useLoad(() => call(routes.wol.getJournal), []);
  const [practice, setPractice] = useState("reflection");
  const [body, setBody] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [lessonFor, setLessonFor] = useState<string | null>(null);
  const [lessonTitle, setLessonTitle] = useState("");
  if (j.loading && !j.data) return <Loading />;
  if (!j.data) return <ErrorBox error={j.error} />;
  const prompt = j.data.prompts.find((p) => p.practice === practice)?.prompt ?? "";
  const act = async (fn: () => Promise<unknown>) => {
    try {
      setError(null);
      await fn();
      j.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <div className="page narrow">
      <h1>My journal</h1>
      <p className="muted">
        Private: only you can read it. Share an entry as a post, or turn it into a lesson, when you want to.
      </p>
      <div className="prompt-cards" role="radiogroup" aria-label="Practice">
        {j.data.prompts.map((p) => (
          <button
            key={p.practice}
            role="radio"
            aria-checked={p.practice === practice}
            className={`card prompt-card${p.practice === practice ? " on" : ""}`}
            onClick={() => setPractice(p.practice)}
          >
            <strong>{PRACTICE_LABEL[p.practice]}</strong>
            <span className="small-text">{p.prompt}</span>
          </button>
        ))}
      </div>
      <form
        className="card form"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            await call(routes.wol.postJournal, {
              body: { practice: practice as BodyFor<typeof routes.wol.postJournal>["practice"], prompt, body },
            });
            setBody("");
          });
        }}
        aria-label="Journal entry"
      >
        <label className="field">
          <span>{prompt}</span>
          <textarea rows={4} value={body} onChange={(e) => setBody(e.target.value)} />
          {error?.field("body") && <span className="field-error">{error.field("body")}</span>}
        </label>
        <button className="primary">Save entry</button>
      </form>
      {error && !error.fields.length && <ErrorBox error={error} />}
      <ul className="plain-list journal-list">
        {j.data.items.map((e) => (
          <li key={e.id} className="card" data-testid="journal-entry">
            <div className="muted small-text">
              {PRACTICE_LABEL[e.practice]} · {ago(e.createdAt)} · {e.prompt}
            </div>
            <div className="prose" dangerouslySetInnerHTML={{ __html: e.html }} />
            <div className="actions">
              {e.sharedPostId ? (
                <span className="badge">shared</span>
              ) : (
                <button
                  className="small"
                  onClick={() =>
                    void act(() => call(routes.wol.postJournalShare, { params: { id: e.id }, body: { tags: [] } }))
                  }
                >
                  Share as post
                </button>
              )}
              {e.lessonId ? (
                <Link className="badge" to={`/lessons/${e.lessonId}`}>
                  lesson ✓
                </Link>
              ) : (
                <button className="small" onClick={() => setLessonFor(lessonFor === e.id ? null : e.id)}>
                  Turn into a lesson
                </button>
              )}
            </div>
            {lessonFor === e.id && (
              <form
                className="inline-form"
                onSubmit={(ev) => {
                  ev.preventDefault();
                  void act(async () => {
                    await call(routes.wol.postJournalLesson, {
                      params: { id: e.id },
                      body: { title: lessonTitle, tags: [] },
                    });
                    setLessonFor(null);
                    setLessonTitle("");
                  });
                }}
              >
                <label className="field grow">
                  <span>Lesson title</span>
                  <input value={lessonTitle} onChange={(ev) => setLessonTitle(ev.target.value)} />
                </label>
                <button className="small primary">Create lesson</button>
              </form>
            )}
          </li>
        ))}
      </ul>
      <LearningRecords />
    </div>
  );
}

/** Learning experiences of the last months as stacked bars: experience / social / formal (70:20:10). */
export function LearningChart({ personId }: { personId: string }) {
  const data = useLoad(
    () => call(routes.wol.getPeopleLearning, { params: { id: personId }, query: { months: 6 } }),
    [personId],
  );
  if (!data.data) return null;
  const d = data.data;
  const max = Math.max(1, ...d.months.map((m) => m.experience + m.social + m.formal));
  const sum = d.totals.experience + d.totals.social + d.totals.formal;
  const pct = (n: number) => (sum ? Math.round((n / sum) * 100) : 0);
  return (
    <section className="card learning" aria-label="Learning experiences">
      <h2>Learning, last 6 months</h2>
      <div
        className="learning-chart"
        role="img"
        aria-label={`Experience ${d.totals.experience}, social ${d.totals.social}, formal ${d.totals.formal}`}
      >
        {d.months.map((m) => (
          <div key={m.month} className="learning-col">
            <div
              className="learning-stack"
              style={{ height: `${((m.experience + m.social + m.formal) / max) * 100}%` }}
            >
              <span className="formal" style={{ flex: m.formal }} title={`${m.formal} formal`} />
              <span className="social" style={{ flex: m.social }} title={`${m.social} social`} />
              <span className="experience" style={{ flex: m.experience }} title={`${m.experience} experience`} />
            </div>
            <span className="small-text muted">
              {new Date(`${m.month}-01T00:00:00Z`).toLocaleDateString("en-GB", { month: "short" })}
            </span>
          </div>
        ))}
      </div>
      <p className="small-text">
        <span className="legend experience" /> Experience {d.totals.experience} ({pct(d.totals.experience)} %) ·{" "}
        <span className="legend social" /> Social {d.totals.social} ({pct(d.totals.social)} %) ·{" "}
        <span className="legend formal" /> Formal {d.totals.formal} ({pct(d.totals.formal)} %)
      </p>
      {Object.keys(d.byKind).length > 0 && (
        <ul className="learning-kinds small-text" aria-label="What it was">
          {Object.entries(d.byKind)
            .sort((a, b) => b[1] - a[1])
            .map(([kind, n]) => (
              <li key={kind}>
                <span className={`legend ${KIND_CATEGORY[kind] ?? "experience"}`} /> {KIND_LABELS[kind] ?? kind}{" "}
                <strong>{n}</strong>
              </li>
            ))}
        </ul>
      )}
      <p className="muted small-text">{d.formalNote}</p>
    </section>
  );
}

const KIND_LABELS: Record<string, string> = {
  article: "Articles written",
  article_update: "Articles kept up to date",
  answer: "Answers",
  lesson: "Lessons shared",
  working_on: "Working-out-loud posts",
  journal: "Journal entries",
  question: "Questions asked",
  comment: "Comments",
  endorsement: "Endorsements",
  learned_post: "What I learned posts",
  session_presented: "Sessions presented",
  session_attended: "Sessions attended",
  mentoring_given: "Mentoring meetings (as mentor)",
  mentoring_received: "Mentoring meetings (as mentee)",
  path_step: "Learning-path steps completed",
  path_completed: "Learning paths completed",
  xapi: "Recorded by e-learning tools",
};
const KIND_CATEGORY: Record<string, "experience" | "social" | "formal"> = {
  path_step: "formal",
  path_completed: "formal",
  xapi: "formal",
  question: "social",
  comment: "social",
  endorsement: "social",
  learned_post: "social",
  session_attended: "social",
  mentoring_received: "social",
};

/** Follow a space: its working-out-loud posts come into your feed. */
export function FollowSpace({ spaceId }: { spaceId: string }) {
  const follows = useLoad(() => call(routes.wol.getMeFollows), []);
  const on = follows.data?.following.some((f) => f.type === "space" && f.target === spaceId) ?? false;
  return (
    <button
      className={on ? "on" : ""}
      aria-pressed={on}
      title="Posts in this space come into your feed"
      onClick={async () => {
        follows.setData(await call(routes.wol.putMeFollows, { body: { type: "space", target: spaceId, follow: !on } }));
      }}
    >
      {on ? "Following" : "Follow"}
    </button>
  );
}

/** One's own learning records: the xAPI statements Knowhow and outside tools recorded for you. */
export function LearningRecords() {
  const data = useLoad(() => call(routes.lrs.getMyStatements, { query: { limit: "30" } }), []);
  if (data.error) return <ErrorBox error={data.error} />;
  if (!data.data) return <Loading />;
  const d = data.data;
  return (
    <section className="card" aria-labelledby="learning-records">
      <h2 id="learning-records">My learning records</h2>
      <p className="muted small-text">
        What Knowhow and e-learning tools recorded about your learning, as xAPI statements in Knowhow's Learning Record
        Store ({plural(d.total, "record")}). Only you, the LRS clients an admin allowed to read statements, and admins
        see them.
      </p>
      {d.items.length === 0 ? (
        <Empty>No records yet.</Empty>
      ) : (
        <ul className="plain-list learning-records">
          {d.items.map((r) => (
            <li key={r.id}>
              <strong>{r.verbLabel}</strong>{" "}
              {r.object.name ?? <span className="muted">an item you may not see named</span>}
              {r.success === true && <span className="badge">passed</span>}
              <span className="muted small-text">
                {" "}
                · {r.source} · <time dateTime={r.timestamp}>{ago(r.timestamp)}</time>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
