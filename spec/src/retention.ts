import { z } from 'zod';

export const CleanupRequest = z
  .object({
    retentionDays: z
      .number()
      .int()
      .min(0)
      .max(36500)
      .optional()
      .describe('Remove tasks that ended more than this many days ago (default TASKPROC_RETENTION_DAYS); 0 removes every finished task'),
    dryRun: z.boolean().default(false).describe('Count what would be removed, remove nothing'),
  })
  .strict()
  .meta({ id: 'CleanupRequest' });
export type CleanupRequest = z.input<typeof CleanupRequest>;

export const CleanupResult = z
  .object({
    retentionDays: z.number().int(),
    cutoff: z.iso.datetime().describe('Tasks that ended before this, and are not kept longer (keepUntil), were removed'),
    dryRun: z.boolean(),
    tasks: z.number().int().min(0),
    files: z.number().int().min(0).describe('Output files of those tasks, and uploads no remaining task uses that are past the period'),
    events: z.number().int().min(0),
    webhookDeliveries: z.number().int().min(0),
    webhookAttempts: z.number().int().min(0),
  })
  .meta({ id: 'CleanupResult' });
export type CleanupResult = z.infer<typeof CleanupResult>;
