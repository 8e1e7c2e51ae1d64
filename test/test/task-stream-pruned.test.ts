import { beforeAll, expect, it } from 'vitest';
import { TaskProcessingClient } from '@taskproc/client';
import { describeEachDatabase, inProcessUrl, registerProvider, tokenClient, useInProcessCoordinator, type Http } from '../src/index.ts';

// A task's own event stream when the log no longer holds its final event (events are kept
// TASKPROC_EVENT_RETENTION_HOURS, finished tasks much longer): it must end at once, not wait for
// an event that will never come, and the client finishes from the task itself.

const summary = 'core:text2text:summary';

describeEachDatabase('task stream of a task whose events were pruned', (kind) => {
  const fx = useInProcessCoordinator(kind);
  let app: Http;
  let provider: Http;

  beforeAll(async () => {
    app = await tokenClient(fx.admin, 'app', 'mail');
    provider = await tokenClient(fx.admin, 'provider', 'llm');
    await registerProvider(provider, 'llm:summary', { name: 'LLM summary', taskType: summary });
  });

  const schedule = async (): Promise<number> => {
    const res = await app.post('/v1/tasks', { type: summary, input: { input: 'some text' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  };
  const pruneEventsOf = (taskId: number) => fx.db.query('DELETE FROM task_events WHERE task_id = $1', [taskId]);
  const openTaskStream = (taskId: number) =>
    fx.fetch(`${inProcessUrl}/v1/tasks/${taskId}/events`, {
      headers: { authorization: `Bearer ${app.token}`, accept: 'text/event-stream' },
    });

  it('answers 204 for a task that ended, and the client yields its output from the task', async () => {
    const taskId = await schedule();
    const claimed = await provider.post('/v1/work/next', { providerIds: ['llm:summary'], max: 1 });
    const [{ leaseId }] = claimed.body.tasks;
    expect((await provider.post(`/v1/work/${taskId}/result`, { leaseId, output: { output: 'Sum.' } })).status).toBe(200);
    await pruneEventsOf(taskId);

    const res = await openTaskStream(taskId);
    expect(res.status).toBe(204);

    const client = new TaskProcessingClient({ url: inProcessUrl, token: app.token!, fetch: fx.fetch });
    const parts = [];
    for await (const part of client.streamTask(taskId)) parts.push(part);
    expect(parts).toEqual([expect.objectContaining({ kind: 'done', output: { output: 'Sum.' }, eventId: 0 })]);
  });

  it('keeps streaming for a task that has not ended, events pruned or not', async () => {
    const taskId = await schedule();
    await pruneEventsOf(taskId);
    const res = await openTaskStream(taskId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    await res.body?.cancel();
    await app.post(`/v1/tasks/${taskId}/cancel`);
  });
});
