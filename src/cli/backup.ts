import path from "node:path";
import { loadConfig } from "../platform/config";
import { openDatabase } from "../platform/db";
import { readManifest, restoreBackup, writeBackup } from "../platform/backup";
import { parseArgs } from "./args";
import { interruptFlag, progressBar } from "./progress";

/** One progress bar per step (tables, then files). */
function steps() {
  let current: { step: string; bar: ReturnType<typeof progressBar> } | null = null;
  return {
    update(step: string, done: number, total: number) {
      if (current?.step !== step) {
        current?.bar.stop();
        current = { step, bar: progressBar(step, total) };
      }
      current.bar.update(done);
    },
    stop: () => current?.bar.stop(),
  };
}

/** `knowhow backup <file>`: the database and the uploaded files in one .tar.gz. */
export async function run(argv: string[]): Promise<number> {
  const file = parseArgs(argv).positionals[0];
  if (!file) {
    process.stderr.write("usage: knowhow backup <file.tar.gz>\n");
    return 2;
  }
  const config = loadConfig();
  const database = await openDatabase(config, "backup");
  const stop = interruptFlag();
  const bars = steps();
  try {
    const m = await writeBackup(
      database,
      path.join(config.dataDir, "files"),
      path.resolve(file),
      bars.update,
      () => stop.state.interrupted,
    );
    bars.stop();
    const rowsSaved = m.tables.reduce((n, t) => n + t.rows, 0);
    process.stdout.write(
      `Backup written to ${file}: ${rowsSaved} rows in ${m.tables.length} tables, ${m.files} files.\n`,
    );
    return 0;
  } catch (e) {
    bars.stop();
    process.stderr.write(`${(e as Error).message}\n`);
    return stop.state.interrupted ? 130 : 1;
  } finally {
    stop.dispose();
    await database.close();
  }
}

/** `knowhow restore <file>`: replaces this instance's data with a backup (the server must be stopped). */
export async function restore(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const file = args.positionals[0];
  if (!file) {
    process.stderr.write("usage: knowhow restore <file.tar.gz> [--yes]\n");
    return 2;
  }
  const manifest = await readManifest(path.resolve(file)).catch((e: Error) => e);
  if (manifest instanceof Error) {
    process.stderr.write(`${file}: ${manifest.message}\n`);
    return 1;
  }
  const config = loadConfig();
  if (!args.flags.has("yes")) {
    process.stderr.write(
      `This replaces everything in ${config.databaseUrl ? "the PostgreSQL database" : config.dataDir} with the backup ` +
        `made ${manifest.createdAt}. Run again with --yes to go on.\n`,
    );
    return 2;
  }
  const database = await openDatabase(config, "restore");
  const bars = steps();
  try {
    const m = await restoreBackup(database.db, path.join(config.dataDir, "files"), path.resolve(file), bars.update);
    bars.stop();
    process.stdout.write(`Restored ${m.tables.reduce((n, t) => n + t.rows, 0)} rows and ${m.files} files.\n`);
    return 0;
  } catch (e) {
    bars.stop();
    process.stderr.write(`Nothing was changed: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await database.close();
  }
}
