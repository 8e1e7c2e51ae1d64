import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, expectProblem, tokenClient, useCoordinator, type Http } from '../src/index.ts';
import { createTaskDriver, track, type TaskDriver } from './events-task-driver.ts';

// GET /v1/tasks/{id}?waitSeconds=N through the real coordinator. Early returns are proven by
// event order, not the clock: each test starts the wait, then makes the change, with a test
// timeout far below the wait, so a wait that is not woken fails the test.

const longWait = 100;
const shortTimeout = 15_000;

describeEachDatabase('waiting on a task', (kind) => {
  const fx = useCoordinator(kind, { TASKPROC_MAX_TASK_WAIT_S: '600' });
  let t: TaskDriver;
  let other: Http;

  beforeAll(async () => {
    t = await createTaskDriver(fx.admin, { appId: 'waiter', providerApp: 'llm', providerId: 'llm:summary' });
    other = await tokenClient(fx.admin, 'app', 'someone-else');
  });

  const wait = (id: number, seconds = longWait, as: Http = t.app) => track(as.get(`/v1/tasks/${id}?waitSeconds=${seconds}`));

  it('answers a terminal task at once, and accepts a wait longer than the cap', async () => {
    const task = await t.schedule();
    await t.succeed(task.id, await t.claim(task.id));
    const res = await t.app.get(`/v1/tasks/${task.id}?waitSeconds=999999999`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: task.id, status: 'successful', output: { output: 'Short.' } });
  }, shortTimeout);

  it('returns as soon as the task succeeds, not at progress', async () => {
    const task = await t.schedule();
    const waiting = wait(task.id);
    const leaseId = await t.claim(task.id);
    await t.progress(task.id, leaseId, 0.5);
    expect(waiting.settled()).toBe(false);
    await t.succeed(task.id, leaseId, 'Done.');
    const res = await waiting.promise;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: task.id, status: 'successful', progress: 1, output: { output: 'Done.' } });
  }, shortTimeout);

  it('returns as soon as the task fails', async () => {
    const task = await t.schedule();
    const waiting = wait(task.id);
    const leaseId = await t.claim(task.id);
    await t.fail(task.id, leaseId, 'out of memory');
    const res = await waiting.promise;
    expect(res.body).toMatchObject({ id: task.id, status: 'failed', errorMessage: 'out of memory' });
  }, shortTimeout);

  it('returns as soon as the task is cancelled (scheduled or running)', async () => {
    const queued = await t.schedule();
    const waitingQueued = wait(queued.id);
    expect((await t.app.post(`/v1/tasks/${queued.id}/cancel`)).status).toBe(200);
    expect((await waitingQueued.promise).body).toMatchObject({ id: queued.id, status: 'cancelled' });

    const running = await t.schedule();
    await t.claim(running.id);
    const waitingRunning = wait(running.id);
    expect((await t.app.post(`/v1/tasks/${running.id}/cancel`)).status).toBe(200);
    expect((await waitingRunning.promise).body).toMatchObject({ id: running.id, status: 'cancelled' });
  }, shortTimeout);

  it('answers the current state when the wait ends first', async () => {
    const task = await t.schedule();
    const started = Date.now();
    const res = await t.app.get(`/v1/tasks/${task.id}?waitSeconds=1`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: task.id, status: 'scheduled' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const leaseId = await t.claim(task.id);
    const running = await t.app.get(`/v1/tasks/${task.id}?waitSeconds=1`);
    expect(running.body).toMatchObject({ status: 'running', attempts: 1 });
    await t.succeed(task.id, leaseId);
  }, shortTimeout);

  it('answers at once with waitSeconds=0, like a plain read', async () => {
    const task = await t.schedule();
    const res = await t.app.get(`/v1/tasks/${task.id}?waitSeconds=0`);
    expect(res.body).toMatchObject({ id: task.id, status: 'scheduled' });
    await t.app.post(`/v1/tasks/${task.id}/cancel`);
  }, shortTimeout);

  it('answers 404 when the task is deleted during the wait', async () => {
    const task = await t.schedule();
    const waiting = wait(task.id);
    expect((await t.app.delete(`/v1/tasks/${task.id}`)).status).toBe(204);
    expectProblem(await waiting.promise, 404, 'not_found');
  }, shortTimeout);

  it('schedules and waits in one request: 201 with the task as it ended', async () => {
    const customId = `wait-in-one-${kind}`;
    const waiting = track(t.app.post(`/v1/tasks?waitSeconds=${longWait}`, { type: 'core:text2text:summary', input: { input: 'and wait' }, customId }));
    let id = 0;
    await expect.poll(async () => (id = (await t.app.get(`/v1/tasks?customId=${customId}`)).body.tasks[0]?.id ?? 0)).toBeGreaterThan(0);
    expect(waiting.settled()).toBe(false);
    await t.succeed(id, await t.claim(id), 'Waited.');
    const res = await waiting.promise;
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/tasks/${id}`);
    expect(res.body).toMatchObject({ id, status: 'successful', output: { output: 'Waited.' } });
  }, shortTimeout);

  it('a schedule that waits answers the task as it is when the wait ends, and a repeat at once when it is done', async () => {
    const body = { type: 'core:text2text:summary', input: { input: 'nobody takes it' } };
    const headers = { 'idempotency-key': `wait-repeat-${kind}` };
    const res = await t.app.request('POST', '/v1/tasks?waitSeconds=1', { json: body, headers });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'scheduled' });
    await t.succeed(res.body.id, await t.claim(res.body.id));
    const repeat = await t.app.request('POST', `/v1/tasks?waitSeconds=${longWait}`, { json: body, headers });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ id: res.body.id, status: 'successful' });
  }, shortTimeout);

  it('refuses a bad wait on a schedule with 400 and stores nothing', async () => {
    const before = (await t.app.get('/v1/tasks?limit=500')).body.tasks.length;
    for (const bad of ['-1', '1.5', 'soon']) {
      const res = await t.app.post(`/v1/tasks?waitSeconds=${bad}`, { type: 'core:text2text:summary', input: { input: 'bad wait' } });
      expectProblem(res, 400, 'invalid_request');
      expect(res.body.field).toBe('query.waitSeconds');
    }
    expect((await t.app.get('/v1/tasks?limit=500')).body.tasks.length).toBe(before);
  }, shortTimeout);

  it('lets an admin wait on any app\'s task', async () => {
    const task = await t.schedule();
    const waiting = wait(task.id, longWait, fx.admin);
    await t.fail(task.id, await t.claim(task.id));
    expect((await waiting.promise).body).toMatchObject({ id: task.id, appId: 'waiter', status: 'failed' });
  }, shortTimeout);

  it('does not let another app wait on the task, nor refuse bad waits other than by 400', async () => {
    const task = await t.schedule();
    expectProblem(await other.get(`/v1/tasks/${task.id}?waitSeconds=${longWait}`), 404, 'not_found');
    expectProblem(await t.app.get(`/v1/tasks/999999?waitSeconds=${longWait}`), 404, 'not_found');
    expectProblem(await t.app.get(`/v1/tasks/${task.id}?waitSeconds=-1`), 400, 'invalid_request', { field: 'query.waitSeconds' });
    expectProblem(await t.app.get(`/v1/tasks/${task.id}?waitSeconds=1.5`), 400, 'invalid_request', { field: 'query.waitSeconds' });
    expectProblem(await t.app.get(`/v1/tasks/${task.id}?waitSeconds=soon`), 400, 'invalid_request', { field: 'query.waitSeconds' });
    await t.app.post(`/v1/tasks/${task.id}/cancel`);
  }, shortTimeout);

  it('serves many waiters on one task, each woken by the one result', async () => {
    const task = await t.schedule();
    const waiters = Array.from({ length: 20 }, () => wait(task.id));
    await t.succeed(task.id, await t.claim(task.id));
    const answers = await Promise.all(waiters.map((w) => w.promise));
    for (const res of answers) expect(res.body).toMatchObject({ id: task.id, status: 'successful' });
  }, shortTimeout);

  it('stops waiting when the client hangs up, and keeps serving others', async () => {
    const task = await t.schedule();
    const gone = new AbortController();
    const abandoned = t.app.get(`/v1/tasks/${task.id}?waitSeconds=${longWait}`, { signal: gone.signal }).catch((err: unknown) => err);
    const staying = wait(task.id);
    gone.abort();
    expect(await abandoned).toBeInstanceOf(Error);
    await t.succeed(task.id, await t.claim(task.id));
    expect((await staying.promise).body).toMatchObject({ status: 'successful' });
  }, shortTimeout);
});
