import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createHttp,
  createTestDatabase,
  describeEachDatabase,
  startCoordinator,
  type RunningCoordinator,
  type TestDatabase,
} from '../src/index.ts';

describeEachDatabase('restart', (kind) => {
  let db: TestDatabase;
  let coordinator: RunningCoordinator | undefined;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await coordinator?.stop();
    await db?.destroy();
  });

  it('keeps tokens, providers, settings and tasks across a coordinator restart', async () => {
    coordinator = await startCoordinator(db);
    const admin = createHttp(coordinator.url, coordinator.adminToken);
    const appToken = (await admin.post('/v1/admin/tokens', { role: 'app', appId: 'mail', name: 'mail' })).body.token;
    const providerToken = (await admin.post('/v1/admin/tokens', { role: 'provider', appId: 'acme', name: 'acme' })).body
      .token;
    const registered = await admin.withToken(providerToken).put('/v1/providers/acme:summary', {
      name: 'Acme summary',
      taskType: 'core:text2text:summary',
      expectedRuntime: 7,
    });
    expect(registered.status).toBe(201);
    const settings = { enabled: true, preferredProviders: ['acme:summary'] };
    expect((await admin.put('/v1/admin/task-types/core:text2text:summary', settings)).status).toBe(200);
    const scheduled = await admin.withToken(appToken).post('/v1/tasks', {
      type: 'core:text2text:summary',
      input: { input: 'A long e-mail that needs a summary.' },
      customId: 'restart-check',
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(201);
    const tokensBefore = (await admin.get('/v1/admin/tokens')).body.tokens;
    await coordinator.stop();

    coordinator = await startCoordinator(db);
    const after = createHttp(coordinator.url, coordinator.adminToken);
    // The seeded admin token is found again, not stored a second time.
    const tokensAfter = (await after.get('/v1/admin/tokens')).body.tokens;
    expect(tokensAfter.map((t: any) => t.id)).toEqual(tokensBefore.map((t: any) => t.id));

    const task = await after.withToken(appToken).get(`/v1/tasks/${scheduled.body.id}`);
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({
      id: scheduled.body.id,
      status: 'scheduled',
      customId: 'restart-check',
      input: { input: 'A long e-mail that needs a summary.' },
    });

    const providers = await after.withToken(providerToken).get('/v1/providers');
    expect(providers.status).toBe(200);
    expect(providers.body.providers).toEqual([
      expect.objectContaining({ id: 'acme:summary', appId: 'acme', expectedRuntime: 7, registeredAt: registered.body.registeredAt }),
    ]);
    expect((await after.get('/v1/admin/task-types/core:text2text:summary')).body).toEqual(settings);
  });
});
