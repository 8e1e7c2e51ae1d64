/**
 * How hard the chaos suites push. A plain `npm test` runs a few kills per suite (each suite in
 * well under a minute, so CI stays short); TASKPROC_CHAOS_FULL=1 (`npm run chaos`) runs the
 * issue's counts: 20 provider SIGKILLs and 5 coordinator SIGKILLs per database, PostgreSQL
 * restarted 5 times.
 */
const full = process.env.TASKPROC_CHAOS_FULL === '1';

export const chaosPlan = {
  full,
  /** Provider processes SIGKILLed (and replaced), one every `providerKillEveryMs`. */
  providerKills: full ? 20 : 4,
  providerKillEveryMs: 1_500,
  /** Coordinator SIGKILLs and restarts on one database; load runs `coordinatorUpMs` between them. */
  coordinatorKills: full ? 5 : 2,
  coordinatorUpMs: 2_000,
  /** Restarts of the private PostgreSQL; each holds it down `postgresDownMs`, then `postgresUpMs` of load. */
  postgresRestarts: full ? 5 : 2,
  postgresDownMs: 1_500,
  postgresUpMs: 2_000,
  /** SIGKILLs of one of two replicas (full: alternating, the killed one restarted, but the last). */
  replicaKills: full ? 5 : 1,
  replicaUpMs: 2_000,
  /** Load between the app's tasks: about 30 tasks a second with the schedule call itself. */
  schedulePauseMs: 20,
  /** After the load stops, how long every task has to end. */
  drainTimeoutMs: 45_000,
} as const;

/** A test timeout for `steps` steps of `stepMs` each, plus the start, the drain and the figures. */
export function chaosTimeoutMs(steps: number, stepMs: number): number {
  return 90_000 + steps * stepMs;
}
