import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/create-db.ts';
import { tasks } from '../db/schema.ts';
import type { TaskRow } from './task-json.ts';

/** A task by id, when it belongs to `appScope` (null: any app). Another app's task is not found. */
export async function findTask(db: Executor, id: number, appScope: string | null): Promise<TaskRow | undefined> {
  const [row] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.id, id), appScope === null ? undefined : eq(tasks.appId, appScope)))
    .limit(1);
  return row;
}
