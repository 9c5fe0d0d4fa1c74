import { lazy, Suspense, useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";
import { Link, NavLink, Navigate, Outlet, useLocation, useNavigate } from "react-router";
import { call, hitPath, routes, type SearchResult } from "./api";
import { useAuth } from "./auth";
import { Avatar, Loading, plural } from "./util";
import { LiveProvider, useLive } from "./live";
import { SkipLink } from "./a11y";

const Sidekick = lazy(() => import("./sidekick").then((m) => ({ default: m.Sidekick })));

/** The search box of the top bar: results as you type, keyboard navigation, Enter for all results. */
function SearchBox() {
  const navigate = useNavigate();
  const [q, setQ] = useState("");
  const [result, setResult] = useState<SearchResult | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const seq = useRef(0);
  useEffect(() => {
    if (!q.trim()) {
      setResult(null);
      return;
    }
    const n = ++seq.current;
    const timer = setTimeout(() => {
      call(routes.search.getSearch, { query: { q, prefix: "1", limit: "8" } })
        .then((r) => n === seq.current && setResult(r))
        .catch(() => undefined);
    }, 150);
    return () => clearTimeout(timer);
  }, [q]);
  const items = result?.items ?? [];
  const go = (path: string) => {
    setOpen(false);
    setActive(-1);
    navigate(path);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, items.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, -1));
    } else if (e.key === "Escape") {
      setOpen(false);
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (active >= 0 && items[active]) go(hitPath(items[active]));
      else if (q.trim()) go(`/search?q=${encodeURIComponent(q)}`);
    }
  };
  return (
    <div className="searchbox" role="search">
      <input
        type="search"
        aria-label="Search Knowhow"
        placeholder="Search articles, questions and lessons…"
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKey}
        role="combobox"
        aria-expanded={open && items.length > 0}
        aria-controls="search-suggestions"
        aria-autocomplete="list"
      />
      {open && q.trim() && result && (
        <ul className="suggestions" id="search-suggestions" role="listbox">
          {items.length === 0 && (
            <li className="suggestion-empty">No matches yet — press Enter to search everything.</li>
          )}
          {items.map((it, i) => (
            <li
              key={it.id}
              role="option"
              aria-selected={i === active}
              className={i === active ? "active" : ""}
              onMouseDown={() => go(hitPath(it))}
            >
              <span className="s-title" dangerouslySetInnerHTML={{ __html: it.titleHtml }} />
              <span className="s-meta">{it.type === "question" ? "Answered question" : it.spaceName}</span>
              <span className="s-snippet" dangerouslySetInnerHTML={{ __html: it.snippet }} />
            </li>
          ))}
          {items.length > 0 && (
            <li className="suggestion-all" onMouseDown={() => go(`/search?q=${encodeURIComponent(q)}`)}>
              See all {plural(result.total, "result")}
            </li>
          )}
        </ul>
      )}
    </div>
  );
}

function InboxLink() {
  const { pending, mentions } = useLive();
  return (
    <NavLink to="/inbox">
      Inbox{" "}
      {pending > 0 && (
        <span className="count" aria-label={`${pending} waiting`} data-testid="inbox-count">
          {pending}
        </span>
      )}
      {mentions > 0 && (
        <span
          className="count mentions"
          aria-label={`${mentions} new mention${mentions === 1 ? "" : "s"}`}
          data-testid="mention-count"
        >
          @{mentions}
        </span>
      )}
    </NavLink>
  );
}

/** The frame of every signed-in page. */
export function Layout() {
  const { user, ready } = useAuth();
  const location = useLocation();
  if (!ready) return <Loading />;
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return (
    <LiveProvider>
      <Frame />
    </LiveProvider>
  );
}

function Frame() {
  const { user, signOut } = useAuth();
  const location = useLocation();
  const [menu, setMenu] = useState(false);
  const [sidekick, setSidekick] = useState(false);
  const closeSidekick = useCallback(() => setSidekick(false), []);
  useEffect(() => setMenu(false), [location.pathname]);
  useEffect(() => {
    // Ctrl/Cmd + K opens the sidekick from anywhere.
    const onKey = (e: globalThis.KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setSidekick(true);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  if (!user) return null;
  return (
    <div className="shell">
      <SkipLink />
      <header className="topbar">
        <button className="menu-button" aria-label="Menu" aria-expanded={menu} onClick={() => setMenu((m) => !m)}>
          ☰
        </button>
        <Link to="/" className="brand">
          <span className="logo" aria-hidden="true">
            K
          </span>{" "}
          Knowhow
        </Link>
        <SearchBox />
        <button
          className="sidekick-button"
          onClick={() => setSidekick(true)}
          title="Describe a problem; get knowledge and people (Ctrl+K)"
        >
          ✦ Sidekick
        </button>
        <Link to={`/people/${user.id}`} className="me" title={user.name}>
          <Avatar name={user.name} size={30} />
        </Link>
      </header>
      <div className="body">
        <nav className={`sidenav${menu ? " open" : ""}`} aria-label="Main">
          <NavLink to="/" end>
            Home
          </NavLink>
          <InboxLink />
          <NavLink to="/questions">Questions</NavLink>
          <NavLink to="/spaces">Spaces</NavLink>
          <NavLink to="/communities">Communities</NavLink>
          <NavLink to="/sessions">Sessions</NavLink>
          <NavLink to="/paths">Learning paths</NavLink>
          <NavLink to="/cohorts">Cohorts</NavLink>
          <NavLink to="/mentoring">Mentoring</NavLink>
          <NavLink to="/workgroups">Workgroups</NavLink>
          <NavLink to="/feedback">Feedback</NavLink>
          <NavLink to="/search">Search</NavLink>
          <NavLink to="/lessons">Lessons learned</NavLink>
          <NavLink to="/feed">Working out loud</NavLink>
          <NavLink to="/verification">Knowledge review</NavLink>
          <NavLink to="/people">People</NavLink>
          <NavLink to="/network">Network map</NavLink>
          <NavLink to="/trash">Trash</NavLink>
          {user.can.administer && <NavLink to="/admin">Admin</NavLink>}
          <hr />
          <NavLink to={`/people/${user.id}`}>My profile</NavLink>
          <NavLink to="/me/availability">My availability</NavLink>
          <NavLink to="/journal">My journal</NavLink>
          <button className="link-button" onClick={() => void signOut()}>
            Sign out
          </button>
        </nav>
        <main className="content" id="main-content" tabIndex={-1}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
      {sidekick && (
        <Suspense fallback={null}>
          <Sidekick onClose={closeSidekick} />
        </Suspense>
      )}
    </div>
  );
}
