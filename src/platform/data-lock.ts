import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

/** Who holds an embedded database open. */
type LockHolder = { pid: number; command: string; startedAt: string };

export class DataDirInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded database in ${dir} is open in another Knowhow process (pid ${holder.pid}, \`knowhow ${holder.command}\`, since ${holder.startedAt}). ` +
        `Two processes must never open it at once: stop that process first (Ctrl-C in its terminal, or kill ${holder.pid}), then run this again` +
        (holder.command === "serve" ? " — or do the work through the running server (its web UI and API)." : "."),
    );
    this.name = "DataDirInUseError";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<LockHolder>;
    return typeof parsed.pid === "number"
      ? { pid: parsed.pid, command: parsed.command ?? "?", startedAt: parsed.startedAt ?? "?" }
      : null;
  } catch {
    return null;
  }
}

/**
 * Takes the embedded database in `dir` for this process, or throws DataDirInUseError naming the
 * process that has it. The lock is a file created exclusively (O_EXCL) holding the owner's pid; a
 * lock left by a process that died (kill -9, power cut) is taken over. Returns the release function.
 */
export function lockDataDir(dir: string, command: string): () => void {
  const file = path.join(dir, "knowhow.lock");
  const me: LockHolder = { pid: process.pid, command, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off("exit", release);
        // Only remove our own lock (a stale-lock takeover may have replaced it).
        if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true });
      };
      process.on("exit", release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = readHolder(file);
      if (holder && alive(holder.pid)) throw new DataDirInUseError(dir, holder);
      // Stale (its process is gone) or unreadable half-written: remove it and try again.
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock ${dir}: its lock file keeps changing`);
}
