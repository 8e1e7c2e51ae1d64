import { appIds, type Caller } from './callers.ts';
import { providerIds, putDescriptor, types, type AuthzWorld, type Fresh, type FreshKind } from './world.ts';

/** One request of a cell; the method comes from the route. */
export interface ProbeRequest {
  path: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}

/** How every caller asks one route for the same concrete resource. */
export interface Probe {
  /** Each cell gets a resource of its own (routes that change or end what they touch). */
  fresh?: FreshKind;
  request(world: AuthzWorld, fresh: Fresh): ProbeRequest;
  /**
   * For answers that carry the outcome of an inner operation: a batch report answers 200 and
   * says inside whether this caller could report; that inner status is what the cell checks.
   */
  outcome?: (body: any) => { status: number; code?: string };
  /** For a 2xx answer: another app's data it shows this caller, which no status reveals. */
  reveals?: (caller: Caller, body: any) => string | undefined;
}

const appAQuery = `appId=${appIds.appA}`;
const leaseQuery = (leaseId: string) => `leaseId=${encodeURIComponent(leaseId)}`;
const done = { output: 'done' };

/**
 * Keyed like the app's route table (`METHOD /path/:param`). Every request names app A's or
 * provider X's resource, so a cell of app B or provider Y is a cross-app attempt; list routes
 * that take `appId` name app A's explicitly for the same reason.
 */
export const probes: Record<string, Probe> = {
  'GET /healthz': { request: () => ({ path: '/healthz' }) },
  'GET /openapi.json': { request: () => ({ path: '/openapi.json' }) },
  'GET /docs': { request: () => ({ path: '/docs' }) },
  'GET /docs/:asset': { request: () => ({ path: '/docs/start.js' }) },
  // The console's page and an asset of its build whose name carries no hash (a public file).
  'GET /ui': { request: () => ({ path: '/ui' }) },
  'GET /ui/:asset': { request: () => ({ path: '/ui/favicon.svg' }) },
  'GET /metrics': { request: () => ({ path: '/metrics' }) },

  'GET /v1/task-types': { request: () => ({ path: '/v1/task-types?all=true' }) },
  // The input names app A's file: another app may schedule, but not with A's file.
  'POST /v1/tasks': { request: (w) => ({ path: '/v1/tasks', json: { type: types.files, input: { image: w.fileId } } }) },
  // The same task in a batch of one: the cell checks the status inside the 200 answer.
  'POST /v1/tasks/batch': {
    request: (w) => ({ path: '/v1/tasks/batch', json: { tasks: [{ type: types.files, input: { image: w.fileId } }] } }),
    outcome: (body) => ({ status: body.results?.[0]?.status, code: body.results?.[0]?.problem?.code }),
  },
  'GET /v1/tasks': { request: () => ({ path: `/v1/tasks?${appAQuery}` }) },
  'GET /v1/tasks/:id': { request: (w) => ({ path: `/v1/tasks/${w.taskId}` }) },
  'POST /v1/tasks/:id/cancel': { fresh: 'task', request: (_w, f) => ({ path: `/v1/tasks/${f.id}/cancel` }) },
  'DELETE /v1/tasks/:id': { fresh: 'task', request: (_w, f) => ({ path: `/v1/tasks/${f.id}` }) },
  'GET /v1/tasks/:id/webhook-deliveries': { request: (w) => ({ path: `/v1/tasks/${w.taskId}/webhook-deliveries` }) },
  'POST /v1/files': {
    request: () => ({ path: '/v1/files', body: 'probe bytes', headers: { 'content-type': 'text/plain' } }),
  },
  'GET /v1/files/:id': { request: (w) => ({ path: `/v1/files/${w.fileId}` }) },
  'GET /v1/files/:id/info': { request: (w) => ({ path: `/v1/files/${w.fileId}/info` }) },
  'GET /v1/events': { request: () => ({ path: `/v1/events?${appAQuery}` }) },
  // App A's task is never claimed: its stream stays open (the cell hangs up).
  'GET /v1/tasks/:id/events': { request: (w) => ({ path: `/v1/tasks/${w.taskId}/events` }) },
  'GET /v1/webhook-secret': { request: () => ({ path: `/v1/webhook-secret?${appAQuery}` }) },
  // Rotating changes the secret but not who may read it: no other cell depends on its value.
  'POST /v1/webhook-secret/rotate': { request: () => ({ path: `/v1/webhook-secret/rotate?${appAQuery}` }) },

  // Re-registers provider X's provider with the descriptor it has: a no-op for whoever may do it.
  'PUT /v1/providers/:providerId': { request: () => ({ path: `/v1/providers/${providerIds.put}`, json: putDescriptor }) },
  'DELETE /v1/providers/:providerId': { fresh: 'provider', request: (_w, f) => ({ path: `/v1/providers/${f.id}` }) },
  // Everyone may list; a provider token only its own app's providers (PROTOCOL.md).
  'GET /v1/providers': {
    request: () => ({ path: '/v1/providers' }),
    reveals: (caller, body) => {
      const foreign = caller === 'providerY' && body.providers?.filter((p: any) => p.appId !== appIds.providerY);
      return foreign && foreign.length > 0 ? `lists ${foreign.map((p: any) => p.id).join(', ')}` : undefined;
    },
  },

  // The worst thing to let through: a new admin token.
  'POST /v1/admin/tokens': { request: () => ({ path: '/v1/admin/tokens', json: { role: 'admin', name: 'authz probe' } }) },
  'GET /v1/admin/tokens': { request: () => ({ path: '/v1/admin/tokens' }) },
  'DELETE /v1/admin/tokens/:id': { fresh: 'token', request: (_w, f) => ({ path: `/v1/admin/tokens/${f.id}` }) },
  'GET /v1/admin/task-types/:typeId': { request: () => ({ path: '/v1/admin/task-types/core:text2text' }) },
  'GET /v1/admin/stats': { request: () => ({ path: '/v1/admin/stats' }) },
  // A dry run: counts, removes nothing, so the cells stay independent.
  'POST /v1/admin/cleanup': { request: () => ({ path: '/v1/admin/cleanup', json: { retentionDays: 36500, dryRun: true } }) },
  // The defaults again, on a type no cell schedules.
  'PUT /v1/admin/task-types/:typeId': {
    request: () => ({ path: '/v1/admin/task-types/core:text2text', json: { enabled: true, preferredProviders: [] } }),
  },

  // Nothing of the idle provider's type is ever scheduled, so an allowed claim takes nothing.
  'POST /v1/work/next': { request: () => ({ path: '/v1/work/next', json: { providerIds: [providerIds.idle], max: 1, waitMs: 0 } }) },
  'POST /v1/work/results': {
    fresh: 'lease',
    request: (_w, f) => ({ path: '/v1/work/results', json: { results: [{ taskId: Number(f.id), leaseId: f.leaseId, output: done }] } }),
    outcome: (body) => ({ status: body.results?.[0]?.status, code: body.results?.[0]?.problem?.code }),
  },
  // Partial output of provider X's held task; a repeat of the same seq is stored once and answers 200 too.
  'POST /v1/work/stream': {
    request: (w) => ({ path: '/v1/work/stream', json: { items: [{ taskId: w.held.taskId, leaseId: w.held.leaseId, seq: 1, delta: { images: 'x' } }] } }),
    outcome: (body) => ({ status: body.results?.[0]?.status, code: body.results?.[0]?.problem?.code }),
  },
  'GET /v1/work/control': { request: () => ({ path: `/v1/work/control?providerIds=${providerIds.idle}` }) },
  // A heartbeat extends provider X's lease; it ends nothing, so the held task serves every cell.
  'POST /v1/work/:taskId/progress': { request: (w) => ({ path: `/v1/work/${w.held.taskId}/progress`, json: { leaseId: w.held.leaseId } }) },
  'POST /v1/work/:taskId/result': {
    fresh: 'lease',
    request: (_w, f) => ({ path: `/v1/work/${f.id}/result`, json: { leaseId: f.leaseId, output: done } }),
  },
  'POST /v1/work/:taskId/release': {
    fresh: 'lease',
    request: (_w, f) => ({ path: `/v1/work/${f.id}/release`, json: { leaseId: f.leaseId } }),
  },
  'GET /v1/work/:taskId/files/:fileId': {
    request: (w) => ({ path: `/v1/work/${w.held.taskId}/files/${w.fileId}?${leaseQuery(w.held.leaseId)}` }),
  },
  'POST /v1/work/:taskId/files': {
    request: (w) => ({
      path: `/v1/work/${w.held.taskId}/files?${leaseQuery(w.held.leaseId)}`,
      body: 'output bytes',
      headers: { 'content-type': 'text/plain' },
    }),
  },
};
