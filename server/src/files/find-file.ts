import { and, eq } from 'drizzle-orm';
import { isRowId } from '@taskproc/spec';
import type { Executor } from '../db/create-db.ts';
import { files } from '../db/schema.ts';
import type { FileRow } from './file-info.ts';

/** A file by id, when it belongs to `appScope` (null: any app). Another app's file is not found. */
export async function findFile(db: Executor, id: number, appScope: string | null): Promise<FileRow | undefined> {
  // Past int4 no file can have the id, and the database would refuse the comparison (a 500).
  if (!isRowId(id)) return undefined;
  const [row] = await db
    .select()
    .from(files)
    .where(and(eq(files.id, id), appScope === null ? undefined : eq(files.appId, appScope)))
    .limit(1);
  return row;
}
