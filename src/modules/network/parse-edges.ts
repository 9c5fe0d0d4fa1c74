import { readFile } from "node:fs/promises";
import type { Edge } from "../../domain/graph/graph";

export class NetworkFileError extends Error {}

const HEADER = /^(source|src|from|node|id|person|u)$/i;

function rows(text: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (!t || t.startsWith("#") || t.startsWith("%")) continue;
    out.push({ line: i + 1, fields: t.split(/[\s,;]+/).filter((f) => f.length > 0) });
  }
  return out;
}

/**
 * An edge list: `source target [weight]` per line, separated by commas, tabs, semicolons or
 * any whitespace; CRLF, a header line and # comments are tolerated. Errors name the line.
 */
export function parseEdgeList(text: string, file = "edges"): { edges: Edge[]; weighted: boolean } {
  const all = rows(text);
  if (all.length > 0 && HEADER.test(all[0].fields[0] ?? "")) all.shift();
  const edges: Edge[] = [];
  let weighted: boolean | null = null;
  for (const { line, fields } of all) {
    if (fields.length < 2 || fields.length > 3)
      throw new NetworkFileError(`${file}:${line}: expected "source target [weight]", found ${fields.length} field(s)`);
    const hasWeight = fields.length === 3;
    if (weighted === null) weighted = hasWeight;
    else if (weighted !== hasWeight)
      throw new NetworkFileError(
        `${file}:${line}: ${hasWeight ? "has a weight but earlier lines do not" : "has no weight but earlier lines do"}`,
      );
    let weight: number | undefined;
    if (hasWeight) {
      weight = Number(fields[2]);
      if (!Number.isFinite(weight) || weight < 0)
        throw new NetworkFileError(`${file}:${line}: weight "${fields[2]}" is not a non-negative number`);
    }
    edges.push(
      weight === undefined
        ? { source: fields[0], target: fields[1] }
        : { source: fields[0], target: fields[1], weight },
    );
  }
  return { edges, weighted: weighted ?? false };
}

/** A people file: `id department` per line (same separators); the department may be a number or a name. */
export function parsePeople(text: string, file = "people"): Map<string, string> {
  const all = rows(text);
  if (all.length > 0 && HEADER.test(all[0].fields[0] ?? "")) all.shift();
  const people = new Map<string, string>();
  for (const { line, fields } of all) {
    if (fields.length < 2) throw new NetworkFileError(`${file}:${line}: expected "id department"`);
    people.set(fields[0], fields.slice(1).join(" "));
  }
  return people;
}

export async function readNetworkFiles(
  edgesFile: string,
  peopleFile?: string,
): Promise<{ edges: Edge[]; weighted: boolean; people: Map<string, string> }> {
  const read = async (f: string) => {
    try {
      return await readFile(f, "utf8");
    } catch (e) {
      throw new NetworkFileError(`${f}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  };
  const { edges, weighted } = parseEdgeList(await read(edgesFile), edgesFile);
  const people = peopleFile ? parsePeople(await read(peopleFile), peopleFile) : new Map<string, string>();
  return { edges, weighted, people };
}
