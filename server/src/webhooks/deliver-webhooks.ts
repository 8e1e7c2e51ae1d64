import { and, asc, eq, inArray, isNull, lt, lte, or } from 'drizzle-orm';
import { headers, type Task, type WebhookEventName, type WebhookPayload } from '@taskproc/spec';
import type { Deps } from '../deps.ts';
import { webhookAttempts, webhookDeliveries } from '../db/schema.ts';
import { getWebhookSecret } from './app-secrets.ts';
import { sendWebhook, type WebhookOutcome } from './send-webhook.ts';
import { signWebhook } from './sign.ts';

type DeliveryRow = typeof webhookDeliveries.$inferSelect;

/** Deliveries claimed per round; they are sent in parallel. */
const batchSize = 20;
/** A receiver gets this long to answer. */
export const webhookTimeoutMs = 10_000;
/**
 * A claimed delivery is locked for this long. Longer than any attempt (timeout plus bookkeeping),
 * so a replica only takes it over when the claimer died mid-attempt.
 */
const lockMs = webhookTimeoutMs * 3;
/** Longest wait between two attempts. */
const maxBackoffMs = 3_600_000;
const userAgent = 'taskproc-webhook/0.2';

/**
 * Sends every due webhook delivery from the outbox, round after round until none is due.
 * Deliveries are claimed with one UPDATE over a SKIP LOCKED sub-select that sets `locked_until`,
 * so replicas running this job at once never send the same delivery at the same time.
 */
export async function deliverDueWebhooks(deps: Pick<Deps, 'db' | 'config' | 'now' | 'logger' | 'metrics'>): Promise<number> {
  let sent = 0;
  for (;;) {
    const claimed = await claimDueDeliveries(deps);
    await Promise.all(claimed.map((row) => deliverOne(deps, row)));
    sent += claimed.length;
    if (claimed.length < batchSize) return sent;
  }
}

async function claimDueDeliveries(deps: Pick<Deps, 'db' | 'now'>): Promise<DeliveryRow[]> {
  const now = deps.now();
  const db = deps.db.db;
  const due = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, 'pending'),
        lte(webhookDeliveries.nextAttemptAt, now),
        or(isNull(webhookDeliveries.lockedUntil), lt(webhookDeliveries.lockedUntil, now)),
      ),
    )
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(batchSize)
    .for('update', { skipLocked: true });
  return db
    .update(webhookDeliveries)
    .set({ lockedUntil: new Date(now.getTime() + lockMs) })
    .where(inArray(webhookDeliveries.id, due))
    .returning();
}

async function deliverOne(deps: Pick<Deps, 'db' | 'config' | 'now' | 'logger' | 'metrics'>, row: DeliveryRow): Promise<void> {
  const attempt = row.attempts + 1;
  let outcome: WebhookOutcome;
  let attemptedAt = deps.now();
  try {
    const request = await buildRequest(deps, row, attempt);
    attemptedAt = deps.now();
    outcome = await sendWebhook(request);
  } catch (err) {
    // Not the receiver's fault (e.g. a malformed stored URI): record it like any failed attempt.
    outcome = { ok: false, statusCode: null, error: err instanceof Error ? err.message : String(err), durationMs: 0 };
  }
  await recordAttempt(deps, row, attempt, attemptedAt, outcome);
}

async function buildRequest(deps: Pick<Deps, 'db' | 'config' | 'now'>, row: DeliveryRow, attempt: number) {
  const task = row.payload as Task;
  const event = webhookEventOf(task);
  const method = (row.method.replace(/^HTTP:/, '') || 'POST') as 'POST' | 'PUT' | 'GET';
  const url = new URL(row.uri);
  let body = '';
  if (method === 'GET') {
    url.searchParams.set('taskId', String(task.id));
    url.searchParams.set('event', event);
  } else {
    const payload: WebhookPayload = { event, task };
    body = JSON.stringify(payload);
  }
  const secret = await getWebhookSecret(deps.db.db, row.appId);
  // The id of the request that scheduled the task, so the app can tie the call to it.
  const [scheduled] = await deps.db.query('SELECT request_id FROM tasks WHERE id = $1', [row.taskId]);
  const requestId = typeof scheduled?.request_id === 'string' ? scheduled.request_id : undefined;
  const timestamp = Math.floor(deps.now().getTime() / 1000);
  return {
    url,
    method,
    body,
    allowPrivate: deps.config.TASKPROC_WEBHOOK_ALLOW_PRIVATE,
    timeoutMs: webhookTimeoutMs,
    headers: {
      'content-type': 'application/json',
      'user-agent': userAgent,
      [headers.webhookEvent]: event,
      [headers.webhookDelivery]: String(row.id),
      [headers.webhookAttempt]: String(attempt),
      ...(requestId ? { [headers.requestId]: requestId } : {}),
      // A GET call has no body: its signature covers the query (task id and event) instead.
      [headers.webhookSignature]: signWebhook(secret, method === 'GET' ? url.search.slice(1) : body, timestamp),
    },
  };
}

/** The webhook event of a task that reached a terminal status. */
export function webhookEventOf(task: Pick<Task, 'status'>): WebhookEventName {
  return task.status === 'successful' ? 'task.successful' : task.status === 'cancelled' ? 'task.cancelled' : 'task.failed';
}

async function recordAttempt(
  deps: Pick<Deps, 'db' | 'config' | 'now' | 'logger' | 'metrics'>,
  row: DeliveryRow,
  attempt: number,
  attemptedAt: Date,
  outcome: WebhookOutcome,
): Promise<void> {
  const now = deps.now();
  const exhausted = attempt >= deps.config.TASKPROC_WEBHOOK_MAX_ATTEMPTS;
  const status = outcome.ok ? 'delivered' : exhausted ? 'failed' : 'pending';
  deps.metrics.webhookAttempt(status === 'pending' ? 'retry' : status);
  await deps.db.db.transaction(async (tx) => {
    await tx.insert(webhookAttempts).values({
      deliveryId: row.id,
      attemptedAt,
      statusCode: outcome.statusCode,
      error: outcome.error,
      durationMs: outcome.durationMs,
    });
    // Guarded by our lock: a replica that took the delivery over after our lock ran out owns it now.
    await tx
      .update(webhookDeliveries)
      .set({
        status,
        attempts: attempt,
        lockedUntil: null,
        lastError: outcome.error,
        deliveredAt: outcome.ok ? now : null,
        nextAttemptAt: status === 'pending' ? new Date(now.getTime() + backoffMs(deps.config.TASKPROC_WEBHOOK_BACKOFF_MS, attempt)) : row.nextAttemptAt,
      })
      .where(and(eq(webhookDeliveries.id, row.id), eq(webhookDeliveries.lockedUntil, row.lockedUntil!)));
  });
  if (!outcome.ok) {
    deps.logger.info({ deliveryId: row.id, taskId: row.taskId, attempt, status, error: outcome.error }, 'webhook attempt failed');
  }
}

/** Wait before the attempt after `attempt`: base × 2^(attempt-1), ±20 % jitter, at most 1 h. */
export function backoffMs(baseMs: number, attempt: number, random: () => number = Math.random): number {
  const exponential = baseMs * 2 ** Math.min(attempt - 1, 40);
  return Math.round(Math.min(maxBackoffMs, exponential * (0.8 + 0.4 * random())));
}
