import type { Deps } from '../deps.ts';
import type { PeriodicJob } from './periodic.ts';

/** The coordinator's periodic jobs. Each is safe to run on every replica at once. */
export function createBackgroundJobs(_deps: Deps): PeriodicJob[] {
  return [];
}
