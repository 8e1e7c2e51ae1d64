import type { z } from 'zod';
import type { CleanupRequest, CleanupResult } from '@taskproc/spec';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { pruneFinishedTasks } from './prune-finished-tasks.ts';

/**
 * POST /v1/admin/cleanup: the retention run, now, with the configured period unless the admin
 * names one. With retention off (TASKPROC_RETENTION_DAYS=0) the period must be named: taking
 * the 0 as "remove every finished task" would turn "off" into its opposite.
 */
export async function cleanupNow(
  deps: Pick<Deps, 'db' | 'fileStore' | 'logger' | 'now' | 'stopping' | 'config'>,
  request: z.output<typeof CleanupRequest>,
): Promise<CleanupResult> {
  const retentionDays = request.retentionDays ?? deps.config.TASKPROC_RETENTION_DAYS;
  if (request.retentionDays === undefined && retentionDays === 0) {
    throw new ApiError('invalid_request', 'json.retentionDays: retention is off (TASKPROC_RETENTION_DAYS=0); say how many days to keep', {
      field: 'json.retentionDays',
    });
  }
  const { result } = await pruneFinishedTasks(deps, { retentionDays, dryRun: request.dryRun, waitForLock: true });
  if (!request.dryRun) deps.logger.info({ ...result }, 'admin cleanup removed finished tasks past the period');
  return result;
}
