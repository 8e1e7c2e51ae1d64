import { createGroupCommit, validateSlots, type ResultRequest, type SlotError } from '@taskproc/spec';
import type { Principal } from '../auth/tokens.ts';
import type { Deps } from '../deps.ts';
import { descriptorOf } from '../providers/provider-rows.ts';
import { outputRules } from '../providers/slot-rules.ts';
import type { TaskRow } from '../tasks/task-json.ts';
import { completeTask, invalidOutputErrorMessage, invalidOutputUserMessage } from './complete-task.ts';
import { endTasksBatch, type EndedTask, type TaskEnding } from './end-tasks-batch.ts';
import { findOpenLease } from './open-leases.ts';
import { isTaskWatched } from '../events/task-watch.ts';

/** What a result report led to; refusals are thrown as ApiError, as on the single route. */
export type ReportOutcome =
  | { kind: 'ended'; state: 'successful' | 'failed'; row?: TaskRow; ended?: EndedHere }
  | { kind: 'invalid_output'; state: 'failed'; error: SlotError; row?: TaskRow; ended?: EndedHere };

/** Set when this report ended the task (not for a repeat of an earlier one): what the metrics count. */
export interface EndedHere {
  type: string;
  startedAt: Date | null;
}

export interface ResultReports {
  /**
   * Stores one report and answers what `POST /v1/work/{taskId}/result` answers. `rows`: the
   * caller wants the whole task back (not for `Prefer: return=minimal`).
   */
  report(principal: Principal, taskId: number, report: ResultRequest, options: { rows: boolean }): Promise<ReportOutcome>;
}

/** Reports ended per statement at most; also keeps the NOTIFY payload under PostgreSQL's 8,000 bytes. */
const maxPerStatement = 100;

interface Pending {
  ending: TaskEnding;
  invalid?: SlotError;
  rows: boolean;
  /** The exact path, for a report the batch did not match. */
  exact: () => Promise<ReportOutcome>;
  resolve: (outcome: ReportOutcome) => void;
  reject: (err: unknown) => void;
}

/**
 * Result reports, merged (createGroupCommit): reports that arrive while a statement is in flight
 * (from any request, single or batch) are written together by the next one, so a busy
 * coordinator ends many tasks per round trip and an idle one adds no delay.
 *
 * The fast path needs the lease to be one this coordinator handed out (leases in deps.leases), so
 * the output is checked without reading the task. Everything else (another replica's lease, file
 * outputs, a stale lease, a cancelled or already ended task, a repeat) goes the exact way,
 * completeTask, one task at a time with its precise answer.
 */
export function createResultReports(deps: Deps): ResultReports {
  const write = async (batch: Pending[]) => {
    let ended: EndedTask[];
    try {
      // Whole rows also when an app waits on one of the tasks here: its answer then needs no read.
      ended = await endTasksBatch(
        deps,
        batch.map((p) => p.ending),
        { rows: batch.some((p) => p.rows || isTaskWatched(deps.signals, p.ending.taskId)) },
      );
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    const byId = new Map(ended.map((e) => [e.id, e]));
    const changes = [];
    for (const p of batch) {
      const done = byId.get(p.ending.taskId);
      if (!done) {
        p.exact().then(p.resolve, p.reject);
        continue;
      }
      deps.leases.remove(p.ending.leaseId);
      changes.push({ taskId: done.id, appId: done.appId, outbox: done.webhook, row: done.row });
      const row = p.rows ? done.row : undefined;
      const ended = { type: done.type, startedAt: done.startedAt };
      p.resolve(
        p.invalid
          ? { kind: 'invalid_output', state: 'failed', error: p.invalid, row, ended }
          : { kind: 'ended', state: done.status, row, ended },
      );
    }
    deps.signals.tasksChanged(changes);
  };

  const submit = createGroupCommit(write, { maxPerBatch: maxPerStatement });
  const enqueue = (item: Omit<Pending, 'resolve' | 'reject'>) =>
    new Promise<ReportOutcome>((resolve, reject) => submit({ ...item, resolve, reject }));

  const reportOnce: ResultReports['report'] = async (principal, taskId, report, options) => {
    const exact = () => completeTask(deps, principal, taskId, report).then((o) => outcomeOf(o, options.rows));
    const open = await findOpenLease(deps, principal, taskId, report.leaseId);
    if (!open) return exact();
    const { lease, provider } = open;
    const base = { taskId, leaseId: report.leaseId, providerId: provider.id, output: null, errorMessage: null, userFacingErrorMessage: null };
    if ('error' in report) {
      const ending: TaskEnding = {
        ...base,
        status: 'failed',
        errorMessage: report.error.message,
        userFacingErrorMessage: report.error.userFacingMessage ?? null,
      };
      return enqueue({ ending, rows: options.rows, exact });
    }
    const type = await deps.taskTypes.find(deps.db.db, lease.type);
    if (!type) return exact();
    const checked = validateSlots(report.output, outputRules(type.type, descriptorOf(provider)), 'output');
    if (checked.ok && checked.files.length > 0) return exact(); // files must be checked in the database
    const ending: TaskEnding = checked.ok
      ? { ...base, status: 'successful', output: checked.values }
      : {
          ...base,
          status: 'failed',
          errorMessage: invalidOutputErrorMessage(provider.id, checked.error),
          userFacingErrorMessage: invalidOutputUserMessage,
        };
    return enqueue({ ending, invalid: checked.ok ? undefined : checked.error, rows: options.rows, exact });
  };

  return {
    async report(principal, taskId, report, options) {
      const outcome = await reportOnce(principal, taskId, report, options);
      if (outcome.ended) {
        const runMs = outcome.ended.startedAt ? deps.now().getTime() - outcome.ended.startedAt.getTime() : null;
        deps.metrics.taskEnded(outcome.ended.type, outcome.state, runMs);
      }
      return outcome;
    },
  };
}

function outcomeOf(outcome: Awaited<ReturnType<typeof completeTask>>, rows: boolean): ReportOutcome {
  const state = outcome.row.status as 'successful' | 'failed';
  const row = rows ? outcome.row : undefined;
  const ended = outcome.changed ? { type: outcome.row.type, startedAt: outcome.row.startedAt } : undefined;
  return outcome.kind === 'invalid_output'
    ? { kind: 'invalid_output', state: 'failed', error: outcome.error, row, ended }
    : { kind: 'ended', state, row, ended };
}
