import { beforeAll, describe, expect, it } from 'vitest';
import {
  createHttp,
  describeEachDatabase,
  expectProblem,
  registerProvider,
  tokenClient,
  useCoordinator,
  type Http,
} from '../src/index.ts';

const summary = 'core:text2text:summary';
const reformulation = 'core:text2text:reformulation';
const simplification = 'core:text2text:simplification';

describeEachDatabase('tasks API', (kind) => {
  const fx = useCoordinator(kind);
  let acme: Http;
  let mail: Http;
  let other: Http;

  beforeAll(async () => {
    acme = await tokenClient(fx.admin, 'provider', 'acme');
    mail = await tokenClient(fx.admin, 'app', 'mail');
    other = await tokenClient(fx.admin, 'app', 'other');
    await registerProvider(acme, 'acme:summary', { name: 'Summaries', taskType: summary, expectedRuntime: 10 });
    await registerProvider(acme, 'acme:reform', { name: 'Reformulations', taskType: reformulation, expectedRuntime: 10 });
    await registerProvider(acme, 'acme:simple', { name: 'Simplifications', taskType: simplification });
  });

  const scheduleSummary = async (as: Http, extra: Record<string, unknown> = {}) => {
    const res = await as.post('/v1/tasks', { type: summary, input: { input: 'A long text' }, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };

  /** Claims the one scheduled task of `providerId`, as its provider would. */
  const claim = async (providerId: string) => {
    const res = await acme.post('/v1/work/next', { providerIds: [providerId], max: 1, waitMs: 0 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.tasks).toHaveLength(1);
    return res.body.tasks[0] as { task: { id: number }; leaseId: string };
  };

  describe('POST /v1/tasks', () => {
    it('schedules a task (201) with everything the app sent, and where to find it', async () => {
      const res = await mail.post('/v1/tasks', {
        type: summary,
        input: { input: 'A long text' },
        userId: 'alice',
        customId: 'mail-42',
        priority: 3,
        webhookUri: 'https://mail.example.com/hooks/tasks',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.headers.get('location')).toBe(`/v1/tasks/${res.body.id}`);
      expect(res.body).toMatchObject({
        type: summary,
        status: 'scheduled',
        appId: 'mail',
        userId: 'alice',
        customId: 'mail-42',
        input: { input: 'A long text' },
        output: null,
        progress: 0,
        priority: 3,
        attempts: 0,
        providerId: null,
        startedAt: null,
        endedAt: null,
        errorMessage: null,
        webhookUri: 'https://mail.example.com/hooks/tasks',
        webhookMethod: 'HTTP:POST',
      });
      expect(res.body.lastUpdated).toBe(res.body.scheduledAt);
    });

    it('keeps an explicit webhookMethod, and none without a webhookUri', async () => {
      const put = await scheduleSummary(mail, { webhookUri: 'https://mail.example.com/h', webhookMethod: 'HTTP:PUT' });
      expect(put.webhookMethod).toBe('HTTP:PUT');
      const none = await scheduleSummary(mail);
      expect(none).toMatchObject({ webhookUri: null, webhookMethod: null, userId: null, customId: null, priority: 0 });
    });

    it('estimates completion from the queue ahead and the tasks running side by side', async () => {
      const after = async (priority = 0) => {
        const res = await mail.post('/v1/tasks', { type: reformulation, input: { input: 'x' }, priority });
        expect(res.status).toBe(201);
        return (Date.parse(res.body.completionExpectedAt) - Date.parse(res.body.scheduledAt)) / 1000;
      };
      expect(await after()).toBe(10); // nothing ahead
      expect(await after()).toBe(20); // one ahead, nothing running: two rounds
      expect(await after(5)).toBe(10); // higher priority goes first
      await claim('acme:reform');
      await claim('acme:reform');
      // Two running now, one scheduled ahead: ceil((1 + 1) / 2) = 1 round, then ceil(3 / 2) = 2.
      expect(await after()).toBe(10);
      expect(await after()).toBe(20);
    });
  });

  describe('Idempotency-Key', () => {
    const body = { type: summary, input: { input: 'Once only' }, customId: 'idem' };

    it('answers a repeat with the first task (200), even with the keys in another order', async () => {
      const headers = { 'Idempotency-Key': 'key-1' };
      const first = await mail.post('/v1/tasks', body, { headers });
      expect(first.status).toBe(201);
      const again = await mail.post('/v1/tasks', { customId: 'idem', input: { input: 'Once only' }, type: summary }, { headers });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      const listed = await mail.get('/v1/tasks?customId=idem');
      expect(listed.body.tasks.map((t: any) => t.id)).toEqual([first.body.id]);
    });

    it('refuses the key reused for a different request (409) and writes nothing', async () => {
      const headers = { 'Idempotency-Key': 'key-2' };
      expect((await mail.post('/v1/tasks', body, { headers })).status).toBe(201);
      const conflict = await mail.post('/v1/tasks', { ...body, input: { input: 'Something else' } }, { headers });
      expectProblem(conflict, 409, 'idempotency_conflict');
      expect((await mail.get('/v1/tasks?customId=idem')).body.tasks).toHaveLength(2);
    });

    it('keeps keys apart per app', async () => {
      const headers = { 'Idempotency-Key': 'shared-key' };
      const mine = await mail.post('/v1/tasks', body, { headers });
      const theirs = await other.post('/v1/tasks', body, { headers });
      expect([mine.status, theirs.status]).toEqual([201, 201]);
      expect(theirs.body.id).not.toBe(mine.body.id);
    });

    it('makes one task of concurrent identical requests', async () => {
      const headers = { 'Idempotency-Key': 'race' };
      const raceBody = { ...body, customId: 'race' };
      const answers = await Promise.all(Array.from({ length: 8 }, () => mail.post('/v1/tasks', raceBody, { headers })));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect((await mail.get('/v1/tasks?customId=race')).body.tasks).toHaveLength(1);
    });

    it('refuses an over-long key (400)', async () => {
      const res = await mail.post('/v1/tasks', body, { headers: { 'Idempotency-Key': 'k'.repeat(256) } });
      expectProblem(res, 400, 'invalid_request');
    });
  });

  describe('GET /v1/tasks/{id}', () => {
    it('answers the app its own task and the admin any task', async () => {
      const task = await scheduleSummary(mail);
      const mine = await mail.get(`/v1/tasks/${task.id}`);
      expect(mine.status).toBe(200);
      // A read adds where the task stands now: its place in the queue and a fresh estimate.
      const { queuePosition, completionExpectedAt, ...stored } = mine.body;
      expect(queuePosition).toBeGreaterThanOrEqual(1);
      expect(Date.parse(completionExpectedAt)).toBeGreaterThan(0);
      const { completionExpectedAt: _atScheduling, ...scheduled } = task;
      expect(stored).toEqual(scheduled);
      const { queuePosition: _p, completionExpectedAt: _c, ...asAdmin } = (await fx.admin.get(`/v1/tasks/${task.id}`)).body;
      expect(asAdmin).toEqual(scheduled);
    });

    it('answers another app\'s task exactly like a missing one (404)', async () => {
      const task = await scheduleSummary(mail);
      const theirs = await other.get(`/v1/tasks/${task.id}`);
      expectProblem(theirs, 404, 'not_found');
      const missing = await other.get('/v1/tasks/999999');
      expectProblem(missing, 404, 'not_found');
      expect(theirs.body.detail).toBe(`task ${task.id} not found`);
    });

    it('refuses an id that is not a positive integer (400)', async () => {
      expectProblem(await mail.get('/v1/tasks/abc'), 400, 'invalid_request');
      expectProblem(await mail.get('/v1/tasks/0'), 400, 'invalid_request');
    });
  });

  describe('GET /v1/tasks', () => {
    it('pages newest first with an opaque cursor, null after the last page', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push((await scheduleSummary(mail, { customId: 'paged' })).id);
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: any = await mail.get(`/v1/tasks?customId=paged&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        expect(res.body.tasks.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.tasks.map((t: any) => t.id));
        cursor = res.body.nextCursor;
        if (cursor) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual([...ids].reverse());
      const exact = await mail.get('/v1/tasks?customId=paged&limit=5');
      expect(exact.body.nextCursor).toBeNull();
    });

    it('filters by type, userId, customId and status', async () => {
      const a = await scheduleSummary(mail, { userId: 'filter-user', customId: 'f1' });
      const b = await scheduleSummary(mail, { userId: 'filter-user', customId: 'f2' });
      await mail.post(`/v1/tasks/${b.id}/cancel`);
      const ids = async (query: string) => (await mail.get(`/v1/tasks?${query}`)).body.tasks.map((t: any) => t.id);
      expect(await ids('userId=filter-user')).toEqual([b.id, a.id]);
      expect(await ids('userId=filter-user&status=cancelled')).toEqual([b.id]);
      expect(await ids('userId=filter-user&status=scheduled')).toEqual([a.id]);
      expect(await ids('customId=f1')).toEqual([a.id]);
      expect(await ids(`userId=filter-user&type=${reformulation}`)).toEqual([]);
      expect(await ids(`userId=filter-user&type=${summary}`)).toEqual([b.id, a.id]);
    });

    it('shows an app only its own tasks; the admin sees every app\'s and may filter by appId', async () => {
      const theirs = await scheduleSummary(other, { customId: 'scoped' });
      const mine = await scheduleSummary(mail, { customId: 'scoped' });
      expect((await mail.get('/v1/tasks?customId=scoped')).body.tasks.map((t: any) => t.id)).toEqual([mine.id]);
      expect((await other.get('/v1/tasks?customId=scoped')).body.tasks.map((t: any) => t.id)).toEqual([theirs.id]);
      const all = await fx.admin.get('/v1/tasks?customId=scoped');
      expect(all.body.tasks.map((t: any) => t.id)).toEqual([mine.id, theirs.id]);
      const filtered = await fx.admin.get('/v1/tasks?customId=scoped&appId=other');
      expect(filtered.body.tasks.map((t: any) => t.id)).toEqual([theirs.id]);
      expect((await mail.get('/v1/tasks?customId=scoped&appId=mail')).body.tasks).toHaveLength(1);
      expectProblem(await mail.get('/v1/tasks?appId=other'), 403, 'forbidden', { field: 'query.appId' });
    });

    it('refuses a bad limit, status or cursor (400)', async () => {
      expectProblem(await mail.get('/v1/tasks?limit=0'), 400, 'invalid_request', { field: 'query.limit' });
      expectProblem(await mail.get('/v1/tasks?limit=501'), 400, 'invalid_request', { field: 'query.limit' });
      expectProblem(await mail.get('/v1/tasks?status=done'), 400, 'invalid_request', { field: 'query.status' });
      expectProblem(await mail.get('/v1/tasks?cursor=bm9wZQ'), 400, 'invalid_request', { field: 'query.cursor' });
    });
  });

  describe('POST /v1/tasks/{id}/cancel', () => {
    it('cancels a scheduled task; cancelling it again answers it unchanged', async () => {
      const task = await scheduleSummary(mail);
      const res = await mail.post(`/v1/tasks/${task.id}/cancel`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: task.id, status: 'cancelled' });
      expect(res.body.endedAt).toEqual(expect.any(String));
      const again = await mail.post(`/v1/tasks/${task.id}/cancel`);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(res.body);
    });

    it('cancels a running task; the provider\'s next report is refused', async () => {
      const task = await scheduleSummary(mail, {});
      const simple = await mail.post('/v1/tasks', { type: simplification, input: { input: 'hard words' } });
      const claimed = await claim('acme:simple');
      expect(claimed.task.id).toBe(simple.body.id);
      const res = await mail.post(`/v1/tasks/${simple.body.id}/cancel`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'cancelled', startedAt: expect.any(String), endedAt: expect.any(String) });
      const progress = await acme.post(`/v1/work/${simple.body.id}/progress`, { leaseId: claimed.leaseId, progress: 0.5 });
      expect(progress.status).toBe(409);
      const result = await acme.post(`/v1/work/${simple.body.id}/result`, {
        leaseId: claimed.leaseId,
        output: { output: 'easy words' },
      });
      expect(result.status).toBe(409);
      expect((await mail.get(`/v1/tasks/${simple.body.id}`)).body).toMatchObject({ status: 'cancelled', output: null });
      await mail.post(`/v1/tasks/${task.id}/cancel`);
    });

    it('refuses to cancel a task that already succeeded (409 task_terminal)', async () => {
      const simple = await mail.post('/v1/tasks', { type: simplification, input: { input: 'hard words' } });
      const claimed = await claim('acme:simple');
      const result = await acme.post(`/v1/work/${simple.body.id}/result`, {
        leaseId: claimed.leaseId,
        output: { output: 'easy words' },
      });
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      expectProblem(await mail.post(`/v1/tasks/${simple.body.id}/cancel`), 409, 'task_terminal');
      expect((await mail.get(`/v1/tasks/${simple.body.id}`)).body.status).toBe('successful');
    });

    it('answers 404 for another app\'s task and leaves it alone; the admin may cancel it', async () => {
      const task = await scheduleSummary(mail);
      expectProblem(await other.post(`/v1/tasks/${task.id}/cancel`), 404, 'not_found');
      expect((await mail.get(`/v1/tasks/${task.id}`)).body.status).toBe('scheduled');
      expect((await fx.admin.post(`/v1/tasks/${task.id}/cancel`)).body.status).toBe('cancelled');
    });
  });

  describe('DELETE /v1/tasks/{id}', () => {
    it('deletes a task (204); afterwards it is not found', async () => {
      const task = await scheduleSummary(mail);
      const res = await mail.delete(`/v1/tasks/${task.id}`);
      expect(res.status).toBe(204);
      expect(res.body).toBe('');
      expectProblem(await mail.get(`/v1/tasks/${task.id}`), 404, 'not_found');
      expectProblem(await mail.delete(`/v1/tasks/${task.id}`), 404, 'not_found');
    });

    it('answers 404 for another app\'s task and leaves it alone; the admin may delete it', async () => {
      const task = await scheduleSummary(mail);
      expectProblem(await other.delete(`/v1/tasks/${task.id}`), 404, 'not_found');
      expect((await mail.get(`/v1/tasks/${task.id}`)).status).toBe(200);
      expect((await fx.admin.delete(`/v1/tasks/${task.id}`)).status).toBe(204);
      expect((await mail.get(`/v1/tasks/${task.id}`)).status).toBe(404);
    });

    it('deletes the output files the provider produced, not the app\'s input files', async () => {
      const upload = await mail.request('POST', '/v1/files', { body: 'input bytes', headers: { 'content-type': 'text/plain' } });
      expect(upload.status).toBe(201);
      const simple = await mail.post('/v1/tasks', { type: simplification, input: { input: 'hard words' } });
      const claimed = await claim('acme:simple');
      const output = await acme.request('POST', `/v1/work/${simple.body.id}/files?leaseId=${claimed.leaseId}`, {
        body: 'output bytes',
        headers: { 'content-type': 'text/plain' },
      });
      expect(output.status, JSON.stringify(output.body)).toBe(201);
      expect((await mail.get(`/v1/files/${output.body.id}/info`)).body.taskId).toBe(simple.body.id);
      expect((await mail.delete(`/v1/tasks/${simple.body.id}`)).status).toBe(204);
      expectProblem(await mail.get(`/v1/files/${output.body.id}`), 404, 'not_found');
      expect((await mail.get(`/v1/files/${upload.body.id}`)).body).toBe('input bytes');
    });

    it('lets the same Idempotency-Key make a new task once the first was deleted', async () => {
      const headers = { 'Idempotency-Key': 'deleted-key' };
      const first = await mail.post('/v1/tasks', { type: summary, input: { input: 'x' } }, { headers });
      expect((await mail.delete(`/v1/tasks/${first.body.id}`)).status).toBe(204);
      const second = await mail.post('/v1/tasks', { type: summary, input: { input: 'x' } }, { headers });
      expect(second.status).toBe(201);
      expect(second.body.id).not.toBe(first.body.id);
    });
  });

  describe('who may call', () => {
    it('refuses provider tokens on every client route (403)', async () => {
      const task = await scheduleSummary(mail);
      const calls = [
        acme.post('/v1/tasks', { type: summary, input: { input: 'x' } }),
        acme.get('/v1/tasks'),
        acme.get(`/v1/tasks/${task.id}`),
        acme.post(`/v1/tasks/${task.id}/cancel`),
        acme.delete(`/v1/tasks/${task.id}`),
        acme.get('/v1/task-types'),
        acme.request('POST', '/v1/files', { body: 'x' }),
        acme.get('/v1/files/1'),
        acme.get('/v1/files/1/info'),
      ];
      for (const res of await Promise.all(calls)) expectProblem(res, 403, 'forbidden');
      expect((await mail.get(`/v1/tasks/${task.id}`)).body.status).toBe('scheduled');
    });

    it('refuses requests without a valid token (401)', async () => {
      const anonymous = createHttp(fx.coordinator.url);
      expectProblem(await anonymous.get('/v1/tasks'), 401, 'unauthorized');
      expectProblem(await anonymous.post('/v1/tasks', { type: summary, input: { input: 'x' } }), 401, 'unauthorized');
      expectProblem(await anonymous.withToken('tp_not_a_real_token_000000').get('/v1/tasks/1'), 401, 'unauthorized');
    });

    it('lets the admin schedule, as app id "admin"', async () => {
      const task = await scheduleSummary(fx.admin);
      expect(task.appId).toBe('admin');
      expectProblem(await mail.get(`/v1/tasks/${task.id}`), 404, 'not_found');
    });
  });
});
