import { z } from 'zod';

/**
 * Every error the API answers, by stable code. The HTTP status and title never change for a
 * code; `detail` says what went wrong in this instance. Clients branch on `code`, never on text.
 */
export const errorCatalogue = {
  invalid_request: { status: 400, title: 'The request is malformed (query, path or body fields)' },
  invalid_json: { status: 400, title: 'The request body is not valid JSON' },
  unauthorized: { status: 401, title: 'Missing, unknown or revoked bearer token' },
  forbidden: { status: 403, title: 'This token\'s role may not do this' },
  not_found: { status: 404, title: 'No such resource (or it belongs to someone else)' },
  method_not_allowed: { status: 405, title: 'The resource does not support this method' },
  idempotency_conflict: {
    status: 409,
    title: 'The Idempotency-Key was used before with a different request',
  },
  no_provider: { status: 409, title: 'No provider is registered for this task type' },
  task_type_disabled: { status: 409, title: 'An admin disabled this task type' },
  task_terminal: { status: 409, title: 'The task already reached a terminal state' },
  task_not_running: { status: 409, title: 'The task is not running' },
  lease_lost: { status: 409, title: 'The lease is not held any more; the report changed nothing' },
  task_cancelled: { status: 409, title: 'The task was cancelled; stop working on it' },
  result_conflict: { status: 409, title: 'A different result was already reported for this lease' },
  provider_conflict: { status: 409, title: 'The provider id belongs to another app' },
  task_type_conflict: { status: 409, title: 'The task type is built in or defined differently by another provider' },
  payload_too_large: { status: 413, title: 'The request body is over the size limit' },
  unsupported_media_type: { status: 415, title: 'The request body has the wrong content type' },
  headers_too_large: { status: 431, title: 'The request headers are over the size limit' },
  unknown_task_type: { status: 422, title: 'No such task type' },
  unknown_provider: { status: 422, title: 'No such provider' },
  invalid_provider: {
    status: 422,
    title: 'The provider descriptor does not fit its task type (defaults, enum values or optional slots)',
  },
  unknown_slot: { status: 422, title: 'The input or output has a slot the shape does not declare' },
  missing_slot: { status: 422, title: 'A required slot has no value' },
  invalid_slot_value: { status: 422, title: 'A slot value does not match the slot type' },
  invalid_enum_value: { status: 422, title: 'An Enum slot has a value the provider does not offer' },
  file_not_found: { status: 422, title: 'A file slot names a file that does not exist or is not the caller\'s' },
  input_too_large: { status: 422, title: 'The task input is over the size limit' },
  invalid_output: { status: 422, title: 'The reported output does not match the output shape; the task failed' },
  webhook_target_forbidden: {
    status: 422,
    title: 'The webhook target is a private or loopback address and the operator does not allow those',
  },
  rate_limited: { status: 429, title: 'Too many requests of this kind from this caller; wait for Retry-After' },
  quota_exceeded: { status: 429, title: 'The caller has as many unfinished tasks as its quota allows' },
  too_many_polls: { status: 429, title: 'This token already has as many parked claims as it may' },
  internal_error: { status: 500, title: 'Something went wrong on the coordinator' },
  unavailable: { status: 503, title: 'The coordinator is shutting down' },
  database_unavailable: { status: 503, title: 'The coordinator cannot reach its database; retry after Retry-After' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalogue;
export const errorCodes = Object.keys(errorCatalogue) as [ErrorCode, ...ErrorCode[]];

/**
 * The `field` of an invalid_request: where the value was (`json`, `query`, `param`, `header`)
 * and its path in there, dot-separated (`json.providerIds.0`); the coordinator and the client
 * name a refused field the same way.
 */
export function problemField(where: string, path: readonly PropertyKey[] | undefined): string {
  return path?.length ? `${where}.${path.map(String).join('.')}` : where;
}

/** URI in the problem's `type` member: one per code. */
export function problemTypeUri(code: ErrorCode): string {
  return `urn:taskproc:problem:${code}`;
}

/** RFC 9457 problem details, served as `application/problem+json`. */
export const Problem = z
  .object({
    type: z.string().describe('urn:taskproc:problem:<code>'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().describe('What went wrong in this instance'),
    code: z.enum(errorCodes).describe('Stable machine-readable code'),
    slot: z.string().optional().describe('The input or output slot at fault (slot errors)'),
    field: z.string().optional().describe('Path of the request field at fault (invalid_request)'),
    requestId: z.string().optional().describe('Also in the X-Request-Id header; quote it in bug reports'),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details with a stable code' });
export type Problem = z.infer<typeof Problem>;

export const problemContentType = 'application/problem+json';
