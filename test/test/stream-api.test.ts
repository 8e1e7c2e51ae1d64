import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, expectProblem, registerProvider, tokenClient, useCoordinator, type Http } from '../src/index.ts';
import { openEventStream } from './events-stream-reader.ts';

// The streaming half of the protocol on the wire, as a provider in another language would use it:
// POST /v1/work/stream, the task's own event stream, `delta` on GET /v1/events, and the control
// stream's lease ends. The SDK and client path is in streaming.test.ts.

const summary = 'core:text2text:summary';

describeEachDatabase('stream API', (kind) => {
  const fx = useCoordinator(kind, { TASKPROC_SWEEP_MS: '100' });
  let app: Http;
  let otherApp: Http;
  let provider: Http;
  let otherProvider: Http;
  let appToken: string;
  let providerToken: string;

  beforeAll(async () => {
    app = await tokenClient(fx.admin, 'app', 'mail');
    otherApp = await tokenClient(fx.admin, 'app', 'calendar');
    provider = await tokenClient(fx.admin, 'provider', 'llm');
    otherProvider = await tokenClient(fx.admin, 'provider', 'other');
    appToken = app.token!;
    providerToken = provider.token!;
    await registerProvider(provider, 'llm:summary', { name: 'LLM summary', taskType: summary });
    await registerProvider(otherProvider, 'other:summary', { name: 'Other', taskType: 'core:text2text:headline' });
  });

  /** Schedules a summary asking for streaming and claims it (lease `leaseMs`). */
  const running = async (leaseMs = 60_000) => {
    const scheduled = await app.post('/v1/tasks', { type: summary, input: { input: 'some text' }, preferStreaming: true });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(201);
    expect(scheduled.body.preferStreaming).toBe(true);
    const claimed = await provider.post('/v1/work/next', { providerIds: ['llm:summary'], max: 1, leaseMs });
    expect(claimed.body.tasks).toHaveLength(1);
    const [{ task, leaseId }] = claimed.body.tasks;
    expect(task.id).toBe(scheduled.body.id);
    expect(task.preferStreaming).toBe(true);
    return { taskId: task.id as number, leaseId: leaseId as string };
  };
  const stream = (items: unknown[]) => provider.post('/v1/work/stream', { items });

  it('stores deltas once each, in order, before the result; the task stream ends after it and a resume then answers 204', async () => {
    const { taskId, leaseId } = await running();
    const first = await stream([{ taskId, leaseId, seq: 1, delta: { output: 'Hello' } }]);
    expect(first.body).toEqual({ results: [{ taskId, status: 200 }] });
    // The same seq again (a retry after a lost answer): answered, not stored twice.
    const again = await stream([{ taskId, leaseId, seq: 1, delta: { output: 'Hello' } }]);
    expect(again.body).toEqual({ results: [{ taskId, status: 200, repeated: true }] });
    expect((await stream([{ taskId, leaseId, seq: 2, delta: { output: ', world' } }])).body.results[0].status).toBe(200);
    const done = await provider.post(`/v1/work/${taskId}/result`, { leaseId, output: { output: 'Hello, world' } });
    expect(done.status).toBe(200);

    const events = await openEventStream(fx.coordinator.url, `/v1/tasks/${taskId}/events`, { token: appToken });
    const seen = [];
    for (;;) {
      const event = await events.nextEvent();
      seen.push(event);
      if (event.event === 'successful') break;
    }
    expect(seen.map((e) => e.event)).toEqual(['scheduled', 'running', 'delta', 'delta', 'successful']);
    expect(seen.filter((e) => e.event === 'delta').map((e) => e.data)).toEqual([
      expect.objectContaining({ kind: 'delta', taskId, attempt: 1, delta: { output: 'Hello' } }),
      expect.objectContaining({ kind: 'delta', taskId, attempt: 1, delta: { output: ', world' } }),
    ]);
    // The stream closes after the final event.
    await expect(events.next(() => true, 5_000)).rejects.toThrow('the event stream ended');

    const resumed = await fetch(`${fx.coordinator.url}/v1/tasks/${taskId}/events`, {
      headers: { authorization: `Bearer ${appToken}`, 'last-event-id': String(seen.at(-1)!.id) },
    });
    expect(resumed.status).toBe(204);
    const midway = await openEventStream(fx.coordinator.url, `/v1/tasks/${taskId}/events`, {
      token: appToken,
      headers: { 'last-event-id': String(seen[2]!.id) },
    });
    expect((await midway.nextEvent()).data.delta).toEqual({ output: ', world' });
    expect((await midway.nextEvent()).event).toBe('successful');
    midway.close();
  });

  it('answers each item on its own: lease lost, cancelled, another app\'s task, a task sent twice', async () => {
    const live = await running();
    const cancelled = await running();
    expect((await app.post(`/v1/tasks/${cancelled.taskId}/cancel`)).status).toBe(200);
    const answer = await stream([
      { taskId: live.taskId, leaseId: live.leaseId, seq: 1, delta: { output: 'ok' } },
      { taskId: live.taskId + 1_000_000, leaseId: live.leaseId, seq: 1, delta: { output: 'x' } },
      { taskId: cancelled.taskId, leaseId: cancelled.leaseId, seq: 1, delta: { output: 'late' } },
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body.results.map((r: any) => [r.status, r.problem?.code])).toEqual([
      [200, undefined],
      [404, 'not_found'],
      [409, 'task_cancelled'],
    ]);
    const stale = await stream([{ taskId: live.taskId, leaseId: '00000000-0000-4000-8000-000000000000', seq: 9, delta: { output: 'x' } }]);
    expect(stale.body.results[0]).toMatchObject({ status: 409, problem: { code: 'lease_lost' } });
    // Another provider app cannot write into the task, even knowing the lease.
    const foreign = await otherProvider.post('/v1/work/stream', { items: [{ taskId: live.taskId, leaseId: live.leaseId, seq: 2, delta: { output: 'x' } }] });
    expect(foreign.body.results[0]).toMatchObject({ status: 404, problem: { code: 'not_found' } });

    const twice = await stream([
      { taskId: live.taskId, leaseId: live.leaseId, seq: 3, delta: { output: 'a' } },
      { taskId: live.taskId, leaseId: live.leaseId, seq: 4, delta: { output: 'b' } },
    ]);
    expectProblem(twice, 400, 'invalid_request', { field: 'json.items.1.taskId' });
    expectProblem(await stream([{ taskId: live.taskId, leaseId: live.leaseId, seq: 5, delta: {} }]), 400, 'invalid_request');
    expectProblem(await stream([{ taskId: live.taskId, leaseId: live.leaseId, seq: 0, delta: { output: 'a' } }]), 400, 'invalid_request');
    expectProblem(await stream([{ taskId: live.taskId, leaseId: live.leaseId, seq: 5, delta: { output: 'a\u0000' } }]), 400, 'invalid_request');
    expectProblem(await app.post('/v1/work/stream', { items: [] }), 403, 'forbidden');
  });

  it('sends deltas on GET /v1/events only to streams that ask for them', async () => {
    const everything = await openEventStream(fx.coordinator.url, '/v1/events', { token: appToken });
    const deltas = await openEventStream(fx.coordinator.url, '/v1/events?types=delta,successful', { token: appToken });
    const { taskId, leaseId } = await running();
    await stream([{ taskId, leaseId, seq: 1, delta: { output: 'partial' } }]);
    await provider.post(`/v1/work/${taskId}/result`, { leaseId, output: { output: 'partial' } });
    const kinds = async (reader: typeof everything) => {
      const got: string[] = [];
      for (;;) {
        const e = await reader.nextEvent();
        if (e.data.taskId !== taskId) continue;
        got.push(e.event);
        if (e.event === 'successful') return got;
      }
    };
    expect(await kinds(everything)).toEqual(['scheduled', 'running', 'successful']);
    expect(await kinds(deltas)).toEqual(['delta', 'successful']);
    everything.close();
    deltas.close();
  });

  it("refuses another app's or an unknown task's stream with 404", async () => {
    const { taskId } = await running();
    expectProblem(await otherApp.get(`/v1/tasks/${taskId}/events`), 404, 'not_found');
    expectProblem(await app.get('/v1/tasks/2000000000/events'), 404, 'not_found');
  });

  it('pushes lease ends on the control stream: cancel, delete, expiry (with the lease id)', async () => {
    expectProblem(await provider.get('/v1/work/control?providerIds=other:summary'), 404, 'not_found');
    expectProblem(await provider.get('/v1/work/control?providerIds=bad%20id'), 400, 'invalid_request');
    const control = await openEventStream(fx.coordinator.url, '/v1/work/control?providerIds=llm:summary', { token: providerToken });
    const nextNotice = async () => {
      const m = await control.next((msg) => msg.event === 'lease_ended');
      return JSON.parse(m.data!);
    };

    const cancelled = await running();
    await app.post(`/v1/tasks/${cancelled.taskId}/cancel`);
    expect(await nextNotice()).toEqual({ taskId: cancelled.taskId, providerId: 'llm:summary', leaseId: null, reason: 'cancelled' });

    const deleted = await running();
    await app.delete(`/v1/tasks/${deleted.taskId}`);
    expect(await nextNotice()).toEqual({ taskId: deleted.taskId, providerId: 'llm:summary', leaseId: deleted.leaseId, reason: 'deleted' });

    const expiring = await running(1_000);
    expect(await nextNotice()).toEqual({ taskId: expiring.taskId, providerId: 'llm:summary', leaseId: expiring.leaseId, reason: 'lease_lost' });
    control.close();
  });
});
