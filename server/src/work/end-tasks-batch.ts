import type { Deps } from '../deps.ts';
import { dateOrNull } from '../db/raw-values.ts';
import type { TaskRow } from '../tasks/task-json.ts';
import { taskColumns, taskRowOf } from '../tasks/task-row-of.ts';
import { recordEventsSql } from '../events/record-events-sql.ts';
import { taskJsonSql } from '../tasks/task-json-sql.ts';

/** One checked report: the terminal state it leads to, written only if the lease still holds. */
export interface TaskEnding {
  taskId: number;
  leaseId: string;
  providerId: string;
  status: 'successful' | 'failed';
  output: Record<string, unknown> | null;
  errorMessage: string | null;
  userFacingErrorMessage: string | null;
}

// Ends many tasks in one statement: each row is fenced by task id, lease, provider and status, so
// a report whose lease was lost, cancelled or already ended matches nothing and is left to the
// caller's exact path. Events and webhook outbox rows commit with the change.
const endTasks = (returning: string) => `
  WITH r AS (
    SELECT * FROM unnest($1::int[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
      AS r(id, lease_id, provider_id, status, output, error_message, user_message)
  ),
  ended AS (
    UPDATE tasks t SET status = r.status, output = r.output::jsonb,
      progress = CASE WHEN r.status = 'successful' THEN 1 ELSE t.progress END,
      ended_at = $8::timestamptz, last_updated = $8::timestamptz, lease_expires_at = NULL,
      error_message = r.error_message, user_facing_error_message = r.user_message
    FROM r
    WHERE t.id = r.id AND t.lease_id = r.lease_id AND t.provider_id = r.provider_id AND t.status = 'running'
    RETURNING t.*
  ),
  events AS (${recordEventsSql('ended', 'status')}),
  hooks AS (
    INSERT INTO webhook_deliveries (task_id, app_id, uri, method, payload)
    SELECT id, app_id, webhook_uri, COALESCE(webhook_method, 'HTTP:POST'), ${taskJsonSql('ended', { input: true })}
    FROM ended WHERE webhook_uri IS NOT NULL
  )
  SELECT ${returning} FROM ended`;

/** Answers with whole tasks, for reports that want them back. */
export const endTasksSql = endTasks(taskColumns);
/** Only what the minimal answer and the bookkeeping need: input and output are not sent back. */
export const endTasksBriefSql = endTasks('id, status, app_id, type, priority, webhook_uri, started_at');

export interface EndedTask {
  id: number;
  status: 'successful' | 'failed';
  appId: string;
  webhook: boolean;
  type: string;
  startedAt: Date | null;
  /** The whole row, when asked for. */
  row?: TaskRow;
}

/** Writes the endings whose lease still holds; the tasks that matched, in no particular order. */
export async function endTasksBatch(
  deps: Pick<Deps, 'db' | 'signals' | 'now'>,
  endings: readonly TaskEnding[],
  options: { rows: boolean },
): Promise<EndedTask[]> {
  if (endings.length === 0) return [];
  const raw = await deps.db.query(options.rows ? endTasksSql : endTasksBriefSql, [
    endings.map((e) => e.taskId),
    endings.map((e) => e.leaseId),
    endings.map((e) => e.providerId),
    endings.map((e) => e.status),
    endings.map((e) => (e.output === null ? null : JSON.stringify(e.output))),
    endings.map((e) => e.errorMessage),
    endings.map((e) => e.userFacingErrorMessage),
    deps.now().toISOString(),
  ]);
  return raw.map((r) => ({
    id: Number(r.id),
    status: r.status as EndedTask['status'],
    appId: r.app_id as string,
    webhook: r.webhook_uri !== null,
    type: r.type as string,
    startedAt: dateOrNull(r.started_at),
    ...(options.rows ? { row: taskRowOf(r) } : {}),
  }));
}
