import { createRoute } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import {
  controlEventNames,
  ProviderId,
  streamRetryMs,
  workRoutes,
  type LeaseEnded,
} from '@taskproc/spec';
import { requireRole } from '../auth/require-auth.ts';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { clientGoneSignal } from '../http/client-gone-signal.ts';
import { createRouter } from '../http/create-router.ts';
import { loadOwnProviders } from '../work/provider-access.ts';
import { refuseRepeatedTasks } from '../work/refuse-repeated-tasks.ts';
import { storeDeltas } from '../work/store-deltas.ts';

/** What a provider sends while it works (partial output) and what it is told at once (lease ends). */
export function createWorkStreamRoutes(deps: Deps) {
  const app = createRouter();
  app.use('/v1/work/*', requireRole(['provider']));

  app.openapi(
    createRoute(workRoutes.stream),
    async (c) => {
      const { items } = c.req.valid('json');
      refuseRepeatedTasks(items, 'items', (taskId) => `task ${taskId} is sent twice; join its deltas into one item`);
      return c.json({ results: await storeDeltas(deps, c.get('principal'), items, c.get('requestId')) }, 200);
    },
  );

  app.openapi(
    createRoute(workRoutes.control),
    async (c) => {
      const ids = c.req.valid('query').providerIds.split(',');
      for (const [i, id] of ids.entries()) {
        if (!ProviderId.safeParse(id).success) {
          throw new ApiError('invalid_request', `providerIds: "${id}" is not a provider id`, { field: `query.providerIds.${i}` });
        }
      }
      await loadOwnProviders(deps.providers, deps.db.db, c.get('principal'), ids);
      const gone = clientGoneSignal(c, deps.stopping);
      c.header('X-Accel-Buffering', 'no');
      return streamSSE(c, async (stream) => {
        // Messages are written one after another: a burst of notices must not interleave.
        let writing = Promise.resolve();
        const write = (message: { event: string; data: string } | string) => {
          writing = writing
            .then(() => (typeof message === 'string' ? stream.write(message).then(() => {}) : stream.writeSSE(message)))
            .catch(() => {});
        };
        const close = deps.controlStreams.open(ids, (notice: LeaseEnded) =>
          write({ event: controlEventNames.leaseEnded, data: JSON.stringify(notice) }),
        );
        const heartbeat = setInterval(() => write(': heartbeat\n\n'), deps.config.TASKPROC_SSE_HEARTBEAT_MS);
        try {
          write(`retry: ${streamRetryMs}\n\n`);
          await new Promise<void>((resolve) => {
            if (gone.aborted || stream.aborted) return resolve();
            gone.addEventListener('abort', () => resolve(), { once: true });
            stream.onAbort(resolve);
          });
        } finally {
          clearInterval(heartbeat);
          close();
        }
        await writing;
      });
    },
  );

  return app;
}
