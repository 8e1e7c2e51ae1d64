import type { StreamItem, StreamOutcome } from '@taskproc/spec';
import type { Principal } from '../auth/tokens.ts';
import type { Deps } from '../deps.ts';
import { numberOf } from '../db/raw-values.ts';
import { ApiError } from '../errors.ts';
import { problemBody } from '../http/problem.ts';
import { leaseRefusal } from './held-task.ts';

// One statement for the whole batch: each delta whose lease still holds and whose seq is new is
// stored as a `delta` event, in the order sent, and its seq is kept on the task. The UPDATE locks
// the task row, so a cancel or a result of the same task commits wholly before or after it: a
// delta's event id is never after the task's terminal event. The UPDATE changes no indexed
// column (HOT), so a stream costs no index writes on `tasks`. $5: the app whose providers may
// write (null for an admin).
const storeDeltasSql = `
  WITH input AS (
    SELECT * FROM unnest($1::int[], $2::uuid[], $3::int[], $4::jsonb[]) WITH ORDINALITY AS i(task_id, lease_id, seq, delta, n)
  ),
  accepted AS (
    UPDATE tasks t SET stream_seq = i.seq
    FROM input i
    WHERE t.id = i.task_id AND t.lease_id = i.lease_id AND t.status = 'running' AND t.stream_seq < i.seq
      AND ($5::text IS NULL OR t.provider_id IN (SELECT id FROM providers WHERE app_id = $5::text))
    RETURNING t.id, t.app_id, t.attempts, i.delta, i.n
  ),
  events AS (
    INSERT INTO task_events (task_id, app_id, kind, attempts, output)
    SELECT id, app_id, 'delta', attempts, delta FROM accepted ORDER BY n
  )
  SELECT id, app_id FROM accepted`;

// Why a delta was not stored: read only for those, to answer each precisely.
const explainSql = `
  SELECT t.id, t.status, t.lease_id, t.stream_seq, p.app_id AS provider_app_id
  FROM tasks t LEFT JOIN providers p ON p.id = t.provider_id
  WHERE t.id = ANY($1::int[])`;

/**
 * Stores partial output of the tasks a provider holds (POST /v1/work/stream) and answers one
 * outcome per item, as a progress report would be answered: a delta of a cancelled task gets 409
 * task_cancelled (which is how a streaming provider learns to stop between heartbeats), of a
 * lost lease 409 lease_lost. A repeated seq answers 200 without storing again.
 */
export async function storeDeltas(
  deps: Pick<Deps, 'db' | 'signals'>,
  principal: Principal,
  items: readonly StreamItem[],
  requestId: string | undefined,
): Promise<StreamOutcome[]> {
  const appScope = principal.role === 'admin' ? null : principal.appId;
  const stored = await deps.db.query(storeDeltasSql, [
    items.map((i) => i.taskId),
    items.map((i) => i.leaseId),
    items.map((i) => i.seq),
    items.map((i) => JSON.stringify(i.delta)),
    appScope,
  ]);
  const accepted = new Set(stored.map((row) => numberOf(row.id)));
  deps.signals.tasksChanged(stored.map((row) => ({ taskId: numberOf(row.id), appId: row.app_id as string, delta: true })));
  if (accepted.size === items.length) return items.map((i) => ({ taskId: i.taskId, status: 200 }));

  const refused = items.filter((i) => !accepted.has(i.taskId));
  const rows = await deps.db.query(explainSql, [refused.map((i) => i.taskId)]);
  const byId = new Map(rows.map((row) => [numberOf(row.id), row]));
  return items.map((item) => {
    if (accepted.has(item.taskId)) return { taskId: item.taskId, status: 200 };
    const row = byId.get(item.taskId);
    const refusal = refusalOf(item, row, appScope);
    if (!refusal) return { taskId: item.taskId, status: 200, repeated: true };
    return { taskId: item.taskId, status: refusal.status, problem: problemBody(refusal.code, refusal.detail, refusal.extra, requestId) };
  });
}

/** Why the delta was refused; undefined when it was a repeat (its lease holds, its seq was stored). */
function refusalOf(item: StreamItem, row: Record<string, unknown> | undefined, appScope: string | null): ApiError | undefined {
  const held = row && (appScope === null || row.provider_app_id === appScope) ? { status: String(row.status), leaseId: row.lease_id as string | null } : undefined;
  const refusal = leaseRefusal(item.taskId, item.leaseId, held);
  if (refusal) return refusal;
  // A task that ended keeps its last lease id (for repeated results); a delta is too late for it.
  if (held?.status !== 'running') return new ApiError('lease_lost', `lease ${item.leaseId} of task ${item.taskId} is not held any more`);
  // The lease holds: the seq was stored already (a retry), or overtaken by a later one.
  return undefined;
}
