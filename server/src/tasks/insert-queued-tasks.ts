import type { Deps } from '../deps.ts';
import { recordEventsSql } from '../events/record-events-sql.ts';
import type { NewTask } from './insert-task.ts';
import type { TaskRow } from './task-json.ts';
import { taskColumns, taskRowOf } from './task-row-of.ts';

// Many queued tasks and their `scheduled` events in one statement, as insert-task.ts writes one.
// Timestamps, flags, JSON and file lists travel as text and are cast here: both drivers send
// text and number arrays as they are (postgres.js types a boolean array as a single boolean).
// Rows go in in the order the tasks came (ORDER BY ord), so their ids do too; events are written
// in id order, as one statement per task would have. ON CONFLICT skips a task whose
// Idempotency-Key is taken, and the caller reads the earlier one.
const insertQueuedSql = `
  WITH i AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[],
      $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
      $16::text[], $17::text[]) WITH ORDINALITY
      AS i(type, app_id, user_id, custom_id, input, priority, max_attempts, now, completion_expected_at,
        webhook_uri, webhook_method, idempotency_key, request_hash, prefer_streaming, keep_until, request_id,
        input_file_ids, ord)
  ),
  ins AS (
    INSERT INTO tasks AS t (type, status, app_id, user_id, custom_id, input, priority, max_attempts,
      scheduled_at, last_updated, completion_expected_at, webhook_uri, webhook_method, idempotency_key,
      request_hash, prefer_streaming, keep_until, request_id, input_file_ids)
    SELECT type, 'scheduled', app_id, user_id, custom_id, input::jsonb, priority, max_attempts,
      now::timestamptz, now::timestamptz, completion_expected_at::timestamptz, webhook_uri, webhook_method,
      idempotency_key, request_hash, prefer_streaming::boolean, keep_until::timestamptz, request_id, input_file_ids::int[]
    FROM i ORDER BY ord
    ON CONFLICT (app_id, idempotency_key) DO NOTHING
    RETURNING t.*
  ),
  events AS (${recordEventsSql('(SELECT * FROM ins ORDER BY id) AS ins', `'scheduled'`)})
  SELECT ${taskColumns} FROM ins ORDER BY id`;

/**
 * Inserts queued tasks (none handed off) in one statement. Answers, for each task in order, its
 * row, or undefined when its Idempotency-Key was taken (by an earlier task, or by one before it
 * in the same batch).
 */
export async function insertQueuedTasks(deps: Pick<Deps, 'db'>, batch: readonly NewTask[]): Promise<Array<TaskRow | undefined>> {
  const column = <V>(pick: (task: NewTask) => V) => batch.map(pick);
  const iso = (at: Date | null) => at?.toISOString() ?? null;
  const rows = await deps.db.query(insertQueuedSql, [
    column((t) => t.type),
    column((t) => t.appId),
    column((t) => t.userId),
    column((t) => t.customId),
    column((t) => JSON.stringify(t.input)),
    column((t) => t.priority),
    column((t) => t.maxAttempts),
    column((t) => iso(t.now)),
    column((t) => iso(t.completionExpectedAt)),
    column((t) => t.webhookUri),
    column((t) => t.webhookMethod),
    column((t) => t.idempotencyKey),
    column((t) => t.requestHash),
    column((t) => String(t.preferStreaming)),
    column((t) => iso(t.keepUntil)),
    column((t) => t.requestId),
    column((t) => (t.inputFileIds.length > 0 ? `{${t.inputFileIds.join(',')}}` : null)),
  ]);
  // Rows come in id order, which is the tasks' order: the unkeyed ones are all there, in turn;
  // a keyed one is there when its key is.
  const inserted = rows.map(taskRowOf);
  const keyed = new Map(inserted.filter((r) => r.idempotencyKey !== null).map((r) => [keyOf(r.appId, r.idempotencyKey!), r]));
  const unkeyed = inserted.filter((r) => r.idempotencyKey === null).values();
  return batch.map((task) => {
    if (task.idempotencyKey === null) return unkeyed.next().value;
    const key = keyOf(task.appId, task.idempotencyKey);
    const row = keyed.get(key);
    // The first task of the batch with a key got the row; a later one with it was skipped.
    keyed.delete(key);
    return row;
  });
}

function keyOf(appId: string, key: string): string {
  return `${appId}\u0000${key}`;
}
