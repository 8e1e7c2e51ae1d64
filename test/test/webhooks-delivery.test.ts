import { createHmac, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookDeliveryList, WebhookPayload, parseWebhookSignature } from '@taskproc/spec';
import { describeEachDatabase, expectProblem, tokenClient, useCoordinator, type Http } from '../src/index.ts';
import { createTaskDriver, type TaskDriver } from './events-task-driver.ts';
import { startWebhookReceiver, type ReceivedCall, type WebhookReceiver } from './webhooks-receiver.ts';

// Webhooks through the real coordinator to a receiver on 127.0.0.1 (private targets allowed for
// this coordinator): signatures, retries with backoff, the delivery log, secrets and access.

const maxAttempts = 4;

/** The receiver's side of the signature check, written from the protocol, not the server's code. */
function verify(call: ReceivedCall, secret: string, body = call.rawBody): boolean {
  const parsed = parseWebhookSignature(String(call.headers['x-taskproc-signature']));
  if (!parsed) return false;
  const expected = createHmac('sha256', secret).update(`${parsed.timestamp}.${body}`).digest();
  return parsed.signatures.some((hex) => {
    const given = Buffer.from(hex, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

describeEachDatabase('webhook delivery', (kind) => {
  const fx = useCoordinator(kind, {
    TASKPROC_WEBHOOK_ALLOW_PRIVATE: 'true',
    TASKPROC_WEBHOOK_BACKOFF_MS: '50',
    TASKPROC_WEBHOOK_MAX_ATTEMPTS: String(maxAttempts),
    TASKPROC_SWEEP_MS: '100',
  });
  let t: TaskDriver;
  let otherApp: Http;
  let receiver: WebhookReceiver;
  let hookCount = 0;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await createTaskDriver(fx.admin, { appId: 'hooked', providerApp: 'llm', providerId: 'llm:summary' });
    otherApp = await tokenClient(fx.admin, 'app', 'not-hooked');
  });
  afterAll(async () => {
    await receiver?.close();
  });

  const hookPath = (name: string) => `/${kind}/${name}-${++hookCount}`;
  const secretOf = async (as: Http = t.app) => {
    const res = await as.get('/v1/webhook-secret');
    expect(res.status).toBe(200);
    return res.body.secret as string;
  };
  /** The task's deliveries once none is pending any more (attempt rows follow the receiver's answer). */
  const settledDeliveries = async (taskId: number, as: Http = t.app) => {
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(25)) {
      const res = await as.get(`/v1/tasks/${taskId}/webhook-deliveries`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const list = WebhookDeliveryList.parse(res.body);
      if (list.deliveries.length > 0 && list.deliveries.every((d) => d.status !== 'pending')) return list.deliveries;
    }
    throw new Error(`deliveries of task ${taskId} still pending`);
  };

  it('POSTs the ended task once, signed with the app\'s secret', async () => {
    const path = hookPath('ok');
    const task = await t.schedule({ webhookUri: `${receiver.url}${path}` });
    expect(task).toMatchObject({ webhookUri: `${receiver.url}${path}`, webhookMethod: 'HTTP:POST' });
    await t.succeed(task.id, await t.claim(task.id), 'Summary.');
    const [call] = await receiver.waitForCalls(path, 1);
    const [delivery] = await settledDeliveries(task.id);

    expect(call!.method).toBe('POST');
    expect(call!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'taskproc-webhook/0.2',
      'x-taskproc-event': 'task.successful',
      'x-taskproc-delivery': String(delivery!.id),
      'x-taskproc-attempt': '1',
      // The id of the schedule request (a fresh UUID here: the test sent none).
      'x-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const payload = WebhookPayload.parse(JSON.parse(call!.rawBody));
    expect(payload).toMatchObject({ event: 'task.successful', task: { id: task.id, status: 'successful', output: { output: 'Summary.' } } });
    const signature = parseWebhookSignature(String(call!.headers['x-taskproc-signature']))!;
    expect(Math.abs(signature.timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(verify(call!, await secretOf())).toBe(true);

    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, event: 'task.successful', method: 'HTTP:POST', lastError: null, nextAttemptAt: null });
    expect(delivery!.attemptLog).toMatchObject([{ statusCode: 200, error: null }]);
    expect(receiver.callsTo(path)).toHaveLength(1);
  });

  it('fails verification for a tampered body, another secret or another timestamp', async () => {
    const path = hookPath('tamper');
    const task = await t.schedule({ webhookUri: `${receiver.url}${path}` });
    await t.fail(task.id, await t.claim(task.id));
    const [call] = await receiver.waitForCalls(path, 1);
    const secret = await secretOf();
    expect(verify(call!, secret)).toBe(true);
    expect(verify(call!, secret, call!.rawBody.replace('"failed"', '"successful"'))).toBe(false);
    expect(verify(call!, secret, `${call!.rawBody} `)).toBe(false);
    expect(verify(call!, `${secret}x`)).toBe(false);
    const replayed = { ...call!, headers: { ...call!.headers, 'x-taskproc-signature': String(call!.headers['x-taskproc-signature']).replace(/t=\d+/, (m) => `t=${Number(m.slice(2)) + 1}`) } };
    expect(verify(replayed, secret)).toBe(false);
  });

  it('retries a failing receiver with backoff: 500, 500, then 200 is exactly three attempts', async () => {
    const path = hookPath('flaky');
    receiver.script(path, [500, 500, 200]);
    const task = await t.schedule({ webhookUri: `${receiver.url}${path}` });
    await t.succeed(task.id, await t.claim(task.id));
    const calls = await receiver.waitForCalls(path, 3);
    const [delivery] = await settledDeliveries(task.id);

    expect(calls.map((c) => c.headers['x-taskproc-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(calls.map((c) => c.headers['x-taskproc-delivery']))).toEqual(new Set([String(delivery!.id)]));
    const secret = await secretOf();
    expect(calls.every((c) => verify(c, secret))).toBe(true);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, deliveredAt: expect.any(String) });
    expect(delivery!.attemptLog.map((a) => [a.statusCode, a.error])).toEqual([
      [500, 'HTTP 500 Internal Server Error'],
      [500, 'HTTP 500 Internal Server Error'],
      [200, null],
    ]);
    const times = delivery!.attemptLog.map((a) => Date.parse(a.attemptedAt));
    // Backoff 50 ms, then 100 ms, each -20 % at worst.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(40);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(80);
    expect(receiver.callsTo(path)).toHaveLength(3);
  });

  it('gives up after the last attempt and says why', async () => {
    const path = hookPath('down');
    receiver.script(path, [503]);
    const task = await t.schedule({ webhookUri: `${receiver.url}${path}` });
    expect((await t.app.post(`/v1/tasks/${task.id}/cancel`)).status).toBe(200);
    const calls = await receiver.waitForCalls(path, maxAttempts);
    const [delivery] = await settledDeliveries(task.id);
    expect(calls.every((c) => c.headers['x-taskproc-event'] === 'task.cancelled')).toBe(true);
    expect(delivery).toMatchObject({ status: 'failed', attempts: maxAttempts, nextAttemptAt: null, deliveredAt: null, lastError: 'HTTP 503 Service Unavailable' });
    expect(delivery!.attemptLog).toHaveLength(maxAttempts);
    expect(receiver.callsTo(path)).toHaveLength(maxAttempts);
  });

  it('does not follow a redirect: it counts as a failed attempt', async () => {
    const path = hookPath('moved');
    receiver.script(path, [302, 204]);
    const task = await t.schedule({ webhookUri: `${receiver.url}${path}` });
    await t.succeed(task.id, await t.claim(task.id));
    await receiver.waitForCalls(path, 2);
    const [delivery] = await settledDeliveries(task.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(delivery!.attemptLog[0]).toMatchObject({ statusCode: 302, error: expect.stringContaining('not followed') });
    expect(receiver.calls.some((c) => c.path === '/elsewhere')).toBe(false);
  });

  it('calls HTTP:GET with the task id and event in the query and no body, and HTTP:PUT with the body', async () => {
    const getPath = hookPath('get');
    const putPath = hookPath('put');
    const viaGet = await t.schedule({ webhookUri: `${receiver.url}${getPath}?source=test`, webhookMethod: 'HTTP:GET' });
    const viaPut = await t.schedule({ webhookUri: `${receiver.url}${putPath}`, webhookMethod: 'HTTP:PUT' });
    await t.succeed(viaGet.id, await t.claim(viaGet.id));
    await t.fail(viaPut.id, await t.claim(viaPut.id));
    const [get] = await receiver.waitForCalls(getPath, 1);
    const [put] = await receiver.waitForCalls(putPath, 1);
    const secret = await secretOf();

    expect(get!.method).toBe('GET');
    expect(Object.fromEntries(get!.query)).toEqual({ source: 'test', taskId: String(viaGet.id), event: 'task.successful' });
    expect(get!.rawBody).toBe('');
    // No body: the signature covers the query, so the task id and event cannot be swapped.
    expect(verify(get!, secret, get!.rawQuery)).toBe(true);
    expect(verify(get!, secret, get!.rawQuery.replace(`taskId=${viaGet.id}`, 'taskId=1'))).toBe(false);
    expect(verify(get!, secret, '')).toBe(false);
    expect(put!.method).toBe('PUT');
    expect(JSON.parse(put!.rawBody)).toMatchObject({ event: 'task.failed', task: { id: viaPut.id, status: 'failed' } });
    expect(verify(put!, secret)).toBe(true);
  });

  it('signs with the new secret after a rotation', async () => {
    const before = await secretOf();
    const rotated = await t.app.post('/v1/webhook-secret/rotate');
    expect(rotated.status).toBe(200);
    expect(rotated.body.appId).toBe('hooked');
    expect(rotated.body.secret).not.toBe(before);
    expect(rotated.body.secret).toMatch(/^[\w-]{43}$/);
    expect(await secretOf()).toBe(rotated.body.secret);

    const path = hookPath('rotated');
    const task = await t.schedule({ webhookUri: `${receiver.url}${path}` });
    await t.succeed(task.id, await t.claim(task.id));
    const [call] = await receiver.waitForCalls(path, 1);
    expect(verify(call!, rotated.body.secret)).toBe(true);
    expect(verify(call!, before)).toBe(false);
  });

  it('lists no deliveries for a task without a webhook or still running', async () => {
    const plain = await t.schedule();
    await t.succeed(plain.id, await t.claim(plain.id));
    expect((await t.app.get(`/v1/tasks/${plain.id}/webhook-deliveries`)).body).toEqual({ deliveries: [] });
    const pending = await t.schedule({ webhookUri: `${receiver.url}${hookPath('later')}` });
    expect((await t.app.get(`/v1/tasks/${pending.id}/webhook-deliveries`)).body).toEqual({ deliveries: [] });
    await t.app.delete(`/v1/tasks/${pending.id}`);
  });

  describe('access', () => {
    it('shows a task\'s deliveries to its app and admins only', async () => {
      const task = await t.schedule({ webhookUri: `${receiver.url}${hookPath('access')}` });
      await t.app.post(`/v1/tasks/${task.id}/cancel`);
      const deliveries = await settledDeliveries(task.id);
      expect((await fx.admin.get(`/v1/tasks/${task.id}/webhook-deliveries`)).body).toEqual({ deliveries });
      expectProblem(await otherApp.get(`/v1/tasks/${task.id}/webhook-deliveries`), 404, 'not_found');
      expectProblem(await t.provider.get(`/v1/tasks/${task.id}/webhook-deliveries`), 403, 'forbidden');
      expectProblem(await t.app.get('/v1/tasks/999999/webhook-deliveries'), 404, 'not_found');
    });

    it('gives each app its own secret; admins read and rotate any app\'s', async () => {
      const mine = await secretOf();
      const theirs = await secretOf(otherApp);
      expect(theirs).not.toBe(mine);
      expect((await fx.admin.get('/v1/webhook-secret?appId=hooked')).body).toEqual({ appId: 'hooked', secret: mine });
      expect((await fx.admin.get('/v1/webhook-secret')).body).toMatchObject({ appId: 'admin' });
      const rotated = await fx.admin.post('/v1/webhook-secret/rotate?appId=not-hooked');
      expect(rotated.body).toMatchObject({ appId: 'not-hooked' });
      expect(await secretOf(otherApp)).toBe(rotated.body.secret);
      expect(await secretOf()).toBe(mine);
      expectProblem(await t.app.get('/v1/webhook-secret?appId=not-hooked'), 403, 'forbidden', { field: 'query.appId' });
      expectProblem(await t.app.post('/v1/webhook-secret/rotate?appId=not-hooked'), 403, 'forbidden');
      expectProblem(await t.provider.get('/v1/webhook-secret'), 403, 'forbidden');
      expectProblem(await t.app.get('/v1/webhook-secret', { token: null }), 401, 'unauthorized');
    });
  });
});
