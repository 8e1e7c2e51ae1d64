import { z } from 'zod';
import { headers } from '../headers.ts';
import { rowIdParam } from '../safe-values.ts';
import { GetTaskQuery, ScheduleTaskQuery, ScheduleTaskRequest, Task, TaskList, TaskListQuery } from '../tasks.ts';
import { BatchScheduleRequest, BatchScheduleResponse } from '../task-batch.ts';
import { authErrors, defineRoute, jsonBody, jsonContent, problemContent, security } from './route-contract.ts';

export const TaskParams = z.object({ id: rowIdParam() });

// Header names are lower-cased: that is how the coordinator's validators see them.
export const ScheduleHeaders = z.object({
  [headers.idempotencyKey.toLowerCase()]: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('Makes the request safe to retry: the same key and body return the same task'),
});

const taskNotFound = problemContent('not_found: no such task, or it belongs to another app');

/** The app developer's task routes: schedule, read, list, cancel, delete. */
export const taskRoutes = {
  schedule: defineRoute({
    method: 'post',
    path: '/v1/tasks',
    tags: ['tasks'],
    summary: 'Schedule a task',
    description:
      'Validates the input against the type\'s shape and the serving provider\'s additions (defaults filled), ' +
      'stores the task and wakes a waiting provider. Admin tokens schedule as app id "admin". With waitSeconds, ' +
      'the answer waits as GET /v1/tasks/{id}?waitSeconds does, after the task is stored: it carries the task as ' +
      'it ended, or as it is when the wait ends; the status (201 or 200) is the same as without.',
    security,
    request: { headers: ScheduleHeaders, query: ScheduleTaskQuery, body: jsonBody(ScheduleTaskRequest) },
    responses: {
      201: jsonContent(Task, 'The task was scheduled (with waitSeconds: as it is when the answer goes)'),
      200: jsonContent(Task, 'A repeat of an earlier request with the same Idempotency-Key: its task'),
      400: problemContent('invalid_request or invalid_json'),
      ...authErrors,
      409: problemContent('task_type_disabled, no_provider or idempotency_conflict'),
      413: problemContent('payload_too_large'),
      429: problemContent('rate_limited (per user of an app, or per app) or quota_exceeded (unfinished tasks), with Retry-After'),
      422: problemContent(
        'unknown_task_type, unknown_slot, missing_slot, invalid_slot_value, invalid_enum_value, file_not_found, input_too_large or webhook_target_forbidden',
      ),
    },
  }),

  scheduleBatch: defineRoute({
    method: 'post',
    path: '/v1/tasks/batch',
    tags: ['tasks'],
    summary: 'Schedule several tasks in one request',
    description:
      'Each task is checked, stored and answered as `POST /v1/tasks` would answer it alone (its HTTP status, and the task ' +
      'or the problem), in the order sent; one refused task does not affect the others, and nothing is stored for it. ' +
      'The tasks stored go in together (one statement and commit). A 5xx answer (database_unavailable) may come after ' +
      'some were stored: send the same request again, with the same idempotency keys, to get each one\'s answer.',
    security,
    request: { body: jsonBody(BatchScheduleRequest) },
    responses: {
      200: jsonContent(BatchScheduleResponse, 'One outcome per task'),
      400: problemContent('invalid_request or invalid_json: a malformed request (each item is checked as POST /v1/tasks checks its body)'),
      ...authErrors,
      413: problemContent('payload_too_large'),
    },
  }),

  list: defineRoute({
    method: 'get',
    path: '/v1/tasks',
    tags: ['tasks'],
    summary: 'List tasks, newest first',
    description: 'App tokens see their own app\'s tasks; admin tokens see every app\'s and may filter by appId.',
    security,
    request: { query: TaskListQuery },
    responses: {
      200: jsonContent(TaskList, 'One page of tasks; pass nextCursor as cursor for the next'),
      400: problemContent('invalid_request (a bad filter or cursor)'),
      ...authErrors,
    },
  }),

  get: defineRoute({
    method: 'get',
    path: '/v1/tasks/{id}',
    tags: ['tasks'],
    summary: 'Get a task, optionally waiting until it ends',
    description:
      'With waitSeconds, answers as soon as the task is terminal, or with its current state when the wait ends ' +
      '(capped by TASKPROC_MAX_TASK_WAIT_S; larger values are capped, not refused). Woken by the result itself, ' +
      'also when it reached another coordinator replica.',
    security,
    request: { params: TaskParams, query: GetTaskQuery },
    responses: {
      200: jsonContent(Task, 'The task'),
      400: problemContent('invalid_request'),
      ...authErrors,
      404: taskNotFound,
    },
  }),

  cancel: defineRoute({
    method: 'post',
    path: '/v1/tasks/{id}/cancel',
    tags: ['tasks'],
    summary: 'Cancel a task',
    description:
      'A scheduled task is cancelled at once; a running task too, and its provider\'s next report is refused. ' +
      'Cancelling a cancelled task again answers it unchanged.',
    security,
    request: { params: TaskParams },
    responses: {
      200: jsonContent(Task, 'The cancelled task'),
      400: problemContent('invalid_request'),
      ...authErrors,
      404: taskNotFound,
      409: problemContent('task_terminal: the task was already successful or failed'),
    },
  }),

  delete: defineRoute({
    method: 'delete',
    path: '/v1/tasks/{id}',
    tags: ['tasks'],
    summary: 'Delete a task',
    description: 'Deletes the task and the output files its provider produced; uploaded input files stay.',
    security,
    request: { params: TaskParams },
    responses: {
      204: { description: 'The task is gone' },
      400: problemContent('invalid_request'),
      ...authErrors,
      404: taskNotFound,
    },
  }),
};
