import { z } from 'zod';
import { TaskTypeId } from './task-types.ts';

const maxWindowSeconds = 7 * 24 * 3600;

export const StatsQuery = z.object({
  windowSeconds: z.coerce
    .number()
    .int()
    .min(60)
    .max(maxWindowSeconds)
    .optional()
    .describe('The recent window for wait and run times and outcomes, seconds (default 3600, at most 7 days)'),
  type: TaskTypeId.optional().describe('Only this task type'),
});
export type StatsQuery = z.input<typeof StatsQuery>;

const Seconds = z.number().min(0);

export const Percentiles = z
  .object({
    p50: Seconds.nullable(),
    p95: Seconds.nullable(),
    count: z.number().int().min(0).describe('How many tasks the figures are taken over (of the sample)'),
  })
  .describe('Percentiles in seconds over the window (its most recent 5,000 ended tasks of all types at most); null when no task is in it')
  .meta({ id: 'Percentiles' });

export const TaskTypeStats = z
  .object({
    scheduled: z.number().int().min(0).describe('Tasks waiting for a provider now'),
    running: z.number().int().min(0).describe('Tasks a provider holds now'),
    oldestScheduledAgeSeconds: Seconds.nullable().describe('How long the oldest waiting task has waited; null when none waits'),
    waitSeconds: Percentiles.describe('Scheduled to started, of tasks that ended successful or failed in the window'),
    runSeconds: Percentiles.describe('Started to ended, of tasks that ended successful or failed in the window'),
    successful: z.number().int().min(0).describe('Tasks that ended successful in the window'),
    failed: z.number().int().min(0).describe('Tasks that ended failed in the window'),
    cancelled: z.number().int().min(0).describe('Tasks cancelled in the window'),
    liveProviders: z.number().int().min(0).describe('Providers of the type that polled within the liveness window'),
    staleProviders: z.number().int().min(0).describe('Registered providers of the type that did not'),
    slots: z.number().int().min(0).describe('Tasks the live providers run at once, as they declared (concurrency, 1 when not declared)'),
    busySlots: z.number().int().min(0).describe('Of those, held by a running task'),
  })
  .meta({ id: 'TaskTypeStats' });
export type TaskTypeStats = z.infer<typeof TaskTypeStats>;

export const QueueStats = z
  .object({
    generatedAt: z.iso.datetime(),
    windowSeconds: z.number().int(),
    totals: z.object({
      scheduled: z.number().int().min(0),
      running: z.number().int().min(0),
      oldestScheduledAgeSeconds: Seconds.nullable(),
      liveProviders: z.number().int().min(0),
      slots: z.number().int().min(0),
      busySlots: z.number().int().min(0),
    }),
    types: z
      .record(z.string(), TaskTypeStats)
      .describe(
        'By task type id: every type with a registered provider or a scheduled or running task. For KEDA\'s metrics-api scaler: valueLocation `types.core:text2text:summary.scheduled` (or `totals.scheduled`)',
      ),
  })
  .meta({ id: 'QueueStats' });
export type QueueStats = z.infer<typeof QueueStats>;
