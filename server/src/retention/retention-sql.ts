/**
 * The statements of retention (prune-finished-tasks.ts): texts with `$n` parameters, the same
 * for each lock mode and batch size, so PostgreSQL prepares each once per connection.
 *
 * A task is prunable when it ended (successful, failed, cancelled) before the cutoff, is not kept
 * longer (keep_until unset or passed), and no webhook delivery of it is still pending: its app
 * has not heard of its end yet, and an attempt in flight would log to a delivery that is gone.
 * Unfinished tasks never match: the status test is the first condition, and it is the predicate
 * of tasks_ended_idx, so the walk only ever sees finished tasks.
 */
const prunable = (t: string, cutoff: string, now: string) => `${t}.status IN ('successful', 'failed', 'cancelled')
    AND ${t}.ended_at < ${cutoff}::timestamptz
    AND (${t}.keep_until IS NULL OR ${t}.keep_until < ${now}::timestamptz)
    AND NOT EXISTS (SELECT 1 FROM webhook_deliveries w WHERE w.task_id = ${t}.id AND w.status = 'pending')`;

/** A file that a task outside `doomed` names in its input (tasks_input_files_idx answers it). */
const usedByOthers = (f: string) =>
  `EXISTS (SELECT 1 FROM tasks u WHERE u.input_file_ids @> ARRAY[${f}.id] AND u.id NOT IN (SELECT id FROM doomed))`;

/**
 * The advisory lock that lets one replica prune at a time. Taken per batch, for the statement's
 * transaction: the automatic job tries it and gives up its run when another replica holds it;
 * an admin's cleanup waits for it (at most one batch of the other's).
 */
export const retentionLockKey = 7267245003;
const locks = {
  try: 'SELECT pg_try_advisory_xact_lock($1::bigint) AS ok',
  wait: 'SELECT true AS ok FROM (SELECT pg_advisory_xact_lock($1::bigint)) AS l',
};
export type LockMode = keyof typeof locks;

// The batch size is written into the text, not passed: with LIMIT as a parameter, a generic
// plan of the prepared statement expects a huge batch and joins files, events and deliveries by
// sequential scans; with the number, every plan probes their task_id indexes.
const batchLimit = (size: number) => {
  if (!Number.isSafeInteger(size) || size < 1) throw new Error(`batch size must be a positive integer, not ${size}`);
  return `LIMIT ${size}`;
};

/**
 * One batch of tasks, removed with everything that is theirs, in one statement (one
 * transaction). $1 lock key, $2 cutoff, $3 now.
 *
 * Their output files go, except those a remaining task uses as input (an app may schedule with
 * an earlier task's output): those are kept as uploads (task_id cleared) and go with the uploads
 * once nothing uses them. The UPDATE and the DELETE of files test the same condition on the same
 * snapshot, so they never touch the same row. The answer carries the storage keys: the bytes are
 * removed after the commit.
 */
export const pruneTasksBatchSql = (lock: LockMode, batchSize: number) => `
  WITH lock AS MATERIALIZED (${locks[lock]}),
  doomed AS (
    SELECT t.id FROM tasks t
    WHERE (SELECT ok FROM lock) AND ${prunable('t', '$2', '$3')}
    ORDER BY t.ended_at
    ${batchLimit(batchSize)}
    FOR UPDATE OF t SKIP LOCKED
  ),
  gone_tasks AS (DELETE FROM tasks t USING doomed d WHERE t.id = d.id RETURNING t.id),
  kept_outputs AS (
    UPDATE files f SET task_id = NULL FROM doomed d WHERE f.task_id = d.id AND ${usedByOthers('f')} RETURNING f.id
  ),
  gone_files AS (
    DELETE FROM files f USING doomed d WHERE f.task_id = d.id AND NOT ${usedByOthers('f')} RETURNING f.storage_key
  ),
  gone_events AS (DELETE FROM task_events e USING doomed d WHERE e.task_id = d.id RETURNING e.id),
  gone_deliveries AS (DELETE FROM webhook_deliveries w USING doomed d WHERE w.task_id = d.id RETURNING w.id),
  gone_attempts AS (DELETE FROM webhook_attempts a USING gone_deliveries w WHERE a.delivery_id = w.id RETURNING a.id)
  SELECT (SELECT ok FROM lock) AS locked,
    (SELECT count(*) FROM gone_tasks) AS tasks,
    (SELECT coalesce(json_agg(storage_key), '[]'::json) FROM gone_files) AS storage_keys,
    (SELECT count(*) FROM kept_outputs) AS kept_outputs,
    (SELECT count(*) FROM gone_events) AS events,
    (SELECT count(*) FROM gone_deliveries) AS deliveries,
    (SELECT count(*) FROM gone_attempts) AS attempts`;

/**
 * One batch of uploads (files no provider produced) created before the cutoff that no task
 * names in its input. $1 lock key, $2 upload cutoff.
 */
export const pruneUploadsBatchSql = (lock: LockMode, batchSize: number) => `
  WITH lock AS MATERIALIZED (${locks[lock]}),
  doomed AS (
    SELECT f.id FROM files f
    WHERE (SELECT ok FROM lock) AND f.task_id IS NULL AND f.created_at < $2::timestamptz
      AND NOT EXISTS (SELECT 1 FROM tasks u WHERE u.input_file_ids @> ARRAY[f.id])
    ORDER BY f.created_at
    ${batchLimit(batchSize)}
    FOR UPDATE OF f SKIP LOCKED
  ),
  gone AS (DELETE FROM files f USING doomed d WHERE f.id = d.id RETURNING f.storage_key)
  SELECT (SELECT ok FROM lock) AS locked,
    (SELECT coalesce(json_agg(storage_key), '[]'::json) FROM gone) AS storage_keys`;

/**
 * What a prune with the same parameters would remove, counted and nothing removed (dryRun).
 * $1 cutoff, $2 now, $3 upload cutoff. An upload counts when no task that would remain uses it:
 * the prune removes uploads after the tasks, so one used only by removed tasks goes too.
 */
export const countPrunableSql = `
  WITH doomed AS MATERIALIZED (SELECT t.id FROM tasks t WHERE ${prunable('t', '$1', '$2')}),
  deliveries AS MATERIALIZED (SELECT w.id FROM webhook_deliveries w WHERE w.task_id IN (SELECT id FROM doomed))
  SELECT (SELECT count(*) FROM doomed) AS tasks,
    (SELECT count(*) FROM files f WHERE f.task_id IN (SELECT id FROM doomed) AND NOT ${usedByOthers('f')}) AS outputs,
    (SELECT count(*) FROM files f WHERE f.task_id IS NULL AND f.created_at < $3::timestamptz AND NOT ${usedByOthers('f')}) AS uploads,
    (SELECT count(*) FROM task_events e WHERE e.task_id IN (SELECT id FROM doomed)) AS events,
    (SELECT count(*) FROM deliveries) AS deliveries,
    (SELECT count(*) FROM webhook_attempts a WHERE a.delivery_id IN (SELECT id FROM deliveries)) AS attempts`;
