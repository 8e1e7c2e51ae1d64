import type { Db } from '../db/create-db.ts';
import type { TaskRow } from './task-json.ts';
import { taskColumns, taskRowOf } from './task-row-of.ts';

// A prepared statement (Db.query), not a drizzle one: every long-poll on a task reads it when it
// starts and again when the task changes, on the path from a result to the app's answer, where
// drizzle's unnamed statement would cost a second round trip (its describe) each time.
const findTaskSql = `SELECT ${taskColumns} FROM tasks WHERE id = $1::bigint AND ($2::text IS NULL OR app_id = $2::text)`;

/** A task by id, when it belongs to `appScope` (null: any app). Another app's task is not found. */
export async function findTask(db: Db, id: number, appScope: string | null): Promise<TaskRow | undefined> {
  const [raw] = await db.query(findTaskSql, [id, appScope]);
  return raw ? taskRowOf(raw) : undefined;
}
