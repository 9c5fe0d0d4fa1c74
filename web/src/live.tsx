import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { call, routes, urlFor } from "./api";

type LiveEvent = { type: string; data: { questionId?: string } };
type Listener = (e: LiveEvent) => void;
type Live = {
  connected: boolean;
  /** Routed requests waiting for the person. */
  pending: number;
  /** Mentions of the person not seen yet. */
  mentions: number;
  subscribe: (l: Listener) => () => void;
  refreshPending: () => void;
};

const LiveContext = createContext<Live>({
  connected: false,
  pending: 0,
  mentions: 0,
  subscribe: () => () => undefined,
  refreshPending: () => undefined,
});
const TYPES = [
  "routing.request",
  "routing.update",
  "question.answered",
  "knowledge.challenged",
  "knowledge.escalated",
  "notice",
  "mention",
];

/**
 * One server-sent-events stream per tab for the signed-in person: routed requests, routing
 * updates and answers to their questions arrive without a refresh. EventSource reconnects by itself.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [connected, setConnected] = useState(false);
  const [pending, setPending] = useState(0);
  const [mentions, setMentions] = useState(0);
  const listeners = useRef(new Set<Listener>());
  const refreshPending = useCallback(() => {
    call(routes.routing.getInbox, { query: { status: "open", limit: 1 } })
      .then((r) => setPending(r.pending))
      .catch(() => undefined);
    call(routes.mentions.getMentions, { query: { limit: 1 } })
      .then((r) => setMentions(r.unseen))
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    refreshPending();
    const source = new EventSource(urlFor(routes.routing.getEvents));
    source.addEventListener("ready", () => setConnected(true));
    source.onerror = () => setConnected(false);
    for (const type of TYPES)
      source.addEventListener(type, (msg) => {
        const event: LiveEvent = { type, data: JSON.parse((msg as MessageEvent<string>).data) as LiveEvent["data"] };
        if (type.startsWith("routing.") || type === "mention") refreshPending();
        for (const l of listeners.current) l(event);
      });
    return () => source.close();
  }, [refreshPending]);
  const subscribe = useCallback((l: Listener) => {
    listeners.current.add(l);
    return () => {
      listeners.current.delete(l);
    };
  }, []);
  const value = useMemo<Live>(
    () => ({ connected, pending, mentions, refreshPending, subscribe }),
    [connected, pending, mentions, refreshPending, subscribe],
  );
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
  return useContext(LiveContext);
}

/** Calls `onEvent` for every live event while the component is mounted. */
export function useLiveEvents(onEvent: Listener): void {
  const { subscribe } = useLive();
  const ref = useRef(onEvent);
  ref.current = onEvent;
  useEffect(() => subscribe((e) => ref.current(e)), [subscribe]);
}
