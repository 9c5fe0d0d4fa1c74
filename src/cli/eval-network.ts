import { analyzeNetwork } from "../domain/graph/analyze";
import { NetworkFileError, readNetworkFiles } from "../modules/network/parse-edges";
import { parseArgs, requireFlag, UsageError } from "./args";

/**
 * `knowhow eval network --edges <file> [--people <file>]`: every network metric as JSON on
 * stdout, computed on the directed graph exactly as the file gives it.
 */
export async function run(argv: string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    const edgesFile = requireFlag(args, "edges");
    const peopleFlag = args.flags.get("people");
    const { edges, people } = await readNetworkFiles(
      edgesFile,
      typeof peopleFlag === "string" ? peopleFlag : undefined,
    );
    const result = analyzeNetwork(people.keys(), edges, (id) => people.get(id) ?? "");
    const out = { people: result.people, departments: result.departments, modularity: result.modularity };
    process.stderr.write(
      `${result.graph.n} people, ${result.graph.targets.length} edges, ${result.communities} communities; ` +
        Object.entries(result.timings)
          .map(([k, v]) => `${k} ${v.toFixed(0)} ms`)
          .join(", ") +
        "\n",
    );
    process.stdout.write(JSON.stringify(out) + "\n");
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof NetworkFileError) {
      process.stderr.write(
        `knowhow eval network: ${e.message}\nusage: knowhow eval network --edges <file> [--people <file>]\n`,
      );
      return 2;
    }
    throw e;
  }
}
