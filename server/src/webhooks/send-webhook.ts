import { lookup as dnsLookup } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { ForbiddenTargetError, checkWebhookTarget, hostOf, isForbiddenAddress } from './webhook-target.ts';

export interface WebhookRequest {
  url: URL;
  method: 'POST' | 'PUT' | 'GET';
  headers: Record<string, string>;
  /** Empty for GET. */
  body: string;
  allowPrivate: boolean;
  timeoutMs: number;
}

/** How one attempt went: a status code when the receiver answered, an error when it did not accept. */
export interface WebhookOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * Makes one webhook call. Only a 2xx answer counts as delivered; a redirect is not followed and
 * counts as a failure (following it could lead anywhere, including to private addresses).
 *
 * The target is checked again here because DNS may have changed since scheduling; and the socket
 * connects through a lookup that refuses forbidden addresses, so a name that resolves to a public
 * address for the check and to a private one for the connection (DNS rebinding) still fails.
 */
export async function sendWebhook(req: WebhookRequest): Promise<WebhookOutcome> {
  const started = performance.now();
  const finish = (outcome: Omit<WebhookOutcome, 'durationMs'>): WebhookOutcome => ({
    ...outcome,
    durationMs: Math.round(performance.now() - started),
  });
  try {
    if (!req.allowPrivate) await checkWebhookTarget(req.url.toString());
    const res = await send(req);
    const statusCode = res.statusCode ?? 0;
    if (statusCode >= 200 && statusCode < 300) return finish({ ok: true, statusCode, error: null });
    const location = res.headers.location;
    const error =
      statusCode >= 300 && statusCode < 400
        ? `redirect (HTTP ${statusCode}${location ? ` to ${location}` : ''}) not followed; answer 2xx at the webhook URI itself`
        : `HTTP ${statusCode} ${res.statusMessage ?? ''}`.trim();
    return finish({ ok: false, statusCode, error });
  } catch (err) {
    return finish({ ok: false, statusCode: null, error: describeError(err, req) });
  }
}

function send(req: WebhookRequest): Promise<IncomingMessage> {
  const request = req.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const host = hostOf(req.url);
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const bad = req.allowPrivate ? undefined : addresses.find((a) => isForbiddenAddress(a.address));
      if (bad) return callback(new ForbiddenTargetError(host, bad.address), '', 0);
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
  return new Promise((resolve, reject) => {
    const outgoing = request(
      req.url,
      {
        method: req.method,
        headers: { ...req.headers, ...(req.body ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}) },
        lookup,
        // A fresh connection per call: pooled sockets would skip the lookup check.
        agent: false,
        signal: AbortSignal.timeout(req.timeoutMs),
      },
      (res) => {
        // The answer's body is not needed; drain it so the socket is released.
        res.resume();
        res.on('error', () => {});
        resolve(res);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(req.body || undefined);
  });
}

function describeError(err: unknown, req: WebhookRequest): string {
  if (err instanceof ForbiddenTargetError) {
    return `refused: ${err.message} (the operator does not allow private webhook targets: TASKPROC_WEBHOOK_ALLOW_PRIVATE)`;
  }
  const e = err as NodeJS.ErrnoException & { cause?: unknown };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') {
    return `no answer within ${req.timeoutMs / 1000} s`;
  }
  if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN') return `${hostOf(req.url)} does not resolve (${e.code})`;
  if (e?.code) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(err);
}
