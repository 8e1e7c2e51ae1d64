import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StreamReset, TaskEvent } from '@taskproc/spec';
import { describeEachDatabase, expectProblem, tokenClient, useCoordinator, type Http } from '../src/index.ts';
import { openEventStream, type EventStreamReader } from './events-stream-reader.ts';
import { createTaskDriver, type TaskDriver } from './events-task-driver.ts';

// GET /v1/events through the real coordinator: order, resume with Last-Event-ID, filters,
// visibility between apps, reset after pruning, heartbeats. "Nothing else came" is proven with a
// marker: a later event the stream must deliver next.

describeEachDatabase('task event stream', (kind) => {
  const fx = useCoordinator(kind, { TASKPROC_SSE_HEARTBEAT_MS: '300' });
  let t: TaskDriver;
  let otherApp: Http;
  const open: EventStreamReader[] = [];
  let marker = 0;

  beforeAll(async () => {
    t = await createTaskDriver(fx.admin, { appId: 'streamer', providerApp: 'llm', providerId: 'llm:summary' });
    otherApp = await tokenClient(fx.admin, 'app', 'other-app');
  });
  afterEach(() => {
    for (const stream of open.splice(0)) stream.close();
  });

  const subscribe = async (query = '', as: Http = t.app, headers: Record<string, string> = {}) => {
    const stream = await openEventStream(fx.coordinator.url, `/v1/events${query}`, { token: as.token!, headers });
    open.push(stream);
    expect(stream.status).toBe(200);
    return stream;
  };
  const uniqueId = (prefix: string) => `${prefix}-${kind}-${++marker}`;

  it('delivers scheduled, running, progress and successful in order, each a TaskEvent with the task as it was', async () => {
    const customId = uniqueId('order');
    const stream = await subscribe(`?customId=${customId}`);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    expect(stream.headers.get('cache-control')).toBe('no-cache');
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    const task = await t.schedule({ customId });
    const leaseId = await t.claim(task.id);
    await t.progress(task.id, leaseId, 0.25);
    await t.succeed(task.id, leaseId, 'Sum.');
    const events = [];
    for (let i = 0; i < 4; i++) events.push(await stream.nextEvent());
    expect(events.map((e) => e.event)).toEqual(['scheduled', 'running', 'progress', 'successful']);
    for (const e of events) {
      expect(TaskEvent.parse(e.data)).toMatchObject({ id: e.id, kind: e.event, taskId: task.id });
    }
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));
    expect(events.map((e) => e.data.task.status)).toEqual(['scheduled', 'running', 'running', 'successful']);
    expect(events[2]!.data.task.progress).toBe(0.25);
    expect(events[3]!.data.task.output).toEqual({ output: 'Sum.' });
  });

  it('after a reconnect with Last-Event-ID, delivers exactly the events it missed, then live ones', async () => {
    const customId = uniqueId('resume');
    const first = await subscribe(`?customId=${customId}`);
    const task = await t.schedule({ customId });
    const scheduled = await first.nextEvent();
    expect(scheduled.event).toBe('scheduled');
    first.close();

    const leaseId = await t.claim(task.id);
    await t.progress(task.id, leaseId, 0.5);
    await t.fail(task.id, leaseId, 'boom');

    const resumed = await subscribe(`?customId=${customId}`, t.app, { 'Last-Event-ID': String(scheduled.id) });
    const missed = [await resumed.nextEvent(), await resumed.nextEvent(), await resumed.nextEvent()];
    expect(missed.map((e) => e.event)).toEqual(['running', 'progress', 'failed']);
    expect(missed.every((e) => e.data.taskId === task.id && e.id > scheduled.id)).toBe(true);
    const next = await t.schedule({ customId });
    expect(await resumed.nextEvent()).toMatchObject({ event: 'scheduled', data: { taskId: next.id } });

    // The same through the query parameter, for clients that cannot set headers.
    const byQuery = await subscribe(`?customId=${customId}&lastEventId=${missed[1]!.id}`);
    expect((await byQuery.nextEvent()).id).toBe(missed[2]!.id);
    expect(await byQuery.nextEvent()).toMatchObject({ event: 'scheduled', data: { taskId: next.id } });
    await t.app.post(`/v1/tasks/${next.id}/cancel`);
  });

  it('gives a new stream its resume point first, so a reconnect before any event misses nothing', async () => {
    const customId = uniqueId('early');
    const first = await subscribe(`?customId=${customId}`);
    const opening = first.opening!;
    expect(opening).toEqual({ retry: 2000, id: expect.stringMatching(/^\d+$/) });
    first.close();

    // Written while no stream was open: a reconnect "from now" would never see it.
    const task = await t.schedule({ customId });
    const resumed = await subscribe(`?customId=${customId}`, t.app, { 'Last-Event-ID': opening.id! });
    expect(await resumed.nextEvent()).toMatchObject({ event: 'scheduled', data: { taskId: task.id } });
    await t.app.post(`/v1/tasks/${task.id}/cancel`);
  });

  it('replays only the filter\'s events, and Last-Event-ID 0 replays every retained one', async () => {
    const customId = uniqueId('replay');
    const a = await t.schedule({ customId });
    const noise = await t.schedule({ customId: uniqueId('noise') });
    await t.app.post(`/v1/tasks/${a.id}/cancel`);
    await t.app.post(`/v1/tasks/${noise.id}/cancel`);
    const stream = await subscribe(`?customId=${customId}`, t.app, { 'Last-Event-ID': '0' });
    expect((await stream.nextEvent()).event).toBe('scheduled');
    expect((await stream.nextEvent()).event).toBe('cancelled');
  });

  it('filters by taskId, userId and types', async () => {
    const byUser = await subscribe('?userId=carol');
    const byTypes = await subscribe('?types=successful,cancelled');
    const a = await t.schedule({ userId: 'carol' });
    const b = await t.schedule({ userId: 'dave' });
    const byTask = await subscribe(`?taskId=${b.id}`);
    await t.app.post(`/v1/tasks/${a.id}/cancel`);
    await t.succeed(b.id, await t.claim(b.id));

    expect(await byUser.nextEvent()).toMatchObject({ event: 'scheduled', data: { taskId: a.id } });
    expect(await byUser.nextEvent()).toMatchObject({ event: 'cancelled', data: { taskId: a.id } });
    expect(await byTypes.nextEvent()).toMatchObject({ event: 'cancelled', data: { taskId: a.id } });
    expect(await byTypes.nextEvent()).toMatchObject({ event: 'successful', data: { taskId: b.id } });
    expect(await byTask.nextEvent()).toMatchObject({ event: 'running', data: { taskId: b.id } });
    expect(await byTask.nextEvent()).toMatchObject({ event: 'successful', data: { taskId: b.id } });

    const marker = await t.schedule({ userId: 'carol' });
    await t.app.post(`/v1/tasks/${marker.id}/cancel`);
    expect(await byUser.nextEvent()).toMatchObject({ event: 'scheduled', data: { taskId: marker.id } });
    expect(await byTypes.nextEvent()).toMatchObject({ event: 'cancelled', data: { taskId: marker.id } });
  });

  it('reports deletions with the task\'s last state', async () => {
    const customId = uniqueId('deleted');
    const stream = await subscribe(`?customId=${customId}`);
    const task = await t.schedule({ customId });
    expect((await t.app.delete(`/v1/tasks/${task.id}`)).status).toBe(204);
    expect((await stream.nextEvent()).event).toBe('scheduled');
    expect(await stream.nextEvent()).toMatchObject({ event: 'deleted', data: { taskId: task.id, task: { customId } } });
  });

  it('replays each event with the task exactly as it was then, also once the task is deleted', async () => {
    // Event rows keep only what changes; the rest comes from the task, then from its deleted event.
    const customId = uniqueId('exact');
    const task = await t.schedule({ customId, userId: 'alice', priority: 3 });
    const states = [(await t.app.get(`/v1/tasks/${task.id}`)).body];
    const leaseId = await t.claim(task.id);
    states.push((await t.app.get(`/v1/tasks/${task.id}`)).body);
    await t.succeed(task.id, leaseId, 'Exact.');
    states.push((await t.app.get(`/v1/tasks/${task.id}`)).body);
    const replay = async () => {
      const stream = await subscribe(`?customId=${customId}`, t.app, { 'Last-Event-ID': '0' });
      const events = [];
      for (let i = 0; i < 3; i++) events.push(await stream.nextEvent());
      return events;
    };
    // Reads add the live view (queue position, a fresh estimate); snapshots keep the stored task.
    const stored = ({ queuePosition: _p, completionExpectedAt: _c, ...rest }: any) => rest;
    expect((await replay()).map((e) => stored(e.data.task))).toEqual(states.map(stored));
    expect((await t.app.delete(`/v1/tasks/${task.id}`)).status).toBe(204);
    const replayed = await replay();
    expect(replayed.map((e) => stored(e.data.task))).toEqual(states.map(stored));
    // An ended task's estimate is shown as stored.
    expect(replayed[2]!.data.task.completionExpectedAt).toBe(states[2].completionExpectedAt);
  });

  it('shows an app only its own tasks\' events; an admin sees every app\'s', async () => {
    const mine = await subscribe();
    const everything = await subscribe('', fx.admin);
    const onlyOther = await subscribe('?appId=other-app', fx.admin);
    const theirs = await t.schedule({}, otherApp);
    const ours = await t.schedule();
    expect(await mine.nextEvent()).toMatchObject({ data: { taskId: ours.id, task: { appId: 'streamer' } } });
    expect(await everything.nextEvent()).toMatchObject({ data: { taskId: theirs.id } });
    expect(await everything.nextEvent()).toMatchObject({ data: { taskId: ours.id } });
    expect(await onlyOther.nextEvent()).toMatchObject({ data: { taskId: theirs.id } });

    // Filters cannot reach across apps either.
    const probing = await subscribe(`?taskId=${theirs.id}`);
    await otherApp.post(`/v1/tasks/${theirs.id}/cancel`);
    const marker = await t.schedule();
    const probeMarker = await subscribe(`?taskId=${marker.id}`, t.app, { 'Last-Event-ID': '0' });
    expect(await probeMarker.nextEvent()).toMatchObject({ data: { taskId: marker.id } });
    await expect(probing.next(undefined, 500)).rejects.toThrow(/no matching event/);
    await t.app.post(`/v1/tasks/${ours.id}/cancel`);
    await t.app.post(`/v1/tasks/${marker.id}/cancel`);
  });

  it('sends a reset first when the resume point is no longer in the log, then carries on', async () => {
    const customId = uniqueId('reset');
    const stream = await subscribe(`?customId=${customId}`, t.app, { 'Last-Event-ID': '999999999' });
    const reset = await stream.next((m) => m.event !== undefined);
    expect(reset.event).toBe('reset');
    expect(reset.id).toBeUndefined();
    expect(StreamReset.parse(JSON.parse(reset.data!))).toMatchObject({ reason: 'events_pruned', lastEventId: 999999999 });
    const task = await t.schedule({ customId });
    expect(await stream.nextEvent()).toMatchObject({ event: 'scheduled', data: { taskId: task.id } });
    await t.app.post(`/v1/tasks/${task.id}/cancel`);
  });

  it('announces retry once, and sends heartbeat comments while idle', async () => {
    const stream = await subscribe(`?customId=${uniqueId('idle')}`);
    expect(await stream.next((m) => m.comment !== undefined, 5_000)).toEqual({ comment: 'heartbeat' });
    expect(await stream.next((m) => m.comment !== undefined, 5_000)).toEqual({ comment: 'heartbeat' });
  });

  describe('refusals', () => {
    it('refuses missing tokens, provider tokens and other apps\' ids', async () => {
      expectProblem(await t.app.get('/v1/events', { token: null }), 401, 'unauthorized');
      expectProblem(await t.provider.get('/v1/events'), 403, 'forbidden');
      expectProblem(await t.app.get('/v1/events?appId=other-app'), 403, 'forbidden', { field: 'query.appId' });
    });

    it('refuses bad filters and resume points with 400 naming the field', async () => {
      expectProblem(await t.app.get('/v1/events?types=done'), 400, 'invalid_request', { field: 'query.types' });
      expectProblem(await t.app.get('/v1/events?taskId=x'), 400, 'invalid_request', { field: 'query.taskId' });
      expectProblem(await t.app.get('/v1/events?lastEventId=-3'), 400, 'invalid_request', { field: 'query.lastEventId' });
      expectProblem(await t.app.get('/v1/events', { headers: { 'Last-Event-ID': 'abc' } }), 400, 'invalid_request', {
        field: 'header.last-event-id',
      });
    });
  });
});
