import { sql } from "drizzle-orm";
import { jobs } from "../../db/schema";
import { rows, type Executor } from "./db";

// One durable job mechanism for every background delivery (webhooks today; e-mail and chat next).
// A job is a row, enqueued in the same transaction as the change it follows (so it exists exactly
// when the change was committed). Any instance may run due jobs: a job is claimed with
// `for update skip locked` and a lease (`locked_until`), so two instances never run it at the same
// time; if an instance dies mid-job the lease runs out and another takes it (at least once; handlers
// carry an id receivers can deduplicate on). Failures are retried with exponential backoff and
// jitter until `max_attempts`. pg-boss and graphile-worker were considered: both need their own
// connections to a PostgreSQL server (LISTEN, advisory locks), and the embedded database has one
// in-process connection; this table works the same on both.

/** What a queue does with its jobs. */
export type JobHandler = {
  /** Does the work; a throw is a failed attempt (retried later unless it was the last). */
  run: (payload: Record<string, unknown>, attempt: number) => Promise<void>;
  /** Told after a failed attempt: when it will be tried again (null: it will not). */
  failed?: (
    payload: Record<string, unknown>,
    info: { attempt: number; retryAt: Date | null; error: string },
  ) => Promise<void>;
};

const LEASE_MS = 2 * 60_000;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 6 * 3_600_000;

/** The pause before attempt `attempt + 1`: 30 s, 1 min, 2 min, … up to 6 h, plus up to 10 % jitter. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 + 0.1 * random()));
}

/** Adds a job due at `runAt` (the app's clock; pass the transaction of the change it follows). */
export async function enqueueJob(
  db: Executor,
  queue: string,
  payload: Record<string, unknown>,
  options: { runAt: Date; maxAttempts?: number },
): Promise<number> {
  const [row] = await db
    .insert(jobs)
    .values({
      queue,
      payload,
      runAt: options.runAt,
      createdAt: options.runAt,
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    })
    .returning({ id: jobs.id });
  return row.id;
}

type Claimed = { id: number; queue: string; payload: Record<string, unknown>; attempts: number; max_attempts: number };

/**
 * Claims and runs the jobs due at `now` on the given queues (at most `limit`), one after another.
 * Answers how many succeeded and failed. Safe to call from several instances at once.
 */
export async function runDueJobs(
  db: Executor,
  handlers: Record<string, JobHandler>,
  options: { instanceId: string; now: Date; limit?: number },
): Promise<{ done: number; failed: number }> {
  const queues = Object.keys(handlers);
  if (queues.length === 0) return { done: 0, failed: 0 };
  const now = options.now.toISOString();
  const claimed = await rows<Claimed>(
    db,
    sql`update jobs set locked_by = ${options.instanceId},
               locked_until = ${now}::timestamptz + make_interval(secs => ${LEASE_MS / 1000}),
               attempts = attempts + 1
        where id in (
          select id from jobs
          where done_at is null and failed_at is null and run_at <= ${now}::timestamptz
            and (locked_until is null or locked_until < ${now}::timestamptz)
            and queue in (${sql.join(
              queues.map((q) => sql`${q}`),
              sql`, `,
            )})
          order by run_at, id
          limit ${options.limit ?? 20}
          for update skip locked)
        returning id, queue, payload, attempts, max_attempts`,
  );
  let done = 0;
  let failed = 0;
  for (const job of claimed.sort((a, b) => a.id - b.id)) {
    const handler = handlers[job.queue]!;
    try {
      await handler.run(job.payload, job.attempts);
      await db.execute(
        sql`update jobs set done_at = ${now}::timestamptz, locked_by = null, locked_until = null,
                   last_error = null
            where id = ${job.id} and locked_by = ${options.instanceId}`,
      );
      done++;
    } catch (e) {
      failed++;
      const error = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
      const last = job.attempts >= job.max_attempts;
      const retryAt = last ? null : new Date(options.now.getTime() + backoffMs(job.attempts));
      await db.execute(
        last
          ? sql`update jobs set failed_at = ${now}::timestamptz, locked_by = null, locked_until = null,
                       last_error = ${error} where id = ${job.id}`
          : sql`update jobs set run_at = ${retryAt!.toISOString()}::timestamptz, locked_by = null,
                       locked_until = null, last_error = ${error} where id = ${job.id}`,
      );
      await handler.failed?.(job.payload, { attempt: job.attempts, retryAt, error }).catch(() => undefined);
    }
  }
  return { done, failed };
}

/**
 * Runs due jobs every `intervalMs` (and at once when `kick` is called, e.g. right after a change
 * enqueued one). `stop` waits for the round under way.
 */
export function startJobWorker(
  db: Executor,
  handlers: Record<string, JobHandler>,
  options: { instanceId: string; now: () => Date; intervalMs?: number; onError?: (e: unknown) => void },
) {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let again = false;
  const round = () => {
    if (stopped) return running;
    running = running.then(async () => {
      do {
        again = false;
        const r = await runDueJobs(db, handlers, { instanceId: options.instanceId, now: options.now() }).catch(
          (e: unknown) => {
            options.onError?.(e);
            return { done: 0, failed: 0 };
          },
        );
        // A full batch: there may be more due right now.
        if (r.done + r.failed >= 20) again = true;
      } while (again && !stopped);
    });
    return running;
  };
  const timer = setInterval(() => void round(), options.intervalMs ?? 5_000);
  timer.unref();
  return {
    kick: () => void round(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
