import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';

/** Where file bytes live. Metadata and ownership are in the database; this only keeps bytes. */
export interface FileStore {
  /** Stores bytes under a new key and returns it. */
  put(bytes: Uint8Array): Promise<string>;
  /** A stream of the bytes, or null when the key is unknown. */
  get(key: string): Promise<ReadableStream<Uint8Array> | null>;
  delete(key: string): Promise<void>;
}

/**
 * Local-directory store: one file per key, two-level fan-out so no directory grows huge.
 * Writes go to a temporary name and are renamed, so a crash never leaves half a file under a key.
 */
export function createLocalFileStore(root: string): FileStore {
  const pathOf = (key: string) => join(root, key.slice(0, 2), key);
  return {
    async put(bytes) {
      const key = randomUUID().replaceAll('-', '');
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, path);
      return key;
    },
    async get(key) {
      const path = pathOf(key);
      try {
        await stat(path);
      } catch {
        return null;
      }
      return Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
