import { expect } from 'vitest';
import { registerProvider, tokenClient, type Http } from '../src/index.ts';

// Shared by the wait, event stream, webhook and replica suites: an app that schedules summaries
// and a provider simulated with raw /v1/work calls, so each step happens exactly when a test says.

export const summaryType = 'core:text2text:summary';

export interface TaskDriver {
  app: Http;
  provider: Http;
  providerId: string;
  schedule(extra?: Record<string, unknown>, as?: Http): Promise<any>;
  /** Claims the next task and expects it to be `taskId`; returns its lease id. */
  claim(taskId: number, via?: Http): Promise<string>;
  progress(taskId: number, leaseId: string, progress: number, via?: Http): Promise<void>;
  succeed(taskId: number, leaseId: string, output?: string, via?: Http): Promise<any>;
  fail(taskId: number, leaseId: string, message?: string, via?: Http): Promise<any>;
}

/** Creates an app and a provider (tokens and registration) through `admin`. */
export async function createTaskDriver(admin: Http, names: { appId: string; providerApp: string; providerId: string }): Promise<TaskDriver> {
  const app = await tokenClient(admin, 'app', names.appId);
  const provider = await tokenClient(admin, 'provider', names.providerApp);
  await registerProvider(provider, names.providerId, { name: 'Test summaries', taskType: summaryType, expectedRuntime: 5 });
  const { providerId } = names;
  return {
    app,
    provider,
    providerId,
    async schedule(extra = {}, as = app) {
      const res = await as.post('/v1/tasks', { type: summaryType, input: { input: 'A long text.' }, ...extra });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    },
    async claim(taskId, via = provider) {
      const res = await via.post('/v1/work/next', { providerIds: [providerId], max: 1, waitMs: 0 });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.tasks.map((t: { task: { id: number } }) => t.task.id)).toEqual([taskId]);
      return res.body.tasks[0].leaseId as string;
    },
    async progress(taskId, leaseId, progress, via = provider) {
      const res = await via.post(`/v1/work/${taskId}/progress`, { leaseId, progress });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    },
    async succeed(taskId, leaseId, output = 'Short.', via = provider) {
      const res = await via.post(`/v1/work/${taskId}/result`, { leaseId, output: { output } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.task;
    },
    async fail(taskId, leaseId, message = 'model unavailable', via = provider) {
      const res = await via.post(`/v1/work/${taskId}/result`, { leaseId, error: { message } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.task;
    },
  };
}

/** Tracks whether a promise settled yet, without awaiting it. */
export function track<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return { promise, settled: () => settled };
}
