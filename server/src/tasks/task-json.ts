import type { Task } from '@taskproc/spec';
import type { tasks } from '../db/schema.ts';

export type TaskRow = typeof tasks.$inferSelect;

/** The wire form of a task (spec `Task`). Lease details stay internal: only the holder sees them. */
export function toTaskJson(row: TaskRow): Task {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    appId: row.appId,
    userId: row.userId,
    customId: row.customId,
    input: row.input,
    output: row.output ?? null,
    progress: row.progress,
    priority: row.priority,
    attempts: row.attempts,
    providerId: row.providerId,
    scheduledAt: row.scheduledAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    endedAt: row.endedAt?.toISOString() ?? null,
    lastUpdated: row.lastUpdated.toISOString(),
    completionExpectedAt: row.completionExpectedAt?.toISOString() ?? null,
    errorMessage: row.errorMessage,
    userFacingErrorMessage: row.userFacingErrorMessage,
    webhookUri: row.webhookUri,
    webhookMethod: row.webhookMethod as Task['webhookMethod'],
    preferStreaming: row.preferStreaming,
    keepUntil: row.keepUntil?.toISOString() ?? null,
  };
}
