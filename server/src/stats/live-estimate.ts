import type { Task } from '@taskproc/spec';
import type { Db } from '../db/create-db.ts';
import { numberOf } from '../db/raw-values.ts';
import type { PaceReader } from './type-pace.ts';

// The place of each scheduled task: tasks of its type claimed before it (higher priority, or
// equal and older), plus one. A range count on tasks_claim_idx (type, priority desc, id) per
// task, all of a page's in one statement.
const positionsSql = `
  SELECT w.id, (
    SELECT count(*) + 1 FROM tasks t
    WHERE t.status = 'scheduled' AND t.type = w.type
      AND (t.priority > w.priority OR (t.priority = w.priority AND t.id < w.id))
  ) AS position
  FROM unnest($1::text[], $2::int[], $3::int[]) AS w(type, priority, id)`;

/** Progress from which the provider's own pace (elapsed / progress) is trusted over the type's. */
const trustProgressFrom = 0.1;

export interface LiveEstimateDeps {
  db: Db;
  pace: PaceReader;
  now: () => Date;
}

/**
 * A task as a read shows it: with its queue position while it waits, and completionExpectedAt
 * computed now from the queue ahead of it, the type's live slots and its recent run times (or,
 * once it runs, its own progress), rather than the estimate fixed at scheduling. Terminal tasks
 * are shown as stored. An estimate for display: nothing acts on it.
 */
export async function withLiveEstimate(deps: LiveEstimateDeps, task: Task): Promise<Task> {
  const [shown] = await withLiveEstimates(deps, [task]);
  return shown!;
}

/** Several tasks, as withLiveEstimate shows each (a page of a listing): one position count for all. */
export async function withLiveEstimates(deps: LiveEstimateDeps, tasks: Task[]): Promise<Task[]> {
  const waiting = tasks.filter((t) => t.status === 'scheduled');
  const positions = new Map<number, number>();
  if (waiting.length > 0) {
    const rows = await deps.db.query(positionsSql, [waiting.map((t) => t.type), waiting.map((t) => t.priority), waiting.map((t) => t.id)]);
    for (const row of rows) positions.set(numberOf(row.id), numberOf(row.position));
  }
  const now = deps.now();
  return Promise.all(tasks.map((task) => estimate(deps, task, positions.get(task.id) ?? 1, now)));
}

async function estimate(deps: LiveEstimateDeps, task: Task, position: number, now: Date): Promise<Task> {
  if (task.status !== 'scheduled' && task.status !== 'running') return { ...task, queuePosition: null };
  const pace = await deps.pace.get(deps.db, task.type, now);
  const stored = task.completionExpectedAt ? new Date(task.completionExpectedAt) : null;
  if (task.status === 'running') {
    const startedAt = task.startedAt ? new Date(task.startedAt).getTime() : now.getTime();
    const elapsedMs = now.getTime() - startedAt;
    let expected: number | null;
    if (task.progress >= trustProgressFrom && task.progress < 1) expected = startedAt + elapsedMs / task.progress;
    else if (pace.runSeconds !== null) expected = startedAt + pace.runSeconds * 1000;
    else expected = stored?.getTime() ?? null;
    return { ...task, queuePosition: null, completionExpectedAt: expected === null ? null : isoNotBefore(expected, now) };
  }
  if (pace.runSeconds === null) return { ...task, queuePosition: position };
  const rounds = Math.ceil(position / Math.max(1, pace.slots));
  return { ...task, queuePosition: position, completionExpectedAt: isoNotBefore(now.getTime() + rounds * pace.runSeconds * 1000, now) };
}

function isoNotBefore(ms: number, now: Date): string {
  return new Date(Math.max(ms, now.getTime())).toISOString();
}
