import { createRoute } from '@hono/zod-openapi';
import { headers, taskRoutes } from '@taskproc/spec';
import { requireRole } from '../auth/require-auth.ts';
import { admitSchedule } from '../limits/schedule-admission.ts';
import type { Deps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { waitForTask } from '../events/wait-for-task.ts';
import { clientGoneSignal } from '../http/client-gone-signal.ts';
import { createRouter } from '../http/create-router.ts';
import { actingAppIdOf, appScopeOf } from '../tasks/app-scope.ts';
import { cancelTask } from '../tasks/cancel-task.ts';
import { deleteTask } from '../tasks/delete-task.ts';
import { listTasks } from '../tasks/list-tasks.ts';
import { scheduleBatch } from '../tasks/schedule-batch.ts';
import { scheduleTask } from '../tasks/schedule-task.ts';
import { toTaskJson } from '../tasks/task-json.ts';
import { withLiveEstimate, withLiveEstimates } from '../stats/live-estimate.ts';

/** The app developer's task routes: schedule, read, list, cancel, delete. */
export function createTasksRoutes(deps: Deps) {
  const app = createRouter();
  // Admin passes too; provider tokens are refused (403): they see tasks only through their leases.
  const auth = requireRole(['app']);

  app.openapi(
    createRoute({ ...taskRoutes.schedule, middleware: [auth] as const }),
    async (c) => {
      const principal = c.get('principal');
      const request = c.req.valid('json');
      const appId = actingAppIdOf(principal);
      await admitSchedule(deps, { principal, appId, userId: request.userId });
      const scheduled = await scheduleTask(deps, {
        appId,
        request,
        fileOwner: appScopeOf(principal),
        idempotencyKey: c.req.valid('header')[headers.idempotencyKey.toLowerCase()],
        requestId: c.get('requestId'),
      });
      const { created } = scheduled;
      const waitSeconds = Math.min(c.req.valid('query').waitSeconds ?? 0, deps.config.TASKPROC_MAX_TASK_WAIT_S);
      // Waiting as GET /v1/tasks/{id}?waitSeconds does, without reading the task it just stored
      // (a repeat's row was read before the wait began watching: it is read again). A task
      // deleted during the wait is answered as it was stored.
      const row = waitSeconds > 0
        ? ((await waitForTask(deps, {
            taskId: scheduled.row.id,
            appScope: appScopeOf(principal),
            waitMs: waitSeconds * 1000,
            signal: clientGoneSignal(c, deps.stopping),
            known: created ? scheduled.row : undefined,
          })) ?? scheduled.row)
        : scheduled.row;
      if (!created) return c.json(toTaskJson(row), 200);
      c.header('Location', `/v1/tasks/${row.id}`);
      return c.json(toTaskJson(row), 201);
    },
  );

  app.openapi(
    createRoute({ ...taskRoutes.scheduleBatch, middleware: [auth] as const }),
    async (c) => {
      const principal = c.get('principal');
      const results = await scheduleBatch(deps, { principal, requestId: c.get('requestId'), items: c.req.valid('json').tasks });
      return c.json({ results }, 200);
    },
  );

  app.openapi(
    createRoute({ ...taskRoutes.list, middleware: [auth] as const }),
    async (c) => {
      const { appId, ...query } = c.req.valid('query');
      const ownScope = appScopeOf(c.get('principal'));
      if (ownScope !== null && appId !== undefined && appId !== ownScope) {
        throw new ApiError('forbidden', 'query.appId: app tokens list only their own app\'s tasks', { field: 'query.appId' });
      }
      const page = await listTasks(deps.db.db, { ...query, appScope: ownScope ?? appId ?? null });
      return c.json({ tasks: await withLiveEstimates(deps, page.rows.map(toTaskJson)), nextCursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({ ...taskRoutes.get, middleware: [auth] as const }),
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
      return c.json(await withLiveEstimate(deps, toTaskJson(row)), 200);
    },
  );

  app.openapi(
    createRoute({ ...taskRoutes.cancel, middleware: [auth] as const }),
    async (c) => {
      const { id } = c.req.valid('param');
      const row = await cancelTask(deps, id, appScopeOf(c.get('principal')));
      return c.json(toTaskJson(row), 200);
    },
  );

  app.openapi(
    createRoute({ ...taskRoutes.delete, middleware: [auth] as const }),
    async (c) => {
      const { id } = c.req.valid('param');
      await deleteTask(deps, id, appScopeOf(c.get('principal')));
      return c.body(null, 204);
    },
  );

  return app;
}
