#!/usr/bin/env node
// Entry point for `npx knowhow <command>`: runs the TypeScript sources through tsx,
// so a clone works right after `npm install` without a separate build step.
import { register } from "tsx/esm/api";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

register();
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { main } = await import(pathToFileURL(path.join(root, "src/main.ts")).href);
process.exitCode = await main(process.argv.slice(2));
