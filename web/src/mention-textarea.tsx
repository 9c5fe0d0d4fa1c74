import {
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type TextareaHTMLAttributes,
} from "react";
import { Link } from "react-router";
import { call, routes, type User } from "./api";
import { mentionMarkdown } from "../../src/domain/markdown/mentions";

/** The "@name" being typed just before the caret (letters, digits, dots, dashes, apostrophes; up to two words). */
const TYPING = /(?:^|[\s(])@([\p{L}\p{N}.'-]{1,30}(?: [\p{L}\p{N}.'-]{0,30})?)$/u;

type Props = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "value" | "onChange"> & {
  value: string;
  onChange: (value: string) => void;
};

/**
 * A Markdown textarea with `@` autocomplete: typing "@Ca" lists matching colleagues (the people
 * directory), and picking one (click, or arrows and Enter/Tab) inserts `[@Name](/people/<id>)`,
 * which the server turns into a notification. A combobox in the ARIA sense: the list is announced,
 * the active option followed; Escape closes it. The caller labels it (<label htmlFor> with its `id`).
 */
export function MentionTextarea({ value, onChange, onKeyDown, ...rest }: Props) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const hintId = useId();
  const [query, setQuery] = useState<{ text: string; start: number } | null>(null);
  const [hits, setHits] = useState<User[]>([]);
  const [active, setActive] = useState(0);
  const open = query !== null && hits.length > 0;

  const typed = query?.text.trim() ?? "";
  useEffect(() => {
    if (typed.length < 1) {
      setHits([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      call(routes.people.getPeople, { query: { q: typed, limit: 6 } })
        .then((r) => {
          if (!live) return;
          setHits(r.items);
          setActive(0);
        })
        .catch(() => live && setHits([]));
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [typed]);

  const follow = (text: string, caret: number) => {
    const m = TYPING.exec(text.slice(0, caret));
    setQuery(m ? { text: m[1], start: caret - m[1].length - 1 } : null);
  };

  const pick = (person: User) => {
    if (!query || !ref.current) return;
    const caret = ref.current.selectionStart;
    const inserted = `${mentionMarkdown(person)} `;
    const next = value.slice(0, query.start) + inserted + value.slice(caret);
    onChange(next);
    setQuery(null);
    setHits([]);
    const at = query.start + inserted.length;
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(at, at);
    });
  };

  const keyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const step = e.key === "ArrowDown" ? 1 : -1;
        setActive((i) => (i + step + hits.length) % hits.length);
        return;
      }
      if (e.key === "Enter" || e.key === "Tab") {
        e.preventDefault();
        pick(hits[active]);
        return;
      }
      if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        setQuery(null);
        setHits([]);
        return;
      }
    }
    onKeyDown?.(e);
  };

  return (
    <div className="mention-box">
      <textarea
        {...rest}
        ref={ref}
        value={value}
        role="combobox"
        aria-autocomplete="list"
        aria-describedby={hintId}
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        onChange={(e) => {
          onChange(e.target.value);
          follow(e.target.value, e.target.selectionStart);
        }}
        onKeyDown={keyDown}
        onBlur={() => setTimeout(() => setQuery(null), 150)}
      />
      <ul id={listId} role="listbox" aria-label="People to mention" className="pick-list mention-list" hidden={!open}>
        {open &&
          hits.map((h, i) => (
            <li
              key={h.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? "active" : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(h);
              }}
            >
              {h.name} <span className="muted">{[h.title, h.department].filter(Boolean).join(", ")}</span>
            </li>
          ))}
      </ul>
      <span id={hintId} className="muted small-text">
        Markdown; type @ and a name to mention a colleague.
      </span>
    </div>
  );
}

const MENTION_LINK = /\[@([^\]\n]{1,120})\]\(\/people\/([0-9a-fA-F-]{36})\)/g;

/** Plain text (a comment on a question or answer) with its mentions as links to the people's pages. */
export function MentionText({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(MENTION_LINK)) {
    parts.push(text.slice(last, m.index));
    parts.push(
      <Link key={m.index} className="mention" to={`/people/${m[2]}`}>
        @{m[1]}
      </Link>,
    );
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}
