import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, verifyWebhookQuery, WebhookVerificationError } from '../src/index.ts';
import { makeTask, rejectionOf } from './fixtures.ts';

// Signatures are made here with node:crypto, independently of the client's WebCrypto code.

const secret = 'whsec_current';
const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const nowSeconds = now / 1000;
const body = JSON.stringify({ event: 'task.successful', task: makeTask(3, { status: 'successful', output: { output: 'ok' } }) });

function sign(key: string, timestamp: number, raw: string): string {
  return createHmac('sha256', key).update(`${timestamp}.${raw}`).digest('hex');
}

function headersFor(signature: string) {
  return new Headers({ 'x-taskproc-signature': signature, 'x-taskproc-event': 'task.successful' });
}

describe('verifyWebhook', () => {
  it('accepts a valid call and returns its event and task, from a string or the raw bytes', async () => {
    const headers = headersFor(`t=${nowSeconds},v1=${sign(secret, nowSeconds, body)}`);
    const payload = await verifyWebhook(headers, body, secret, { now });
    expect(payload.event).toBe('task.successful');
    expect(payload.task).toMatchObject({ id: 3, status: 'successful', output: { output: 'ok' } });
    expect(await verifyWebhook(headers, new TextEncoder().encode(body), secret, { now })).toEqual(payload);
  });

  it('reads Node-style header records in any case, also arrays', async () => {
    const signature = `t=${nowSeconds},v1=${sign(secret, nowSeconds, body)}`;
    await expect(verifyWebhook({ 'X-Taskproc-Signature': [signature] }, body, secret, { now })).resolves.toBeDefined();
    await expect(verifyWebhook({ 'x-taskproc-signature': signature }, body, secret, { now: new Date(now) })).resolves.toBeDefined();
  });

  it('refuses a tampered body, a wrong secret, a signature of another timestamp', async () => {
    const good = sign(secret, nowSeconds, body);
    const cases = [
      verifyWebhook(headersFor(`t=${nowSeconds},v1=${good}`), body.replace('"ok"', '"ko"'), secret, { now }),
      verifyWebhook(headersFor(`t=${nowSeconds},v1=${good}`), body, 'whsec_other', { now }),
      verifyWebhook(headersFor(`t=${nowSeconds - 1},v1=${good}`), body, secret, { now }),
    ];
    for (const err of await Promise.all(cases.map(rejectionOf))) {
      expect(err).toBeInstanceOf(WebhookVerificationError);
      expect(err).toMatchObject({ name: 'WebhookVerificationError', message: 'The signature does not match the body' });
    }
  });

  it('refuses timestamps outside the tolerance, either way, and honours a custom tolerance', async () => {
    const old = nowSeconds - 301;
    const future = nowSeconds + 301;
    for (const t of [old, future]) {
      const err = await rejectionOf(verifyWebhook(headersFor(`t=${t},v1=${sign(secret, t, body)}`), body, secret, { now }));
      expect(err).toBeInstanceOf(WebhookVerificationError);
      expect((err as Error).message).toMatch(/301 s off the clock/);
    }
    const edge = nowSeconds - 300;
    await expect(verifyWebhook(headersFor(`t=${edge},v1=${sign(secret, edge, body)}`), body, secret, { now })).resolves.toBeDefined();
    await expect(
      rejectionOf(verifyWebhook(headersFor(`t=${edge},v1=${sign(secret, edge, body)}`), body, secret, { now, toleranceSeconds: 60 })),
    ).resolves.toBeInstanceOf(WebhookVerificationError);
  });

  it('accepts during a rotation: any of several secrets, any of several v1 signatures', async () => {
    const byOld = sign('whsec_old', nowSeconds, body);
    const headers = headersFor(`t=${nowSeconds},v1=${byOld}`);
    await expect(rejectionOf(verifyWebhook(headers, body, secret, { now }))).resolves.toBeInstanceOf(WebhookVerificationError);
    await expect(verifyWebhook(headers, body, [secret, 'whsec_old'], { now })).resolves.toBeDefined();

    const both = headersFor(`t=${nowSeconds},v1=${'0'.repeat(64)},v1=${sign(secret, nowSeconds, body).toUpperCase()}`);
    await expect(verifyWebhook(both, body, secret, { now })).resolves.toBeDefined();
  });

  it('refuses missing or malformed signatures, bodiless calls and signed bodies that are not payloads', async () => {
    const reasons = await Promise.all(
      [
        verifyWebhook(new Headers(), body, secret, { now }),
        verifyWebhook(headersFor(`t=${nowSeconds}`), body, secret, { now }),
        verifyWebhook(headersFor(`v1=${sign(secret, nowSeconds, body)}`), body, secret, { now }),
        verifyWebhook(headersFor(`t=${nowSeconds},v1=${sign(secret, nowSeconds, '')}`), '', secret, { now }),
        verifyWebhook(headersFor(`t=${nowSeconds},v1=${sign(secret, nowSeconds, '{"a":1}')}`), '{"a":1}', secret, { now }),
        verifyWebhook(headersFor(`t=${nowSeconds},v1=${sign(secret, nowSeconds, body)}`), body, [], { now }),
      ].map(rejectionOf),
    );
    for (const err of reasons) expect(err).toBeInstanceOf(WebhookVerificationError);
    expect(reasons.map((err) => (err as Error).message)).toEqual([
      'No X-Taskproc-Signature header',
      'Malformed X-Taskproc-Signature header',
      'Malformed X-Taskproc-Signature header',
      'The call has no body (an HTTP:GET webhook?): use verifyWebhookQuery',
      'The signed body is not a webhook payload',
      'No secret to verify with',
    ]);
  });
});

describe('verifyWebhookQuery', () => {
  it('accepts a signed HTTP:GET query and returns its task id and event; refuses a changed query', async () => {
    const query = 'source=app&taskId=42&event=task.failed';
    const headers = headersFor(`t=${nowSeconds},v1=${sign(secret, nowSeconds, query)}`);
    await expect(verifyWebhookQuery(headers, query, secret, { now })).resolves.toEqual({ taskId: 42, event: 'task.failed' });
    await expect(verifyWebhookQuery(headers, `?${query}`, secret, { now })).resolves.toEqual({ taskId: 42, event: 'task.failed' });
    const swapped = await rejectionOf(verifyWebhookQuery(headers, query.replace('taskId=42', 'taskId=7'), secret, { now }));
    expect(swapped).toBeInstanceOf(WebhookVerificationError);
    const noTask = 'event=task.failed';
    const unsigned = await rejectionOf(
      verifyWebhookQuery(headersFor(`t=${nowSeconds},v1=${sign(secret, nowSeconds, noTask)}`), noTask, secret, { now }),
    );
    expect((unsigned as Error).message).toBe('The signed query has no valid taskId and event');
  });
});
