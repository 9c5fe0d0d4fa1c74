import path from "node:path";
import { sql } from "drizzle-orm";
import { loadConfig } from "../platform/config";
import { openDatabase, rows } from "../platform/db";
import { createContext } from "../context";
import { importNetwork } from "../modules/network/network.service";
import { NetworkFileError, readNetworkFiles } from "../modules/network/parse-edges";
import { parseArgs, requireFlag, UsageError } from "./args";

/**
 * `knowhow import network --edges <file> [--people <file>] [--name <name>]`: an external who-helps-whom network for the
 * map.
 */
export async function run(argv: string[]): Promise<number> {
  let args;
  let files;
  try {
    args = parseArgs(argv);
    const edgesFile = requireFlag(args, "edges");
    const people = args.flags.get("people");
    files = await readNetworkFiles(edgesFile, typeof people === "string" ? people : undefined);
  } catch (e) {
    if (e instanceof UsageError || e instanceof NetworkFileError) {
      process.stderr.write(
        `knowhow import network: ${e.message}\nusage: knowhow import network --edges <file> [--people <file>] [--name <name>]\n`,
      );
      return 2;
    }
    throw e;
  }
  const name =
    typeof args.flags.get("name") === "string"
      ? String(args.flags.get("name"))
      : path.basename(requireFlag(args, "edges")).replace(/\.[^.]+$/, "");
  const config = loadConfig();
  const database = await openDatabase(config, "import network");
  try {
    const ctx = createContext(config, database);
    const [admin] = await rows<{ id: string; name: string }>(
      ctx.db,
      sql`select id, name from users where role = 'admin' and deactivated_at is null order by created_at limit 1`,
    );
    if (!admin) {
      process.stderr.write("knowhow import network: there is no admin yet; start Knowhow and create one first.\n");
      return 1;
    }
    const r = await importNetwork(
      ctx,
      { id: admin.id, name: admin.name, role: "admin" },
      { name, ...files },
      (done, total) => process.stderr.write(`\r  ${done}/${total} rows`),
    );
    process.stderr.write("\n");
    process.stdout.write(
      `Imported network "${name}": ${r.nodes} people, ${r.edges} edges${files.weighted ? " (weighted)" : ""}. Open /network in Knowhow to see the map.\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
