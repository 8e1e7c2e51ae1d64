import { ApiError } from '../errors.ts';

/**
 * Batch routes name each task at most once: the statement that stores the batch answers per
 * task. Refuses the first repeat, naming its place in the body (`json.<list>.<i>.taskId`).
 */
export function refuseRepeatedTasks(items: ReadonlyArray<{ taskId: number }>, list: string, repeated: (taskId: number) => string): void {
  const seen = new Set<number>();
  for (const [i, item] of items.entries()) {
    if (seen.has(item.taskId)) throw new ApiError('invalid_request', repeated(item.taskId), { field: `json.${list}.${i}.taskId` });
    seen.add(item.taskId);
  }
}
