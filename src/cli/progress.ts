import cliProgress from "cli-progress";

/** A progress bar on stderr (plain lines when stderr is not a terminal, so logs stay readable). */
export function progressBar(label: string, total: number) {
  if (!process.stderr.isTTY) {
    let last = -1;
    return {
      update(done: number) {
        const pct = total ? Math.floor((done / total) * 10) : 10;
        if (pct !== last) {
          last = pct;
          process.stderr.write(`${label}: ${done}/${total}\n`);
        }
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done: number) => bar.update(done), stop: () => bar.stop() };
}

/** Lets a long job stop cleanly between two units of work on Ctrl-C (a second Ctrl-C exits at once). */
export function interruptFlag() {
  const state = { interrupted: false };
  const onSigint = () => {
    if (state.interrupted) process.exit(130);
    state.interrupted = true;
    process.stderr.write("\nStopping after the current item… (Ctrl-C again to quit now)\n");
  };
  process.on("SIGINT", onSigint);
  return { state, dispose: () => process.off("SIGINT", onSigint) };
}
