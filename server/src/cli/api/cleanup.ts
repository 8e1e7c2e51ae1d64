import { adminRoutes, CleanupRequest, type CleanupResult } from '@taskproc/spec';
import { defineApiCommand } from '../command.ts';
import { formatTime, plural, toJson } from '../format.ts';
import { parseIntFlag, parseWithFlags } from '../parse-args.ts';

const cleanupTimeoutMs = 15 * 60_000;

export const cleanup = defineApiCommand({
  name: 'cleanup',
  summary: 'Remove finished tasks past the retention period, now',
  details: [
    'Tasks that ended (successful, failed, cancelled) before the cutoff go, with their output files, events',
    'and webhook deliveries; unfinished tasks and tasks kept longer (keepUntil) stay.',
  ],
  options: {
    days: { type: 'string', value: 'n', description: 'Remove tasks that ended more than n days ago (default: TASKPROC_RETENTION_DAYS; 0: every finished task)' },
    'dry-run': { type: 'boolean', description: 'Only count what would be removed' },
  },
  async run({ values, io }) {
    const request = parseWithFlags(
      CleanupRequest,
      { retentionDays: values.days === undefined ? undefined : parseIntFlag(values.days, '--days', 0, 36_500), dryRun: values['dry-run'] ?? false },
      { retentionDays: '--days', dryRun: '--dry-run' },
    );
    // One request does all the work, in batches on the coordinator: a large backlog takes a while.
    const result = await io.api().json(adminRoutes.cleanup, { json: request, timeoutMs: cleanupTimeoutMs });
    io.context.print(values.json ? toJson(result) : describeCleanup(result));
  },
});

function describeCleanup(r: CleanupResult): string {
  const what = `${plural(r.tasks, 'task')} (${plural(r.files, 'file')}, ${plural(r.events, 'event')}, ${plural(r.webhookDeliveries, 'webhook delivery', 'webhook deliveries')}, ${plural(r.webhookAttempts, 'webhook attempt')})`;
  const which = `that ended before ${formatTime(r.cutoff)} (retention ${plural(r.retentionDays, 'day')})`;
  return r.dryRun ? `Would remove ${what} ${which}; nothing was removed (--dry-run).` : `Removed ${what} ${which}.`;
}
