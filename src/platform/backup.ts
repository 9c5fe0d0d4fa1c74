import { createReadStream, createWriteStream, mkdirSync } from "node:fs";
import { readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { sql } from "drizzle-orm";
import tarStream from "tar-stream";
import { rows, type Db, type Executor } from "./db";

// Backup and restore of a whole instance, the same on both databases: one .tar.gz holding
// manifest.json, every table as JSON lines (db/<table>.jsonl) and the uploaded files (files/…).
//
// - Consistent: the tables are read in one REPEATABLE READ transaction, so the backup is the
//   database as it was at one moment even while people keep writing; every write acknowledged
//   before the backup started is in it. Files are written before their rows are committed, so
//   every attachment row in the snapshot has its bytes on disk when the files are copied after.
// - Logical, not physical: rows as JSON (row_to_json), restored with json_populate_recordset, so a
//   backup of the embedded database restores onto a PostgreSQL server and back. Generated columns
//   are left out (they are computed again); sequences are set back to where they were.
// - Restore goes into an instance of the same schema (its migrations are checked), in one
//   transaction (an interruption leaves the target as it was): tables are emptied, rows inserted with
//   foreign-key triggers off (session_replication_role = replica: the rows were consistent when
//   read), sequences set, then the files are put in place.

export const BACKUP_FORMAT = 1;
const BATCH = 1000;

type Manifest = {
  format: number;
  createdAt: string;
  database: "pglite" | "postgres";
  migration: string | null;
  tables: { name: string; rows: number; columns: string[] }[];
  sequences: { name: string; value: number }[];
  files: number;
};

type Progress = (step: string, done: number, total: number) => void;

async function tablesOf(db: Executor) {
  const tables = await rows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const cols = await rows<{ table: string; column: string }>(
    db,
    sql`select table_name as table, column_name as column from information_schema.columns
        where table_schema = 'public' and is_generated = 'NEVER'
        order by table_name, ordinal_position`,
  );
  return tables.map((t) => ({ name: t.name, columns: cols.filter((c) => c.table === t.name).map((c) => c.column) }));
}

async function lastMigration(db: Executor): Promise<string | null> {
  const [m] = await rows<{ hash: string }>(
    db,
    sql`select hash from drizzle.__drizzle_migrations order by created_at desc, id desc limit 1`,
  ).catch(() => []);
  return m?.hash ?? null;
}

const ident = (name: string) => sql.raw(`"${name.replace(/"/g, '""')}"`);

async function* walk(dir: string, base = dir): AsyncGenerator<string> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    const rel = path.relative(base, full);
    // Half-written uploads and unfinished resumable ones are not part of the data.
    if (rel === "tmp" || rel === "resumable") continue;
    if (e.isDirectory()) yield* walk(full, base);
    else if (e.isFile()) yield rel;
  }
}

/** Writes a backup of the database and the files under `filesRoot` to `file` (atomically: a temp file renamed). */
export async function writeBackup(
  database: { db: Db; kind: "pglite" | "postgres" },
  filesRoot: string,
  file: string,
  onProgress: Progress = () => undefined,
  shouldStop: () => boolean = () => false,
): Promise<Manifest> {
  const temp = `${file}.partial-${process.pid}`;
  const pack = tarStream.pack();
  const written = pipeline(pack, createGzip({ level: 6 }), createWriteStream(temp));
  const add = (name: string, body: string | Buffer) =>
    new Promise<void>((resolve, reject) => pack.entry({ name }, body, (e) => (e ? reject(e) : resolve())));
  try {
    const manifest = await database.db.transaction(async (tx) => {
      await tx.execute(sql`set transaction isolation level repeatable read, read only`);
      const tables = await tablesOf(tx);
      const counts = await Promise.all(
        tables.map(async (t) => {
          const [c] = await rows<{ n: number }>(tx, sql`select count(*)::int as n from ${ident(t.name)}`);
          return c.n;
        }),
      );
      const total = counts.reduce((a, b) => a + b, 0);
      let done = 0;
      for (const [i, t] of tables.entries()) {
        const lines: string[] = [];
        const columns = sql.join(
          t.columns.map((c) => ident(c)),
          sql`, `,
        );
        for (let offset = 0; offset < counts[i]; offset += BATCH) {
          if (shouldStop()) throw new Error("Backup interrupted: nothing was written");
          const batch = await rows<{ j: string }>(
            tx,
            sql`select row_to_json(x)::text as j from (select ${columns} from ${ident(t.name)} order by ctid
                limit ${BATCH} offset ${offset}) x`,
          );
          for (const r of batch) lines.push(r.j);
          done += batch.length;
          onProgress("Tables", done, total);
        }
        await add(`db/${t.name}.jsonl`, lines.length ? `${lines.join("\n")}\n` : "");
      }
      const sequences = await rows<{ name: string; value: string | null }>(
        tx,
        sql`select sequencename as name, last_value::text as value from pg_sequences where schemaname = 'public'`,
      );
      return {
        format: BACKUP_FORMAT,
        createdAt: new Date().toISOString(),
        database: database.kind,
        migration: await lastMigration(tx),
        tables: tables.map((t, i) => ({ name: t.name, rows: counts[i], columns: t.columns })),
        sequences: sequences.filter((s) => s.value !== null).map((s) => ({ name: s.name, value: Number(s.value) })),
        files: 0,
      } satisfies Manifest;
    });
    const files: string[] = [];
    for await (const rel of walk(filesRoot)) files.push(rel);
    for (const [i, rel] of files.entries()) {
      if (shouldStop()) throw new Error("Backup interrupted: nothing was written");
      const full = path.join(filesRoot, rel);
      const size = (await stat(full)).size;
      await new Promise<void>((resolve, reject) => {
        const entry = pack.entry({ name: `files/${rel.split(path.sep).join("/")}`, size }, (e) =>
          e ? reject(e) : resolve(),
        );
        pipeline(createReadStream(full), entry).catch(reject);
      });
      onProgress("Files", i + 1, files.length);
    }
    manifest.files = files.length;
    await add("manifest.json", JSON.stringify(manifest, null, 2));
    pack.finalize();
    await written;
    await rename(temp, file);
    return manifest;
  } catch (e) {
    pack.destroy();
    await written.catch(() => undefined);
    await rm(temp, { force: true });
    throw e;
  }
}

/** Reads a backup: the manifest, each table's rows, each file (in archive order: tables, files, manifest). */
async function readArchive(
  file: string,
  on: {
    table: (name: string, text: string) => Promise<void>;
    file: (rel: string, stream: NodeJS.ReadableStream) => Promise<void>;
  },
): Promise<Manifest> {
  const extract = tarStream.extract();
  let manifest: Manifest | null = null;
  const done = pipeline(createReadStream(file), createGunzip(), extract);
  // A broken file fails both the pipeline and the loop below: the loop's error is the one reported.
  done.catch(() => undefined);
  for await (const entry of extract) {
    const name = entry.header.name;
    if (name === "manifest.json" || name.startsWith("db/")) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      const text = Buffer.concat(chunks).toString("utf8");
      if (name === "manifest.json") manifest = JSON.parse(text) as Manifest;
      else await on.table(name.slice(3).replace(/\.jsonl$/, ""), text);
    } else if (name.startsWith("files/")) {
      const rel = name.slice(6);
      if (rel.split("/").some((p) => p === ".." || p === "") || path.isAbsolute(rel))
        throw new Error(`The backup holds an unsafe file name: ${name}`);
      await on.file(rel, entry);
    } else entry.resume();
  }
  await done;
  if (!manifest) throw new Error("Not a Knowhow backup: manifest.json is missing");
  return manifest;
}

/** Reads only a backup's manifest (to check it before restoring). */
export async function readManifest(file: string): Promise<Manifest> {
  return readArchive(file, { table: async () => undefined, file: async (_r, s) => void s.resume() });
}

/**
 * Restores a backup into this database and `filesRoot`, replacing what is there: refused when the
 * backup was made by another schema version. One transaction for the rows; files go in after it
 * committed (into a fresh folder, swapped in at the end).
 */
export async function restoreBackup(
  db: Db,
  filesRoot: string,
  file: string,
  onProgress: Progress = () => undefined,
): Promise<Manifest> {
  const manifest = await readManifest(file);
  if (manifest.format !== BACKUP_FORMAT) throw new Error(`Backup format ${manifest.format} is not supported here`);
  const here = await lastMigration(db);
  if (manifest.migration !== here)
    throw new Error(
      "The backup was made by another version of Knowhow (its database schema differs): restore it with that version",
    );
  const total = manifest.tables.reduce((n, t) => n + t.rows, 0);
  const staging = `${filesRoot}.restoring-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  let fileCount = 0;
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    const present = await tablesOf(tx);
    const known = new Set(present.map((t) => t.name));
    await tx.execute(
      sql`truncate ${sql.join(
        present.map((t) => ident(t.name)),
        sql`, `,
      )} restart identity cascade`,
    );
    let done = 0;
    await readArchive(file, {
      table: async (name, text) => {
        const meta = manifest.tables.find((t) => t.name === name);
        if (!meta || !known.has(name)) throw new Error(`The backup holds a table this version does not have: ${name}`);
        const lines = text.split("\n").filter((l) => l.length > 0);
        const columns = sql.join(
          meta.columns.map((c) => ident(c)),
          sql`, `,
        );
        for (let i = 0; i < lines.length; i += BATCH) {
          const json = `[${lines.slice(i, i + BATCH).join(",")}]`;
          await tx.execute(
            sql`insert into ${ident(name)} (${columns}) overriding system value
                select ${columns} from json_populate_recordset(null::${ident(name)}, ${json}::json)`,
          );
          done += Math.min(BATCH, lines.length - i);
          onProgress("Tables", done, total);
        }
      },
      file: async (rel, stream) => {
        const dest = path.join(staging, ...rel.split("/"));
        mkdirSync(path.dirname(dest), { recursive: true });
        await pipeline(stream, createWriteStream(dest));
        fileCount++;
        onProgress("Files", fileCount, manifest.files);
      },
    });
    for (const s of manifest.sequences)
      await tx.execute(sql`select setval(${`public.${s.name}`}::regclass, ${s.value})`);
  });
  // The rows are in: the files follow (the old folder is kept aside until the new one is in place).
  const aside = `${filesRoot}.before-restore-${process.pid}`;
  await rename(filesRoot, aside).catch(() => undefined);
  await rename(staging, filesRoot);
  await rm(aside, { recursive: true, force: true });
  mkdirSync(path.join(filesRoot, "tmp"), { recursive: true });
  return manifest;
}
