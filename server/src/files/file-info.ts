import type { FileInfo } from '@taskproc/spec';
import type { files } from '../db/schema.ts';

export type FileRow = typeof files.$inferSelect;

/** The wire form of a stored file (spec `FileInfo`). */
export function toFileInfo(row: FileRow): FileInfo {
  return {
    id: row.id,
    name: row.name,
    mimeType: row.mimeType,
    size: row.size,
    sha256: row.sha256,
    createdAt: row.createdAt.toISOString(),
    taskId: row.taskId,
  };
}
