/**
 * The SQL twin of recordTaskEvents for the hot path's single statements: an INSERT of event rows
 * copied from the task rows that `cte` returned (RETURNING t.*), one per row, of `kind` (an SQL
 * expression: a quoted literal, or a column such as `status`). Only the mutable fields are
 * copied (see taskEvents in db/schema.ts): plain columns, no JSON to build.
 */
export function recordEventsSql(cte: string, kind: string, where = 'true'): string {
  return `INSERT INTO task_events (task_id, app_id, kind, status, progress, attempts, provider_id, output,
      started_at, ended_at, last_updated, error_message, user_facing_error_message)
    SELECT id, app_id, ${kind}, status, progress, attempts, provider_id, output,
      started_at, ended_at, last_updated, error_message, user_facing_error_message
    FROM ${cte} WHERE ${where}`;
}
