/** CLI entry: `knowhow <command> [args]`. Each command lives in src/cli/ and is loaded on demand. */
import { DataDirInUseError } from "./platform/data-lock";

type Command = { summary: string; load: () => Promise<{ run: (args: string[]) => Promise<number> }> };

const commands: Record<string, Command> = {
  serve: { summary: "start the web app and API (http://localhost:3000)", load: () => import("./cli/serve") },
  demo: { summary: "load the demo organisation into the database", load: () => import("./cli/demo") },
  "import markdown": {
    summary: "import a folder of Markdown files: import markdown <dir> --space <name>",
    load: () => import("./cli/import-markdown"),
  },
  "import stackexchange": {
    summary: "import a Stack Exchange data dump: import stackexchange <dir> [--site <name>]",
    load: () => import("./cli/import-stackexchange"),
  },
  "eval routing": {
    summary: "routing quality on a Stack Exchange dump: eval routing --stackexchange <dir> [--test-fraction 0.3]",
    load: () => import("./cli/eval-routing"),
  },
  "eval network": {
    summary: "network metrics as JSON: eval network --edges <file> [--people <file>]",
    load: () => import("./cli/eval-network"),
  },
  "import network": {
    summary: "import an edge list for the network map: import network --edges <file> [--people <file>] [--name <name>]",
    load: () => import("./cli/import-network"),
  },
  backup: {
    summary: "write the database and uploaded files to one file: backup <file.tar.gz>",
    load: () => import("./cli/backup"),
  },
  restore: {
    summary: "replace this instance's data with a backup (server stopped): restore <file.tar.gz> --yes",
    load: async () => ({ run: (await import("./cli/backup")).restore }),
  },
  "eval search": {
    summary: "run queries through the app's search: eval search --docs D.jsonl --queries Q.jsonl",
    load: () => import("./cli/eval-search"),
  },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(18)} ${c.summary}`);
  return `usage: knowhow <command> [options]\n\ncommands:\n${lines.join("\n")}\n`;
}

/** Runs one CLI command and returns its exit code. */
export async function main(argv: string[]): Promise<number> {
  const two = argv.slice(0, 2).join(" ");
  const name = commands[two] ? two : argv[0];
  const rest = commands[two] ? argv.slice(2) : argv.slice(1);
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`knowhow: unknown command "${argv.join(" ")}"\n\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  try {
    return await mod.run(rest);
  } catch (e) {
    // A data folder another process holds is the user's situation, not a crash: say it plainly.
    if (e instanceof DataDirInUseError) {
      process.stderr.write(`knowhow: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
