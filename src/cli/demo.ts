import path from "node:path";
import { createFileStore } from "../platform/files";
import { loadConfig } from "../platform/config";
import { openDatabase } from "../platform/db";
import { countUsers } from "../modules/accounts/users";
import { loadDemo } from "../../db/seed/load-demo";

/** `knowhow demo`: loads the demo organisation into an empty database. */
export async function run(): Promise<number> {
  const config = loadConfig();
  const database = await openDatabase(config, "demo");
  try {
    if ((await countUsers(database.db)) > 0) {
      process.stderr.write(
        "The database already has people in it; the demo loads only into an empty one (use a fresh DATA_DIR).\n",
      );
      return 1;
    }
    const r = await loadDemo(database.db, new Date(), undefined, createFileStore(path.join(config.dataDir, "files")));
    process.stdout.write(
      `Loaded ${r.people} people and ${r.articles} articles. Sign in as ${r.email} / ${r.password}\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
