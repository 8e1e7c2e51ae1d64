import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import {
  ControlStreamQuery,
  controlEventNames,
  ProviderId,
  StreamRequest,
  StreamResponse,
  streamRetryMs,
  type LeaseEnded,
} from '@taskproc/spec';
import { requireRole } from '../auth/require-auth.ts';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { clientGoneSignal } from '../http/client-gone-signal.ts';
import { createRouter } from '../http/create-router.ts';
import { authErrors, jsonContent, problemContent, security } from '../http/responses.ts';
import { loadOwnProviders } from '../work/provider-access.ts';
import { refuseRepeatedTasks } from '../work/refuse-repeated-tasks.ts';
import { storeDeltas } from '../work/store-deltas.ts';

/** What a provider sends while it works (partial output) and what it is told at once (lease ends). */
export function createWorkStreamRoutes(deps: Deps) {
  const app = createRouter();
  app.use('/work/*', requireRole(['provider']));

  app.openapi(
    createRoute({
      method: 'post',
      path: '/work/stream',
      tags: ['work'],
      summary: 'Report partial output of running tasks (streaming)',
      description:
        'Appends text to Text output slots of tasks this token\'s providers hold, stored as `delta` events (durable once this answers) that apps read on GET /v1/tasks/{id}/events and GET /v1/events. Each item is answered as a progress report of its task would be (200, 404 not_found, 409 task_cancelled or lease_lost); one refused item does not affect the others. Send a task\'s deltas in order, one request at a time, numbered by `seq`; a repeated `seq` is answered 200 with `repeated` and not stored again. Partial output is advisory: the result report still carries the whole output, which alone is validated.',
      security,
      request: { body: { content: { 'application/json': { schema: StreamRequest } }, required: true } },
      responses: {
        200: jsonContent(StreamResponse, 'One outcome per item'),
        400: problemContent('invalid_request: a malformed item, or a task sent twice'),
        ...authErrors,
      },
    }),
    async (c) => {
      const { items } = c.req.valid('json');
      refuseRepeatedTasks(items, 'items', (taskId) => `task ${taskId} is sent twice; join its deltas into one item`);
      return c.json({ results: await storeDeltas(deps, c.get('principal'), items, c.get('requestId')) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/work/control',
      tags: ['work'],
      summary: 'Hear at once when a task I hold is cancelled, deleted or its lease is lost (server-sent events)',
      description:
        'A text/event-stream a provider process keeps open beside its claims. Each `event: lease_ended` message carries a LeaseEnded: stop working on that task and report nothing for it. It starts with `retry:`; from then on every lease end of the given providers is pushed, from any replica. Messages have no `id:`: what ends while the stream is down is heard on the next progress report or heartbeat (409 task_cancelled or lease_lost), so a provider that reconnects should send a heartbeat for each task it holds. Idle streams get a `: heartbeat` comment every TASKPROC_SSE_HEARTBEAT_MS.',
      security,
      request: { query: ControlStreamQuery },
      responses: {
        200: {
          description: 'The control stream; `data:` of `lease_ended` is a LeaseEnded',
          content: { 'text/event-stream': { schema: z.string() } },
        },
        400: problemContent('invalid_request'),
        ...authErrors,
        404: problemContent("not_found: a provider id is not registered for this token's app"),
      },
    }),
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
