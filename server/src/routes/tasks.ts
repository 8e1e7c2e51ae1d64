import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { GetTaskQuery, ScheduleTaskRequest, Task, TaskList, TaskListQuery, headers, rowIdParam } from '@taskproc/spec';
import { requireRole } from '../auth/require-auth.ts';
import { admitSchedule } from '../limits/schedule-admission.ts';
import type { Deps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { waitForTask } from '../events/wait-for-task.ts';
import { clientGoneSignal } from '../http/client-gone-signal.ts';
import { createRouter } from '../http/create-router.ts';
import { authErrors, jsonContent, problemContent, security } from '../http/responses.ts';
import { actingAppIdOf, appScopeOf } from '../tasks/app-scope.ts';
import { cancelTask } from '../tasks/cancel-task.ts';
import { deleteTask } from '../tasks/delete-task.ts';
import { listTasks } from '../tasks/list-tasks.ts';
import { scheduleTask } from '../tasks/schedule-task.ts';
import { toTaskJson } from '../tasks/task-json.ts';

const TaskParams = z.object({ id: rowIdParam() });

// Hono hands header validators lower-cased names.
const ScheduleHeaders = z.object({
  [headers.idempotencyKey.toLowerCase()]: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('Makes the request safe to retry: the same key and body return the same task'),
});

const taskNotFound = problemContent('not_found: no such task, or it belongs to another app');

/** The app developer's task routes: schedule, read, list, cancel, delete. */
export function createTasksRoutes(deps: Deps) {
  const app = createRouter();
  // Admin passes too; provider tokens are refused (403): they see tasks only through their leases.
  const auth = requireRole(['app']);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/tasks',
      tags: ['tasks'],
      summary: 'Schedule a task',
      description:
        'Validates the input against the type\'s shape and the serving provider\'s additions (defaults filled), ' +
        'stores the task and wakes a waiting provider. Admin tokens schedule as app id "admin".',
      security,
      middleware: [auth] as const,
      request: {
        headers: ScheduleHeaders,
        body: { content: { 'application/json': { schema: ScheduleTaskRequest } }, required: true },
      },
      responses: {
        201: jsonContent(Task, 'The task was scheduled'),
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
    async (c) => {
      const principal = c.get('principal');
      const request = c.req.valid('json');
      const appId = actingAppIdOf(principal);
      await admitSchedule(deps, { principal, appId, userId: request.userId });
      const { row, created } = await scheduleTask(deps, {
        appId,
        request,
        fileOwner: appScopeOf(principal),
        idempotencyKey: c.req.valid('header')[headers.idempotencyKey.toLowerCase()],
      });
      if (!created) return c.json(toTaskJson(row), 200);
      c.header('Location', `/v1/tasks/${row.id}`);
      return c.json(toTaskJson(row), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/tasks',
      tags: ['tasks'],
      summary: 'List tasks, newest first',
      description: 'App tokens see their own app\'s tasks; admin tokens see every app\'s and may filter by appId.',
      security,
      middleware: [auth] as const,
      request: { query: TaskListQuery },
      responses: {
        200: jsonContent(TaskList, 'One page of tasks; pass nextCursor as cursor for the next'),
        400: problemContent('invalid_request (a bad filter or cursor)'),
        ...authErrors,
      },
    }),
    async (c) => {
      const { appId, ...query } = c.req.valid('query');
      const ownScope = appScopeOf(c.get('principal'));
      if (ownScope !== null && appId !== undefined && appId !== ownScope) {
        throw new ApiError('forbidden', 'query.appId: app tokens list only their own app\'s tasks', { field: 'query.appId' });
      }
      const page = await listTasks(deps.db.db, { ...query, appScope: ownScope ?? appId ?? null });
      return c.json({ tasks: page.rows.map(toTaskJson), nextCursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/tasks/{id}',
      tags: ['tasks'],
      summary: 'Get a task, optionally waiting until it ends',
      description:
        'With waitSeconds, answers as soon as the task is terminal, or with its current state when the wait ends ' +
        '(capped by TASKPROC_MAX_TASK_WAIT_S; larger values are capped, not refused). Woken by the result itself, ' +
        'also when it reached another coordinator replica.',
      security,
      middleware: [auth] as const,
      request: { params: TaskParams, query: GetTaskQuery },
      responses: {
        200: jsonContent(Task, 'The task'),
        400: problemContent('invalid_request'),
        ...authErrors,
        404: taskNotFound,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const waitSeconds = Math.min(c.req.valid('query').waitSeconds ?? 0, deps.config.TASKPROC_MAX_TASK_WAIT_S);
      const row = await waitForTask(deps, {
        taskId: id,
        appScope: appScopeOf(c.get('principal')),
        waitMs: waitSeconds * 1000,
        signal: clientGoneSignal(c, deps.stopping),
      });
      if (!row) throw notFound(`task ${id}`);
      return c.json(toTaskJson(row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/tasks/{id}/cancel',
      tags: ['tasks'],
      summary: 'Cancel a task',
      description:
        'A scheduled task is cancelled at once; a running task too, and its provider\'s next report is refused. ' +
        'Cancelling a cancelled task again answers it unchanged.',
      security,
      middleware: [auth] as const,
      request: { params: TaskParams },
      responses: {
        200: jsonContent(Task, 'The cancelled task'),
        400: problemContent('invalid_request'),
        ...authErrors,
        404: taskNotFound,
        409: problemContent('task_terminal: the task was already successful or failed'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const row = await cancelTask(deps, id, appScopeOf(c.get('principal')));
      return c.json(toTaskJson(row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/tasks/{id}',
      tags: ['tasks'],
      summary: 'Delete a task',
      description: 'Deletes the task and the output files its provider produced; uploaded input files stay.',
      security,
      middleware: [auth] as const,
      request: { params: TaskParams },
      responses: {
        204: { description: 'The task is gone' },
        400: problemContent('invalid_request'),
        ...authErrors,
        404: taskNotFound,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await deleteTask(deps, id, appScopeOf(c.get('principal')));
      return c.body(null, 204);
    },
  );

  return app;
}
