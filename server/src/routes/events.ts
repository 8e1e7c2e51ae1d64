import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { Context } from 'hono';
import { defaultStreamKinds, EventStreamQuery, headers, parseEventKinds, rowIdParam, TaskEventStreamQuery } from '@taskproc/spec';
import { requireRole } from '../auth/require-auth.ts';
import type { Deps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { createEventHorizon } from '../events/event-horizon.ts';
import { streamTaskEvents, type StreamTaskEventsOptions } from '../events/stream-task-events.ts';
import { taskHistory } from '../events/task-history.ts';
import { clientGoneSignal } from '../http/client-gone-signal.ts';
import { createRouter } from '../http/create-router.ts';
import { authErrors, problemContent, security } from '../http/responses.ts';
import { appScopeOf } from '../tasks/app-scope.ts';
import { createWebhooksRoutes } from './webhooks.ts';

// Hono hands header validators lower-cased names.
const EventStreamHeaders = z.object({
  [headers.lastEventId.toLowerCase()]: z
    .string()
    .regex(/^\d{1,15}$/, 'must be the id of an event received earlier')
    .optional()
    .describe('Resume after this event: every retained event after it is sent first'),
});

const TaskIdParam = z.object({ id: rowIdParam().openapi({ param: { name: 'id', in: 'path' } }) });

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
    createRoute({
      method: 'get',
      path: '/events',
      tags: ['events'],
      summary: 'Stream task events (server-sent events)',
      description:
        'A text/event-stream of task changes from the durable event log: each message has `id:` (the event id), ' +
        '`event:` (the kind) and `data:` (a TaskEvent as JSON). App tokens see their app\'s tasks; admin tokens every ' +
        'app\'s (or one, with appId). The stream starts with `retry:`; from then on every change is delivered. ' +
        'Reconnect with Last-Event-ID (or ?lastEventId=) to get every retained event after it, in order, before live ' +
        'ones. If that event was already pruned (TASKPROC_EVENT_RETENTION_HOURS), an `event: reset` message with a ' +
        'StreamReset comes first: re-read the tasks you follow. Idle streams get a `: heartbeat` comment every ' +
        'TASKPROC_SSE_HEARTBEAT_MS (15 s).',
      security,
      middleware: [auth] as const,
      request: { query: EventStreamQuery, headers: EventStreamHeaders },
      responses: {
        200: {
          description: 'The event stream; `data:` of task events is a TaskEvent, of `reset` a StreamReset',
          content: { 'text/event-stream': { schema: z.string() } },
        },
        400: problemContent('invalid_request'),
        ...authErrors,
      },
    }),
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
    createRoute({
      method: 'get',
      path: '/tasks/{id}/events',
      tags: ['events'],
      summary: "Stream one task's events, partial output included (server-sent events)",
      description:
        "The task's events from the durable event log, as on GET /v1/events, `delta` messages (TaskDeltaEvent) included, from the task's first retained event, or after Last-Event-ID (or ?lastEventId=) when resuming. The stream ends after the task's final event (successful, failed, cancelled or deleted); a resume after that point answers 204 No Content, which tells EventSource to stop reconnecting. A task's output streams only when it was scheduled with preferStreaming and its provider streams; the final output is on the `successful` event.",
      security,
      middleware: [auth] as const,
      request: { params: TaskIdParam, query: TaskEventStreamQuery, headers: EventStreamHeaders },
      responses: {
        200: {
          description: 'The event stream; `data:` is a TaskEvent (TaskChangeEvent or TaskDeltaEvent), of `reset` a StreamReset',
          content: { 'text/event-stream': { schema: z.string() } },
        },
        204: { description: 'The stream already delivered the final event before the resume point: nothing more will come' },
        400: problemContent('invalid_request'),
        ...authErrors,
        404: problemContent('not_found: no such task (or its events are gone)'),
      },
    }),
    async (c) => {
      const { id: taskId } = c.req.valid('param');
      const appScope = appScopeOf(c.get('principal'));
      const header = c.req.valid('header')[headers.lastEventId.toLowerCase()];
      const resumeAfter = header !== undefined ? Number(header) : (c.req.valid('query').lastEventId ?? 0);
      const history = await taskHistory(deps.db.db, taskId, appScope);
      if (!history.known) throw notFound(`task ${taskId}`);
      if (history.finalEventId !== undefined && resumeAfter >= history.finalEventId) return c.body(null, 204);
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
