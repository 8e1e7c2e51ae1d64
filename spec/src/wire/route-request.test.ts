import { describe, expect, it } from 'vitest';
import { TaskprocError } from './errors.ts';
import { readRouteJson, routeRequest } from './route-request.ts';
import { providerRoutes } from '../routes/providers.ts';
import { taskRoutes } from '../routes/tasks.ts';
import { workRoutes } from '../routes/work.ts';

const answer = (status: number, json: unknown) => ({
  status,
  headers: new Headers({ 'content-type': 'application/json' }),
  bytes: new TextEncoder().encode(JSON.stringify(json)),
  body: null,
});

describe('routeRequest', () => {
  it('takes the method and path from the route, fills in and encodes path parameters, stringifies the query', () => {
    const request = routeRequest(taskRoutes.get, { params: { id: 42 }, query: { waitSeconds: 20 } });
    expect(request).toMatchObject({ method: 'GET', path: '/v1/tasks/42', query: { waitSeconds: '20' } });
    expect(routeRequest(providerRoutes.register, { params: { providerId: 'a b/c' }, json: { taskType: 'x:y' } as never }).path).toBe(
      '/v1/providers/a%20b%2Fc',
    );
    expect(routeRequest(workRoutes.readFile, { params: { taskId: 1, fileId: 2 }, query: { leaseId: undefined } })).toMatchObject({
      path: '/v1/work/1/files/2',
      query: { leaseId: undefined },
    });
  });

  it('refuses a call without one of its path parameters', () => {
    expect(() => routeRequest(taskRoutes.get, { params: {} as { id: number } })).toThrow('parameter id is missing');
  });
});

describe('readRouteJson', () => {
  it('parses the answer with the schema of its status', () => {
    const task = { id: 1 };
    expect(() => readRouteJson(taskRoutes.get, answer(200, task))).toThrow(TaskprocError);
    expect(() => readRouteJson(taskRoutes.get, answer(200, task))).toThrow(/GET \/v1\/tasks\/\{id\}: unexpected answer from the coordinator \(/);
    const lease = { leaseExpiresAt: '2026-12-02T00:00:00.000Z' };
    expect(readRouteJson(workRoutes.progress, answer(200, lease))).toEqual(lease);
  });

  it('refuses a status the route does not answer with JSON', () => {
    expect(() => readRouteJson(taskRoutes.delete, answer(204, null))).toThrow('answered 204, which this route does not define');
  });
});
