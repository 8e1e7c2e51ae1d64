import { and, desc, eq, lt } from 'drizzle-orm';
import type { TaskStatus } from '@taskproc/spec';
import type { Executor } from '../db/create-db.ts';
import { tasks } from '../db/schema.ts';
import type { TaskRow } from './task-json.ts';
import { decodeTaskCursor, encodeTaskCursor } from './task-cursor.ts';

export interface ListTasksOptions {
  /** Only this app's tasks; null: every app's (admin). */
  appScope: string | null;
  type?: string;
  customId?: string;
  userId?: string;
  status?: TaskStatus;
  limit: number;
  /** nextCursor of the previous page. */
  cursor?: string;
}

export interface TaskPage {
  rows: TaskRow[];
  nextCursor: string | null;
}

/**
 * One page of tasks, newest first. Paging by id (keyset) instead of offset keeps pages stable
 * while tasks are scheduled meanwhile: a new task never shifts an older page.
 */
export async function listTasks(db: Executor, options: ListTasksOptions): Promise<TaskPage> {
  const afterId = options.cursor === undefined ? undefined : decodeTaskCursor(options.cursor);
  const rows = await db
    .select()
    .from(tasks)
    .where(
      and(
        options.appScope === null ? undefined : eq(tasks.appId, options.appScope),
        options.type === undefined ? undefined : eq(tasks.type, options.type),
        options.customId === undefined ? undefined : eq(tasks.customId, options.customId),
        options.userId === undefined ? undefined : eq(tasks.userId, options.userId),
        options.status === undefined ? undefined : eq(tasks.status, options.status),
        afterId === undefined ? undefined : lt(tasks.id, afterId),
      ),
    )
    .orderBy(desc(tasks.id))
    // One more than asked tells whether another page exists without a count query.
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  const more = rows.length > options.limit;
  return { rows: page, nextCursor: more ? encodeTaskCursor(page[page.length - 1]!.id) : null };
}
