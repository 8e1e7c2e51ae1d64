import {
  headers as protocolHeaders,
  parseWebhookSignature,
  WebhookPayload,
  WebhookQuery,
  webhookToleranceSeconds,
} from '@taskproc/spec';
import { WebhookVerificationError } from './errors.ts';

/** Request headers as a fetch `Headers` or a Node `IncomingHttpHeaders`-like record. */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface VerifyWebhookOptions {
  /** How far the signature's timestamp may be from now, seconds. Default 300. */
  toleranceSeconds?: number;
  /** The receiver's clock (a Date or epoch milliseconds); default now. Tests pin it. */
  now?: Date | number;
}

/**
 * Checks that a webhook call comes from the coordinator and is fresh, and returns its payload.
 * `rawBody` must be the exact bytes received (parse JSON only after this). `secret` is the app's
 * webhook secret (`GET /v1/webhook-secret`); pass the old and the new one while rotating. Throws
 * WebhookVerificationError: answer such requests 400 (or 401) and do nothing else.
 *
 * The coordinator retries deliveries until it gets a 2xx, so a receiver may see one event more
 * than once: make handling idempotent on `task.id` and `event`. HTTP:GET calls have no body: use
 * {@link verifyWebhookQuery} for those.
 */
export async function verifyWebhook(
  headers: WebhookHeaders,
  rawBody: string | Uint8Array,
  secret: string | readonly string[],
  options: VerifyWebhookOptions = {},
): Promise<WebhookPayload> {
  const body = typeof rawBody === 'string' ? new TextEncoder().encode(rawBody) : rawBody;
  await checkSignature(headers, body, secret, options);
  if (body.byteLength === 0) {
    throw new WebhookVerificationError('The call has no body (an HTTP:GET webhook?): use verifyWebhookQuery');
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body));
  } catch (err) {
    throw new WebhookVerificationError('The signed body is not JSON', { cause: err });
  }
  const payload = WebhookPayload.safeParse(json);
  if (!payload.success) throw new WebhookVerificationError('The signed body is not a webhook payload', { cause: payload.error });
  return payload.data;
}

/**
 * The HTTP:GET form of {@link verifyWebhook}: such calls carry `taskId` and `event` in the query
 * and the signature covers the raw query string. Pass the part of the URL after `?` exactly as
 * received (e.g. `new URL(req.url, base).search.slice(1)`); read the task itself with the client.
 */
export async function verifyWebhookQuery(
  headers: WebhookHeaders,
  rawQuery: string,
  secret: string | readonly string[],
  options: VerifyWebhookOptions = {},
): Promise<WebhookQuery> {
  const query = rawQuery.startsWith('?') ? rawQuery.slice(1) : rawQuery;
  await checkSignature(headers, new TextEncoder().encode(query), secret, options);
  const parsed = WebhookQuery.safeParse(Object.fromEntries(new URLSearchParams(query)));
  if (!parsed.success) throw new WebhookVerificationError('The signed query has no valid taskId and event', { cause: parsed.error });
  return parsed.data;
}

/** Throws unless one of the header's v1 signatures matches `signedBytes` under one of the secrets. */
async function checkSignature(
  headers: WebhookHeaders,
  signedBytes: Uint8Array,
  secret: string | readonly string[],
  options: VerifyWebhookOptions,
): Promise<void> {
  const header = headerValue(headers, protocolHeaders.webhookSignature);
  if (!header) throw new WebhookVerificationError(`No ${protocolHeaders.webhookSignature} header`);
  const signature = parseWebhookSignature(header);
  if (!signature) throw new WebhookVerificationError(`Malformed ${protocolHeaders.webhookSignature} header`);

  const nowMs = options.now === undefined ? Date.now() : Number(options.now);
  const toleranceSeconds = options.toleranceSeconds ?? webhookToleranceSeconds;
  const skewSeconds = Math.abs(Math.floor(nowMs / 1000) - signature.timestamp);
  // Checked before the HMAC only for speed; the timestamp is signed, so it cannot be moved.
  if (skewSeconds > toleranceSeconds) {
    throw new WebhookVerificationError(`The signature is ${skewSeconds} s off the clock (tolerance ${toleranceSeconds} s)`);
  }

  const signed = concat(new TextEncoder().encode(`${signature.timestamp}.`), signedBytes);
  const offered = signature.signatures.map(hexToBytes);
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0) throw new WebhookVerificationError('No secret to verify with');
  let matched = false;
  for (const key of secrets) {
    const expected = await hmacSha256(key, signed);
    // Every candidate is compared in full, so timing says nothing about which bytes matched.
    for (const candidate of offered) matched = constantTimeEqual(expected, candidate) || matched;
  }
  if (!matched) throw new WebhookVerificationError('The signature does not match the body');
}

function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return typeof value === 'string' ? value : value[0];
  }
  return undefined;
}

// WebCrypto rather than node:crypto keeps the client importable outside Node.
async function hmacSha256(secret: string, data: Uint8Array): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, data));
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let diff = 0;
  for (let i = 0; i < a.byteLength; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

// parseWebhookSignature only passes 64 hex digits, so this never sees odd or foreign characters.
function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}
