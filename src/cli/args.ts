/** Minimal flag parsing for the CLI: `--name value`, `--flag`, and positionals. */
type ParsedArgs = { positionals: string[]; flags: Map<string, string | true> };

/** Splits argv into positionals and --flags (a flag followed by a non-flag takes it as value). */
export function parseArgs(argv: string[], booleanFlags: readonly string[] = []): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) {
      const [name, inline] = a.slice(2).split("=", 2);
      if (inline !== undefined) flags.set(name, inline);
      else if (!booleanFlags.includes(name) && i + 1 < argv.length && !argv[i + 1].startsWith("--"))
        flags.set(name, argv[++i]);
      else flags.set(name, true);
    } else positionals.push(a);
  }
  return { positionals, flags };
}

/** A required string flag, or an error message naming it. */
export function requireFlag(args: ParsedArgs, name: string): string {
  const v = args.flags.get(name);
  if (typeof v !== "string" || !v) throw new UsageError(`--${name} <value> is required`);
  return v;
}

export class UsageError extends Error {}
