import { adminRoutes, StatsQuery, type QueueStats, type TaskTypeStats } from '@taskproc/spec';
import { defineApiCommand } from '../command.ts';
import { formatSeconds, formatTime, toJson } from '../format.ts';
import { parseIntFlag, parseWithFlags } from '../parse-args.ts';
import { formatTable, type Column } from '../table.ts';

export const stats = defineApiCommand({
  name: 'stats',
  summary: 'Queue statistics per task type: waiting, running, times, outcomes, slots',
  details: ['The same figures on every replica (read from the database); --json is what KEDA and dashboards read.'],
  options: {
    window: { type: 'string', value: 'seconds', description: 'The recent window of times and outcomes (default 3600, 60 to 604800)' },
    type: { type: 'string', value: 'typeId', description: 'Only this task type' },
  },
  async run({ values, io }) {
    const query = parseWithFlags(
      StatsQuery,
      { windowSeconds: values.window === undefined ? undefined : parseIntFlag(values.window, '--window', 60, 604_800), type: values.type },
      { windowSeconds: '--window', type: '--type' },
    );
    const result = await io.api().json(adminRoutes.stats, { query });
    io.context.print(values.json ? toJson(result) : formatStats(result));
  },
});

const columns: Column[] = [
  { header: 'TYPE' },
  { header: 'WAITING', align: 'right' },
  { header: 'RUNNING', align: 'right' },
  { header: 'OLDEST', align: 'right' },
  { header: 'WAIT P50/P95', align: 'right' },
  { header: 'RUN P50/P95', align: 'right' },
  { header: 'OK', align: 'right' },
  { header: 'FAILED', align: 'right' },
  { header: 'CANCELLED', align: 'right' },
  { header: 'PROVIDERS', align: 'right' },
  { header: 'SLOTS', align: 'right' },
];

function formatStats(result: QueueStats): string {
  const rows = Object.entries(result.types)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, s]) => typeRow(type, s));
  const t = result.totals;
  // Totals carry no times or outcomes of their own: a blank, not a zero that would mislead.
  rows.push(['TOTAL', String(t.scheduled), String(t.running), formatSeconds(t.oldestScheduledAgeSeconds), '', '', '', '', '', `${t.liveProviders} live`, `${t.busySlots}/${t.slots}`]);
  return [`Window: the last ${formatSeconds(result.windowSeconds)}, as of ${formatTime(result.generatedAt)}`, formatTable(columns, rows)].join('\n');
}

function typeRow(type: string, s: TaskTypeStats): string[] {
  return [
    type,
    String(s.scheduled),
    String(s.running),
    formatSeconds(s.oldestScheduledAgeSeconds),
    `${formatSeconds(s.waitSeconds.p50)}/${formatSeconds(s.waitSeconds.p95)}`,
    `${formatSeconds(s.runSeconds.p50)}/${formatSeconds(s.runSeconds.p95)}`,
    String(s.successful),
    String(s.failed),
    String(s.cancelled),
    `${s.liveProviders} live${s.staleProviders ? `, ${s.staleProviders} stale` : ''}`,
    `${s.busySlots}/${s.slots}`,
  ];
}
