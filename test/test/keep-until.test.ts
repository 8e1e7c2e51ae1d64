import { beforeAll, expect, it } from 'vitest';
import {
  describeEachDatabase,
  expectProblem,
  registerProvider,
  tokenClient,
  useInProcessCoordinator,
  type Http,
} from '../src/index.ts';

// keepUntil on tasks (spec ScheduleTaskRequest / Task) and the stored X-Request-Id of the
// schedule request, in process: every form a task takes on the wire carries keepUntil (the
// answers, the event snapshots, the deleted snapshot, the webhook payloads written by both the
// TypeScript and the SQL task JSON).

const summary = 'core:text2text:summary';
// Claimed in one test only: the others leave summaries queued.
const headline = 'core:text2text:headline';
const keepUntil = '2031-05-01T10:00:00.000Z';

describeEachDatabase('keepUntil and the request id', (kind) => {
  const fx = useInProcessCoordinator(kind);
  let app: Http;
  let provider: Http;

  beforeAll(async () => {
    app = await tokenClient(fx.admin, 'app', 'mail');
    provider = await tokenClient(fx.admin, 'provider', 'acme');
    await registerProvider(provider, 'acme:summary', { name: 'Summary', taskType: summary });
    await registerProvider(provider, 'acme:headline', { name: 'Headline', taskType: headline });
  });

  const schedule = async (extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const res = await app.post('/v1/tasks', { type: summary, input: { input: 'text' }, ...extra }, { headers });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const claim = async (taskId: number) => {
    const res = await provider.post('/v1/work/next', { providerIds: ['acme:headline'], max: 1, waitMs: 0 });
    expect(res.body.tasks.map((t: { task: { id: number } }) => t.task.id)).toEqual([taskId]);
    return res.body.tasks[0] as { leaseId: string; task: { keepUntil: string | null } };
  };
  /** The task snapshots of one task's event stream (it ends after the task's final event). */
  const streamedTasks = async (taskId: number) => {
    const res = await app.get(`/v1/tasks/${taskId}/events`);
    expect(res.status).toBe(200);
    return (res.body as string)
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)).task as { keepUntil: string | null });
  };
  const payloadsOf = async (taskId: number) =>
    (await fx.db.query('SELECT payload FROM webhook_deliveries WHERE task_id = $1', [taskId])).map((r) =>
      typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
    );

  it('stores keepUntil and answers it, in ISO form with milliseconds, on schedule, read and list; null when not sent', async () => {
    const kept = await schedule({ keepUntil: '2031-05-01T10:00:00Z' });
    expect(kept.keepUntil).toBe(keepUntil);
    expect((await app.get(`/v1/tasks/${kept.id}`)).body.keepUntil).toBe(keepUntil);
    const listed = (await app.get('/v1/tasks')).body.tasks.find((t: { id: number }) => t.id === kept.id);
    expect(listed.keepUntil).toBe(keepUntil);
    expect((await schedule()).keepUntil).toBeNull();
    // A time in the past is accepted; it keeps nothing.
    expect((await schedule({ keepUntil: '2001-02-03T04:05:06.7Z' })).keepUntil).toBe('2001-02-03T04:05:06.700Z');
  });

  it('refuses a keepUntil that is not a UTC date-time from 1970 on (400 naming json.keepUntil)', async () => {
    for (const bad of ['tomorrow', '2031-02-30T00:00:00Z', '2031-05-01', 1_900_000_000, '1969-12-31T23:59:59Z', '0000-01-01T00:00:00Z']) {
      const res = await app.post('/v1/tasks', { type: summary, input: { input: 'text' }, keepUntil: bad });
      expectProblem(res, 400, 'invalid_request', { field: 'json.keepUntil' });
    }
  });

  it('counts keepUntil in the Idempotency-Key match, by its instant, not its spelling', async () => {
    const headers = { 'Idempotency-Key': `keep-${kind}` };
    const first = await schedule({ keepUntil: '2031-05-01T10:00:00Z' }, headers);
    const again = await app.post('/v1/tasks', { type: summary, input: { input: 'text' }, keepUntil }, { headers });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.id);
    for (const other of [{ keepUntil: '2031-05-01T10:00:01Z' }, {}]) {
      const res = await app.post('/v1/tasks', { type: summary, input: { input: 'text' }, ...other }, { headers });
      expectProblem(res, 409, 'idempotency_conflict');
    }
  });

  it('carries keepUntil in claims, event snapshots and webhook payloads (ended by a provider, cancelled)', async () => {
    const webhookUri = 'http://127.0.0.1:9/hook';
    const ended = await schedule({ type: headline, keepUntil, webhookUri });
    const claimed = await claim(ended.id);
    expect(claimed.task.keepUntil).toBe(keepUntil);
    // The result path writes the webhook payload with the SQL task JSON (task-json-sql.ts).
    const result = await provider.post(`/v1/work/${ended.id}/result`, { leaseId: claimed.leaseId, output: { output: 'short' } });
    expect(result.status).toBe(200);
    expect(result.body.task.keepUntil).toBe(keepUntil);
    const cancelled = await schedule({ keepUntil, webhookUri });
    expect((await app.post(`/v1/tasks/${cancelled.id}/cancel`)).body.keepUntil).toBe(keepUntil);

    for (const id of [ended.id, cancelled.id]) {
      const payloads = await payloadsOf(id);
      expect(payloads).toHaveLength(1);
      expect(payloads[0].keepUntil).toBe(keepUntil);
      const snapshots = await streamedTasks(id);
      expect(snapshots.length).toBeGreaterThanOrEqual(2);
      expect(snapshots.map((t) => t.keepUntil)).toEqual(snapshots.map(() => keepUntil));
    }
  });

  it('keeps keepUntil in the snapshot of a deleted task', async () => {
    const task = await schedule({ keepUntil });
    expect((await app.delete(`/v1/tasks/${task.id}`)).status).toBe(204);
    const snapshots = await streamedTasks(task.id);
    expect(snapshots.map((t) => t.keepUntil)).toEqual([keepUntil, keepUntil]);
  });

  it('stores the X-Request-Id of the schedule request with the task', async () => {
    const sent = await app.request('POST', '/v1/tasks', {
      json: { type: summary, input: { input: 'text' } },
      headers: { 'X-Request-Id': `trace-${kind}-1` },
    });
    const generated = await app.post('/v1/tasks', { type: summary, input: { input: 'text' } });
    const stored = await fx.db.query('SELECT id, request_id FROM tasks WHERE id = ANY($1::int[]) ORDER BY id', [[sent.body.id, generated.body.id]]);
    expect(stored.map((r) => r.request_id)).toEqual([`trace-${kind}-1`, generated.headers.get('x-request-id')]);
  });
});
