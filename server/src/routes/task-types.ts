import { createRoute } from '@hono/zod-openapi';
import { taskTypeRoutes } from '@taskproc/spec';
import { requireRole } from '../auth/require-auth.ts';
import type { Deps } from '../deps.ts';
import { createRouter } from '../http/create-router.ts';
import { listTaskTypes } from '../tasks/list-task-types.ts';

/** The task types an app can schedule (Nextcloud's getAvailableTaskTypes). */
export function createTaskTypesRoutes(deps: Deps) {
  const app = createRouter();
  const auth = requireRole(['app']);

  app.openapi(
    createRoute({ ...taskTypeRoutes.list, middleware: [auth] as const }),
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
