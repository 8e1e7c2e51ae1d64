import type { Deps } from '../deps.ts';
import { expireLeases } from '../work/expire-leases.ts';
import { recheckParkedClaims } from '../work/recheck-parked.ts';
import type { PeriodicJob } from './periodic.ts';

/** The coordinator's periodic jobs. Each is safe to run on every replica at once. */
export function createBackgroundJobs(deps: Deps): PeriodicJob[] {
  const sweepMs = deps.config.TASKPROC_SWEEP_MS;
  return [
    { name: 'expire-leases', intervalMs: sweepMs, run: async () => void (await expireLeases(deps)) },
    { name: 'recheck-parked-claims', intervalMs: sweepMs, run: () => recheckParkedClaims(deps) },
  ];
}
