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

// The pull protocol end to end: a real coordinator process and real provider processes running
// the SDK. Each test uses its own task type, so tests sharing the coordinator cannot take each
// other's tasks.

describeEachDatabase('provider protocol', (kind) => {
  let fx: ProviderFixture;
  let gate: Gate;

  beforeAll(async () => {
    // The safety sweep (which also wakes parked claims) is pushed out of the way, so the wake-up
    // test sees the wake-up itself and not the sweep.
    fx = await createProviderFixture(kind, { TASKPROC_SWEEP_MS: '60000' });
    gate = await startGate();
  });
  afterEach(() => fx.stopProviders());
  afterAll(async () => {
    await gate?.close();
    await fx?.close();
  });

  it('takes a task from scheduled through pickup and progress to its result', async () => {
    const p = fx.startProvider({ providerId: 'flow:p', taskType: 'test:flow', behaviour: 'gated', gateUrl: gate.url });
    await p.waitFor(event('ready'));
    const { id } = await fx.schedule('test:flow', { input: 'hello' });
    expect(await p.waitFor(event('started', id))).toMatchObject({ attempt: 1 });
    // The handler reported 0.5 before saying "started": the app sees it while the task runs.
    expect(await fx.task(id)).toMatchObject({ status: 'running', progress: 0.5, providerId: 'flow:p', attempts: 1 });
    gate.open(id);
    expect(await p.waitFor(reported(id))).toMatchObject({ status: 'successful' });
    const task = await fx.task(id);
    expect(task).toMatchObject({ status: 'successful', output: { output: 'HELLO' }, progress: 1, attempts: 1, providerId: 'flow:p' });
    expect(task.endedAt).not.toBeNull();
  });

  it('claims a batch: queued tasks come in one claim, up to the free slots', async () => {
    await fx.register('batch:p', 'test:batch', 'gated');
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await fx.schedule('test:batch', { input: `t${i}` })).id);
    const p = fx.startProvider({ providerId: 'batch:p', taskType: 'test:batch', behaviour: 'gated', gateUrl: gate.url, concurrency: 4 });
    const first = await p.waitFor((l) => l.event === 'claim-response' && l.n === 1);
    expect(p.lines().find((l) => l.event === 'claim-request' && l.n === 1)).toMatchObject({ body: { max: 4 } });
    expect(first.taskIds).toEqual(ids.slice(0, 4));
    await p.waitForCount(event('started'), 4);
    // Every slot is busy: the fifth task waits until one frees.
    gate.open(ids[0]!);
    await p.waitFor(event('started', ids[4]));
    for (const id of ids) gate.open(id);
    await p.waitForCount(reported(), 5);
    for (const id of ids) expect(await fx.task(id)).toMatchObject({ status: 'successful' });
  });

  it('hands out tasks by priority, then oldest first', async () => {
    await fx.register('prio:p', 'test:prio');
    const priorities = [0, 5, -3, 10, 5, 0];
    const scheduled: Array<{ id: number; priority: number }> = [];
    for (const priority of priorities) scheduled.push({ ...(await fx.schedule('test:prio', { input: 'x' }, { priority })), priority });
    const p = fx.startProvider({ providerId: 'prio:p', taskType: 'test:prio', concurrency: 1 });
    const started = await p.waitForCount(event('started'), priorities.length);
    const expected = [...scheduled].sort((a, b) => b.priority - a.priority || a.id - b.id).map((t) => t.id);
    expect(started.map((l) => l.taskId)).toEqual(expected);
  });

  it('wakes a parked long-poll when a task is scheduled, well before its wait ends', async () => {
    const p = fx.startProvider({ providerId: 'wake:p', taskType: 'test:wake', waitMs: 30_000 });
    await p.waitFor(event('ready'));
    await p.waitFor((l) => l.event === 'claim-request' && l.n === 1);
    // The first claim (30 s wait) is on its way, or parked, and no task of the type exists yet.
    const { id } = await fx.schedule('test:wake', { input: 'wake up' });
    // Waiting less than the long-poll's 30 s: without a wake-up this times out.
    await p.waitFor(reported(id), 10_000);
    const firstResponse = p.lines().find((l) => l.event === 'claim-response' && l.n === 1);
    expect(firstResponse?.taskIds).toEqual([id]);
    expect(await fx.task(id)).toMatchObject({ status: 'successful', output: { output: 'WAKE UP' } });
  });

  it('moves files: the provider reads the input file and writes the output file the app downloads', async () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
    const upload = await fx.app.request('POST', '/v1/files', {
      body: bytes,
      headers: { 'content-type': 'image/png', 'x-file-name': encodeURIComponent('pixel ü.png') },
    });
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    const p = fx.startProvider({ providerId: 'files:p', taskType: 'test:files', behaviour: 'files' });
    await p.waitFor(event('ready'));
    const { id } = await fx.schedule('test:files', { image: upload.body.id });
    await p.waitFor(reported(id));
    expect(p.lines().find(event('file-read', id))).toMatchObject({ name: 'pixel ü.png', mimeType: 'image/png', size: 8 });
    const task = await fx.task(id);
    expect(task.status).toBe('successful');
    const outputId = task.output.file as number;
    const info = await fx.app.get(`/v1/files/${outputId}/info`);
    expect(info.body).toMatchObject({ name: 'umgekehrt-ü.bin', mimeType: 'application/octet-stream', size: 8, taskId: id });
    const download = await fx.download(outputId);
    expect(download.status).toBe(200);
    expect(download.bytes).toEqual(bytes.slice().reverse());
  });
});
