import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createHttp,
  createTestDatabase,
  startCoordinator,
  type Http,
  type RunningCoordinator,
  type TestDatabase,
} from '../src/index.ts';
import { openEventStream, type EventStreamReader } from './events-stream-reader.ts';
import { createTaskDriver, track, type TaskDriver } from './events-task-driver.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhooks-receiver.ts';

// Two coordinator processes on one PostgreSQL database: a change made through one must wake
// what waits on the other, over LISTEN/NOTIFY. The sweeps run once a minute, far beyond each
// test's timeout, so only a notification can make these tests pass.

const longWait = 100;
const shortTimeout = 15_000;

describe.skipIf(!inject('postgresAvailable'))('replicas on one PostgreSQL', () => {
  let db: TestDatabase;
  let a: RunningCoordinator;
  let b: RunningCoordinator;
  let t: TaskDriver;
  let appOnB: Http;
  let providerOnB: Http;
  let receiver: WebhookReceiver;
  const streams: EventStreamReader[] = [];

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    db = await createTestDatabase('postgres');
    const env = {
      TASKPROC_SWEEP_MS: '60000',
      TASKPROC_MAX_WAIT_MS: '120000',
      TASKPROC_MAX_TASK_WAIT_S: '600',
      TASKPROC_WEBHOOK_ALLOW_PRIVATE: 'true',
    };
    [a, b] = await Promise.all([startCoordinator(db, env), startCoordinator(db, env)]);
    t = await createTaskDriver(createHttp(a.url, a.adminToken), { appId: 'replicated', providerApp: 'llm', providerId: 'llm:summary' });
    appOnB = createHttp(b.url, t.app.token);
    providerOnB = createHttp(b.url, t.provider.token);
  });
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.destroy();
    await receiver?.close();
  });

  it('ends a wait on B when the provider reports the result to A', async () => {
    const task = await t.schedule();
    const waiting = track(appOnB.get(`/v1/tasks/${task.id}?waitSeconds=${longWait}`));
    const leaseId = await t.claim(task.id);
    await t.progress(task.id, leaseId, 0.5);
    expect(waiting.settled()).toBe(false);
    await t.succeed(task.id, leaseId, 'From A.');
    const res = await waiting.promise;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: task.id, status: 'successful', output: { output: 'From A.' } });
  }, shortTimeout);

  it('streams to a subscriber on B the events of a task run through A, in order', async () => {
    const customId = 'across-replicas';
    const stream = await openEventStream(b.url, `/v1/events?customId=${customId}`, { token: t.app.token! });
    streams.push(stream);
    const task = await t.schedule({ customId });
    const leaseId = await t.claim(task.id);
    await t.progress(task.id, leaseId, 0.3);
    await t.succeed(task.id, leaseId);
    const kinds = [];
    for (let i = 0; i < 4; i++) kinds.push((await stream.nextEvent()).event);
    expect(kinds).toEqual(['scheduled', 'running', 'progress', 'successful']);
  }, shortTimeout);

  it('wakes a provider long-polling on B when a task is scheduled on A', async () => {
    const claiming = track(providerOnB.post('/v1/work/next', { providerIds: [t.providerId], max: 1, waitMs: longWait * 1000 }));
    // Let the claim park first; if it has not, it finds the task at once, which passes too.
    await sleep(200);
    expect(claiming.settled()).toBe(false);
    const task = await t.schedule();
    const res = await claiming.promise;
    expect(res.status).toBe(200);
    expect(res.body.tasks.map((c: { task: { id: number } }) => c.task.id)).toEqual([task.id]);
    await t.succeed(task.id, res.body.tasks[0].leaseId, 'done', providerOnB);
  }, shortTimeout);

  it('delivers a webhook once, though both replicas run the delivery job when the task ends', async () => {
    const first = await t.schedule({ webhookUri: `${receiver.url}/replicas/1` });
    await t.succeed(first.id, await t.claim(first.id));
    await receiver.waitForCalls('/replicas/1', 1);
    // A second delivery pokes both replicas' jobs again; the first must not be sent twice.
    const second = await t.schedule({ webhookUri: `${receiver.url}/replicas/2` });
    await t.succeed(second.id, await t.claim(second.id), 'again', providerOnB);
    await receiver.waitForCalls('/replicas/2', 1);
    // The attempt is recorded just after the receiver answered.
    let deliveries: Array<{ status: string }> = [];
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(25)) {
      deliveries = (await appOnB.get(`/v1/tasks/${first.id}/webhook-deliveries`)).body.deliveries;
      if (deliveries[0]?.status === 'delivered') break;
    }
    expect(deliveries).toMatchObject([{ status: 'delivered', attempts: 1, attemptLog: [{ statusCode: 200 }] }]);
    expect(receiver.callsTo('/replicas/1')).toHaveLength(1);
    expect(receiver.callsTo('/replicas/2')).toHaveLength(1);
  }, shortTimeout);
});
