import type { Deps } from '../deps.ts';
import type { TaskRow } from './task-json.ts';
import { taskColumns, taskRowOf } from './task-row-of.ts';

/** A task to insert, checked and complete. */
export interface NewTask {
  type: string;
  appId: string;
  userId: string | null;
  customId: string | null;
  input: Record<string, unknown>;
  priority: number;
  maxAttempts: number;
  now: Date;
  completionExpectedAt: Date;
  webhookUri: string | null;
  webhookMethod: string | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  preferStreaming: boolean;
  keepUntil: Date | null;
  /** X-Request-Id of the schedule request. */
  requestId: string | null;
  /** Files named in the input's file slots (empty: none; stored as null). */
  inputFileIds: readonly number[];
}

/** A parked claim the task may go to directly. */
export interface HandoffTarget {
  providerId: string;
  leaseMs: number;
}

// One statement: the task and its events, committed together. With a
// hand-off target ($14) the task is inserted already running under a new lease, unless a task of
// its type with at least its priority waits (that one is owed the claim first): then it is
// queued like any other. A handed-off task gets its `running` event right after its `scheduled`
// one, so every task's history on the stream starts the same way. ON CONFLICT answers nothing when the Idempotency-Key was
// used already; the caller reads the earlier task then.
//
// Two texts, with and without the hand-off, rather than one testing `$14 IS NOT NULL`: with the
// test, a plan made for the values at hand (no target: the queue check folds away) always looked
// cheaper than the generic one, so PostgreSQL planned the statement again on every execution
// (pg_prepared_statements: 0 generic plans; its bind took 0.33 ms, twice the execution).
const insertTaskSql = (handoff: boolean) => `
  WITH handoff AS (
    SELECT ${
      handoff ? `NOT EXISTS (SELECT 1 FROM tasks WHERE status = 'scheduled' AND type = $1::text AND priority >= $6::int)` : 'false'
    } AS taken
  ),
  ins AS (
    INSERT INTO tasks AS t (type, status, app_id, user_id, custom_id, input, priority, max_attempts,
      scheduled_at, last_updated, completion_expected_at, webhook_uri, webhook_method, idempotency_key,
      request_hash, provider_id, lease_id, lease_expires_at, lease_ms, attempts, started_at, prefer_streaming,
      keep_until, request_id, input_file_ids)
    SELECT $1, CASE WHEN h.taken THEN 'running' ELSE 'scheduled' END, $2, $3, $4, $5::jsonb, $6, $7,
      $8::timestamptz, $8::timestamptz, $9::timestamptz, $10, $11, $12, $13,
      CASE WHEN h.taken THEN $14::text END, CASE WHEN h.taken THEN gen_random_uuid() END,
      CASE WHEN h.taken THEN $8::timestamptz + $15::int * interval '1 millisecond' END,
      CASE WHEN h.taken THEN $15::int END, CASE WHEN h.taken THEN 1 ELSE 0 END,
      CASE WHEN h.taken THEN $8::timestamptz END, $16::boolean,
      $17::timestamptz, $18::text, $19::int[]
    FROM handoff h
    ON CONFLICT (app_id, idempotency_key) DO NOTHING
    RETURNING t.*
  ),
  -- A handed-off task's history still starts with \`scheduled\` (as it would have been queued), then
  -- \`running\`: one INSERT whose rows come in that order, so the event ids do too.
  events AS (
    INSERT INTO task_events (task_id, app_id, kind, status, progress, attempts, provider_id, output,
      started_at, ended_at, last_updated, error_message, user_facing_error_message)
    SELECT ins.id, ins.app_id, e.kind, e.kind, ins.progress, e.attempts, e.provider_id, ins.output,
      e.started_at, ins.ended_at, ins.last_updated, ins.error_message, ins.user_facing_error_message
    FROM ins CROSS JOIN LATERAL (VALUES
      (1, 'scheduled', 0, NULL::text, NULL::timestamptz),
      (2, 'running', ins.attempts, ins.provider_id, ins.started_at)
    ) AS e(n, kind, attempts, provider_id, started_at)
    WHERE e.n = 1 OR ins.status = 'running'
    ORDER BY e.n
  )
  SELECT ${taskColumns} FROM ins`;
const queueSql = insertTaskSql(false);
const handOffSql = insertTaskSql(true);

/**
 * Inserts a task with its event; undefined when the Idempotency-Key was taken. The row says
 * whether it went to the hand-off target (status running) or to the queue (scheduled).
 */
export async function insertTask(deps: Pick<Deps, 'db'>, task: NewTask, handoff: HandoffTarget | undefined): Promise<TaskRow | undefined> {
  const { text, params } = insertTaskStatement(task, handoff);
  const [raw] = await deps.db.query(text, params);
  return raw ? taskRowOf(raw) : undefined;
}

/** The statement insertTask sends (exported for the test of its plans). */
export function insertTaskStatement(task: NewTask, handoff: HandoffTarget | undefined): { text: string; params: unknown[] } {
  const params = [
    task.type,
    task.appId,
    task.userId,
    task.customId,
    JSON.stringify(task.input),
    task.priority,
    task.maxAttempts,
    task.now.toISOString(),
    task.completionExpectedAt.toISOString(),
    task.webhookUri,
    task.webhookMethod,
    task.idempotencyKey,
    task.requestHash,
    handoff?.providerId ?? null,
    handoff?.leaseMs ?? 0,
    task.preferStreaming,
    task.keepUntil?.toISOString() ?? null,
    task.requestId,
    task.inputFileIds.length > 0 ? [...task.inputFileIds] : null,
  ];
  return { text: handoff ? handOffSql : queueSql, params };
}
