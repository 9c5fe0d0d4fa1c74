#!/usr/bin/env node
// `node scripts/busy-test.mjs [runs=3] [busy=2] [-- npm test args]`: runs `npm test` several times in a
// row while `busy` processes spin on the CPU, to show the suite depends on behaviour, not on an idle
// machine. Prints each run's result and time; exits 1 if any run failed.
import { fork, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const [runs = 3, busy = 2] = process.argv
  .slice(2)
  .filter((a) => /^\d+$/.test(a))
  .map(Number);
const extra = process.argv.includes("--") ? process.argv.slice(process.argv.indexOf("--") + 1) : [];

if (process.env.KNOWHOW_BUSY_CHILD === "1") {
  // A busy process: spins in 100 ms slices, and stops when its parent goes away.
  const spin = () => {
    const until = Date.now() + 100;
    while (Date.now() < until);
    if (!process.connected) process.exit(0);
    setImmediate(spin);
  };
  spin();
} else {
  main();
}

function main() {
  const spinners = Array.from({ length: busy }, () =>
    fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, KNOWHOW_BUSY_CHILD: "1" } }),
  );
  const stop = () => spinners.forEach((s) => s.connected && s.disconnect());
  process.on("SIGINT", () => (stop(), process.exit(130)));

  const results = [];
  for (let i = 1; i <= runs; i++) {
    const started = Date.now();
    console.log(`\n=== npm test, run ${i} of ${runs}, with ${busy} busy processes ===`);
    const r = spawnSync("npm", ["test", ...(extra.length ? ["--", ...extra] : [])], { cwd: root, stdio: "inherit" });
    results.push({ run: i, status: r.status ?? 1, seconds: Math.round((Date.now() - started) / 1000) });
  }
  stop();
  console.log(`\n${busy} busy processes, ${runs} runs of npm test:`);
  for (const r of results) console.log(`  run ${r.run}: ${r.status === 0 ? "passed" : "FAILED"} in ${r.seconds} s`);
  process.exit(results.every((r) => r.status === 0) ? 0 : 1);
}
