import { eq, asc } from "drizzle-orm";
import { users } from "../../db/schema";
import { loadConfig } from "../platform/config";
import { openDatabase } from "../platform/db";
import { createContext } from "../context";
import { findUserByEmail } from "../modules/accounts/users";
import { importMarkdownFolder } from "../modules/knowledge/import/import-markdown";
import { parseArgs, requireFlag, UsageError } from "./args";
import { interruptFlag, progressBar } from "./progress";
import { existsSync, statSync } from "node:fs";

const USAGE = "usage: knowhow import markdown <dir> --space <name> [--as <email>]";

/** `knowhow import markdown <dir> --space <name> [--as <email>]` */
export async function run(argv: string[]): Promise<number> {
  let dir: string;
  let spaceName: string;
  const args = parseArgs(argv);
  try {
    dir = args.positionals[0];
    if (!dir) throw new UsageError("<dir> is required");
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: not a folder`);
    spaceName = requireFlag(args, "space");
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  const config = loadConfig();
  const database = await openDatabase(config, "import markdown");
  const ctx = createContext(config, database);
  const stop = interruptFlag();
  try {
    const asEmail = args.flags.get("as");
    const user =
      typeof asEmail === "string"
        ? await findUserByEmail(ctx.db, asEmail)
        : (await ctx.db.select().from(users).where(eq(users.role, "admin")).orderBy(asc(users.createdAt)).limit(1))[0];
    if (!user) {
      process.stderr.write(
        typeof asEmail === "string"
          ? `No person with email ${asEmail}\n`
          : "No admin yet: start Knowhow once and create one, or pass --as <email>\n",
      );
      return 2;
    }
    const actor = { id: user.id, role: user.role, name: user.name };
    let bar: ReturnType<typeof progressBar> | null = null;
    const report = await importMarkdownFolder(ctx, actor, {
      root: dir,
      spaceName,
      onProgress: (done, total) => {
        bar ??= progressBar("Importing", total);
        bar.update(done);
      },
      shouldStop: () => stop.state.interrupted,
    });
    (bar as ReturnType<typeof progressBar> | null)?.stop();
    process.stdout.write(
      `${report.interrupted ? "Interrupted — run the same command again to continue. " : ""}` +
        `${report.total} files: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged; ${report.attachments} attachments stored.\n`,
    );
    for (const m of report.missingAssets) process.stderr.write(`missing file referenced by ${m}\n`);
    return report.interrupted ? 130 : 0;
  } finally {
    stop.dispose();
    await database.close();
  }
}
