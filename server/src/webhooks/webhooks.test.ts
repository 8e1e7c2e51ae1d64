import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWebhookSignature } from '@taskproc/spec';
import { backoffMs } from './deliver-webhooks.ts';
import { sendWebhook } from './send-webhook.ts';
import { signWebhook } from './sign.ts';
import { ForbiddenTargetError, checkWebhookTarget, isForbiddenAddress } from './webhook-target.ts';

// The webhook building blocks in process. Only loopback is ever contacted: refusals are checked
// with literal private addresses (refused before any connection) and a fake resolver.

describe('isForbiddenAddress', () => {
  it.each([
    '127.0.0.1', '127.255.0.9', '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.254', '192.168.1.5',
    '169.254.169.254', '100.64.0.1', '100.127.255.255', '0.0.0.0', '224.0.0.1', '255.255.255.255',
    '::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1', 'not-an-ip',
  ])('refuses %s', (address) => expect(isForbiddenAddress(address)).toBe(true));

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '172.15.255.255', '100.128.0.1', '192.169.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    'allows %s',
    (address) => expect(isForbiddenAddress(address)).toBe(false),
  );
});

describe('checkWebhookTarget', () => {
  const resolvesTo = (...addresses: string[]) => async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('refuses literal private and loopback hosts without resolving them', async () => {
    const noLookup = async () => {
      throw new Error('must not resolve an IP literal');
    };
    await expect(checkWebhookTarget('http://10.0.0.1/hook', noLookup)).rejects.toThrow(ForbiddenTargetError);
    await expect(checkWebhookTarget('http://[::1]:8080/x', noLookup)).rejects.toThrow('::1 is a private or loopback address');
    await expect(checkWebhookTarget('https://8.8.8.8/x', noLookup)).resolves.toBeUndefined();
  });

  it('refuses a name when any of its addresses is private', async () => {
    await expect(checkWebhookTarget('https://hooks.example/x', resolvesTo('93.184.216.34', '10.1.2.3'))).rejects.toThrow(
      'hooks.example resolves to 10.1.2.3, a private or loopback address',
    );
    await expect(checkWebhookTarget('https://hooks.example/x', resolvesTo('93.184.216.34'))).resolves.toBeUndefined();
  });
});

describe('signWebhook', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 keyed by the secret string', () => {
    const header = signWebhook('s3cret', '{"a":1}', 1_700_000_000);
    const expected = createHmac('sha256', 's3cret').update('1700000000.{"a":1}').digest('hex');
    expect(header).toBe(`t=1700000000,v1=${expected}`);
    expect(parseWebhookSignature(header)).toEqual({ timestamp: 1_700_000_000, signatures: [expected] });
  });
});

describe('backoffMs', () => {
  it('doubles per attempt within ±20 % and stops at one hour', () => {
    expect(backoffMs(1000, 1, () => 0.5)).toBe(1000);
    expect(backoffMs(1000, 3, () => 0)).toBe(3200);
    expect(backoffMs(1000, 3, () => 1)).toBe(4800);
    expect(backoffMs(1000, 30, () => 1)).toBe(3_600_000);
  });
});

describe('sendWebhook', () => {
  let server: Server;
  let base: string;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      if (req.url === '/moved') res.writeHead(302, { location: 'http://10.0.0.1/' }).end();
      else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end(), 2_000);
      else res.writeHead(req.url === '/ok' ? 204 : 503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const send = (path: string, options: { allowPrivate?: boolean; timeoutMs?: number; host?: string } = {}) =>
    sendWebhook({
      url: new URL(`${options.host ?? base}${path}`),
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      allowPrivate: options.allowPrivate ?? true,
      timeoutMs: options.timeoutMs ?? 5_000,
    });

  it('counts only a 2xx as delivered', async () => {
    expect(await send('/ok')).toMatchObject({ ok: true, statusCode: 204, error: null });
    expect(await send('/down')).toMatchObject({ ok: false, statusCode: 503, error: 'HTTP 503 Service Unavailable' });
  });

  it('does not follow redirects', async () => {
    const before = requests;
    const outcome = await send('/moved');
    expect(outcome).toMatchObject({ ok: false, statusCode: 302 });
    expect(outcome.error).toContain('redirect (HTTP 302 to http://10.0.0.1/) not followed');
    expect(requests - before).toBe(1);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const outcome = await send('/slow', { timeoutMs: 300 });
    expect(outcome).toMatchObject({ ok: false, statusCode: null, error: 'no answer within 0.3 s' });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(250);
  });

  it('refuses private targets before connecting when they are not allowed, by address or by name', async () => {
    const before = requests;
    const byAddress = await send('/ok', { allowPrivate: false });
    expect(byAddress).toMatchObject({ ok: false, statusCode: null });
    expect(byAddress.error).toMatch(/^refused: 127\.0\.0\.1 is a private or loopback address/);
    const port = new URL(base).port;
    const byName = await send('/ok', { allowPrivate: false, host: `http://localhost:${port}` });
    expect(byName.error).toMatch(/^refused: localhost resolves to (127\.0\.0\.1|::1)/);
    expect(requests).toBe(before);
  });

  it('reports a refused connection as the attempt\'s error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await send('/ok', { host: `http://127.0.0.1:${port}` });
    expect(outcome).toMatchObject({ ok: false, statusCode: null });
    expect(outcome.error).toMatch(/^ECONNREFUSED/);
  });
});
