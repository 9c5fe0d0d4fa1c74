import { useDeferredValue, useEffect, useId, useMemo, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { useMarkdown } from "../markdown";
import { ApiError, call, hitPath, routes, type SearchResult, type QueryFor } from "../api";
import { useMe } from "../auth";
import { Avatar, Empty, ErrorBox, LinkedTitle, Loading, Tags, ago, fullDate, plural, useLoad } from "../util";
import { useLiveEvents } from "../live";
import { RelatedLessons } from "./learning";
import { CommunitiesToAsk } from "./community-parts";
import { ChallengesPanel, VerificationPanel } from "./verification";
import { MentionText, MentionTextarea } from "../mention-textarea";
import type { Comment, Question, QuestionSummary, Routing } from "../contracts";

const ROUTING_STATUS: Record<string, string> = {
  pending: "asked — no reply yet",
  answered: "answered",
  declined: "declined",
  forwarded: "forwarded it",
  expired: "no reply in time",
  closed: "resolved",
};

/** An accepted answer is knowledge: its verification state, one-click verify, and challenges. */
function AcceptedAnswerTruth({ answerId, canEdit }: { answerId: string; canEdit: boolean }) {
  const v = useLoad(
    () => call(routes.verification.getVerificationById, { params: { type: "answer", id: answerId } }),
    [answerId],
  );
  if (!v.data) return null;
  return (
    <div className="answer-truth">
      <VerificationPanel v={v.data} onChange={v.reload} />
      <ChallengesPanel
        subjectType="answer"
        subjectId={answerId}
        canResolve={v.data.canVerify}
        canChallenge={v.data.canChallenge}
        canEdit={canEdit}
        onChange={v.reload}
      />
    </div>
  );
}

/** Who Knowhow asked about the question and what became of it (asker, admins and the people asked see this). */
function RoutingPanel({ routing }: { routing: Routing }) {
  return (
    <aside className="card routing-panel" aria-label="Who was asked" data-testid="routing">
      <h2>Who was asked</h2>
      {routing.asked.length === 0 ? (
        <p className="muted">
          Nobody could be asked yet (no one with matching knowledge is available). Knowhow tries again{" "}
          {routing.escalateAt ? ago(routing.escalateAt) : "later"}.
        </p>
      ) : (
        <ul className="plain-list">
          {routing.asked.map((a) => (
            <li key={a.person.id} className={`routed ${a.status}`}>
              <Avatar name={a.person.name} size={22} /> <Link to={`/people/${a.person.id}`}>{a.person.name}</Link>{" "}
              <span className="muted small-text">
                {ROUTING_STATUS[a.status] ?? a.status}
                {a.declineReason === "not_my_area" && " (not their area)"}
                {a.forwardedBy && ` · forwarded by ${a.forwardedBy}`} · asked{" "}
                <time title={fullDate(a.askedAt)}>{ago(a.askedAt)}</time>
                {a.respondedAt && a.status !== "pending" && ` · ${ago(a.respondedAt)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      {routing.escalateAt && routing.asked.some((a) => a.status === "pending") && (
        <p className="muted small-text">If nobody answers, more people are asked {ago(routing.escalateAt)}.</p>
      )}
    </aside>
  );
}

export function QuestionsPage() {
  const [params, setParams] = useSearchParams();
  const sort = params.get("sort") ?? "active";
  const tag = params.get("tag") ?? "";
  const offset = Number(params.get("offset") ?? 0) || 0;
  const list = useLoad(
    () =>
      call(routes.qa.getQuestions, {
        query: {
          sort: sort as QueryFor<typeof routes.qa.getQuestions>["sort"],
          limit: "30",
          offset: String(offset),
          ...(tag ? { tag } : {}),
        },
      }),
    [sort, tag, offset],
  );
  const deflected = useLoad(() => call(routes.sidekick.getDeflectionsSummary, { query: { days: 30 } }), []);
  const me = useMe();
  return (
    <div className="page">
      <div className="page-head">
        <h1>Questions</h1>
        {me.can.ask && (
          <Link className="button primary" to="/questions/ask">
            Ask a question
          </Link>
        )}
      </div>
      <div className="list-tools" role="tablist" aria-label="Sort">
        {(["active", "newest", "unanswered", "votes"] as const).map((s) => (
          <button
            key={s}
            role="tab"
            aria-selected={s === sort}
            className={`chip${s === sort ? " on" : ""}`}
            onClick={() => setParams({ sort: s, ...(tag ? { tag } : {}) })}
          >
            {s[0].toUpperCase() + s.slice(1)}
          </button>
        ))}
        {tag && (
          <button className="chip on" onClick={() => setParams({ sort })}>
            #{tag} ×
          </button>
        )}
        <span className="muted">{list.data?.total ?? 0} questions</span>
        {deflected.data && deflected.data.deflected > 0 && (
          <span className="muted" data-testid="deflections">
            · {deflected.data.deflected} answered by existing knowledge before being asked in the last 30 days (
            {Math.round(deflected.data.rate * 100)} %)
          </span>
        )}
      </div>
      {list.loading && !list.data && <Loading />}
      <ErrorBox error={list.error} />
      {list.data?.items.length === 0 && <Empty>No questions here yet.</Empty>}
      <ul className="question-list">
        {list.data?.items.map((q) => (
          <li key={q.id}>
            <div className={`q-stats${q.answered ? " answered" : ""}`}>
              <span>{plural(q.score, "vote")}</span>
              <span>{plural(q.answerCount, "answer")}</span>
            </div>
            <div>
              <Link to={`/questions/${q.id}`} className="a-title">
                {q.title}
              </Link>
              {q.duplicate && <span className="badge">duplicate</span>}
              <div className="a-excerpt">{q.excerpt}</div>
              <div className="a-meta">
                {q.author.name} · asked {ago(q.createdAt)} <Tags tags={q.tags} />
              </div>
            </div>
          </li>
        ))}
      </ul>
      {list.data && list.data.total > 30 && (
        <div className="pager">
          <button disabled={offset === 0} onClick={() => setParams({ sort, offset: String(Math.max(0, offset - 30)) })}>
            Previous
          </button>
          <button
            disabled={offset + 30 >= list.data.total}
            onClick={() => setParams({ sort, offset: String(offset + 30) })}
          >
            Next
          </button>
        </div>
      )}
    </div>
  );
}

/** Asking: while the title is typed, answered questions and articles that may already help appear. */
/**
 * Who the question goes to: everyone, the members of a space, or a community (its members are asked
 * first). Only communities the person may ask are offered.
 */
function WhereSelect({ value, onChange }: { value: string; onChange: (where: string) => void }) {
  const spaces = useLoad(() => call(routes.spaces.getSpaces), []);
  const communities = useLoad(() => call(routes.communities.getCommunities), []);
  const askable = communities.data?.items.filter((c) => c.can.ask) ?? [];
  return (
    <label className="field">
      <span>Who it goes to</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Everyone in the organisation</option>
        {!!spaces.data?.items.length && (
          <optgroup label="A space (only its members see it)">
            {spaces.data.items.map((s) => (
              <option key={s.id} value={`space:${s.id}`}>
                Members of {s.name}
              </option>
            ))}
          </optgroup>
        )}
        {askable.length > 0 && (
          <optgroup label="A community (its members are asked first)">
            {askable.map((c) => (
              <option key={c.id} value={`community:${c.id}`}>
                {c.name}
                {c.visibility === "members" ? " (members only)" : ""}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </label>
  );
}

export function AskPage() {
  const navigate = useNavigate();
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [tags, setTags] = useState("");
  // Where the question goes: everyone (""), a space ("space:<id>") or a community ("community:<id>").
  const [searchParams] = useSearchParams();
  const [where, setWhere] = useState(() =>
    searchParams.get("community") ? `community:${searchParams.get("community")}` : "",
  );
  const [error, setError] = useState<ApiError | null>(null);
  const [similar, setSimilar] = useState<{ questions: QuestionSummary[]; articles: SearchResult["items"] }>({
    questions: [],
    articles: [],
  });
  const deferredBody = useDeferredValue(body);
  const renderMarkdown = useMarkdown();
  const preview = useMemo(() => (renderMarkdown ? renderMarkdown(deferredBody) : ""), [renderMarkdown, deferredBody]);
  useEffect(() => {
    if (title.trim().length < 4) return setSimilar({ questions: [], articles: [] });
    const t = setTimeout(() => {
      void Promise.all([
        call(routes.qa.getQuestions, { query: { q: title, limit: "5", sort: "votes" } }),
        call(routes.search.getSearch, { query: { q: title, limit: "4" } }),
      ]).then(
        ([qs, as]) => setSimilar({ questions: qs.items, articles: as.items.filter((i) => i.type === "article") }),
        () => undefined,
      );
    }, 250);
    return () => clearTimeout(t);
  }, [title]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setError(null);
      const q = await call(routes.qa.postQuestions, {
        body: {
          title,
          body,
          tags: tags
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
          spaceId: where.startsWith("space:") ? where.slice(6) : null,
          communityId: where.startsWith("community:") ? where.slice(10) : null,
        },
      });
      navigate(`/questions/${q.id}`);
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const found = similar.questions.length + similar.articles.length > 0;
  const [solved, setSolved] = useState<string | null>(null);
  const deflect = async (targetType: "article" | "question", targetId: string, label: string) => {
    await call(routes.sidekick.postDeflections, {
      body: { query: `${title}\n${body}`.trim(), targetType, targetId, source: "ask" },
    }).catch(() => undefined);
    setSolved(label);
  };
  return (
    <div className="page">
      <h1>Ask a question</h1>
      <div className="grid-2">
        <form className="card form" onSubmit={submit} aria-label="Ask">
          {error && !error.fields.length && <ErrorBox error={error} />}
          <label className="field">
            <span>Your question in one sentence</span>
            <input value={title} onChange={(e) => setTitle(e.target.value)} required />
            {error?.field("title") && <span className="field-error">{error.field("title")}</span>}
          </label>
          <div className="field">
            <label className="label" htmlFor="ask-details">
              Details (Markdown): what you tried, what you expected
            </label>
            <MentionTextarea id="ask-details" rows={8} value={body} onChange={setBody} required />
            {error?.field("body") && <span className="field-error">{error.field("body")}</span>}
          </div>
          {body && <div className="prose preview-box" dangerouslySetInnerHTML={{ __html: preview }} />}
          <label className="field">
            <span>Tags (comma separated)</span>
            <input value={tags} onChange={(e) => setTags(e.target.value)} />
          </label>
          <WhereSelect value={where} onChange={setWhere} />
          {(error?.field("spaceId") || error?.field("communityId")) && (
            <span className="field-error">{error.field("spaceId") ?? error.field("communityId")}</span>
          )}
          <button className="primary">Post question</button>
        </form>
        <div className="stack">
          <aside className="card" aria-label="May already be answered" data-testid="similar">
            <h2>May already be answered</h2>
            {!found && (
              <p className="muted">Start typing the question: matching answered questions and articles show up here.</p>
            )}
            {solved && (
              <div className="notice" role="status">
                Glad “{solved}” answered it — no need to ask.
              </div>
            )}
            <ul className="plain-list">
              {similar.questions.map((q) => (
                <li key={q.id}>
                  <Link to={`/questions/${q.id}`} target="_blank">
                    {q.title}
                  </Link>{" "}
                  <span className="muted">{q.answered ? "✓ answered" : plural(q.answerCount, "answer")}</span>{" "}
                  {q.answerCount > 0 && (
                    <button type="button" className="small" onClick={() => void deflect("question", q.id, q.title)}>
                      This answers my question
                    </button>
                  )}
                </li>
              ))}
              {similar.articles.map((a) => (
                <li key={a.id}>
                  <Link to={hitPath(a)} target="_blank" dangerouslySetInnerHTML={{ __html: a.titleHtml }} />{" "}
                  <span className="muted">
                    {a.type === "question" ? "answered question" : `article · ${a.spaceName}`}
                  </span>{" "}
                  <button
                    type="button"
                    className="small"
                    onClick={() => void deflect(a.type === "question" ? "question" : "article", a.id, a.title)}
                  >
                    This answers my question
                  </button>
                </li>
              ))}
            </ul>
          </aside>
          <CommunitiesToAsk
            text={`${title}\n${body}`.trim()}
            tags={tags}
            chosen={where.startsWith("community:") ? where.slice(10) : null}
            onPick={(id) => setWhere(`community:${id}`)}
          />
          <RelatedLessons text={`${title} ${tags}`} />
        </div>
      </div>
    </div>
  );
}

function Voter(props: { score: number; mine: number; can: boolean; onVote: (v: 1 | -1 | 0) => void; label: string }) {
  return (
    <div className="voter">
      <button
        className="small"
        aria-label={`Up-vote ${props.label}`}
        aria-pressed={props.mine === 1}
        disabled={!props.can}
        onClick={() => props.onVote(props.mine === 1 ? 0 : 1)}
      >
        ▲
      </button>
      <strong aria-label="score">{props.score}</strong>
      <button
        className="small"
        aria-label={`Down-vote ${props.label}`}
        aria-pressed={props.mine === -1}
        disabled={!props.can}
        onClick={() => props.onVote(props.mine === -1 ? 0 : -1)}
      >
        ▼
      </button>
    </div>
  );
}

function Comments({
  items,
  canComment,
  onAdd,
}: {
  items: Comment[];
  canComment: boolean;
  onAdd: (body: string) => Promise<void>;
}) {
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const commentId = useId();
  return (
    <div className="comments">
      {items.map((c) => (
        <div key={c.id} className="comment">
          <MentionText text={c.body} /> —{" "}
          <span className="muted">
            {c.author.name}, {ago(c.createdAt)}
          </span>
        </div>
      ))}
      {canComment &&
        (open ? (
          <form
            className="inline-form"
            onSubmit={async (e) => {
              e.preventDefault();
              await onAdd(text);
              setText("");
              setOpen(false);
            }}
          >
            <div className="field grow">
              <label className="label" htmlFor={commentId}>
                Comment
              </label>
              <MentionTextarea id={commentId} rows={2} value={text} onChange={setText} maxLength={2000} required />
            </div>
            <button className="small">Add</button>
          </form>
        ) : (
          <button className="link-button small-text" onClick={() => setOpen(true)}>
            Add a comment
          </button>
        ))}
    </div>
  );
}

export function QuestionPage() {
  const { id = "" } = useParams();
  const q = useLoad(() => call(routes.qa.getQuestionsById, { params: { id } }), [id]);
  useLiveEvents((e) => {
    if (e.data.questionId === id) q.reload();
  });
  const [answer, setAnswer] = useState("");
  const renderMarkdown = useMarkdown(answer.length > 0);
  const [error, setError] = useState<ApiError | null>(null);
  const act = async (fn: () => Promise<Question>) => {
    try {
      setError(null);
      q.setData(await fn());
    } catch (e) {
      setError(e as ApiError);
    }
  };
  if (q.loading && !q.data) return <Loading />;
  if (!q.data) return <ErrorBox error={q.error} />;
  const d = q.data;
  return (
    <div className="page question-page">
      <div className="breadcrumb">
        <Link to="/questions">Questions</Link> /
      </div>
      <h1>{d.title}</h1>
      {d.duplicateOf && (
        <div className="notice">
          Closed as a duplicate of <LinkedTitle item={d.duplicateOf} to={(id) => `/questions/${id}`} />.
        </div>
      )}
      <ErrorBox error={error} />
      {d.routing && <RoutingPanel routing={d.routing} />}
      <div className="post">
        <Voter
          score={d.score}
          mine={d.myVote}
          can={d.can.vote}
          label="question"
          onVote={(v) => act(() => call(routes.qa.postQuestionsVote, { params: { id: d.id }, body: { value: v } }))}
        />
        <div className="post-body">
          <div className="prose" dangerouslySetInnerHTML={{ __html: d.html }} />
          <div className="a-meta">
            <Avatar name={d.author.name} size={20} /> asked by {d.author.name} {ago(d.createdAt)} <Tags tags={d.tags} />
            {d.sourceUrl && (
              <a href={d.sourceUrl} rel="noopener noreferrer nofollow" target="_blank">
                original on Stack Exchange (CC BY-SA)
              </a>
            )}
          </div>
          <Comments
            items={d.comments}
            canComment={d.can.comment}
            onAdd={(body) => act(() => call(routes.qa.postQuestionsComments, { params: { id: d.id }, body: { body } }))}
          />
        </div>
      </div>
      <h2>{plural(d.answers.length, "answer")}</h2>
      {d.answers.map((a) => (
        <div key={a.id} className={`post answer${a.accepted ? " accepted" : ""}`} data-testid="answer">
          <Voter
            score={a.score}
            mine={a.myVote}
            can={a.can.vote}
            label="answer"
            onVote={(v) => act(() => call(routes.qa.postAnswersVote, { params: { id: a.id }, body: { value: v } }))}
          />
          <div className="post-body">
            {a.accepted && <div className="accepted-badge">✓ Accepted answer</div>}
            {a.accepted && <AcceptedAnswerTruth answerId={a.id} canEdit={a.can.edit} />}
            <div className="prose" dangerouslySetInnerHTML={{ __html: a.html }} />
            <div className="a-meta">
              <Avatar name={a.author.name} size={20} /> answered by {a.author.name} {ago(a.createdAt)}
              {d.can.accept && (
                <button
                  className="small"
                  onClick={() =>
                    act(() =>
                      call(routes.qa.postQuestionsAccept, {
                        params: { id: d.id },
                        body: { answerId: a.accepted ? null : a.id },
                      }),
                    )
                  }
                >
                  {a.accepted ? "Unaccept" : "Accept this answer"}
                </button>
              )}
            </div>
            <Comments
              items={a.comments}
              canComment={d.can.comment}
              onAdd={(body) => act(() => call(routes.qa.postAnswersComments, { params: { id: a.id }, body: { body } }))}
            />
          </div>
        </div>
      ))}
      {d.can.answer ? (
        <form
          id="answer"
          className="card form"
          aria-label="Your answer"
          onSubmit={async (e) => {
            e.preventDefault();
            await act(() => call(routes.qa.postQuestionsAnswers, { params: { id: d.id }, body: { body: answer } }));
            setAnswer("");
          }}
        >
          <div className="field">
            <label className="label" htmlFor="answer-body">
              Your answer (Markdown)
            </label>
            <MentionTextarea id="answer-body" rows={6} value={answer} onChange={setAnswer} required />
          </div>
          {answer && renderMarkdown && (
            <div className="prose preview-box" dangerouslySetInnerHTML={{ __html: renderMarkdown(answer) }} />
          )}
          <button className="primary">Post answer</button>
        </form>
      ) : (
        !d.closed && <Empty>You can read this question but not answer it.</Empty>
      )}
    </div>
  );
}
