import { createRoute } from '@hono/zod-openapi';
import { TaskTypeList, TaskTypeListQuery } from '@taskproc/spec';
import { requireRole } from '../auth/require-auth.ts';
import type { Deps } from '../deps.ts';
import { createRouter } from '../http/create-router.ts';
import { authErrors, jsonContent, problemContent, security } from '../http/responses.ts';
import { listTaskTypes } from '../tasks/list-task-types.ts';

/** The task types an app can schedule (Nextcloud's getAvailableTaskTypes). */
export function createTaskTypesRoutes(deps: Deps) {
  const app = createRouter();
  const auth = requireRole(['app']);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/task-types',
      tags: ['task types'],
      summary: 'List task types',
      description:
        'Types with at least one registered provider, each with the shapes and the additions (optional slots, ' +
        'defaults, enum values) of the provider its tasks go to. `all=true` adds the types no provider serves.',
      security,
      middleware: [auth] as const,
      request: { query: TaskTypeListQuery },
      responses: {
        200: jsonContent(TaskTypeList, 'The task types, sorted by id'),
        400: problemContent('invalid_request'),
        ...authErrors,
      },
    }),
    async (c) => {
      const types = await listTaskTypes(deps.db.db, {
        all: c.req.valid('query').all === 'true',
        now: deps.now(),
        livenessMs: deps.config.TASKPROC_PROVIDER_LIVENESS_MS,
      });
      return c.json({ types }, 200);
    },
  );

  return app;
}
