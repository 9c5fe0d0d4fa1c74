/**
 * Runs a CLI command's `run(argv)` in this process and captures what it writes: the error paths
 * of a command are tested this way (no Node start-up and TypeScript transform per case), while one
 * test per command still spawns `bin/knowhow.mjs` to cover the real entry point.
 */
export async function runInProcess(
  run: (argv: string[]) => Promise<number>,
  argv: string[],
): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = { stdout: process.stdout.write, stderr: process.stderr.write };
  const capture = (into: string[]) =>
    ((chunk: string | Uint8Array) => {
      into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  try {
    const status = await run(argv);
    return { status, stdout: out.join(""), stderr: err.join("") };
  } finally {
    process.stdout.write = write.stdout;
    process.stderr.write = write.stderr;
  }
}
