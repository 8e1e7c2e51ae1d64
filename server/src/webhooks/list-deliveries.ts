import { asc, eq, inArray } from 'drizzle-orm';
import type { Task, WebhookDelivery } from '@taskproc/spec';
import type { Executor } from '../db/create-db.ts';
import { webhookAttempts, webhookDeliveries } from '../db/schema.ts';
import { webhookEventOf } from './deliver-webhooks.ts';

/** A task's webhook deliveries with every attempt, oldest first (the caller checked access to the task). */
export async function listWebhookDeliveries(db: Executor, taskId: number): Promise<WebhookDelivery[]> {
  const deliveries = await db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.taskId, taskId))
    .orderBy(asc(webhookDeliveries.id));
  if (deliveries.length === 0) return [];
  const attempts = await db
    .select()
    .from(webhookAttempts)
    .where(inArray(webhookAttempts.deliveryId, deliveries.map((d) => d.id)))
    .orderBy(asc(webhookAttempts.id));
  return deliveries.map((d) => ({
    id: d.id,
    event: webhookEventOf(d.payload as Task),
    uri: d.uri,
    method: d.method as WebhookDelivery['method'],
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt.toISOString() : null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    lastError: d.lastError,
    createdAt: d.createdAt.toISOString(),
    attemptLog: attempts
      .filter((a) => a.deliveryId === d.id)
      .map((a) => ({
        attemptedAt: a.attemptedAt.toISOString(),
        statusCode: a.statusCode,
        error: a.error,
        durationMs: a.durationMs,
      })),
  }));
}
