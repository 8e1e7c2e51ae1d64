import { z } from 'zod';
import { bigIdMax, rowIdParam, storableText } from './safe-values.ts';
import { Task, TaskId } from './tasks.ts';

/**
 * What happened to a task: the `event:` name of each message on `GET /v1/events`. `requeued`: a
 * running task went back to the queue (lease lost, or its provider released it). `deleted`: the
 * task is gone; the message carries its last state.
 */
export const taskEventKinds = [
  'scheduled',
  'running',
  'progress',
  'requeued',
  'successful',
  'failed',
  'cancelled',
  'deleted',
] as const;
export const TaskEventKind = z.enum(taskEventKinds).meta({ id: 'TaskEventKind' });
export type TaskEventKind = z.infer<typeof TaskEventKind>;

/** The `data:` of each task event message; `id` is also the message's `id:` (the resume point). */
export const TaskEvent = z
  .object({
    id: z.number().int().positive().describe('Position in the event log; increases along the stream'),
    kind: TaskEventKind,
    taskId: TaskId,
    createdAt: z.iso.datetime().describe('When the change was recorded'),
    task: Task.describe('The task as it was right after the change'),
  })
  .meta({ id: 'TaskEvent' });
export type TaskEvent = z.infer<typeof TaskEvent>;

/**
 * `event:` names on the stream that are not task events. `reset` (no `id:`, `data:` a
 * {@link StreamReset}) comes first when the resume point was already pruned from the log: events
 * were lost, so the subscriber should re-read the state it cares about (`GET /v1/tasks`).
 */
export const streamEventNames = { reset: 'reset' } as const;

export const StreamReset = z
  .object({
    reason: z.literal('events_pruned'),
    lastEventId: z.number().int().min(0).describe('The resume point that is no longer in the log'),
    detail: z.string(),
  })
  .meta({ id: 'StreamReset' });
export type StreamReset = z.infer<typeof StreamReset>;

/** The `retry:` (ms) the stream announces once at its start: how long EventSource waits to reconnect. */
export const streamRetryMs = 2_000;

const kindList = new RegExp(`^(${taskEventKinds.join('|')})(,(${taskEventKinds.join('|')}))*$`);

export const EventStreamQuery = z.object({
  taskId: rowIdParam().optional().describe('Only events of this task'),
  customId: storableText().min(1).max(256).optional().describe('Only events of tasks with this customId'),
  userId: storableText().min(1).max(256).optional().describe('Only events of tasks with this userId'),
  types: z
    .string()
    .regex(kindList, `a comma-separated list of ${taskEventKinds.join(', ')}`)
    .optional()
    .describe('Only these kinds, comma-separated, e.g. successful,failed,cancelled'),
  appId: storableText().min(1).max(64).optional().describe('Admin only: events of this app'),
  lastEventId: z.coerce
    .number()
    .int()
    .min(0)
    .max(bigIdMax)
    .optional()
    .describe('Resume point for clients that cannot send the Last-Event-ID header (the header wins)'),
});
export type EventStreamQuery = z.input<typeof EventStreamQuery>;

/** The kinds in a `types` filter value. */
export function parseEventKinds(types: string): TaskEventKind[] {
  return [...new Set(types.split(',') as TaskEventKind[])];
}
