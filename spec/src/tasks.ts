import { z } from 'zod';
import { SlotValues } from './shapes.ts';
import { TaskTypeId } from './task-types.ts';
import { ProviderId } from './providers.ts';
import { int4Max, isStorableText, rowId, storableText, unstorableTextMessage } from './safe-values.ts';

export const taskStatuses = ['scheduled', 'running', 'successful', 'failed', 'cancelled'] as const;
export const TaskStatus = z.enum(taskStatuses).meta({
  id: 'TaskStatus',
  description:
    'scheduled -> running -> successful | failed; scheduled or running -> cancelled; a running task whose lease expires goes back to scheduled while attempts remain. successful, failed and cancelled are terminal.',
});
export type TaskStatus = z.infer<typeof TaskStatus>;

export const terminalStatuses: ReadonlySet<TaskStatus> = new Set(['successful', 'failed', 'cancelled']);

/** Nextcloud's `Task::STATUS_*` integers, for apps that map statuses across. */
export const nextcloudStatusCodes: Record<TaskStatus, number> = {
  scheduled: 1,
  running: 2,
  successful: 3,
  failed: 4,
  cancelled: 5,
};

export const webhookMethods = ['HTTP:POST', 'HTTP:PUT', 'HTTP:GET'] as const;
export const WebhookMethod = z.enum(webhookMethods).meta({
  id: 'WebhookMethod',
  description: 'HTTP method of the webhook call, spelled as in Nextcloud ("HTTP:POST")',
});

const Timestamp = z.iso.datetime().describe('ISO 8601 UTC with milliseconds');

export const TaskId = rowId().meta({ id: 'TaskId' });

export const Task = z
  .object({
    id: TaskId,
    type: TaskTypeId,
    status: TaskStatus,
    appId: z.string(),
    userId: z.string().nullable(),
    customId: z.string().nullable(),
    input: SlotValues,
    // SlotValues states its JSON Schema type itself (it is a custom schema), so `null` is added here.
    output: SlotValues.nullable().meta({ type: ['object', 'null'], description: 'Set when the task is successful' }),
    progress: z.number().min(0).max(1).describe('0..1; 1 when the task is successful'),
    priority: z.number().int(),
    attempts: z.number().int().min(0).describe('How many times a provider claimed the task'),
    providerId: ProviderId.nullable().describe('Provider holding or last holding the task'),
    scheduledAt: Timestamp,
    startedAt: Timestamp.nullable(),
    endedAt: Timestamp.nullable(),
    lastUpdated: Timestamp,
    completionExpectedAt: Timestamp.nullable(),
    errorMessage: z.string().nullable().describe('Why the task failed, in English, for logs'),
    userFacingErrorMessage: z.string().nullable().describe('Why the task failed, for the user'),
    webhookUri: z.string().nullable(),
    webhookMethod: WebhookMethod.nullable(),
    preferStreaming: z
      .boolean()
      .describe('The app asked for partial output while the task runs (delta events); see ScheduleTaskRequest'),
    queuePosition: z
      .number()
      .int()
      .min(1)
      .nullable()
      .optional()
      .describe(
        'For a scheduled task, its place in the queue of its type (1: claimed next); null once it runs or ended. Given on GET /v1/tasks/{id} and GET /v1/tasks, not in event snapshots',
      ),
    keepUntil: Timestamp.nullable().describe('The task is not removed by retention before this time (see ScheduleTaskRequest)'),
  })
  .meta({ id: 'Task' });
export type Task = z.infer<typeof Task>;

export const maxPriority = 1000;

export const ScheduleTaskRequest = z
  .object({
    type: TaskTypeId,
    input: SlotValues,
    userId: storableText().min(1).max(256).optional().describe('User the app schedules on behalf of'),
    customId: storableText().max(256).optional().describe('Identifier of the app\'s own choosing'),
    webhookUri: z.url({ protocol: /^https?$/ }).max(2048).refine(isStorableText, unstorableTextMessage).optional(),
    webhookMethod: WebhookMethod.optional().describe('Default HTTP:POST when webhookUri is set'),
    priority: z
      .number()
      .int()
      .min(-maxPriority)
      .max(maxPriority)
      .default(0)
      .describe('Higher is claimed first; equal priorities go oldest first'),
    preferStreaming: z
      .boolean()
      .default(false)
      .describe(
        "Nextcloud's preferStreaming: ask the provider for partial output as it is produced, delivered as `delta` events on GET /v1/tasks/{id}/events and GET /v1/events. Providers that cannot stream ignore it; the final output is the same either way",
      ),
    keepUntil: z.iso
      .datetime()
      .optional()
      .describe('Keep the finished task (and its files, events and webhook deliveries) at least until then, past the retention period'),
  })
  .strict()
  .meta({ id: 'ScheduleTaskRequest' });
export type ScheduleTaskRequest = z.input<typeof ScheduleTaskRequest>;

/** A long-poll's length: the task as soon as it is terminal, else its state after this long. */
const waitSecondsParam = (what: string) =>
  z.coerce
    .number()
    .int()
    .min(0)
    .max(int4Max)
    .optional()
    .describe(
      `${what}: answer as soon as the task is terminal, or with its current state after this many seconds (capped by the coordinator, TASKPROC_MAX_TASK_WAIT_S, default 60)`,
    );

export const GetTaskQuery = z.object({ waitSeconds: waitSecondsParam('Long-poll') });

export const ScheduleTaskQuery = z.object({
  waitSeconds: waitSecondsParam('Schedule and wait in one round trip (what client.run does); the task is stored either way'),
});

export const TaskListQuery = z.object({
  type: TaskTypeId.optional(),
  customId: storableText().max(256).optional(),
  userId: storableText().max(256).optional(),
  status: TaskStatus.optional(),
  appId: storableText().max(64).optional().describe('Admin only: tasks of this app'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(256).optional().describe('nextCursor of the previous page'),
});

export const TaskList = z
  .object({
    tasks: z.array(Task),
    nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page'),
  })
  .meta({ id: 'TaskList' });
export type TaskList = z.infer<typeof TaskList>;
