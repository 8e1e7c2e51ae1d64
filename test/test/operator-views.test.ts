import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createProviderFixture,
  describeEachDatabase,
  event,
  reported,
  startGate,
  type Gate,
  type Http,
  type ProviderFixture,
  useCoordinator,
} from '../src/index.ts';

// What an operator sees while tasks flow through the real coordinator and a real SDK provider:
// the Prometheus metrics, GET /v1/admin/stats, a task's queue position and live estimate, and a
// provider's liveness (a provider killed with SIGKILL shows stale within the liveness window).

const livenessMs = 1_500;

/** Every sample of a metric family with its labels, from the exposition text. */
async function samples(admin: Http, name: string): Promise<Array<{ labels: string; value: number }>> {
  const res = await admin.get('/metrics');
  expect(res.status).toBe(200);
  return [...(res.body as string).matchAll(new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`, 'gm'))].map((m) => ({
    labels: m[1] ?? '',
    value: Number(m[2]),
  }));
}

async function sample(admin: Http, name: string, labels: string): Promise<number | undefined> {
  return (await samples(admin, name)).find((s) => s.labels === labels)?.value;
}

describeEachDatabase('operator views', (kind) => {
  let fx: ProviderFixture;
  let gate: Gate;

  beforeAll(async () => {
    // LOG_LEVEL info: the request log lines are read below.
    fx = await createProviderFixture(kind, { TASKPROC_SWEEP_MS: '100', TASKPROC_PROVIDER_LIVENESS_MS: String(livenessMs), LOG_LEVEL: 'info' });
    gate = await startGate();
  });
  afterEach(() => fx.stopProviders());
  afterAll(async () => {
    await gate?.close();
    await fx?.close();
  });

  it('moves queue, wait, run and result metrics and the stats as tasks are scheduled, claimed and finished', async () => {
    const type = 'ops:flow';
    const p = fx.startProvider({ providerId: 'ops:flow-p', taskType: type, behaviour: 'gated', gateUrl: gate.url, concurrency: 2 });
    await p.waitFor(event('ready'));
    const labels = `{type="${type}"}`;
    expect(await sample(fx.admin, 'taskproc_queue_depth', labels)).toBeUndefined();

    // Two run at once (concurrency 2); the third waits, first in line.
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await fx.schedule(type, { input: `t${i}` })).id);
    await p.waitForCount(event('started'), 2);
    const [first, second, third] = ids as [number, number, number];
    await expect.poll(() => sample(fx.admin, 'taskproc_tasks_running', labels)).toBe(2);
    expect(await sample(fx.admin, 'taskproc_queue_depth', labels)).toBe(1);
    expect(await sample(fx.admin, 'taskproc_queue_oldest_age_seconds', labels)).toBeGreaterThanOrEqual(0);
    expect(await sample(fx.admin, 'taskproc_provider_slots', labels)).toBe(2);
    expect(await sample(fx.admin, 'taskproc_providers', `{type="${type}",state="live"}`)).toBe(1);
    expect(await sample(fx.admin, 'taskproc_task_wait_seconds_count', labels)).toBe(2);

    const waiting = await fx.task(third);
    expect(waiting).toMatchObject({ status: 'scheduled', queuePosition: 1 });
    expect(Date.parse(waiting.completionExpectedAt)).toBeGreaterThanOrEqual(Date.now() - 1000);
    const running = await fx.task(first);
    expect(running.queuePosition).toBeNull();

    let stats = (await fx.admin.get(`/v1/admin/stats?type=${encodeURIComponent(type)}`)).body;
    expect(stats.types[type]).toMatchObject({ scheduled: 1, running: 2, liveProviders: 1, staleProviders: 0, slots: 2, busySlots: 2, successful: 0 });
    expect(stats.totals).toMatchObject({ scheduled: 1, running: 2, slots: 2, busySlots: 2 });

    gate.open(first);
    gate.open(second);
    gate.open(third);
    for (const id of ids) await p.waitFor(reported(id));
    await expect.poll(async () => (await fx.task(third)).status).toBe('successful');

    expect(await sample(fx.admin, 'taskproc_task_results_total', `{type="${type}",status="successful"}`)).toBe(3);
    expect(await sample(fx.admin, 'taskproc_task_run_seconds_count', `{type="${type}",status="successful"}`)).toBe(3);
    expect(await sample(fx.admin, 'taskproc_queue_depth', labels)).toBeUndefined();
    stats = (await fx.admin.get('/v1/admin/stats')).body;
    expect(stats.types[type]).toMatchObject({ scheduled: 0, running: 0, successful: 3, failed: 0, oldestScheduledAgeSeconds: null });
    expect(stats.types[type].runSeconds.count).toBe(3);
    expect(stats.types[type].runSeconds.p50).toBeGreaterThanOrEqual(0);
    expect(stats.types[type].waitSeconds.p95).toBeGreaterThanOrEqual(stats.types[type].waitSeconds.p50);

    // The provider listing carries what it did.
    const listed = (await fx.admin.get('/v1/providers')).body.providers.find((x: any) => x.id === 'ops:flow-p');
    expect(listed).toMatchObject({ live: true, concurrency: 2, runningTasks: 0, recent: { successful: 3, failed: 0 } });
  });

  it('moves the queue position and estimate of a waiting task as the tasks ahead of it go', async () => {
    const type = 'ops:queue';
    await fx.register('ops:queue-p', type, 'gated');
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await fx.schedule(type, { input: `q${i}` })).id);
    const urgent = (await fx.schedule(type, { input: 'urgent' }, { priority: 5 })).id;
    const last = ids[2]!;
    expect((await fx.task(urgent)).queuePosition).toBe(1);
    expect((await fx.task(last)).queuePosition).toBe(4);
    const before = Date.parse((await fx.task(last)).completionExpectedAt);
    const stats = (await fx.admin.get(`/v1/admin/stats?type=${encodeURIComponent(type)}`)).body;
    expect(stats.types[type]).toMatchObject({ scheduled: 4, running: 0 });

    const cancelled = await fx.app.post(`/v1/tasks/${urgent}/cancel`);
    expect(cancelled.status).toBe(200);
    await fx.app.post(`/v1/tasks/${ids[0]}/cancel`);
    const after = await fx.task(last);
    expect(after.queuePosition).toBe(2);
    // Two rounds fewer of the provider's expected runtime ahead of it.
    expect(Date.parse(after.completionExpectedAt)).toBeLessThan(before);
    expect((await fx.app.get(`/v1/tasks?type=${encodeURIComponent(type)}&status=scheduled`)).body.tasks.map((t: any) => t.queuePosition)).toEqual([2, 1]);
  });

  it('shows a provider killed with SIGKILL as stale within the liveness window, with a log line and a metric', async () => {
    const type = 'ops:stale';
    const p = fx.startProvider({ providerId: 'ops:stale-p', taskType: type, waitMs: 200 });
    await p.waitFor(event('ready'));
    const listed = async () => (await fx.admin.get('/v1/providers')).body.providers.find((x: any) => x.id === 'ops:stale-p');
    await expect.poll(async () => (await listed())?.live).toBe(true);
    const staleBefore = (await sample(fx.admin, 'taskproc_provider_liveness_changes_total', '{change="stale"}')) ?? 0;

    const killedAt = Date.now();
    await p.process.stop('SIGKILL');
    await expect.poll(async () => (await listed()).live, { timeout: livenessMs + 5_000, interval: 100 }).toBe(false);
    const staleAfterMs = Date.now() - killedAt;
    // Stale no later than the liveness window after its last poll (plus the sightings flush and one poll interval).
    expect(staleAfterMs).toBeLessThan(livenessMs + 2_500);
    await expect
      .poll(() => fx.coordinator.process.output(), { timeout: 10_000 })
      .toMatch(/"providerId":"ops:stale-p".*"msg":"provider stopped polling: stale/);
    expect(await sample(fx.admin, 'taskproc_provider_liveness_changes_total', '{change="stale"}')).toBeGreaterThan(staleBefore);
    const stats = (await fx.admin.get(`/v1/admin/stats?type=${encodeURIComponent(type)}`)).body;
    expect(stats.types[type]).toMatchObject({ liveProviders: 0, staleProviders: 1, slots: 0 });
  });

  it('logs one JSON line per request with method, route, status, duration, request id and app, and times routes in a histogram', async () => {
    await fx.register('ops:log-p', 'ops:log');
    await fx.schedule('ops:log', { input: 'x' });
    const res = await fx.app.get('/v1/tasks/999999', { headers: { 'x-request-id': 'trace-me-1' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('trace-me-1');
    await expect
      .poll(() => fx.coordinator.process.output())
      .toMatch(/"method":"GET","route":"\/v1\/tasks\/:id","status":404,"durationMs":[\d.]+,"requestId":"trace-me-1","appId":"mail","role":"app"/);
    const routes = (await samples(fx.admin, 'taskproc_http_request_duration_seconds_count')).map((s) => s.labels);
    expect(routes).toContain('{method="POST",route="/v1/tasks",status="201"}');
    expect(routes).toContain('{method="GET",route="/v1/tasks/:id",status="404"}');
    // Process metrics come along.
    expect((await samples(fx.admin, 'taskproc_process_resident_memory_bytes'))[0]?.value).toBeGreaterThan(0);
  });

  it('passes the request id of the schedule call to the provider, which logs its work under it', async () => {
    const type = 'ops:trace';
    const p = fx.startProvider({ providerId: 'ops:trace-p', taskType: type });
    await p.waitFor(event('ready'));
    const res = await fx.app.post('/v1/tasks', { type, input: { input: 'x' } }, { headers: { 'x-request-id': 'trace-sched-7' } });
    expect(res.status).toBe(201);
    expect(await p.waitFor(reported(res.body.id))).toMatchObject({ requestId: 'trace-sched-7', taskId: res.body.id });
  });
});

// The listener does not depend on the database: one PGlite coordinator is enough.
describe('the open metrics listener (TASKPROC_METRICS_PORT)', () => {
  const fx = useCoordinator('pglite', { TASKPROC_METRICS_PORT: '0' });

  it('serves GET /metrics without a token and nothing else, while the API port keeps asking for the admin token', async () => {
    // Printed before the coordinator's own "listening" line, which the fixture waited for.
    const url = /taskproc metrics on (http:\/\/\S+)\/metrics/.exec(fx.coordinator.process.output())?.[1];
    expect(url).toBeDefined();
    const open = await fetch(`${url}/metrics`);
    expect(open.status).toBe(200);
    expect(await open.text()).toMatch(/^# HELP taskproc_queue_depth /m);
    expect((await fetch(`${url}/v1/tasks`)).status).toBe(404);
    expect((await fetch(`${fx.coordinator.url}/metrics`)).status).toBe(401);
  });
});
