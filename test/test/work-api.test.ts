import { beforeAll, expect, it } from 'vitest';
import {
  describeEachDatabase,
  expectProblem,
  registerProvider,
  tokenClient,
  uploadFile,
  useCoordinator,
  waitForParkedClaims,
  type Http,
} from '../src/index.ts';

// The provider side of the protocol, on the wire: claims, leases, progress, results, release,
// files and lease expiry, each checked through the real coordinator process.

const summary = 'core:text2text:summary';

describeEachDatabase('work API', (kind) => {
  const fx = useCoordinator(kind, { TASKPROC_SWEEP_MS: '100', TASKPROC_MAX_WAIT_MS: '120000' });
  let app: Http;
  let provider: Http;
  let otherProvider: Http;

  beforeAll(async () => {
    // Fast sweeps and a long wait cap: expiry tests need the first, wake-up tests the second.
    app = await tokenClient(fx.admin, 'app', 'mail');
    provider = await tokenClient(fx.admin, 'provider', 'llm');
    otherProvider = await tokenClient(fx.admin, 'provider', 'other');
    await registerProvider(provider, 'llm:summary', { name: 'LLM summary', taskType: summary, expectedRuntime: 2 });
    await registerProvider(provider, 'llm:files', {
      name: 'LLM files',
      taskType: 'test:files',
      customTaskType: {
        id: 'test:files',
        name: 'Files in, files out',
        description: 'Copies an image',
        inputShape: { image: { name: 'Image', description: 'in', type: 'Image' } },
        outputShape: { images: { name: 'Images', description: 'out', type: 'ListOfImages' } },
      },
      optionalOutputShape: { score: { name: 'Score', description: 'a number', type: 'Number' } },
    });
    await registerProvider(otherProvider, 'other:summary', { name: 'Other', taskType: 'test:other', customTaskType: {
      id: 'test:other', name: 'Other', description: 'x',
      inputShape: { input: { name: 'In', description: '', type: 'Text' } },
      outputShape: { output: { name: 'Out', description: '', type: 'Text' } },
    } });
  });

  const schedule = async (input: Record<string, unknown>, extra: Record<string, unknown> = {}, type = summary) => {
    const res = await app.post('/v1/tasks', { type, input, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: number };
  };
  const claim = async (body: Record<string, unknown> = {}) => {
    const res = await provider.post('/v1/work/next', { providerIds: ['llm:summary'], ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.tasks as Array<{ task: any; leaseId: string; providerId: string; leaseExpiresAt: string }>;
  };
  const drain = async () => {
    for (;;) {
      const tasks = await claim({ max: 100 });
      if (tasks.length === 0) return;
      for (const t of tasks) await provider.post(`/v1/work/${t.task.id}/result`, { leaseId: t.leaseId, error: { message: 'drained' } });
    }
  };

  it('answers an empty list at once when there is no work and waitMs is 0', async () => {
    await drain();
    expect(await claim()).toEqual([]);
  });

  it('runs schedule -> claim -> progress -> result, and the app sees every step', async () => {
    const task = await schedule({ input: 'A long text.' });
    const [claimed] = await claim();
    expect(claimed).toMatchObject({ providerId: 'llm:summary', task: { id: task.id, status: 'running', attempts: 1 } });
    const progress = await provider.post(`/v1/work/${task.id}/progress`, { leaseId: claimed!.leaseId, progress: 0.4 });
    expect(progress.status).toBe(200);
    expect(Date.parse(progress.body.leaseExpiresAt)).toBeGreaterThanOrEqual(Date.parse(claimed!.leaseExpiresAt));
    expect((await app.get(`/v1/tasks/${task.id}`)).body).toMatchObject({ status: 'running', progress: 0.4 });
    const result = await provider.post(`/v1/work/${task.id}/result`, { leaseId: claimed!.leaseId, output: { output: 'Short.' } });
    expect(result.status).toBe(200);
    expect((await app.get(`/v1/tasks/${task.id}`)).body).toMatchObject({ status: 'successful', progress: 1, output: { output: 'Short.' } });
  });

  it('answers a repeated result for the same lease like the first, and refuses a different one', async () => {
    const task = await schedule({ input: 'x' });
    const [claimed] = await claim();
    const report = { leaseId: claimed!.leaseId, output: { output: 'once' } };
    const first = await provider.post(`/v1/work/${task.id}/result`, report);
    const again = await provider.post(`/v1/work/${task.id}/result`, report);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expectProblem(await provider.post(`/v1/work/${task.id}/result`, { ...report, output: { output: 'twice' } }), 409, 'result_conflict');
  });

  it('claims in batches, highest priority first, then oldest', async () => {
    await drain();
    const low = await schedule({ input: 'low' }, { priority: -5 });
    const old = await schedule({ input: 'old' });
    const young = await schedule({ input: 'young' });
    const high = await schedule({ input: 'high' }, { priority: 10 });
    const batch = await claim({ max: 3 });
    expect(batch.map((t) => t.task.id)).toEqual([high.id, old.id, young.id]);
    expect(new Set(batch.map((t) => t.leaseId)).size).toBe(3);
    expect((await claim({ max: 3 })).map((t) => t.task.id)).toEqual([low.id]);
  });

  it('refuses a report with a stale lease and changes nothing', async () => {
    const task = await schedule({ input: 'x' });
    const [claimed] = await claim();
    const released = await provider.post(`/v1/work/${task.id}/release`, { leaseId: claimed!.leaseId });
    expect(released.body.task).toMatchObject({ status: 'scheduled', attempts: 0 });
    const [again] = await claim();
    expect(again!.task.id).toBe(task.id);
    expect(again!.leaseId).not.toBe(claimed!.leaseId);
    expectProblem(await provider.post(`/v1/work/${task.id}/result`, { leaseId: claimed!.leaseId, output: { output: 'stale' } }), 409, 'lease_lost');
    expectProblem(await provider.post(`/v1/work/${task.id}/progress`, { leaseId: claimed!.leaseId, progress: 0.9 }), 409, 'lease_lost');
    expect((await app.get(`/v1/tasks/${task.id}`)).body).toMatchObject({ status: 'running', progress: 0, output: null });
    await provider.post(`/v1/work/${task.id}/result`, { leaseId: again!.leaseId, output: { output: 'fresh' } });
  });

  it('fails the task when the output does not fit the shape, naming the slot', async () => {
    const task = await schedule({ input: 'x' });
    const [claimed] = await claim();
    const res = await provider.post(`/v1/work/${task.id}/result`, { leaseId: claimed!.leaseId, output: { output: 42 } });
    expectProblem(res, 422, 'invalid_output', { slot: 'output' });
    const seen = (await app.get(`/v1/tasks/${task.id}`)).body;
    expect(seen).toMatchObject({ status: 'failed', output: null });
    expect(seen.errorMessage).toContain('"output"');
    expect(seen.userFacingErrorMessage).toBeTruthy();
  });

  it('reports a provider error as a failed task with its messages', async () => {
    const task = await schedule({ input: 'x' });
    const [claimed] = await claim();
    await provider.post(`/v1/work/${task.id}/result`, {
      leaseId: claimed!.leaseId,
      error: { message: 'model exploded', userFacingMessage: 'Try a shorter text' },
    });
    expect((await app.get(`/v1/tasks/${task.id}`)).body).toMatchObject({
      status: 'failed',
      errorMessage: 'model exploded',
      userFacingErrorMessage: 'Try a shorter text',
    });
  });

  it('tells the provider a task was cancelled, and discards its result', async () => {
    const task = await schedule({ input: 'x' });
    const [claimed] = await claim();
    expect((await app.post(`/v1/tasks/${task.id}/cancel`)).status).toBe(200);
    expectProblem(await provider.post(`/v1/work/${task.id}/progress`, { leaseId: claimed!.leaseId }), 409, 'task_cancelled');
    expectProblem(await provider.post(`/v1/work/${task.id}/result`, { leaseId: claimed!.leaseId, output: { output: 'late' } }), 409, 'task_cancelled');
    expect((await app.get(`/v1/tasks/${task.id}`)).body).toMatchObject({ status: 'cancelled', output: null });
  });

  it('lets a provider token claim only its own app\'s providers', async () => {
    expectProblem(await otherProvider.post('/v1/work/next', { providerIds: ['llm:summary'] }), 404, 'not_found');
    expectProblem(await provider.post('/v1/work/next', { providerIds: ['nobody:here'] }), 404, 'not_found');
    expectProblem(await app.post('/v1/work/next', { providerIds: ['llm:summary'] }), 403, 'forbidden');
    const task = await schedule({ input: 'x' });
    const [claimed] = await claim();
    expectProblem(await otherProvider.post(`/v1/work/${task.id}/progress`, { leaseId: claimed!.leaseId }), 404, 'not_found');
    await provider.post(`/v1/work/${task.id}/release`, { leaseId: claimed!.leaseId });
  });

  it('refuses malformed claims with a 400 naming the field', async () => {
    expectProblem(await provider.post('/v1/work/next', { providerIds: [] }), 400, 'invalid_request', { field: 'json.providerIds' });
    expectProblem(await provider.post('/v1/work/next', { providerIds: ['llm:summary'], max: 101 }), 400, 'invalid_request', { field: 'json.max' });
  });

  it('wakes a parked claim when a matching task is scheduled, long before the wait ends', async () => {
    await drain();
    const order: string[] = [];
    const parked = claim({ waitMs: 100_000 }).then((tasks) => {
      order.push('claim answered');
      return tasks;
    });
    // Let the request reach the coordinator and park; the claim must still be open afterwards.
    await provider.get('/v1/providers');
    const task = await schedule({ input: 'wake up' });
    order.push('scheduled');
    const tasks = await parked;
    expect(order).toEqual(['scheduled', 'claim answered']);
    expect(tasks.map((t) => t.task.id)).toEqual([task.id]);
    await provider.post(`/v1/work/${task.id}/release`, { leaseId: tasks[0]!.leaseId });
    await drain();
  }, 20_000);

  it('does not hand a task to a parked claim whose client went away', async () => {
    await drain();
    const gone = new AbortController();
    const abandoned = provider
      .request('POST', '/v1/work/next', { json: { providerIds: ['llm:summary'], waitMs: 100_000 }, signal: gone.signal })
      .catch((err: unknown) => err);
    // Parked (the coordinator's own gauge: no event says so), then gone, and the coordinator
    // has noticed: only then is the task scheduled. In the instant before it notices, a hand-off
    // may still pick the dead claim; the task then comes back only if writing the answer fails
    // (onResponseUndelivered), else when its lease runs out.
    await waitForParkedClaims(fx.admin, (n) => n >= 1);
    gone.abort();
    await abandoned;
    await waitForParkedClaims(fx.admin, (n) => n === 0);
    const task = await schedule({ input: 'for the live one' });
    const [claimed] = await claim({ waitMs: 10_000 });
    expect(claimed).toMatchObject({ task: { id: task.id, attempts: 1 } });
    await provider.post(`/v1/work/${task.id}/release`, { leaseId: claimed!.leaseId });
    await drain();
  }, 20_000);

  it('moves files in and out for the lease holder only', async () => {
    const imageId = await uploadFile(app, 'PNG-BYTES', 'image/png');
    const task = await schedule({ image: imageId }, {}, 'test:files');
    const res = await provider.post('/v1/work/next', { providerIds: ['llm:files'] });
    const [claimed] = res.body.tasks;
    const input = await provider.request('GET', `/v1/work/${task.id}/files/${imageId}?leaseId=${claimed.leaseId}`);
    expect(input.status).toBe(200);
    expect(input.body).toBe('PNG-BYTES');
    expect(input.headers.get('content-type')).toBe('image/png');
    expectProblem(await provider.request('GET', `/v1/work/${task.id}/files/${imageId}?leaseId=${crypto.randomUUID()}`), 409, 'lease_lost');
    const otherFile = await uploadFile(app, 'not in the input');
    // Not a 404: that would tell the provider its task is gone.
    expectProblem(await provider.request('GET', `/v1/work/${task.id}/files/${otherFile}?leaseId=${claimed.leaseId}`), 422, 'file_not_found');

    const out = await provider.request('POST', `/v1/work/${task.id}/files?leaseId=${claimed.leaseId}`, {
      body: 'OUTPUT-IMAGE',
      headers: { 'content-type': 'image/png', 'x-file-name': encodeURIComponent('bild-ü.png') },
    });
    expect(out.status, JSON.stringify(out.body)).toBe(201);
    expect(out.body).toMatchObject({ name: 'bild-ü.png', mimeType: 'image/png', size: 12, taskId: task.id });
    // An output slot may only name files uploaded for this task.
    const bad = await provider.post(`/v1/work/${task.id}/result`, { leaseId: claimed.leaseId, output: { images: [imageId] } });
    expectProblem(bad, 422, 'invalid_output', { slot: 'images' });

    const task2 = await schedule({ image: imageId }, {}, 'test:files');
    const [claimed2] = (await provider.post('/v1/work/next', { providerIds: ['llm:files'] })).body.tasks;
    const out2 = await provider.request('POST', `/v1/work/${task2.id}/files`, {
      body: 'OUTPUT-2',
      headers: { 'content-type': 'image/png', 'x-lease-id': claimed2.leaseId },
    });
    const ok = await provider.post(`/v1/work/${task2.id}/result`, { leaseId: claimed2.leaseId, output: { images: [out2.body.id], score: 0.5 } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const fetched = await app.request('GET', `/v1/files/${out2.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toBe('OUTPUT-2');
  });

  it('puts a task whose lease expired back in the queue, then fails it when attempts are used up', async () => {
    await drain();
    const task = await schedule({ input: 'x' });
    // Three attempts (the default), each lease left to expire.
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [claimed] = await claim({ leaseMs: 1_000, waitMs: 10_000 });
      expect(claimed).toMatchObject({ task: { id: task.id, attempts: attempt } });
    }
    const failed = await waitForStatus(app, task.id, 'failed');
    expect(failed.errorMessage).toMatch(/provider stopped responding/);
    expect(failed.attempts).toBe(3);
  }, 30_000);
});

/** Awaits a terminal status through the coordinator's own wait, falling back to re-reading on each answer. */
async function waitForStatus(app: Http, id: number, status: string): Promise<any> {
  for (let i = 0; i < 100; i++) {
    const res = await app.get(`/v1/tasks/${id}?waitSeconds=5`);
    if (res.body.status === status) return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`task ${id} never reached ${status}`);
}
