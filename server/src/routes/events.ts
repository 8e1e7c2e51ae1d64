import { createRoute } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { Context } from 'hono';
import { defaultStreamKinds, eventRoutes, headers, parseEventKinds } from '@taskproc/spec';
import { requireRole } from '../auth/require-auth.ts';
import type { Deps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { createEventHorizon } from '../events/event-horizon.ts';
import { streamTaskEvents, type StreamTaskEventsOptions } from '../events/stream-task-events.ts';
import { taskHistory } from '../events/task-history.ts';
import { clientGoneSignal } from '../http/client-gone-signal.ts';
import { createRouter } from '../http/create-router.ts';
import { appScopeOf } from '../tasks/app-scope.ts';
import { createWebhooksRoutes } from './webhooks.ts';

/** The app developer's push channels: the task event stream, and (mounted here) the webhook routes. */
export function createEventsRoutes(deps: Deps) {
  const app = createRouter();
  const auth = requireRole(['app']);
  // One per process: it tracks which events are safe to send (see event-horizon.ts).
  const horizon = createEventHorizon(deps);

  const sendEvents = (c: Context, options: Pick<StreamTaskEventsOptions, 'filter' | 'resumeAfter' | 'endAfterFinal'>) => {
    const signal = clientGoneSignal(c, deps.stopping);
    c.header('X-Accel-Buffering', 'no'); // nginx: pass events on at once
    return streamSSE(c, async (stream) => {
      try {
        await streamTaskEvents(deps, horizon, {
          ...options,
          heartbeatMs: deps.config.TASKPROC_SSE_HEARTBEAT_MS,
          signal: AbortSignal.any([signal, abortedWith(stream)]),
          sink: { writeMessage: (m) => stream.writeSSE(m), writeRaw: (text) => stream.write(text).then(() => {}) },
        });
      } catch (err) {
        deps.logger.error({ err, requestId: c.get('requestId') }, 'event stream failed');
      }
    });
  };

  app.openapi(
    createRoute({ ...eventRoutes.stream, middleware: [auth] as const }),
    async (c) => {
      const { appId, types, lastEventId, ...filters } = c.req.valid('query');
      const ownScope = appScopeOf(c.get('principal'));
      if (ownScope !== null && appId !== undefined && appId !== ownScope) {
        throw new ApiError('forbidden', 'query.appId: app tokens see only their own app\'s events', { field: 'query.appId' });
      }
      const header = c.req.valid('header')[headers.lastEventId.toLowerCase()];
      const resumeAfter = header !== undefined ? Number(header) : lastEventId;
      const filter = {
        appScope: ownScope ?? appId ?? null,
        ...filters,
        kinds: types !== undefined ? parseEventKinds(types) : defaultStreamKinds,
      };
      return sendEvents(c, { filter, resumeAfter });
    },
  );

  app.openapi(
    createRoute({ ...eventRoutes.taskStream, middleware: [auth] as const }),
    async (c) => {
      const { id: taskId } = c.req.valid('param');
      const appScope = appScopeOf(c.get('principal'));
      const header = c.req.valid('header')[headers.lastEventId.toLowerCase()];
      const resumeAfter = header !== undefined ? Number(header) : (c.req.valid('query').lastEventId ?? 0);
      const history = await taskHistory(deps.db.db, taskId, appScope);
      if (!history.known) throw notFound(`task ${taskId}`);
      // Nothing more will come: the resume point is at or after the final event, or the task
      // ended and its final event was pruned (a stream would wait for it forever).
      const over = history.finalEventId === undefined ? history.ended : resumeAfter >= history.finalEventId;
      if (over) return c.body(null, 204);
      return sendEvents(c, { filter: { appScope, taskId }, resumeAfter, endAfterFinal: true });
    },
  );

  app.route('/', createWebhooksRoutes(deps));
  return app;
}

/** A signal that fires when Hono's stream is aborted (the response was cancelled). */
function abortedWith(stream: { onAbort(listener: () => void): void; aborted: boolean }): AbortSignal {
  const controller = new AbortController();
  if (stream.aborted) controller.abort();
  else stream.onAbort(() => controller.abort());
  return controller.signal;
}
