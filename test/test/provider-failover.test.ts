import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  createProviderFixture,
  describeEachDatabase,
  event,
  queryTestDatabase,
  reported,
  startGate,
  type Gate,
  type ProviderFixture,
} from '../src/index.ts';

// Several providers, and providers that die: the preference order and its failover, lease
// expiry after a SIGKILL, and attempts running out. Leases, liveness and sweeps are shortened so
// that each of these happens within a second or two.

const leaseMs = 1_500;

describeEachDatabase('provider failover', (kind) => {
  let fx: ProviderFixture;
  let gate: Gate;
  const expectedEvents = new Map<number, Record<string, number>>();

  beforeAll(async () => {
    fx = await createProviderFixture(kind, {
      TASKPROC_SWEEP_MS: '100',
      TASKPROC_PROVIDER_LIVENESS_MS: '1500',
      TASKPROC_MAX_ATTEMPTS: '2',
    });
    gate = await startGate();
  });
  afterEach(() => fx.stopProviders());
  afterAll(async () => {
    await gate?.close();
    await fx?.close();
  });

  it('sends tasks to the preferred provider, and to the next one once it stops polling', async () => {
    // Registered first, so without the preference it would be the one served first.
    await fx.register('pref:a', 'test:pref');
    const a = fx.startProvider({ providerId: 'pref:a', taskType: 'test:pref', waitMs: 500 });
    const b = fx.startProvider({ providerId: 'pref:b', taskType: 'test:pref', waitMs: 500 });
    await Promise.all([a.waitFor(event('ready')), b.waitFor(event('ready'))]);
    const settings = await fx.admin.put('/v1/admin/task-types/test:pref', { preferredProviders: ['pref:b', 'pref:a'] });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);

    const first: number[] = [];
    for (let i = 0; i < 4; i++) first.push((await fx.schedule('test:pref', { input: `first ${i}` })).id);
    for (const id of first) await b.waitFor(reported(id));
    for (const id of first) expect(await fx.task(id)).toMatchObject({ status: 'successful', providerId: 'pref:b' });
    expect(a.lines().filter(event('started'))).toEqual([]);

    // The preferred provider goes away; its tasks fail over once it counts as gone.
    b.process.child.kill('SIGTERM');
    await b.process.exited;
    const second: number[] = [];
    for (let i = 0; i < 2; i++) second.push((await fx.schedule('test:pref', { input: `second ${i}` })).id);
    for (const id of second) await a.waitFor(reported(id));
    for (const id of second) expect(await fx.task(id)).toMatchObject({ status: 'successful', providerId: 'pref:a', attempts: 1 });
    for (const id of [...first, ...second]) expectedEvents.set(id, { running: 1, successful: 1, failed: 0, requeued: 0 });
  });

  it('a provider killed mid-task loses the lease; another provider finishes the task, once', async () => {
    const doomed = fx.startProvider({ providerId: 'kill:a', taskType: 'test:kill', behaviour: 'gated', gateUrl: gate.url, leaseMs });
    await doomed.waitFor(event('ready'));
    const { id } = await fx.schedule('test:kill', { input: 'survive' });
    await doomed.waitFor(event('started', id));
    doomed.process.child.kill('SIGKILL');
    await doomed.process.exited;

    const rescuer = fx.startProvider({ providerId: 'kill:b', taskType: 'test:kill', waitMs: 500 });
    expect(await rescuer.waitFor(event('started', id))).toMatchObject({ attempt: 2 });
    await rescuer.waitFor(reported(id));
    expect(await fx.task(id)).toMatchObject({ status: 'successful', attempts: 2, providerId: 'kill:b', output: { output: 'SURVIVE' } });
    expectedEvents.set(id, { running: 2, requeued: 1, successful: 1, failed: 0 });
  });

  it('fails the task with "provider stopped responding" when every attempt lost its lease', async () => {
    const first = fx.startProvider({ providerId: 'exhaust:p', taskType: 'test:exhaust', behaviour: 'gated', gateUrl: gate.url, leaseMs });
    await first.waitFor(event('ready'));
    const { id } = await fx.schedule('test:exhaust', { input: 'doomed' });
    await first.waitFor(event('started', id));
    first.process.child.kill('SIGKILL');

    const second = fx.startProvider({ providerId: 'exhaust:p', taskType: 'test:exhaust', behaviour: 'gated', gateUrl: gate.url, leaseMs });
    expect(await second.waitFor(event('started', id))).toMatchObject({ attempt: 2 });
    second.process.child.kill('SIGKILL');

    // The coordinator answers once the sweep has ended the task (or after 20 s, failing the test).
    const ended = await fx.app.get(`/v1/tasks/${id}?waitSeconds=20`);
    const task = ended.body;
    expect(task).toMatchObject({ status: 'failed', attempts: 2, output: null });
    expect(task.errorMessage).toContain('provider stopped responding');
    expect(task.userFacingErrorMessage).toBeTruthy();
    expectedEvents.set(id, { running: 2, requeued: 1, successful: 0, failed: 1 });
  });

  it('the task event log agrees: one terminal event per task, one running event per claim', async () => {
    // PGlite is one process per directory: the coordinator must let go of it first.
    await fx.coordinator.stop();
    const rows = await queryTestDatabase<{ task_id: number; kind: string; n: number }>(
      fx.db,
      'SELECT task_id, kind, count(*)::int AS n FROM task_events GROUP BY task_id, kind',
    );
    expect(expectedEvents.size).toBeGreaterThan(0);
    for (const [taskId, expected] of expectedEvents) {
      const counts = Object.fromEntries(Object.keys(expected).map((k) => [k, rows.find((r) => r.task_id === taskId && r.kind === k)?.n ?? 0]));
      expect({ taskId, ...counts }).toEqual({ taskId, ...expected });
    }
  });
});
