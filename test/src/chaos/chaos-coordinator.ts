import { afterAll, beforeAll } from 'vitest';
import type { DatabaseKind } from '../databases.ts';
import { createTestDatabase, startCoordinator, type RunningCoordinator, type TestDatabase } from '../start-coordinator.ts';
import { createExitWatch, type ExitWatch } from './exit-watch.ts';
import { freePort } from './free-port.ts';

/**
 * The coordinator settings of the chaos suites: sweeps often, so a lease that ran out (its
 * provider or coordinator killed) is requeued within a fraction of a second; attempts enough
 * that no task runs out of them however often a kill lands on it.
 */
export const chaosCoordinatorEnv: Record<string, string> = {
  TASKPROC_SWEEP_MS: '200',
  TASKPROC_MAX_ATTEMPTS: '25',
};

/** A coordinator process that keeps its port across SIGKILLs, so its clients need no new URL. */
export interface ChaosCoordinator {
  readonly url: string;
  readonly port: number;
  /** The process running now (or the last one, once killed). */
  readonly current: RunningCoordinator;
  readonly adminToken: string;
  /**
   * SIGKILLs the process (announced to the exit watch); resolves once it is gone, with the time
   * of the kill and of the exit (from then on its sockets are closed).
   */
  kill(): Promise<{ killedAt: number; goneAt: number }>;
  /** Starts a new process on the same port and database; resolves once it listens, with that time. */
  start(): Promise<number>;
  /** Graceful stop (SIGTERM); safe when already stopped. */
  stop(): Promise<void>;
}

export async function startChaosCoordinator(
  db: TestDatabase,
  exits: ExitWatch,
  label: string,
  env: Record<string, string> = {},
): Promise<ChaosCoordinator> {
  const port = await freePort();
  let current: RunningCoordinator;
  let generation = 0;
  const start = async () => {
    current = await startCoordinator(db, { ...chaosCoordinatorEnv, ...env, PORT: String(port) });
    exits.watch(`${label} (start ${++generation})`, current.process);
    return Date.now();
  };
  await start();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get current() {
      return current;
    },
    adminToken: current!.adminToken,
    async kill() {
      exits.expect(current.process);
      const killedAt = Date.now();
      await current.process.stop('SIGKILL');
      return { killedAt, goneAt: Date.now() };
    },
    start,
    async stop() {
      exits.expect(current.process);
      await current.stop();
    },
  };
}

/** What a chaos suite on one coordinator works with; valid inside tests. */
export interface ChaosFixture {
  db: TestDatabase;
  coordinator: ChaosCoordinator;
  exits: ExitWatch;
}

/**
 * Registers `beforeAll`/`afterAll` that start a chaos coordinator on a fresh database of `kind`
 * and stop it, with its exit watch.
 */
export function useChaosCoordinator(kind: DatabaseKind): ChaosFixture {
  const fixture = { exits: createExitWatch() } as ChaosFixture;
  beforeAll(async () => {
    fixture.db = await createTestDatabase(kind);
    fixture.coordinator = await startChaosCoordinator(fixture.db, fixture.exits, 'the coordinator');
  });
  afterAll(async () => {
    await fixture.coordinator?.stop();
    await fixture.db?.destroy();
  });
  return fixture;
}
