import { z } from 'zod';
import { rowId } from './safe-values.ts';

export const FileId = rowId().meta({ id: 'FileId' });

export const FileInfo = z
  .object({
    id: FileId,
    name: z.string(),
    mimeType: z.string(),
    size: z.number().int().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    createdAt: z.iso.datetime(),
    taskId: z.number().int().nullable().describe('Task whose provider produced the file, or null for uploads'),
  })
  .meta({ id: 'FileInfo' });
export type FileInfo = z.infer<typeof FileInfo>;

/** Header carrying a file's name on upload (the body is the raw bytes). */
export const fileNameHeader = 'X-File-Name';
