import { expect } from 'vitest';
import type { Http, TestResponse } from './http.ts';

// Tokens, providers and uploads through the public API, the way an operator, a provider and an
// app would do it, and the check of a problem answer: shared by the API suites.

/** A client acting with a new token of `role` for `appId`, created by the admin. */
export async function tokenClient(admin: Http, role: 'app' | 'provider', appId: string): Promise<Http> {
  const res = await admin.post('/v1/admin/tokens', { role, appId, name: `${appId} ${role}` });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return admin.withToken(res.body.token);
}

/** Registers (PUT) a provider and expects it to be stored. */
export async function registerProvider(provider: Http, id: string, descriptor: Record<string, unknown>): Promise<any> {
  const res = await provider.put(`/v1/providers/${id}`, descriptor);
  expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
  return res.body;
}

/** Uploads bytes as a file and returns its id. */
export async function uploadFile(app: Http, content: string, mimeType = 'text/plain'): Promise<number> {
  const res = await app.request('POST', '/v1/files', { body: content, headers: { 'content-type': mimeType } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/** Expects a problem answer with this status and code (and slot or field, when given). */
export function expectProblem(
  res: TestResponse,
  status: number,
  code: string,
  where: { slot?: string; field?: string } = {},
): void {
  expect({ status: res.status, code: res.body?.code }, JSON.stringify(res.body)).toEqual({ status, code });
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  if (where.slot !== undefined) expect(res.body.slot).toBe(where.slot);
  if (where.field !== undefined) expect(res.body.field).toBe(where.field);
}

/**
 * A gauge of `admin`'s coordinator (GET /metrics), for states no event announces: a claim that
 * parked, a provider's control stream that opened.
 */
export async function gaugeValue(admin: Http, name: string): Promise<number> {
  const res = await admin.get('/metrics');
  expect(res.status).toBe(200);
  return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(res.body as string)?.[1] ?? NaN);
}

/** Polls a gauge until `until(value)` holds. */
export async function waitForGauge(admin: Http, name: string, until: (value: number) => boolean): Promise<void> {
  while (!until(await gaugeValue(admin, name))) await new Promise((resolve) => setImmediate(resolve));
}

/** Claims parked on `admin`'s coordinator that looked, found nothing and wait. */
export function parkedClaims(admin: Http): Promise<number> {
  return gaugeValue(admin, 'taskproc_claims_parked');
}

/** Polls the parked-claims gauge until `until(count)` holds. */
export function waitForParkedClaims(admin: Http, until: (count: number) => boolean): Promise<void> {
  return waitForGauge(admin, 'taskproc_claims_parked', until);
}

/**
 * Asks again until `request` answers `status`, for at most `withinMs`, and returns that answer
 * (or the last one, for the caller's assertion). For changes that reach another replica over
 * NOTIFY: they arrive in milliseconds, but after the request that made them has answered.
 */
export async function answersWithin(request: () => Promise<TestResponse>, status: number, withinMs = 2_000): Promise<TestResponse> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const res = await request();
    if (res.status === status || performance.now() > deadline) return res;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
