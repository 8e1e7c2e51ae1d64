import { expect } from 'vitest';
import { registerProvider, uploadFile } from '../api-fixtures.ts';
import type { Http } from '../http.ts';
import { testProviderDescriptor } from '../providers/test-provider-descriptor.ts';
import { appIds, type Callers } from './callers.ts';

/**
 * Provider X's providers, one task type each, so that no route's cells can claim or disturb the
 * tasks another route's cells rely on: a claim through `idle` finds nothing, fresh leases are
 * the only tasks of `lease`'s type, and the held task is the only one `files` ever claims.
 */
export const providerIds = {
  /** Serves the custom type of the held task (an Image in). */
  files: 'acme:files',
  /** Serves the fresh leases of destructive work routes. */
  lease: 'acme:lease',
  /** Claimed through by the claim cells; nothing of its type is ever scheduled. */
  idle: 'acme:idle',
  /** Re-registered by the PUT cells, with the descriptor it already has. */
  put: 'acme:put',
  /** Serves the plain tasks of app A (read, cancel, delete). */
  summary: 'acme:summary',
  /** Provider Y's own: another app's provider. */
  other: 'other:summary',
} as const;

export const types = {
  files: 'acme:reverse',
  lease: 'core:text2text:reformulation',
  idle: 'core:text2text:topics',
  put: 'core:text2text:simplification',
  summary: 'core:text2text:summary',
  other: 'core:text2text:headline',
  /** Fresh providers (deleted by the DELETE cells) serve this one. */
  deletable: 'core:text2text:formalization',
} as const;

export const putDescriptor = { name: 'Authz PUT target', taskType: types.put } as const;

/** A resource made for one cell of a route that changes or ends what it touches. */
export type FreshKind = 'task' | 'lease' | 'provider' | 'token';
export interface Fresh {
  id: string;
  leaseId?: string;
}

/** What the cells ask for: concrete resources owned by app A and provider X. */
export interface AuthzWorld {
  /** App A's task, scheduled and never claimed. */
  taskId: number;
  /** App A's file, also the input of the held task. */
  fileId: number;
  /** Provider X's lease on a task of app A whose input is the file. */
  held: { taskId: number; leaseId: string };
  fresh(kind: FreshKind): Promise<Fresh>;
  /** Removes a fresh resource when its cell is done, whatever the cell did to it. */
  discard(kind: FreshKind, fresh: Fresh): Promise<void>;
}

export async function createWorld(admin: Http, { clients }: Callers): Promise<AuthzWorld> {
  const { appA, providerX, providerY } = clients;
  await registerProvider(providerX, providerIds.files, testProviderDescriptor(providerIds.files, types.files, 'files'));
  for (const key of ['lease', 'idle', 'summary'] as const) {
    await registerProvider(providerX, providerIds[key], { name: `Authz ${key}`, taskType: types[key] });
  }
  await registerProvider(providerX, providerIds.put, putDescriptor);
  await registerProvider(providerY, providerIds.other, { name: 'Authz other', taskType: types.other });

  // The secret exists from its first read on; the cells then read or rotate an existing one.
  expect((await appA.get(`/v1/webhook-secret?appId=${appIds.appA}`)).status).toBe(200);
  const fileId = await uploadFile(appA, 'app A owns these bytes');
  const taskId = await schedule(appA, types.summary, { input: 'read me' });
  const heldTaskId = await schedule(appA, types.files, { image: fileId });
  const held = await claimOne(providerX, providerIds.files, heldTaskId);

  let serial = 0;
  const fresh = async (kind: FreshKind): Promise<Fresh> => {
    serial += 1;
    if (kind === 'task') return { id: String(await schedule(appA, types.summary, { input: `fresh ${serial}` }, serial)) };
    if (kind === 'lease') {
      const id = await schedule(appA, types.lease, { input: `lease ${serial}` }, serial);
      return { id: String(id), leaseId: (await claimOne(providerX, providerIds.lease, id)).leaseId };
    }
    if (kind === 'provider') {
      const id = `acme:gone-${serial}`;
      await registerProvider(providerX, id, { name: `Authz deletable ${serial}`, taskType: types.deletable });
      return { id };
    }
    const res = await admin.post('/v1/admin/tokens', { role: 'app', appId: appIds.appA, name: `authz fresh ${serial}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { id: String(res.body.id) };
  };

  // Cleaning up keeps app A's unfinished tasks and provider X's providers few, so per-caller
  // quotas stay out of the way. Not asserted: whether admins may delete is a cell of its own.
  const discard = async (kind: FreshKind, { id }: Fresh) => {
    const path = { task: `/v1/tasks/${id}`, lease: `/v1/tasks/${id}`, provider: `/v1/providers/${id}`, token: `/v1/admin/tokens/${id}` }[kind];
    await admin.delete(path);
  };

  return { taskId, fileId, held: { taskId: heldTaskId, leaseId: held.leaseId }, fresh, discard };
}

/** Schedules a task as app `app`; `user` spreads fresh tasks over users, for per-user limits. */
async function schedule(app: Http, type: string, input: Record<string, unknown>, user?: number): Promise<number> {
  const res = await app.post('/v1/tasks', { type, input, ...(user !== undefined ? { userId: `authz-user-${user}` } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/** Claims through one provider and expects exactly the task given (its type has no other). */
async function claimOne(provider: Http, providerId: string, taskId: number): Promise<{ leaseId: string }> {
  const res = await provider.post('/v1/work/next', { providerIds: [providerId], max: 1, waitMs: 0 });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const claimed = res.body.tasks as Array<{ task: { id: number }; leaseId: string }>;
  expect(claimed.map((t) => t.task.id)).toEqual([taskId]);
  return { leaseId: claimed[0]!.leaseId };
}
