#!/usr/bin/env node
// `npm run bench -- <name> [args]` runs bench/<name>.ts through tsx.
import { register } from "tsx/esm/api";
import { fileURLToPath, pathToFileURL } from "node:url";
import { readdirSync, existsSync } from "node:fs";
import path from "node:path";

register();
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const [name, ...rest] = process.argv.slice(2);
const available = readdirSync(path.join(root, "bench"))
  .filter((f) => f.endsWith(".ts") && !f.startsWith("_"))
  .map((f) => f.slice(0, -3));
if (!name || !existsSync(path.join(root, "bench", `${name}.ts`))) {
  console.error(`usage: npm run bench -- <name>   (available: ${available.join(", ")})`);
  process.exit(2);
}
const mod = await import(pathToFileURL(path.join(root, "bench", `${name}.ts`)).href);
process.exitCode = (await mod.run(rest)) ?? 0;
