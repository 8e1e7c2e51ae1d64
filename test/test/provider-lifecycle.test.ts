import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  createProviderFixture,
  describeEachDatabase,
  event,
  reported,
  startGate,
  type Gate,
  type ProviderFixture,
} from '../src/index.ts';

// Cancellation and graceful shutdown, end to end: what an app's cancel does to a running
// provider, and what SIGTERM does to the tasks a provider process holds.

describeEachDatabase('provider lifecycle', (kind) => {
  let fx: ProviderFixture;
  let gate: Gate;

  beforeAll(async () => {
    fx = await createProviderFixture(kind, { TASKPROC_SWEEP_MS: '100' });
    gate = await startGate();
  });
  afterEach(() => fx.stopProviders());
  afterAll(async () => {
    await gate?.close();
    await fx?.close();
  });

  it('cancelling a running task aborts ctx.signal and discards what the handler returns', async () => {
    const p = fx.startProvider({
      providerId: 'cancel:p',
      taskType: 'test:cancel',
      behaviour: 'gated',
      gateUrl: gate.url,
      heartbeatIntervalMs: 100,
    });
    await p.waitFor(event('ready'));
    const { id } = await fx.schedule('test:cancel', { input: 'x' });
    await p.waitFor(event('started', id));
    const cancelled = await fx.app.post(`/v1/tasks/${id}/cancel`);
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    // The next heartbeat hears task_cancelled; the handler sees its signal abort.
    expect(await p.waitFor(event('aborted', id))).toMatchObject({ kind: 'cancelled' });
    await p.waitFor((l) => l.msg === 'task cancelled; its work is discarded' && l.taskId === id);
    // The handler returned an output after the abort: the SDK never sent it.
    expect(p.lines().some(reported(id))).toBe(false);
    expect(await fx.task(id)).toMatchObject({ status: 'cancelled', output: null });
    // The provider carries on with other work.
    const next = await fx.schedule('test:cancel', { input: 'next' });
    gate.open(next.id);
    await p.waitFor(reported(next.id));
  });

  it('SIGTERM lets tasks finish within the grace time and releases the rest without spending attempts', async () => {
    const p = fx.startProvider({
      providerId: 'stop:p',
      taskType: 'test:stop',
      behaviour: 'gated',
      gateUrl: gate.url,
      concurrency: 3,
      graceMs: 1_000,
    });
    await p.waitFor(event('ready'));
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await fx.schedule('test:stop', { input: `t${i}` })).id);
    await p.waitForCount(event('started'), 3);
    const [finishing, ...unfinished] = ids as [number, ...number[]];

    p.process.child.kill('SIGTERM');
    gate.open(finishing);
    const exit = await p.process.exited;
    expect(exit, p.process.output().slice(-2_000)).toEqual({ code: 0, signal: null });

    expect(p.lines().find(reported(finishing))).toMatchObject({ status: 'successful' });
    for (const id of unfinished) {
      expect(p.lines().find(event('aborted', id))).toMatchObject({ kind: 'shutdown' });
      expect(p.lines().some(reported(id))).toBe(false);
      // Back in the queue, and the interrupted claim does not count as an attempt.
      expect(await fx.task(id)).toMatchObject({ status: 'scheduled', attempts: 0 });
    }
    expect(await fx.task(finishing)).toMatchObject({ status: 'successful', output: { output: 'T0' } });

    // Another provider process picks the released tasks up; each is then on its first attempt.
    const next = fx.startProvider({ providerId: 'stop:p', taskType: 'test:stop' });
    for (const id of unfinished) await next.waitFor(reported(id));
    for (const id of unfinished) expect(await fx.task(id)).toMatchObject({ status: 'successful', attempts: 1 });
  });
});
