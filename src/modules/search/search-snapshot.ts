import { open, readFile, rename, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { crc32 } from "node:zlib";
import { INDEX_SECTION_TYPES, SearchIndex, type IndexState } from "../../domain/search/search-index";

/*
 * The search index on disk, so a restarted instance answers in seconds instead of re-reading and
 * re-analysing every document. Layout (little-endian):
 *
 *   "KHSNAP" + format (u16) | meta length (u32) | 0 (u32) | meta JSON, padded to 8 bytes
 *   15 binary sections (see INDEX_SECTION_TYPES), each padded to 8 bytes
 *   CRC-32 of everything before (u32) | 0 (u32) | "KHSNEND!"
 *
 * The meta names the database it was taken from and the last search sequence number it holds;
 * the caller refuses a snapshot of another database, of another format, or newer than the
 * database (restored from an older backup). A file that is cut short, altered or of an older
 * layout fails the checks and is rebuilt from the database, never half-used. It is written to a
 * temporary file and renamed, so a crash mid-write leaves the previous snapshot whole.
 */

/** Bump when the layout or the analyser (tokens, stemming, stop words) changes. */
export const SNAPSHOT_FORMAT = 1;
const MAGIC = Buffer.from("KHSNAP");
const END = Buffer.from("KHSNEND!");
const CHUNK = 8 * 1024 * 1024;

export type SnapshotMeta = {
  format: number;
  /** Which database the index was built from (name, oid, system identifier). */
  database: string;
  /** The highest search sequence number the index holds. */
  seq: number;
  writtenAt: string;
  index: IndexState["meta"];
};

const pad8 = (n: number) => (8 - (n % 8)) % 8;

/** Writes the index to `file` (atomically); returns the bytes written. */
export async function writeSnapshot(
  file: string,
  index: SearchIndex,
  about: { database: string; seq: number },
): Promise<number> {
  await mkdir(path.dirname(file), { recursive: true });
  const state = index.exportState();
  const meta: SnapshotMeta = {
    format: SNAPSHOT_FORMAT,
    database: about.database,
    seq: about.seq,
    writtenAt: new Date().toISOString(),
    index: state.meta,
  };
  const tmp = `${file}.${process.pid}.tmp`;
  const fh = await open(tmp, "w");
  let crc = 0;
  let written = 0;
  const staging = Buffer.allocUnsafe(CHUNK);
  let used = 0;
  const flush = async () => {
    if (!used) return;
    const chunk = staging.subarray(0, used);
    crc = crc32(chunk, crc);
    await fh.write(chunk);
    written += used;
    used = 0;
  };
  const put = async (bytes: Uint8Array) => {
    let at = 0;
    while (at < bytes.length) {
      const n = Math.min(bytes.length - at, CHUNK - used);
      staging.set(bytes.subarray(at, at + n), used);
      used += n;
      at += n;
      if (used === CHUNK) await flush();
    }
  };
  const zeros = new Uint8Array(8);
  try {
    const json = Buffer.from(JSON.stringify(meta));
    const head = Buffer.alloc(16);
    MAGIC.copy(head, 0);
    head.writeUInt16LE(SNAPSHOT_FORMAT, 6);
    head.writeUInt32LE(json.length, 8);
    await put(head);
    await put(json);
    await put(zeros.subarray(0, pad8(json.length)));
    for (const section of state.sections) {
      let size = 0;
      for (const view of section) {
        await put(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
        size += view.byteLength;
      }
      await put(zeros.subarray(0, pad8(size)));
    }
    await flush();
    const tail = Buffer.alloc(16);
    tail.writeUInt32LE(crc >>> 0, 0);
    END.copy(tail, 8);
    await fh.write(tail);
    written += tail.length;
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  await rename(tmp, file);
  return written;
}

/** Reads a snapshot; throws with the reason when the file is not a whole, valid one. */
export async function readSnapshot(file: string): Promise<{ meta: SnapshotMeta; index: SearchIndex }> {
  let buf = await readFile(file);
  if (buf.length < 32 || !buf.subarray(0, 6).equals(MAGIC) || !buf.subarray(buf.length - 8).equals(END))
    throw new Error("not a complete search snapshot");
  if (buf.readUInt16LE(6) !== SNAPSHOT_FORMAT) throw new Error(`snapshot format ${buf.readUInt16LE(6)}`);
  const body = buf.subarray(0, buf.length - 16);
  if (crc32(body) >>> 0 !== buf.readUInt32LE(buf.length - 16)) throw new Error("checksum mismatch");
  if (buf.byteOffset % 8 !== 0) buf = Buffer.from(buf); // typed views need aligned offsets
  const metaLength = buf.readUInt32LE(8);
  const meta = JSON.parse(buf.toString("utf8", 16, 16 + metaLength)) as SnapshotMeta;
  let at = 16 + metaLength + pad8(metaLength);
  const { docs, terms } = meta.index;
  const sections: IndexState["sections"] = [];
  const lengths = (i: number): number => {
    // Element counts, in order; the variable ones come from offsets read before them.
    if (i === 0) return terms;
    if (i <= 7) return docs;
    if (i === 8) return docs + 1;
    if (i === 9) return (sections[8] as Int32Array)[docs];
    if (i === 10) return terms + 1;
    return (sections[10] as Int32Array)[terms];
  };
  for (let i = 0; i < INDEX_SECTION_TYPES.length; i++) {
    const Type = INDEX_SECTION_TYPES[i];
    const count = lengths(i);
    const bytes = count * Type.BYTES_PER_ELEMENT;
    if (!(count >= 0) || at + bytes > body.length) throw new Error("snapshot is shorter than its contents");
    sections.push(new Type(buf.buffer, buf.byteOffset + at, count));
    at += bytes + pad8(bytes);
  }
  if (at !== body.length) throw new Error("snapshot is longer than its contents");
  return { meta, index: SearchIndex.importState({ meta: meta.index, sections }) };
}
