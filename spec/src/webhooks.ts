import { z } from 'zod';
import { rowIdParam } from './safe-values.ts';
import { AppId } from './tokens.ts';
import { Task, WebhookMethod } from './tasks.ts';

/** The `event` of a webhook call, one per terminal status. */
export const webhookEventNames = ['task.successful', 'task.failed', 'task.cancelled'] as const;
export const WebhookEventName = z.enum(webhookEventNames).meta({ id: 'WebhookEventName' });
export type WebhookEventName = z.infer<typeof WebhookEventName>;

/**
 * Body of a webhook call (HTTP:POST and HTTP:PUT). HTTP:GET calls have no body: the task id and
 * event are appended to the URI's query as `taskId` and `event`.
 */
export const WebhookPayload = z
  .object({ event: WebhookEventName, task: Task })
  .meta({ id: 'WebhookPayload' });
export type WebhookPayload = z.infer<typeof WebhookPayload>;

/**
 * Signature scheme of webhook calls. Header `X-Taskproc-Signature: t=<unix seconds>,v1=<hex>`,
 * where `<hex>` is HMAC-SHA256 keyed with the app's secret (the secret string's UTF-8 bytes, as
 * returned by `GET /v1/webhook-secret`) over `"<t>.<raw body>"`; HTTP:GET calls have no body,
 * so theirs is over `"<t>.<raw query string>"` (the part after `?`, as received), which carries
 * the task id and event. Receivers recompute it, compare in constant time and refuse timestamps
 * more than {@link webhookToleranceSeconds} off.
 */
export const webhookSignature = {
  version: 'v1',
  algorithm: 'HMAC-SHA256',
} as const;

/** How far a signature's timestamp may be from the receiver's clock, by default. */
export const webhookToleranceSeconds = 300;

/** The string a webhook signature is computed over: the raw body, or a GET call's raw query. */
export function webhookSignedContent(timestampSeconds: number, rawBodyOrQuery: string): string {
  return `${timestampSeconds}.${rawBodyOrQuery}`;
}

/** What an HTTP:GET webhook call says, in its query: `taskId` and `event`. */
export const WebhookQuery = z
  .object({ taskId: rowIdParam(), event: WebhookEventName })
  .meta({ id: 'WebhookQuery' });
export type WebhookQuery = z.infer<typeof WebhookQuery>;

/**
 * Reads `t=<unix seconds>,v1=<hex>`; undefined when malformed. Unknown keys are skipped and
 * several `v1` values are allowed, so the scheme can grow without breaking receivers: accept when
 * any `v1` matches.
 */
export function parseWebhookSignature(header: string): { timestamp: number; signatures: string[] } | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value, ...rest] = part.trim().split('=');
    if (rest.length > 0 || value === undefined) return undefined;
    if (key === 't' && /^\d+$/.test(value)) timestamp = Number(value);
    else if (key === webhookSignature.version && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}

export const WebhookSecret = z
  .object({
    appId: z.string(),
    secret: z.string().describe('HMAC key of the app\'s webhook signatures (random, base64url)'),
  })
  .meta({ id: 'WebhookSecret' });
export type WebhookSecret = z.infer<typeof WebhookSecret>;

export const WebhookSecretQuery = z.object({
  appId: AppId.optional().describe('Admin only: the app whose secret to read or rotate (default: app "admin", the owner of tasks admins schedule)'),
});

export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export const WebhookDeliveryStatus = z.enum(webhookDeliveryStatuses).meta({
  id: 'WebhookDeliveryStatus',
  description: 'pending: not delivered yet, retried at nextAttemptAt. delivered: a 2xx answer. failed: attempts used up.',
});

export const WebhookAttempt = z
  .object({
    attemptedAt: z.iso.datetime(),
    statusCode: z.number().int().nullable().describe('HTTP status of the answer; null when there was none'),
    error: z.string().nullable().describe('Why the attempt failed; null for a 2xx'),
    durationMs: z.number().int().min(0),
  })
  .meta({ id: 'WebhookAttempt' });
export type WebhookAttempt = z.infer<typeof WebhookAttempt>;

export const WebhookDelivery = z
  .object({
    id: z.number().int().positive().describe('Also sent as X-Taskproc-Delivery'),
    event: WebhookEventName,
    uri: z.string(),
    method: WebhookMethod,
    status: WebhookDeliveryStatus,
    attempts: z.number().int().min(0).describe('How many attempts were made'),
    nextAttemptAt: z.iso.datetime().nullable().describe('When the next attempt is due; null unless pending'),
    deliveredAt: z.iso.datetime().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.iso.datetime(),
    attemptLog: z.array(WebhookAttempt).describe('Every attempt, oldest first'),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookDeliveryList = z
  .object({ deliveries: z.array(WebhookDelivery).describe('Oldest first') })
  .meta({ id: 'WebhookDeliveryList' });
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryList>;
