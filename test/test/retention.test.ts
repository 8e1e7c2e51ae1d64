import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CleanupResult } from '@taskproc/spec';
import { pruneFinishedTasks } from '../../server/src/retention/prune-finished-tasks.ts';
import {
  describeEachDatabase,
  expectProblem,
  registerProvider,
  tokenClient,
  uploadFile,
  useInProcessCoordinator,
  type Http,
  type InProcessFixture,
} from '../src/index.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhooks-receiver.ts';

// Retention (issue 14 item 5) in process, so the test can age tasks and files in the database:
// rows are written with ended_at / created_at in the past, the rest happens through the API.
// The automatic job and POST /v1/admin/cleanup run the same prune.

const subtitles = 'core:audio2text:subtitles';
const summary = 'core:text2text:summary';
const old = 40;
const period = 30;

/** An app and a provider of subtitles (file in, file out) and summaries, driven step by step. */
async function createActors(fx: InProcessFixture) {
  const app = await tokenClient(fx.admin, 'app', 'mail');
  const provider = await tokenClient(fx.admin, 'provider', 'acme');
  await registerProvider(provider, 'acme:subtitles', { name: 'Subtitles', taskType: subtitles });
  await registerProvider(provider, 'acme:summary', { name: 'Summary', taskType: summary });

  const schedule = async (body: Record<string, unknown>) => {
    const res = await app.post('/v1/tasks', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as number;
  };
  const claim = async (taskId: number) => {
    const res = await provider.post('/v1/work/next', { providerIds: ['acme:subtitles', 'acme:summary'], max: 1, waitMs: 0 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.tasks.map((t: { task: { id: number } }) => t.task.id)).toEqual([taskId]);
    return res.body.tasks[0].leaseId as string;
  };
  const report = async (taskId: number, leaseId: string, result: Record<string, unknown>) => {
    const res = await provider.post(`/v1/work/${taskId}/result`, { leaseId, ...result });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  /** Claims the task, stores an output file for it and reports it; returns the file id. */
  const finishWithFile = async (taskId: number) => {
    const leaseId = await claim(taskId);
    const file = await provider.request('POST', `/v1/work/${taskId}/files?leaseId=${leaseId}`, {
      body: `subtitles of ${taskId}`,
      headers: { 'content-type': 'text/vtt' },
    });
    expect(file.status, JSON.stringify(file.body)).toBe(201);
    await report(taskId, leaseId, { output: { output: file.body.id } });
    return file.body.id as number;
  };
  const subtitle = (fileId: number, extra: Record<string, unknown> = {}) => schedule({ type: subtitles, input: { input: fileId }, ...extra });
  return { app, provider, schedule, claim, report, finishWithFile, subtitle };
}

/** Moves the task's times `days` back, ended_at too (also for unfinished ones: only status must protect them). */
async function ageTasks(fx: InProcessFixture, ids: number[], days = old): Promise<void> {
  await fx.db.query(
    `UPDATE tasks SET scheduled_at = scheduled_at - make_interval(days => $2), ended_at = coalesce(ended_at, now()) - make_interval(days => $2)
     WHERE id = ANY($1::int[])`,
    [ids, days],
  );
}

async function ageFiles(fx: InProcessFixture, ids: number[], days = old): Promise<void> {
  await fx.db.query('UPDATE files SET created_at = created_at - make_interval(days => $2) WHERE id = ANY($1::int[])', [ids, days]);
}

const countOf = async (fx: InProcessFixture, text: string, params: unknown[]) => Number((await fx.db.query(text, params))[0]!.n);

describeEachDatabase('retention', (kind) => {
  describe('POST /v1/admin/cleanup', () => {
    // Automatic retention off: only the calls below remove anything.
    const fx = useInProcessCoordinator(kind, { TASKPROC_RETENTION_DAYS: '0', TASKPROC_SWEEP_MS: '100' });
    let actors: Awaited<ReturnType<typeof createActors>>;
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      actors = await createActors(fx);
      receiver = await startWebhookReceiver();
    });
    afterAll(async () => {
      await receiver?.close();
    });

    const cleanup = async (body: Record<string, unknown>) => {
      const res = await fx.admin.post('/v1/admin/cleanup', body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return CleanupResult.parse(res.body);
    };
    const deliveriesOf = async (taskId: number) => (await actors.app.get(`/v1/tasks/${taskId}/webhook-deliveries`)).body.deliveries as Array<{ id: number; status: string; attempts: number }>;
    const storageKeyOf = async (fileId: number) => (await fx.db.query('SELECT storage_key FROM files WHERE id = $1', [fileId]))[0]!.storage_key as string;
    const bytesExist = async (key: string) => {
      const body = await fx.coordinator.deps.fileStore.get(key);
      await body?.cancel();
      return body !== null;
    };

    it('removes exactly the finished tasks past the period, with their files, events, deliveries and attempts; dryRun counts it and removes nothing', async () => {
      const { app, provider, subtitle, claim, report, finishWithFile } = actors;
      const [u1, u2, u3, u4] = [await uploadFile(app, 'audio 1'), await uploadFile(app, 'audio 2'), await uploadFile(app, 'audio 3'), await uploadFile(app, 'audio 4')];

      // Past the period, removed: a successful one with a webhook, output file and upload...
      const a = await subtitle(u1, { webhookUri: `${receiver.url}/${kind}/a` });
      const outputA = await finishWithFile(a);
      await expect.poll(() => deliveriesOf(a)).toMatchObject([{ status: 'delivered', attempts: 1 }]);
      // ... one whose output a task that stays uses as input (the file stays, as an upload) ...
      const a2 = await subtitle(u1);
      const outputA2 = await finishWithFile(a2);
      // ... a failed one kept until a time that has passed, and a cancelled one.
      const failed = await subtitle(u4, { keepUntil: '2001-01-01T00:00:00Z' });
      await report(failed, await claim(failed), { error: { message: 'no speech' } });
      const cancelled = await subtitle(u4);
      expect((await app.post(`/v1/tasks/${cancelled}/cancel`)).status).toBe(200);

      // Staying: ended recently; old but kept longer; old but still running or scheduled.
      const recent = await subtitle(u4);
      const outputRecent = await finishWithFile(recent);
      const kept = await subtitle(u4, { keepUntil: new Date(Date.now() + 86_400_000).toISOString() });
      const outputKept = await finishWithFile(kept);
      const running = await subtitle(u2);
      const runningLease = await claim(running);
      const scheduled = await subtitle(outputA2);

      await ageTasks(fx, [a, a2, failed, cancelled, kept, running, scheduled]);
      // Uploads: u1 is used only by removed tasks, u3 by none, u2 by the running task; u4 is recent.
      await ageFiles(fx, [u1, u2, u3, outputA2]);

      const removed = [a, a2, failed, cancelled];
      const removedFiles = [outputA, u1, u3];
      const keptFiles = [outputA2, outputRecent, outputKept, u2, u4];
      const [delivery] = await deliveriesOf(a);
      const events = await countOf(fx, 'SELECT count(*) AS n FROM task_events WHERE task_id = ANY($1::int[])', [removed]);
      expect(events).toBeGreaterThanOrEqual(9);
      const removedKeys = await Promise.all(removedFiles.map(storageKeyOf));
      const keptKeys = await Promise.all(keptFiles.map(storageKeyOf));
      const expected = { retentionDays: period, tasks: 4, files: 3, events, webhookDeliveries: 1, webhookAttempts: 1 };

      const dry = await cleanup({ retentionDays: period, dryRun: true });
      expect(dry).toMatchObject({ ...expected, dryRun: true });
      expect(Date.now() - Date.parse(dry.cutoff)).toBeGreaterThanOrEqual(period * 86_400_000);
      expect(Date.now() - Date.parse(dry.cutoff)).toBeLessThan(period * 86_400_000 + 60_000);
      for (const id of [...removed]) expect((await app.get(`/v1/tasks/${id}`)).status).toBe(200);
      for (const id of removedFiles) expect((await app.get(`/v1/files/${id}/info`)).status).toBe(200);

      expect(await cleanup({ retentionDays: period })).toMatchObject({ ...expected, dryRun: false });

      for (const id of removed) expectProblem(await app.get(`/v1/tasks/${id}`), 404, 'not_found');
      const statuses = await Promise.all([recent, kept, running, scheduled].map(async (id) => (await app.get(`/v1/tasks/${id}`)).body.status));
      expect(statuses).toEqual(['successful', 'successful', 'running', 'scheduled']);
      for (const id of removedFiles) expectProblem(await app.get(`/v1/files/${id}/info`), 404, 'not_found');
      for (const id of keptFiles) expect((await app.get(`/v1/files/${id}/info`)).status).toBe(200);
      expect((await app.get(`/v1/files/${outputA2}/info`)).body.taskId).toBeNull();
      expect(await Promise.all(removedKeys.map(bytesExist))).toEqual(removedKeys.map(() => false));
      expect(await Promise.all(keptKeys.map(bytesExist))).toEqual(keptKeys.map(() => true));
      expect(await countOf(fx, 'SELECT count(*) AS n FROM task_events WHERE task_id = ANY($1::int[])', [removed])).toBe(0);
      expect(await countOf(fx, 'SELECT count(*) AS n FROM webhook_deliveries WHERE task_id = $1', [a])).toBe(0);
      expect(await countOf(fx, 'SELECT count(*) AS n FROM webhook_attempts WHERE delivery_id = $1', [delivery!.id])).toBe(0);

      // The tasks that stay still work: the running one ends, the scheduled one reads its input.
      await report(running, runningLease, { error: { message: 'stopped' } });
      const lease = await claim(scheduled);
      const input = await provider.get(`/v1/work/${scheduled}/files/${outputA2}?leaseId=${lease}`);
      expect(input.status).toBe(200);
      expect(input.body).toBe(`subtitles of ${a2}`);
      await report(scheduled, lease, { error: { message: 'read it, then stopped' } });

      // Nothing is left past the period: a second run removes nothing.
      expect(await cleanup({ retentionDays: period })).toMatchObject({ tasks: 0, files: 0, events: 0, webhookDeliveries: 0, webhookAttempts: 0 });
    });

    it('leaves a task whose webhook delivery is still pending (its app has not heard of the end yet)', async () => {
      const path = `/${kind}/failing`;
      receiver.script(path, [500]);
      const task = await actors.schedule({ type: summary, input: { input: 'text' }, webhookUri: `${receiver.url}${path}` });
      await actors.report(task, await actors.claim(task), { output: { output: 'short' } });
      await receiver.waitForCalls(path, 1);
      // The receiver keeps answering 500: the delivery waits for its next attempt, pending.
      expect(await deliveriesOf(task)).toMatchObject([{ status: 'pending' }]);
      await ageTasks(fx, [task]);
      expect(await cleanup({ retentionDays: period, dryRun: true })).toMatchObject({ tasks: 0 });
      expect(await cleanup({ retentionDays: period })).toMatchObject({ tasks: 0 });
      expect((await actors.app.get(`/v1/tasks/${task}`)).status).toBe(200);
    });

    it('removes in bounded batches until none is left', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) {
        const id = await actors.schedule({ type: summary, input: { input: `batch ${i}` } });
        await actors.report(id, await actors.claim(id), { output: { output: 'short' } });
        ids.push(id);
      }
      await ageTasks(fx, ids);
      const { result } = await pruneFinishedTasks(fx.coordinator.deps, { retentionDays: period, dryRun: false, waitForLock: true, batchSize: 2 });
      expect(result).toMatchObject({ tasks: 5, events: 15 });
      expect(await countOf(fx, 'SELECT count(*) AS n FROM tasks WHERE id = ANY($1::int[])', [ids])).toBe(0);
    });

    it('with retentionDays 0 removes every finished task, but no upload younger than an hour', async () => {
      const upload = await uploadFile(actors.app, 'fresh audio');
      const task = await actors.schedule({ type: summary, input: { input: 'just ended' } });
      await actors.report(task, await actors.claim(task), { output: { output: 'short' } });
      const result = await cleanup({ retentionDays: 0 });
      expect(result.retentionDays).toBe(0);
      expect(result.tasks).toBeGreaterThanOrEqual(1);
      expectProblem(await actors.app.get(`/v1/tasks/${task}`), 404, 'not_found');
      expect((await actors.app.get(`/v1/files/${upload}/info`)).status).toBe(200);
    });

    it('refuses a malformed request with 400 naming the field', async () => {
      for (const [body, field] of [
        [{ retentionDays: -1 }, 'json.retentionDays'],
        [{ retentionDays: 1.5 }, 'json.retentionDays'],
        [{ retentionDays: '30' }, 'json.retentionDays'],
        [{ retentionDays: 36_501 }, 'json.retentionDays'],
        [{ dryRun: 'yes' }, 'json.dryRun'],
        [{ retentionDays: 30, olderThan: 3 }, 'json'],
        // Retention is off here (TASKPROC_RETENTION_DAYS=0): 0 must not be taken for "every task".
        [{}, 'json.retentionDays'],
      ] as const) {
        expectProblem(await fx.admin.post('/v1/admin/cleanup', body), 400, 'invalid_request', { field });
      }
      const notJson = await fx.admin.request('POST', '/v1/admin/cleanup', { body: '{', headers: { 'content-type': 'application/json' } });
      expect(notJson.status).toBe(400);
    });

    it('is for admins only', async () => {
      expectProblem(await actors.app.post('/v1/admin/cleanup', { retentionDays: 30 }), 403, 'forbidden');
      expectProblem(await actors.provider.post('/v1/admin/cleanup', { retentionDays: 30 }), 403, 'forbidden');
      expectProblem(await fx.admin.post('/v1/admin/cleanup', { retentionDays: 30 }, { token: null }), 401, 'unauthorized');
    });
  });

  describe('the retention job', () => {
    const fx = useInProcessCoordinator(kind, { TASKPROC_RETENTION_DAYS: String(period), TASKPROC_RETENTION_SWEEP_MS: '200' });
    let app: Http;
    let actors: Awaited<ReturnType<typeof createActors>>;

    beforeAll(async () => {
      actors = await createActors(fx);
      app = actors.app;
    });

    it('removes finished tasks past TASKPROC_RETENTION_DAYS on its own, every TASKPROC_RETENTION_SWEEP_MS', async () => {
      const finish = async (text: string) => {
        const id = await actors.schedule({ type: summary, input: { input: text } });
        await actors.report(id, await actors.claim(id), { output: { output: 'short' } });
        return id;
      };
      const oldTask = await finish('old');
      const recent = await finish('recent');
      const justInside = await finish('29 days');
      await ageTasks(fx, [oldTask]);
      await ageTasks(fx, [justInside], period - 1);
      await expect.poll(async () => (await app.get(`/v1/tasks/${oldTask}`)).status, { timeout: 10_000 }).toBe(404);
      expect((await app.get(`/v1/tasks/${recent}`)).status).toBe(200);
      expect((await app.get(`/v1/tasks/${justInside}`)).status).toBe(200);

      // And again on the next turns, not only once.
      const later = await finish('later');
      await ageTasks(fx, [later]);
      await expect.poll(async () => (await app.get(`/v1/tasks/${later}`)).status, { timeout: 10_000 }).toBe(404);
      // Without retentionDays the admin's call uses TASKPROC_RETENTION_DAYS.
      const res = await fx.admin.post('/v1/admin/cleanup', { dryRun: true });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ retentionDays: period, dryRun: true, tasks: 0 });
    });
  });
});
