import { isDeepStrictEqual } from 'node:util';
import { and, eq, inArray } from 'drizzle-orm';
import { validateSlots, type ResultRequest, type SlotError } from '@taskproc/spec';
import type { Principal } from '../auth/tokens.ts';
import type { Deps } from '../deps.ts';
import type { Executor } from '../db/create-db.ts';
import { files, tasks } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { recordTaskEvents } from '../events/record-task-event.ts';
import { descriptorOf, type ProviderRow } from '../providers/provider-rows.ts';
import { outputRules } from '../providers/slot-rules.ts';
import type { TaskTypeCache } from '../providers/task-type-cache.ts';
import type { TaskRow } from '../tasks/task-json.ts';
import { loadHeldTask } from './held-task.ts';

export type CompletionOutcome = { kind: 'ended'; row: TaskRow } | { kind: 'invalid_output'; row: TaskRow; error: SlotError };

/** What the user reads when a provider's output was unusable. */
export const invalidOutputUserMessage = 'The AI provider returned an unusable result.';

/** What admins read when a provider's output was unusable. */
export function invalidOutputErrorMessage(providerId: string | null, error: SlotError): string {
  return `provider ${providerId} returned invalid output: ${error.detail}`;
}

/**
 * A provider's result: valid output -> successful, an error -> failed, invalid output -> failed
 * with an error naming the slot (so the app is never left waiting). Repeating the same report for
 * the same lease answers like the first time and changes nothing.
 */
export async function completeTask(
  deps: Deps,
  principal: Principal,
  taskId: number,
  report: ResultRequest,
): Promise<CompletionOutcome & { changed: boolean }> {
  const now = deps.now();
  const outcome = await deps.db.db.transaction(async (tx) => {
    const { row, provider } = await loadHeldTask(tx, principal, taskId, report.leaseId);
    const check = 'output' in report ? await checkOutput(tx, deps.taskTypes, row, provider, report.output) : undefined;

    if (row.status !== 'running') return { ...repeatedReport(row, report, check), changed: false, outbox: false };

    if (check && !check.ok) {
      const [failed] = await tx
        .update(tasks)
        .set({
          status: 'failed',
          endedAt: now,
          lastUpdated: now,
          leaseExpiresAt: null,
          errorMessage: invalidOutputErrorMessage(row.providerId, check.error),
          userFacingErrorMessage: invalidOutputUserMessage,
        })
        .where(eq(tasks.id, row.id))
        .returning();
      const outbox = await recordTaskEvents(tx, [failed!], 'failed');
      return { kind: 'invalid_output', row: failed!, error: check.error, changed: true, outbox } as const;
    }
    const [ended] = await tx
      .update(tasks)
      .set(
        check?.ok
          ? { status: 'successful', output: check.values, progress: 1, endedAt: now, lastUpdated: now, leaseExpiresAt: null }
          : {
              status: 'failed',
              endedAt: now,
              lastUpdated: now,
              leaseExpiresAt: null,
              errorMessage: 'error' in report ? report.error.message : null,
              userFacingErrorMessage: 'error' in report ? (report.error.userFacingMessage ?? null) : null,
            },
      )
      .where(eq(tasks.id, row.id))
      .returning();
    const outbox = await recordTaskEvents(tx, [ended!], ended!.status === 'successful' ? 'successful' : 'failed');
    return { kind: 'ended', row: ended!, changed: true, outbox } as const;
  });
  if (outcome.changed) {
    deps.leases.remove(report.leaseId);
    deps.signals.taskChanged({ taskId: outcome.row.id, appId: outcome.row.appId, outbox: outcome.outbox, row: outcome.row });
  }
  return outcome;
}

type OutputCheck = { ok: true; values: Record<string, unknown> } | { ok: false; error: SlotError };

async function checkOutput(
  tx: Executor,
  taskTypes: TaskTypeCache,
  row: TaskRow,
  provider: ProviderRow,
  output: Record<string, unknown>,
): Promise<OutputCheck> {
  const type = await taskTypes.find(tx, row.type);
  if (!type) return { ok: false, error: { code: 'unknown_slot', slot: '', detail: `task type ${row.type} is gone` } };
  const result = validateSlots(output, outputRules(type.type, descriptorOf(provider)), 'output');
  if (!result.ok) return result;
  const ids = [...new Set(result.files.map((f) => f.fileId))];
  if (ids.length > 0) {
    // Output files must be ones the provider uploaded for this very task.
    const found = await tx
      .select({ id: files.id })
      .from(files)
      .where(and(inArray(files.id, ids), eq(files.taskId, row.id)));
    const missing = result.files.find((f) => !found.some((x) => x.id === f.fileId));
    if (missing) {
      return {
        ok: false,
        error: {
          code: 'invalid_slot_value',
          slot: missing.slot,
          detail: `output slot "${missing.slot}" names file ${missing.fileId}, which was not uploaded for task ${row.id} (POST /v1/work/${row.id}/files)`,
        },
      };
    }
  }
  return { ok: true, values: result.values };
}

/** The task already ended under this lease: the same report gets the same answer, another is refused. */
function repeatedReport(row: TaskRow, report: ResultRequest, check: OutputCheck | undefined): CompletionOutcome {
  if (check && !check.ok && row.status === 'failed' && row.userFacingErrorMessage === invalidOutputUserMessage) {
    return { kind: 'invalid_output', row, error: check.error };
  }
  const same =
    'output' in report
      ? row.status === 'successful' && check?.ok === true && isDeepStrictEqual(row.output, check.values)
      : row.status === 'failed' && row.errorMessage === report.error.message;
  if (same) return { kind: 'ended', row };
  throw new ApiError('result_conflict', `task ${row.id} already ended (${row.status}) with a different result under this lease`);
}
