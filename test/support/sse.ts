/** A server-sent-events client for tests: connects with a session cookie and collects events. */
export type SseClient = {
  events: { type: string; data: Record<string, unknown> }[];
  waitFor: (
    type: string,
    pred?: (d: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ) => Promise<Record<string, unknown>>;
  close: () => void;
};

export async function connectSse(url: string, cookie: string): Promise<SseClient> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { cookie, accept: "text/event-stream" }, signal: controller.signal });
  if (res.status !== 200 || !res.body) throw new Error(`SSE connect failed: ${res.status}`);
  const events: SseClient["events"] = [];
  const waiters: (() => void)[] = [];
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let at: number;
        while ((at = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          let type = "message";
          let data = "";
          for (const line of block.split("\n")) {
            if (line.startsWith("event: ")) type = line.slice(7);
            else if (line.startsWith("data: ")) data += line.slice(6);
          }
          if (!data) continue;
          events.push({ type, data: JSON.parse(data) as Record<string, unknown> });
          for (const w of waiters.splice(0)) w();
        }
      }
    } catch {
      // aborted
    }
  })();
  const client: SseClient = {
    events,
    async waitFor(type, pred = () => true, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = events.find((e) => e.type === type && pred(e.data));
        if (hit) return hit.data;
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(
            `no ${type} event within ${timeoutMs} ms (got: ${events.map((e) => e.type).join(", ") || "none"})`,
          );
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
    close: () => controller.abort(),
  };
  await client.waitFor("ready");
  return client;
}
