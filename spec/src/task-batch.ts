import { z } from 'zod';
import { Problem } from './errors.ts';
import { ScheduleTaskRequest, Task } from './tasks.ts';

/** Upper bound of tasks in one `POST /v1/tasks/batch`. */
export const maxScheduleBatch = 100;

export const BatchScheduleItem = ScheduleTaskRequest.extend({
  idempotencyKey: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('What the Idempotency-Key header is to POST /v1/tasks, for this task'),
}).meta({ id: 'BatchScheduleItem', description: 'One task: what `POST /v1/tasks` takes, plus its idempotency key' });
export type BatchScheduleItem = z.input<typeof BatchScheduleItem>;

export const BatchScheduleRequest = z
  .object({
    tasks: z.array(BatchScheduleItem).min(1).max(maxScheduleBatch).describe('The tasks to schedule, each checked and stored on its own'),
  })
  .strict()
  .meta({ id: 'BatchScheduleRequest' });
export type BatchScheduleRequest = z.input<typeof BatchScheduleRequest>;

export const BatchScheduleOutcome = z
  .object({
    status: z
      .number()
      .int()
      .describe('The HTTP status POST /v1/tasks would have answered for this task alone: 201, 200 (a repeat of its idempotency key) or 4xx'),
    task: Task.optional().describe('The task (status 201 or 200)'),
    problem: Problem.optional().describe('Why the task was refused (any other status); nothing was stored for it'),
    retryAfter: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('The Retry-After the single answer would have carried, in seconds (429 rate_limited and quota_exceeded)'),
  })
  .meta({ id: 'BatchScheduleOutcome' });
export type BatchScheduleOutcome = z.infer<typeof BatchScheduleOutcome>;

export const BatchScheduleResponse = z
  .object({ results: z.array(BatchScheduleOutcome).describe('One outcome per task, in the order of the request') })
  .meta({ id: 'BatchScheduleResponse' });
export type BatchScheduleResponse = z.infer<typeof BatchScheduleResponse>;
