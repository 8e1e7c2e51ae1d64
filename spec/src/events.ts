import { z } from 'zod';
import { bigIdMax, recordOf, rowIdParam, storableText } from './safe-values.ts';
import { SlotKey } from './shapes.ts';
import { Task, TaskId } from './tasks.ts';

/** Longest text of one slot in one delta. */
export const maxDeltaChars = 262_144;

/**
 * What happened to a task: the `event:` name of each message on `GET /v1/events`. `requeued`: a
 * running task went back to the queue (lease lost, or its provider released it). `deleted`: the
 * task is gone; the message carries its last state.
 */
export const taskChangeKinds = [
  'scheduled',
  'running',
  'progress',
  'requeued',
  'successful',
  'failed',
  'cancelled',
  'deleted',
] as const;
export const TaskChangeKind = z.enum(taskChangeKinds).meta({ id: 'TaskChangeKind' });
export type TaskChangeKind = z.infer<typeof TaskChangeKind>;

/**
 * Every `event:` name of a task event: the changes, and `delta` (partial output of a running
 * task that asked for streaming).
 */
export const taskEventKinds = [...taskChangeKinds, 'delta'] as const;
export const TaskEventKind = z.enum(taskEventKinds).meta({ id: 'TaskEventKind' });
export type TaskEventKind = z.infer<typeof TaskEventKind>;

/** Kinds after which a task's own stream (GET /v1/tasks/{id}/events) ends. */
export const finalEventKinds: ReadonlySet<TaskEventKind> = new Set(['successful', 'failed', 'cancelled', 'deleted']);

const eventId = z.number().int().positive().describe('Position in the event log; increases along the stream');
const createdAt = z.iso.datetime().describe('When the change was recorded');

/** The `data:` of a task change message; `id` is also the message's `id:` (the resume point). */
export const TaskChangeEvent = z
  .object({
    id: eventId,
    kind: TaskChangeKind,
    taskId: TaskId,
    createdAt,
    task: Task.describe('The task as it was right after the change'),
  })
  .meta({ id: 'TaskChangeEvent' });
export type TaskChangeEvent = z.infer<typeof TaskChangeEvent>;

/**
 * Text a provider appends to Text output slots while it works: slot key -> the text to append.
 * Advisory: the final output (on `successful`) is the result, validated against the shape.
 */
export const OutputDelta = recordOf(SlotKey, storableText().max(maxDeltaChars))
  .refine((delta) => Object.keys(delta).length > 0, 'name at least one output slot')
  .meta({ id: 'OutputDelta', description: 'Output slot key -> text to append to it', example: { output: 'Hello' } });
export type OutputDelta = z.infer<typeof OutputDelta>;

/** The `data:` of a `delta` message: partial output, in the order the provider produced it. */
export const TaskDeltaEvent = z
  .object({
    id: eventId,
    kind: z.literal('delta'),
    taskId: TaskId,
    createdAt,
    attempt: z
      .number()
      .int()
      .positive()
      .describe(
        "The task's attempt this output belongs to; when a later attempt starts (after `requeued`), what earlier attempts streamed is void",
      ),
    delta: OutputDelta,
  })
  .meta({ id: 'TaskDeltaEvent' });
export type TaskDeltaEvent = z.infer<typeof TaskDeltaEvent>;

/** The `data:` of each task event message; `id` is also the message's `id:` (the resume point). */
export const TaskEvent = z.discriminatedUnion('kind', [TaskChangeEvent, TaskDeltaEvent]).meta({ id: 'TaskEvent' });
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
    .describe(
      'Only these kinds, comma-separated, e.g. successful,failed,cancelled. Default: every kind but `delta` (partial output is sent only to streams that ask for it, or on GET /v1/tasks/{id}/events)',
    ),
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

/** Which kinds a `GET /v1/events` without `types` carries: all but the partial output. */
export const defaultStreamKinds: readonly TaskEventKind[] = taskChangeKinds;

export const TaskEventStreamQuery = z.object({
  lastEventId: EventStreamQuery.shape.lastEventId,
});
