import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/create-db.ts';
import { files } from '../db/schema.ts';
import type { FileRow } from './file-info.ts';

/** A file by id, when it belongs to `appScope` (null: any app). Another app's file is not found. */
export async function findFile(db: Executor, id: number, appScope: string | null): Promise<FileRow | undefined> {
  const [row] = await db
    .select()
    .from(files)
    .where(and(eq(files.id, id), appScope === null ? undefined : eq(files.appId, appScope)))
    .limit(1);
  return row;
}
