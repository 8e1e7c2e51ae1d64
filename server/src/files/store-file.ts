import { createHash } from 'node:crypto';
import { files } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import type { FileRow } from './file-info.ts';

export interface StoreFileOptions {
  appId: string;
  name: string;
  mimeType: string;
  bytes: Uint8Array;
  /** The task whose provider produced the file; omitted for app uploads. */
  taskId?: number;
}

/**
 * Keeps a file: bytes in the file store first, then the row that makes them reachable. When the
 * row cannot be written the bytes are removed again, so a failed upload leaves nothing behind.
 */
export async function storeFile(deps: Pick<Deps, 'db' | 'fileStore' | 'now'>, options: StoreFileOptions): Promise<FileRow> {
  const sha256 = createHash('sha256').update(options.bytes).digest('hex');
  const storageKey = await deps.fileStore.put(options.bytes);
  try {
    const [row] = await deps.db.db
      .insert(files)
      .values({
        appId: options.appId,
        name: options.name,
        mimeType: options.mimeType,
        size: options.bytes.byteLength,
        sha256,
        storageKey,
        taskId: options.taskId ?? null,
        createdAt: deps.now(),
      })
      .returning();
    return row!;
  } catch (err) {
    await deps.fileStore.delete(storageKey).catch(() => {});
    throw err;
  }
}
