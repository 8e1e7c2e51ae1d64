import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { TestDatabase } from '../src/index.ts';
import {
  awaitRecovery,
  chaosPlan,
  chaosTimeoutMs,
  createExitWatch,
  runChaos,
  startChaosCoordinator,
  startPrivateCluster,
  type ChaosCoordinator,
  type OutageWindow,
  type PrivateCluster,
} from '../src/chaos/index.ts';

// PostgreSQL stopped (fast: every connection cut), held down a moment, and started again, while
// the app schedules and the providers work. The coordinator must ride it out: stay up, answer
// 503 while the database is away, and carry on when it is back. The cluster is the suite's own
// (the shared one on 5432 serves other test files at the same time).

describe('chaos: PostgreSQL restarted under load', () => {
  const exits = createExitWatch();
  let cluster: PrivateCluster;
  let db: TestDatabase;
  let coordinator: ChaosCoordinator;

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    db = await cluster.createDatabase('chaos');
    coordinator = await startChaosCoordinator(db, exits, 'the coordinator');
  });
  afterAll(async () => {
    await coordinator?.stop();
    await db?.destroy();
    await cluster?.destroy();
  });

  it(
    `loses no task, completes none twice and stays up through ${chaosPlan.postgresRestarts} PostgreSQL restarts`,
    async () => {
      await runChaos({
        label: 'PostgreSQL restarted [private cluster]',
        db,
        coordinators: [coordinator],
        url: coordinator.url,
        exits,
        // The coordinator is never down: every request gets an answer, 503 at worst.
        connectionErrorsInOutage: false,
        async disturb({ load }) {
          const windows: OutageWindow[] = [];
          const recoveries: number[] = [];
          for (let i = 0; i < chaosPlan.postgresRestarts; i++) {
            await sleep(chaosPlan.postgresUpMs);
            const from = Date.now();
            await cluster.stop();
            // The outage, held in real time: the load keeps coming meanwhile.
            await sleep(chaosPlan.postgresDownMs);
            await cluster.start();
            const recovery = await awaitRecovery(load, from, Date.now());
            windows.push(recovery.window);
            recoveries.push(recovery.seconds);
          }
          await sleep(chaosPlan.postgresUpMs);
          return { windows, recoveries, extra: { 'PostgreSQL restarts': chaosPlan.postgresRestarts } };
        },
      });
    },
    chaosTimeoutMs(chaosPlan.postgresRestarts, chaosPlan.postgresUpMs + chaosPlan.postgresDownMs + 10_000),
  );
});
