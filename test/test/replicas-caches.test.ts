import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { answersWithin, createHttp, createTestDatabase, startCoordinator, type Http, type RunningCoordinator, type TestDatabase } from '../src/index.ts';

// Coordinators cache token lookups and custom task types in process (seconds to tens of seconds).
// A change made through one replica must reach the other's cache over NOTIFY: within milliseconds,
// but after A answered, so B is asked again for up to two seconds, well inside the cache lifetimes
// (a B that waited for its cache to expire would fail).

const countType = {
  id: 'cache:count',
  name: 'Count',
  description: 'Counts words',
  inputShape: { text: { name: 'Text', description: 'The text', type: 'Text' } },
  outputShape: { count: { name: 'Count', description: 'Words', type: 'Number' } },
};

describe.skipIf(!inject('postgresAvailable'))('in-process caches on replicas of one PostgreSQL', () => {
  let db: TestDatabase;
  let a: RunningCoordinator;
  let b: RunningCoordinator;
  let adminOnA: Http;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    [a, b] = await Promise.all([startCoordinator(db), startCoordinator(db)]);
    adminOnA = createHttp(a.url, a.adminToken);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.destroy();
  });

  it('refuses a token on B as soon as A revoked it', async () => {
    const created = await adminOnA.post('/v1/admin/tokens', { role: 'app', appId: 'cached', name: 'to revoke' });
    const onB = createHttp(b.url, created.body.token);
    // Twice, so B answers the second from its cache.
    expect((await onB.get('/v1/task-types')).status).toBe(200);
    expect((await onB.get('/v1/task-types')).status).toBe(200);
    expect((await adminOnA.delete(`/v1/admin/tokens/${created.body.id}`)).status).toBe(204);
    const after = await answersWithin(() => onB.get('/v1/task-types'), 401);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('unauthorized');
  });

  it('validates on B against a custom type A just changed', async () => {
    const providerToken = (await adminOnA.post('/v1/admin/tokens', { role: 'provider', appId: 'counter', name: 'p' })).body.token;
    const appToken = (await adminOnA.post('/v1/admin/tokens', { role: 'app', appId: 'writer', name: 'a' })).body.token;
    const providerOnA = createHttp(a.url, providerToken);
    const appOnB = createHttp(b.url, appToken);
    const register = (type: typeof countType) =>
      providerOnA.put('/v1/providers/counter:count', { name: 'Counter', taskType: type.id, customTaskType: type });

    expect((await register(countType)).status).toBe(201);
    const first = await appOnB.post('/v1/tasks', { type: countType.id, input: { text: 'one two' } });
    expect(first.status, JSON.stringify(first.body)).toBe(201);

    const withLanguage = {
      ...countType,
      inputShape: { ...countType.inputShape, language: { name: 'Language', description: 'Of the text', type: 'Text' } },
    };
    expect((await register(withLanguage)).status).toBe(200);
    const missing = await answersWithin(() => appOnB.post('/v1/tasks', { type: countType.id, input: { text: 'one two' } }), 422);
    expect(missing.status, JSON.stringify(missing.body)).toBe(422);
    expect(missing.body.slot).toBe('language');
    const complete = await appOnB.post('/v1/tasks', { type: countType.id, input: { text: 'one two', language: 'en' } });
    expect(complete.status, JSON.stringify(complete.body)).toBe(201);
  });
});
