import { taskRoutes, type Task } from '@taskproc/spec';
import { defineApiCommand } from '../command.ts';
import { formatTime, orDash, toJson } from '../format.ts';
import { parseIntFlag, parseRowId } from '../parse-args.ts';
import { formatFields, formatTable } from '../table.ts';
import { UsageError } from '../usage-error.ts';
import { listTasks, parseTaskFilter, taskFilterOptions } from './task-filter.ts';

const defaultLimit = 50;

export const taskList = defineApiCommand({
  name: 'task list',
  summary: 'List tasks of every app, newest first',
  details: ['Shows the newest 50 unless --limit or --all says otherwise; a note on stderr says when more match.'],
  options: {
    ...taskFilterOptions,
    limit: { type: 'string', value: 'n', description: `Show at most n tasks (default ${defaultLimit})` },
    all: { type: 'boolean', description: 'Show every matching task (as many pages as it takes)' },
    cursor: { type: 'string', value: 'cursor', description: 'Continue after an earlier listing (its nextCursor)' },
  },
  async run({ values, io }) {
    if (values.all && values.limit !== undefined) throw new UsageError('--all and --limit exclude each other');
    const max = values.all ? Infinity : values.limit === undefined ? defaultLimit : parseIntFlag(values.limit, '--limit', 1, 1_000_000);
    const list = await listTasks(io.api(), parseTaskFilter(values), max);
    io.context.print(values.json ? toJson(list) : formatTaskTable(list.tasks));
    // On stderr: the table on stdout stays just the table.
    if (list.nextCursor) io.context.printError(`More tasks match: --all, a larger --limit, or --cursor ${list.nextCursor}`);
  },
});

function formatTaskTable(tasks: readonly Task[]): string {
  if (tasks.length === 0) return 'No tasks.';
  return formatTable(
    [
      { header: 'ID', align: 'right' },
      { header: 'TYPE' },
      { header: 'STATUS' },
      { header: 'APP' },
      { header: 'USER' },
      { header: 'PROVIDER' },
      { header: 'PROGRESS', align: 'right' },
      { header: 'SCHEDULED' },
      { header: 'ENDED' },
    ],
    tasks.map((t) => [
      String(t.id),
      t.type,
      t.status,
      t.appId,
      orDash(t.userId),
      orDash(t.providerId),
      `${Math.round(t.progress * 100)}%`,
      formatTime(t.scheduledAt),
      formatTime(t.endedAt),
    ]),
  );
}

export const taskGet = defineApiCommand({
  name: 'task get',
  summary: 'Show one task, with its input and output',
  positionals: [{ name: 'id', required: true, description: 'Id of the task' }],
  async run({ values, positionals, io }) {
    const id = parseRowId(positionals[0]!, 'task');
    const task = await io.api().json(taskRoutes.get, { params: { id } });
    io.context.print(values.json ? toJson(task) : formatTask(task));
  },
});

function formatTask(t: Task): string {
  const queued = t.queuePosition ? ` (#${t.queuePosition} in the queue of its type)` : '';
  return formatFields([
    ['id', String(t.id)],
    ['type', t.type],
    ['status', t.status + queued],
    ['app', t.appId],
    ['user', orDash(t.userId)],
    ['custom id', orDash(t.customId)],
    ['provider', orDash(t.providerId)],
    ['progress', `${Math.round(t.progress * 100)}%`],
    ['attempts', String(t.attempts)],
    ['priority', String(t.priority)],
    ['scheduled', formatTime(t.scheduledAt)],
    ['started', formatTime(t.startedAt)],
    ['ended', formatTime(t.endedAt)],
    ['expected', formatTime(t.completionExpectedAt)],
    ['keep until', formatTime(t.keepUntil)],
    ['webhook', t.webhookUri ? `${t.webhookMethod ?? 'HTTP:POST'} ${t.webhookUri}` : '-'],
    ['error', orDash(t.errorMessage)],
    ['user error', orDash(t.userFacingErrorMessage)],
    ['input', JSON.stringify(t.input)],
    ['output', t.output === null ? '-' : JSON.stringify(t.output)],
  ]);
}
