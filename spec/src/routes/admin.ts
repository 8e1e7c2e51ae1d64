import { z } from 'zod';
import { rowIdParam } from '../safe-values.ts';
import { TaskTypeSettings } from '../task-type-listing.ts';
import { TaskTypeId } from '../task-types.ts';
import { CleanupRequest, CleanupResult } from '../retention.ts';
import { QueueStats, StatsQuery } from '../stats.ts';
import { CreatedToken, CreateTokenRequest, TokenList } from '../tokens.ts';
import { authErrors, defineRoute, jsonBody, jsonContent, problemContent, security } from './route-contract.ts';

export const TokenParams = z.object({
  id: rowIdParam().meta({ param: { name: 'id', in: 'path' }, example: 3 }),
});
export const TaskTypeParams = z.object({ typeId: TaskTypeId });

/** Operator routes: tokens and per-type settings. Admin tokens only. */
export const adminRoutes = {
  createToken: defineRoute({
    method: 'post',
    path: '/v1/admin/tokens',
    tags: ['admin'],
    summary: 'Create a token',
    description: 'The secret is in this answer only; the coordinator keeps a hash of it.',
    security,
    request: { body: jsonBody(CreateTokenRequest) },
    responses: {
      201: jsonContent(CreatedToken, 'Created; `token` is the secret, shown once'),
      400: problemContent('invalid_request (e.g. an app token without appId) or invalid_json'),
      ...authErrors,
      413: problemContent('payload_too_large'),
    },
  }),

  listTokens: defineRoute({
    method: 'get',
    path: '/v1/admin/tokens',
    tags: ['admin'],
    summary: 'List tokens',
    description: 'Every token, newest first, revoked ones included. Secrets and hashes are never shown.',
    security,
    responses: { 200: jsonContent(TokenList, 'Tokens, newest first'), ...authErrors },
  }),

  revokeToken: defineRoute({
    method: 'delete',
    path: '/v1/admin/tokens/{id}',
    tags: ['admin'],
    summary: 'Revoke a token',
    description: 'The token stops working at once. 404 when no live token has this id (unknown or already revoked).',
    security,
    request: { params: TokenParams },
    responses: {
      204: { description: 'Revoked' },
      400: problemContent('invalid_request'),
      ...authErrors,
      404: problemContent('not_found'),
    },
  }),

  getTaskTypeSettings: defineRoute({
    method: 'get',
    path: '/v1/admin/task-types/{typeId}',
    tags: ['admin'],
    summary: 'Read the settings of a task type',
    security,
    request: { params: TaskTypeParams },
    responses: {
      200: jsonContent(TaskTypeSettings, 'The settings (defaults when never set)'),
      400: problemContent('invalid_request'),
      ...authErrors,
      422: problemContent('unknown_task_type'),
    },
  }),

  putTaskTypeSettings: defineRoute({
    method: 'put',
    path: '/v1/admin/task-types/{typeId}',
    tags: ['admin'],
    summary: 'Enable or disable a task type and order its providers',
    description:
      'Replaces the settings. Disabled types cannot be scheduled. preferredProviders lists providers of ' +
      'this type in the order tasks go to them; unlisted providers follow in registration order.',
    security,
    request: { params: TaskTypeParams, body: jsonBody(TaskTypeSettings) },
    responses: {
      200: jsonContent(TaskTypeSettings, 'The stored settings'),
      400: problemContent('invalid_request (e.g. a provider listed twice) or invalid_json'),
      ...authErrors,
      413: problemContent('payload_too_large'),
      422: problemContent('unknown_task_type, or unknown_provider naming the preferredProviders entry'),
    },
  }),

  stats: defineRoute({
    method: 'get',
    path: '/v1/admin/stats',
    tags: ['admin'],
    summary: 'Queue statistics per task type (for dashboards and autoscalers)',
    description:
      'Tasks waiting and running, the age of the oldest waiting task, wait and run time percentiles and outcomes over a recent window, live and stale providers and their slots, per task type and in total. Read from the database, so every replica answers the same. Shaped for KEDA\'s metrics-api scaler: `valueLocation: types.<type id>.scheduled`.',
    security,
    request: { query: StatsQuery },
    responses: {
      200: jsonContent(QueueStats, 'The statistics'),
      400: problemContent('invalid_request'),
      ...authErrors,
    },
  }),

  cleanup: defineRoute({
    method: 'post',
    path: '/v1/admin/cleanup',
    tags: ['admin'],
    summary: 'Remove finished tasks past the retention period now',
    description:
      'What the retention job does on its own (every TASKPROC_RETENTION_SWEEP_MS), run now and optionally with another period: tasks that ended (successful, failed, cancelled) before the cutoff and are not kept longer by keepUntil are removed with their output files, events and webhook deliveries and attempts, in bounded batches. Unfinished tasks are never touched. With dryRun, only counts.',
    security,
    request: { body: jsonBody(CleanupRequest) },
    responses: {
      200: jsonContent(CleanupResult, 'What was removed (or would be, with dryRun)'),
      400: problemContent('invalid_request or invalid_json'),
      ...authErrors,
    },
  }),
};
