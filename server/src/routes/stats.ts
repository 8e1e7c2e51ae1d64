import { createRoute } from '@hono/zod-openapi';
import { adminRoutes } from '@taskproc/spec';
import { adminOnly } from '../auth/require-auth.ts';
import type { Deps } from '../deps.ts';
import { createRouter } from '../http/create-router.ts';
import { loadQueueStats } from '../stats/queue-stats.ts';

const defaultWindowSeconds = 3600;

/** GET /v1/admin/stats: the queue per task type, for operators and autoscalers. */
export function createStatsRoutes(deps: Deps) {
  const app = createRouter();
  app.openapi(createRoute({ ...adminRoutes.stats, middleware: [adminOnly] as const }), async (c) => {
    const query = c.req.valid('query');
    // This process's sightings are written once a second: write them now, so liveness is current.
    await deps.providers.flushSeen(deps.db);
    const stats = await loadQueueStats(deps.db, {
      now: deps.now(),
      windowSeconds: query.windowSeconds ?? defaultWindowSeconds,
      livenessMs: deps.config.TASKPROC_PROVIDER_LIVENESS_MS,
      type: query.type,
    });
    return c.json(stats, 200);
  });
  return app;
}
