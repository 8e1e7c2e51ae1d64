import { taskRoutes, TaskListQuery, taskStatuses, type Task, type TaskList } from '@taskproc/spec';
import type { z } from 'zod';
import type { Api } from '../api-client.ts';
import type { OptionsDef, OptionValues } from '../command.ts';
import { parseWithFlags } from '../parse-args.ts';

/** The filters of GET /v1/tasks, as flags: `task list`, and `task cancel`/`task delete` without ids. */
export const taskFilterOptions = {
  type: { type: 'string', value: 'typeId', description: 'Only tasks of this task type' },
  status: { type: 'string', value: 'status', description: `Only tasks in this status: ${taskStatuses.join(', ')}` },
  app: { type: 'string', value: 'appId', description: 'Only tasks of this app' },
  user: { type: 'string', value: 'userId', description: 'Only tasks scheduled for this user' },
  'custom-id': { type: 'string', value: 'id', description: "Only tasks with this custom id (the app's own)" },
} as const satisfies OptionsDef;

/** The query of GET /v1/tasks without its page size, which listTasks sets per page. */
export type TaskFilter = Omit<z.output<typeof TaskListQuery>, 'limit'>;

/** The largest page GET /v1/tasks gives. */
const maxPage = 500;

/** The filter flags, checked with the schema the coordinator checks the query with. */
export function parseTaskFilter(values: OptionValues<typeof taskFilterOptions> & { cursor?: string }): TaskFilter {
  const { limit: _limit, ...query } = parseWithFlags(
    TaskListQuery,
    { type: values.type, status: values.status, appId: values.app, userId: values.user, customId: values['custom-id'], cursor: values.cursor },
    { type: '--type', status: '--status', appId: '--app', userId: '--user', customId: '--custom-id', cursor: '--cursor' },
  );
  return query;
}

export function hasFilter(filter: TaskFilter): boolean {
  return Object.values(filter).some((value) => value !== undefined);
}

/**
 * Up to `max` tasks matching `filter`, newest first, over as many pages as it takes. The answer
 * is shaped as one page of the API: nextCursor continues after the last task returned.
 */
export async function listTasks(api: Api, filter: TaskFilter, max: number, onPage?: (count: number) => void): Promise<TaskList> {
  const tasks: Task[] = [];
  let cursor = filter.cursor;
  for (;;) {
    const limit = Math.min(maxPage, max - tasks.length);
    const page = await api.json(taskRoutes.list, { query: { ...filter, cursor, limit } });
    tasks.push(...page.tasks);
    onPage?.(tasks.length);
    cursor = page.nextCursor ?? undefined;
    if (cursor === undefined || tasks.length >= max) return { tasks, nextCursor: cursor ?? null };
  }
}
