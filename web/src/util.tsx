import { useCallback, useEffect, useState, type ReactNode } from "react";
import { Link } from "react-router";
import { ApiError, call, routes } from "./api";
import type { LinkedItem } from "./contracts";
import { avatarBackground } from "./contrast";

type Load<T> = {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
  setData: (d: T) => void;
};

/** Loads data for a page; reloads when `deps` change. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): Load<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const run = useCallback(fn, deps);
  useEffect(() => {
    let live = true;
    setLoading(true);
    run()
      .then((d) => {
        if (live) {
          setData(d);
          setError(null);
        }
      })
      .catch((e: unknown) => live && setError(e instanceof ApiError ? e : new ApiError(0, "error", String(e))))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [run, tick]);
  return { data, error, loading, reload: () => setTick((t) => t + 1), setData };
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function ErrorBox({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return (
    <div className="error-box" role="alert">
      {error.status === 404 ? "Not found, or you do not have access to it." : error.message}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
export function ago(iso: string): string {
  const s = (new Date(iso).getTime() - Date.now()) / 1000;
  const abs = Math.abs(s);
  if (abs < 60) return "just now";
  if (abs < 3600) return rtf.format(Math.round(s / 60), "minute");
  if (abs < 86400) return rtf.format(Math.round(s / 3600), "hour");
  if (abs < 86400 * 30) return rtf.format(Math.round(s / 86400), "day");
  if (abs < 86400 * 365) return rtf.format(Math.round(s / (86400 * 30)), "month");
  return rtf.format(Math.round(s / (86400 * 365)), "year");
}

export function fullDate(iso: string): string {
  return new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join("");
}

export function Avatar({ name, size = 32 }: { name: string; size?: number }) {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) % 360;
  return (
    <span
      className="avatar"
      style={{ width: size, height: size, fontSize: size * 0.4, background: avatarBackground(h) }}
      aria-hidden="true"
    >
      {initials(name)}
    </span>
  );
}

export function Tags({ tags }: { tags: string[] }) {
  if (tags.length === 0) return null;
  return (
    <span className="tags">
      {tags.map((t) => (
        <a key={t} className="tag" href={`/search?tag=${encodeURIComponent(t)}`}>
          #{t}
        </a>
      ))}
    </span>
  );
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** "Who can see it": the whole organisation, or the members of one of the viewer's spaces. */
export function AudienceSelect({ value, onChange }: { value: string; onChange: (spaceId: string) => void }) {
  const spaces = useLoad(() => call(routes.spaces.getSpaces), []);
  return (
    <label className="field">
      <span>Who can see it</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Everyone in the organisation</option>
        {spaces.data?.items.map((s) => (
          <option key={s.id} value={s.id}>
            Members of {s.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * A link to another item as the server presents it: the title when the reader may open it, else only that it exists.
 */
export type { LinkedItem };

export function LinkedTitle({ item, to }: { item: LinkedItem; to: (id: string) => string }) {
  if (item.hidden) return <em title="It is somewhere you do not have access to">an item you cannot open</em>;
  return <Link to={to(item.id)}>{item.title}</Link>;
}

/** "1 answer", "2 answers": a count with its noun in the right number. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? word : many}`;
}

/** A set of radio buttons under a legend (one choice of a few, each with its explanation). */
export function RadioGroup<T extends string>({
  legend,
  name,
  value,
  options,
  onChange,
}: {
  legend: string;
  name: string;
  value: T;
  options: { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  return (
    <fieldset className="field">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="radio">
          <input type="radio" name={name} checked={value === o.value} onChange={() => onChange(o.value)} /> {o.label}
        </label>
      ))}
    </fieldset>
  );
}
