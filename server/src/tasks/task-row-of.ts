import { dateOf, dateOrNull, intArrayOrNull, jsonOf, jsonOrNull, numberOf } from '../db/raw-values.ts';
import type { RawRow } from '../db/create-db.ts';
import type { TaskRow } from './task-json.ts';

/** The columns of `tasks` as a raw statement lists them (RETURNING / SELECT), snake_case. */
export const taskColumns =
  'id, type, status, app_id, user_id, custom_id, input, output, progress, priority, attempts, max_attempts, ' +
  'provider_id, lease_id, lease_expires_at, lease_ms, scheduled_at, started_at, ended_at, last_updated, ' +
  'completion_expected_at, error_message, user_facing_error_message, webhook_uri, webhook_method, ' +
  'idempotency_key, request_hash, prefer_streaming, stream_seq, keep_until, request_id, input_file_ids';

/** A task row read by a raw statement (Db.query), in drizzle's shape, so the rest of the code sees one type. */
export function taskRowOf(raw: RawRow): TaskRow {
  return {
    id: numberOf(raw.id),
    type: raw.type as string,
    status: raw.status as TaskRow['status'],
    appId: raw.app_id as string,
    userId: raw.user_id as string | null,
    customId: raw.custom_id as string | null,
    input: jsonOf<Record<string, unknown>>(raw.input),
    output: jsonOrNull<Record<string, unknown>>(raw.output),
    progress: numberOf(raw.progress),
    priority: numberOf(raw.priority),
    attempts: numberOf(raw.attempts),
    maxAttempts: numberOf(raw.max_attempts),
    providerId: raw.provider_id as string | null,
    leaseId: raw.lease_id as string | null,
    leaseExpiresAt: dateOrNull(raw.lease_expires_at),
    leaseMs: raw.lease_ms === null ? null : numberOf(raw.lease_ms),
    scheduledAt: dateOf(raw.scheduled_at),
    startedAt: dateOrNull(raw.started_at),
    endedAt: dateOrNull(raw.ended_at),
    lastUpdated: dateOf(raw.last_updated),
    completionExpectedAt: dateOrNull(raw.completion_expected_at),
    errorMessage: raw.error_message as string | null,
    userFacingErrorMessage: raw.user_facing_error_message as string | null,
    webhookUri: raw.webhook_uri as string | null,
    webhookMethod: raw.webhook_method as string | null,
    idempotencyKey: raw.idempotency_key as string | null,
    requestHash: raw.request_hash as string | null,
    preferStreaming: raw.prefer_streaming as boolean,
    streamSeq: numberOf(raw.stream_seq),
    keepUntil: dateOrNull(raw.keep_until),
    requestId: raw.request_id as string | null,
    inputFileIds: intArrayOrNull(raw.input_file_ids),
  };
}
