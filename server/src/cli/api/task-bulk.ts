import { ApiError, taskRoutes, type Task } from '@taskproc/spec';
import type { Api } from '../api-client.ts';
import { defineApiCommand, type CommandIo, type OptionValues } from '../command.ts';
import { exitCodes, isNotFound, type ExitCode } from '../exit-codes.ts';
import { plural, toJson } from '../format.ts';
import { parseRowId } from '../parse-args.ts';
import { startProgress } from '../progress.ts';
import { runEach } from '../run-each.ts';
import { UsageError } from '../usage-error.ts';
import { hasFilter, listTasks, parseTaskFilter, taskFilterOptions, type TaskFilter } from './task-filter.ts';

/** A task a bulk run could not act on, as the API explained it. */
interface Refusal {
  id: number;
  status: number;
  code: string | null;
  detail: string;
}

interface BulkAction<R> {
  /** For the progress bar: "cancelling". */
  label: string;
  /** For the summary: "cancelled". */
  past: string;
  act(api: Api, id: number): Promise<R>;
  /**
   * Refusals that only mean a selected task moved on between the listing and the request (it
   * ended, or was deleted): skipped when tasks were selected by filter, failures when named.
   */
  raced(err: ApiError): boolean;
}

/**
 * What `task cancel` and `task delete` share: tasks named by id, or selected with filters (every
 * page, listed first, then acted on a few at a time with a progress bar). Refusals are reported
 * per task on stderr and the run goes on; the exit code is 4 when every failure was a task that
 * does not exist, 1 for any other failure.
 */
async function runBulk<R>(
  action: BulkAction<R>,
  values: OptionValues<typeof taskFilterOptions>,
  positionals: readonly string[],
  io: CommandIo,
  checkFilter: (filter: TaskFilter) => void,
): Promise<{ done: R[]; skipped: Refusal[]; failed: Refusal[]; summary: string; exitCode: ExitCode }> {
  const filter = parseTaskFilter(values);
  const byFilter = positionals.length === 0;
  if (!byFilter && hasFilter(filter)) throw new UsageError('name task ids or select tasks with filters, not both');
  if (byFilter) checkFilter(filter);
  const ids = byFilter ? [] : positionals.map((p) => parseRowId(p, 'task'));
  const api = io.api();
  if (byFilter) ids.push(...(await listTasks(api, filter, Infinity)).tasks.map((t) => t.id));

  // Kept in the order the tasks were named or listed, whatever order the answers come in.
  const outcomes: Array<{ done: R } | { refusal: Refusal; skipped: boolean }> = [];
  const progress = byFilter && ids.length > 0 ? startProgress(io.context.progress, action.label, ids.length) : undefined;
  try {
    await runEach(
      ids.map((id, index) => ({ id, index })),
      async ({ id, index }) => {
        try {
          outcomes[index] = { done: await action.act(api, id) };
        } catch (err) {
          // Anything but the API's refusal (the coordinator went away) stops the run: see runEach.
          if (!(err instanceof ApiError) || err.status === 503) throw err;
          const refusal = { id, status: err.status, code: err.code ?? null, detail: err.detail ?? err.message };
          const skipped = byFilter && action.raced(err);
          outcomes[index] = { refusal, skipped };
          if (!skipped) io.context.printError(`error: task ${id}: ${err.message}`);
        }
      },
      () => progress?.advance(),
    );
  } finally {
    progress?.finish();
  }
  const done = outcomes.flatMap((o) => ('done' in o ? [o.done] : []));
  const skipped = outcomes.flatMap((o) => ('refusal' in o && o.skipped ? [o.refusal] : []));
  const failed = outcomes.flatMap((o) => ('refusal' in o && !o.skipped ? [o.refusal] : []));
  const exitCode = failed.length === 0 ? exitCodes.ok : failed.every((f) => f.status === 404) ? exitCodes.notFound : exitCodes.failed;
  return { done, skipped, failed, summary: summarize(action.past, done.length, skipped.length, failed.length, ids.length), exitCode };
}

/** Prints a bulk run's outcome (the summary line, or with --json what was done, skipped and failed); its exit code. */
function printBulk<R>(io: CommandIo, json: boolean | undefined, doneKey: string, result: Awaited<ReturnType<typeof runBulk<R>>>): ExitCode {
  io.context.print(json ? toJson({ [doneKey]: result.done, skipped: result.skipped, failed: result.failed }) : result.summary);
  return result.exitCode;
}

/** The summary line on stdout: "Cancelled 3 tasks; 1 skipped (ended or deleted meanwhile)." */
function summarize(past: string, done: number, skipped: number, failed: number, selected: number): string {
  if (selected === 0) return 'No tasks match.';
  const parts = [`${past[0]!.toUpperCase()}${past.slice(1)} ${plural(done, 'task')}`];
  if (skipped > 0) parts.push(`${skipped} skipped (ended or deleted meanwhile)`);
  if (failed > 0) parts.push(`${failed} failed`);
  return `${parts.join('; ')}.`;
}

const idsPositional = [{ name: 'id', variadic: true, description: 'Ids of the tasks (or select them with filters instead)' }] as const;

export const taskCancel = defineApiCommand({
  name: 'task cancel',
  summary: 'Cancel tasks, named by id or selected by filters',
  details: [
    'With filters instead of ids, --status scheduled or running is required, and every matching task is',
    'cancelled (progress on stderr); tasks that ended meanwhile are skipped. A running task is cancelled',
    "too: its provider's next report is refused and it is told at once.",
  ],
  positionals: idsPositional,
  options: taskFilterOptions,
  async run({ values, positionals, io }) {
    const result = await runBulk<Task>(
      {
        label: 'cancelling',
        past: 'cancelled',
        act: (api, id) => api.json(taskRoutes.cancel, { params: { id } }),
        raced: (err) => isNotFound(err) || err.code === 'task_terminal',
      },
      values,
      positionals,
      io,
      (filter) => {
        if (filter.status !== 'scheduled' && filter.status !== 'running') {
          throw new UsageError('--status scheduled or --status running is required to cancel tasks by filter');
        }
      },
    );
    return printBulk(io, values.json, 'cancelled', result);
  },
});

export const taskDelete = defineApiCommand({
  name: 'task delete',
  summary: 'Delete tasks (and their output files), named by id or selected by filters',
  details: [
    'With filters instead of ids, --status is required, and every matching task is deleted (progress',
    'on stderr); tasks deleted meanwhile are skipped. Uploaded input files stay.',
  ],
  positionals: idsPositional,
  options: taskFilterOptions,
  async run({ values, positionals, io }) {
    const result = await runBulk<number>(
      {
        label: 'deleting',
        past: 'deleted',
        act: async (api, id) => {
          await api.send(taskRoutes.delete, { params: { id } });
          return id;
        },
        raced: isNotFound,
      },
      values,
      positionals,
      io,
      (filter) => {
        if (filter.status === undefined) throw new UsageError('--status is required to delete tasks by filter');
      },
    );
    return printBulk(io, values.json, 'deleted', result);
  },
});
