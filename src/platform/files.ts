import { createReadStream, createWriteStream, mkdirSync } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import path from "node:path";

/** Attachment bytes on disk under DATA_DIR/files, addressed by an opaque storage key. */
export type FileStore = {
  root: string;
  pathOf: (key: string) => string;
  createTemp: () => { key: string; path: string; stream: NodeJS.WritableStream };
  commit: (tempPath: string, key: string) => Promise<void>;
  remove: (key: string) => Promise<void>;
  size: (key: string) => Promise<number>;
  read: (key: string, range?: { start: number; end: number }) => NodeJS.ReadableStream;
};

/** A file store rooted at `root`; keys are fanned out into two-character folders. */
export function createFileStore(root: string): FileStore {
  mkdirSync(path.join(root, "tmp"), { recursive: true });
  const pathOf = (key: string) => {
    if (!/^[a-f0-9-]{36}$/.test(key)) throw new Error("bad storage key");
    return path.join(root, key.slice(0, 2), key);
  };
  return {
    root,
    pathOf,
    createTemp() {
      const key = randomUUID();
      const p = path.join(root, "tmp", key);
      return { key, path: p, stream: createWriteStream(p) };
    },
    async commit(tempPath, key) {
      const dest = pathOf(key);
      mkdirSync(path.dirname(dest), { recursive: true });
      await rename(tempPath, dest);
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
    async size(key) {
      return (await stat(pathOf(key))).size;
    },
    read(key, range) {
      return createReadStream(pathOf(key), range ? { start: range.start, end: range.end } : undefined);
    },
  };
}
