import { z } from 'zod';
import { EventStreamQuery, TaskEventStreamQuery } from '../events.ts';
import { headers } from '../headers.ts';
import { rowIdParam } from '../safe-values.ts';
import { authErrors, defineRoute, problemContent, security } from './route-contract.ts';

// Header names are lower-cased: that is how the coordinator's validators see them.
export const EventStreamHeaders = z.object({
  [headers.lastEventId.toLowerCase()]: z
    .string()
    .regex(/^\d{1,15}$/, 'must be the id of an event received earlier')
    .optional()
    .describe('Resume after this event: every retained event after it is sent first'),
});

const TaskIdParam = z.object({ id: rowIdParam().meta({ param: { name: 'id', in: 'path' } }) });

/** The app developer's push channel: task events as server-sent events. */
export const eventRoutes = {
  stream: defineRoute({
    method: 'get',
    path: '/v1/events',
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

  taskStream: defineRoute({
    method: 'get',
    path: '/v1/tasks/{id}/events',
    tags: ['events'],
    summary: "Stream one task's events, partial output included (server-sent events)",
    description:
      "The task's events from the durable event log, as on GET /v1/events, `delta` messages (TaskDeltaEvent) included, from the task's first retained event, or after Last-Event-ID (or ?lastEventId=) when resuming. The stream ends after the task's final event (successful, failed, cancelled or deleted); a resume after that point answers 204 No Content, which tells EventSource to stop reconnecting, and so does a task that ended but whose final event is no longer retained (read the task with GET /v1/tasks/{id}). A task's output streams only when it was scheduled with preferStreaming and its provider streams; the final output is on the `successful` event.",
    security,
    request: { params: TaskIdParam, query: TaskEventStreamQuery, headers: EventStreamHeaders },
    responses: {
      200: {
        description: 'The event stream; `data:` is a TaskEvent (TaskChangeEvent or TaskDeltaEvent), of `reset` a StreamReset',
        content: { 'text/event-stream': { schema: z.string() } },
      },
      204: {
        description:
          'Nothing more will come: the resume point is at or after the final event, or the task ended and its final event was pruned from the log (GET /v1/tasks/{id} has its state)',
      },
      400: problemContent('invalid_request'),
      ...authErrors,
      404: problemContent('not_found: no such task (or its events are gone)'),
    },
  }),
};
