import { z } from 'zod';
import { FileInfo } from '../files.ts';
import { headers } from '../headers.ts';
import { rowIdParam } from '../safe-values.ts';
import { Task } from '../tasks.ts';
import {
  BatchResultRequest,
  BatchResultResponse,
  ClaimRequest,
  ClaimResponse,
  ControlStreamQuery,
  LeaseResponse,
  ProgressRequest,
  ReleaseRequest,
  ResultRequest,
  StreamRequest,
  StreamResponse,
} from '../work.ts';
import { Binary } from './files.ts';
import { authErrors, defineRoute, jsonBody, jsonContent, problemContent, security } from './route-contract.ts';

export const TaskIdParam = z.object({ taskId: rowIdParam().meta({ param: { name: 'taskId', in: 'path' } }) });
export const TaskFileParams = TaskIdParam.extend({ fileId: rowIdParam().meta({ param: { name: 'fileId', in: 'path' } }) });
export const LeaseQuery = z.object({
  leaseId: z.uuid().optional().describe(`The lease id; may be sent as the ${headers.leaseId} header instead`),
});
/** The answer to a single result report or release. */
export const TaskAnswer = z.object({ task: Task });

// Header names are lower-cased: that is how the coordinator's validators see them.
export const PreferHeader = z.object({
  prefer: z
    .string()
    .optional()
    .describe('RFC 7240; `return=minimal` leaves the task out of the answer (204 on the single route)'),
});

const leaseErrors = {
  404: problemContent('not_found: no such task for this provider app'),
  409: problemContent('task_cancelled (stop working) or lease_lost (someone else holds the task, or it ended)'),
} as const;

/** The provider side: claim work, report progress and results, hand tasks back, move files, stream. */
export const workRoutes = {
  claim: defineRoute({
    method: 'post',
    path: '/v1/work/next',
    tags: ['work'],
    summary: 'Claim the next tasks of my types (long-poll)',
    description:
      'Claims up to `max` scheduled tasks that the given providers serve and are preferred for, highest priority first, then oldest. With nothing to claim and waitMs > 0 the request parks until a matching task is scheduled or the wait ends (then `tasks` is empty).',
    security,
    request: { body: jsonBody(ClaimRequest) },
    responses: {
      200: jsonContent(ClaimResponse, 'Claimed tasks, each with its lease; empty when the wait ended'),
      400: problemContent('invalid_request'),
      ...authErrors,
      404: problemContent('not_found: a provider id is not registered for this token\'s app'),
      429: problemContent('too_many_polls: the token has as many claims parked as it may, with Retry-After'),
    },
  }),

  progress: defineRoute({
    method: 'post',
    path: '/v1/work/{taskId}/progress',
    tags: ['work'],
    summary: 'Report progress or send a heartbeat; extends the lease',
    security,
    request: { params: TaskIdParam, body: jsonBody(ProgressRequest) },
    responses: {
      200: jsonContent(LeaseResponse, 'The lease was extended'),
      400: problemContent('invalid_request'),
      ...authErrors,
      ...leaseErrors,
    },
  }),

  result: defineRoute({
    method: 'post',
    path: '/v1/work/{taskId}/result',
    tags: ['work'],
    summary: 'Report the output or the error of a task',
    description:
      'Output is validated against the output shape and the provider\'s optional output slots; invalid output fails the task and answers 422 invalid_output naming the slot. Repeating a report for the same lease answers like the first time.',
    security,
    request: { params: TaskIdParam, headers: PreferHeader, body: jsonBody(ResultRequest) },
    responses: {
      200: jsonContent(TaskAnswer, 'The task reached its terminal state'),
      204: { description: 'The task reached its terminal state (Prefer: return=minimal)' },
      400: problemContent('invalid_request'),
      ...authErrors,
      ...leaseErrors,
      422: problemContent('invalid_output: the output does not fit the shape; the task was failed'),
    },
  }),

  results: defineRoute({
    method: 'post',
    path: '/v1/work/results',
    tags: ['work'],
    summary: 'Report the results of several tasks, and optionally claim more, in one request',
    description:
      'Each report is answered as `POST /v1/work/{taskId}/result` would answer it alone (its HTTP status, and the task or the problem), in the order sent; one refused report does not affect the others. With `next`, also claims, as `POST /v1/work/next` does, while the reports are stored (the provider ids are checked before any report is stored). With `Prefer: return=minimal` outcomes carry the task\'s state only.',
    security,
    request: { headers: PreferHeader, body: jsonBody(BatchResultRequest) },
    responses: {
      200: jsonContent(BatchResultResponse, 'One outcome per report; the claimed tasks when next was sent'),
      400: problemContent('invalid_request: a malformed report, or a task reported twice'),
      ...authErrors,
      404: problemContent("not_found: a provider id in next is not registered for this token's app"),
      429: problemContent('too_many_polls (only with next): the token has as many claims parked as it may'),
    },
  }),

  release: defineRoute({
    method: 'post',
    path: '/v1/work/{taskId}/release',
    tags: ['work'],
    summary: 'Hand a task back to the queue without spending an attempt',
    security,
    request: { params: TaskIdParam, body: jsonBody(ReleaseRequest) },
    responses: {
      200: jsonContent(TaskAnswer, 'The task is scheduled again'),
      400: problemContent('invalid_request'),
      ...authErrors,
      ...leaseErrors,
    },
  }),

  readFile: defineRoute({
    method: 'get',
    path: '/v1/work/{taskId}/files/{fileId}',
    tags: ['work'],
    summary: 'Download an input file of a task I hold',
    security,
    request: { params: TaskFileParams, query: LeaseQuery },
    responses: {
      200: { description: 'The file bytes, with the file\'s own Content-Type', content: { '*/*': { schema: Binary } } },
      400: problemContent('invalid_request'),
      ...authErrors,
      ...leaseErrors,
      422: problemContent('file_not_found: the file is not in the task\'s input, or was deleted'),
    },
  }),

  writeFile: defineRoute({
    method: 'post',
    path: '/v1/work/{taskId}/files',
    tags: ['work'],
    summary: 'Upload an output file for a task I hold',
    description: `The body is the raw bytes; Content-Type is stored as the mime type and the ${headers.fileName} header as the name. Put the returned id in an output file slot.`,
    security,
    request: {
      params: TaskIdParam,
      query: LeaseQuery,
      body: { content: { '*/*': { schema: Binary } }, required: true },
    },
    responses: {
      201: jsonContent(FileInfo, 'The stored file'),
      400: problemContent('invalid_request: empty body or missing lease id'),
      ...authErrors,
      ...leaseErrors,
      413: problemContent('payload_too_large'),
    },
  }),

  stream: defineRoute({
    method: 'post',
    path: '/v1/work/stream',
    tags: ['work'],
    summary: 'Report partial output of running tasks (streaming)',
    description:
      'Appends text to Text output slots of tasks this token\'s providers hold, stored as `delta` events (durable once this answers) that apps read on GET /v1/tasks/{id}/events and GET /v1/events. Each item is answered as a progress report of its task would be (200, 404 not_found, 409 task_cancelled or lease_lost); one refused item does not affect the others. Send a task\'s deltas in order, one request at a time, numbered by `seq`; a repeated `seq` is answered 200 with `repeated` and not stored again. Partial output is advisory: the result report still carries the whole output, which alone is validated.',
    security,
    request: { body: jsonBody(StreamRequest) },
    responses: {
      200: jsonContent(StreamResponse, 'One outcome per item'),
      400: problemContent('invalid_request: a malformed item, or a task sent twice'),
      ...authErrors,
    },
  }),

  control: defineRoute({
    method: 'get',
    path: '/v1/work/control',
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
};
